"""The command line as a user runs it: a real process, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REFERENCE
from replies import AGREEMENTS_00, MEETINGS_00

from summarizer.testing import FakeOpenAI, tool_call

_PROXIES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def cli(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m summarizer ARGS`` without the developer's settings, keys or proxies."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SUMMARIZER_", "OPENAI_")) and k.lower() not in _PROXIES
    }
    full_env["SUMMARIZER_STRATEGY"] = "passes"  # they answer the two whole-article passes
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        input=stdin.decode("utf-8") if stdin is not None else None,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int, needle: str) -> None:
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and needle in lines[0]
    assert "Traceback" not in proc.stderr


def test_cli_summarize_json_against_fake_server(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.enqueue(tool_call(MEETINGS_00), tool_call(AGREEMENTS_00))
    proc = cli(
        "summarize",
        str(REFERENCE),
        "--base-url",
        fake_openai.base_url,
        "--model",
        "fake-model",
        "--cache",
        "off",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [m["date"] for m in data["meetings"]] == ["2013-11-02", "2013-11-02", "2014"]
    assert data["source"]["published"] == "2013-11-02"


def test_cli_markdown_and_yaml_output_file(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.enqueue(tool_call(MEETINGS_00), tool_call(AGREEMENTS_00))
    out = tmp_path / "brief.md"
    proc = cli(
        "summarize",
        str(REFERENCE),
        "--base-url",
        fake_openai.base_url,
        "-m",
        "fake-model",
        "--cache",
        "off",
        "--format",
        "markdown",
        "--output",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    brief = out.read_text()
    assert "## Meetings (3)" in brief and "| m1 | First Japan-Russia two-plus-two meeting | held |" in brief
    quotes = [line[2:].strip() for line in brief.splitlines() if line.startswith("> ")]
    article = " ".join(REFERENCE.read_text(encoding="utf-8").split())
    assert quotes and all(" ".join(q.split()) in article for q in quotes)  # evidence, verbatim


def test_cli_missing_api_key(tmp_path: Path) -> None:
    assert_one_line_error(cli("summarize", str(REFERENCE)), 3, "no API key")


def test_cli_unreachable_server() -> None:
    proc = cli(
        "summarize",
        str(REFERENCE),
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--cache",
        "off",
        env={"SUMMARIZER_MAX_TRANSPORT_RETRIES": "0"},
    )
    assert_one_line_error(proc, 1, "cannot reach http://127.0.0.1:9/v1")


def test_cli_unknown_model(fake_openai: FakeOpenAI) -> None:
    proc = cli(
        "summarize", str(REFERENCE), "--base-url", fake_openai.base_url, "-m", "gpt-9", "--cache", "off"
    )
    assert_one_line_error(proc, 1, "model 'gpt-9' not found")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty article"),
        (b"   \n\t\n", "empty article"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        ("Caf\u00e9 talks in Par\u00eds".encode("latin-1"), "not valid UTF-8"),
        (b"SOURCE: x\nTITLE: y\nDATE: 2020-01-01\n\n", "empty article"),
    ],
)
def test_cli_bad_input_files(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    proc = cli("summarize", str(path), "--base-url", "http://127.0.0.1:9/v1")
    assert_one_line_error(proc, 2, needle)


def test_cli_missing_file_and_empty_directory(tmp_path: Path) -> None:
    assert_one_line_error(
        cli("summarize", str(tmp_path / "nope.txt"), "--base-url", "http://x:1/v1"), 2, "no such file"
    )
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")  # a directory is read like batch reads it
    assert_one_line_error(
        cli("summarize", str(tmp_path), "--base-url", "http://x:1/v1"), 2, "no article found"
    )


def test_cli_bad_header_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("DATE: yesterday\n\nLeaders met.")
    assert_one_line_error(cli("summarize", str(path), "--base-url", "http://x:1/v1"), 2, "publication date")


def test_cli_bad_base_url() -> None:
    proc = cli("summarize", str(REFERENCE), "--base-url", "localhost:8080")
    assert_one_line_error(proc, 3, "base URL must start with http")


def test_cli_stdin(fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue(tool_call(MEETINGS_00), tool_call(AGREEMENTS_00))
    proc = cli(
        "summarize",
        "-",
        "--base-url",
        fake_openai.base_url,
        "-m",
        "fake-model",
        "--cache",
        "off",
        stdin=REFERENCE.read_bytes(),
    )
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["agreements"]) == 2


def test_cli_schema_is_json_schema() -> None:
    proc = cli("schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert schema["title"] == "ArticleSummary" and "Meeting" in schema["$defs"]


def test_cli_gold_new_and_check(tmp_path: Path) -> None:
    proc = cli("gold", "new", str(REFERENCE))
    assert proc.returncode == 0
    assert (
        "article: 00_japan_russia_two_plus_two_2013.txt" in proc.stdout
        and "published: '2013-11-02'" in proc.stdout
    )
    proc = cli("gold", "check", "evals/gold")
    assert proc.returncode == 0 and proc.stdout.startswith("31 gold files valid")


def test_cli_batch_via_openai_batch_against_fake_server(tmp_path: Path) -> None:
    from scripted_answers import answer

    from summarizer.testing import FakeBatchOpenAI

    out = tmp_path / "results.jsonl"
    names = (
        "00_japan_russia_two_plus_two_2013",
        "12_us_japan_austin_kishi_call",
        "02_quad_leaders_call_2022",
    )
    with FakeBatchOpenAI(default=answer) as server:
        args = ("--via", "openai-batch", "--poll-interval", "0.01", "--base-url", server.base_url)
        paths = [str(REFERENCE.parent / f"{name}.txt") for name in names]
        proc = cli("batch", *paths, "-o", str(out), "-m", "fake-model", "--cache", "off", *args)
        assert proc.returncode == 0, proc.stderr
        assert "6 answered by the Batch API, 0 asked directly" in proc.stdout
        assert (
            "batch: 3 articles: 3 ok, 0 failed (3 processed this run: 3 ok, 0 failed; 0 skipped;"
            in proc.stdout
        )
        assert "completed (6 done, 0 failed)" in proc.stderr  # progress: the batch's states
        assert len(server.batches) == 1 and server.chat_requests == []
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records if r["status"] == "ok"] == list(names)
    assert len(records[0]["result"]["meetings"]) == 3 and len(records[0]["result"]["agreements"]) == 2


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("--via", "pigeon"), 2, "--via must be direct or openai-batch, got 'pigeon'"),
        (("--via", "openai-batch", "--poll-interval", "0"), 2, "--poll-interval must be positive"),
        (("--via", "openai-batch", "--local"), 3, "not --local"),
        (("--via", "openai-batch", "--cache", "replay"), 3, "--cache replay never does"),
    ],
    ids=["unknown_via", "zero_poll_interval", "local_model", "replay"],
)
def test_cli_batch_via_bad_options(tmp_path: Path, args: tuple[str, ...], code: int, needle: str) -> None:
    proc = cli(
        "batch",
        str(REFERENCE),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--base-url",
        "http://127.0.0.1:9/v1",
        *args,
    )
    assert_one_line_error(proc, code, needle)
    assert not (tmp_path / "out.jsonl").exists()
