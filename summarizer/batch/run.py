"""Many articles, concurrently, into a resumable JSONL results file.

Each article ends as one JSON line appended to the results file, ``ok`` with its
:class:`~summarizer.schemas.ArticleSummary` or ``error`` with a one-line reason.
Lines are keyed by ``(id, content_hash)``; a reader takes the last line per key,
so a rerun skips what is done (and, with ``retry_failed``, appends new attempts
for what failed). A torn last line left by a killed run is cut off on resume.
The report counts this run's work and, for every input article, the status of its
latest line: what the results file holds, however many runs it took. A run holds
the results file's lock (:mod:`summarizer.batch.lock`) from start to end.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from summarizer.articles.documents import Document
from summarizer.articles.loaders import InputFailure
from summarizer.batch.lock import results_lock
from summarizer.errors import LLMError, SummarizerError
from summarizer.llm.http import httpx
from summarizer.llm.pricing import estimate_cost
from summarizer.llm.transport import async_network_transport
from summarizer.pipeline import Summarizer

__all__ = ["AdaptiveLimiter", "BatchReport", "latest_results", "run_batch", "settled"]

Key = tuple[str, str]
SummarizerSource = Union[Summarizer, Callable[[], Summarizer]]


@dataclass
class BatchReport:
    """The results file's state for the inputs, and what this run did: counts, tokens, cost, time.

    ``articles``, ``total_ok`` and ``total_failed`` count the distinct input articles by the
    status of their latest line, this run's or an earlier one's; ``ok``, ``failed`` and
    ``skipped`` count this run's work.
    """

    ok: int = 0
    failed: int = 0
    skipped: int = 0
    articles: int = 0
    total_ok: int = 0
    total_failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    seconds: float = 0.0
    slowdowns: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def processed(self) -> int:
        return self.ok + self.failed

    @property
    def rate(self) -> float:
        """Articles processed per second."""
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        cost = "n/a" if self.cost_usd is None else f"${self.cost_usd:.4f}"
        return (
            f"{self.articles} articles: {self.total_ok} ok, {self.total_failed} failed "
            f"({self.processed} processed this run: {self.ok} ok, {self.failed} failed; "
            f"{self.skipped} skipped; {self.tokens:,} tokens, cost {cost}, {self.seconds:.1f}s)"
        )


# -- results file -----------------------------------------------------------------------
def _parse_lines(data: bytes) -> Iterator[dict[str, Any]]:
    for raw in data.split(b"\n"):
        try:
            record = json.loads(raw)
        except ValueError:
            continue  # torn or foreign line
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            yield record


def latest_results(path: str | Path) -> dict[Key, dict[str, Any]]:
    """The last complete line per ``(id, content_hash)``; a torn last line is ignored."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return {}
    end = data.rfind(b"\n") + 1
    return {(r["id"], str(r.get("content_hash", ""))): r for r in _parse_lines(data[:end])}


def _cut_torn_tail(path: Path) -> None:
    """Drop a last line without its newline (a run killed mid-write), so appends stay whole."""
    if not path.exists():
        return
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end != len(data):
        os.truncate(path, end)


