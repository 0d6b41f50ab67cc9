"""``summarizer render INPUT --html OUT.html``: an HTML page from batch output or eval results.

INPUT is either a JSONL file written by the batch command (one line per article:
``{"id", "status": "ok", "result": <ArticleSummary>}`` or ``{"id", "status": "error",
"error": ...}``; errors are listed as failures) or a ``results.json`` written by
``summarizer eval`` (rendered as the eval report).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from summarizer.cli._common import errors, fail
from summarizer.errors import InputError
from summarizer.schemas import ArticleSummary

__all__ = ["load_batch", "register"]


def _text_for(line: dict[str, Any], summary: ArticleSummary, articles: Path | None) -> str | None:
    """The article text of a batch line, when it can be found and is the text that was summarised."""
    from summarizer.articles.documents import load_document

    candidates: list[Path] = []
    for key in ("path", "file", "input"):
        if isinstance(line.get(key), str):
            candidates.append(Path(line[key]))
    name = line.get("id") or summary.source.id
    if articles is not None and isinstance(name, str):
        candidates += [articles / name, articles / f"{name}.txt", articles / f"{name}.md"]
    for path in candidates:
        if not path.is_file():
            continue
        try:
            doc = load_document(path)
        except InputError:
            continue
        if summary.source.content_hash in (None, doc.content_hash):
            return doc.text
    return None


def load_batch(
    path: Path, articles: Path | None = None
) -> tuple[list[tuple[ArticleSummary, str | None]], list[tuple[str, str]]]:
    """(summary, text or None) per ``ok`` line and (id, error) per ``error`` line of a batch JSONL."""
    from pydantic import ValidationError

    items: list[tuple[ArticleSummary, str | None]] = []
    failures: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
                if not isinstance(line, dict):
                    raise ValueError("not a JSON object")
                name = str(line.get("id") or f"line {n}")
                if line.get("status", "ok") != "ok":
                    failures.append((name, str(line.get("error") or line.get("status"))))
                    continue
                summary = ArticleSummary.model_validate(line["result"])
            except (ValueError, KeyError, ValidationError) as exc:
                first = str(exc).splitlines()[0]
                raise InputError(f"{path}:{n}: not a batch result line: {first}") from None
            items.append((summary, _text_for(line, summary, articles)))
    return items, failures


def _is_results(path: Path) -> bool:
    """An eval ``results.json`` is one JSON object with ``version`` and ``articles``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return False
    return isinstance(data, dict) and "articles" in data and "version" in data


def register(app: typer.Typer) -> None:
    """Add the ``render`` command to ``app``."""

    @app.command("render")
    def render_cmd(
        source: Annotated[Path, typer.Argument(help="Batch output (JSONL) or an eval results.json.")],
        html: Annotated[Path, typer.Option("--html", help="Write the HTML page here.")],
        articles: Annotated[
            Optional[Path],
            typer.Option("--articles", help="Articles directory: highlights evidence in the text."),
        ] = None,
        gold: Annotated[
            Optional[Path], typer.Option("--gold", help="Gold directory (eval results): show gold records.")
        ] = None,
        title: Annotated[Optional[str], typer.Option("--title", help="Page title.")] = None,
    ) -> None:
        """Render summaries (or an eval run) as one self-contained HTML page."""

        if not source.is_file():
            raise fail(f"{source}: no such file", 2)
        with errors():
            if _is_results(source):
                from summarizer.evaluation.html_report import eval_html
                from summarizer.evaluation.runner import load_results

                golds = None
                if gold is not None:
                    from summarizer.evaluation.gold import load_gold_dir

                    golds = load_gold_dir(gold, articles)
                page = eval_html(load_results(source), golds, title=title or "Evaluation report")
                what = "eval report"
            else:
                from summarizer.views.html import batch_html

                items, failures = load_batch(source, articles)
                page = batch_html(items, failures, title=title or source.stem)
                what = f"{len(items)} article(s), {len(failures)} failure(s)"
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(page, encoding="utf-8")
        typer.echo(f"{html}: {what}")
