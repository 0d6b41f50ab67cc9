"""A fake OpenAI-compatible chat-completions HTTP server for tests.

The replies it plays are built in :mod:`summarizer.testing.replies`; the Files and Batches
endpoints are in :mod:`summarizer.testing.batch`.

Example::

    with FakeOpenAI() as server:
        server.enqueue(tool_call({"title": "x"}), error(429, headers={"Retry-After": "1"}))
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0)
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self, cast

from summarizer.testing.replies import Reply, error


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


def _requested_tool(request: Mapping[str, Any]) -> str:
    tools = request.get("tools")
    for candidate in (request.get("tool_choice"), tools[0] if isinstance(tools, list) and tools else None):
        function = candidate.get("function") if isinstance(candidate, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            return str(function["name"])
    return "tool"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, fake: FakeOpenAI) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that went away."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    @property
    def fake(self) -> FakeOpenAI:
        return cast(_Server, self.server).fake

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.fake._lock:
            self.fake._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def do_GET(self) -> None:
        self.do_POST()

    def do_POST(self) -> None:
        """Record the request, then answer it after `latency`."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        body = parsed if isinstance(parsed, dict) else None
        path = self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.fake._record(RecordedRequest(self.command, path, headers, body))
        self.fake._sleep(self.fake.latency)
        try:
            routed = self.fake._route(self.command, path, raw, headers)
            if routed is not None:
                self._send_bytes(*routed)
            else:
                self._answer(path, body)
        except OSError:
            self.close_connection = True
        except Exception as exc:
            self._fail(500, f"fake server: {exc!r}", kind="server_error")

    def _answer(self, path: str, body: dict[str, Any] | None) -> None:
        fake = self.fake
        if self.command == "GET" and path == "/v1/models":
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in fake.models]
            return self._send(200, {"object": "list", "data": data})
        if self.command != "POST" or path != "/v1/chat/completions":
            return self._fail(404, f"Unknown path {self.command} {path}")
        if body is None:
            return self._fail(400, "Request body must be a JSON object")
        if fake.models and body.get("model") not in fake.models:
            return self._fail(404, f"The model `{body.get('model')}` does not exist", code="model_not_found")
        if body.get("stream"):
            return self._fail(400, "fake server: streaming is not supported")
        reply = fake._next_reply(body)
        if reply is None:
            return self._fail(500, "fake server: no scripted reply", kind="server_error")
        while reply.then is not None:
            fake._sleep(reply.delay)
            reply = reply.then
        if reply.drop:
            self.close_connection = True
        elif reply.error is not None:
            self._send(reply.status, {"error": dict(reply.error)}, reply.headers)
        else:
            self._send(reply.status, fake._completion(reply, body), reply.headers)
        return None

    def _fail(
        self, status: int, message: str, *, code: str | None = None, kind: str = "invalid_request_error"
    ) -> None:
        self._send(status, {"error": {"message": message, "type": kind, "param": None, "code": code}})

    def _send(
        self, status: int, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        self._send_bytes(status, json.dumps(payload).encode(), "application/json", headers)

    def _send_bytes(
        self, status: int, data: bytes, content_type: str, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", f"req_fake_{self.fake._next_id()}")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


class FakeOpenAI:
    """A real loopback HTTP server speaking a subset of the OpenAI chat-completions API."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        models: Sequence[str] = ("fake-model",),
        default: Callable[[dict[str, Any]], Reply] | None = None,
    ) -> None:
        """Configure the server; `models=()` accepts any model name."""
        self.latency = latency
        self.models = tuple(models)
        self.default = default
        self._lock = threading.Lock()
        self._queue: deque[Reply] = deque()
        self._requests: list[RecordedRequest] = []
        self._connections: set[socket.socket] = set()
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, e.g. "http://127.0.0.1:PORT/v1"."""
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The recorded POST /v1/chat/completions requests."""
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/chat/completions"]

    @property
    def pending(self) -> int:
        """How many scripted replies are still queued."""
        with self._lock:
            return len(self._queue)

    def enqueue(self, *replies: Reply) -> None:
        """Append scripted replies, consumed FIFO one per chat completion."""
        with self._lock:
            self._queue.extend(replies)

    def start(self) -> Self:
        """Bind a free port and serve in a background thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="FakeOpenAI", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake sleeping handlers and close open connections."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        server.shutdown()
        thread.join()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _route(
        self, method: str, path: str, raw: bytes, headers: Mapping[str, str]
    ) -> tuple[int, bytes, str] | None:
        """``(status, body, content type)`` for a path a subclass serves; ``None``: chat and models."""
        return None

    def _next_reply(self, request: dict[str, Any]) -> Reply | None:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.default is None:
            return None
        try:
            return self.default(request)
        except Exception as exc:
            return error(500, f"fake server: default raised {exc!r}")

    def _completion(self, reply: Reply, request: Mapping[str, Any]) -> dict[str, Any]:
        n = self._next_id()
        message: dict[str, Any] = {"role": "assistant", "content": reply.content, "refusal": reply.refusal}
        if reply.arguments is not None:
            function = {"name": reply.tool_name or _requested_tool(request), "arguments": reply.arguments}
            message["tool_calls"] = [{"id": f"call_fake_{n}", "type": "function", "function": function}]
        choice = {
            "index": 0,
            "message": message,
            "finish_reason": reply.finish_reason,
            "logprobs": reply.logprobs,
        }
        p, c = reply.prompt_tokens, reply.completion_tokens
        usage = {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
        head = {"id": f"chatcmpl-fake-{n}", "object": "chat.completion", "created": int(time.time())}
        return {**head, "model": request.get("model", ""), "choices": [choice], "usage": usage}
