"""Event resolution: source records from many articles clustered into events, incrementally.

Records are taken in report order (publication date, article, record id). Each one is
compared (:func:`.compare.compare`) with every member of the candidate events and joins the
best-scoring event it is compatible with *all* members of (complete linkage: a record joins
only what no member contradicts); otherwise it starts a new event. The result depends only on
the records and their order, never on timing or hashing, and each member carries the reason
it joined.

Candidates come from blocks, so a record is compared with few events: a block is a pair of
actors (or one actor, or one participant's surname when no side is named) and a month (an
event is also filed under each of its actors alone, for reports that name one side only); a
meeting looks four months either side of its own (undated plans are anchored at their report),
an agreement twelve (its status moves over months). :class:`Resolver` keeps the blocks, so adding a batch to existing events
(:meth:`Resolver.add`) compares the new records only; an article that comes again (re-run)
first has its earlier records taken out, and the events they were in are recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import combinations

from summarizer.events.canon import refresh
from summarizer.events.compare import compare, month_of, surname
from summarizer.events.model import Event, Member, SourceRecord

__all__ = ["Resolver", "resolve"]

Block = tuple[str, tuple[str, ...], int | None]  # kind, actors or surname, month


def _keys(r: SourceRecord) -> list[tuple[str, ...]]:
    """The blocks a record looks in: its actor pairs, or its one actor, or its people."""
    actors = sorted(set(r.actors))
    if len(actors) >= 2:
        return [tuple(pair) for pair in combinations(actors, 2)]
    if actors:
        return [(actors[0],)]
    return [(f"~{s}",) for s in sorted({surname(p) for p in r.people} - {""})]


def _index_keys(r: SourceRecord) -> list[tuple[str, ...]]:
    """The blocks a record's event is filed under: its pairs, and each actor alone (a report
    that names one side only looks there), or its people."""
    actors = sorted(set(r.actors))
    if not actors:
        return _keys(r)
    return [*_keys(r), *((a,) for a in actors if len(actors) >= 2)]


def _reach(kind: str) -> int:
    """Months either side a record looks for events: four for a meeting (an undated report of a
    plan may come four months ahead, :mod:`.compare`), twelve for an agreement."""
    return 4 if kind == "meeting" else 12


def _order(r: SourceRecord) -> tuple[date, str, str]:
    return (r.published or date.min, r.article, r.record)


class Resolver:
    """Events and their blocks; :meth:`add` records, read :attr:`events`."""

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self.events: dict[str, Event] = {}
        self._blocks: dict[Block, list[str]] = {}
        self._by_article: dict[str, set[str]] = {}
        self._next = 1
        for event in events:
            self._put(event)
            number = event.id.rsplit("-", 1)[-1]
            if number.isdigit():
                self._next = max(self._next, int(number) + 1)

    def _put(self, event: Event) -> None:
        self.events[event.id] = event
        for m in event.members:
            self._index(event.id, m.record)

    def _index(self, event_id: str, r: SourceRecord) -> None:
        self._by_article.setdefault(r.article, set()).add(event_id)
        month = month_of(r.date, r.published)
        for key in _index_keys(r):
            ids = self._blocks.setdefault((r.kind, key, month), [])
            if event_id not in ids:
                ids.append(event_id)

    def _candidates(self, r: SourceRecord) -> list[str]:
        month = month_of(r.date, r.published)
        months = [None] if month is None else range(month - _reach(r.kind), month + _reach(r.kind) + 1)
        found: dict[str, None] = {}
        for key in _keys(r):
            for m in months:
                for event_id in self._blocks.get((r.kind, key, m), ()):
                    found[event_id] = None
        return sorted(found)

    def _forget(self, article: str) -> None:
        """Take an article's records out of every event (it is being added again)."""
        for event_id in sorted(self._by_article.pop(article, set())):
            event = self.events.get(event_id)
            if event is None:
                continue
            kept = [m for m in event.members if m.record.article != article]
            if kept:
                self.events[event_id] = refresh(event.model_copy(update={"members": kept}))
            else:
                del self.events[event_id]
        # Blocks may still list dropped events; _candidates skips ids no longer in self.events.

    def add(self, records: Iterable[SourceRecord]) -> list[str]:
        """Resolve new records into the events; returns the ids of the events they joined or
        started, one per record, in report order."""
        batch = sorted(records, key=_order)
        for article in dict.fromkeys(r.article for r in batch):
            if article in self._by_article:
                self._forget(article)
        placed = []
        for r in batch:
            placed.append(self._place(r))
        return placed

    def _place(self, r: SourceRecord) -> str:
        best: tuple[float, str, str] | None = None
        closest = ""
        for event_id in self._candidates(r):
            event = self.events.get(event_id)
            if event is None or event.kind != r.kind:
                continue
            verdicts = [compare(r, m.record) for m in event.members]
            refused = next((v for v in verdicts if not v.ok), None)
            if refused is not None:
                closest = closest or f"{event_id}: {refused.reason}"
                continue
            score = sum(v.score for v in verdicts) / len(verdicts)
            if best is None or score > best[0]:
                best = (score, event_id, max(verdicts, key=lambda v: v.score).reason)
        if best is None:
            event_id = f"ev-{self._next:06d}"
            self._next += 1
            reason = "new event" + (f" (not {closest})" if closest else ": no earlier report in its blocks")
            member = Member(record=r, reason=reason, score=0.0)
            self.events[event_id] = refresh(
                Event(id=event_id, kind=r.kind, title=r.title, status=r.status, members=[member])
            )
        else:
            score, event_id, why = best
            member = Member(record=r, reason=f"joined: {why}", score=round(score, 3))
            event = self.events[event_id]
            self.events[event_id] = refresh(event.model_copy(update={"members": [*event.members, member]}))
        self._index(event_id, r)
        return event_id

    def sorted_events(self) -> list[Event]:
        """Events by date (undated last), then id."""
        return sorted(self.events.values(), key=lambda e: (e.date is None, e.date or "", e.id))


def resolve(records: Iterable[SourceRecord], events: Iterable[Event] = ()) -> list[Event]:
    """Cluster ``records`` into events, adding to ``events`` (earlier output) if given."""
    resolver = Resolver(events)
    resolver.add(records)
    return resolver.sorted_events()
