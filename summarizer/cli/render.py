"""``summarizer render INPUT --html OUT.html``: an HTML page from summaries or eval results.

INPUT is any of:

* what ``summarizer summarize -f json`` prints: one summary (a JSON object) or a JSON list
  of summaries; ``-f jsonl``: one summary per line;
* a JSONL file written by the batch command (one line per article: ``{"id", "status":
  "ok", "result": <ArticleSummary>}`` or ``{"id", "status": "error", "error": ...}``;
  errors are listed as failures);
* an events file written by ``summarizer events`` (rendered as a timeline of events);
* a ``results.json`` written by ``summarizer eval`` (rendered as the eval report).

``--html -`` writes the page to stdout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from summarizer.cli._common import errors, fail, is_stdout, output_option, write_output
from summarizer.errors import InputError

if TYPE_CHECKING:
    from summarizer.schemas import ArticleSummary

__all__ = ["load_batch", "load_summaries", "register"]

Items = list[tuple["ArticleSummary", Optional[str]]]
Failures = list[tuple[str, str]]


def _text_for(line: dict[str, Any], summary: ArticleSummary, articles: Path | None) -> str | None:
    """The article text of a summary, when it can be found and is the text that was summarised.

    Files are read by the loader every command uses (HTML through trafilatura, JSONL by id).
    """
    from summarizer.articles.loaders import iter_inputs

    candidates: list[Path] = []
    for key in ("path", "file", "input"):
        if isinstance(line.get(key), str):
            candidates.append(Path(line[key]))
    name = line.get("id") or summary.source.id
    if articles is not None and isinstance(name, str):
        candidates += [articles / name] + [articles / f"{name}{s}" for s in (".txt", ".md", ".html", ".htm")]
    for path in candidates:
        if not path.is_file():
            continue
        for doc in iter_inputs([str(path)]):
            text = getattr(doc, "text", None)
            if text is not None and summary.source.content_hash in (None, doc.content_hash):
                return str(text)
    return None


def _summary(data: Any, where: str, *, label: str = "not a summary", at: str = "") -> ArticleSummary:
    """``data`` as a summary; else an InputError naming ``where`` and the first problem."""
    from pydantic import ValidationError

    from summarizer.schemas import ArticleSummary  # not at import: keeps the CLI's start-up light

    if not isinstance(data, dict):
        raise InputError(f"{where}: {label}: {at or 'summary'}: expected a JSON object")
    try:
        return ArticleSummary.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        loc = ".".join([at] * bool(at) + [str(p) for p in problem["loc"]]) or "summary"
        raise InputError(f"{where}: {label}: {loc}: {problem['msg']}") from None


def _is_batch_line(data: Any) -> bool:
    return isinstance(data, dict) and ("result" in data or "status" in data)


def _lines(path: Path, text: str, articles: Path | None, *, batch_only: bool) -> tuple[Items, Failures]:
    """Batch result lines and (unless ``batch_only``) bare summary lines (``-f jsonl``).

    A rerun of ``summarizer batch`` appends a newer line for an article it did again (a retried
    failure): of the batch lines with the same ``id`` only the last one counts, shown where the
    id first appears. Bare summary lines are all kept."""
    parsed: list[tuple[int, Any]] = []  # (line number, JSON value) of each non-blank line
    last: dict[str, int] = {}  # batch line id -> index in ``parsed`` of its latest line
    slot: dict[str, int] = {}  # batch line id -> index of its first line (where it is shown)
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        where = f"{path}:{n}"
        try:
            line = json.loads(raw)
        except ValueError as exc:
            raise InputError(f"{where}: not a JSON line: {exc}") from None
        if not _is_batch_line(line):
            if batch_only or not isinstance(line, dict):
                raise InputError(f"{where}: not a batch result line")
        elif isinstance(line.get("id"), str) and line["id"]:
            last[line["id"]] = len(parsed)
            slot.setdefault(line["id"], len(parsed))
        parsed.append((n, line))
    items: Items = []
    failures: Failures = []
    for i, (n, line) in enumerate(parsed):
        if not _is_batch_line(line):
            where = f"{path}:{n}"
            summary = _summary(line, where)
            items.append((summary, _text_for({}, summary, articles)))
            continue
        key = line.get("id")
        if isinstance(key, str) and key:
            if slot[key] != i:
                continue  # shown at the first line of its id
            n, line = parsed[last[key]]
        where = f"{path}:{n}"
        name = str(line.get("id") or f"line {n}")
        if line.get("status", "ok") != "ok":
            failures.append((name, str(line.get("error") or line.get("status"))))
            continue
        if "result" not in line:
            raise InputError(f"{where}: not a batch result line: no 'result'")
        summary = _summary(line["result"], where, label="not a batch result line", at="result")
        items.append((summary, _text_for(line, summary, articles)))
    return items, failures


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_batch(path: Path, articles: Path | None = None) -> tuple[Items, Failures]:
    """(summary, text or None) per ``ok`` line and (id, error) per ``error`` line of a batch JSONL."""
    return _lines(path, _read(path), articles, batch_only=True)


def load_summaries(path: Path, articles: Path | None = None) -> tuple[Items, Failures]:
    """Summaries from batch JSONL or from ``summarize -f json`` / ``-f jsonl`` output:
    (summary, article text or None) each, and (id, error) per failed batch line."""
    text = _read(path)
    try:
        data = json.loads(text)
    except ValueError:  # several lines: JSONL
        return _lines(path, text, articles, batch_only=False)
    if isinstance(data, list):
        summaries = [_summary(item, f"{path}: item {n}") for n, item in enumerate(data, 1)]
        return [(s, _text_for({}, s, articles)) for s in summaries], []
    if _is_batch_line(data):  # a batch file of one line
        return _lines(path, text, articles, batch_only=True)
    summary = _summary(data, str(path))
    return [(summary, _text_for({}, summary, articles))], []


def _is_results(path: Path) -> bool:
    """An eval ``results.json`` is one JSON object with ``version`` and ``articles``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return False
    return isinstance(data, dict) and "articles" in data and "version" in data


def _is_events(path: Path) -> bool:
    """An events file (``summarizer events``): JSON lines with ``kind`` and ``members``."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
        data = json.loads(first)
    except (ValueError, OSError):
        return False
    return isinstance(data, dict) and "members" in data and "kind" in data


def register(app: typer.Typer) -> None:
    """Add the ``render`` command to ``app``."""

    @app.command("render")
    def render_cmd(
        source: Annotated[
            Path,
            typer.Argument(
                help="summarize -f json/jsonl output, batch output, an events file, or an eval results.json."
            ),
        ],
        html: Annotated[Path, output_option("--html", help="Write the HTML page here.")],
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
            elif _is_events(source):
                from summarizer.events import read_events
                from summarizer.views.timeline import events_html

                found = read_events(source)
                page = events_html(found, title=title or source.stem)
                what = f"{len(found)} event(s)"
            else:
                from summarizer.views.html import batch_html

                items, failures = load_summaries(source, articles)
                page = batch_html(items, failures, title=title or source.stem)
                what = f"{len(items)} article(s), {len(failures)} failure(s)"
        write_output(html, page)
        if not is_stdout(html):
            typer.echo(f"{html}: {what}")
