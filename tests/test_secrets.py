"""The API key never leaves the process except in the Authorization header.

A canary key goes to real CLI processes through ``OPENAI_API_KEY`` with debug logging
on; successful, failing and eval runs are then searched for it: stdout, stderr and
every file they wrote (response cache, results.json, report.md). The fake server must
have received the key, so a clean search means "not leaked", not "never used".
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REFERENCE, ROOT
from replies import AGREEMENTS_00, MEETINGS_00
from scripted import call

from summarizer.testing import FakeOpenAI, Reply, error

CANARY = "sk-canary-7f3a9c2e1d"
NEEDLES = (CANARY, CANARY[len("sk-canary-") :])  # the whole key, and its random tail alone


def answer(request: dict[str, Any]) -> Reply:
    """The reference article's answers; nothing for any other article."""
    forced = request["tool_choice"]["function"]["name"]
    reference = 'first "two-plus-two" meeting' in request["messages"][1]["content"]
    if forced == "MeetingPass":
        return call(MEETINGS_00 if reference else {"summary": "Nothing.", "meetings": []})
    return call(AGREEMENTS_00 if reference else {"agreements": []})


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(models=("fake-model",), default=answer) as fake:
        yield fake


def cli(tmp_path: Path, *args: str, log_level: str = "DEBUG") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_", "GITHUB_"))}
    env["SUMMARIZER_STRATEGY"] = "passes"  # scripted replies answer the two passes
    env.update(
        OPENAI_API_KEY=CANARY,
        SUMMARIZER_LOG_LEVEL=log_level,
        SUMMARIZER_CACHE_PATH=str(tmp_path / "cache" / "responses.sqlite"),
        SUMMARIZER_RETRY_MAX_WAIT="0.05",
        SUMMARIZER_MAX_TRANSPORT_RETRIES="1",
        XDG_CACHE_HOME=str(tmp_path / "xdg"),
        HOME=str(tmp_path / "home"),
    )
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args], capture_output=True, env=env, cwd=ROOT, timeout=120
    )


def assert_no_canary(proc: subprocess.CompletedProcess[bytes], tmp_path: Path) -> list[Path]:
    """No trace of the key in the process's output or in any file under ``tmp_path``."""
    for needle in NEEDLES:
        assert needle.encode() not in proc.stdout
        assert needle.encode() not in proc.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    for path in files:
        data = path.read_bytes()
        for needle in NEEDLES:
            assert needle.encode() not in data, f"{needle} in {path}"
    return files


def assert_key_was_sent(server: FakeOpenAI) -> None:
    chats = server.chat_requests
    assert chats, "the fake server got no request: the search for the key proves nothing"
    assert all(r.headers.get("authorization") == f"Bearer {CANARY}" for r in chats)


def summarize(
    server: FakeOpenAI, tmp_path: Path, *extra: str, log_level: str = "DEBUG"
) -> subprocess.CompletedProcess[bytes]:
    return cli(
        tmp_path,
        "summarize",
        str(REFERENCE),
        "--base-url",
        server.base_url,
        "--cache",
        "read-write",
        *extra,
        log_level=log_level,
    )


def test_fake_server_key_not_leaked_by_successful_cached_run(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    first = summarize(server, tmp_path, "-m", "fake-model", "-o", str(out))
    assert first.returncode == 0, first.stderr.decode()
    assert b"DEBUG" in first.stderr  # verbose logs were on, and searched
    second = summarize(server, tmp_path, "-m", "fake-model", "-f", "markdown")  # from the cache
    assert second.returncode == 0, second.stderr.decode()
    assert len(server.chat_requests) == 2
    assert_key_was_sent(server)
    files = assert_no_canary(first, tmp_path) + assert_no_canary(second, tmp_path)
    assert out in files and tmp_path / "cache" / "responses.sqlite" in files


ECHO = f"Incorrect API key provided: {CANARY}"


@pytest.mark.parametrize(
    ("model", "script", "log_level", "needle"),
    [
        ("gpt-unknown", (), "DEBUG", b"model 'gpt-unknown' not found"),
        ("fake-model", (error(500, "boom"),) * 2, "DEBUG", b"HTTP 500 after 2 attempt(s)"),
        # A server that quotes the key back in an error body: the CLI does not repeat it.
        ("fake-model", (error(401, ECHO),), "", b"rejected the API key"),
        ("fake-model", (error(400, ECHO),), "", b"HTTP 400 after 1 attempt(s)"),
        # With debug logging, instructor logs the server's error body: the CLI's filter redacts it.
        ("fake-model", (error(401, ECHO),), "DEBUG", b"rejected the API key"),
    ],
    ids=["unknown_model", "persistent_500", "401_echoing_key", "400_echoing_key", "401_echoing_key_debug"],
)
def test_fake_server_key_not_leaked_by_failing_run(
    server: FakeOpenAI,
    tmp_path: Path,
    model: str,
    script: tuple[Reply, ...],
    log_level: str,
    needle: bytes,
) -> None:
    server.enqueue(*script)
    proc = summarize(server, tmp_path, "-m", model, log_level=log_level)
    assert proc.returncode in (1, 3) and needle in proc.stderr, proc.stderr.decode()
    assert proc.stderr.strip().splitlines()[-1].startswith(b"error: ")  # debug logs above it
    assert_key_was_sent(server)
    assert_no_canary(proc, tmp_path)


def test_fake_server_key_not_leaked_by_eval_run(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "eval"
    proc = cli(
        tmp_path,
        "eval",
        "--base-url",
        server.base_url,
        "-m",
        "fake-model",
        "--cache",
        "read-write",
        "--cache-path",
        str(tmp_path / "cache" / "eval.sqlite"),
        "--only",
        "00_",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert_key_was_sent(server)
    files = assert_no_canary(proc, tmp_path)
    assert {out / "results.json", out / "report.md", tmp_path / "cache" / "eval.sqlite"} <= set(files)


def test_fake_server_key_not_leaked_by_openai_batch_run(tmp_path: Path) -> None:
    from summarizer.testing import FakeBatchOpenAI

    out = tmp_path / "results.jsonl"
    with FakeBatchOpenAI(models=("fake-model",), default=answer) as server:
        server.enqueue(error(400, ECHO))  # the first line's error, quoting the key, goes to the error file
        proc = cli(
            tmp_path,
            "batch",
            str(REFERENCE),
            "-o",
            str(out),
            "--via",
            "openai-batch",
            "--poll-interval",
            "0.01",
            "--base-url",
            server.base_url,
            "-m",
            "fake-model",
            "--cache",
            "read-write",
        )
        assert proc.returncode == 0, proc.stderr.decode()
        assert b"1 asked directly" in proc.stdout and b"DEBUG" in proc.stderr
        batch_calls = [r for r in server.requests if "/batches" in r.path or "/files" in r.path]
        assert batch_calls and all(r.headers.get("authorization") == f"Bearer {CANARY}" for r in batch_calls)
        assert_key_was_sent(server)  # the first line again, directly
        assert any(CANARY.encode() in f["data"] for f in server.files.values())  # downloaded, not repeated
    files = assert_no_canary(proc, tmp_path)
    assert out in files
