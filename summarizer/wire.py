"""What goes over the wire for a response model, built once per model.

- :func:`tool_definitions`: the slimmed OpenAI tool definitions sent in ``tools`` mode.
- :func:`response_class`: the class handed to instructor as ``response_model``.

instructor wraps a plain model in a fresh ``ResponseSchema`` subclass on every call and
then regenerates its JSON schema (its schema cache is keyed by that fresh class): ~4 ms
per call. :func:`response_class` builds that wrapper once per (model, mode), so instructor
reuses it and its cached schema.

It also carries the validation context. instructor renders every message as a Jinja2
template when it is given ``context`` (1–5 ms per call, and an article containing ``{{`` or
``{%`` would be altered or rejected); :class:`LLM <summarizer.llm.LLM>` therefore passes no
``context`` and sets :data:`CALL_CONTEXT` instead, which the response class reads when it
validates an answer.
"""

from __future__ import annotations

import copy
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Literal

import instructor
from pydantic import BaseModel
from typing_extensions import Self

__all__ = ["CALL_CONTEXT", "response_class", "tool_definitions"]

CALL_CONTEXT: ContextVar[dict[str, Any] | None] = ContextVar("summarizer_call_context", default=None)


def _slim(node: Any) -> Any:
    """Fewer schema tokens, same constraints: drop ``title`` annotations and ``default``
    values, and write ``anyOf: [{type: X}, {type: null}]`` as ``type: [X, "null"]``."""
    if isinstance(node, list):
        return [_slim(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _slim(v) for k, v in node.items() if not (k == "title" and isinstance(v, str)) and k != "default"
    }
    options = out.get("anyOf")
    if (
        isinstance(options, list)
        and len(options) == 2
        and {"type": "null"} in options
        and all(isinstance(o, dict) and set(o) == {"type"} for o in options)
    ):
        other = next(o["type"] for o in options if o != {"type": "null"})
        del out["anyOf"]
        out["type"] = [other, "null"]
    return out


def tool_definitions(models: list[type[BaseModel]]) -> list[dict[str, Any]]:
    """OpenAI tool definitions for ``models``, named as instructor names them."""
    return copy.deepcopy(_tool_definitions(tuple(models)))


@lru_cache(maxsize=32)
def _tool_definitions(models: tuple[type[BaseModel], ...]) -> list[dict[str, Any]]:
    """Cached; callers must not mutate the result (:func:`tool_definitions` copies it)."""
    tools = []
    for model in models:
        schema = dict(instructor.openai_schema(model).openai_schema)  # type: ignore[attr-defined]
        schema["description"] = (model.__doc__ or schema["description"]).strip().splitlines()[0]
        schema["parameters"] = _slim(schema["parameters"])
        tools.append({"type": "function", "function": schema})
    return tools


class _CallContextMixin(BaseModel):
    """Validates JSON answers with the context of the current model call (:data:`CALL_CONTEXT`)."""

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        return super().model_validate_json(
            json_data,
            strict=strict,
            extra=extra,
            context=CALL_CONTEXT.get() if context is None else context,
            by_alias=by_alias,
            by_name=by_name,
        )


@lru_cache(maxsize=64)
def response_class(model: type[BaseModel], mode: str) -> type[BaseModel]:
    """``model`` as instructor would wrap it (same name, fields, validators and schema), built
    once; it validates with :data:`CALL_CONTEXT`."""
    wrapped: type[BaseModel] = instructor.openai_schema(model)
    namespace: dict[str, Any] = {
        "__doc__": model.__doc__,
        "__module__": model.__module__,
        "__qualname__": model.__qualname__,
    }
    return type(model.__name__, (_CallContextMixin, wrapped), namespace)
