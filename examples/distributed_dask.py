"""Summarize a large corpus with Dask: one ``Summarizer`` per partition, one shared response cache.

    pip install -e ".[distributed]"            # dask[bag]
    export OPENAI_API_KEY=sk-...               # or --base-url for an OpenAI-compatible server
    python examples/distributed_dask.py articles/ shards/*.jsonl --out results.jsonl --partitions 16

Inputs are what ``summarizer batch`` takes (.txt .md .html .htm .jsonl files and directories; no
stdin) and article ids are the same. Directories are listed here, on the driver; the files are
read by the workers, so article text never goes through the driver. A file is the unit of work,
so shard a big JSONL corpus into many files (a few per partition at least).

Each partition opens one ``Summarizer`` (one HTTP client, one connection to the SQLite response
cache), summarises its articles with up to ``--concurrency`` in flight, and turns every article
into one record of the ``summarizer batch`` shape: ``{"id", "content_hash", "status": "ok",
"result"}`` or ``{"id", "content_hash", "status": "error", "error", "error_type", "attempts"}``.
The partitions write their records in parallel; the driver then joins them into ``--out`` (in
input order) and replaces any previous file: there is no resume here, a rerun recomputes every
record, and the response cache makes the finished articles free. Exit status 1 when an article
failed, as ``summarizer batch``.

Settings come from the environment (``SUMMARIZER_*``, ``OPENAI_API_KEY``) of each worker plus the
flags below; the API key is never put into the task graph nor printed. See docs/distributed.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

from summarizer import ConfigurationError, Settings, Summarizer, SummarizerError
from summarizer.articles.documents import DEFAULT_MAX_CHARS, Document
from summarizer.articles.loaders import SUPPORTED_SUFFIXES, InputFailure, iter_inputs
from summarizer.llm.cache import ResponseCache

__all__ = ["article_record", "main", "summarize_partition", "work_units"]

# A unit of work: a file, and the article id it gets when it was found below a directory.
Unit = tuple[str, Optional[str]]


# -- inputs -----------------------------------------------------------------------------
def work_units(paths: Sequence[str]) -> list[Unit]:
    """Files to read, in order; directories listed the way ``summarizer batch`` lists them."""
    units: list[Unit] = []
    for arg in paths:
        root = Path(arg)
        if not root.is_dir():
            units.append((arg, None))  # a missing file becomes an error record on a worker
            continue
        for path in sorted(root.rglob("*")):  # as summarizer.articles.loaders lists a directory
            rel = path.relative_to(root)
            hidden = any(part.startswith(".") for part in rel.parts)
            if hidden or path.suffix.lower() not in SUPPORTED_SUFFIXES or not path.is_file():
                continue
            # JSONL lines carry their own ids; any other file is named by its relative path.
            units.append(
                (str(path), None if path.suffix.lower() == ".jsonl" else rel.with_suffix("").as_posix())
            )
    return units


def load(unit: Unit, max_chars: int) -> Iterator[Document | InputFailure]:
    path, doc_id = unit
    for item in iter_inputs([path], max_chars):
        yield item if doc_id is None else replace(item, id=doc_id)


# -- one article, one record --------------------------------------------------------------
def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 500 else text[:499] + "…"


def _error(item: Document | InputFailure, exc: BaseException) -> dict[str, Any]:
    kind = type(exc).__name__ if isinstance(exc, SummarizerError) else "InternalError"
    return {
        "id": item.id or "",
        "content_hash": item.content_hash,
        "status": "error",
        "error": _one_line(exc),
        "error_type": kind,
        "attempts": getattr(exc, "attempts", 0),
    }


def _unreadable(item: InputFailure) -> dict[str, Any]:
    head = {"id": item.id, "content_hash": item.content_hash}
    return {**head, "status": "error", "error": item.reason, "error_type": "InputError", "attempts": 0}


async def article_record(summarizer: Summarizer, item: Document | InputFailure) -> dict[str, Any]:
    """The ``summarizer batch`` record of one article: the result, or why there is none."""
    if isinstance(item, InputFailure):
        return _unreadable(item)
    try:
        summary = await summarizer.asummarize(item)
    except Exception as exc:  # every article ends as a record, whatever went wrong
        return _error(item, exc)
    head = {"id": item.id or "", "content_hash": item.content_hash}
    return {**head, "status": "ok", "result": summary.model_dump(mode="json")}


# -- one partition ----------------------------------------------------------------------
async def _partition(units: list[Unit], overrides: dict[str, Any], concurrency: int) -> list[dict[str, Any]]:
    try:
        settings = Settings().with_overrides(**overrides)  # this worker's environment holds the API key
        summarizer = Summarizer(settings)
    except Exception as exc:  # a worker without a key, valid settings or the cache: records all the same
        max_chars = int(overrides.get("max_chars", DEFAULT_MAX_CHARS))
        items = [item for unit in units for item in load(unit, max_chars)]
        return [_unreadable(item) if isinstance(item, InputFailure) else _error(item, exc) for item in items]
    slots = asyncio.Semaphore(concurrency)

    async def one(item: Document | InputFailure) -> dict[str, Any]:
        async with slots:
            return await article_record(summarizer, item)

    async with summarizer:  # one client and one cache connection for the whole partition
        items = [item for unit in units for item in load(unit, settings.max_chars)]
        return list(await asyncio.gather(*(one(item) for item in items)))


def summarize_partition(units: list[Unit], overrides: dict[str, Any], concurrency: int) -> list[str]:
    """Dask ``map_partitions`` function: the partition's files → one JSON line per article."""
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # failures are in the records
    records = asyncio.run(_partition(list(units), overrides, concurrency))
    return [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]


