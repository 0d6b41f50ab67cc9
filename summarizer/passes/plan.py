"""The plan of model calls for one article, per chunk, by strategy (``Settings.strategy``).

- ``passes``: two whole-article passes (meetings, agreements), always asked.
- ``triage``: first a cheap question (which numbered sentences state a meeting or an
  agreement, plus the summary), then the two passes only where the triage found something.
- ``per_sentence``: the same triage, then one small question per flagged sentence.

Every call of one article starts with the same system prompt and numbered article, so a
server with prompt caching evaluates that prefix once. Nothing here depends on the
article's language: the model decides what is a meeting or an agreement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from summarizer.articles.chunking import Chunk, chunk_budget, chunk_sentences
from summarizer.articles.documents import Document
from summarizer.articles.sentences import Sentence, split_sentences, unique_sentences
from summarizer.passes.drafts import (
    AgreementPass,
    AgreementsInSentence,
    MeetingPass,
    MeetingsInSentence,
    Triage,
)
from summarizer.passes.prompts import build_messages
from summarizer.passes.screen import PLACEHOLDER, hostile_sentences
from summarizer.settings import Settings, Strategy

__all__ = ["TOOLS", "PassPlan", "follow_up", "plan_passes"]

# The tools each strategy sends with every call (the same list each time: a shared prefix).
TOOLS: dict[Strategy, list[type[BaseModel]]] = {
    "passes": [MeetingPass, AgreementPass],
    "triage": [Triage, MeetingPass, AgreementPass],
    "per_sentence": [Triage, MeetingsInSentence, AgreementsInSentence],
}


@dataclass
class PassPlan:
    """One model call over one chunk of an article."""

    name: str
    model: type[BaseModel]
    sentences: list[Sentence]
    messages: list[dict[str, str]]
    context: dict[str, Any]
    hashes: dict[str, str] = field(default_factory=dict)
    chunk: int = 0
    first: int = 0  # index of sentences[0] in the article's sentence list
    article: list[Sentence] = field(default_factory=list)  # all of the article's sentences (shared)
    focus: tuple[int, ...] = ()  # the chunk's sentence numbers this call asks about (follow-ups)

    @property
    def single(self) -> bool:
        """A per-sentence call: its records are about ``focus[0]``, whatever number the model wrote."""
        return self.model in _SINGLE and len(self.focus) == 1

    @property
    def key(self) -> str:
        """Identifies this plan's answer among one article's plans ("meetings", "meeting@3#2", …)."""
        name = self.name + "".join(f"@{n}" for n in self.focus) if self.single else self.name
        return name if self.chunk == 0 else f"{name}#{self.chunk + 1}"


_SINGLE = (MeetingsInSentence, AgreementsInSentence)


def _chunks(doc: Document, settings: Settings) -> tuple[list[Sentence], list[Chunk]]:
    sentences = unique_sentences(split_sentences(doc.text))
    budget = chunk_budget(settings.chunk_tokens, settings.resolved_context_window(), settings.max_tokens)
    chunks = chunk_sentences(sentences, budget, overlap=settings.chunk_overlap, text=doc.text)
    return sentences, chunks


def _plan(
    name: str,
    model: type[BaseModel],
    chunk: Chunk,
    doc: Document,
    settings: Settings,
    article: list[Sentence],
    focus: tuple[int, ...] = (),
) -> PassPlan:
    part = list(chunk.sentences)
    hostile = hostile_sentences(part, doc.text)
    shown = [PLACEHOLDER if i in hostile else s.text for i, s in enumerate(part)]
    messages, hashes = build_messages(name, shown, doc.published, settings.prompts_dir, focus=list(focus))
    context = {"text": doc.text, "published": doc.published, "sentences": part, "focus": focus}
    return PassPlan(name, model, part, messages, context, hashes, chunk.index, chunk.first, article, focus)


def plan_passes(doc: Document, settings: Settings) -> list[PassPlan]:
    """The first calls for one article, per chunk (``passes``: the two passes; else the triage)."""
    sentences, chunks = _chunks(doc, settings)
    plans: list[PassPlan] = []
    for chunk in chunks:
        if settings.strategy == "passes":
            plans.append(_plan("meetings", MeetingPass, chunk, doc, settings, sentences))
            plans.append(_plan("agreements", AgreementPass, chunk, doc, settings, sentences))
        else:
            plans.append(_plan("triage", Triage, chunk, doc, settings, sentences))
    return plans


def follow_up(
    doc: Document, settings: Settings, plans: list[PassPlan], answers: Mapping[str, BaseModel]
) -> list[PassPlan]:
    """The calls the triage answers ask for: none for ``passes``, or where nothing was flagged."""
    out: list[PassPlan] = []
    if settings.strategy == "passes":
        return out
    _, chunks = _chunks(doc, settings)
    by_index = {c.index: c for c in chunks}
    for plan in plans:
        triage = answers.get(plan.key)
        if not isinstance(triage, Triage):
            continue
        chunk = by_index[plan.chunk]
        found = {"meeting": tuple(triage.meeting_sentences), "agreement": tuple(triage.agreement_sentences)}
        if settings.strategy == "triage":
            if found["meeting"]:
                out.append(
                    _plan("meetings", MeetingPass, chunk, doc, settings, plan.article, found["meeting"])
                )
            if found["agreement"]:
                out.append(
                    _plan("agreements", AgreementPass, chunk, doc, settings, plan.article, found["agreement"])
                )
            continue
        for kind, model in (("meeting", MeetingsInSentence), ("agreement", AgreementsInSentence)):
            for number in found[kind]:
                out.append(_plan(kind, model, chunk, doc, settings, plan.article, (number,)))
    return out
