"""What the commands share: option types, settings from flags, errors as one line, logging.

The option types check their values while the command line is parsed, so a bad value
(an unknown ``--mode``, an output path that cannot be written) is reported before any
model call: choices are usage errors (exit 2) that list the choices.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from summarizer.errors import (
    ConfigurationError,
    GoldError,
    InputError,
    LocalModelError,
    PromptError,
    SummarizerError,
)
from summarizer.llm.launcher import exit_on_sigterm  # standard library only: no httpx

__all__ = [
    "CACHE_MODES",
    "CONTEXT_SETTINGS",
    "EXIT_CODES",
    "MODES",
    "BaseUrlOpt",
    "CacheOpt",
    "FormatOpt",
    "LocalOpt",
    "MaxTokensOpt",
    "ModeOpt",
    "ModelOpt",
    "TimeoutOpt",
    "configure_logging",
    "errors",
    "fail",
    "is_stdout",
    "local_flag",
    "make_settings",
    "model_settings",
    "output_dir_option",
    "output_option",
    "parse_published",
    "plain",
    "write_output",
]

# -h as well as --help, on every command and sub-command (sub-contexts inherit it).
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


class _Choice(str, Enum):
    """A string choice: prints as its value (typer turns an Enum into a choice option)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


def _choices(name: str, values: Sequence[str]) -> Any:
    make: Any = _Choice  # the functional Enum API: a new Enum of these values
    return make(name, {value: value for value in values})


def plain(value: Any) -> Any:
    """A choice's string value (other values unchanged)."""
    return value.value if isinstance(value, Enum) else value


def _formats() -> Sequence[str]:
    from summarizer.views.text import FORMATS

    return FORMATS


def _check_format(ctx: typer.Context, value: str) -> str:
    """``--format`` is one of the views' FORMATS, read only when the option is used: importing
    the views (schemas, yaml) for every command line would cost ~50 ms of start-up."""
    formats = _formats()
    if ctx.resilient_parsing or value in formats:
        return value
    raise typer.BadParameter(f"{value!r} is not one of {', '.join(map(repr, formats))}.")


def _complete_format(incomplete: str) -> list[str]:
    return [name for name in _formats() if name.startswith(incomplete)]


# The values of ``settings.Mode`` and ``settings.CacheMode``, spelled out so that building the
# command line does not import the settings (pydantic and pydantic-settings: most of the start-up
# of ``--help``); tests/test_cli_settings.py checks that they stay the same.
MODES = ("tools", "json_schema", "json", "md_json")
CACHE_MODES = ("read-write", "replay", "off")

# Mode and cache choices are Enums for typer (an invalid value is a usage error listing them,
# exit 2); type checkers see the strings the commands get through ``plain``.
if TYPE_CHECKING:
    ModeChoice = str
    CacheChoice = str
else:
    ModeChoice = _choices("ModeChoice", MODES)
    CacheChoice = _choices("CacheChoice", CACHE_MODES)


ModelOpt = Annotated[Optional[str], typer.Option("--model", "-m", help="Model name.")]
BaseUrlOpt = Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible server URL.")]
ModeOpt = Annotated[Optional[ModeChoice], typer.Option("--mode", help="How the model returns records.")]
CacheOpt = Annotated[Optional[CacheChoice], typer.Option("--cache", help="Response cache.")]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        callback=_check_format,
        autocompletion=_complete_format,
        help="Output format: json, markdown, yaml, … (an unknown one lists them all).",
    ),
]
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
    """Settings with the flags' values over the environment's; invalid ones are a
    :class:`ConfigurationError`, ``--local`` with ``--model`` an :class:`InputError`."""
    if overrides.get("local_model") is not None and overrides.get("model") is not None:
        raise InputError(
            "--model does not go with --local: the model is the GGUF file given to --local "
            "(a path, hf:REPO/FILE, or nothing for the test model)"
        )
    from summarizer.settings import Settings  # not at import: pydantic-settings is slow to load

    try:
        base = Settings()
        return base.with_overrides(**{name: plain(value) for name, value in overrides.items()})
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


