"""``summarizer eval`` as CI runs it: the recorded replay of a set, the gate's exit codes,
JUnit XML and GitHub Actions annotations.

Each run is a real process replaying ``evals/news/dev/cache.sqlite`` (no model, no network), as
``.ci/run`` and ``.github/workflows/evals.yml`` do; worse runs are made from a copy of the
cache with its answers deleted (every article fails) and a better baseline from a copy of
``evals/news/dev/baseline.json`` with perfect meeting counts (the gate fails).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT

EVALS = ROOT / "evals" / "news" / "dev"  # 20 articles: a recorded set that replays in seconds
N_ARTICLES = len(json.loads((EVALS / "baseline.json").read_text(encoding="utf-8"))["articles"])
N_HEADLINE = len(json.loads((EVALS / "baseline.json").read_text(encoding="utf-8"))["headline"])
_BASE = json.loads((EVALS / "baseline.json").read_text(encoding="utf-8"))
F1 = f"{_BASE['headline']['meetings.object.f1']:.3f}"  # the recorded run's strict meetings F1
FIRST = sorted(a["article"] for a in _BASE["articles"])[0]
SECOND = sorted(a["article"] for a in _BASE["articles"])[1]


def run_eval_cli(
    tmp_path: Path, *args: str, cache: Path = EVALS / "cache.sqlite", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``summarizer eval --local --cache replay`` in a clean environment (defaults, as in CI)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SUMMARIZER_", "OPENAI_", "GITHUB_"))
        and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    clean["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")  # no user settings file
    clean.update(env or {})
    command = [sys.executable, "-m", "summarizer", "eval", "--local", "--cache", "replay"]
    command += ["--cache-path", str(cache), "--gold", str(EVALS / "gold"), "--no-progress", *args]
    return subprocess.run(command, capture_output=True, text=True, env=clean, cwd=tmp_path, timeout=300)


@pytest.fixture
def better_baseline(tmp_path: Path) -> Path:
    """The committed baseline with every article's meetings found perfectly: the replay is worse."""
    data = json.loads((EVALS / "baseline.json").read_text(encoding="utf-8"))
    for article in data["articles"]:
        c = article["score"]["objects"].get("meetings")
        if c:
            article["score"]["objects"]["meetings"] = {"tp": c["tp"] + c["fn"], "fp": 0, "fn": 0}
    path = tmp_path / "better.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def empty_cache(tmp_path: Path) -> Path:
    """The recording with its answers deleted: every article misses the cache."""
    path = tmp_path / "empty.sqlite"
    path.write_bytes((EVALS / "cache.sqlite").read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM responses")
    conn.close()
    return path


def junit(path: Path) -> tuple[ET.Element, dict[str, list[ET.Element]]]:
    root = ET.parse(path).getroot()
    cases: dict[str, list[ET.Element]] = {}
    for suite in root.iter("testsuite"):
        cases[suite.get("name", "")] = suite.findall("testcase")
    return root, cases


def errored(out: Path) -> list[str]:
    """The articles that failed, from ``results.json``."""
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return [a["article"] for a in data["articles"] if a["error"]]


def failed(cases: list[ET.Element]) -> list[str]:
    return [c.get("name", "") for c in cases if c.find("failure") is not None]


def test_replay_passes_the_gate_and_writes_junit(tmp_path: Path) -> None:
    done = run_eval_cli(
        tmp_path,
        "--baseline",
        str(EVALS / "baseline.json"),
        "--out",
        str(tmp_path / "out"),
        "--junit",
        str(tmp_path / "reports" / "eval.xml"),
    )
    assert done.returncode == 0, done.stderr
    assert "gate: no headline metric dropped" in done.stdout and "::error" not in done.stdout
    root, cases = junit(tmp_path / "reports" / "eval.xml")
    assert root.tag == "testsuites" and root.get("failures") == "0"
    assert root.get("tests") == str(N_ARTICLES + N_HEADLINE)
    assert len(cases["articles"]) == N_ARTICLES and len(cases["gate"]) == N_HEADLINE
    first = cases["articles"][0]
    assert first.get("name") == FIRST
    counts = next(a for a in _BASE["articles"] if a["article"] == FIRST)["score"]["objects"]["meetings"]
    assert f"meetings: tp {counts['tp']} · fp {counts['fp']} · fn {counts['fn']}" in (
        first.findtext("system-out") or ""
    )
    gate_case = next(c for c in cases["gate"] if c.get("name") == "meetings.object.f1")
    assert f"baseline {F1} · current {F1}" in (gate_case.findtext("system-out") or "")


def test_gate_failure_exits_4_with_junit_failure_and_annotation(
    tmp_path: Path, better_baseline: Path
) -> None:
    summary = tmp_path / "step-summary.md"
    done = run_eval_cli(
        tmp_path,
        "--baseline",
        str(better_baseline),
        "--out",
        str(tmp_path / "out"),
        "--junit",
        str(tmp_path / "eval.xml"),
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert done.returncode == 4, done.stderr
    assert f"regression: meetings.object.f1: 1.000 → {F1}" in done.stderr
    assert "error: 1 gate check(s) failed (a headline metric dropped beyond 0.02" in done.stderr
    assert "Traceback" not in done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith(
        f"::error title=eval gate%3A meetings.object.f1 dropped::1.000 → {F1} (Δ -"
    )
    assert "95%25 CI [" in annotations[0]  # % escaped as GitHub reads it
    assert "- ❌ meetings.object.f1" in summary.read_text(encoding="utf-8")  # the job summary
    root, cases = junit(tmp_path / "eval.xml")
    assert root.get("tests") == str(N_ARTICLES + N_HEADLINE) and root.get("failures") == "1"
    assert failed(cases["gate"]) == ["meetings.object.f1"] and failed(cases["articles"]) == []
    failure = next(c for c in cases["gate"] if c.get("name") == "meetings.object.f1").find("failure")
    assert failure is not None and failure.get("type") == "regression"
    assert (failure.get("message") or "").startswith(f"meetings.object.f1: 1.000 → {F1} (Δ -")


def test_failed_articles_exit_1_with_junit_failures(tmp_path: Path, empty_cache: Path) -> None:
    done = run_eval_cli(
        tmp_path,
        "--only",
        FIRST[:4],
        "--only",
        SECOND[:4],
        "--out",
        str(tmp_path / "out"),
        "--junit",
        str(tmp_path / "eval.xml"),
        cache=empty_cache,
        env={"GITHUB_ACTIONS": "true"},
    )
    assert done.returncode == 1, done.stderr
    assert f"error: 2 article(s) failed, first: {FIRST}" in done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2 and all(a.startswith("::error title=eval%3A ") for a in annotations)
    assert "::CacheMissError: " in annotations[0]
    root, cases = junit(tmp_path / "eval.xml")
    assert list(cases) == ["articles"]  # no baseline: no gate cases
    assert root.get("tests") == "2" and root.get("failures") == "2"
    failure = cases["articles"][0].find("failure")
    assert failure is not None and failure.get("type") == "CacheMissError"
    gold = next(a for a in _BASE["articles"] if a["article"] == FIRST)["score"]["objects"]["meetings"]
    required = gold["tp"] + gold["fn"]  # the article's required gold meetings: all missed now
    assert f"meetings: tp 0 · fp 0 · fn {required}" in (cases["articles"][0].findtext("system-out") or "")


def test_failed_articles_and_gate_exit_5(tmp_path: Path, empty_cache: Path) -> None:
    done = run_eval_cli(
        tmp_path,
        "--baseline",
        str(EVALS / "baseline.json"),
        "--out",
        str(tmp_path / "out"),
        "--junit",
        str(tmp_path / "eval.xml"),
        cache=empty_cache,
    )
    assert done.returncode == 5, done.stderr
    errors = errored(tmp_path / "out")
    assert 0 < len(errors) <= N_ARTICLES  # articles that need no model call do not fail
    assert f"error: {len(errors)} article(s) failed" in done.stderr and "regression: " in done.stderr
    assert "::error" not in done.stdout  # not under GitHub Actions: no annotations
    root, cases = junit(tmp_path / "eval.xml")
    assert failed(cases["articles"]) == errors
    assert 0 < len(failed(cases["gate"])) <= N_HEADLINE
    assert root.get("failures") == str(len(errors) + len(failed(cases["gate"])))


def test_allow_errors_leaves_the_gate_code_and_warns(tmp_path: Path, empty_cache: Path) -> None:
    done = run_eval_cli(
        tmp_path,
        "--baseline",
        str(EVALS / "baseline.json"),
        "--allow-errors",
        "--out",
        str(tmp_path / "out"),
        cache=empty_cache,
        env={"GITHUB_ACTIONS": "true"},
    )
    assert done.returncode == 4, done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("::warning title=eval%3A ") for line in lines) == len(
        errored(tmp_path / "out")
    )
    assert any(line.startswith("::error title=eval gate%3A ") for line in lines)


def test_only_with_baseline_gates_the_same_articles(tmp_path: Path) -> None:
    """--only with a full baseline compares those articles (was: a ValueError traceback)."""
    done = run_eval_cli(
        tmp_path,
        "--only",
        FIRST[:4],
        "--baseline",
        str(EVALS / "baseline.json"),
        "--out",
        str(tmp_path / "o"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "gate: no headline metric dropped" in done.stdout


def test_baseline_without_the_articles_is_one_line_exit_2(tmp_path: Path) -> None:
    data = json.loads((EVALS / "baseline.json").read_text(encoding="utf-8"))
    data["articles"] = data["articles"][1:]
    short = tmp_path / "short.json"
    short.write_text(json.dumps(data), encoding="utf-8")
    done = run_eval_cli(tmp_path, "--only", FIRST[:4], "--baseline", str(short), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {short}: the baseline has no scores for 1 article(s) of this run, first: "
        f"{FIRST} (write one with --update-baseline)"
    ]


def test_unwritable_junit_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    done = run_eval_cli(
        tmp_path, "--only", FIRST[:4], "--out", str(tmp_path / "o"), "--junit", str(tmp_path / "taken")
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: cannot write {tmp_path / 'taken'}: ")
