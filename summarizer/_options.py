"""CLI options shared by the commands (one definition, same flags everywhere)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

ModelOpt = Annotated[Optional[str], typer.Option("--model", "-m", help="Model name.")]
BaseUrlOpt = Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible server URL.")]
ModeOpt = Annotated[Optional[str], typer.Option("--mode", help="tools | json_schema | json | md_json.")]
CacheOpt = Annotated[Optional[str], typer.Option("--cache", help="read-write | replay | off.")]
LocalOpt = Annotated[
    Optional[str],
    typer.Option(
        "--local",
        metavar="[MODEL]",
        help="Run on a local GGUF model: a path, hf:REPO/FILE, or nothing for the test model.",
    ),
]
MaxTokensOpt = Annotated[Optional[int], typer.Option("--max-tokens", help="Completion limit per call.")]
TimeoutOpt = Annotated[Optional[float], typer.Option("--timeout", help="Seconds per request.")]
