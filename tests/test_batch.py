"""Batch runs against the fake server: every article accounted for, resume, retries, kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import Settings, Summarizer
from summarizer.articles.documents import Document
from summarizer.articles.loaders import InputFailure
from summarizer.batch.run import AdaptiveLimiter, BatchReport, latest_results, run_batch
from summarizer.testing import FakeOpenAI, Reply, error, tool_call

N = 20


class Script:
    """The fake model: empty answers for the forced tool; articles marked FAIL500/FAIL429 always fail."""

    def __init__(self, delay: float = 0.0) -> None:
        self.failing = True
        self.delay = delay
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0

    def __call__(self, request: dict[str, Any]) -> Reply:
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(self.delay)
            prompt = json.dumps(request["messages"])
            if self.failing and "FAIL500" in prompt:
                return error(500, "boom")
            if self.failing and "FAIL429" in prompt:
                return error(429, "slow down")
            if request["tool_choice"]["function"]["name"] == "MeetingPass":
                return tool_call({"summary": "x", "meeting_sentences": [], "meetings": []})
            return tool_call({"agreement_sentences": [], "agreements": []})
        finally:
            with self.lock:
                self.active -= 1


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def server(script: Script) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(default=script) as fake:
        yield fake


def make_settings(server: FakeOpenAI) -> Settings:
    return Settings(
        base_url=server.base_url,
        model="fake-model",
        cache="off",
        timeout=5,
        max_transport_retries=2,
        retry_max_wait=0.05,
    )


def article(i: int, marker: str = "") -> Document:
    text = f"Article {i:02d}. The ministers met in Geneva on Monday {marker}. They agreed to meet again."
    return Document(text=text, id=f"art-{i:02d}")


def articles(n: int = N, fail500: tuple[int, ...] = (), fail429: tuple[int, ...] = ()) -> list[Document]:
    marks = {**dict.fromkeys(fail500, "FAIL500"), **dict.fromkeys(fail429, "FAIL429")}
    return [article(i, marks.get(i, "")) for i in range(n)]


async def batch(
    server: FakeOpenAI,
    docs: list[Any],
    out: Path,
    *,
    concurrency: int = 4,
    retry_failed: bool = False,
    **kwargs: Any,
) -> BatchReport:
    settings = make_settings(server)
    return await run_batch(
        docs,
        out,
        lambda: Summarizer(settings),
        concurrency=concurrency,
        retry_failed=retry_failed,
        progress=False,
        **kwargs,
    )


def lines(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


async def test_fake_server_batch_accounts_for_every_article(server: FakeOpenAI, tmp_path: Path) -> None:
    server.enqueue(error(500), error(429), error(503), error(429))  # transient: absorbed by retries
    docs: list[Any] = articles(fail500=(3, 11), fail429=(7,))
    docs.append(InputFailure(id="broken", reason="broken.txt: binary file", content_hash="abc"))
    out = tmp_path / "results.jsonl"
    report = await batch(server, docs, out)

    assert (report.ok, report.failed, report.skipped) == (17, 4, 0)
    assert report.tokens == 17 * 2 * 150 and report.seconds > 0 and report.slowdowns >= 1
    written = lines(out)
    assert len(written) == 21 and Counter(r["id"] for r in written).most_common(1)[0][1] == 1
    latest = latest_results(out)
    assert {k[0] for k in latest} == {d.id for d in docs}
    by_id = {r["id"]: r for r in written}
    for i in (3, 11):
        record = by_id[f"art-{i:02d}"]
        assert record["status"] == "error" and record["error_type"] == "TransportError"
        assert "HTTP 500" in record["error"] and record["attempts"] == 3 and "\n" not in record["error"]
    assert "HTTP 429" in by_id["art-07"]["error"]
    assert by_id["broken"] == {
        "id": "broken",
        "content_hash": "abc",
        "status": "error",
        "error": "broken.txt: binary file",
        "error_type": "InputError",
        "attempts": 0,
    }
    ok = by_id["art-00"]
    assert ok["status"] == "ok" and ok["content_hash"] == docs[0].content_hash
    assert ok["result"]["source"]["id"] == "art-00" and ok["result"]["summary"] == "x"


async def test_fake_server_concurrency_is_bounded(tmp_path: Path) -> None:
    script = Script(delay=0.05)
    with FakeOpenAI(default=script) as server:
        report = await batch(server, articles(12), tmp_path / "out.jsonl", concurrency=3)
    assert report.ok == 12
    assert 2 <= script.peak <= 3


async def test_fake_server_resume_skips_finished_articles(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    docs = articles(fail500=(5,))
    first = await batch(server, docs[:10], out)
    assert (first.ok, first.failed) == (9, 1)
    sent = len(server.chat_requests)

    second = await batch(server, docs, out)  # only the 10 new articles are sent
    assert (second.ok, second.failed, second.skipped) == (10, 0, 10)
    assert len(server.chat_requests) - sent == 20
    sent = len(server.chat_requests)

    third = await batch(server, docs, out)  # a finished batch sends nothing
    assert (third.ok, third.failed, third.skipped) == (0, 0, N)
    assert len(server.chat_requests) == sent
    assert len(lines(out)) == N

    changed = [*docs[:-1], article(N - 1, "edited")]  # same id, new content: done again
    fourth = await batch(server, changed, out)
    assert (fourth.ok, fourth.skipped) == (1, N - 1)


async def test_fake_server_retry_failed_appends_new_latest_lines(
    server: FakeOpenAI, script: Script, tmp_path: Path
) -> None:
    out = tmp_path / "results.jsonl"
    docs = articles(fail500=(2, 9), fail429=(14,))
    first = await batch(server, docs, out)
    assert (first.ok, first.failed) == (17, 3)

    script.failing = False
    sent = len(server.chat_requests)
    plain = await batch(server, docs, out)
    assert (plain.ok, plain.failed, plain.skipped) == (0, 0, N) and len(server.chat_requests) == sent

    retried = await batch(server, docs, out, retry_failed=True)
    assert (retried.ok, retried.failed, retried.skipped) == (3, 0, 17)
    assert len(server.chat_requests) - sent == 3 * 2
    assert len(lines(out)) == N + 3
    latest = latest_results(out)
    assert len(latest) == N and all(r["status"] == "ok" for r in latest.values())


async def test_fake_server_torn_last_line_is_cut_on_resume(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    docs = articles(4)
    await batch(server, docs[:2], out)
    with out.open("ab") as f:
        f.write(b'{"id": "art-02", "content_hash": "' + docs[2].content_hash.encode() + b'", "status": "o')
    assert len(latest_results(out)) == 2  # the torn line does not count
    report = await batch(server, docs, out)
    assert (report.ok, report.skipped) == (2, 2)
    data = out.read_bytes()
    assert data.endswith(b"\n") and b'"status": "o' not in data
    assert sorted(r["id"] for r in lines(out)) == ["art-00", "art-01", "art-02", "art-03"]


async def test_adaptive_limiter_halves_and_recovers() -> None:
    limiter = AdaptiveLimiter(8, recover_after=0.01, min_gap=0.0)
    limiter.throttle()
    assert limiter.limit == 4
    limiter.throttle()
    limiter.throttle()
    limiter.throttle()
    assert limiter.limit == 1 and limiter.slowdowns == 4
    for _ in range(10):
        time.sleep(0.012)
        async with limiter:
            pass
    assert limiter.limit == 8  # one step per quiet period, up to the maximum
    burst = AdaptiveLimiter(8, min_gap=60)
    burst.throttle()
    burst.throttle()  # a burst of 429s counts once
    assert burst.limit == 4


# -- the command line, killed and resumed -----------------------------------------------
def batch_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "summarizer.cli.batch", "batch", *args]


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    return {**env, "SUMMARIZER_STRATEGY": "passes"}  # the fake server answers the two passes


def settled_request_count(server: FakeOpenAI, quiet: float = 0.5) -> int:
    """The server's chat request count once it has not changed for `quiet` seconds."""
    count, since = len(server.chat_requests), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.02)
        now = len(server.chat_requests)
        if now != count:
            count, since = now, time.monotonic()
    return count


