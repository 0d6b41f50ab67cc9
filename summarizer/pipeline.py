"""Article → ``ArticleSummary``: two passes (meetings, agreements), then tested code.

:class:`Summarizer` is the reusable entry point (notebooks, batch, eval); the
module-level :func:`summarize` / :func:`asummarize` are one-shot conveniences.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel

from summarizer.articles.documents import Document, load_document, parse_document
from summarizer.articles.sentences import split_sentences, unique_sentences
from summarizer.errors import ExtractionError
from summarizer.llm.connect import connect
from summarizer.llm.http import httpx
from summarizer.llm.pricing import estimate_cost
from summarizer.llm.transport import CallStats, track
from summarizer.passes.drafts import (
    AgreementDraft,
    AgreementPass,
    AgreementsInSentence,
    MeetingDraft,
    MeetingPass,
    MeetingsInSentence,
    Triage,
    salvage,
)
from summarizer.passes.plan import TOOLS, PassPlan, follow_up, plan_passes
from summarizer.records.build import agreement_records, link_meetings, meeting_records
from summarizer.schemas import ArticleSummary, Provenance, Source, Usage, schema_hash
from summarizer.settings import Settings

__all__ = ["Summarizer", "asummarize", "summarize"]


class Summarizer:
    """Extracts meetings and agreements; reuse one instance for many articles."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._connection = connect(
            settings or Settings(), transport=transport, async_transport=async_transport
        )
        self.settings = self._connection.settings
        self.llm = self._connection.llm

    def describe(self) -> dict[str, Any]:
        """Model, mode, server and cache this instance runs with (an eval run's provenance)."""
        s = self.settings
        model = s.model if s.local_model is None else f"local:{Path(s.local_model).name}"
        return {"model": model, "mode": s.mode, "base_url": s.base_url, "cache": s.cache}

    # -- inputs -------------------------------------------------------------------------
    def _document(self, article: str | Document, published: date | str | None, title: str | None) -> Document:
        if isinstance(article, Document):
            return article
        doc = parse_document(article, published=published, max_chars=self.settings.max_chars)
        return doc if title is None else Document(**{**doc.__dict__, "title": title})

    def load(self, path: str | Path, *, published: date | str | None = None) -> Document:
        return load_document(path, published=published, max_chars=self.settings.max_chars)

    # -- extraction ---------------------------------------------------------------------
    def plan(self, doc: Document) -> list[PassPlan]:
        """The first model calls for one article, per chunk (the follow-ups depend on their answers)."""
        return plan_passes(doc, self.settings)

    def summarize(
        self, article: str | Document, *, published: date | str | None = None, title: str | None = None
    ) -> ArticleSummary:
        """Extract from raw text (a corpus header is read if present) or a :class:`Document`."""
        doc = self._document(article, published, title)
        started = datetime.now(timezone.utc)
        tools = TOOLS[self.settings.strategy]
        with track() as stats:
            warnings: list[str] = []
            answers: dict[str, BaseModel] = {}
            plans = self.plan(doc)
            stage = plans
            while stage:
                for p in stage:
                    try:
                        answers[p.key] = self.llm.extract(p.model, p.messages, p.context, tools)
                    except ExtractionError as exc:
                        answers[p.key] = self.salvage(p, exc, warnings)
                stage = follow_up(doc, self.settings, stage, answers)
                plans = plans + stage
            return self.assemble(doc, plans, answers, stats, warnings, started)

    async def asummarize(
        self, article: str | Document, *, published: date | str | None = None, title: str | None = None
    ) -> ArticleSummary:
        """Async :meth:`summarize`: chunks run concurrently (in order for a local model), calls of
        one chunk in order (they share the prompt prefix)."""
        doc = self._document(article, published, title)
        started = datetime.now(timezone.utc)
        tools = TOOLS[self.settings.strategy]
        with track() as stats:
            warnings: list[str] = []
            answers: dict[str, BaseModel] = {}
            done: list[PassPlan] = []

            async def run(chunk: list[PassPlan]) -> None:
                stage = chunk
                while stage:
                    for p in stage:  # in order: each call reuses the previous one's prompt prefix
                        try:
                            answers[p.key] = await self.llm.aextract(p.model, p.messages, p.context, tools)
                        except ExtractionError as exc:
                            answers[p.key] = self.salvage(p, exc, warnings)
                    done.extend(stage)
                    stage = follow_up(doc, self.settings, stage, answers)

            plans = self.plan(doc)
            groups = [[p for p in plans if p.chunk == c] for c in sorted({p.chunk for p in plans})]
            if self.settings.local_model is not None:  # one llama.cpp slot: keep its prefix cache warm
                for group in groups:
                    await run(group)
            else:
                await asyncio.gather(*(run(group) for group in groups))
            done.sort(key=lambda p: p.chunk)  # stable: each chunk's calls stay in the order they ran
            return self.assemble(doc, done, answers, stats, warnings, started)

    def summarize_file(self, path: str | Path, *, published: date | str | None = None) -> ArticleSummary:
        return self.summarize(self.load(path, published=published))

    def salvage(self, plan: PassPlan, exc: ExtractionError, warnings: list[str]) -> BaseModel:
        """When re-asks run out: keep the records of the last answer that validate on their own."""
        if self.settings.on_invalid == "error":
            raise exc
        kept = salvage(plan.model, exc.last_output, plan.context)
        warnings.append(f"{plan.model.__name__}: {exc}; kept the records that validated")
        return kept

    def assemble(
        self,
        doc: Document,
        plans: list[PassPlan],
        answers: dict[str, BaseModel],
        stats: CallStats,
        warnings: list[str],
        started: datetime,
    ) -> ArticleSummary:
        """Answers (one per plan, by ``plan.key``) → the validated, grounded summary."""
        sentences = plans[0].article if plans else unique_sentences(split_sentences(doc.text))
        meeting_drafts: list[MeetingDraft] = []
        agreement_drafts: list[AgreementDraft] = []
        focus: list[int] = []  # article sentence numbers the triage flagged
        overview = ""
        for p in plans:  # chunk sentence numbers → article sentence numbers
            answer = answers[p.key]
            origin = f"model:{p.name}"
            if isinstance(answer, Triage):
                overview = overview or " ".join(answer.summary.split())
                focus += [n + p.first for n in answer.agreement_sentences]
            elif isinstance(answer, MeetingPass | MeetingsInSentence):
                if isinstance(answer, MeetingPass):
                    overview = overview or " ".join(answer.summary.split())
                meeting_drafts += [
                    d.from_call(origin, sentence=_number(p, d.sentence)) for d in answer.meetings
                ]
            elif isinstance(answer, AgreementPass | AgreementsInSentence):
                agreement_drafts += [
                    d.from_call(origin, sentence=_number(p, d.sentence)) for d in answer.agreements
                ]
        if not overview:
            overview = " ".join(s.text for s in sentences[:2])  # nothing asked: the lead
        hashes = {k: v for p in plans for k, v in p.hashes.items()}
        meetings = meeting_records(meeting_drafts, sentences, doc.text, doc.published, warnings)
        agreements = agreement_records(agreement_drafts, sentences, doc.text, doc.published, warnings, focus)
        agreements = link_meetings(agreements, meetings)
        usage = stats.usage()
        provenance = Provenance(
            model=self.settings.model,
            prompts=hashes,
            schema_hash=schema_hash(),
            started_at=started,
            finished_at=datetime.now(timezone.utc),
            usage=Usage(**usage),
            attempts=stats.requests + stats.cache_hits,
            cost_usd=estimate_cost(
                self.settings,
                usage,
                local=self.settings.local_model is not None,
                batch_usage=stats.batch_usage(),
            ),
            cached=stats.cache_hits > 0 and stats.requests == 0,
            warnings=warnings,
        )
        source = Source(
            id=doc.id,
            title=doc.title,
            published=doc.published,
            url=doc.meta.get("url") or None,  # JSONL "url", the page's URL, a corpus header's URL:
            content_hash=doc.content_hash,
        )
        summary = ArticleSummary(
            summary=overview,
            meetings=meetings,
            agreements=agreements,
            source=source,
            provenance=provenance,
        )
        # Re-validate the whole contract against the article (grounding, ids, dates).
        return ArticleSummary.model_validate(summary.model_dump(), context={"text": doc.text})

    # -- lifecycle ----------------------------------------------------------------------
    def close(self) -> None:
        self._connection.close()

    async def aclose(self) -> None:
        await self._connection.aclose()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


def _number(plan: PassPlan, sentence: int) -> int:
    """A draft's article sentence number: a per-sentence call is about its sentence, whatever
    number the model wrote; otherwise the chunk's number, shifted to the article's."""
    return (plan.focus[0] if plan.single else sentence) + plan.first


def summarize(
    text: str, *, published: date | str | None = None, settings: Settings | None = None
) -> ArticleSummary:
    """One-shot extraction from article text."""
    with Summarizer(settings) as summarizer:
        return summarizer.summarize(text, published=published)


async def asummarize(
    text: str, *, published: date | str | None = None, settings: Settings | None = None
) -> ArticleSummary:
    """One-shot async extraction from article text."""
    async with Summarizer(settings) as summarizer:
        return await summarizer.asummarize(text, published=published)
