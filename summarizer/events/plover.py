"""PLOVER JSON records of events (``summarizer export --plover``).

One record per coded event, in the field names of the PLOVER specification: ``id``, ``date``,
``actor``, ``recipient``, ``event``, ``mode``, ``context``, ``event_text`` (the evidence quote
of the first report), ``text`` (the event's title), plus ``cameo``, the actors' sectors, the
place and ``source_ids`` (``article#record`` of every report). Compound sides are joined by
``;`` ("JPN;KOR"), as PLOVER allows compound actors. For a visit the actor is the visiting
side and the recipient the host. Cancelled meetings and rejected or disputed agreements have
no PLOVER code and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from summarizer.events.model import Event

__all__ = ["plover_record", "plover_records"]


def _sides(event: Event) -> tuple[list[str], list[str]]:
    actors = list(event.actors)
    if (
        event.plover is not None
        and event.plover.mode == "visit"
        and event.host in actors
        and len(actors) == 2
    ):
        visitor = next(a for a in actors if a != event.host)
        return [visitor], [str(event.host)]
    return actors[:1], actors[1:]


def _sector(codes: list[str], event: Event) -> str | None:
    sectors = []
    for m in event.members:
        for code in codes:
            if code in m.record.sectors:
                sectors.append(m.record.sectors[code])
    return ";".join(dict.fromkeys(sectors)) or None


def plover_record(event: Event) -> dict[str, Any] | None:
    """The PLOVER record of one event, or ``None`` when it has no PLOVER code."""
    if event.plover is None:
        return None
    actor, recipient = _sides(event)
    first = event.members[0].record
    quote = first.evidence[0].quote if first.evidence else ""
    place = event.place.model_dump(exclude_none=True) if event.place else {}
    return {
        "id": event.id,
        "date": event.date or (event.first_reported.isoformat() if event.first_reported else None),
        "actor": ";".join(actor) or None,
        "actor_sector": _sector(actor, event),
        "recipient": ";".join(recipient) or None,
        "recipient_sector": _sector(recipient, event),
        "event": event.plover.event,
        "mode": event.plover.mode,
        "context": event.plover.context,
        "cameo": event.plover.cameo,
        "event_text": quote,
        "text": event.title,
        "location": place or None,
        "source_ids": [f"{m.record.article}#{m.record.record}" for m in event.members],
    }


def plover_records(events: Iterable[Event]) -> list[dict[str, Any]]:
    """PLOVER records of every coded event, in order."""
    return [r for e in events if (r := plover_record(e)) is not None]