class _Appender:
    """Appends whole lines: one ``os.write`` per line on an ``O_APPEND`` descriptor, under a lock."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.lock = asyncio.Lock()

    async def write(self, record: dict[str, Any]) -> None:
        data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        async with self.lock:
            written = os.write(self.fd, data)
            while written < len(data):  # a short write (disk full, signal): finish the line
                written += os.write(self.fd, data[written:])

    def close(self) -> None:
        os.fsync(self.fd)
        os.close(self.fd)


# -- adaptive concurrency ---------------------------------------------------------------
class AdaptiveLimiter:
    """A semaphore whose bound halves on rate limiting and recovers by one per quiet period."""

    def __init__(self, maximum: int, *, recover_after: float = 2.0, min_gap: float = 1.0) -> None:
        self.maximum = max(1, maximum)
        self.limit = self.maximum
        self.active = 0
        self.slowdowns = 0
        self.recover_after = recover_after
        self.min_gap = min_gap
        self._changed = time.monotonic()
        self._cut = float("-inf")
        self._cond = asyncio.Condition()

    def throttle(self) -> None:
        """Rate limited: halve the bound (at most once per ``min_gap`` seconds)."""
        now = time.monotonic()
        if now - self._cut < self.min_gap:
            return
        self._cut = self._changed = now
        if self.limit > 1:
            self.limit = max(1, self.limit // 2)
        self.slowdowns += 1

    def _recover(self) -> None:
        now = time.monotonic()
        if self.limit < self.maximum and now - self._changed >= self.recover_after:
            self.limit += 1
            self._changed = now

    async def __aenter__(self) -> None:
        async with self._cond:
            self._recover()
            await self._cond.wait_for(lambda: self.active < self.limit)
            self.active += 1

    async def __aexit__(self, *exc: object) -> None:
        async with self._cond:
            self.active -= 1
            self._recover()
            self._cond.notify_all()


class _RateWatch(httpx.AsyncBaseTransport):
    """Reports every HTTP 429 (retried ones included) to the limiter."""

    def __init__(self, inner: httpx.AsyncBaseTransport, on_429: Callable[[], None]) -> None:
        self.inner = inner
        self.on_429 = on_429

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if response.status_code == 429:
            self.on_429()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _watch(summarizer: Summarizer, limiter: AdaptiveLimiter) -> None:
    """Put a 429 watch under the summarizer's async client (effective before its first call)."""
    inner = summarizer.llm.async_transport
    if not isinstance(inner, _RateWatch):
        network = inner or async_network_transport(trust_env=summarizer.llm.trust_env)
        summarizer.llm.async_transport = _RateWatch(network, limiter.throttle)


def _is_rate_limit(exc: BaseException) -> bool:
    return isinstance(exc, LLMError) and "HTTP 429" in str(exc)


# -- progress ---------------------------------------------------------------------------
@contextmanager
def _progress(enabled: bool, total: int | None) -> Iterator[Callable[[BatchReport], None]]:
    if not enabled:
        yield lambda report: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("[bold]batch"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[green]{task.fields[ok]} ok[/] [red]{task.fields[failed]} failed[/]"),
        TextColumn("{task.fields[tokens]} tok  {task.fields[cost]}  {task.fields[rate]} art/s"),
        TimeElapsedColumn(),
    )
    started = time.monotonic()
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("batch", total=total, ok=0, failed=0, tokens=0, cost="$?", rate="0.0")

        def update(report: BatchReport) -> None:
            elapsed = max(time.monotonic() - started, 1e-9)
            cost = "$?" if report.cost_usd is None else f"${report.cost_usd:.4f}"
            bar.update(
                task,
                completed=report.processed + report.skipped,
                ok=report.ok,
                failed=report.failed,
                tokens=f"{report.tokens:,}",
                cost=cost,
                rate=f"{report.processed / elapsed:.1f}",
            )

        yield update


# -- the batch --------------------------------------------------------------------------
def _key(item: Document | InputFailure) -> Key:
    return (item.id or "", item.content_hash)


def settled(item: Document | InputFailure, done: dict[Key, dict[str, Any]], retry_failed: bool) -> bool:
    """Whether ``done`` (:func:`latest_results`) settles ``item``: ok, or an error not to retry."""
    previous = done.get(_key(item))
    return previous is not None and (previous.get("status") == "ok" or not retry_failed)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 500 else text[:499] + "…"


