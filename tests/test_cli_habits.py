"""Command-line habits: --version, -h, completion, choices, ``-`` for stdout, -v/-q, and the
bugs they came with (HTML markup sent to the model, output paths checked after the paid
calls, ``--local`` silently ignoring ``--model``)."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ARTICLES, REFERENCE, ROOT
from scripted import reference_answer
from test_cli import assert_one_line_error, cli

from summarizer.articles.documents import load_document
from summarizer.testing import FakeOpenAI

FAKE = ("-m", "fake-model", "--cache", "off")
SECRET = "sk-habits-SECRET-4f1e2d"


@pytest.fixture
def answering() -> Iterator[FakeOpenAI]:
    """A fake server answering every pass with the reference article's answer."""
    with FakeOpenAI(models=("fake-model",), default=reference_answer) as server:
        yield server


def _sent_text(server: FakeOpenAI) -> str:
    """Every message the fake server received, concatenated."""
    parts = []
    for request in server.chat_requests:
        for message in (request.body or {}).get("messages", []):
            content = message.get("content")
            parts.append(content if isinstance(content, str) else json.dumps(content))
    return "\n".join(parts)


def _page() -> tuple[str, str]:
    """An HTML page around the reference article's paragraphs, and one sentence of its text."""
    text = load_document(REFERENCE).text
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if len(p.split()) > 8]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = (
        "<!DOCTYPE html>\n<html><head><title>Two-plus-two</title>"
        '<script>var tracking = "SCRIPT-NOISE";</script></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Two-plus-two</h1>{body}</article></body></html>"
    )
    return page, paragraphs[2]


# -- 1. --version, -h, completion ------------------------------------------------------------
def test_version_prints_package_version() -> None:
    from summarizer import __version__

    proc = cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"summarizer {__version__}\n"


def test_dash_h_is_help_on_every_command_and_sub_command() -> None:
    from typing import Any

    import typer.main
    from typer.testing import CliRunner

    from summarizer.cli.main import app

    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():  # a group's sub-commands
            walk(sub, [*path, name])

    walk(root, [])
    assert len(paths) >= 10 and ["gold", "new"] in paths and ["eval", "compare"] in paths
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(app, [*path, "-h"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output and "--help" in result.output, path


def test_shell_completion_is_offered() -> None:
    proc = cli("--show-completion", "bash")
    assert proc.returncode == 0, proc.stderr
    assert "_SUMMARIZER_COMPLETE" in proc.stdout
    assert "--install-completion" in cli("--help").stdout


# -- 2. choices ------------------------------------------------------------------------------
def _choices(option: str) -> tuple[str, ...]:
    from typing import get_args

    from summarizer.settings import CacheMode, Mode
    from summarizer.views.text import FORMATS

    return {"--format": FORMATS, "--mode": get_args(Mode), "--cache": get_args(CacheMode)}[option]


@pytest.mark.parametrize(
    ("command", "option"),
    [
        ("summarize", "--format"),
        ("summarize", "--mode"),
        ("summarize", "--cache"),
        ("batch", "--mode"),
        ("batch", "--cache"),
        ("eval", "--mode"),
        ("eval", "--cache"),
    ],
)
def test_invalid_choice_is_usage_error_listing_choices(tmp_path: Path, command: str, option: str) -> None:
    args = {
        "summarize": [str(REFERENCE)],
        "batch": [str(REFERENCE), "-o", str(tmp_path / "out.jsonl")],
        "eval": ["--out", str(tmp_path / "results")],
    }[command]
    proc = cli(command, *args, option, "pigeon", "--base-url", "http://127.0.0.1:9/v1")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "pigeon" in proc.stderr
    for choice in _choices(option):
        assert choice in proc.stderr, (choice, proc.stderr)
    assert not (tmp_path / "out.jsonl").exists()


# -- 3. - is stdout ----------------------------------------------------------------------------
def test_summarize_output_dash_is_stdout_with_fake_server(answering: FakeOpenAI, tmp_path: Path) -> None:
    proc = cli("summarize", str(REFERENCE), "-o", "-", "--base-url", answering.base_url, *FAKE, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["meetings"]) == 3
    assert not (tmp_path / "-").exists()


# -- 4. render reads what summarize -f json / jsonl print --------------------------------------
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
@pytest.mark.parametrize("count", [1, 2])
def test_render_accepts_summarize_output_from_fake_server(
    answering: FakeOpenAI, tmp_path: Path, fmt: str, count: int
) -> None:
    files = [str(REFERENCE), str(tmp_path / "copy.txt")][:count]
    (tmp_path / "copy.txt").write_bytes(REFERENCE.read_bytes())
    out = tmp_path / f"summaries.{fmt}"
    proc = cli("summarize", *files, "-f", fmt, "-o", str(out), "--base-url", answering.base_url, *FAKE)
    assert proc.returncode == 0, proc.stderr
    proc = cli("render", str(out), "--html", "-", "--articles", str(ARTICLES))
    assert proc.returncode == 0, proc.stderr
    page = proc.stdout
    printed = out.read_text(encoding="utf-8")
    first = json.loads(printed.splitlines()[0]) if fmt == "jsonl" else json.loads(printed)
    summary = first[0] if isinstance(first, list) else first
    title, quote = summary["source"]["title"], summary["agreements"][0]["evidence"][0]["quote"]
    assert page.startswith("<!DOCTYPE html>") and page.count(html.escape(title)) >= count
    assert html.escape(quote, quote=False) in page  # the records are on the page


def test_render_html_dash_is_stdout_and_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"meetings": "no"}]')
    assert_one_line_error(cli("render", str(bad), "--html", "-"), 2, "bad.json")


