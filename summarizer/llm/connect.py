"""One open connection to the model: settings resolved, local server started, cache and client wired.

:func:`connect` is what :class:`summarizer.Summarizer` calls; close the connection to stop
the local server and release the cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.llm.cache import ResponseCache
from summarizer.llm.client import LLM
from summarizer.llm.http import httpx
from summarizer.llm.local import LocalServer, replay_overrides
from summarizer.settings import Settings

__all__ = ["Connection", "connect"]


@dataclass
class Connection:
    """``settings`` are the effective ones (a started local server's URL filled in)."""

    settings: Settings
    llm: LLM
    local: LocalServer | None = None

    def close(self) -> None:
        self.llm.close()
        if self.llm.cache is not None:
            self.llm.cache.close()
        if self.local is not None:
            self.local.stop()
            self.local = None

    async def aclose(self) -> None:
        await self.llm.aclose()
        self.close()


def connect(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | None = None,
) -> Connection:
    """Start what ``settings`` ask for: the local server (unless answers are replayed), the cache, the client."""
    local = None
    if settings.local_model is not None and settings.base_url is None:
        if settings.cache == "replay":  # answers come from the cache: no model needed
            settings = settings.with_overrides(**replay_overrides(settings.local_model))
        else:
            local = LocalServer.from_settings(settings)
            settings = settings.with_overrides(**local.start())
    cache = None
    if settings.cache != "off":
        cache = ResponseCache(settings.resolved_cache_path(), readonly=settings.cache == "replay")
    try:
        llm = LLM(
            settings,
            transport=transport,
            async_transport=async_transport,
            cache=cache,
            trust_env=local is None,  # our own loopback server: never through a proxy
            server_exited=local.exited if local is not None else None,
        )
    except BaseException:
        if cache is not None:
            cache.close()
        if local is not None:
            local.stop()
        raise
    return Connection(settings, llm, local)
