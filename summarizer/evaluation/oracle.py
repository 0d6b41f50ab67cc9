"""The oracle: answers built from the gold files, the best a model could say.

``summarizer eval --oracle`` replays these answers through the whole pipeline (plans,
validation, grounding, normalisation, merging, rules). What it loses against the gold is
what our own code loses; it stands in for a strong model we cannot call here. Each gold
record is given once, in the call about the chunk (and, per sentence, the sentence) that
holds its first evidence quote, with its gold fields as a model would write them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from summarizer.articles.sentences import Sentence
from summarizer.evaluation.gold import GoldAgreement, GoldFile, GoldMeeting, GoldParticipant
from summarizer.passes.drafts import (
    AgreementsInSentence,
    MeetingPass,
    MeetingsInSentence,
    Triage,
)
from summarizer.text.grounding import locate

__all__ = ["OracleModel", "oracle_answer"]


def _sentence(item: GoldMeeting | GoldAgreement, sentences: Sequence[Sentence], text: str) -> int | None:
    """The 1-based number, among ``sentences``, of the sentence holding the item's first quote."""
    for quote in item.evidence:
        span = locate(quote, text)
        if span is None:
            continue
        for n, s in enumerate(sentences, 1):
            if s.start <= span.start < s.end:
                return n
        return None  # located, but in another chunk
    return None


def _person(p: GoldParticipant) -> dict[str, Any]:
    return {"name": p.name, "title": p.title, "represents": p.country or p.organization}


def _meeting(g: GoldMeeting, n: int) -> dict[str, Any]:
    loc = g.location
    return {
        "sentence": n,
        "reality": "stated",
        "title": g.title,
        "status": g.status.value,
        "channel": g.channel.value,
        "date": g.date,
        "venue": loc.venue if loc else None,
        "city": loc.city if loc else None,
        "country": loc.country if loc else None,
        "participants": [_person(p) for p in g.participants],
        "parties": [names[0] for names in g.parties],
        "topics": list(g.topics),
    }


def _agreement(g: GoldAgreement, n: int) -> dict[str, Any]:
    return {
        "sentence": n,
        "reality": "stated",
        "summary": g.summary,
        "kind": g.kind.value,
        "status": g.status.value,
        "parties": [names[0] for names in g.parties],
        "signatories": [p.name for p in g.signatories],
        "commitments": list(g.commitments),
        "date": g.date,
    }


def oracle_answer(model: type[BaseModel], context: Mapping[str, Any], gold: GoldFile) -> BaseModel:
    """The answer to one call (``model``, with the call's validation ``context``) from ``gold``."""
    sentences: Sequence[Sentence] = context["sentences"]
    text: str = context["text"]
    focus: tuple[int, ...] = tuple(context.get("focus") or ())
    meetings: list[tuple[GoldMeeting, int]] = []
    for m in gold.meetings:
        if (n := _sentence(m, sentences, text)) is not None:
            meetings.append((m, n))
    agreements: list[tuple[GoldAgreement, int]] = []
    for a in gold.agreements:
        if (n := _sentence(a, sentences, text)) is not None:
            agreements.append((a, n))
    summary = gold.notes.split(".")[0] if gold.notes else ""
    ctx = dict(context)
    if model is Triage:
        data: dict[str, Any] = {
            "summary": summary,
            "meeting_sentences": sorted({n for _, n in meetings}),
            "agreement_sentences": sorted({n for _, n in agreements}),
        }
    elif model is MeetingPass:
        data = {"summary": summary, "meetings": [_meeting(m, n) for m, n in meetings]}
    elif model is MeetingsInSentence:
        data = {"meetings": [_meeting(m, n) for m, n in meetings if n in focus]}
    elif model is AgreementsInSentence:
        data = {"agreements": [_agreement(a, n) for a, n in agreements if n in focus]}
    else:
        data = {"agreements": [_agreement(a, n) for a, n in agreements]}
    return _validate(model, data, ctx)


def _validate(model: type[BaseModel], data: dict[str, Any], context: dict[str, Any]) -> BaseModel:
    """Validate as the pipeline validates a model's answer; a record our validators reject is
    left out (that loss is ours, and the score shows it)."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError:
        key = next((k for k in ("meetings", "agreements") if k in data), None)
        if key is None:
            raise
        kept = []
        for item in data[key]:
            try:
                model.model_validate({**data, key: [item]}, context=context)
                kept.append(item)
            except ValidationError:
                continue
        return model.model_validate({**data, key: kept}, context=context)


class OracleModel:
    """Stands in for the pipeline's model client: answers from the gold file of the article."""

    def __init__(self, golds: Mapping[str, GoldFile]) -> None:
        self._golds = dict(golds)  # article text → its gold file

    def _gold(self, context: Mapping[str, Any]) -> GoldFile:
        gold = self._golds.get(context["text"])
        if gold is None:
            raise KeyError("the oracle has no gold file for this article")
        return gold

    def extract(
        self, model: type[BaseModel], messages: Any, context: Mapping[str, Any], tools: Any
    ) -> BaseModel:
        return oracle_answer(model, context, self._gold(context))

    def check(self, messages: Any) -> float:
        """The best model keeps every gold record: its sentence passes the check."""
        return 1.0

    async def acheck(self, messages: Any) -> float:
        return 1.0

    async def aextract(
        self, model: type[BaseModel], messages: Any, context: Mapping[str, Any], tools: Any
    ) -> BaseModel:
        return oracle_answer(model, context, self._gold(context))
