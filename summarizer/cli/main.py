"""Command line: a thin layer over the library. Errors are one line on stderr.

Exit codes: 0 success, 1 model or extraction failure, 2 bad input or usage,
3 configuration (missing key, missing extra, local model problems).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from summarizer.cli._common import (
    BaseUrlOpt,
    CacheOpt,
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
    parse_published,
)

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Meetings and agreements from news articles."
)
gold_app = typer.Typer(no_args_is_help=True, help="Gold files for evaluation.")
model_app = typer.Typer(no_args_is_help=True, help="The embedded local model.")
app.add_typer(gold_app, name="gold")
app.add_typer(model_app, name="model")


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
    from summarizer.articles.documents import decode, parse_document
    from summarizer.pipeline import Summarizer
    from summarizer.views.text import FORMATS, render

    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    when = parse_published(published)
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
                from summarizer.articles.documents import load_document

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
    from summarizer.passes.drafts import PASSES
    from summarizer.schemas import ArticleSummary

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
    from summarizer.articles.documents import load_document
    from summarizer.evaluation.gold import skeleton

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
    from summarizer.evaluation.gold import load_gold_dir

    with errors():
        golds = load_gold_dir(directory, articles)
    meetings = sum(len(g.meetings) for g in golds.values())
    agreements = sum(len(g.agreements) for g in golds.values())
    typer.echo(f"{len(golds)} gold files valid: {meetings} meetings, {agreements} agreements")


@model_app.command("fetch-test")
def model_fetch_test() -> None:
    """Build the pinned test model (Qwen2.5-Coder-1.5B-Instruct Q4) into the user cache."""
    from summarizer.llm.test_model import fetch_test_model

    with errors():
        path = fetch_test_model()
    typer.echo(str(path))


@model_app.command("path")
def model_path() -> None:
    """Print where the test model is (or would be) stored."""
    from summarizer.llm.test_model import TEST_MODEL

    typer.echo(str(TEST_MODEL.path()))


def _register_subcommands() -> None:
    from summarizer.cli.batch import register as register_batch
    from summarizer.cli.eval import eval_app
    from summarizer.cli.render import register as register_render

    app.add_typer(eval_app, name="eval")
    register_batch(app)
    register_render(app)


_register_subcommands()


def main() -> None:
    configure_logging()
    sys.argv[1:] = local_flag(sys.argv[1:])
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
