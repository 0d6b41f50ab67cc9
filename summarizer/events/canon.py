"""An event's canonical fields from its members: votes, status history, conflicts, coding."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

from summarizer.events.coding import code_agreement, code_meeting
from summarizer.events.compare import surname
from summarizer.events.model import Conflict, Event, Member, Place, Plover, SourceRecord, StatusChange
from summarizer.text.dates import compatible as dates_contain

__all__ = ["AGREEMENT_PROGRESS", "refresh"]

# How far an agreement has come; a later report of a less advanced status does not undo it.
AGREEMENT_PROGRESS = ("proposed", "under_negotiation", "agreed", "signed", "in_force", "extended")


def _order(m: Member) -> tuple[date, str, str]:
    r = m.record
    return (r.published or date.min, r.article, r.record)


def _tag(r: SourceRecord) -> str:
    return f"{r.article}#{r.record}"


def _vote(values: Sequence[tuple[str, SourceRecord]]) -> str | None:
    """The value most sources give; ties go to the earliest report."""
    if not values:
        return None
    counts = Counter(v for v, _ in values)
    best = max(counts.values())
    return next(v for v, _ in values if counts[v] == best)


def _date(records: list[SourceRecord]) -> tuple[str | None, Conflict | None]:
    """The most specific date most sources give, and a conflict when stated dates disagree."""
    dated = [(r.date, r) for r in records if r.date]
    if not dated:
        return None, None
    finest = max(len(d) for d, _ in dated)
    chosen = _vote([(d, r) for d, r in dated if len(d) == finest])
    clash = [(d, r) for d, r in dated if chosen and not dates_contain(d, chosen)]
    if not clash:
        return chosen, None
    values: dict[str, list[str]] = {}
    for d, r in dated:
        values.setdefault(d, []).append(_tag(r))
    return chosen, Conflict(field="date", values=values)


def _place(records: list[SourceRecord]) -> tuple[Place | None, list[Conflict]]:
    placed = [r for r in records if r.place is not None]
    if not placed:
        return None, []
    fields: dict[str, str | None] = {}
    conflicts = []
    for name in ("venue", "city", "country"):
        values = [(v, r) for r in placed if (v := getattr(r.place, name))]
        fields[name] = _vote(values)
        distinct = {v for v, _ in values}
        if name != "venue" and len(distinct) > 1:
            grouped: dict[str, list[str]] = {}
            for v, r in values:
                grouped.setdefault(v, []).append(_tag(r))
            conflicts.append(Conflict(field="place", values=grouped))
    return Place(**fields), conflicts


def _history(members: list[Member]) -> list[StatusChange]:
    history: list[StatusChange] = []
    for m in members:
        r = m.record
        if history and history[-1].status == r.status:
            if r.article not in history[-1].articles:
                history[-1].articles.append(r.article)
            continue
        history.append(StatusChange(status=r.status, reported=r.published, articles=[r.article]))
    return history


def _status(kind: str, records: list[SourceRecord]) -> str:
    """A meeting that any source says was held was held; else the latest report's status. An
    agreement's most advanced status, unless a later report says it was rejected or disputed."""
    latest = records[-1].status
    if kind == "meeting":
        return "held" if any(r.status == "held" for r in records) else latest
    if latest in ("rejected", "disputed"):
        return latest
    advanced = [r.status for r in records if r.status in AGREEMENT_PROGRESS]
    return max(advanced, key=AGREEMENT_PROGRESS.index) if advanced else latest


def _ranked(records: list[SourceRecord], values: Callable[[SourceRecord], list[str]]) -> list[str]:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for r in records:
        for v in dict.fromkeys(values(r)):
            counts[v] += 1
            first.setdefault(v, len(first))
    return sorted(counts, key=lambda v: (-counts[v], first[v]))


def _people(records: list[SourceRecord]) -> list[str]:
    """Every participant once (by surname), in the longest spelling any source gives."""
    best: dict[str, str] = {}
    for r in records:
        for name in r.people:
            key = surname(name) or name
            if len(name) > len(best.get(key, "")):
                best[key] = name
    return list(best.values())


def refresh(event: Event) -> Event:
    """``event`` with its canonical fields recomputed from its members (sorted by report)."""
    members = sorted(event.members, key=_order)
    records = [m.record for m in members]
    when, date_conflict = _date(records)
    place, place_conflicts = _place(records)
    status = _status(event.kind, records)
    parties = _ranked(records, lambda r: r.parties)
    actors = _ranked(records, lambda r: r.actors)
    statuses = {r.status for r in records}
    conflicts = [c for c in (date_conflict, *place_conflicts) if c is not None]
    if (
        event.kind == "agreement"
        and {"rejected", "disputed"} & statuses
        and statuses & {"signed", "in_force"}
    ):
        grouped: dict[str, list[str]] = {}
        for r in records:
            grouped.setdefault(r.status, []).append(_tag(r))
        conflicts.append(Conflict(field="status", values=grouped))
    channel = _vote([(r.channel, r) for r in records if r.channel])
    host = _vote([(r.host, r) for r in records if r.host])
    if event.kind == "meeting":
        coding = code_meeting(status, channel or "in_person", parties, place.country if place else None)
    else:
        kind = _vote([(r.agreement_kind, r) for r in records if r.agreement_kind]) or "other"
        coding = code_agreement(status, kind, records[-1].title)
    plover = None if coding is None else Plover(**{k: getattr(coding, k) for k in Plover.model_fields})
    published = [r.published for r in records if r.published]
    return event.model_copy(
        update={
            "members": members,
            "title": records[-1].title,
            "status": status,
            "channel": channel,
            "date": when,
            "place": place,
            "parties": parties,
            "actors": actors,
            "people": _people(records),
            "host": host,
            "first_reported": min(published) if published else None,
            "last_reported": max(published) if published else None,
            "history": _history(members),
            "conflicts": conflicts,
            "plover": plover,
        }
    )
