"""Per-article overhead of everything but the model call.

Method: a zero-latency FakeOpenAI answers with scripted (valid) answers. Each run
times ``Summarizer.load`` + ``Summarizer.summarize`` (document loading, sentence
splitting, prompt rendering, instructor, validation, grounding, merging, the HTTP
round trips), then replays the *identical request bodies* with a bare ``openai``
client (no instructor, default transport) on the same server and times that.
Overhead = pipeline time − bare time, per run; median and p95 over the runs.
The overhead is then put against one bare call to a server with 200 ms latency.

With ``--with-caches`` the run first applies, by monkeypatching (no source change), the
caches suggested in BENCHMARKS.md: ``schema_hash`` computed once, ``tool_definitions``
per model tuple, and compiled Jinja templates; this shows what they would save.

Usage: python benchmarks/bench_overhead.py [--runs 50] [--with-caches]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

import openai
from common import LONG, REFERENCE, scripted, stats_ms, write_result

from summarizer import Settings, Summarizer
from summarizer.testing import FakeOpenAI

LATENCY = 0.2


def bare_client(server: FakeOpenAI) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="sk-bench", max_retries=0, timeout=30)


def measure(article: Path, runs: int, warmup: int = 5) -> dict[str, Any]:
    with FakeOpenAI(default=scripted(article)) as server:
        settings = Settings(base_url=server.base_url, model="fake-model", cache="off", timeout=30)
        t0 = time.perf_counter()
        summarizer = Summarizer(settings)
        construct = time.perf_counter() - t0
        bare = bare_client(server)
        pipeline_s, bare_s, overhead_s, load_s, plan_s = [], [], [], [], []
        cold = 0.0
        result = None
        for i in range(warmup + runs):
            seen = len(server.chat_requests)
            t0 = time.perf_counter()
            doc = summarizer.load(article)
            t1 = time.perf_counter()
            result = summarizer.summarize(doc)
            t2 = time.perf_counter()
            bodies = [r.body for r in server.chat_requests[seen:]]
            assert result.provenance is not None and result.provenance.attempts == len(bodies) == 2, (
                result.provenance
            )
            t3 = time.perf_counter()
            for body in bodies:
                assert body is not None
                bare.chat.completions.create(**body)
            t4 = time.perf_counter()
            if i == 0:
                cold = t2 - t0
            if i < warmup:
                continue
            p0 = time.perf_counter()
            summarizer.plan(doc)
            plan_s.append(time.perf_counter() - p0)
            load_s.append(t1 - t0)
            pipeline_s.append(t2 - t0)
            bare_s.append(t4 - t3)
            overhead_s.append((t2 - t0) - (t4 - t3))
        summarizer.close()
        bare.close()
        body = bodies[0]
    with FakeOpenAI(default=scripted(article), latency=LATENCY) as slow:
        client = bare_client(slow)
        client.chat.completions.create(**body)  # connect
        slow_s = []
        for _ in range(10):
            t0 = time.perf_counter()
            client.chat.completions.create(**body)
            slow_s.append(time.perf_counter() - t0)
        client.close()
    assert result is not None
    return {
        "chars": len(doc.text),
        "records": (len(result.meetings), len(result.agreements)),
        "construct": construct,
        "cold": cold,
        "pipeline": pipeline_s,
        "bare": bare_s,
        "overhead": overhead_s,
        "load": load_s,
        "plan": plan_s,
        "slow_call": statistics.median(slow_s),
    }


def apply_caches() -> None:
    """The suggested caches, patched in for a what-if measurement."""
    import functools

    from summarizer import llm, pipeline, prompts

    pipeline.schema_hash = functools.lru_cache(maxsize=1)(pipeline.schema_hash)
    cached_tools = functools.lru_cache(maxsize=8)(lambda models: llm.tool_definitions(list(models)))
    original = llm.LLM._kwargs

    def _kwargs(self: Any, response_model: Any, messages: Any, context: Any, tools: Any) -> dict[str, Any]:
        kwargs = original(self, response_model, messages, context, None)
        if "extra_body" in kwargs:
            kwargs["extra_body"] = {"tools": cached_tools(tuple(tools or [response_model]))}
        return kwargs

    llm.LLM._kwargs = _kwargs  # type: ignore[method-assign]
    prompts._ENV.from_string = functools.lru_cache(maxsize=64)(prompts._ENV.from_string)  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--with-caches", action="store_true", help="patch in the suggested caches first")
    args = parser.parse_args()
    if args.with_caches:
        apply_caches()
    rows = []
    for label, article in (("00 reference", REFERENCE), ("03 long (15k chars)", LONG)):
        m = measure(article, args.runs)
        om, op = stats_ms(m["overhead"])
        pm, pp = stats_ms(m["pipeline"])
        bm, _ = stats_ms(m["bare"])
        lm, _ = stats_ms(m["load"])
        plm, _ = stats_ms(m["plan"])
        slow = m["slow_call"] * 1000
        rows.append(
            f"| {label} | {m['chars']:,} | {m['records'][0]} / {m['records'][1]} | {pm:.2f} / {pp:.2f} "
            f"| {bm:.2f} | **{om:.2f}** / {op:.2f} | {lm:.2f} | {plm:.2f} | {slow:.1f} "
            f"| {om / slow:.1%} | {om / (2 * slow):.1%} | {m['construct'] * 1000:.0f} / {m['cold'] * 1000:.0f} |"
        )
        print(rows[-1], flush=True)
    body = f"""
{args.runs} measured runs per article after 5 warm-up runs; one reused `Summarizer`; two model calls
(MeetingPass, AgreementPass) per article, answered by a zero-latency `FakeOpenAI` on loopback.

- pipeline: `Summarizer.load(path)` + `Summarizer.summarize(doc)`, wall time.
- bare: the same two request bodies (captured by the fake server) sent with a bare `openai.OpenAI`
  client (no instructor, default httpx transport) to the same server.
- overhead = pipeline − bare, per run: loading, sentence splitting, prompt rendering, tool schemas,
  instructor, our transport, validation, grounding, merging. Median / p95.
- load / plan: `Summarizer.load` and `Summarizer.plan` (sentences + prompt rendering) alone, medians.
- bare call @200 ms: median of 10 bare calls (the MeetingPass body) to a `FakeOpenAI(latency=0.2)`.
- ratio/call: overhead of the whole article (two calls) ÷ one bare call at 200 ms;
  ratio/2 calls: ÷ the article's two bare calls.
- construct / cold: `Summarizer(settings)` once, and the first article's pipeline time (imports,
  schema generation), in ms.

| article | chars | meetings / agreements | pipeline ms median / p95 | bare ms median | overhead ms median / p95 | load ms | plan ms | bare call @200 ms (ms) | ratio/call | ratio/2 calls | construct / cold ms |
|---|---|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Targets: overhead < 20 ms for the reference article; < 5 % of a bare call at 200 ms.
"""
    suffix = " --with-caches" if args.with_caches else ""
    path = write_result(
        "overhead_with_caches" if args.with_caches else "overhead",
        "Pipeline overhead (everything but the model call)"
        + (", suggested caches patched in" if suffix else ""),
        f"/work/venv/bin/python benchmarks/bench_overhead.py --runs {args.runs}{suffix}",
        body,
    )
    print(path)


if __name__ == "__main__":
    main()
