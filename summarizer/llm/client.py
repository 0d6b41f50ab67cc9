"""The model client: instructor over the official openai client.

Transport retries and the response cache live in :mod:`summarizer.llm.transport`
(below instructor); validation re-asks are instructor's ``max_retries``. Every
failure leaves this module through :func:`summarizer.llm.failures.to_error`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import instructor
import openai
from instructor.v2.core.response import handle_response_model
from pydantic import BaseModel

from summarizer.errors import ConfigurationError, SummarizerError, TransportError
from summarizer.llm.cache import ResponseCache
from summarizer.llm.failures import to_error
from summarizer.llm.http import httpx
from summarizer.llm.transport import AsyncModelTransport, ModelTransport, RetryPolicy
from summarizer.llm.wire import CALL_CONTEXT, response_class, shared_tool_definitions
from summarizer.passes.check import yes_probability
from summarizer.settings import Settings

__all__ = ["LLM", "MODES"]

T = TypeVar("T", bound=BaseModel)

MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


@dataclass
class LLM:
    """Structured calls to one OpenAI-compatible endpoint.

    ``transport`` / ``async_transport`` replace the network (tests); without them requests
    take the proxies of the environment unless ``trust_env`` is false (our own local server).
    ``server_exited(wait)`` (our own local server) returns the error to report instead of a
    transport failure when the server has died.
    """

    settings: Settings
    transport: httpx.BaseTransport | None = None
    async_transport: httpx.AsyncBaseTransport | None = None
    cache: ResponseCache | None = None
    trust_env: bool = True
    server_exited: Callable[[float], SummarizerError | None] | None = None

    def __post_init__(self) -> None:
        if self.settings.base_url is None and self.settings.api_key is None:
            raise ConfigurationError(
                "no API key: set OPENAI_API_KEY, or use --base-url for an OpenAI-compatible server, "
                "or --local for the embedded model"
            )
        self._sync: instructor.Instructor | None = None
        self._async: instructor.AsyncInstructor | None = None
        self._clients: list[Any] = []
        self._raw_sync: openai.OpenAI | None = None
        self._raw_async: openai.AsyncOpenAI | None = None

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
                self.transport,
                cache=self.cache,
                cache_mode=self.settings.cache,
                policy=self._policy(),
                trust_env=self.trust_env,
            )
            http = httpx.Client(transport=transport, timeout=self.settings.timeout)
            raw = openai.OpenAI(http_client=http, **self._client_kwargs())
            self._clients.append(raw)
            self._raw_sync = raw
            self._sync = instructor.from_openai(raw, mode=MODES[self.settings.mode])
        return self._sync

    @property
    def aclient(self) -> instructor.AsyncInstructor:
        if self._async is None:
            transport = AsyncModelTransport(
                self.async_transport,
                cache=self.cache,
                cache_mode=self.settings.cache,
                policy=self._policy(),
                trust_env=self.trust_env,
            )
            http = httpx.AsyncClient(transport=transport, timeout=self.settings.timeout)
            raw = openai.AsyncOpenAI(http_client=http, **self._client_kwargs())
            self._clients.append(raw)
            self._raw_async = raw
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
            kwargs["extra_body"] = {"tools": shared_tool_definitions(tuple(tools or [response_model]))}
        return kwargs

    def _check_kwargs(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        return {
            "model": self.settings.model,
            "messages": messages,
            "max_tokens": 1,
            "temperature": self.settings.temperature,
            "logprobs": True,
            "top_logprobs": 10,
        }

    def check(self, messages: list[dict[str, str]]) -> float | None:
        """P(yes) of a yes/no question (:mod:`summarizer.passes.check`): one token, through the
        same transport, retries and cache as :meth:`extract`."""
        self.client  # noqa: B018 - builds the raw client
        assert self._raw_sync is not None
        try:
            completion = self._raw_sync.chat.completions.create(**self._check_kwargs(messages))
        except Exception as exc:
            raise self._error(exc) from None
        return yes_probability(completion.model_dump())

    async def acheck(self, messages: list[dict[str, str]]) -> float | None:
        """Async :meth:`check`."""
        self.aclient  # noqa: B018 - builds the raw client
        assert self._raw_async is not None
        try:
            completion = await self._raw_async.chat.completions.create(**self._check_kwargs(messages))
        except Exception as exc:
            raise self._error(exc) from None
        return yes_probability(completion.model_dump())

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
        transport = AsyncModelTransport(
            self.async_transport, cache_mode="off", policy=self._policy(), trust_env=self.trust_env
        )
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
        error = to_error(exc, self.settings, secret=self._client_kwargs()["api_key"])
        if self.server_exited is not None and isinstance(error, TransportError):
            # A server that crashed drops the connection a moment before it is reaped.
            return self.server_exited(2.0) or error
        return error

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
