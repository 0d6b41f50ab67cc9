"""The ``batch`` command: many articles into a resumable JSONL results file.

Registered on the main app with :func:`register`; ``python -m summarizer.batch_cli``
runs it on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._options import BaseUrlOpt, CacheOpt, LocalOpt, ModelOpt, ModeOpt

__all__ = ["main", "register"]


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
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    local: LocalOpt = None,
    cache: CacheOpt = None,
    max_tokens: Annotated[
        Optional[int], typer.Option("--max-tokens", help="Completion limit per call.")
    ] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", help="Seconds per request.")] = None,
) -> None:
    """Summarize many articles into a JSONL file; a rerun skips finished articles."""
    import asyncio

    from .batch import run_batch
    from .cli import errors, model_settings
    from .loaders import iter_inputs
    from .pipeline import Summarizer

    with errors():
        settings = model_settings(model, base_url, mode, cache, local, max_tokens, timeout)
        items = list(iter_inputs(inputs, settings.max_chars))
        report = asyncio.run(
            run_batch(
                items,
                out,
                lambda: Summarizer(settings),
                concurrency=concurrency or settings.concurrency,
                retry_failed=retry_failed,
                progress=progress,
            )
        )
    typer.echo(f"batch: {report.line()} -> {out}")
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``batch`` command to ``app``."""
    app.command("batch")(batch)


def main() -> None:
    """Run the batch command alone (``python -m summarizer.batch_cli batch ...``)."""
    import logging
    import os
    import sys

    from .cli import _local_flag

    level = os.environ.get("SUMMARIZER_LOG_LEVEL", "").upper()
    logging.basicConfig(level=level or logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not level:  # instructor logs every failed attempt; the batch records failures itself
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
    app = typer.Typer(add_completion=False, no_args_is_help=True)

    @app.callback()
    def _root() -> None:
        """Batch summarization."""

    register(app)
    sys.argv[1:] = _local_flag(sys.argv[1:])
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
