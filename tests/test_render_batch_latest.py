"""``summarizer render`` on a batch results file keeps the latest line per article id.

A rerun of ``summarizer batch`` appends: a retried failure, or an article summarised again,
gets a newer line while the older one stays in the file. The page shows what the file
holds now, one entry per article: the last line of each id, in the order ids first appear.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from summarizer.cli.render import load_batch, load_summaries, register
from summarizer.schemas import ArticleSummary, Source


def ok(article: str, summary: str) -> dict[str, Any]:
    result = ArticleSummary(summary=summary, source=Source(id=article))
    return {"id": article, "status": "ok", "result": result.model_dump(mode="json")}


def error(article: str, reason: str) -> dict[str, Any]:
    return {"id": article, "status": "error", "error": reason}


def write(tmp_path: Path, lines: list[dict[str, Any]]) -> Path:
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


RERUN = [
    ok("a", "first run of a"),
    error("b", "TransportError: server down"),
    ok("c", "c, summarised once"),
    error("d", "TransportError: timed out"),
    # the rerun: a again, b retried and ok now, d retried and failed again
    ok("a", "second run of a"),
    ok("b", "b after the retry"),
    error("d", "LLMError: still failing"),
]


def test_load_batch_keeps_the_latest_line_per_id(tmp_path: Path) -> None:
    items, failures = load_batch(write(tmp_path, RERUN))
    assert [(s.source.id, s.summary) for s, _ in items] == [
        ("a", "second run of a"),
        ("b", "b after the retry"),
        ("c", "c, summarised once"),
    ]
    assert failures == [("d", "LLMError: still failing")]


def test_a_later_failure_replaces_an_earlier_success(tmp_path: Path) -> None:
    items, failures = load_batch(write(tmp_path, [ok("a", "old"), error("a", "ExtractionError: no")]))
    assert items == [] and failures == [("a", "ExtractionError: no")]


def test_load_summaries_of_a_batch_file_keeps_the_latest_line_too(tmp_path: Path) -> None:
    items, failures = load_summaries(write(tmp_path, RERUN))
    assert [s.summary for s, _ in items] == ["second run of a", "b after the retry", "c, summarised once"]
    assert [name for name, _ in failures] == ["d"]


def test_render_command_counts_each_article_once(tmp_path: Path) -> None:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app: ``render`` stays a sub-command."""

    register(app)

    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["render", str(write(tmp_path, RERUN)), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 article(s), 1 failure(s)" in result.output
    page = out.read_text(encoding="utf-8")
    assert "second run of a" in page and "first run of a" not in page
    assert "LLMError: still failing" in page and "TransportError" not in page