# -- the driver -------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="files (.txt .md .html .htm .jsonl) and directories")
    parser.add_argument("--out", "-o", type=Path, required=True, help="JSONL results file (replaced)")
    parser.add_argument("--partitions", type=int, default=None, help="Dask partitions (default: workers x 4)")
    parser.add_argument(
        "--workers", type=int, default=None, help="local processes or threads (default: cores)"
    )
    parser.add_argument("--scheduler", choices=("processes", "threads", "sync"), default="processes")
    parser.add_argument(
        "--concurrency", "-j", type=int, default=None, help="articles in flight per partition"
    )
    parser.add_argument("--model", "-m")
    parser.add_argument("--base-url")
    parser.add_argument("--mode")
    parser.add_argument("--cache", choices=("read-write", "replay", "off"))
    parser.add_argument("--cache-path", type=Path, help="one SQLite file shared by every worker")
    parser.add_argument("--max-tokens", type=int)
    parser.add_argument("--timeout", type=float)
    return parser


def _settings(args: argparse.Namespace) -> tuple[Settings, dict[str, Any]]:
    """Validated settings on the driver, and the overrides the workers apply to their environment."""
    flags = {
        "model": args.model,
        "base_url": args.base_url,
        "mode": args.mode,
        "cache": args.cache,
        "cache_path": args.cache_path,
        "max_tokens": args.max_tokens,
        "timeout": args.timeout,
    }
    settings = Settings().with_overrides(**flags)
    if settings.local_model is not None and settings.base_url is None:
        raise ConfigurationError(
            "every partition would start its own local model: start one server "
            "(python -m llama_cpp.server --model FILE.gguf, vLLM, Ollama) and pass its --base-url"
        )
    Summarizer(settings.with_overrides(cache="off")).close()  # no key and no URL: fail here, not per article
    overrides = {k: v for k, v in flags.items() if v is not None}
    if settings.cache != "off":  # every worker opens the same file, created once here
        path = settings.resolved_cache_path().absolute()
        overrides["cache_path"] = str(path)
        ResponseCache(path, readonly=settings.cache == "replay").close()  # replay: the recording exists
    return settings, overrides


def _join(parts: Path, out: Path) -> dict[str, int]:
    """Concatenate the partition files into ``out`` (atomically) and count the records."""
    counts = {"ok": 0, "failed": 0, "cached": 0}
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("wb") as dst:
        for part in sorted(parts.glob("*.jsonl")):
            with part.open("rb") as src:
                for line in src:
                    record = json.loads(line)
                    ok = record["status"] == "ok"
                    counts["ok" if ok else "failed"] += 1
                    counts["cached"] += bool(ok and (record["result"].get("provenance") or {}).get("cached"))
                    dst.write(line)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(tmp, out)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        import dask
        import dask.bag as db
    except ImportError:
        print('distributed_dask: needs Dask: pip install -e ".[distributed]"', file=sys.stderr)
        return 3

    if "-" in args.inputs:
        print("distributed_dask: stdin is not an input here; write it to a file", file=sys.stderr)
        return 2
    try:
        settings, overrides = _settings(args)
    except (SummarizerError, ValueError) as exc:  # ValueError: pydantic's, a bad setting
        print(f"distributed_dask: {exc}", file=sys.stderr)
        return 3
    units = work_units(args.inputs)
    if not units:
        print("distributed_dask: no input files", file=sys.stderr)
        return 2
    workers = 1 if args.scheduler == "sync" else args.workers or os.cpu_count() or 1
    partitions = min(len(units), args.partitions or workers * 4)
    concurrency = args.concurrency or settings.concurrency

    bag = db.from_sequence(units, npartitions=partitions)
    lines = bag.map_partitions(summarize_partition, overrides, concurrency)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    parts = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        scheduler = "single-threaded" if args.scheduler == "sync" else args.scheduler
        with dask.config.set(scheduler=scheduler, num_workers=workers):
            lines.to_textfiles(
                str(parts / "*.jsonl"),
                name_function=lambda i: f"{i:06d}",
                encoding="utf-8",
                last_endline=True,
            )
        counts = _join(parts, out)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    where = {"processes": "processes", "threads": "threads", "sync": "thread"}[args.scheduler]
    print(
        f"distributed_dask: {counts['ok']} ok ({counts['cached']} from the cache), {counts['failed']} failed; "
        f"{bag.npartitions} partitions, {workers} worker {where} x {concurrency} in flight, "
        f"model {settings.model} -> {out}"
    )
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