# -- 5. -v / -vv / -q --------------------------------------------------------------------------
def test_verbosity_flags_map_onto_logging_and_redact_key_with_fake_server(answering: FakeOpenAI) -> None:
    env = {"SUMMARIZER_API_KEY": SECRET}
    args = ("summarize", str(REFERENCE), "--base-url", answering.base_url, *FAKE)
    quiet, info, debug = (
        cli("-q", *args, env={**env, "SUMMARIZER_LOG_LEVEL": "DEBUG"}),
        cli("-v", *args, env=env),
        cli("-vv", *args, env=env),
    )
    for proc in (quiet, info, debug):
        assert proc.returncode == 0, proc.stderr
        assert SECRET not in proc.stderr + proc.stdout
    assert "INFO " not in quiet.stderr and "DEBUG " not in quiet.stderr
    assert "INFO " in info.stderr and "DEBUG " not in info.stderr
    assert "DEBUG " in debug.stderr


def test_quiet_batch_has_no_progress_bar_with_fake_server(answering: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = cli("-q", "batch", str(REFERENCE), "-o", str(out), "--base-url", answering.base_url, *FAKE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "batch: 1 articles: 1 ok" in proc.stdout


def test_quiet_and_verbose_together_is_usage_error() -> None:
    assert_one_line_error(cli("-q", "-v", "schema"), 2, "-q")


# -- 6. BUG: summarize sent raw HTML markup to the model ---------------------------------------
def test_summarize_html_file_sends_article_text_not_markup_to_fake_server(
    answering: FakeOpenAI, tmp_path: Path
) -> None:
    page, sentence = _page()
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    proc = cli("summarize", str(path), "--base-url", answering.base_url, *FAKE)
    assert proc.returncode == 0, proc.stderr
    sent = _sent_text(answering)
    assert answering.chat_requests and sentence[:60] in sent
    for markup in ("<html", "<p>", "<script", "SCRIPT-NOISE"):
        assert markup not in sent, markup


def test_summarize_html_on_stdin_sends_article_text_not_markup_to_fake_server(answering: FakeOpenAI) -> None:
    page, sentence = _page()
    proc = cli("summarize", "-", "--base-url", answering.base_url, *FAKE, stdin=page.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    sent = _sent_text(answering)
    assert sentence[:60] in sent and "<p>" not in sent and "<html" not in sent


def test_summarize_jsonl_file_like_batch_with_fake_server(answering: FakeOpenAI, tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    text = load_document(REFERENCE).text
    path.write_text(json.dumps({"id": "ref", "text": text, "published": "2013-11-02"}) + "\n")
    proc = cli("summarize", str(path), "--base-url", answering.base_url, *FAKE)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["source"]["id"] == "ref" and len(data["meetings"]) == 3


# -- 7. BUG: output paths were checked after the paid model calls ------------------------------
def test_impossible_output_path_fails_before_any_request_to_fake_server(
    answering: FakeOpenAI, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    impossible = str(blocker / "sub" / "out.json")
    proc = cli("summarize", str(REFERENCE), "-o", impossible, "--base-url", answering.base_url, *FAKE)
    assert_one_line_error(proc, 2, str(blocker))
    assert answering.chat_requests == []
    proc = cli("summarize", str(REFERENCE), "-o", str(tmp_path), "--base-url", answering.base_url, *FAKE)
    assert_one_line_error(proc, 2, "is a directory")
    assert answering.chat_requests == []


def test_eval_impossible_html_path_fails_before_any_request_to_fake_server(
    answering: FakeOpenAI, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    gold = ("--gold", str(ROOT / "evals" / "gold"), "--articles", str(ARTICLES), "--only", "00_")
    for where in (("--html", str(blocker / "report.html")), ("--out", str(blocker / "results"))):
        args = ("eval", *gold, "--out", str(tmp_path / "results"), *where)
        proc = cli(*args, "--base-url", answering.base_url, *FAKE, cwd=tmp_path)
        assert_one_line_error(proc, 2, str(blocker))
        assert answering.chat_requests == []


def test_output_into_new_nested_directory_is_created_with_fake_server(
    answering: FakeOpenAI, tmp_path: Path
) -> None:
    out = tmp_path / "a" / "b" / "brief.md"
    proc = cli(
        "summarize", str(REFERENCE), "-f", "markdown", "-o", str(out), "--base-url", answering.base_url, *FAKE
    )
    assert proc.returncode == 0, proc.stderr
    assert "## Meetings (3)" in out.read_text(encoding="utf-8")


def test_render_impossible_html_path_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    source = tmp_path / "one.json"
    source.write_text("{}")
    assert_one_line_error(cli("render", str(source), "--html", str(blocker / "x.html")), 2, str(blocker))
    nested = tmp_path / "x" / "y" / "page.html"
    proc = cli("render", str(source), "--html", str(nested))
    assert proc.returncode == 0, proc.stderr
    assert nested.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# -- 8. BUG: --local silently ignored --model --------------------------------------------------
@pytest.mark.parametrize("command", ["summarize", "batch", "eval"])
@pytest.mark.parametrize("local", [["--local"], ["--local", "some.gguf"]], ids=["test_model", "path"])
def test_local_with_model_is_usage_error(tmp_path: Path, command: str, local: list[str]) -> None:
    args = {
        "summarize": [str(REFERENCE)],
        "batch": [str(REFERENCE), "-o", str(tmp_path / "out.jsonl")],
        "eval": ["--out", str(tmp_path / "results")],
    }[command]
    proc = cli(command, *args, *local, "--model", "gpt-4o")
    assert_one_line_error(proc, 2, "--local")
    assert "GGUF" in proc.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_root_options_work_alongside_config_file_option(tmp_path: Path) -> None:
    settings_file = tmp_path / "config.toml"
    settings_file.write_text('model = "model-from-file"\n', encoding="utf-8")
    proc = cli("-q", "--config", str(settings_file), "config", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    model = next(row for row in json.loads(proc.stdout) if row["name"] == "model")
    assert model["value"] == "model-from-file" and model["source"] == "file"
