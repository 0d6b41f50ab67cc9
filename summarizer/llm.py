"""The model client: instructor over the official openai client, and error mapping.

Transport retries and the response cache live in :mod:`summarizer.transport`
(below instructor); validation re-asks are instructor's ``max_retries``. Every
failure leaves this module as a :class:`~summarizer.errors.SummarizerError` whose
message is one line with no secrets in it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.response import handle_response_model
from pydantic import BaseModel, ValidationError

from ._http import httpx
from .cache import ResponseCache
from .errors import (
    ConfigurationError,
    ExtractionError,
    LLMError,
    ModelNotFoundError,
    SummarizerError,
    TransportError,
)
from .settings import Settings
from .transport import AsyncModelTransport, ModelTransport, RetryPolicy, current_stats
from .wire import CALL_CONTEXT, _tool_definitions, response_class, tool_definitions

__all__ = ["BATCH_DISCOUNT", "LLM", "MODES", "estimate_cost", "raw_output", "tool_definitions"]

T = TypeVar("T", bound=BaseModel)

MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}

# USD per million tokens (prompt, completion); local servers cost nothing.
# Answers from the OpenAI Batch API cost BATCH_DISCOUNT times these prices.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-nano": (0.10, 0.40),
}
BATCH_DISCOUNT = 0.5


def estimate_cost(
    settings: Settings,
    usage: dict[str, int],
    *,
    local: bool = False,
    batch_usage: dict[str, int] | None = None,
) -> float | None:
    """Estimated USD cost of ``usage``; ``None`` when the price is unknown.

    ``batch_usage``, the part of ``usage`` answered by the Batch API, costs ``BATCH_DISCOUNT`` as much.
    """
    if local:
        return 0.0
    price_in, price_out = settings.price_per_mtok_in, settings.price_per_mtok_out
    if price_in is None or price_out is None:
        known = PRICES.get(settings.model)
        if known is None:
            return None
        price_in, price_out = known
    batch = batch_usage or {}

    def tokens(name: str) -> float:
        return usage.get(name, 0) - (1 - BATCH_DISCOUNT) * batch.get(name, 0)

    return round((tokens("prompt_tokens") * price_in + tokens("completion_tokens") * price_out) / 1e6, 6)


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


@dataclass
class LLM:
    """Structured calls to one OpenAI-compatible endpoint.

    ``transport`` / ``async_transport`` replace the network (tests, proxies).
    """

    settings: Settings
    transport: httpx.BaseTransport | None = None
    async_transport: httpx.AsyncBaseTransport | None = None
    cache: ResponseCache | None = None

    def __post_init__(self) -> None:
        if self.settings.base_url is None and self.settings.api_key is None:
            raise ConfigurationError(
                "no API key: set OPENAI_API_KEY, or use --base-url for an OpenAI-compatible server, "
                "or --local for the embedded model"
            )
        self._sync: instructor.Instructor | None = None
        self._async: instructor.AsyncInstructor | None = None
        self._clients: list[Any] = []

    def _client_kwargs(self) -> dict[str, Any]:
        key = self.settings.api_key.get_secret_value() if self.settings.api_key else "no-key-needed"
        return {
            "api_key": key,
            "base_url": self.settings.base_url,
            "max_retries": 0,
            "timeout": self.settings.timeout,
        }

    def _policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_retries=self.settings.max_transport_retries, max_wait=self.settings.retry_max_wait
        )

    @property
    def client(self) -> instructor.Instructor:
        if self._sync is None:
            transport = ModelTransport(
                self.transport, cache=self.cache, cache_mode=self.settings.cache, policy=self._policy()
            )
            http = httpx.Client(transport=transport, timeout=self.settings.timeout)
            raw = openai.OpenAI(http_client=http, **self._client_kwargs())
            self._clients.append(raw)
            self._sync = instructor.from_openai(raw, mode=MODES[self.settings.mode])
        return self._sync

    @property
    def aclient(self) -> instructor.AsyncInstructor:
        if self._async is None:
            transport = AsyncModelTransport(
                self.async_transport, cache=self.cache, cache_mode=self.settings.cache, policy=self._policy()
            )
            http = httpx.AsyncClient(transport=transport, timeout=self.settings.timeout)
            raw = openai.AsyncOpenAI(http_client=http, **self._client_kwargs())
            self._clients.append(raw)
            self._async = instructor.from_openai(raw, mode=MODES[self.settings.mode])
        return self._async

    def _kwargs(
        self, response_model: type[T], messages: list[dict[str, str]], tools: list[type[BaseModel]] | None
    ) -> dict[str, Any]:
        # No ``context``: instructor would render every message as a Jinja2 template with it
        # (slow, and it alters article text with "{{" or "{%"). The response class validates
        # with CALL_CONTEXT instead (see summarizer.wire).
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "response_model": response_class(response_model, self.settings.mode),
            "messages": messages,
            "max_retries": self.settings.max_reasks,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
        }
        if self.settings.mode == "tools":
            # Send every pass's tool (slimmed) and force this pass's: the prompt prefix up to
            # the article is then identical across passes and a caching server reuses it.
            kwargs["extra_body"] = {"tools": _tool_definitions(tuple(tools or [response_model]))}
        return kwargs

    def request_body(
        self,
        response_model: type[BaseModel],
        messages: list[dict[str, str]],
        context: dict[str, Any],
        tools: list[type[BaseModel]] | None = None,
    ) -> dict[str, Any]:
        """The JSON body :meth:`extract` sends first for these arguments, without sending it.

        The steps instructor's patched ``create`` takes (the mode handler; no templating, as
        no ``context`` is passed), then openai's merge of ``extra_body``: a Batch API line built
        from it is answered exactly as the direct request would be, under the same cache key.
        ``context`` (the validation context) does not change the body.
        """
        kwargs = self._kwargs(response_model, messages, tools)
        model = kwargs.pop("response_model")
        del kwargs["max_retries"]
        extra = kwargs.pop("extra_body", {})
        mode = MODES[self.settings.mode]
        _, body = handle_response_model(model, mode=mode, **kwargs)
        return {**json.loads(json.dumps(body)), **extra}

    def api_client(self) -> openai.AsyncOpenAI:
        """A plain async client for the endpoint's other APIs (files, batches): same URL, key,
        time-out and transport retries as the model client, no response cache. Close it after use."""
        transport = AsyncModelTransport(self.async_transport, cache_mode="off", policy=self._policy())
        http = httpx.AsyncClient(transport=transport, timeout=self.settings.timeout)
        return openai.AsyncOpenAI(http_client=http, **self._client_kwargs())

    def extract(
        self,
        response_model: type[T],
        messages: list[dict[str, str]],
        context: dict[str, Any],
        tools: list[type[BaseModel]] | None = None,
    ) -> T:
        """One validated answer; ``tools`` lists every pass's model to share the prompt prefix.

        ``context`` is the validation context of the answer (article text, sentences)."""
        token = CALL_CONTEXT.set(context)
        try:
            result = self.client.chat.completions.create(**self._kwargs(response_model, messages, tools))
        except Exception as exc:
            raise self._error(exc) from None
        finally:
            CALL_CONTEXT.reset(token)
        return result  # type: ignore[no-any-return]

    async def aextract(
        self,
        response_model: type[T],
        messages: list[dict[str, str]],
        context: dict[str, Any],
        tools: list[type[BaseModel]] | None = None,
    ) -> T:
        token = CALL_CONTEXT.set(context)
        try:
            kwargs = self._kwargs(response_model, messages, tools)
            result = await self.aclient.chat.completions.create(**kwargs)
        except Exception as exc:
            raise self._error(exc) from None
        finally:
            CALL_CONTEXT.reset(token)
        return result  # type: ignore[no-any-return]

    def _error(self, exc: BaseException) -> SummarizerError:
        stats = current_stats()
        attempts = stats.requests if stats else 0
        usage = stats.usage() if stats else {}
        where = self.settings.base_url or "the OpenAI API"
        if isinstance(exc, IncompleteOutputException):
            return ExtractionError(
                f"the answer was cut off at max_tokens={self.settings.max_tokens}; raise --max-tokens",
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
                    f"the model refused: {_short(str(cause), 150)}",
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
                f"model {self.settings.model!r} not found at {where}", attempts=attempts, usage=usage
            )
        if isinstance(cause, openai.APITimeoutError):
            return TransportError(
                f"{where} timed out after {self.settings.timeout:g}s ({attempts} attempt(s))",
                attempts=attempts,
                usage=usage,
            )
        if isinstance(cause, openai.APIConnectionError):
            return TransportError(
                f"cannot reach {where} ({attempts} attempt(s))", attempts=attempts, usage=usage
            )
        if isinstance(cause, openai.APIStatusError):
            hint = ""
            if cause.status_code == 400 and self.settings.mode == "json_schema":
                hint = "; this server may not support json_schema: try --mode tools"
            return TransportError(
                f"{where} answered HTTP {cause.status_code} after {attempts} attempt(s): "
                f"{_short(cause.message.replace(self._client_kwargs()['api_key'], '***'))}{hint}",
                attempts=attempts,
                usage=usage,
            )
        return LLMError(
            f"model call failed: {type(cause).__name__}: {_short(str(cause))}", attempts=attempts, usage=usage
        )

    def close(self) -> None:
        for client in self._clients:
            if isinstance(client, openai.OpenAI):
                client.close()
        self._clients = [c for c in self._clients if not isinstance(c, openai.OpenAI)]

    async def aclose(self) -> None:
        for client in self._clients:
            if isinstance(client, openai.AsyncOpenAI):
                await client.close()
        self.close()


def _short(text: str, limit: int = 200) -> str:
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
        detail = f": {_short(first['msg'], 120)}" if first else ""
    elif last is not None:
        fields.append("<json>")
        detail = f": {_short(str(last), 120)}"
    return ExtractionError(
        f"answer failed validation after {exc.n_attempts} attempt(s) in {', '.join(fields[:5]) or '?'}{detail}",
        failed_fields=fields,
        last_output=raw_output(exc.last_completion),
        attempts=attempts,
        usage=usage,
    )
