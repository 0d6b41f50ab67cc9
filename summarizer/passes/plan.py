"""The plan of passes for one article: chunks × passes, with their messages.

A pass with no candidate sentence in its chunk gets no messages: nothing is asked,
and :func:`empty_answer` stands in for the model's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from summarizer.articles.chunking import Chunk, chunk_budget, chunk_sentences
from summarizer.articles.documents import Document
from summarizer.articles.sentences import (
    AGREEMENT_CUES,
    MEETING_CUES,
    Sentence,
    split_sentences,
    unique_sentences,
)
from summarizer.passes.drafts import PASSES, AgreementPass, MeetingPass
from summarizer.passes.prompts import build_messages
from summarizer.settings import Settings

__all__ = ["CUES", "PassPlan", "empty_answer", "plan_passes"]


@dataclass
class PassPlan:
    """One extraction pass over one article."""

    name: str
    model: type[BaseModel]
    sentences: list[Sentence]
    messages: list[dict[str, str]] | None
    context: dict[str, Any]
    hashes: dict[str, str] = field(default_factory=dict)
    chunk: int = 0
    first: int = 0  # index of sentences[0] in the article's sentence list
    article: list[Sentence] = field(default_factory=list)  # all of the article's sentences (shared)

    @property
    def key(self) -> str:
        """Identifies this plan's answer among one article's plans ("meetings", "meetings#2", …)."""
        return self.name if self.chunk == 0 else f"{self.name}#{self.chunk + 1}"


CUES = {"meetings": MEETING_CUES, "agreements": AGREEMENT_CUES}


def empty_answer(plan: PassPlan, doc: Document) -> BaseModel:
    """No candidate sentence: nothing to ask the model. The summary falls back to the lead."""
    if plan.model is MeetingPass:
        lead = " ".join(s.text for s in split_sentences(doc.text)[:2])
        return MeetingPass(summary=lead, meetings=[])
    return AgreementPass(agreements=[])


def plan_passes(doc: Document, settings: Settings) -> list[PassPlan]:
    """The passes for one article, per chunk: candidate sentences and messages (none when no candidate)."""
    sentences = unique_sentences(split_sentences(doc.text))
    budget = chunk_budget(settings.chunk_tokens, settings.resolved_context_window(), settings.max_tokens)
    chunks = chunk_sentences(sentences, budget, overlap=settings.chunk_overlap, text=doc.text)
    plans = []
    for chunk in chunks or [Chunk(0, 0, (), 0)]:
        part = list(chunk.sentences)
        for name, model in PASSES.items():
            messages: list[dict[str, str]] | None = None
            hashes: dict[str, str] = {}
            if any(CUES[name].search(s.text) for s in part):  # a candidate sentence
                messages, hashes = build_messages(
                    name, [s.text for s in part], doc.published, settings.prompts_dir
                )
            context = {"text": doc.text, "published": doc.published, "sentences": part}
            plans.append(
                PassPlan(name, model, part, messages, context, hashes, chunk.index, chunk.first, sentences)
            )
    return plans
