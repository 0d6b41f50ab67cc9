"""``--via openai-batch`` keeps the same lock and the same state report as a direct batch."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_batch import batch_cli, cli_env
from test_batch_lock import BUSY, hold
from test_openai_batch import NAMES, docs, script, via_batch

from summarizer.articles.documents import Document
from summarizer.batch.lock import ResultsInUseError
from summarizer.testing import FakeBatchOpenAI

FAILING = Document(text="The ministers met in Paris. FAIL500.", id="fails")


def test_fake_server_openai_batch_refuses_a_results_file_in_use(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    holder = hold(out)
    try:
        with FakeBatchOpenAI(default=script) as server:
            with pytest.raises(
                ResultsInUseError, match=rf"in use by another summarizer batch \(pid {holder.pid}\)"
            ):
                via_batch(server, docs(), out)
            # refused before it read the results, uploaded a request or created a batch
            assert server.files == {} and server.batches == {} and server.chat_requests == []
            assert not out.exists() and not out.with_name(out.name + ".openai-batch.json").exists()
    finally:
        holder.communicate("", timeout=30)
    assert holder.returncode == 0


def test_fake_server_openai_batch_with_wait_starts_when_the_holder_ends(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    holder = hold(out)
    results: list[Any] = []
    with FakeBatchOpenAI(default=script) as server:
        run = threading.Thread(target=lambda: results.append(via_batch(server, docs(), out, wait=True)))
        run.start()
        time.sleep(0.5)
        assert run.is_alive() and server.batches == {}  # waiting: nothing sent yet
        holder.communicate("", timeout=30)
        run.join(timeout=60)
        assert not run.is_alive()
    [(report, api, events)] = results
    assert events[0] == f"waiting for {out}: in use by another summarizer batch (pid {holder.pid})"
    assert (report.ok, report.articles, report.total_ok, len(api.batches)) == (4, 4, 4, 1)


def test_fake_server_openai_batch_rerun_reports_recorded_failures(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with FakeBatchOpenAI(default=script) as server:
        first, _, _ = via_batch(server, [*docs(), FAILING], out)
        assert (first.ok, first.failed, first.total_failed) == (4, 1, 1)
        rerun, api, _ = via_batch(server, [*docs(), FAILING], out)
    assert (rerun.ok, rerun.failed, rerun.skipped) == (0, 0, 5)
    assert (rerun.articles, rerun.total_ok, rerun.total_failed) == (5, 4, 1)
    assert api.requests == 0 and api.batches == {}


def test_fake_server_openai_batch_cli_exit_codes(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out.jsonl"
    corpus.mkdir()
    for name in NAMES[:2]:
        (corpus / f"{name}.txt").write_text(next(d.text for d in docs() if d.id == name), encoding="utf-8")
    (corpus / "fails.txt").write_text(FAILING.text, encoding="utf-8")

    def run(server: FakeBatchOpenAI) -> subprocess.CompletedProcess[str]:
        args = batch_cli(str(corpus), "-o", str(out), "--base-url", server.base_url, "-m", "fake-model")
        args += ["--cache", "off", "--no-progress", "--via", "openai-batch", "--poll-interval", "0.01"]
        return subprocess.run(args, env=cli_env(), capture_output=True, text=True, timeout=120)

    with FakeBatchOpenAI(default=script) as server:
        first = run(server)
        assert first.returncode == 1, first.stderr
        assert "batch: 3 articles: 2 ok, 1 failed (3 processed this run" in first.stdout
        rerun = run(server)
        assert rerun.returncode == 1, rerun.stderr
        assert "batch: 3 articles: 2 ok, 1 failed (0 processed this run" in rerun.stdout
        assert rerun.stdout.rstrip().endswith("; rerun with --retry-failed")
        holder = hold(out)
        try:
            busy = run(server)
        finally:
            holder.communicate("", timeout=30)
    assert busy.returncode == BUSY and busy.stdout == ""
    assert busy.stderr.splitlines() == [
        f"error: {out} is in use by another summarizer batch (pid {holder.pid}); --wait waits for it"
    ]
