"""``summarize -f jsonl`` and ``-f csv``: summaries made by the pipeline against the fake server."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

from conftest import REFERENCE
from replies import AGREEMENTS_00, MEETINGS_00
from visual_data import summaries

from summarizer.schemas import ArticleSummary
from summarizer.testing import FakeOpenAI, tool_call
from summarizer.views.tables import RECORD_COLUMNS
from summarizer.views.text import FORMATS, render


def test_fake_server_summaries_as_jsonl_one_per_line() -> None:
    (summary, _), (negative, _) = summaries()
    text = render([summary, negative], "jsonl")
    lines = text.splitlines()
    assert "jsonl" in FORMATS and len(lines) == 2 and text.endswith("\n")
    back = [ArticleSummary.model_validate(json.loads(line)) for line in lines]
    assert back == [summary, negative]
    assert render([], "jsonl") == ""


def test_fake_server_summaries_as_csv_one_row_per_record() -> None:
    (summary, text), (negative, _) = summaries()
    out = render([summary, negative], "csv")
    reader = csv.DictReader(io.StringIO(out))
    rows = list(reader)
    assert "csv" in FORMATS and tuple(reader.fieldnames or ()) == RECORD_COLUMNS
    kinds = [(r["record_type"], r["record_id"]) for r in rows]
    assert kinds == [("meeting", m.id) for m in summary.meetings] + [
        ("agreement", a.id) for a in summary.agreements
    ]
    assert {r["article"] for r in rows} == {summary.source.id}
    for row in rows:
        start, end = int(row["evidence_start"]), int(row["evidence_end"])
        assert text[start:end] == row["evidence_quote"]
    meeting = next(r for r in rows if r["record_type"] == "meeting")
    assert meeting["title"] == summary.meetings[0].title and meeting["summary"] == ""
    agreement = next(r for r in rows if r["record_type"] == "agreement")
    assert agreement["summary"] == summary.agreements[0].summary and agreement["channel"] == ""
    assert render([negative], "csv") == ",".join(RECORD_COLUMNS) + "\n"  # no records: the header


def flags(server: FakeOpenAI) -> list[str]:
    return ["--base-url", server.base_url, "--model", "fake-model", "--cache", "off"]


def test_cli_summarize_csv_against_fake_server() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env["SUMMARIZER_STRATEGY"] = "passes"  # scripted replies answer the two passes
    with FakeOpenAI(models=("fake-model",)) as server:
        server.enqueue(tool_call(MEETINGS_00), tool_call(AGREEMENTS_00))
        proc = subprocess.run(
            [sys.executable, "-m", "summarizer", "summarize", str(REFERENCE), "-f", "csv", *flags(server)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [r["record_type"] for r in rows].count("meeting") == 3
    assert {r["article"] for r in rows} == {REFERENCE.stem}