class _Batch:
    """State shared by the workers of one :func:`run_batch` call."""

    def __init__(self, summarizer: Summarizer, appender: _Appender, limiter: AdaptiveLimiter) -> None:
        self.summarizer = summarizer
        self.appender = appender
        self.limiter = limiter
        self.report = BatchReport()
        self.latest: dict[Key, bool] = {}  # input article → is its latest line ok
        self.update: Callable[[BatchReport], None] = lambda report: None

    def _usage(self, prompt: int, completion: int) -> None:
        self.report.prompt_tokens += prompt
        self.report.completion_tokens += completion
        usage = {
            "prompt_tokens": self.report.prompt_tokens,
            "completion_tokens": self.report.completion_tokens,
        }
        self.report.cost_usd = estimate_cost(self.summarizer.settings, usage)

    async def process(self, item: Document | InputFailure) -> None:
        doc_id, content_hash = _key(item)
        head: dict[str, Any] = {"id": doc_id, "content_hash": content_hash}
        if isinstance(item, InputFailure):
            record = {
                **head,
                "status": "error",
                "error": item.reason,
                "error_type": "InputError",
                "attempts": 0,
            }
        else:
            record = await self._summarize(item, head)
        await self.appender.write(record)
        self.latest[(doc_id, content_hash)] = record["status"] == "ok"
        if record["status"] == "ok":
            self.report.ok += 1
        else:
            self.report.failed += 1
        self.update(self.report)

    async def _summarize(self, doc: Document, head: dict[str, Any]) -> dict[str, Any]:
        try:
            async with self.limiter:
                summary = await self.summarizer.asummarize(doc)
        except Exception as exc:  # every article ends as a line, whatever went wrong
            if _is_rate_limit(exc):
                self.limiter.throttle()
            usage = exc.usage if isinstance(exc, LLMError) else {}
            self._usage(usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0))
            return {
                **head,
                "status": "error",
                "error": _one_line(exc),
                "error_type": type(exc).__name__ if isinstance(exc, SummarizerError) else "InternalError",
                "attempts": getattr(exc, "attempts", 0),
            }
        if summary.provenance is not None:
            used = summary.provenance.usage
            self._usage(used.prompt_tokens, used.completion_tokens)
        return {**head, "status": "ok", "result": summary.model_dump(mode="json")}


async def run_batch(
    inputs: Iterable[Document | InputFailure],
    out_path: str | Path,
    summarizer: SummarizerSource = Summarizer,
    concurrency: int = 4,
    retry_failed: bool = False,
    progress: bool = True,
    *,
    wait: bool = False,
    notify: Callable[[str], None] = lambda message: None,
) -> BatchReport:
    """Summarize ``inputs`` into ``out_path`` (JSONL), skipping what a previous run finished.

    ``summarizer`` is a :class:`Summarizer` (the caller closes it) or a factory (closed here).
    Another run holding ``out_path``: :class:`~summarizer.batch.lock.ResultsInUseError`, or
    with ``wait`` one line to ``notify`` and a wait for it to end.
    """
    async with results_lock(out_path, wait=wait, notify=notify):
        return await _run_locked(inputs, out_path, summarizer, concurrency, retry_failed, progress)


async def _run_locked(
    inputs: Iterable[Document | InputFailure],
    out_path: str | Path,
    summarizer: SummarizerSource,
    concurrency: int,
    retry_failed: bool,
    progress: bool,
) -> BatchReport:
    """:func:`run_batch` for a caller that holds the results file's lock."""
    started = time.monotonic()
    out = Path(out_path)
    _cut_torn_tail(out)
    done = latest_results(out)
    owned = not isinstance(summarizer, Summarizer)
    instance = summarizer() if not isinstance(summarizer, Summarizer) else summarizer
    limiter = AdaptiveLimiter(concurrency)
    _watch(instance, limiter)
    appender = _Appender(out)
    batch = _Batch(instance, appender, limiter)
    seen: set[Key] = set()
    total = len(inputs) if isinstance(inputs, (list, tuple)) else None

    def pending() -> Iterator[Document | InputFailure]:
        for item in inputs:
            key = _key(item)
            if key not in batch.latest:
                previous = done.get(key)
                batch.latest[key] = previous is not None and previous.get("status") == "ok"
            if key in seen or settled(item, done, retry_failed):
                batch.report.skipped += 1
                batch.update(batch.report)
                continue
            seen.add(key)
            yield item

    queue = pending()

    async def worker() -> None:
        for item in queue:  # workers share one iterator: inputs are read lazily
            await batch.process(item)

    try:
        with _progress(progress, total) as update:
            batch.update = update
            update(batch.report)
            await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))
    finally:
        appender.close()
        if owned:
            await instance.aclose()
    batch.report.articles = len(batch.latest)
    batch.report.total_ok = sum(batch.latest.values())
    batch.report.total_failed = batch.report.articles - batch.report.total_ok
    batch.report.slowdowns = limiter.slowdowns
    batch.report.seconds = time.monotonic() - started
    return batch.report
