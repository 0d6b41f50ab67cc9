"""Hand-labelled gold files: the Pydantic model and the loader that validates them.

A typo in a gold file is an error, never a silent zero: unknown keys, bad enum
values, impossible dates, dangling meeting references and evidence quotes that
are not in the article all raise :class:`GoldError`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from summarizer.articles.documents import load_document
from summarizer.errors import GoldError
from summarizer.text.dates import validate_iso
from summarizer.text.grounding import locate
from summarizer.vocab import AgreementKind, AgreementStatus, Channel, MeetingStatus

__all__ = [
    "GoldAgreement",
    "GoldFile",
    "GoldLocation",
    "GoldMeeting",
    "GoldParticipant",
    "load_gold",
    "load_gold_dir",
    "skeleton",
]


def _names(value: Any) -> list[str]:
    """A party is a name or a list of accepted names (canonical first)."""
    if isinstance(value, str):
        return [value]
    return list(value)


def _iso(value: Any) -> Any:
    """YAML reads an unquoted 2013-11-02 as a date; accept it as text."""
    return value.isoformat() if isinstance(value, date) else value


Names = Annotated[list[str], BeforeValidator(_names)]
IsoText = Annotated[str, BeforeValidator(_iso)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldParticipant(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    title: str | None = None
    organization: str | None = None
    country: str | None = None

    @property
    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class GoldLocation(_Strict):
    venue: str | None = None
    city: str | None = None
    country: str | None = None


def _check_dates(values: list[str | None]) -> None:
    for value in values:
        if value is not None:
            validate_iso(value)


class GoldMeeting(_Strict):
    id: str = Field(pattern=r"^m\d+$")
    title: str = Field(min_length=1)
    title_alternatives: list[str] = []
    status: MeetingStatus
    status_alternatives: list[MeetingStatus] = []
    channel: Channel
    channel_alternatives: list[Channel] = []
    date: IsoText | None = None
    date_alternatives: list[IsoText] = []
    end_date: IsoText | None = None
    location: GoldLocation | None = None
    location_alternatives: list[GoldLocation] = []
    participants: list[GoldParticipant] = []
    parties: list[Names] = []
    topics: list[str] = []
    evidence: list[str] = Field(min_length=1)
    optional: bool = False
    note: str | None = None
    event: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]+$", description="the real event across articles (evals/events)"
    )

    @model_validator(mode="after")
    def _dates(self) -> GoldMeeting:
        _check_dates([self.date, self.end_date, *self.date_alternatives])
        return self

    @property
    def dates(self) -> list[str | None]:
        return [self.date, *self.date_alternatives]


class GoldAgreement(_Strict):
    id: str = Field(pattern=r"^a\d+$")
    summary: str = Field(min_length=1)
    kind: AgreementKind
    kind_alternatives: list[AgreementKind] = []
    status: AgreementStatus
    status_alternatives: list[AgreementStatus] = []
    parties: list[Names] = []
    signatories: list[GoldParticipant] = []
    commitments: list[str] = []
    date: IsoText | None = None
    date_alternatives: list[IsoText] = []
    meeting: str | None = None
    evidence: list[str] = Field(min_length=1)
    optional: bool = False
    note: str | None = None
    event: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]+$", description="the real event across articles (evals/events)"
    )

    @model_validator(mode="after")
    def _dates(self) -> GoldAgreement:
        _check_dates([self.date, *self.date_alternatives])
        return self

    @property
    def dates(self) -> list[str | None]:
        return [self.date, *self.date_alternatives]


class GoldFile(_Strict):
    article: str = Field(min_length=1)
    published: IsoText | None = None
    meetings: list[GoldMeeting] = []
    agreements: list[GoldAgreement] = []
    notes: str | None = None
    language: str = Field("en", pattern=r"^[a-z]{2,3}$", description="ISO 639-1 code of the article text")
    tags: list[Literal["hard_negative", "business", "labour", "diplomacy", "defense", "trade"]] = []

    @field_validator("published")
    @classmethod
    def _published(cls, value: str | None) -> str | None:
        return None if value is None else validate_iso(value)

    @model_validator(mode="after")
    def _references(self) -> GoldFile:
        meeting_ids = [m.id for m in self.meetings]
        agreement_ids = [a.id for a in self.agreements]
        for ids in (meeting_ids, agreement_ids):
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate ids: {ids}")
        for agreement in self.agreements:
            if agreement.meeting is not None and agreement.meeting not in meeting_ids:
                raise ValueError(f"{agreement.id}.meeting refers to unknown meeting {agreement.meeting!r}")
        return self


def load_gold(path: str | Path, articles_dir: str | Path | None = None) -> GoldFile:
    """Load and validate one gold file; its evidence must be found in its article."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        gold = GoldFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise GoldError(f"{path}: {where}: {first['msg']} ({exc.error_count()} error(s))") from None
    article = Path(articles_dir or path.parent.parent / "articles") / gold.article
    try:
        text = load_document(article).text
    except Exception as exc:
        raise GoldError(f"{path}: article {gold.article!r} cannot be loaded: {exc}") from None
    items: list[GoldMeeting | GoldAgreement] = [*gold.meetings, *gold.agreements]
    for item in items:
        for quote in item.evidence:
            if locate(quote, text, fuzzy=False) is None:
                raise GoldError(f"{path}: {item.id}: evidence quote not in article: {quote[:60]!r}")
    return gold


def load_gold_dir(directory: str | Path, articles_dir: str | Path | None = None) -> dict[str, GoldFile]:
    """All ``*.yaml`` gold files of a directory, keyed by article file name."""
    directory = Path(directory)
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise GoldError(f"{directory}: no gold files (*.yaml)")
    out: dict[str, GoldFile] = {}
    for file in files:
        gold = load_gold(file, articles_dir)
        out[gold.article] = gold
    return out


def skeleton(article_name: str, published: str | None) -> str:
    """An empty, valid gold file for an article, as YAML text."""
    body = GoldFile(article=article_name, published=published).model_dump(mode="json", exclude_none=True)
    header = "# Gold labels: see docs/labeling.md. Fill meetings and agreements by reading the article.\n"
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
