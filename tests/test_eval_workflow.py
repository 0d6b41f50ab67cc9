"""``.github/workflows/evals.yml``: it parses, is locked down, runs README's test command verbatim,
and its gate commands run and pass here (the recorded replay: seconds, no model)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "evals.yml"


def workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def runs(job: dict[str, Any]) -> list[str]:
    return [" ".join(str(step["run"]).split()) for step in job["steps"] if "run" in step]


def readme_test_command() -> str:
    """The line .ci/run takes: the first ```bash block after "Install and run the whole test suite"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^Install and run the whole test suite.*?^```bash\n(.*?)\n", text, re.M | re.S)
    assert found, "README.md: test command not found"
    return found.group(1)


def test_triggers_permissions_concurrency_and_timeouts() -> None:
    data = workflow()
    on = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert {"opened", "synchronize", "labeled"} <= set(on["pull_request"]["types"])
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"]["cancel-in-progress"] is True
    assert "github.ref" in data["concurrency"]["group"]
    assert set(data["jobs"]) == {"tests", "replay", "live"}
    for name, job in data["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 60, name
        assert "permissions" not in job, name  # nothing wider than the workflow's read-only token


def test_tests_job_runs_the_readme_command_verbatim() -> None:
    job = workflow()["jobs"]["tests"]
    assert readme_test_command() in runs(job)
    assert job["env"]["SUMMARIZER_REQUIRE_LOCAL"] == "1" and job["env"]["SUMMARIZER_REQUIRE_BROWSER"] == "1"
    uploads = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["if"] == "always()"
    assert uploads[0]["with"]["path"] in job["env"]["PYTEST_ADDOPTS"]  # pytest's JUnit XML


def _gates(job: dict[str, Any]) -> list[list[str]]:
    return [shlex.split(r) for r in runs(job) if r.startswith("summarizer eval ")]


def test_replay_job_gates_news_dev_and_test_runs_the_oracle_and_uploads_junit() -> None:
    job = workflow()["jobs"]["replay"]
    gates = _gates(job)
    assert len(gates) == 2
    for args in gates:
        assert args[args.index("--cache") + 1] == "replay" and "--baseline" in args and "--junit" in args
        for flag in ("--cache-path", "--baseline"):
            assert (ROOT / args[args.index(flag) + 1]).is_file(), args
    assert [g[g.index("--baseline") + 1] for g in gates] == [
        "evals/news/dev/baseline.json",
        "evals/news/test/baseline.json",
    ]
    oracle = next(s for s in job["steps"] if "--oracle" in str(s.get("run", "")))
    assert oracle["if"] == "success() || failure()"  # reported even when the dev gate failed
    for name in ("evals ", "evals/heldout", "evals/news/dev", "evals/news/test", "--min-f1 0.95"):
        assert name in oracle["run"]
    upload = job["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact") and upload["if"] == "always()"
    for args in gates:
        assert args[args.index("--junit") + 1].startswith(upload["with"]["path"])


def test_replay_gate_commands_run_and_pass(tmp_path: Path) -> None:
    """The workflow's own gate commands, outputs moved to tmp: exit 0 and a JUnit file each."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_", "GITHUB_"))}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")
    for args in _gates(workflow()["jobs"]["replay"]):
        moved = [a.replace(".ci-artifacts", str(tmp_path)) for a in args[2:]]
        done = subprocess.run(
            [sys.executable, "-m", "summarizer", "eval", *moved],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "gate: no headline metric dropped" in done.stdout
        assert Path(moved[moved.index("--junit") + 1]).is_file()
