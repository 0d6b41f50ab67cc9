"""What the commands share: option types, settings from flags, errors as one line, logging."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any, Optional

import typer

from summarizer.errors import (
    ConfigurationError,
    GoldError,
    InputError,
    LocalModelError,
    PromptError,
    SummarizerError,
)
from summarizer.llm.local import exit_on_sigterm
from summarizer.settings import Settings

__all__ = [
    "EXIT_CODES",
    "BaseUrlOpt",
    "CacheOpt",
    "LocalOpt",
    "MaxTokensOpt",
    "ModeOpt",
    "ModelOpt",
    "TimeoutOpt",
    "configure_logging",
    "errors",
    "fail",
    "local_flag",
    "make_settings",
    "model_settings",
    "parse_published",
]

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


def parse_published(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


def make_settings(**overrides: Any) -> Any:
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


def local_flag(argv: list[str]) -> list[str]:
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


def configure_logging() -> None:
    """Log level from the settings; the API key is redacted from every line.

    instructor logs every failed attempt at ERROR; the commands report failures themselves,
    so it is silenced unless a level is set.
    """
    exit_on_sigterm()  # SIGTERM unwinds like an exit: a --local server is stopped cleanly
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
