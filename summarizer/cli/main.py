"""Command line: a thin layer over the library. Errors are one line on stderr.

Exit codes: 0 success, 1 model or extraction failure, 2 bad input or usage,
3 configuration (missing key, missing extra, local model problems).
"""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from summarizer.cli._common import (
    CONTEXT_SETTINGS,
    BaseUrlOpt,
    CacheOpt,
    FormatOpt,
    LocalOpt,
    MaxTokensOpt,
    ModelOpt,
    ModeOpt,
    TimeoutOpt,
    configure_logging,
    errors,
    fail,
    local_flag,
    model_settings,
    output_option,
    parse_published,
    write_output,
)

if TYPE_CHECKING:
    from summarizer.articles.documents import Document

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,  # plain click help, as llm and gh print: --help in a fifth of a second
    context_settings=CONTEXT_SETTINGS,
    help="Meetings and agreements from news articles.",
)
gold_app = typer.Typer(no_args_is_help=True, help="Gold files for evaluation.")
model_app = typer.Typer(no_args_is_help=True, help="The embedded local model.")
app.add_typer(gold_app, name="gold")
app.add_typer(model_app, name="model")


def _quiet_progress(ctx: typer.Context) -> None:
    """``-q``: the ``--progress`` of every sub-command defaults to off (an explicit
    ``--progress`` still wins): sub-contexts read their defaults from ``ctx.default_map``."""
    commands: dict[str, Any] = getattr(ctx.command, "commands", {})
    defaults = dict(ctx.default_map or {})
    for name, command in commands.items():
        if any(param.name == "progress" for param in command.params):
            defaults[name] = {**defaults.get(name, {}), "progress": False}
    ctx.default_map = defaults


def _chain(callbacks: Sequence[Callable[..., Any]]) -> Callable[..., None]:
    """One callback taking every option of ``callbacks`` and calling each with its own."""
    params: dict[str, inspect.Parameter] = {}
    names: list[list[str]] = []
    for callback in callbacks:
        own = list(inspect.signature(callback, eval_str=True).parameters.values())
        for param in own:
            params.setdefault(param.name, param.replace(kind=inspect.Parameter.KEYWORD_ONLY))
        names.append([p.name for p in own])

    def root(**values: Any) -> None:
        for callback, own_names in zip(callbacks, names, strict=True):
            callback(**{name: values[name] for name in own_names})

    root.__signature__ = inspect.Signature(list(params.values()))  # type: ignore[attr-defined]
    root.__annotations__ = {name: p.annotation for name, p in params.items()}
    root.__doc__ = callbacks[0].__doc__
    return root


def _add_root_callback(app: typer.Typer, callback: Callable[..., Any]) -> None:
    """Make ``callback`` the app's root callback, chained before one already registered (such
    as ``config``'s ``--config FILE``): a Typer app has one callback, so this comes last."""
    info = app.registered_callback
    first = getattr(info, "callback", None)
    app.callback()(callback if first is None else _chain([callback, first]))


def _version(value: bool) -> None:
    if value:
        from summarizer import __version__

        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Log more: -v INFO, -vv DEBUG.")
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Warnings and errors only; no progress bars.")
    ] = False,
) -> None:
    """Meetings and agreements from news articles."""
    if quiet and verbose:
        raise fail("-q and -v do not go together", 2)
    # Here, not in main(): ``--help`` and ``--version`` end before this runs and so never load
    # the settings (pydantic-settings, most of their start-up); neither does a sub-command's help.
    if not _help_only:
        configure_logging(-1 if quiet else verbose)
    if quiet:
        _quiet_progress(ctx)


# Set by main(): the command line asks for help (``-h`` / ``--help`` before any ``--``), so no
# command runs and logging need not be set up.
_help_only = False


def asks_for_help(argv: Sequence[str]) -> bool:
    """Whether ``argv`` has ``-h`` or ``--help`` as an option (not after ``--``)."""
    options = argv[: list(argv).index("--")] if "--" in argv else argv
    return any(arg in ("-h", "--help") for arg in options)


def _is_quiet(ctx: typer.Context) -> bool:
    return bool(ctx.find_root().params.get("quiet"))


def load_inputs(names: list[str], max_chars: int, published: date | None = None) -> list[Document]:
    """The articles of ``names`` (files, directories, ``-`` for stdin), read by the loader that
    ``batch`` uses (text, HTML through trafilatura, JSONL); the first bad one is an InputError."""
    from dataclasses import replace

    from summarizer.articles.loaders import SUPPORTED_SUFFIXES, InputFailure, iter_inputs
    from summarizer.errors import InputError

    docs: list[Document] = []
    for name in names:
        found = 0
        for item in iter_inputs([name], max_chars):
            if isinstance(item, InputFailure):
                raise InputError(item.reason)
            docs.append(item if published is None else replace(item, published=published))
            found += 1
        if not found:
            kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise InputError(f"{name}: no article found (files read below a directory: {kinds})")
    return docs


