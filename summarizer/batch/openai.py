"""``summarizer batch --via openai-batch``: first answers from the OpenAI Batch API, at half price.

Every pass of every pending article becomes one Batch API line whose body is exactly what
the direct path sends (:meth:`~summarizer.llm.LLM.request_body`); its ``custom_id`` is the
body's hash, the response cache's key, so identical requests go once. The lines go up in one
file per batch (split at the API's limits), the batches are polled until they end, and their
answers are put under the model client's transport, keyed by that hash. The articles then go
through :func:`~summarizer.batch.run_batch` unchanged: a request the batch answered gets that
answer (its tokens priced at ``BATCH_DISCOUNT``), and validation, grounding, re-asks, salvage,
the results file and resume are the direct path's. A request the batch did not answer (an
error line, a failed or expired batch) goes to the server directly. The batches submitted are
noted next to the results file until the run ends: a rerun after an interruption waits for
them instead of paying twice. The results file's lock is held from before the results are
read to the last line, so a second run never submits the same requests.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import openai
from openai.types import Batch

from summarizer.articles.documents import Document
from summarizer.articles.loaders import InputFailure
from summarizer.batch.lock import results_lock
from summarizer.batch.run import BatchReport, SummarizerSource, _run_locked, latest_results, settled
from summarizer.errors import ConfigurationError, LLMError, SummarizerError, TransportError
from summarizer.llm.cache import request_key
from summarizer.llm.client import LLM
from summarizer.llm.failures import one_line
from summarizer.llm.http import httpx
from summarizer.llm.pricing import estimate_cost
from summarizer.llm.transport import async_network_transport, current_stats
from summarizer.passes.plan import TOOLS
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

__all__ = ["BatchAPIReport", "batch_lines", "check_settings", "run_openai_batch"]

ENDPOINT: Final = "/v1/chat/completions"
MAX_LINES = 50_000  # the Batch API's limits per input file: 50,000 requests, 200 MB
MAX_BYTES = 190 * 1024 * 1024
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass
class BatchAPIReport:
    """What the Batch API did in one run: requests, answers, and each batch's final status."""

    requests: int = 0  # distinct model requests the pending articles need
    cached: int = 0  # of them, answered by the response cache: not sent
    answered: int = 0  # answered by a batch
    unused: int = 0  # batch answers the articles did not ask for (a body mismatch: should stay 0)
    batches: dict[str, str] = field(default_factory=dict)  # batch id → final status

    @property
    def direct(self) -> int:
        """Requests sent but not answered by a batch: they were asked directly."""
        return self.requests - self.cached - self.answered

    def line(self) -> str:
        ids = ", ".join(f"{i} {s}" for i, s in self.batches.items()) or "no batch needed"
        unused = f", {self.unused} answers unused" if self.unused else ""
        return (
            f"{self.requests} requests, {self.cached} cached, {self.answered} answered by the "
            f"Batch API, {self.direct} asked directly{unused} ({ids})"
        )


# -- the request file -------------------------------------------------------------------
def _requests(summarizer: Summarizer, docs: Iterable[Document]) -> dict[str, dict[str, Any]]:
    """``custom_id`` (the request's cache key) → body, for each pass of ``docs`` that asks the model."""
    tools = TOOLS[summarizer.settings.strategy]  # the strategy's tools, as the direct path sends them
    out: dict[str, dict[str, Any]] = {}
    for doc in docs:  # the first calls of each article; follow-ups (per sentence) are asked directly
        for plan in summarizer.plan(doc):
            try:
                body = summarizer.llm.request_body(plan.model, plan.messages, plan.context, tools)
            except Exception:  # e.g. a template error: the direct path reports it for this article
                continue
            out[request_key(body)] = body
    return out


def batch_lines(requests: dict[str, dict[str, Any]]) -> Iterator[tuple[list[str], bytes]]:
    """Batch API input files, ``(custom_ids, JSONL bytes)``, each within the API's limits."""
    ids: list[str] = []
    lines: list[bytes] = []
    size = 0
    for custom_id, body in requests.items():
        line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        if ids and (len(ids) >= MAX_LINES or size + len(data) > MAX_BYTES):
            yield ids, b"".join(lines)
            ids, lines, size = [], [], 0
        ids.append(custom_id)
        lines.append(data)
        size += len(data)
    if ids:
        yield ids, b"".join(lines)


# -- batches noted next to the results file ---------------------------------------------
def _state_path(out: Path) -> Path:
    return out.with_name(out.name + ".openai-batch.json")


def _load_state(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []
    entries = data.get("batches") if isinstance(data, dict) else None
    return [
        e
        for e in (entries if isinstance(entries, list) else [])
        if isinstance(e, dict) and isinstance(e.get("id"), str) and isinstance(e.get("custom_ids"), list)
    ]


def _save_state(path: Path, entries: list[dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"batches": entries}), encoding="utf-8")
    os.replace(tmp, path)


