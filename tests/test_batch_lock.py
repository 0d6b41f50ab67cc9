"""One batch per results file: a second run refuses (or waits with --wait); a killed run's lock dies with it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from test_batch import Script, articles, batch, batch_cli, cli_env, lines, write_corpus

from summarizer.batch.lock import ResultsInUseError, lock_path, results_lock
from summarizer.batch.run import latest_results
from summarizer.testing import FakeOpenAI

N = 12
BUSY = 75  # the exit code of a run refused by the lock
DEAD = "http://127.0.0.1:9/v1"  # nothing listens: the run must stop before any request


def start(
    server: FakeOpenAI, corpus: Path, out: Path, *extra: str, progress: bool = False
) -> subprocess.Popen[str]:
    args = batch_cli(str(corpus), "-o", str(out), "--base-url", server.base_url, "-m", "fake-model")
    args += ["--cache", "off", "--progress" if progress else "--no-progress", "-j", "2", *extra]
    return subprocess.Popen(args, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_lines(out: Path, proc: subprocess.Popen[str], count: int = 1) -> None:
    """Until ``proc`` has written ``count`` lines: it holds the lock and is mid-batch."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < count):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    assert proc.poll() is None, "the first batch finished too soon"


def assert_each_article_once(out: Path, n: int = N) -> None:
    records = lines(out)
    ids = Counter(r["id"] for r in records)
    assert len(records) == n and set(ids.values()) == {1}, ids.most_common(3)
    assert all(r["status"] == "ok" for r in latest_results(out).values())


def test_fake_server_second_cli_batch_on_the_same_file_refuses_at_once(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "results.jsonl"
    write_corpus(corpus, N)
    with FakeOpenAI(default=Script(), latency=0.5) as server:  # the first run takes ~6 s
        first = start(server, corpus, out)
        wait_for_lines(out, first)
        began = time.monotonic()
        second = start(server, corpus, out)
        _, err = second.communicate(timeout=60)
        assert first.poll() is None, "the second run waited for the first"
        assert second.returncode == BUSY, err
        assert err.splitlines() == [
            f"error: {out} is in use by another summarizer batch (pid {first.pid}); --wait waits for it"
        ]
        assert time.monotonic() - began < 30
        _, stderr = first.communicate(timeout=120)
        assert first.returncode == 0, stderr
    assert_each_article_once(out)
    assert lock_path(out).read_text() == ""  # released: no holder recorded


def test_fake_server_second_cli_batch_with_wait_runs_after_the_first(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "results.jsonl"
    write_corpus(corpus, N)
    with FakeOpenAI(default=Script(), latency=0.3) as server:  # the first run takes ~4 s
        first = start(server, corpus, out)
        wait_for_lines(out, first)
        second = start(server, corpus, out, "--wait", progress=True)
        first_out, first_err = first.communicate(timeout=120)
        second_out, second_err = second.communicate(timeout=120)
        assert first.returncode == 0, first_err
        assert second.returncode == 0, second_err
        assert f"{N} processed this run" in first_out
        assert second_out.startswith(f"batch: {N} articles: {N} ok, 0 failed (0 processed this run")
        waiting = f"waiting for {out}: in use by another summarizer batch (pid {first.pid})"
        assert second_err.splitlines()[0] == waiting  # it did meet the first run, and waited
        assert len(server.chat_requests) == 2 * N  # nothing asked twice
    assert_each_article_once(out)


def test_fake_server_lock_of_a_killed_batch_does_not_block(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "results.jsonl"
    write_corpus(corpus, N)
    with FakeOpenAI(default=Script(), latency=0.1) as server:
        first = start(server, corpus, out)
        wait_for_lines(out, first, 2)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        assert lock_path(out).read_text() == f"{first.pid}\n"  # the dead holder's pid stays behind
        began = time.monotonic()
        rerun = start(server, corpus, out)  # no --wait: a dead holder is no holder
        stdout, stderr = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, stderr
        assert stdout.startswith(f"batch: {N} articles: {N} ok, 0 failed")
        assert time.monotonic() - began < 60
    records = lines(out)
    assert Counter(r["id"] for r in records if r["status"] == "ok") == {f"a{i:03d}": 1 for i in range(N)}


async def test_fake_server_run_batch_refuses_or_waits_for_a_held_lock(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "results.jsonl"
    with FakeOpenAI(default=Script()) as server:
        async with results_lock(out):
            assert lock_path(out).read_text().strip() == str(os.getpid())
            with pytest.raises(ResultsInUseError, match=r"results\.jsonl is in use .* \(pid \d+\)"):
                await batch(server, articles(3), out)
            assert not out.exists() and server.chat_requests == []

            events: list[str] = []
            waiting = asyncio.ensure_future(batch(server, articles(3), out, wait=True, notify=events.append))
            await asyncio.sleep(0.5)
            assert not waiting.done() and server.chat_requests == []
            assert len(events) == 1 and events[0].startswith(f"waiting for {out}: in use by another")
        report = await waiting
    assert (report.ok, report.articles, report.total_ok) == (3, 3, 3)


def test_lock_on_an_unusable_path_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = subprocess.run(
        batch_cli(str(blocker), "-o", str(blocker / "out.jsonl"), "--no-progress", "--base-url", DEAD),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "cannot lock" in proc.stderr
    assert "Traceback" not in proc.stderr


HOLD = """
import asyncio, sys
from summarizer.batch.lock import results_lock

async def main() -> None:
    async with results_lock(sys.argv[1]):
        print("held", flush=True)
        sys.stdin.read()

asyncio.run(main())
"""


def hold(out: Path) -> subprocess.Popen[str]:
    """Another process holding the lock of ``out`` until its stdin closes."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)],
        env=cli_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc
