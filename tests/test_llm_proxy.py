"""Environment proxies (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY) through a real loopback proxy.

A tiny forwarding HTTP proxy thread on 127.0.0.1 records what it is asked and forwards
plain-HTTP requests to the fake OpenAI server; ``CONNECT`` (an https:// URL) is recorded
and refused. Everything stays on loopback.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from pydantic import BaseModel

from summarizer import Settings, TransportError
from summarizer.llm.client import LLM
from summarizer.testing import FakeOpenAI, tool_call

_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


class Answer(BaseModel):
    title: str


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _Proxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_CONNECT(self) -> None:
        self.server.seen.append(f"CONNECT {self.path}")
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def _forward(self) -> None:
        self.server.seen.append(f"{self.command} {self.path}")
        target = urlsplit(self.path)  # a proxy is asked for an absolute URL
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {
            k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")
        }
        upstream = http.client.HTTPConnection(target.hostname or "", target.port or 80, timeout=10)
        path = target.path + (f"?{target.query}" if target.query else "")
        upstream.request(self.command, path, body=body or None, headers=headers)
        reply = upstream.getresponse()
        data = reply.read()
        self.send_response(reply.status)
        for name, value in reply.getheaders():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.seen: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Proxy]:
    for name in list(os.environ):
        if name.lower() in _PROXY_VARS:
            monkeypatch.delenv(name)
    server = _Proxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _settings(base_url: str) -> Settings:
    return Settings(
        base_url=base_url, model="fake-model", cache="off", timeout=5, max_transport_retries=0, max_reasks=0
    )


def _ask(llm: LLM) -> None:
    llm.extract(Answer, [{"role": "user", "content": "x"}], context={})


def test_http_proxy_is_used_against_fake_server(
    fake_openai: FakeOpenAI, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    fake_openai.enqueue(tool_call({"title": "x"}), tool_call({"title": "x"}))
    llm = LLM(_settings(fake_openai.base_url))
    try:
        _ask(llm)
        assert proxy.seen == [f"POST {fake_openai.base_url}/chat/completions"]

        async def ask() -> None:
            await llm.aextract(Answer, [{"role": "user", "content": "x"}], context={})
            await llm.aclose()

        asyncio.run(ask())
        assert len(proxy.seen) == 2  # the async client honours it too
        assert len(fake_openai.chat_requests) == 2
    finally:
        llm.close()


def test_all_proxy_is_used_against_fake_server(
    fake_openai: FakeOpenAI, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    fake_openai.enqueue(tool_call({"title": "x"}))
    llm = LLM(_settings(fake_openai.base_url))
    try:
        _ask(llm)
    finally:
        llm.close()
    assert proxy.seen == [f"POST {fake_openai.base_url}/chat/completions"]


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "*", "example.org, 127.0.0.1"])
def test_no_proxy_bypasses_the_proxy_against_fake_server(
    fake_openai: FakeOpenAI, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    fake_openai.enqueue(tool_call({"title": "x"}))
    llm = LLM(_settings(fake_openai.base_url))
    try:
        _ask(llm)
    finally:
        llm.close()
    assert proxy.seen == []
    assert len(fake_openai.chat_requests) == 1


def test_no_proxy_localhost_bypasses_the_proxy_against_fake_server(
    fake_openai: FakeOpenAI, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = urlsplit(fake_openai.base_url).port
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost")
    fake_openai.enqueue(tool_call({"title": "x"}), tool_call({"title": "x"}))
    llm = LLM(_settings(f"http://localhost:{port}/v1"))
    try:
        _ask(llm)
    finally:
        llm.close()
    assert proxy.seen == []
    # … but 127.0.0.1 is another host as far as NO_PROXY goes (as in httpx and curl)
    llm = LLM(_settings(fake_openai.base_url))
    try:
        _ask(llm)
    finally:
        llm.close()
    assert proxy.seen == [f"POST {fake_openai.base_url}/chat/completions"]


def test_proxy_is_chosen_per_url_scheme_against_fake_server(
    fake_openai: FakeOpenAI, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    fake_openai.enqueue(tool_call({"title": "x"}))
    llm = LLM(_settings(fake_openai.base_url))  # http:// URL: HTTPS_PROXY does not apply
    try:
        _ask(llm)
    finally:
        llm.close()
    assert proxy.seen == []
    port = urlsplit(fake_openai.base_url).port
    llm = LLM(_settings(f"https://127.0.0.1:{port}/v1"))  # https:// URL: tunnelled (here refused)
    try:
        with pytest.raises(TransportError):
            _ask(llm)
    finally:
        llm.close()
    assert proxy.seen == [f"CONNECT 127.0.0.1:{port}"]


def test_injected_transport_is_not_proxied_against_fake_server(
    fake_openai: FakeOpenAI, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transport given by the caller is the network (as with httpx): no proxy is put in front."""
    from summarizer.llm.http import httpx

    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    fake_openai.enqueue(tool_call({"title": "x"}))
    llm = LLM(_settings(fake_openai.base_url), transport=httpx.HTTPTransport())
    try:
        _ask(llm)
    finally:
        llm.close()
    assert proxy.seen == []


def test_batch_goes_through_the_proxy_against_fake_server(
    fake_openai: FakeOpenAI, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """``summarizer batch`` puts its 429 watch under the client: the network below it keeps the proxies."""
    from summarizer import Summarizer
    from summarizer.articles.documents import Document
    from summarizer.batch.run import run_batch

    monkeypatch.setenv("HTTP_PROXY", proxy.url)

    def answer(request: dict[str, Any]) -> Any:
        if request["tool_choice"]["function"]["name"] == "MeetingPass":
            return tool_call({"summary": "x", "meeting_sentences": [], "meetings": []})
        return tool_call({"agreement_sentences": [], "agreements": []})

    fake_openai.default = answer
    doc = Document(text="The ministers of Norway and Iceland met in Oslo on Monday.", id="a1")
    settings = _settings(fake_openai.base_url)
    report = asyncio.run(
        run_batch([doc], tmp_path / "out.jsonl", lambda: Summarizer(settings), concurrency=1, progress=False)
    )
    assert report.total_ok == 1 and report.total_failed == 0
    assert fake_openai.chat_requests, "the fake server got no request"
    assert proxy.seen and all(line.startswith("POST ") for line in proxy.seen)
