"""Article → ``ArticleSummary``: two passes (meetings, agreements), then tested code.

:class:`Summarizer` is the reusable entry point (notebooks, batch, eval); the
module-level :func:`summarize` / :func:`asummarize` are one-shot conveniences.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel

from summarizer.articles.documents import Document, load_document, parse_document
from summarizer.articles.sentences import Sentence, split_sentences, unique_sentences
from summarizer.errors import ExtractionError, LLMError
from summarizer.llm.connect import connect
from summarizer.llm.http import httpx
from summarizer.llm.pricing import estimate_cost
from summarizer.llm.transport import CallStats, track
from summarizer.passes.check import CheckPlan, check_plans, check_prompt_hashes, checked
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
from summarizer.records.build import agreement_records, anchor, link_meetings, meeting_records
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
            checks = {c.key: self._checked(c, warnings) for c in self.check_plans(doc, plans, answers)}
            return self.assemble(doc, plans, answers, stats, warnings, started, checks)

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
            checks = {}
            for c in self.check_plans(doc, done, answers):
                checks[c.key] = await self._achecked(c, warnings)
            return self.assemble(doc, done, answers, stats, warnings, started, checks)

    def summarize_file(self, path: str | Path, *, published: date | str | None = None) -> ArticleSummary:
        return self.summarize(self.load(path, published=published))

    def check_plans(
        self, doc: Document, plans: list[PassPlan], answers: dict[str, BaseModel]
    ) -> list[CheckPlan]:
        """The check questions for the drafts of these answers (none when both minimums are 0)."""
        s = self.settings
        if not s.check_min_meeting and not s.check_min_agreement:
            return []
        sentences = plans[0].article if plans else unique_sentences(split_sentences(doc.text))
        drafts = collect(plans, answers)
        return [
            c
            for c in check_plans(
                drafts.meetings, drafts.agreements, sentences, s.prompts_dir, _anchored(sentences, drafts)
            )
            if (s.check_min_meeting if c.kind == "meeting" else s.check_min_agreement) > 0
        ]

    def _checked(self, plan: CheckPlan, warnings: list[str]) -> float | None:
        try:
            return self.llm.check(plan.messages)
        except LLMError as exc:
            _unanswered(plan, exc, warnings)
            return None

    async def _achecked(self, plan: CheckPlan, warnings: list[str]) -> float | None:
        try:
            return await self.llm.acheck(plan.messages)
        except LLMError as exc:
            _unanswered(plan, exc, warnings)
            return None

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
        checks: Mapping[str, float | None] | None = None,
    ) -> ArticleSummary:
        """Answers (one per plan, by ``plan.key``) and check probabilities (by check key) → the
        validated, grounded summary."""
        sentences = plans[0].article if plans else unique_sentences(split_sentences(doc.text))
        drafts = collect(plans, answers)
        overview = drafts.overview or " ".join(s.text for s in sentences[:2])  # nothing asked: the lead
        hashes = {k: v for p in plans for k, v in p.hashes.items()}
        meeting_drafts, agreement_drafts = drafts.meetings, drafts.agreements
        if checks:
            s = self.settings
            meeting_drafts = checked(meeting_drafts, "meeting", checks, s.check_min_meeting, warnings)
            agreement_drafts = checked(
                agreement_drafts,
                "agreement",
                checks,
                s.check_min_agreement,
                warnings,
                _anchored(sentences, drafts),
            )
            hashes.update(check_prompt_hashes(s.prompts_dir))
        meetings = meeting_records(meeting_drafts, sentences, doc.text, doc.published, warnings)
        agreements = agreement_records(
            agreement_drafts, sentences, doc.text, doc.published, warnings, drafts.focus
        )
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


@dataclass
class Drafts:
    """What the answers of one article's calls say, in article sentence numbers."""

    overview: str = ""
    meetings: list[MeetingDraft] = field(default_factory=list)
    agreements: list[AgreementDraft] = field(default_factory=list)
    focus: list[int] = field(default_factory=list)  # sentences the triage flagged for agreements


def collect(plans: list[PassPlan], answers: Mapping[str, BaseModel]) -> Drafts:
    """The drafts of all answers (chunk sentence numbers → article sentence numbers)."""
    out = Drafts()
    for p in plans:
        answer = answers[p.key]
        origin = f"model:{p.name}"
        if isinstance(answer, Triage):
            out.overview = out.overview or " ".join(answer.summary.split())
            out.focus += [n + p.first for n in answer.agreement_sentences]
        elif isinstance(answer, MeetingPass | MeetingsInSentence):
            if isinstance(answer, MeetingPass):
                out.overview = out.overview or " ".join(answer.summary.split())
            out.meetings += [d.from_call(origin, sentence=_number(p, d.sentence)) for d in answer.meetings]
        elif isinstance(answer, AgreementPass | AgreementsInSentence):
            out.agreements += [
                d.from_call(origin, sentence=_number(p, d.sentence)) for d in answer.agreements
            ]
    return out


def _unanswered(plan: CheckPlan, exc: LLMError, warnings: list[str]) -> None:
    """A check the model did not answer keeps its records (a replay miss is no LLMError: it fails)."""
    warnings.append(f"check of sentence {plan.sentence} not answered ({exc}): its {plan.kind} kept")


def _anchored(sentences: list[Sentence], drafts: Drafts) -> Any:
    """A draft's sentence as its record will cite it (an agreement re-anchored by its summary)."""

    def sentence_of(d: MeetingDraft | AgreementDraft) -> int:
        if isinstance(d, AgreementDraft):
            return anchor(d.sentence, d.summary, sentences, drafts.focus)
        return d.sentence

    return sentence_of


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
