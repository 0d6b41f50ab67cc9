"""Article → ``ArticleSummary``: two passes (meetings, agreements), then tested code.

:class:`Summarizer` is the reusable entry point (notebooks, batch, eval); the
module-level :func:`summarize` / :func:`asummarize` are one-shot conveniences.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel, ValidationError

from ._http import httpx
from .backfill import backfill_agreements
from .backfill_meetings import backfill_meetings
from .cache import ResponseCache
from .chunking import Chunk, chunk_budget, chunk_sentences
from .documents import Document, load_document, parse_document
from .errors import ExtractionError
from .extraction import PASSES, AgreementDraft, AgreementPass, MeetingDraft, MeetingPass
from .llm import LLM, estimate_cost
from .prompts import build_messages
from .records import agreement_records, link_meetings, meeting_records
from .schemas import ArticleSummary, Provenance, Source, Usage, schema_hash
from .sentences import AGREEMENT_CUES, MEETING_CUES, Sentence, split_sentences, unique_sentences
from .settings import Settings
from .transport import CallStats, track

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
        self.settings = settings or Settings()
        self._local: Any = None
        if self.settings.local_model is not None and self.settings.base_url is None:
            from .local import LocalServer, replay_overrides

            if self.settings.cache == "replay":  # answers come from the cache: no model needed
                self.settings = self.settings.with_overrides(**replay_overrides(self.settings.local_model))
            else:
                self._local = LocalServer.from_settings(self.settings)
                self.settings = self.settings.with_overrides(**self._local.start())
        cache = None
        if self.settings.cache != "off":
            cache = ResponseCache(
                self.settings.resolved_cache_path(), readonly=self.settings.cache == "replay"
            )
        self.llm = LLM(self.settings, transport=transport, async_transport=async_transport, cache=cache)

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
        """The passes for one article, per chunk: candidate sentences and messages (none when no candidate)."""
        sentences = unique_sentences(split_sentences(doc.text))
        budget = chunk_budget(
            self.settings.chunk_tokens, self.settings.resolved_context_window(), self.settings.max_tokens
        )
        chunks = chunk_sentences(sentences, budget, overlap=self.settings.chunk_overlap, text=doc.text)
        plans = []
        for chunk in chunks or [Chunk(0, 0, (), 0)]:
            part = list(chunk.sentences)
            for name, model in PASSES.items():
                messages: list[dict[str, str]] | None = None
                hashes: dict[str, str] = {}
                if any(CUES[name].search(s.text) for s in part):  # a candidate sentence
                    messages, hashes = build_messages(
                        name, [s.text for s in part], doc.published, self.settings.prompts_dir
                    )
                context = {"text": doc.text, "published": doc.published, "sentences": part}
                plans.append(
                    PassPlan(
                        name, model, part, messages, context, hashes, chunk.index, chunk.first, sentences
                    )
                )
        return plans

    def summarize(
        self, article: str | Document, *, published: date | str | None = None, title: str | None = None
    ) -> ArticleSummary:
        """Extract from raw text (a corpus header is read if present) or a :class:`Document`."""
        doc = self._document(article, published, title)
        started = datetime.now(timezone.utc)
        with track() as stats:
            warnings: list[str] = []
            plans = self.plan(doc)
            answers: dict[str, BaseModel] = {}
            for p in plans:
                try:
                    answers[p.key] = (
                        _empty(p, doc)
                        if p.messages is None
                        else self.llm.extract(p.model, p.messages, p.context, list(PASSES.values()))
                    )
                except ExtractionError as exc:
                    answers[p.key] = self.salvage(p, exc, warnings)
            return self.assemble(doc, plans, answers, stats, warnings, started)

    async def asummarize(
        self, article: str | Document, *, published: date | str | None = None, title: str | None = None
    ) -> ArticleSummary:
        """Async :meth:`summarize`: chunks run concurrently (in order for a local model); passes in order."""
        doc = self._document(article, published, title)
        started = datetime.now(timezone.utc)
        with track() as stats:
            warnings: list[str] = []
            plans = self.plan(doc)
            answers: dict[str, BaseModel] = {}

            async def run(chunk: list[PassPlan]) -> None:
                for p in chunk:  # in order: the second pass reuses the first one's prompt prefix
                    try:
                        answers[p.key] = (
                            _empty(p, doc)
                            if p.messages is None
                            else await self.llm.aextract(
                                p.model, p.messages, p.context, list(PASSES.values())
                            )
                        )
                    except ExtractionError as exc:
                        answers[p.key] = self.salvage(p, exc, warnings)

            groups = [[p for p in plans if p.chunk == c] for c in sorted({p.chunk for p in plans})]
            if self.settings.local_model is not None:  # one llama.cpp slot: keep its prefix cache warm
                for group in groups:
                    await run(group)
            else:
                await asyncio.gather(*(run(group) for group in groups))
            return self.assemble(doc, plans, answers, stats, warnings, started)

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
        overview = ""
        for p in plans:  # chunk sentence numbers → article sentence numbers
            answer = answers[p.key]
            if isinstance(answer, MeetingPass):
                overview = overview or " ".join(answer.summary.split())
                meeting_drafts += [
                    d.model_copy(update={"sentence": d.sentence + p.first}) for d in answer.meetings
                ]
            elif isinstance(answer, AgreementPass):
                agreement_drafts += [
                    d.model_copy(update={"sentence": d.sentence + p.first}) for d in answer.agreements
                ]
        hashes = {k: v for p in plans for k, v in p.hashes.items()}
        meetings = meeting_records(meeting_drafts, sentences, doc.text, doc.published, warnings)
        if self.settings.backfill:
            meetings = backfill_meetings(meetings, sentences, doc.text, doc.published, warnings)
        agreements = agreement_records(agreement_drafts, sentences, doc.text, doc.published, warnings)
        if self.settings.backfill:
            agreements = backfill_agreements(
                agreements, meetings, sentences, doc.text, doc.published, warnings
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
        source = Source(id=doc.id, title=doc.title, published=doc.published, content_hash=doc.content_hash)
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
        self.llm.close()
        if self.llm.cache is not None:
            self.llm.cache.close()
        if self._local is not None:
            self._local.stop()
            self._local = None

    async def aclose(self) -> None:
        await self.llm.aclose()
        self.close()

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


def _empty(plan: PassPlan, doc: Document) -> BaseModel:
    """No candidate sentence: nothing to ask the model. The summary falls back to the lead."""
    if plan.model is MeetingPass:
        lead = " ".join(s.text for s in split_sentences(doc.text)[:2])
        return MeetingPass(summary=lead, meetings=[])
    return AgreementPass(agreements=[])


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
    if model is MeetingPass:
        items = _valid(MeetingDraft, data.get("meetings"), context)
        summary = data.get("summary") if isinstance(data.get("summary"), str) else ""
        return MeetingPass(summary=summary, meetings=items)
    items = _valid(AgreementDraft, data.get("agreements"), context)
    return AgreementPass(agreements=items)


def _valid(item_model: type[BaseModel], items: Any, context: dict[str, Any]) -> list[Any]:
    kept = []
    for item in items if isinstance(items, list) else []:
        try:
            kept.append(item_model.model_validate(item, context=context))
        except ValidationError:
            continue
    return kept


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
