"""``summarizer events``, ``render events.jsonl --html`` and ``export --plover``, end to end on
batch results files written for the test (summaries from tests/events_data.py)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from events_data import summit_reports
from typer.testing import CliRunner

from summarizer.cli.main import app
from summarizer.events import read_events

SCHEMA = json.loads((Path(__file__).parent / "data" / "plover_record.schema.json").read_text())


def results_file(path: Path, reports: list) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for name, summary in reports:
            line = {"id": name, "status": "ok", "result": summary.model_dump(mode="json")}
            out.write(json.dumps(line) + "\n")
        out.write(json.dumps({"id": "broken", "status": "error", "error": "timeout"}) + "\n")
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_events_then_update_then_plover_and_timeline(tmp_path: Path) -> None:
    reports = summit_reports()
    first = results_file(tmp_path / "r1.jsonl", reports[:3])
    second = results_file(tmp_path / "r2.jsonl", reports[3:])
    out = tmp_path / "out" / "events.jsonl"
    code, text = invoke("events", str(first), "-o", str(out))
    assert code == 0, text
    assert "4 record(s) from 3 article(s)" in text
    assert len(read_events(out)) == 2  # the summit, the accord
    code, text = invoke("events", str(second), "-o", str(out), "--update")
    assert code == 0, text
    events = read_events(out)
    assert len(events) == 4 and "2 before" in text
    code, text = invoke("export", str(out), "--plover", str(tmp_path / "plover.json"))
    assert code == 0, text
    records = json.loads((tmp_path / "plover.json").read_text())
    assert len(records) == 4
    for record in records:
        jsonschema.validate(record, SCHEMA)
    summit = next(r for r in records if len(r["source_ids"]) == 4)
    assert (summit["actor"], summit["recipient"], summit["mode"], summit["cameo"]) == (
        "NOR",
        "CHL",
        "visit",
        "042",
    )
    code, text = invoke("render", str(out), "--html", str(tmp_path / "events.html"))
    assert code == 0 and "4 event(s)" in text
    page = (tmp_path / "events.html").read_text()
    assert page.count("<details") == 4 and "https://news.example/wire-2" in page


def test_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    code, text = invoke("events", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "e.jsonl"))
    assert code != 0 and "no such file" in text and "Traceback" not in text
    not_events = results_file(tmp_path / "r.jsonl", summit_reports()[:1])
    code, text = invoke("export", str(not_events), "--plover", "-")
    assert code != 0 and "not an event" in text and "Traceback" not in text


@pytest.mark.parametrize("mode", [None, "bogus"])
def test_the_schema_rejects_what_plover_does_not_allow(mode: str | None) -> None:
    record = {
        "id": "ev-1",
        "date": "2031-03",
        "actor": "NOR",
        "recipient": "CHL",
        "event": "CONSULT",
        "mode": mode,
        "context": None,
        "cameo": "040",
        "event_text": "x",
        "text": "t",
        "source_ids": ["a#m1"],
    }
    if mode is None:
        jsonschema.validate(record, SCHEMA)
    else:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(record, SCHEMA)