# -- the Batch API ----------------------------------------------------------------------
class _BatchRun:
    """Submits, polls and downloads; ``answers`` maps custom_id → chat completion."""

    def __init__(self, llm: LLM, poll_interval: float, notify: Callable[[str], None]) -> None:
        self.llm = llm
        self.poll_interval = poll_interval
        self.notify = notify
        self.answers: dict[str, dict[str, Any]] = {}

    async def run(self, requests: dict[str, dict[str, Any]], state: Path, report: BatchAPIReport) -> None:
        entries = [e for e in _load_state(state) if not requests.keys().isdisjoint(e["custom_ids"])]
        covered = {i for e in entries for i in e["custom_ids"]}
        todo = {k: v for k, v in requests.items() if k not in covered}
        if entries:
            self.notify(f"openai-batch: resuming {', '.join(e['id'] for e in entries)}")
        client = self.llm.api_client()
        try:
            for ids, data in batch_lines(todo):
                batch_id = await self._submit(client, data)
                entries.append({"id": batch_id, "custom_ids": ids})
                _save_state(state, entries)
                self.notify(f"openai-batch: submitted {batch_id} ({len(ids)} requests)")
            for entry in entries:
                batch = await self._wait(client, entry["id"])
                report.batches[entry["id"]] = "not found" if batch is None else batch.status
                if batch is not None:
                    await self._collect(client, batch)
        except openai.OpenAIError as exc:
            raise self._error(exc) from None
        finally:
            await client.close()
        self.answers = {k: v for k, v in self.answers.items() if k in requests}
        report.answered = len(self.answers)

    async def _submit(self, client: openai.AsyncOpenAI, data: bytes) -> str:
        upload = await client.files.create(
            file=("requests.jsonl", data, "application/jsonl"), purpose="batch"
        )
        batch = await client.batches.create(
            input_file_id=upload.id,
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata={"client": "summarizer"},
        )
        return batch.id

    async def _wait(self, client: openai.AsyncOpenAI, batch_id: str) -> Batch | None:
        """Poll until the batch ends; ``None`` when the server no longer knows it."""
        last = None
        while True:
            try:
                batch = await client.batches.retrieve(batch_id)
            except openai.NotFoundError:
                self.notify(f"openai-batch: {batch_id} not found; its requests go directly")
                return None
            counts = batch.request_counts
            seen = (batch.status, counts.completed if counts else 0, counts.failed if counts else 0)
            if seen != last:
                self.notify(f"openai-batch: {batch_id} {seen[0]} ({seen[1]} done, {seen[2]} failed)")
                last = seen
            if batch.status in TERMINAL:
                for problem in (batch.errors.data or [])[:3] if batch.errors else []:
                    self.notify(f"openai-batch: {batch_id}: {problem.code}: {problem.message}")
                return batch
            await asyncio.sleep(self.poll_interval)

    async def _collect(self, client: openai.AsyncOpenAI, batch: Batch) -> None:
        """Keep the answers (HTTP 200) of the output file; report the error file's reasons."""
        reasons: dict[str, int] = {}
        for file_id in (batch.output_file_id, batch.error_file_id):
            if not file_id:
                continue
            content = await client.files.content(file_id)
            for raw in content.text.splitlines():
                custom_id, answer, reason = _parse_line(raw)
                if custom_id is not None and answer is not None:
                    self.answers[custom_id] = answer
                elif custom_id is not None:
                    reasons[reason] = reasons.get(reason, 0) + 1
        for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:3]:
            self.notify(f"openai-batch: {batch.id}: {n} request(s) failed ({reason}); asking directly")

    def _error(self, exc: openai.OpenAIError) -> SummarizerError:
        where = self.llm.settings.base_url or "the OpenAI API"
        if isinstance(exc, openai.AuthenticationError):
            return ConfigurationError(f"{where} rejected the API key (HTTP 401)")
        if isinstance(exc, openai.NotFoundError):
            return ConfigurationError(f"{where} has no Batch API (HTTP 404): use --via direct")
        if isinstance(exc, openai.APIStatusError):
            key = self.llm.settings.api_key
            message = exc.message.replace(key.get_secret_value(), "***") if key else exc.message
            return TransportError(
                f"{where} answered HTTP {exc.status_code} to a Batch API call: {one_line(message)}"
            )
        if isinstance(exc, openai.APIConnectionError):
            return TransportError(f"cannot reach {where} for the Batch API")
        return LLMError(f"Batch API call failed: {type(exc).__name__}")