@app.command()
def summarize(
    files: Annotated[list[str], typer.Argument(help="Article files or directories, or - for stdin.")],
    fmt: FormatOpt = "json",
    output: Annotated[Optional[Path], output_option("--output", "-o", help="Write here.")] = None,
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
    """Extract meetings and agreements from articles (text, Markdown, HTML or JSONL)."""
    from summarizer.pipeline import Summarizer
    from summarizer.views.text import render

    when = parse_published(published)
    with errors():
        settings = model_settings(model, base_url, mode, cache, local, max_tokens, timeout)
        docs = load_inputs(files, settings.max_chars, when)
        with Summarizer(settings) as summarizer:
            results = [summarizer.summarize(doc) for doc in docs]
        text = render(results, fmt)
    write_output(output, text)


@app.command()
def schema(
    pass_name: Annotated[
        Optional[str], typer.Option("--pass", help="Show a pass's response model instead.")
    ] = None,
) -> None:
    """Print the JSON Schema of the output (ArticleSummary v1)."""
    from summarizer.passes.drafts import PASSES
    from summarizer.schemas import ArticleSummary

    if pass_name is not None and pass_name not in PASSES:
        raise fail(f"unknown pass {pass_name!r}; choose one of {', '.join(PASSES)}", 2)
    model = PASSES[pass_name] if pass_name else ArticleSummary
    typer.echo(json.dumps(model.model_json_schema(), indent=2))


@gold_app.command("new")
def gold_new(
    article: Annotated[Path, typer.Argument(help="Article file.")],
    output: Annotated[
        Optional[Path], output_option("--output", "-o", help="Write the skeleton here (not over a file).")
    ] = None,
) -> None:
    """Write an empty, valid gold skeleton for an article."""
    from summarizer.articles.documents import load_document
    from summarizer.evaluation.gold import skeleton

    with errors():
        doc = load_document(article)
        text = skeleton(article.name, doc.published.isoformat() if doc.published else None)
    if output is not None and str(output) != "-" and output.exists():
        raise fail(f"{output} exists; not overwriting a gold file", 2)
    write_output(output, text)


@gold_app.command("check")
def gold_check(
    directory: Annotated[Path, typer.Argument(help="Directory of gold YAML files.")] = Path("evals/gold"),
    articles: Annotated[Optional[Path], typer.Option("--articles", help="Articles directory.")] = None,
) -> None:
    """Validate every gold file (schema, dates, ids, evidence in the article)."""
    from summarizer.evaluation.gold import load_gold_dir

    with errors():
        golds = load_gold_dir(directory, articles)
    meetings = sum(len(g.meetings) for g in golds.values())
    agreements = sum(len(g.agreements) for g in golds.values())
    typer.echo(f"{len(golds)} gold files valid: {meetings} meetings, {agreements} agreements")


@model_app.command("fetch-test")
def model_fetch_test(ctx: typer.Context) -> None:
    """Build the pinned test model (Qwen2.5-Coder-1.5B-Instruct Q4) into the user cache."""
    from summarizer.llm.test_model import fetch_test_model

    with errors():
        path = fetch_test_model(progress=not _is_quiet(ctx))
    typer.echo(str(path))


@model_app.command("path")
def model_path() -> None:
    """Print where the test model is (or would be) stored."""
    from summarizer.llm.test_model import TEST_MODEL

    typer.echo(str(TEST_MODEL.path()))


def _register_subcommands() -> None:
    from summarizer.cli.batch import register as register_batch
    from summarizer.cli.config import register as register_config
    from summarizer.cli.eval import eval_app
    from summarizer.cli.events import register as register_events
    from summarizer.cli.export import register as register_export
    from summarizer.cli.render import register as register_render

    app.add_typer(eval_app, name="eval")
    register_batch(app)
    register_render(app)
    register_export(app)
    register_events(app)
    register_config(app)  # and the global --config FILE
    _add_root_callback(app, _root)  # last: chained before any root callback registered above


_register_subcommands()


def main() -> None:
    global _help_only
    sys.argv[1:] = local_flag(sys.argv[1:])
    _help_only = asks_for_help(sys.argv[1:])
    app(prog_name="summarizer")


if __name__ == "__main__":  # pragma: no cover
    main()
