"""The output contract (v1): ``ArticleSummary`` and the records it holds.

Validators enforce the rules of docs/labeling.md. When validated with a context
``{"text": article_text}``, every evidence quote must be found in the text and its
offsets must point at it.

The display hooks of :class:`ArticleSummary` (``_repr_html_``, ``_repr_markdown_``,
``to_dataframe``) are views registered with :func:`register_view`. This module imports no
view: the first time a hook finds its view missing, it imports the plugin module named by
:data:`VIEW_PLUGIN` (``summarizer.views.notebook``) by name, which registers them. So the
hooks work after ``import summarizer.schemas`` alone and with the lazily imported package.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from summarizer.text.dates import validate_iso
from summarizer.text.grounding import locate
from summarizer.text.names import name_key
from summarizer.vocab import AgreementKind, AgreementStatus, Channel, MatchKind, MeetingStatus

__all__ = [
    "SCHEMA_VERSION",
    "VIEW_PLUGIN",
    "Agreement",
    "ArticleSummary",
    "Commitment",
    "Evidence",
    "Location",
    "Meeting",
    "Participant",
    "Provenance",
    "Source",
    "Usage",
    "register_view",
    "schema_hash",
]

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


IsoDate = Annotated[str, AfterValidator(validate_iso)]


class Evidence(_Model):
    """An exact quote from the article and where it is."""

    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    match: MatchKind = MatchKind.exact

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Evidence:
        if self.end < self.start:
            raise ValueError("evidence end is before start")
        text = (info.context or {}).get("text") if info.context else None
        if text is not None:
            span = locate(self.quote, text)
            if span is None:
                raise ValueError(f"evidence quote not found in the article: {self.quote[:80]!r}")
            if text[self.start : self.end] != text[span.start : span.end] and self.match == MatchKind.exact:
                raise ValueError(f"evidence offsets {self.start}:{self.end} do not point at the quote")
        return self


class Location(_Model):
    venue: str | None = None
    city: str | None = None
    country: str | None = None

    def is_empty(self) -> bool:
        return not (self.venue or self.city or self.country)


class Participant(_Model):
    name: str = Field(min_length=1)
    title: str | None = None
    organization: str | None = None
    country: str | None = None


def _no_duplicate_people(people: list[Participant]) -> list[Participant]:
    seen: set[str] = set()
    for person in people:
        key = name_key(person.name)
        if key in seen:
            raise ValueError(f"duplicate participant {person.name!r}")
        seen.add(key)
    return people


def _clean_names(values: list[str], what: str) -> list[str]:
    if any(not v.strip() for v in values):
        raise ValueError(f"empty {what} name")
    return values


class Meeting(_Model):
    id: str = Field(pattern=r"^m\d+$")
    title: str = Field(min_length=1)
    status: MeetingStatus
    channel: Channel = Channel.in_person
    date: IsoDate | None = None
    end_date: IsoDate | None = None
    location: Location | None = None
    participants: list[Participant] = []
    parties: list[str] = []
    topics: list[str] = []
    evidence: list[Evidence] = Field(min_length=1)
    origin: str = Field("model", description="what made the record: 'model:<pass>' or 'rule:<name>'")
    changed_by: list[str] = Field([], description="rules that changed or merged its fields ('rule:<name>')")

    @field_validator("participants")
    @classmethod
    def _participants(cls, value: list[Participant]) -> list[Participant]:
        return _no_duplicate_people(value)

    @field_validator("parties")
    @classmethod
    def _parties(cls, value: list[str]) -> list[str]:
        return _clean_names(value, "party")

    @model_validator(mode="after")
    def _range(self) -> Meeting:
        if self.end_date is not None and (self.date is None or self.end_date < self.date):
            raise ValueError("end_date needs a date on or before it")
        return self


class Commitment(_Model):
    action: str = Field(min_length=1)
    actor: str | None = None
    deadline: str | None = None


class Agreement(_Model):
    id: str = Field(pattern=r"^a\d+$")
    summary: str = Field(min_length=1)
    kind: AgreementKind = AgreementKind.other
    status: AgreementStatus
    parties: list[str] = Field(min_length=1)
    signatories: list[Participant] = []
    commitments: list[Commitment] = []
    date: IsoDate | None = None
    meeting_id: str | None = None
    evidence: list[Evidence] = Field(min_length=1)
    origin: str = Field("model", description="what made the record: 'model:<pass>' or 'rule:<name>'")
    changed_by: list[str] = Field([], description="rules that changed or merged its fields ('rule:<name>')")

    @field_validator("parties")
    @classmethod
    def _parties(cls, value: list[str]) -> list[str]:
        return _clean_names(value, "party")

    @field_validator("signatories")
    @classmethod
    def _signatories(cls, value: list[Participant]) -> list[Participant]:
        return _no_duplicate_people(value)


class Source(_Model):
    id: str | None = None
    title: str | None = None
    published: date | None = None
    url: str | None = None
    content_hash: str | None = None


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def add(self, other: Usage | dict[str, Any] | None) -> Usage:
        if other is None:
            return self
        data = other.model_dump() if isinstance(other, Usage) else other
        return Usage(
            prompt_tokens=self.prompt_tokens + int(data.get("prompt_tokens") or 0),
            completion_tokens=self.completion_tokens + int(data.get("completion_tokens") or 0),
            total_tokens=self.total_tokens + int(data.get("total_tokens") or 0),
        )


class Provenance(_Model):
    model: str
    prompts: dict[str, str] = {}
    schema_version: str = SCHEMA_VERSION
    schema_hash: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    usage: Usage = Usage()
    attempts: int = 0
    cost_usd: float | None = None
    cached: bool = False
    warnings: list[str] = []


class ArticleSummary(_Model):
    """Everything extracted from one article."""

    summary: str = ""
    meetings: list[Meeting] = []
    agreements: list[Agreement] = []
    source: Source = Source()
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _ids(self) -> ArticleSummary:
        meeting_ids = [m.id for m in self.meetings]
        if len(set(meeting_ids)) != len(meeting_ids):
            raise ValueError(f"duplicate meeting ids: {meeting_ids}")
        agreement_ids = [a.id for a in self.agreements]
        if len(set(agreement_ids)) != len(agreement_ids):
            raise ValueError(f"duplicate agreement ids: {agreement_ids}")
        for agreement in self.agreements:
            if agreement.meeting_id is not None and agreement.meeting_id not in meeting_ids:
                raise ValueError(f"{agreement.id}.meeting_id {agreement.meeting_id!r} names no meeting")
        return self

    # Display and frames are views (summarizer.views.notebook registers them); the contract
    # imports no view module: see _view for how the plugin is found at first use.
    def _repr_html_(self) -> str:
        return str(_view("html")(self))

    def _repr_markdown_(self) -> str:
        return str(_view("markdown")(self))

    def to_dataframe(self, kind: str = "meetings") -> Any:
        """One row per meeting, agreement or participant (a pandas DataFrame; needs pandas)."""
        return _view("dataframe")(self, kind)


_VIEWS: dict[str, Callable[..., Any]] = {}
VIEW_PLUGIN = "summarizer.views.notebook"  # imported by name the first time a view is missing


def register_view(name: str, view: Callable[..., Any]) -> None:
    """Plug a view of :class:`ArticleSummary` in: ``html``, ``markdown`` or ``dataframe``."""
    _VIEWS[name] = view


def _view(name: str) -> Callable[..., Any]:
    """The registered view ``name``.

    When none is registered yet, the plugin module :data:`VIEW_PLUGIN` is imported by name
    (``importlib``, not an ``import`` statement: the contract stays below the views floor, and
    ``import summarizer`` stays cheap); it registers the built-in views at import. A view
    registered before that first use is kept, not replaced by the built-in one.
    """
    if name not in _VIEWS:
        mine = dict(_VIEWS)
        importlib.import_module(VIEW_PLUGIN)
        _VIEWS.update(mine)
    try:
        return _VIEWS[name]
    except KeyError:
        raise RuntimeError(f"no {name!r} view registered (plugin {VIEW_PLUGIN} registers none)") from None


@lru_cache(maxsize=1)
def schema_hash() -> str:
    """Content hash of the output JSON Schema; changes whenever the contract does."""
    schema = json.dumps(ArticleSummary.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode()).hexdigest()[:12]
