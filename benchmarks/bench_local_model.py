"""Seconds per article and tokens/s for the local test model (Qwen2.5-Coder-1.5B Q4, llama.cpp).

Runs ``Settings(local_model="test", cache="off")`` on three short corpus articles, one
after the other, after the server has started. Skips (exit 0, with a message) when
llama-cpp-python or the test model is missing. Slow on a small CPU: run it alone.

Usage: python benchmarks/bench_local_model.py
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time

from common import ARTICLES, write_result

from summarizer import Settings, Summarizer, SummarizerError
from summarizer.llm.test_model import TEST_MODEL

SHORT = [
    "09_lebanon_israel_arrangement_extension_short.txt",
    "27_whippany_merger_approved_short_1987.txt",
    "28_cargill_strike_talks_postponed_short_1987.txt",
]
COMMAND = "/work/venv/bin/python benchmarks/bench_local_model.py"


def main() -> int:
    if importlib.util.find_spec("llama_cpp") is None:
        print("skipped: llama-cpp-python is not installed (pip install 'summarizer[local]')")
        return 0
    if not TEST_MODEL.path().is_file():
        print(f"skipped: test model not found at {TEST_MODEL.path()} (summarizer model fetch-test)")
        return 0
    settings = Settings(local_model="test", cache="off")
    rows = []
    totals = {"seconds": 0.0, "prompt": 0, "completion": 0}
    t0 = time.perf_counter()
    with Summarizer(settings) as summarizer:
        startup = time.perf_counter() - t0
        print(f"server started in {startup:.1f} s", flush=True)
        for name in SHORT:
            doc = summarizer.load(ARTICLES / name)
            t1 = time.perf_counter()
            try:
                result = summarizer.summarize(doc)
            except SummarizerError as exc:
                rows.append(f"| {name} | {len(doc.text):,} | failed: {exc} | | | | | |")
                print(rows[-1], flush=True)
                continue
            seconds = time.perf_counter() - t1
            assert result.provenance is not None
            usage = result.provenance.usage
            totals["seconds"] += seconds
            totals["prompt"] += usage.prompt_tokens
            totals["completion"] += usage.completion_tokens
            rows.append(
                f"| {name} | {len(doc.text):,} | **{seconds:.1f}** | {result.provenance.attempts} "
                f"| {usage.prompt_tokens} | {usage.completion_tokens} | {usage.completion_tokens / seconds:.1f} "
                f"| {len(result.meetings)} / {len(result.agreements)} |"
            )
            print(rows[-1], flush=True)
    s = totals["seconds"] or float("nan")
    body = f"""
Model: `{TEST_MODEL.filename}` (llama-cpp-python server started by `Summarizer`, default threads,
`local_ctx={settings.local_ctx}`), `cache="off"`, `max_reasks={settings.max_reasks}`. Server start-up: {startup:.1f} s.
Tokens are the server's usage counts summed over every attempt of the article (two passes, plus re-asks).
Completion tokens/s is completion tokens ÷ the article's wall time (prompt processing included).

| article | chars | seconds | attempts | prompt tokens | completion tokens | completion tok/s | meetings / agreements |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Overall: {totals["seconds"]:.1f} s for {len(SHORT)} articles ({totals["seconds"] / len(SHORT):.1f} s / article),
{totals["completion"] / s:.1f} completion tok/s, {(totals["prompt"] + totals["completion"]) / s:.1f} total tok/s.
Machine: {os.cpu_count()} CPU(s), shared with other work during the run (see load average below).
"""
    print(write_result("local_model", "Local test model speed", COMMAND, body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
