"""Run extraction over a gold set and score it; save, load and gate results.

``results.json`` holds every prediction, every alignment decision, every score and
the run's provenance (model, prompt and schema hashes, usage, cost, time). A
baseline is a results file: the gate compares per-article scores with a paired
bootstrap, so a drop only fails when it is larger than the margin *and* significant.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from summarizer.articles.documents import Document, load_document
from summarizer.errors import SummarizerError
from summarizer.evaluation.align import ArticleScore, score_article
from summarizer.evaluation.gold import load_gold_dir
from summarizer.evaluation.metrics import compare, headline, summarize
from summarizer.schemas import ArticleSummary, schema_hash

__all__ = ["ArticleResult", "EvalRun", "Extractor", "gate", "load_results", "run_eval"]


class Extractor(Protocol):
    """What the harness runs: :class:`summarizer.Summarizer` is one (an async context manager)."""

    async def asummarize(self, article: Document) -> ArticleSummary: ...

    def describe(self) -> dict[str, Any]:
        """The run's provenance: model, mode, base_url, cache."""
        ...

    async def __aenter__(self) -> Extractor: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


RESULTS_VERSION = 1


@dataclass
class ArticleResult:
    article: str
    prediction: ArticleSummary | None
    error: str | None
    seconds: float
    score: ArticleScore

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "seconds": round(self.seconds, 3),
            "error": self.error,
            "prediction": None if self.prediction is None else self.prediction.model_dump(mode="json"),
            "score": self.score.to_dict(),
        }


@dataclass
class EvalRun:
    results: list[ArticleResult]
    provenance: dict[str, Any] = field(default_factory=dict)
    n_boot: int = 1000

    @property
    def scores(self) -> list[ArticleScore]:
        return [r.score for r in self.results]

    def summary(self) -> dict[str, dict[str, Any]]:
        return summarize(self.scores, n_boot=self.n_boot)

    def headline(self) -> dict[str, float]:
        return headline(self.summary())

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary()
        return {
            "version": RESULTS_VERSION,
            "provenance": self.provenance,
            "headline": headline(summary),
            "summary": summary,
            "articles": [r.to_dict() for r in self.results],
        }

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _empty(doc: Document) -> ArticleSummary:
    return ArticleSummary(summary="")


def run_eval(
    gold_dir: str | Path,
    extractor: Callable[[], Extractor],
    articles_dir: str | Path | None = None,
    *,
    concurrency: int = 1,
    progress: bool = True,
    limit: list[str] | None = None,
    language: str | None = None,
) -> EvalRun:
    """Extract every gold article (bounded concurrency) and score it.

    ``extractor`` makes the extractor, opened inside the run's event loop: for example
    ``lambda: Summarizer(settings)``.
    """
    gold_dir = Path(gold_dir)
    articles_dir = Path(articles_dir or gold_dir.parent / "articles")
    golds = load_gold_dir(gold_dir, articles_dir)
    if limit:
        golds = {k: v for k, v in golds.items() if any(k.startswith(p) for p in limit)}
    if language:  # "ja": Japanese articles only; "!en": every article not in English
        negate, code = language.startswith("!"), language.lstrip("!")
        golds = {k: v for k, v in golds.items() if (v.language == code) != negate}
    docs = {name: load_document(articles_dir / name) for name in golds}
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    outcomes, described = _run_sync(_extract_all(docs, extractor, concurrency, progress))
    results = []
    for name in sorted(golds):
        prediction, error, seconds = outcomes[name]
        score = score_article(prediction or _empty(docs[name]), golds[name], docs[name].text)
        results.append(ArticleResult(name, prediction, error, seconds, score))
    usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    cost: float | None = 0.0
    prompts: dict[str, str] = {}
    for r in results:
        if r.prediction is None or r.prediction.provenance is None:
            continue
        prov = r.prediction.provenance
        for key in usage:
            usage[key] += getattr(prov.usage, key)
        cost = None if cost is None or prov.cost_usd is None else cost + prov.cost_usd
        prompts.update(prov.prompts)
    provenance = {
        **{key: described.get(key) for key in ("model", "mode", "base_url")},
        "prompts": prompts,
        "schema_hash": schema_hash(),
        "started_at": started.isoformat(),
        "seconds": round(time.perf_counter() - t0, 2),
        "articles": len(results),
        "errors": sum(r.error is not None for r in results),
        "usage": usage,
        "cost_usd": None if cost is None else round(cost, 6),
        "cache": described.get("cache"),
    }
    return EvalRun(results, provenance)


def _run_sync(coro: Any) -> Any:
    """``asyncio.run``, also from inside a running loop (Jupyter): then in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


Outcomes = dict[str, tuple[ArticleSummary | None, str | None, float]]


async def _extract_all(
    docs: dict[str, Document], extractor: Callable[[], Extractor], concurrency: int, progress: bool
) -> tuple[Outcomes, dict[str, Any]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    semaphore = asyncio.Semaphore(concurrency)
    out: Outcomes = {}
    columns = (
        TextColumn("eval"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[failed]} failed"),
    )
    async with extractor() as summarizer:
        described = summarizer.describe()
        with Progress(*columns, disable=not progress, transient=True) as bar:
            task = bar.add_task("eval", total=len(docs), failed=0)

            async def one(name: str, doc: Document) -> None:
                async with semaphore:
                    t0 = time.perf_counter()
                    try:
                        result: ArticleSummary | None = await summarizer.asummarize(doc)
                        error = None
                    except SummarizerError as exc:
                        result, error = None, f"{type(exc).__name__}: {exc}"
                        bar.update(task, failed=bar.tasks[0].fields["failed"] + 1)
                    out[name] = (result, error, time.perf_counter() - t0)
                    bar.advance(task)

            await asyncio.gather(*(one(name, doc) for name, doc in docs.items()))
    return out, described


def load_results(path: str | Path) -> EvalRun:
    """Read a ``results.json`` (or baseline) back into an :class:`EvalRun`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SummarizerError(f"cannot read results {path}: {exc}") from None
    if data.get("version") != RESULTS_VERSION:
        raise SummarizerError(f"{path}: unsupported results version {data.get('version')!r}")
    results = []
    for item in data["articles"]:
        prediction = None if item["prediction"] is None else ArticleSummary.model_validate(item["prediction"])
        results.append(
            ArticleResult(
                item["article"],
                prediction,
                item["error"],
                item["seconds"],
                ArticleScore.from_dict(item["score"]),
            )
        )
    return EvalRun(results, data.get("provenance", {}))


def gate(current: EvalRun, baseline: EvalRun, max_drop: float = 0.02, alpha: float = 0.05) -> list[str]:
    """Headline metrics that dropped by more than ``max_drop`` with p < ``alpha``."""
    deltas = compare(baseline.scores, current.scores)
    wanted = set(current.headline()) | set(baseline.headline())
    failures = []
    for kind, metrics in deltas.items():
        for metric, d in metrics.items():
            key = f"{kind}.{metric}.{'rate' if metric == 'evidence' else 'f1'}"
            if key in wanted and d["delta"] < -max_drop and d["p_value"] < alpha:
                failures.append(
                    f"{key}: {d['a']:.3f} → {d['b']:.3f} (Δ {d['delta']:+.3f}, "
                    f"95% CI [{d['ci'][0]:+.3f}, {d['ci'][1]:+.3f}], p={d['p_value']:.3f})"
                )
    return failures
