"""The ``batch`` command: many articles into a resumable JSONL results file.

Registered on the main app with :func:`register`; ``python -m summarizer.cli.batch``
runs it on its own. Exit codes: 0 every input article's latest line is ok; 1 some
article's latest line is an error (this run's or an earlier run's: ``--retry-failed``
asks again), or the model call failed outright; 2 bad input or options; 3 bad
configuration; 75 the results file is in use by another batch (``--wait`` waits);
130 interrupted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from summarizer.cli._common import (
    BaseUrlOpt,
    CacheOpt,
    LocalOpt,
    ModelOpt,
    ModeOpt,
    configure_logging,
    errors,
    fail,
    local_flag,
    model_settings,
)

__all__ = ["EXIT_FAILED", "EXIT_IN_USE", "main", "register"]

EXIT_FAILED = 1  # some article's latest line is an error
EXIT_IN_USE = 75  # EX_TEMPFAIL: another batch holds the results file; try again later


def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="Files (.txt .md .html .htm .jsonl), directories, or - for stdin.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL results file (appended; resumable).")],
    concurrency: Annotated[
        Optional[int], typer.Option("--concurrency", "-j", min=1, help="Articles in flight.")
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Retry articles whose latest line is an error.")
    ] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    wait: Annotated[
        bool,
        typer.Option("--wait", help="If another batch is writing the results file, wait for it to end."),
    ] = False,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    local: LocalOpt = None,
    cache: CacheOpt = None,
    max_tokens: Annotated[
        Optional[int], typer.Option("--max-tokens", help="Completion limit per call.")
    ] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", help="Seconds per request.")] = None,
    via: Annotated[
        str,
        typer.Option(
            "--via", help="direct: one request per call; openai-batch: the OpenAI Batch API (half price)."
        ),
    ] = "direct",
    poll_interval: Annotated[
        float, typer.Option("--poll-interval", help="Seconds between Batch API status checks.")
    ] = 30.0,
) -> None:
    """Summarize many articles into a JSONL file; a rerun skips finished articles."""
    import asyncio

    from summarizer.articles.loaders import iter_inputs
    from summarizer.batch.lock import ResultsInUseError
    from summarizer.batch.run import run_batch
    from summarizer.errors import InputError
    from summarizer.pipeline import Summarizer

    def notify(message: str) -> None:
        if progress:
            typer.echo(message, err=True)

    with errors():
        if via not in ("direct", "openai-batch"):
            raise InputError(f"--via must be direct or openai-batch, got {via!r}")
        if poll_interval <= 0:
            raise InputError(f"--poll-interval must be positive, got {poll_interval:g}")
        settings = model_settings(model, base_url, mode, cache, local, max_tokens, timeout)
        if via == "openai-batch":
            from summarizer.batch.openai import check_settings

            check_settings(settings)  # before a local model would start
        items = list(iter_inputs(inputs, settings.max_chars))
        jobs = concurrency or settings.concurrency
        try:
            common: dict[str, Any] = {
                "concurrency": jobs,
                "retry_failed": retry_failed,
                "progress": progress,
                "wait": wait,
                "notify": notify,
            }
            if via == "direct":
                report = asyncio.run(run_batch(items, out, lambda: Summarizer(settings), **common))
            else:
                from summarizer.batch.openai import run_openai_batch

                report, api = asyncio.run(
                    run_openai_batch(
                        items, out, lambda: Summarizer(settings), poll_interval=poll_interval, **common
                    )
                )
                typer.echo(f"openai-batch: {api.line()}")
        except ResultsInUseError as exc:
            raise fail(str(exc), EXIT_IN_USE) from None
    hint = "; rerun with --retry-failed" if report.total_failed else ""
    typer.echo(f"batch: {report.line()} -> {out}{hint}")
    if report.total_failed:
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Add the ``batch`` command to ``app``."""
    app.command("batch")(batch)


def main() -> None:
    """Run the batch command alone (``python -m summarizer.cli.batch batch ...``)."""
    import sys

    configure_logging()
    app = typer.Typer(add_completion=False, no_args_is_help=True)

    @app.callback()
    def _root() -> None:
        """Batch summarization."""

    register(app)
    sys.argv[1:] = local_flag(sys.argv[1:])
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
