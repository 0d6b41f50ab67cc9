"""What the model fills in: lean response models, one per pass.

The model points at a numbered candidate sentence (its evidence) and copies spans
(a date phrase, place words, names); validators with the article and the
candidates in the validation context reject what cannot be grounded, so
instructor re-asks with the reason. :mod:`summarizer.records` turns drafts into
output records.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from summarizer.text.dates import ISO_PARTIAL, validate_iso
from summarizer.text.names import canonical_country, canonical_party

__all__ = [
    "PASSES",
    "REAL",
    "AgreementDraft",
    "AgreementPass",
    "AgreementsInSentence",
    "MeetingDraft",
    "MeetingPass",
    "MeetingsInSentence",
    "PersonDraft",
    "Triage",
    "salvage",
]

# What the sentence says of the event: it happened (or is planned, postponed, cancelled), it is
# denied ("have not signed", "refused to meet", "failed to agree"), it is only a condition or
# a possibility ("if they meet", "could sign"), or the sentence states no such event at all
# (a football match, one side's pledge). Only "stated" events become records.
Reality = Literal["stated", "denied", "hypothetical", "none"]
REAL: tuple[str, ...] = ("stated",)


def _check_sentence(number: int, info: ValidationInfo) -> int:
    sentences = (info.context or {}).get("sentences")
    if sentences is not None and not 1 <= number <= len(sentences):
        raise ValueError(
            f"sentence {number} does not exist: use the number of a listed sentence (1 to {len(sentences)})"
        )
    return number


def sentence_text(number: int, info: ValidationInfo) -> str | None:
    sentences = (info.context or {}).get("sentences")
    if sentences is None or not 1 <= number <= len(sentences):
        return None
    return str(sentences[number - 1].text)


def _check_date(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", value.strip()) or ISO_PARTIAL.match(value.strip()):
        validate_iso(value.strip())  # malformed or impossible ISO dates are re-asked
    return value


class _Grounded(BaseModel):
    """Validators shared by the drafts: the evidence sentence exists; ISO-shaped dates are real.
    ``origin`` (not shown to the model) names the call that gave the draft ("model:meeting")."""

    _origin: str = PrivateAttr("model")

    @property
    def origin(self) -> str:
        return self._origin

    def from_call(self, origin: str, **update: Any) -> Any:
        """A copy with ``update`` applied and ``origin`` set."""
        copy = self.model_copy(update=update)
        copy._origin = origin
        return copy

    @field_validator("sentence", check_fields=False)
    @classmethod
    def _sentence(cls, value: int, info: ValidationInfo) -> int:
        return _check_sentence(value, info)

    @field_validator("date", check_fields=False)
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        return _check_date(value)


class PersonDraft(BaseModel):
    name: str = Field(description="full name as written")
    title: str | None = Field(None, description="role, e.g. Foreign Minister")
    represents: str | None = Field(None, description="country or organisation")


class MeetingDraft(_Grounded):
    sentence: int = Field(description="number of the sentence that states the meeting")
    reality: Reality = Field(
        "stated",
        description="stated; denied (did not meet, refused, ruled out); hypothetical (if, could); none",
    )
    title: str = Field(description="short name of the meeting, e.g. Biden-Xi talks in Bali")
    status: Literal["held", "planned", "postponed", "cancelled"]
    channel: Literal["in_person", "phone", "video"] = "in_person"
    date: str | None = Field(None, description="date words copied from the article")
    venue: str | None = None
    city: str | None = None
    country: str | None = None
    participants: list[PersonDraft] = []
    parties: list[str] = Field([], description="countries or organisations")
    topics: list[str] = Field([], description="short noun phrases")


class AgreementDraft(_Grounded):
    sentence: int = Field(description="number of the sentence that states the agreement")
    reality: Reality = Field(
        "stated", description="stated; denied (not signed, failed to agree); hypothetical (if, could); none"
    )
    summary: str = Field(description="one sentence: what was agreed")
    kind: Literal["treaty", "memorandum", "contract", "joint_statement", "verbal", "proposal", "other"]
    status: Literal[
        "agreed", "signed", "in_force", "proposed", "under_negotiation", "disputed", "extended", "rejected"
    ]
    parties: list[str] = Field(description="every side bound by it")
    signatories: list[str] = Field([], description="named people who signed")
    commitments: list[str] = Field([], description="concrete actions, short")
    date: str | None = Field(None, description="date words copied from the article")

    @model_validator(mode="after")
    def _sides(self, info: ValidationInfo) -> AgreementDraft:
        parties = {canonical_party(p) for p in self.parties if p.strip()}
        if not parties:
            raise ValueError("an agreement needs its parties: list every side named in the article")
        quote = sentence_text(self.sentence, info)
        if len(parties) == 1 and quote is not None:
            others = _other_countries(quote, parties)
            if others:
                raise ValueError(
                    f"sentence {self.sentence} also names {', '.join(sorted(others))}: "
                    "list every side bound by the agreement"
                )
        return self


_CAPITALISED = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]\.[A-Z]\.?)(?:\s+[A-Z][a-z]+)*")


def _other_countries(quote: str, parties: set[str]) -> set[str]:
    """Countries a quote names besides ``parties``: an agreement names both sides."""
    found: set[str] = set()
    for match in _CAPITALISED.finditer(quote):
        country = canonical_country(match.group(0))
        if country is not None and country not in parties:
            found.add(country)
    return found


class MeetingPass(BaseModel):
    """Summary and meetings of the article."""

    summary: str = Field(description="2-3 neutral sentences")
    meetings: list[MeetingDraft]


class AgreementPass(BaseModel):
    """Agreements of the article."""

    agreements: list[AgreementDraft]


class Triage(BaseModel):
    """Which numbered sentences state a meeting or an agreement (the first, cheap question)."""

    summary: str = Field(description="2-3 neutral sentences")
    meeting_sentences: list[int] = Field(description="numbers of sentences that state a meeting")
    agreement_sentences: list[int] = Field(description="numbers of sentences that state an agreement")

    @field_validator("meeting_sentences", "agreement_sentences")
    @classmethod
    def _numbers(cls, value: list[int], info: ValidationInfo) -> list[int]:
        sentences = (info.context or {}).get("sentences")
        n = len(sentences) if sentences is not None else None
        return sorted({v for v in value if n is None or 1 <= v <= n})  # a stray number is dropped


# The per-sentence answers hold at least one record in the schema (and so in a server's grammar):
# a small model otherwise answers [] at once; "reality": "none" is how it says there is none.
_AT_LEAST_ONE: dict[str, Any] = {"minItems": 1}


class MeetingsInSentence(BaseModel):
    """The meetings one sentence states (reality "none" when it states none)."""

    meetings: list[MeetingDraft] = Field(json_schema_extra=_AT_LEAST_ONE)


class AgreementsInSentence(BaseModel):
    """The agreements one sentence states (reality "none" when it states none)."""

    agreements: list[AgreementDraft] = Field(json_schema_extra=_AT_LEAST_ONE)


PASSES: dict[str, type[BaseModel]] = {
    "triage": Triage,
    "meetings": MeetingPass,
    "agreements": AgreementPass,
    "meeting": MeetingsInSentence,
    "agreement": AgreementsInSentence,
}


def _parse_json(raw: str | None) -> Any:
    if not raw:
        return None
    fenced = re.search(r"```(?:json)?\s*(.*?)```", raw, re.S)
    try:
        return json.loads(fenced.group(1) if fenced else raw)
    except json.JSONDecodeError:
        return None


def salvage(model: type[BaseModel], raw: str | None, context: dict[str, Any]) -> BaseModel:
    """Validate each record of a failed answer on its own; keep the ones that pass."""
    data = _parse_json(raw)
    data = data if isinstance(data, dict) else {}
    summary = data.get("summary") if isinstance(data.get("summary"), str) else ""
    if model is Triage:
        numbers = {
            key: [n for n in data.get(key) or [] if isinstance(n, int)]
            if isinstance(data.get(key), list)
            else []
            for key in ("meeting_sentences", "agreement_sentences")
        }
        return Triage.model_validate({"summary": summary, **numbers}, context=context)
    if model is MeetingPass:
        return MeetingPass(summary=summary, meetings=_valid(MeetingDraft, data.get("meetings"), context))
    if model is MeetingsInSentence:
        return MeetingsInSentence(meetings=_valid(MeetingDraft, data.get("meetings"), context))
    if model is AgreementsInSentence:
        return AgreementsInSentence(agreements=_valid(AgreementDraft, data.get("agreements"), context))
    return AgreementPass(agreements=_valid(AgreementDraft, data.get("agreements"), context))


def _valid(item_model: type[BaseModel], items: Any, context: dict[str, Any]) -> list[Any]:
    kept = []
    for item in items if isinstance(items, list) else []:
        try:
            kept.append(item_model.model_validate(item, context=context))
        except ValidationError:
            continue
    return kept