def _parse_line(raw: str) -> tuple[str | None, dict[str, Any] | None, str]:
    """``(custom_id, chat completion or None, reason it has none)`` of one result line."""
    try:
        line = json.loads(raw)
    except ValueError:
        return None, None, ""
    if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
        return None, None, ""
    response = _object(line.get("response"))
    body = _object(response.get("body"))
    if response.get("status_code") == 200 and body.get("choices"):
        return line["custom_id"], body, ""
    code = _object(line.get("error") or body.get("error")).get("code")
    return line["custom_id"], None, str(code or f"HTTP {response.get('status_code', '?')}")


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# -- answers under the model client -----------------------------------------------------
class _Prefilled(httpx.AsyncBaseTransport):
    """Answers a chat request whose exact body a batch answered; passes anything else on."""

    def __init__(self, answers: dict[str, dict[str, Any]], inner: httpx.AsyncBaseTransport | None) -> None:
        self.answers = answers
        self.inner = inner or async_network_transport()
        self.usage = {"prompt_tokens": 0, "completion_tokens": 0}
        self.served: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.answers and request.method == "POST" and request.url.path.endswith("/chat/completions"):
            key = request_key(json.loads(request.content or b"{}"))
            answer = self.answers.get(key)
            if answer is not None:
                self.served.add(key)
                self._count(answer.get("usage") or {})
                return httpx.Response(200, json=answer, request=request)
        return await self.inner.handle_async_request(request)

    def _count(self, usage: dict[str, Any]) -> None:
        prompt, completion = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
        self.usage["prompt_tokens"] += prompt
        self.usage["completion_tokens"] += completion
        stats = current_stats()  # the article's, for its provenance cost
        if stats is not None:
            stats.batch_prompt_tokens += prompt
            stats.batch_completion_tokens += completion

    async def aclose(self) -> None:
        await self.inner.aclose()


# -- the run ----------------------------------------------------------------------------
def check_settings(settings: Settings) -> None:
    """The Batch API needs a server that has it, and answers that may come from the network."""
    if settings.local_model is not None:
        raise ConfigurationError("--via openai-batch needs a server with the Batch API, not --local")
    if settings.cache == "replay":
        raise ConfigurationError("--via openai-batch sends requests: --cache replay never does")


async def run_openai_batch(
    inputs: Iterable[Document | InputFailure],
    out_path: str | Path,
    summarizer: SummarizerSource = Summarizer,
    *,
    concurrency: int = 4,
    retry_failed: bool = False,
    progress: bool = True,
    poll_interval: float = 30.0,
    notify: Callable[[str], None] = lambda message: None,
    wait: bool = False,
) -> tuple[BatchReport, BatchAPIReport]:
    """:func:`~summarizer.batch.run_batch` with first answers from the OpenAI Batch API.

    ``summarizer`` is a fresh :class:`Summarizer` (its async client not yet used; the caller
    closes it) or a factory (closed here). ``notify`` receives one line per batch event.
    The results file's lock is taken first, as :func:`~summarizer.batch.run_batch` takes it.
    """
    async with results_lock(out_path, wait=wait, notify=notify):
        return await _run_openai_locked(
            inputs, out_path, summarizer, concurrency, retry_failed, progress, poll_interval, notify
        )


async def _run_openai_locked(
    inputs: Iterable[Document | InputFailure],
    out_path: str | Path,
    summarizer: SummarizerSource,
    concurrency: int,
    retry_failed: bool,
    progress: bool,
    poll_interval: float,
    notify: Callable[[str], None],
) -> tuple[BatchReport, BatchAPIReport]:
    started = time.monotonic()
    out = Path(out_path)
    items = list(inputs)
    instance = summarizer if isinstance(summarizer, Summarizer) else summarizer()
    api = BatchAPIReport()
    try:
        settings = instance.settings
        check_settings(settings)
        done = latest_results(out)
        pending = [i for i in items if isinstance(i, Document) and not settled(i, done, retry_failed)]
        requests = _requests(instance, pending)
        cache = instance.llm.cache
        cached = {k for k in requests if cache is not None and cache.get(k) is not None}
        api.requests, api.cached = len(requests), len(cached)
        fetch = _BatchRun(instance.llm, poll_interval, notify)
        state = _state_path(out)
        if len(requests) > len(cached) or state.exists():
            await fetch.run({k: v for k, v in requests.items() if k not in cached}, state, api)
        prefilled = _Prefilled(fetch.answers, instance.llm.async_transport)
        instance.llm.async_transport = prefilled
        report = await _run_locked(items, out, instance, concurrency, retry_failed, progress)
        state.unlink(missing_ok=True)
        api.unused = len(fetch.answers.keys() - prefilled.served)
    finally:
        if not isinstance(summarizer, Summarizer):
            await instance.aclose()
    usage = {"prompt_tokens": report.prompt_tokens, "completion_tokens": report.completion_tokens}
    report.cost_usd = estimate_cost(settings, usage, batch_usage=prefilled.usage)
    report.seconds = time.monotonic() - started
    return report, api
