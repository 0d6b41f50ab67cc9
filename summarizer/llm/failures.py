"""Failures of a model call, mapped to :class:`~summarizer.errors.SummarizerError` subclasses.

Every message is one line and never contains the API key.
"""

from __future__ import annotations

import json
from typing import Any

import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import ValidationError

from summarizer.errors import (
    ConfigurationError,
    ExtractionError,
    LLMError,
    ModelNotFoundError,
    SummarizerError,
    TransportError,
)
from summarizer.llm.transport import current_stats
from summarizer.settings import Settings

__all__ = ["one_line", "raw_output", "to_error"]


def raw_output(completion: Any) -> str | None:
    """The text the model produced: tool-call arguments or message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    calls = getattr(message, "tool_calls", None)
    if calls:
        return str(calls[0].function.arguments)
    content = getattr(message, "content", None)
    return None if content is None else str(content)


def to_error(exc: BaseException, settings: Settings, *, secret: str) -> SummarizerError:
    """Any failure of a model call → one :class:`SummarizerError` with a one-line, key-free message."""
    stats = current_stats()
    attempts = stats.requests if stats else 0
    usage = stats.usage() if stats else {}
    where = settings.base_url or "the OpenAI API"
    if isinstance(exc, IncompleteOutputException):
        return ExtractionError(
            f"the answer was cut off at max_tokens={settings.max_tokens}; raise --max-tokens",
            failed_fields=["<truncated>"],
            last_output=raw_output(getattr(exc, "last_completion", None)),
            attempts=attempts,
            usage=usage,
        )
    cause: BaseException = exc
    if isinstance(exc, InstructorRetryException):
        if isinstance(exc.__cause__, (ValidationError, json.JSONDecodeError)) or exc.failed_attempts:
            last = exc.failed_attempts[-1].exception if exc.failed_attempts else exc.__cause__
            if isinstance(last, (ValidationError, json.JSONDecodeError)) or not isinstance(
                exc.__cause__, openai.OpenAIError
            ):
                return _extraction_error(exc, last, attempts, usage)
        cause = exc.__cause__ or exc
        if isinstance(cause, AssertionError) and "Unable to generate" in str(cause):
            return ExtractionError(
                f"the model refused: {one_line(str(cause), 150)}",
                failed_fields=["<refusal>"],
                last_output=None,
                attempts=attempts,
                usage=usage,
            )
    if isinstance(cause, openai.APIConnectionError) and isinstance(cause.__cause__, SummarizerError):
        return cause.__cause__  # e.g. CacheMissError raised inside our transport
    if isinstance(cause, SummarizerError):
        return cause
    if isinstance(cause, openai.AuthenticationError):
        return ConfigurationError(f"{where} rejected the API key (HTTP 401)")
    if isinstance(cause, openai.NotFoundError):
        return ModelNotFoundError(
            f"model {settings.model!r} not found at {where}", attempts=attempts, usage=usage
        )
    if isinstance(cause, openai.APITimeoutError):
        return TransportError(
            f"{where} timed out after {settings.timeout:g}s ({attempts} attempt(s))",
            attempts=attempts,
            usage=usage,
        )
    if isinstance(cause, openai.APIConnectionError):
        return TransportError(f"cannot reach {where} ({attempts} attempt(s))", attempts=attempts, usage=usage)
    if isinstance(cause, openai.APIStatusError):
        hint = ""
        if cause.status_code == 400 and settings.mode == "json_schema":
            hint = "; this server may not support json_schema: try --mode tools"
        return TransportError(
            f"{where} answered HTTP {cause.status_code} after {attempts} attempt(s): "
            f"{one_line(cause.message.replace(secret, '***'))}{hint}",
            attempts=attempts,
            usage=usage,
        )
    return LLMError(
        f"model call failed: {type(cause).__name__}: {one_line(str(cause))}", attempts=attempts, usage=usage
    )


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _extraction_error(
    exc: InstructorRetryException, last: BaseException | None, attempts: int, usage: dict[str, int]
) -> ExtractionError:
    fields: list[str] = []
    detail = ""
    if isinstance(last, ValidationError):
        for error in last.errors():
            fields.append(".".join(str(p) for p in error["loc"]) or "<root>")
        first = last.errors()[0] if last.errors() else None
        detail = f": {one_line(first['msg'], 120)}" if first else ""
    elif last is not None:
        fields.append("<json>")
        detail = f": {one_line(str(last), 120)}"
    return ExtractionError(
        f"answer failed validation after {exc.n_attempts} attempt(s) in {', '.join(fields[:5]) or '?'}{detail}",
        failed_fields=fields,
        last_output=raw_output(exc.last_completion),
        attempts=attempts,
        usage=usage,
    )
