"""Scripted replies for the fake OpenAI server: one constructor per kind of answer or fault."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_ERROR_TYPES = {
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
}


@dataclass(frozen=True)
class Reply:
    """One scripted answer; build it with the module-level constructors."""

    status: int = 200
    content: str | None = None
    refusal: str | None = None
    arguments: str | None = None
    tool_name: str | None = None
    finish_reason: str = "stop"
    prompt_tokens: int = 100
    completion_tokens: int = 50
    error: Mapping[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    then: Reply | None = None
    drop: bool = False
    logprobs: Mapping[str, Any] | None = None



def _encode(arguments: Mapping[str, Any] | str) -> str:
    return arguments if isinstance(arguments, str) else json.dumps(arguments)


def tool_call(
    arguments: Mapping[str, Any] | str,
    *,
    name: str | None = None,
    finish_reason: str = "tool_calls",
    prompt_tokens: int = 100,
    completion_tokens: int = 50,
) -> Reply:
    """An assistant message with one tool call; `name` defaults to the requested tool."""
    return Reply(
        arguments=_encode(arguments),
        tool_name=name,
        finish_reason=finish_reason,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )


def content(
    text: str, *, finish_reason: str = "stop", prompt_tokens: int = 100, completion_tokens: int = 50
) -> Reply:
    """A plain assistant text message."""
    return Reply(
        content=text,
        finish_reason=finish_reason,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )


def json_content(obj: Any) -> Reply:
    """An assistant message whose content is `obj` JSON-encoded."""
    return content(json.dumps(obj))


def error(
    status: int,
    message: str = "fake error",
    *,
    headers: Mapping[str, str] | None = None,
    code: str | None = None,
) -> Reply:
    """An OpenAI-shaped error body with the given HTTP status."""
    kind = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    body = {"message": message, "type": kind, "param": None, "code": code}
    return Reply(status=status, error=body, headers=dict(headers or {}))


def hang(seconds: float, then: Reply | None = None) -> Reply:
    """Wait `seconds` before answering `then` (or a 500 if None)."""
    return Reply(delay=seconds, then=then or error(500, "fake server: hang elapsed", code="hang"))


def drop() -> Reply:
    """Close the connection without sending any HTTP response."""
    return Reply(drop=True)


def truncated(arguments: Mapping[str, Any] | str, *, name: str | None = None) -> Reply:
    """A tool call cut off by the token limit (finish_reason "length")."""
    return tool_call(arguments, name=name, finish_reason="length")


def yes_no(p_yes: float) -> Reply:
    """A one-token yes/no answer with the top log-probabilities of "yes" and "no" (the check)."""
    top = [
        {"token": word, "logprob": math.log(max(p, 1e-9)), "bytes": None}
        for word, p in (("yes", p_yes), ("no", 1 - p_yes))
    ]
    first = max(top, key=lambda t: float(t["logprob"]))  # type: ignore[arg-type]
    logprobs = {"content": [{**first, "top_logprobs": top}]}
    return Reply(content=str(first["token"]), finish_reason="length", completion_tokens=1, logprobs=logprobs)


def refusal(text: str) -> Reply:
    """An assistant refusal (content None)."""
    return Reply(refusal=text)


def empty() -> Reply:
    """An assistant message with empty content and no tool calls."""
    return Reply(content="")