def write_corpus(root: Path, n: int) -> None:
    root.mkdir()
    for i in range(n):
        (root / f"a{i:03d}.txt").write_text(article(i).text, encoding="utf-8")


def test_fake_server_batch_cli_kill9_then_resume(tmp_path: Path) -> None:
    corpus, out, n = tmp_path / "corpus", tmp_path / "out.jsonl", 60
    write_corpus(corpus, n)
    with FakeOpenAI(default=Script(), latency=0.1) as server:
        args = batch_cli(
            str(corpus), "--out", str(out), "--base-url", server.base_url, "--model", "fake-model"
        )
        args += ["--cache", "off", "--concurrency", "4", "--no-progress"]
        proc = subprocess.Popen(args, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 8):
            time.sleep(0.01)
        assert proc.poll() is None, "the batch finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        done_before = len(latest_results(out))
        assert 8 <= done_before < n
        # A request the killed process had already written may still sit in the
        # socket buffer; wait until the server has recorded it before counting.
        sent = settled_request_count(server)

        rerun = subprocess.run(args, env=cli_env(), capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        assert rerun.stdout.startswith(
            f"batch: {n} articles: {n} ok, 0 failed ({n - done_before} processed this run: "
            f"{n - done_before} ok, 0 failed; {done_before} skipped;"
        )
        assert len(server.chat_requests) - sent == 2 * (n - done_before)

    raw = out.read_bytes()
    assert raw.endswith(b"\n")
    records = lines(out)  # every line parses: nothing torn
    assert len(records) == n
    ok_lines = Counter(r["id"] for r in records if r["status"] == "ok")
    assert set(ok_lines) == {f"a{i:03d}" for i in range(n)} and set(ok_lines.values()) == {1}
    assert all(r["status"] == "ok" for r in latest_results(out).values())


def test_fake_server_batch_cli_reports_failures_with_exit_1(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out.jsonl"
    write_corpus(corpus, 3)
    (corpus / "bad.txt").write_bytes(b"caf\xe9 met")
    with FakeOpenAI(default=Script()) as server:
        args = batch_cli(str(corpus), "-o", str(out), "--base-url", server.base_url, "-m", "fake-model")
        proc = subprocess.run(
            [*args, "--cache", "off", "--no-progress"],
            env=cli_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("batch: 4 articles: 3 ok, 1 failed (4 processed this run: 3 ok, 1 failed;")
    assert "Traceback" not in proc.stderr
    bad = {key[0]: record for key, record in latest_results(out).items()}["bad"]
    assert bad["error_type"] == "InputError" and "not valid UTF-8" in bad["error"]


async def test_fake_server_500_articles_with_20_percent_random_faults(tmp_path: Path) -> None:
    """Issue 7: 20% of model calls fail at random (fixed seed); every article ends once, as a result
    or an error record, and the counts add up."""
    import random

    rng = random.Random(20261127)
    lock = threading.Lock()
    faults = Counter[str]()

    def flaky(request: dict[str, Any]) -> Reply:
        with lock:
            roll = rng.random()
        if roll < 0.20:
            kind = ("500", "503", "429", "bad-json")[int(roll * 20) % 4]
            with lock:
                faults[kind] += 1
            if kind == "bad-json":
                return tool_call("{not json")
            return error(int(kind), "injected fault")
        if request["tool_choice"]["function"]["name"] == "MeetingPass":
            return tool_call({"summary": "x", "meetings": []})
        return tool_call({"agreements": []})

    out = tmp_path / "results.jsonl"
    with FakeOpenAI(default=flaky) as fake:
        settings = make_settings(fake).with_overrides(
            max_transport_retries=1, max_reasks=0, on_invalid="error"
        )
        report = await run_batch(
            articles(500), out, lambda: Summarizer(settings), concurrency=16, progress=False
        )
    rows = lines(out)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == 500  # no duplicates, none lost
    ok = sum(row["status"] == "ok" for row in rows)
    failed = sum(row["status"] == "error" for row in rows)
    assert ok + failed == 500 and report.ok == ok and report.failed == failed
    assert sum(faults.values()) > 150 and 0 < failed < 500
    assert all(row["error"] for row in rows if row["status"] == "error")
    print(f"500 articles: {ok} ok, {failed} errors; injected faults: {dict(faults)}")
