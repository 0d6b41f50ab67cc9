"""httpx transports under the openai client: response cache, transport retries, usage, proxies.

Transport faults (429 honouring ``Retry-After``, 5xx, timeouts, dropped
connections) are retried here with a tenacity policy (exponential back-off with
jitter), below instructor, so a fault in the middle of a re-ask chain does not
restart the chain. Every HTTP attempt and every response's token usage is counted
in the :class:`CallStats` of the current context (see :func:`track`).

The network below them is :func:`network_transport`: a client with a custom transport
gets no proxies from httpx, so it routes each request as a plain httpx client does
(``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` per URL scheme, ``NO_PROXY`` exceptions).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from summarizer.errors import CacheMissError
from summarizer.llm.cache import ResponseCache, request_key
from summarizer.llm.http import httpx

__all__ = [
    "AsyncModelTransport",
    "CallStats",
    "ModelTransport",
    "RetryPolicy",
    "async_network_transport",
    "current_stats",
    "network_transport",
    "track",
]

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass
class CallStats:
    """What the model calls of one unit of work cost."""

    requests: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    retries: int = 0
    models: set[str] = field(default_factory=set)
    batch_prompt_tokens: int = 0  # the part of the usage answered by the Batch API (discounted)
    batch_completion_tokens: int = 0

    def add_usage(self, body: dict[str, Any]) -> None:
        usage = body.get("usage") or {}
        self.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        self.completion_tokens += int(usage.get("completion_tokens") or 0)
        self.total_tokens += int(usage.get("total_tokens") or 0)
        if body.get("model"):
            self.models.add(str(body["model"]))

    def usage(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }

    def batch_usage(self) -> dict[str, int]:
        return {"prompt_tokens": self.batch_prompt_tokens, "completion_tokens": self.batch_completion_tokens}


_STATS: ContextVar[CallStats | None] = ContextVar("summarizer_call_stats", default=None)


def current_stats() -> CallStats | None:
    return _STATS.get()


@contextmanager
def track() -> Iterator[CallStats]:
    """Count requests and usage of the model calls made inside the block."""
    stats = CallStats()
    token = _STATS.set(stats)
    try:
        yield stats
    finally:
        _STATS.reset(token)


class _Network(httpx.BaseTransport):
    """Sends through a plain ``httpx.Client``: it picks the direct or proxy connection per URL."""

    def __init__(self, trust_env: bool) -> None:
        self.client = httpx.Client(trust_env=trust_env)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.client.send(request)

    def close(self) -> None:
        self.client.close()


class _AsyncNetwork(httpx.AsyncBaseTransport):
    """Sends through a plain ``httpx.AsyncClient``: it picks the direct or proxy connection per URL."""

    def __init__(self, trust_env: bool) -> None:
        self.client = httpx.AsyncClient(trust_env=trust_env)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.client.send(request)

    async def aclose(self) -> None:
        await self.client.aclose()


def network_transport(*, trust_env: bool = True) -> httpx.BaseTransport:
    """The network as httpx reaches it without a custom transport: with ``trust_env``, the
    proxies of the environment (``HTTP(S)_PROXY``, ``ALL_PROXY``, ``NO_PROXY``, chosen per
    request URL) and ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``; without it, always direct."""
    return _Network(trust_env)


def async_network_transport(*, trust_env: bool = True) -> httpx.AsyncBaseTransport:
    """The async :func:`network_transport`."""
    return _AsyncNetwork(trust_env)


class _RetryableStatus(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, (_RetryableStatus, httpx.TimeoutException, httpx.TransportError))


@dataclass(frozen=True)
class RetryPolicy:
    """Transport retry policy: attempts and back-off bounds, in seconds."""

    max_retries: int = 4
    initial_wait: float = 0.5
    max_wait: float = 30.0

    def wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _RetryableStatus):
            retry_after = _retry_after(exc.response)
            if retry_after is not None:
                return min(retry_after, self.max_wait)
        return float(wait_random_exponential(multiplier=self.initial_wait, max=self.max_wait)(state))

    def kwargs(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.max_retries + 1),
            "wait": self.wait,
            "retry": retry_if_exception(_retryable),
            "reraise": True,
            "before_sleep": _count_retry,
        }


def _count_retry(state: RetryCallState) -> None:
    stats = _STATS.get()
    if stats is not None:
        stats.retries += 1


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000
        except ValueError:
            return None
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to exponential back-off


class _Core:
    """Cache look-up and bookkeeping shared by the sync and async transports."""

    def __init__(self, cache: ResponseCache | None, cache_mode: str, policy: RetryPolicy) -> None:
        self.cache = cache if cache_mode != "off" else None
        self.cache_mode = cache_mode
        self.policy = policy

    def lookup(
        self, request: httpx.Request
    ) -> tuple[str | None, dict[str, Any] | None, httpx.Response | None]:
        """``(key, body, cached response)`` for a chat request; ``(None, None, None)`` otherwise."""
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return None, None, None
        body = json.loads(request.content or b"{}")
        key = request_key(body)
        stats = _STATS.get()
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                if stats is not None:
                    stats.cache_hits += 1
                    stats.add_usage(hit)
                return key, body, httpx.Response(200, json=hit, request=request)
            if self.cache_mode == "replay":
                raise CacheMissError(
                    f"response not recorded for model {body.get('model')!r} (key {key[:12]}); "
                    "re-record with --cache read-write"
                )
        return key, body, None

    def before_send(self) -> None:
        stats = _STATS.get()
        if stats is not None:
            stats.requests += 1

    def after(self, key: str | None, body: dict[str, Any] | None, response: httpx.Response) -> httpx.Response:
        if response.status_code in RETRY_STATUSES:
            raise _RetryableStatus(response)
        if key is None or response.status_code != 200:
            return response
        data = json.loads(response.content)
        stats = _STATS.get()
        if stats is not None:
            stats.add_usage(data)
        choice = (data.get("choices") or [{}])[0]
        # A "length" stop is a cut answer, except where one token was all the request asked for.
        whole = choice.get("finish_reason") != "length" or (body or {}).get("max_tokens") == 1
        if self.cache is not None and body is not None and whole:
            self.cache.put(key, str(body.get("model", "")), data)
        return response


def _rebuild(response: httpx.Response, content: bytes, request: httpx.Request) -> httpx.Response:
    """A fresh response around already-read (decoded) content."""
    drop = ("content-encoding", "content-length", "transfer-encoding")
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in drop]
    return httpx.Response(response.status_code, headers=headers, content=content, request=request)


class ModelTransport(httpx.BaseTransport):
    """Sync transport: cache, then retries around ``inner`` (default: :func:`network_transport`)."""

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        cache: ResponseCache | None = None,
        cache_mode: str = "read-write",
        policy: RetryPolicy | None = None,
        trust_env: bool = True,
    ) -> None:
        self.inner = inner or network_transport(trust_env=trust_env)
        self.core = _Core(cache, cache_mode, policy or RetryPolicy())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key, body, cached = self.core.lookup(request)
        if cached is not None:
            return cached

        def attempt() -> httpx.Response:
            self.core.before_send()
            response = self.inner.handle_request(request)
            content = response.read()
            response.close()
            return self.core.after(key, body, _rebuild(response, content, request))

        try:
            for retry in Retrying(**self.core.policy.kwargs()):
                with retry:
                    return attempt()
        except _RetryableStatus as exc:
            return exc.response
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self.inner.close()


class AsyncModelTransport(httpx.AsyncBaseTransport):
    """Async transport: cache, then retries around ``inner`` (default: :func:`async_network_transport`)."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        *,
        cache: ResponseCache | None = None,
        cache_mode: str = "read-write",
        policy: RetryPolicy | None = None,
        trust_env: bool = True,
    ) -> None:
        self.inner = inner or async_network_transport(trust_env=trust_env)
        self.core = _Core(cache, cache_mode, policy or RetryPolicy())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key, body, cached = self.core.lookup(request)
        if cached is not None:
            return cached

        async def attempt() -> httpx.Response:
            self.core.before_send()
            response = await self.inner.handle_async_request(request)
            content = await response.aread()
            await response.aclose()
            return self.core.after(key, body, _rebuild(response, content, request))

        try:
            async for retry in AsyncRetrying(**self.core.policy.kwargs()):
                with retry:
                    return await attempt()
        except _RetryableStatus as exc:
            return exc.response
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        await self.inner.aclose()
