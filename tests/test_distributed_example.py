"""examples/distributed_dask.py against the fake server: Dask partitions, one shared cache.

Every article ends as exactly one record of the ``summarizer batch`` shape, an injected model
failure and unreadable inputs become error records, and a rerun on the same cache is free.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed_dask
import pytest
from conftest import ARTICLES, ROOT
from scripted_answers import answer

from summarizer import Settings, Summarizer
from summarizer.articles.loaders import iter_inputs
from summarizer.batch.run import run_batch
from summarizer.testing import FakeOpenAI, Reply, error

SECRET = "sk-distributed-test-secret"
FAIL = "FAILME"
TXT = [
    "00_japan_russia_two_plus_two_2013",
    "12_us_japan_austin_kishi_call",
    "27_whippany_merger_approved_short_1987",
]
NESTED = ["21_us_turkey_sign_deca_1987", "26_gcc_deputy_oil_ministers_bahrain_1987"]


class Model:
    """The scripted answers; an article that contains FAIL gets HTTP 500 while ``failing``."""

    def __init__(self) -> None:
        self.failing = True

    def __call__(self, request: dict[str, Any]) -> Reply:
        if self.failing and FAIL in json.dumps(request["messages"]):
            return error(500, "injected failure")
        return answer(request)


@pytest.fixture
def model() -> Model:
    return Model()


@pytest.fixture
def server(model: Model) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(default=model) as fake:
        yield fake


@pytest.fixture
def corpus(tmp_path: Path) -> list[str]:
    """Text files (two in a subdirectory), a JSONL shard with a failing article and a bad line,
    and a binary file: the arguments of one run."""
    root = tmp_path / "corpus"
    (root / "more").mkdir(parents=True)
    for name in TXT:
        shutil.copy(ARTICLES / f"{name}.txt", root / f"{name}.txt")
    for name in NESTED:
        shutil.copy(ARTICLES / f"{name}.txt", root / "more" / f"{name}.txt")
    lines = [
        {
            "id": "wire-1",
            "text": "The foreign ministers of Chile and Peru met in Lima on Monday. "
            "They agreed to open a joint border commission.",
            "published": "2024-03-05",
        },
        {
            "id": "wire-2",
            "text": f"{FAIL}. The trade ministers of Kenya and Uganda met in Nairobi. "
            "They signed a customs accord.",
            "published": "2024-03-06",
        },
        "not an object",
    ]
    shard = tmp_path / "wire.jsonl"
    shard.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01PDF")
    return [str(root), str(shard), str(binary)]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    """What every worker reads from its environment (spawned processes inherit it)."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("SUMMARIZER_MAX_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("SUMMARIZER_RETRY_MAX_WAIT", "0.05")
    monkeypatch.setenv("SUMMARIZER_TIMEOUT", "20")


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def without_provenance(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "result": {**record["result"], "provenance": None}} if "result" in record else record


def without_times(record: dict[str, Any]) -> dict[str, Any]:
    record = json.loads(json.dumps(record))
    provenance = (record.get("result") or {}).get("provenance") or {}
    for key in ("started_at", "finished_at"):
        provenance.pop(key, None)
    return record


