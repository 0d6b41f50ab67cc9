"""Per-article overhead of everything but the model call.

Method: a zero-latency FakeOpenAI answers with scripted (valid) answers. Each run
times ``Summarizer.load`` + ``Summarizer.summarize`` (document loading, sentence
splitting, prompt rendering, instructor, validation, grounding, merging, the HTTP
round trips), then replays the *identical request bodies* with a bare ``openai``
client (no instructor, default transport) on the same server and times that.
Overhead = pipeline time − bare time, per run; median and p95 over the runs.
The overhead is then put against one bare call to a server with 200 ms latency, per model
call (the article's overhead ÷ its model calls: two passes, per chunk for a long article) and
per article.

The same difference is also taken in process CPU time (``time.process_time``: this process's
threads, the fake server's included, whose work is the same for both clients): it is less
inflated than wall time when other work competes for the CPUs.

Usage: python benchmarks/bench_overhead.py [--runs 50]
"""

from __future__ import annotations

import argparse
import os
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
        pipeline_s, bare_s, overhead_s, load_s, plan_s, cpu_s = [], [], [], [], [], []
        cold = 0.0
        result = None
        for i in range(warmup + runs):
            seen = len(server.chat_requests)
            c0 = time.process_time()
            t0 = time.perf_counter()
            doc = summarizer.load(article)
            t1 = time.perf_counter()
            result = summarizer.summarize(doc)
            t2 = time.perf_counter()
            c2 = time.process_time()
            bodies = [r.body for r in server.chat_requests[seen:]]
            assert result.provenance is not None and result.provenance.attempts == len(bodies), (
                result.provenance
            )
            # No re-ask, nothing dropped.
            problems = [w for w in result.provenance.warnings if not w.startswith("added ")]
            assert not problems, problems
            c3 = time.process_time()
            t3 = time.perf_counter()
            for body in bodies:
                assert body is not None
                bare.chat.completions.create(**body)
            t4 = time.perf_counter()
            c4 = time.process_time()
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
            cpu_s.append((c2 - c0) - (c4 - c3))
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
        "overhead_cpu": cpu_s,
        "load": load_s,
        "plan": plan_s,
        "slow_call": statistics.median(slow_s),
        "calls": len(bodies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = []
    for label, article in (("00 reference", REFERENCE), ("03 long (15k chars)", LONG)):
        m = measure(article, args.runs)
        om, op = stats_ms(m["overhead"])
        cm, _ = stats_ms(m["overhead_cpu"])
        pm, pp = stats_ms(m["pipeline"])
        bm, _ = stats_ms(m["bare"])
        lm, _ = stats_ms(m["load"])
        plm, _ = stats_ms(m["plan"])
        slow = m["slow_call"] * 1000
        calls = m["calls"]
        rows.append(
            f"| {label} | {m['chars']:,} | {calls} | {m['records'][0]} / {m['records'][1]} | {pm:.2f} / {pp:.2f} "
            f"| {bm:.2f} | **{om:.2f}** / {op:.2f} | {cm:.2f} | **{om / calls:.2f}** | {slow:.1f} "
            f"| **{om / calls / slow:.1%}** | {om / (calls * slow):.1%} | {om / slow:.1%} "
            f"| {lm:.2f} | {plm:.2f} | {m['construct'] * 1000:.0f} / {m['cold'] * 1000:.0f} |"
        )
        print(rows[-1], flush=True)
    body = f"""
{args.runs} measured runs per article after 5 warm-up runs; one reused `Summarizer` (default settings:
long articles are chunked); model calls (MeetingPass, AgreementPass, per chunk) answered by a
zero-latency `FakeOpenAI` on loopback.
Load average (1, 5, 15 min) at the start: {load_before}.

- pipeline: `Summarizer.load(path)` + `Summarizer.summarize(doc)`, wall time.
- bare: the same request bodies (captured by the fake server) sent with a bare `openai.OpenAI`
  client (no instructor, default httpx transport) to the same server.
- overhead = pipeline − bare, per run: loading, sentence splitting, prompt rendering, tool schemas,
  instructor, our transport, validation, grounding, merging. Median / p95, per article.
- overhead CPU: the same difference in process CPU time (median); less sensitive to other load.
- calls: model calls per article; per call: the article's overhead ÷ its calls.
- bare call @200 ms: median of 10 bare calls (the MeetingPass body) to a `FakeOpenAI(latency=0.2)`.
- per call ÷ bare call: overhead per call ÷ one bare call at 200 ms (**the < 5 % target**);
  per article ÷ its calls: the same number, as the article's overhead ÷ as many bare calls;
  per article ÷ one call: the article's whole overhead ÷ one bare call (stricter reading).
- load / plan: `Summarizer.load` and `Summarizer.plan` (sentences + prompt rendering) alone, medians.
- construct / cold: `Summarizer(settings)` once, and the first article's pipeline time (imports,
  schema generation), in ms.

| article | chars | calls | meetings / agreements | pipeline ms median / p95 | bare ms median | overhead ms median / p95 (article) | overhead CPU ms | overhead ms per call | bare call @200 ms (ms) | per call ÷ bare call | per article ÷ its calls | per article ÷ one call | load ms | plan ms | construct / cold ms |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Targets: overhead < 20 ms for the reference article; < 5 % of a bare call at 200 ms, per call.
"""
    path = write_result(
        "overhead",
        "Pipeline overhead (everything but the model call)",
        f"/work/venv/bin/python benchmarks/bench_overhead.py --runs {args.runs}",
        body,
    )
    print(path)


if __name__ == "__main__":
    main()
