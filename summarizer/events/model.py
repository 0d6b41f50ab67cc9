"""What event resolution reads and writes: source records, events, their history and conflicts.

A :class:`SourceRecord` is one meeting or agreement of one article, flattened with the fields
resolution compares (parties as actor codes, participants as name keys, the resolved date)
and its PLOVER coding. An :class:`Event` is a cluster of source records that refer to the same
real encounter or agreement, with canonical fields, the status history, and the conflicts
between its sources; each member says why it joined. ``events.jsonl`` holds one event per line
(:func:`.store.write_events`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Conflict", "Event", "Member", "Place", "Plover", "SourceRecord", "StatusChange"]

Kind = Literal["meeting", "agreement"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Place(_Model):
    venue: str | None = None
    city: str | None = None
    country: str | None = None


class Plover(_Model):
    """PLOVER type, mode and context, CAMEO code, and the reason the code chose them."""

    event: str
    mode: str | None = None
    context: str | None = None
    cameo: str
    reason: str


class Quote(_Model):
    quote: str
    start: int
    end: int


class SourceRecord(_Model):
    """One record of one article, as resolution compares it."""

    kind: Kind
    article: str
    record: str  # the record's id in its article: m1, a2, ...
    published: dt.date | None = None
    url: str | None = None
    title: str  # a meeting's title, an agreement's summary
    status: str
    channel: str | None = None  # meetings
    agreement_kind: str | None = None  # agreements
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    end_date: str | None = None
    place: Place | None = None
    parties: list[str] = []  # as the record names them (canonical form)
    actors: list[str] = []  # ISO alpha-3 codes for countries, else canonical names
    sectors: dict[str, str] = {}  # actor → GOV, MIL, BUS, LAB, IGO
    people: list[str] = []  # participants or signatories, as named
    host: str | None = None
    evidence: list[Quote] = []
    plover: Plover | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.article, self.record)


class Member(_Model):
    """A source record in an event, and why it is there."""

    record: SourceRecord
    reason: str  # "new event: ..." or "joined: ..."
    score: float = 0.0


class StatusChange(_Model):
    status: str
    reported: dt.date | None = None  # the first report of this status
    articles: list[str] = []


class Conflict(_Model):
    """Sources that disagree on a field: each value with the (article, record) pairs giving it."""

    field: Literal["date", "place", "parties", "status"]
    values: dict[str, list[str]]  # value → ["article#record", ...]


class Event(_Model):
    """One real meeting or agreement, reported by one or more source records."""

    id: str
    kind: Kind
    title: str
    status: str
    channel: str | None = None
    date: str | None = None
    place: Place | None = None
    actors: list[str] = []
    parties: list[str] = []
    people: list[str] = []
    host: str | None = None
    first_reported: dt.date | None = None
    last_reported: dt.date | None = None
    history: list[StatusChange] = []
    conflicts: list[Conflict] = []
    plover: Plover | None = None
    members: list[Member] = Field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({m.record.article for m in self.members})
