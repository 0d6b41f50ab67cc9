"""Seconds per article and tokens/s for the local test model (Qwen2.5-Coder-1.5B Q4, llama.cpp).

Runs ``Settings(local_model="test", cache="off")`` (the default strategy) on the reference
article and three short corpus articles, one after the other, after the server has started.
Targets (issue 12): median ≤ 60 s per article, the reference article ≤ 45 s; exit 1 when missed. Skips (exit 0, with a message) when
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

REFERENCE = "00_japan_russia_two_plus_two_2013.txt"
SHORT = [
    REFERENCE,
    "09_lebanon_israel_arrangement_extension_short.txt",
    "27_whippany_merger_approved_short_1987.txt",
    "28_cargill_strike_talks_postponed_short_1987.txt",
]
COMMAND = ".venv/bin/python benchmarks/bench_local_model.py"
MEDIAN_TARGET, REFERENCE_TARGET = 60.0, 45.0


def main() -> int:
    if importlib.util.find_spec("llama_cpp") is None:
        print("skipped: llama-cpp-python is not installed (pip install 'summarizer[local]')")
        return 0
    if not TEST_MODEL.path().is_file():
        print(f"skipped: test model not found at {TEST_MODEL.path()} (summarizer model fetch-test)")
        return 0
    settings = Settings(local_model="test", cache="off")
    rows = []
    times: dict[str, float] = {}
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
            times[name] = seconds
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
    import statistics

    median = statistics.median(times.values()) if times else float("nan")
    reference = times.get(REFERENCE, float("nan"))
    met = median <= MEDIAN_TARGET and reference <= REFERENCE_TARGET
    body = f"""
Model: `{TEST_MODEL.filename}` (llama-cpp-python server started by `Summarizer`, default threads,
`local_ctx={settings.local_ctx}`), `cache="off"`, `max_reasks={settings.max_reasks}`. Server start-up: {startup:.1f} s.
Strategy: `{settings.strategy}`. Tokens are the server's usage counts summed over every call of the article
(prompt tokens count the cached prefix again on every call; the server evaluates it once).
Completion tokens/s is completion tokens ÷ the article's wall time (prompt processing included).

| article | chars | seconds | attempts | prompt tokens | completion tokens | completion tok/s | meetings / agreements |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Median **{median:.1f} s** per article (target ≤ {MEDIAN_TARGET:.0f}), reference article **{reference:.1f} s**
(target ≤ {REFERENCE_TARGET:.0f}): {"met" if met else "**missed**"}.
Overall: {totals["seconds"]:.1f} s for {len(SHORT)} articles ({totals["seconds"] / len(SHORT):.1f} s / article),
{totals["completion"] / s:.1f} completion tok/s, {(totals["prompt"] + totals["completion"]) / s:.1f} total tok/s.
Machine: {os.cpu_count()} CPU(s), shared with other work during the run (see load average below).
"""
    print(write_result("local_model", "Local test model speed", COMMAND, body))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