@pytest.mark.usefixtures("env")
def test_fake_server_dask_partitions_every_article_once_failure_recorded_rerun_free(
    server: FakeOpenAI, model: Model, corpus: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache" / "responses.sqlite"
    out = tmp_path / "results.jsonl"
    flags = ["--base-url", server.base_url, "--model", "fake-model", "--cache-path", str(cache)]
    expected = Counter((item.id, item.content_hash) for item in iter_inputs(corpus))
    assert len(expected) == 9 and set(expected.values()) == {1}
    units = distributed_dask.work_units(corpus)
    assert len(units) == 7  # five text files, the shard and the binary file

    # 1. Three partitions on two worker processes; the wire-2 article fails on the server.
    args = [*corpus, "--out", str(out), "--partitions", "3", "--workers", "2", *flags]
    assert distributed_dask.main([*args, "--scheduler", "processes"]) == 1
    printed = capsys.readouterr()
    assert "6 ok" in printed.out and "3 failed" in printed.out and "3 partitions" in printed.out
    first = read(out)
    assert Counter((r["id"], r["content_hash"]) for r in first) == expected  # every article, once
    by_id = {r["id"]: r for r in first}
    assert by_id["wire-2"]["status"] == "error" and "injected failure" in by_id["wire-2"]["error"]
    assert by_id["wire-2"]["error_type"] == "TransportError"
    bad = {r["id"]: r["error_type"] for r in first if r["status"] == "error" and r["id"] != "wire-2"}
    assert bad == {"wire.jsonl:3": "InputError", "scan": "InputError"}
    assert by_id["more/21_us_turkey_sign_deca_1987"]["status"] == "ok"
    meetings = by_id["00_japan_russia_two_plus_two_2013"]["result"]["meetings"]
    assert [m["date"] for m in meetings][:1] == ["2013-11-02"]
    first_calls = len(server.chat_requests)
    assert first_calls > 0 and not list(tmp_path.glob(".results.jsonl.*"))  # partition files removed

    # 2. The failure is gone: only the article that failed costs calls (its two passes).
    model.failing = False
    assert distributed_dask.main([*args, "--scheduler", "threads"]) == 1  # the bad inputs stay bad
    assert len(server.chat_requests) == first_calls + 2
    second = read(out)
    assert Counter((r["id"], r["content_hash"]) for r in second) == expected
    assert {r["id"] for r in second if r["status"] == "error"} == {"wire.jsonl:3", "scan"}

    # 3. The script as documented, its workers in processes: zero new chat requests.
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "distributed_dask.py"), *args],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "7 ok (7 from the cache), 2 failed" in proc.stdout
    assert len(server.chat_requests) == first_calls + 2
    third = read(out)
    assert [without_provenance(r) for r in third] == [without_provenance(r) for r in second]
    assert SECRET not in printed.out + printed.err + proc.stdout + proc.stderr + out.read_text()

    # Same records as `summarizer batch` on the same inputs and cache (also free).
    settings = Settings(base_url=server.base_url, model="fake-model", cache_path=cache)
    batch_out = tmp_path / "batch.jsonl"
    report = asyncio.run(
        run_batch(list(iter_inputs(corpus)), batch_out, lambda: Summarizer(settings), progress=False)
    )
    assert (report.ok, report.failed) == (7, 2)
    assert len(server.chat_requests) == first_calls + 2
    assert sorted(map(json.dumps, map(without_times, read(batch_out)))) == sorted(
        map(json.dumps, map(without_times, third))
    )
    # ... so the example's output is a batch results file: `summarizer batch -o` resumes from it.
    resumed = asyncio.run(
        run_batch(list(iter_inputs(corpus)), out, lambda: Summarizer(settings), progress=False)
    )
    assert (resumed.skipped, resumed.processed) == (9, 0)


def test_fake_server_dask_partition_whose_summarizer_cannot_start_still_writes_records(
    corpus: list[str], tmp_path: Path
) -> None:
    """A worker without what the driver had (here: the replay recording) fails its articles, one by one."""
    units = distributed_dask.work_units(corpus)
    overrides = {"base_url": "http://127.0.0.1:9/v1", "cache": "replay", "cache_path": str(tmp_path / "none")}
    records = [json.loads(line) for line in distributed_dask.summarize_partition(units, overrides, 2)]
    assert len(records) == 9
    assert Counter(r["error_type"] for r in records) == {"CacheMissError": 7, "InputError": 2}
    assert all(r["status"] == "error" and r["id"] for r in records)


def test_fake_server_dask_refuses_a_run_without_key_or_server(
    corpus: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert distributed_dask.main([*corpus, "--out", str(tmp_path / "r.jsonl")]) == 3
    assert "no API key" in capsys.readouterr().err
    replay = [
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--cache",
        "replay",
        "--cache-path",
        str(tmp_path / "no"),
    ]
    assert distributed_dask.main([*corpus, "--out", str(tmp_path / "r.jsonl"), *replay]) == 3
    assert "no recorded responses" in capsys.readouterr().err
    monkeypatch.setenv("SUMMARIZER_LOCAL_MODEL", "test")  # one local model per partition: refused
    assert distributed_dask.main([*corpus, "--out", str(tmp_path / "r.jsonl")]) == 3
    assert "--base-url" in capsys.readouterr().err
    assert distributed_dask.main(["-", "--out", str(tmp_path / "r.jsonl")]) == 2
    assert not (tmp_path / "r.jsonl").exists()
