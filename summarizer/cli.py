"""Command line: a thin layer over the library. Errors are one line on stderr.

Exit codes: 0 success, 1 model or extraction failure, 2 bad input or usage,
3 configuration (missing key, missing extra, local model problems).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ._options import BaseUrlOpt, CacheOpt, LocalOpt, MaxTokensOpt, ModelOpt, ModeOpt, TimeoutOpt
from .errors import ConfigurationError, GoldError, InputError, LocalModelError, PromptError, SummarizerError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Meetings and agreements from news articles."
)
gold_app = typer.Typer(no_args_is_help=True, help="Gold files for evaluation.")
model_app = typer.Typer(no_args_is_help=True, help="The embedded local model.")
app.add_typer(gold_app, name="gold")
app.add_typer(model_app, name="model")

EXIT_CODES: list[tuple[type[SummarizerError], int]] = [
    (InputError, 2),
    (GoldError, 2),
    (PromptError, 2),
    (ConfigurationError, 3),
    (LocalModelError, 3),
    (SummarizerError, 1),
]


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def errors() -> Iterator[None]:
    """Turn library errors into one line on stderr and an exit code."""
    try:
        yield
    except SummarizerError as exc:
        code = next(c for cls, c in EXIT_CODES if isinstance(exc, cls))
        raise fail(str(exc), code) from None
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None


def _published(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


def make_settings(**overrides: Any) -> Any:
    from .settings import Settings

    try:
        base = Settings()
        return base.with_overrides(**overrides)
    except Exception as exc:  # pydantic ValidationError: report the first problem
        errors_ = getattr(exc, "errors", None)
        if callable(errors_):
            first = errors_()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigurationError(f"invalid setting {where}: {first['msg']}") from None
        raise ConfigurationError(str(exc)) from None


def model_settings(
    model: str | None,
    base_url: str | None,
    mode: str | None,
    cache: str | None,
    local: str | None,
    max_tokens: int | None,
    timeout: float | None,
) -> Any:
    """Settings from the model flags that ``summarize`` and ``batch`` share."""
    return make_settings(
        model=model,
        base_url=base_url,
        mode=mode,
        cache=cache,
        local_model=local,
        max_tokens=max_tokens,
        timeout=timeout,
    )


@app.command()
def summarize(
    files: Annotated[list[str], typer.Argument(help="Article files, or - for stdin.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json | markdown | yaml.")] = "json",
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    published: Annotated[
        Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD.")
    ] = None,
    local: LocalOpt = None,
    cache: CacheOpt = None,
    max_tokens: MaxTokensOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Extract meetings and agreements from articles."""
    from .documents import decode, parse_document
    from .pipeline import Summarizer
    from .render import FORMATS, render

    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    when = _published(published)
    with errors():
        settings = model_settings(model, base_url, mode, cache, local, max_tokens, timeout)
        docs = []
        for name in files:
            if name == "-":
                docs.append(
                    parse_document(
                        decode(sys.stdin.buffer.read(), "<stdin>"),
                        name="<stdin>",
                        published=when,
                        max_chars=settings.max_chars,
                    )
                )
            else:
                from .documents import load_document

                docs.append(load_document(name, published=when, max_chars=settings.max_chars))
        with Summarizer(settings) as summarizer:
            results = [summarizer.summarize(doc) for doc in docs]
        text = render(results, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command()
def schema(
    pass_name: Annotated[
        Optional[str], typer.Option("--pass", help="Show a pass's response model instead.")
    ] = None,
) -> None:
    """Print the JSON Schema of the output (ArticleSummary v1)."""
    from .extraction import PASSES
    from .schemas import ArticleSummary

    if pass_name is not None and pass_name not in PASSES:
        raise fail(f"unknown pass {pass_name!r}; choose one of {', '.join(PASSES)}", 2)
    model = PASSES[pass_name] if pass_name else ArticleSummary
    typer.echo(json.dumps(model.model_json_schema(), indent=2))


@gold_app.command("new")
def gold_new(
    article: Annotated[Path, typer.Argument(help="Article file.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None,
) -> None:
    """Write an empty, valid gold skeleton for an article."""
    from .documents import load_document
    from .evaluation.gold import skeleton

    with errors():
        doc = load_document(article)
        text = skeleton(article.name, doc.published.isoformat() if doc.published else None)
    if output is None:
        sys.stdout.write(text)
    else:
        if output.exists():
            raise fail(f"{output} exists; not overwriting a gold file", 2)
        output.write_text(text, encoding="utf-8")


@gold_app.command("check")
def gold_check(
    directory: Annotated[Path, typer.Argument(help="Directory of gold YAML files.")] = Path("evals/gold"),
    articles: Annotated[Optional[Path], typer.Option("--articles", help="Articles directory.")] = None,
) -> None:
    """Validate every gold file (schema, dates, ids, evidence in the article)."""
    from .evaluation.gold import load_gold_dir

    with errors():
        golds = load_gold_dir(directory, articles)
    meetings = sum(len(g.meetings) for g in golds.values())
    agreements = sum(len(g.agreements) for g in golds.values())
    typer.echo(f"{len(golds)} gold files valid: {meetings} meetings, {agreements} agreements")


@model_app.command("fetch-test")
def model_fetch_test() -> None:
    """Build the pinned test model (Qwen2.5-Coder-1.5B-Instruct Q4) into the user cache."""
    from .model_fetch import fetch_test_model

    with errors():
        path = fetch_test_model()
    typer.echo(str(path))


@model_app.command("path")
def model_path() -> None:
    """Print where the test model is (or would be) stored."""
    from .local import TEST_MODEL

    typer.echo(str(TEST_MODEL.path()))


def _register_subcommands() -> None:
    from .batch_cli import register as register_batch
    from .evaluation.cli import eval_app
    from .render_cli import register as register_render

    app.add_typer(eval_app, name="eval")
    register_batch(app)
    register_render(app)


_register_subcommands()


def _local_flag(argv: list[str]) -> list[str]:
    """``--local`` takes an optional MODEL: a bare ``--local`` means the test model."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        out.append(arg)
        if arg == "--local":
            nxt = argv[i + 1] if i + 1 < len(argv) else None
            looks_like_model = nxt is not None and (
                nxt.endswith(".gguf") or nxt.startswith("hf:") or nxt == "test"
            )
            if not looks_like_model:
                out.append("test")
    return out


class _Redact:
    """Logging filter: the API key never reaches a log line, even when a server echoes it."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    def filter(self, record: Any) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "***"), None
        return True


def main() -> None:
    import logging

    from .settings import Settings

    # instructor logs every failed attempt at ERROR; the CLI reports failures itself.
    secret = None
    try:
        settings = Settings()
        level = (settings.log_level or "").upper()
        secret = settings.api_key.get_secret_value() if settings.api_key else None
    except Exception:  # invalid settings are reported by the command itself
        level = ""
    logging.basicConfig(level=level or logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if secret:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_Redact(secret))
    if not level:
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
    sys.argv[1:] = _local_flag(sys.argv[1:])
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
