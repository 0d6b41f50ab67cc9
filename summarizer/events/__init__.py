"""Events across articles: the same meeting or agreement reported by many sources, resolved into
one event with its sources, status history and conflicts, and coded in PLOVER / CAMEO."""

from summarizer.events.coding import Actor, Coding, actor, code_agreement, code_meeting
from summarizer.events.model import Conflict, Event, Member, Place, Plover, SourceRecord, StatusChange
from summarizer.events.plover import plover_records
from summarizer.events.records import source_records
from summarizer.events.resolve import Resolver, resolve
from summarizer.events.store import read_events, write_events

__all__ = [
    "Actor",
    "Coding",
    "Conflict",
    "Event",
    "Member",
    "Place",
    "Plover",
    "Resolver",
    "SourceRecord",
    "StatusChange",
    "actor",
    "code_agreement",
    "code_meeting",
    "plover_records",
    "read_events",
    "resolve",
    "source_records",
    "write_events",
]
