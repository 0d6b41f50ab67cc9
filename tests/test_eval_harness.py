"""The eval harness end to end: run (fake server), results.json, report, gate, compare, replay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import ROOT
from replies import AGREEMENTS_00, MEETINGS_00

from summarizer import Summarizer
from summarizer.evaluation.align import ArticleScore, Counts
from summarizer.evaluation.runner import EvalRun, gate, load_results, run_eval
from summarizer.settings import Settings
from summarizer.testing import FakeOpenAI, Reply, tool_call

GOLD = ROOT / "evals" / "gold"


def answer(request: dict[str, Any]) -> Reply:
    """Scripted by hand: the reference article gets its answers, every other article nothing."""
    forced = request["tool_choice"]["function"]["name"]
    user = request["messages"][1]["content"]
    reference = 'first "two-plus-two" meeting' in user
    if forced == "MeetingPass":
        return tool_call(MEETINGS_00 if reference else {"summary": "Nothing.", "meetings": []})
    return tool_call(AGREEMENTS_00 if reference else {"agreements": []})


def test_fake_server_eval_run_scores_and_saves(tmp_path: Path) -> None:
    with FakeOpenAI(default=answer) as server:
        settings = Settings(base_url=server.base_url, model="fake-model", cache="off")
        run = run_eval(
            GOLD, lambda: Summarizer(settings), progress=False, limit=["00_", "29_", "30_"], concurrency=2
        )
    assert [r.article for r in run.results] == [
        "00_japan_russia_two_plus_two_2013.txt",
        "29_bp_oil_profit_negative_1987.txt",
        "30_us_home_sales_negative_1987.txt",
    ]
    summary = run.summary()
    # Article 00 gold: 3 meetings, 4 agreements; the scripted answer has all 3 meetings and 2 agreements.
    assert summary["meetings"]["object"]["tp"] == 3 and summary["meetings"]["object"]["fp"] == 0
    assert summary["agreements"]["object"]["tp"] == 2 and summary["agreements"]["object"]["fn"] == 2
    assert summary["meetings"]["fields"]["date_strict"]["f1"] == 1.0
    path = tmp_path / "results.json"
    run.save(path)
    data = json.loads(path.read_text())
    assert data["provenance"]["model"] == "fake-model" and data["provenance"]["errors"] == 0
    assert data["articles"][0]["score"]["alignments"]["meetings"][0]["outcome"] == "tp"
    again = load_results(path)
    assert again.headline() == run.headline()
    assert gate(again, run) == []


def _scores(outcome: str, n: int = 30) -> list[ArticleScore]:
    counts = Counts(tp=1) if outcome == "good" else Counts(fn=1, fp=1)
    return [
        ArticleScore(article=f"a{i}", objects={"meetings": counts, "agreements": counts}) for i in range(n)
    ]


def _run(outcome: str) -> EvalRun:
    return EvalRun([_result(s) for s in _scores(outcome)], n_boot=200)


def _result(score: ArticleScore):  # type: ignore[no-untyped-def]
    from summarizer.evaluation.runner import ArticleResult

    return ArticleResult(score.article, None, None, 0.0, score)


def test_gate_fails_on_significant_drop_only() -> None:
    failures = gate(_run("bad"), _run("good"), max_drop=0.02)
    assert len(failures) == 2 and failures[0].startswith("meetings.object.f1: 1.000 → 0.000")
    assert gate(_run("good"), _run("bad")) == []  # an improvement never fails
    assert gate(_run("good"), _run("good")) == []


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m summarizer ARGS``; under GitHub Actions, without its job summary and annotations."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args], capture_output=True, text=True, timeout=300, env=env
    )


def test_fake_server_eval_cli_replay_gate_and_compare(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    with FakeOpenAI(default=answer) as server:
        record = cli(
            "eval",
            "--base-url",
            server.base_url,
            "-m",
            "fake-model",
            "--only",
            "00_",
            "--only",
            "09_",
            "--cache-path",
            str(cache),
            "--out",
            str(tmp_path / "a"),
            "--no-progress",
            "--update-baseline",
            "--baseline",
            str(tmp_path / "baseline.json"),
        )
    assert record.returncode == 0, record.stderr
    assert "baseline written" in record.stdout
    # Replay: no server at all, same numbers, gate passes.
    replay = cli(
        "eval",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "-m",
        "fake-model",
        "--only",
        "00_",
        "--only",
        "09_",
        "--cache",
        "replay",
        "--cache-path",
        str(cache),
        "--out",
        str(tmp_path / "b"),
        "--no-progress",
        "--baseline",
        str(tmp_path / "baseline.json"),
    )
    assert replay.returncode == 0, replay.stderr
    assert "gate: no headline metric dropped" in replay.stdout
    a = json.loads((tmp_path / "a" / "results.json").read_text())
    b = json.loads((tmp_path / "b" / "results.json").read_text())
    assert a["headline"] == b["headline"]
    report = (tmp_path / "b" / "report.md").read_text()
    assert "| meetings | **object** |" in report and "✅ no significant drop" in report
    compared = cli(
        "eval", "compare", str(tmp_path / "a" / "results.json"), str(tmp_path / "b" / "results.json")
    )
    assert compared.returncode == 0 and "| meetings | object | 1.00 | 1.00 | +0.000 |" in compared.stdout
    # A prompt or model change misses the cache: replay says re-record is needed (recorded per article).
    miss = cli(
        "eval",
        "-m",
        "other-model",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--only",
        "00_",
        "--cache",
        "replay",
        "--cache-path",
        str(cache),
        "--out",
        str(tmp_path / "c"),
        "--no-progress",
    )
    assert miss.returncode == 1 and "1 article(s) failed" in miss.stderr and "re-record" in miss.stderr
    errors = [r["error"] for r in json.loads((tmp_path / "c" / "results.json").read_text())["articles"]]
    assert errors and "CacheMissError" in errors[0] and "re-record" in errors[0]