def configure_logging(verbosity: int = 0) -> None:
    """Log level from ``verbosity`` (-1 warnings only, 1 INFO, 2 DEBUG) or else the settings;
    the API key is redacted from every line. Safe to call again to change the level.

    instructor logs every failed attempt at ERROR; the commands report failures themselves,
    so it is silenced unless a level is asked for (``-v`` or the settings' ``log_level``).
    """
    from summarizer.settings import Settings

    exit_on_sigterm()  # SIGTERM unwinds like an exit: a --local server is stopped cleanly
    secret = None
    try:
        settings = Settings()
        configured = (settings.log_level or "").upper()
        secret = settings.api_key.get_secret_value() if settings.api_key else None
    except Exception:  # invalid settings are reported by the command itself
        configured = ""
    level: int | str
    if verbosity < 0:
        level, configured = logging.WARNING, ""
    elif verbosity > 0:
        level = logging.INFO if verbosity == 1 else logging.DEBUG
    else:
        level = configured or logging.WARNING
    root = logging.getLogger()
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    root.setLevel(level)
    if secret:
        for handler in root.handlers:
            if not any(isinstance(f, _Redact) and f.secret == secret for f in handler.filters):
                handler.addFilter(_Redact(secret))
    asked = verbosity > 0 or bool(configured)
    logging.getLogger("instructor").setLevel(logging.NOTSET if asked else logging.CRITICAL)


# -- output files ----------------------------------------------------------------------------
def is_stdout(path: Path | None) -> bool:
    """No path, or ``-``: write to stdout."""
    return path is None or str(path) == "-"


def _blocker(path: Path) -> Path:
    """The nearest ancestor of ``path`` that exists (a file, when a directory cannot be made)."""
    for parent in path.parents:
        if parent.exists():
            return parent
    return Path(".")


def _prepare_file(path: Path) -> Path:
    """Check that ``path`` can be written, creating its missing parent directories."""
    if path.is_dir():
        raise fail(f"cannot write {path}: is a directory, expected a file", 2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise fail(f"cannot write {path}: {_blocker(path)} is not a directory", 2) from None
    except OSError as exc:
        raise fail(f"cannot write {path}: cannot create {path.parent}: {exc.strerror or exc}", 2) from None
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise fail(f"cannot write {path}: permission denied", 2)
    return path


def _file_out(ctx: typer.Context, value: Optional[Path]) -> Optional[Path]:
    if ctx.resilient_parsing or value is None:  # shell completion parses without acting
        return value
    return _prepare_file(value)


def _file_or_stdout_out(ctx: typer.Context, value: Optional[Path]) -> Optional[Path]:
    return value if is_stdout(value) else _file_out(ctx, value)


def _dir_out(ctx: typer.Context, value: Optional[Path]) -> Optional[Path]:
    """Check only (a default is checked too, even when a sub-command runs): the directory
    is made when something is written into it."""
    if ctx.resilient_parsing or value is None:
        return value
    if value.exists() and not value.is_dir():
        raise fail(f"cannot write into {value}: not a directory", 2)
    base = value if value.exists() else _blocker(value)
    if not base.is_dir():
        raise fail(f"cannot write into {value}: {base} is not a directory", 2)
    if not os.access(base, os.W_OK):
        raise fail(f"cannot write into {value}: permission denied", 2)
    return value


def output_option(*names: str, help: str, stdout: bool = True) -> Any:
    """An output-file option checked while parsing, before any model call: missing parent
    directories are created, an impossible path is one line and exit 2. With ``stdout``,
    ``-`` means stdout (see :func:`is_stdout` and :func:`write_output`)."""
    if stdout:
        help = f"{help.rstrip('.')} (- for stdout)."
    return typer.Option(*names, help=help, callback=_file_or_stdout_out if stdout else _file_out)


def output_dir_option(*names: str, help: str) -> Any:
    """An output-directory option checked while parsing, before any model call."""
    return typer.Option(*names, help=help, callback=_dir_out)


def write_output(path: Path | None, text: str) -> None:
    """Write ``text`` to ``path``, or to stdout for none or ``-``; a failure is one line, exit 2."""
    if is_stdout(path):
        sys.stdout.write(text)
        return
    assert path is not None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc.strerror or exc}", 2) from None
