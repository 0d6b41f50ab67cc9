"""Batch throughput against the fake server (latency 0.2 s per model call).

Run: ``python benchmarks/bench_batch.py [--articles 1000] [--latency 0.2]``.
Each synthetic article contains meeting and agreement cue words, so it costs two
model calls; the ideal time is ``N x 2 x latency / concurrency``. The fake server
runs in its own process so that it does not compete with the batch for the GIL.
Concurrency 1 runs a tenth of the articles (the rate is per article, so it scales).
Writes the table to ``benchmarks/results/batch.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import platform
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from summarizer import Settings, Summarizer
from summarizer.articles.documents import Document
from summarizer.batch.run import run_batch
from summarizer.testing import FakeOpenAI, Reply, tool_call

RESULTS = Path(__file__).resolve().parent / "results" / "batch.md"
TOKENS_PER_CALL = 150  # the fake server's default usage: 100 prompt + 50 completion


def answer(request: dict[str, Any]) -> Reply:
    """An empty, valid answer for whichever pass the request forces."""
    if request["tool_choice"]["function"]["name"] == "MeetingPass":
        return tool_call({"summary": "x", "meeting_sentences": [], "meetings": []})
    return tool_call({"agreement_sentences": [], "agreements": []})


def serve(latency: float, conn: Connection) -> None:
    with FakeOpenAI(default=answer, latency=latency) as server:
        conn.send(server.base_url)
        conn.recv()  # any message: stop


def corpus(n: int) -> list[Document]:
    return [
        Document(
            text=f"Bulletin {i}. The delegations met in Vienna on Tuesday. "
            f"They agreed to continue the talks next month (item {i}).",
            id=f"bench-{i:04d}",
        )
        for i in range(n)
    ]


async def one_run(base_url: str, n: int, concurrency: int, out: Path) -> tuple[float, int, int]:
    settings = Settings(base_url=base_url, model="fake-model", cache="off", timeout=30)
    report = await run_batch(
        corpus(n), out, lambda: Summarizer(settings), concurrency=concurrency, progress=False
    )
    return report.seconds, report.ok, report.tokens // TOKENS_PER_CALL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32, 64])
    args = parser.parse_args()

    parent, child = mp.Pipe()
    proc = mp.Process(target=serve, args=(args.latency, child), daemon=True)
    proc.start()
    base_url = parent.recv()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for c in args.concurrency:
                n = max(1, args.articles // 10) if c == 1 else args.articles
                seconds, ok, calls = asyncio.run(one_run(base_url, n, c, Path(tmp) / f"c{c}.jsonl"))
                ideal = n * 2 * args.latency / c
                rate, ideal_rate = n / seconds, n / ideal
                rows.append((c, n, ok, calls, seconds, ideal, rate, ideal_rate, rate / ideal_rate))
                print(
                    f"concurrency {c:>3}: {n} articles ({ok} ok, {calls} calls) in {seconds:.1f}s, "
                    f"{rate:.1f} art/s, ideal {ideal_rate:.1f} art/s, {rate / ideal_rate:.0%} of ideal",
                    flush=True,
                )
    finally:
        parent.send("stop")
        proc.join(10)
    write_table(rows, args.latency)


def write_table(rows: list[tuple[Any, ...]], latency: float) -> None:
    lines = [
        "# Batch throughput",
        "",
        f"`python benchmarks/bench_batch.py`: fake OpenAI server (own process), latency {latency:g} s "
        "per call, 2 calls per article, cache off; ideal time = N x 2 x latency / concurrency. "
        "Concurrency 1 runs a tenth of the articles. "
        f"Python {platform.python_version()} on {platform.machine()} with {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}.",
        "",
        "| concurrency | articles | ok | calls | seconds | ideal s | articles/s | ideal articles/s | of ideal |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c, n, ok, calls, seconds, ideal, rate, ideal_rate, ratio in rows:
        lines.append(
            f"| {c} | {n} | {ok} | {calls} | {seconds:.1f} | {ideal:.1f} | {rate:.1f} | {ideal_rate:.1f} "
            f"| {ratio:.0%} |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
