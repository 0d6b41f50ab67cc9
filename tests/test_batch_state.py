"""A batch reports and exits on the results file's state (latest line per article), not on one run."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from test_batch import Script, article, articles, batch, batch_cli, cli_env, lines, write_corpus

from summarizer.testing import FakeOpenAI


async def test_fake_server_rerun_counts_recorded_failures(tmp_path: Path) -> None:
    script = Script()
    out = tmp_path / "results.jsonl"
    docs = articles(5, fail500=(1, 3))
    with FakeOpenAI(default=script) as server:
        first = await batch(server, docs, out)
        assert (first.articles, first.total_ok, first.total_failed) == (5, 3, 2)
        assert (first.ok, first.failed, first.skipped) == (3, 2, 0)

        rerun = await batch(server, docs, out)  # nothing processed: the file still holds two errors
        assert (rerun.ok, rerun.failed, rerun.skipped) == (0, 0, 5)
        assert (rerun.articles, rerun.total_ok, rerun.total_failed) == (5, 3, 2)
        assert rerun.line().startswith("5 articles: 3 ok, 2 failed (0 processed this run")

        script.failing = False
        retried = await batch(server, docs, out, retry_failed=True)
        assert (retried.ok, retried.failed, retried.skipped) == (2, 0, 3)
        assert (retried.articles, retried.total_ok, retried.total_failed) == (5, 5, 0)


async def test_fake_server_state_covers_this_runs_articles_only(tmp_path: Path) -> None:
    """An error line of an article's old content, or of an article not asked for, does not count."""
    out = tmp_path / "results.jsonl"
    with FakeOpenAI(default=Script()) as server:
        await batch(server, [*articles(3), article(7, "FAIL500")], out)
        edited = [*articles(3), article(7, "edited")]  # art-07's content changed: asked again, ok
        report = await batch(server, edited, out)
        assert (report.articles, report.total_ok, report.total_failed) == (4, 4, 0)
        subset = await batch(server, [*articles(2), articles(2)[0]], out)  # a duplicate counts once
        assert (subset.articles, subset.total_ok, subset.total_failed, subset.skipped) == (2, 2, 0, 3)
    assert len(lines(out)) == 5


def run_cli(server: FakeOpenAI, corpus: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = batch_cli(str(corpus), "-o", str(out), "--base-url", server.base_url, "-m", "fake-model")
    return subprocess.run(
        [*args, "--cache", "off", "--no-progress", *extra],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_fake_server_cli_rerun_with_recorded_failures_exits_1(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out.jsonl"
    write_corpus(corpus, 2)
    (corpus / "zz.txt").write_text(article(9, "FAIL500").text, encoding="utf-8")
    script = Script()
    with FakeOpenAI(default=script) as server:
        first = run_cli(server, corpus, out)
        assert first.returncode == 1, first.stderr
        assert first.stdout.startswith("batch: 3 articles: 2 ok, 1 failed (3 processed this run: 2 ok")

        rerun = run_cli(server, corpus, out)
        assert rerun.returncode == 1, rerun.stdout  # was 0, with "0 ok, 0 failed, 3 skipped"
        assert rerun.stdout.startswith("batch: 3 articles: 2 ok, 1 failed (0 processed this run")
        assert rerun.stdout.rstrip().endswith("; rerun with --retry-failed")
        assert "Traceback" not in rerun.stderr

        script.failing = False
        fixed = run_cli(server, corpus, out, "--retry-failed")
        assert fixed.returncode == 0, fixed.stdout
        assert fixed.stdout.startswith("batch: 3 articles: 3 ok, 0 failed (1 processed this run: 1 ok")
        assert "--retry-failed" not in fixed.stdout

        again = run_cli(server, corpus, out)
        assert again.returncode == 0 and again.stdout.startswith("batch: 3 articles: 3 ok, 0 failed (0 ")
    records: list[dict[str, Any]] = lines(out)
    assert len(records) == 4 and [r["status"] for r in records if r["id"] == "zz"] == ["error", "ok"]
