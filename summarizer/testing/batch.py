"""The fake OpenAI server with the Files and Batches endpoints (tests of ``--via openai-batch``).

A batch's lines are answered, in file order, by the same scripted replies as chat requests
(:meth:`~summarizer.testing.FakeOpenAI.enqueue`, then ``default``): a scripted error becomes
an error-file line. A batch goes ``validating`` → ``in_progress`` → ``completed`` one poll
(``GET /v1/batches/{id}``) at a time, each poll showing the state before its step, so
clients must poll. Example::

    with FakeBatchOpenAI(default=answer) as server:
        server.enqueue(tool_call({"summary": "x"}), error(500))  # the batch's first two lines
        server.end_next_batch("expired", after=1)  # or "failed"; the batch after it runs normally
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any, Literal

from summarizer.testing.server import FakeOpenAI

__all__ = ["FakeBatchOpenAI"]

Fault = Literal["failed", "expired"]
TERMINAL = ("completed", "failed", "expired", "cancelled")


def _error(message: str, code: str | None = None, kind: str = "invalid_request_error") -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _form(raw: bytes, content_type: str) -> dict[str, tuple[str | None, bytes]]:
    """The fields of a ``multipart/form-data`` body: name → (filename, data)."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(data, bytes):
            fields[name] = (part.get_filename(), data)
    return fields


class FakeBatchOpenAI(FakeOpenAI):
    """:class:`~summarizer.testing.FakeOpenAI` plus ``/v1/files`` and ``/v1/batches``."""

    def __init__(self, *, polls_in_progress: int = 1, **kwargs: Any) -> None:
        """``polls_in_progress``: polls a batch spends ``in_progress`` before it ends."""
        super().__init__(**kwargs)
        self.polls_in_progress = polls_in_progress
        self.files: dict[str, dict[str, Any]] = {}  # id → file object, plus its "data"
        self.batches: dict[str, dict[str, Any]] = {}
        self._faults: deque[tuple[Fault, int]] = deque()
        self._polls: dict[str, int] = {}
        self._batch_lock = threading.Lock()
        self._counter = itertools.count(1)

    def end_next_batch(self, status: Fault, *, after: int = 0) -> None:
        """The next batch created ends ``failed`` (no line run) or ``expired`` after ``after`` lines."""
        self._faults.append((status, after))

    def uploaded(self, file_id: str) -> list[dict[str, Any]]:
        """The JSON lines of an uploaded file."""
        return [json.loads(line) for line in self.files[file_id]["data"].splitlines() if line.strip()]

    # -- routing ----------------------------------------------------------------------
    def _route(
        self, method: str, path: str, raw: bytes, headers: Mapping[str, str]
    ) -> tuple[int, bytes, str] | None:
        routes: list[tuple[str, str, Any]] = [
            ("POST", r"/v1/files", lambda: self._upload(raw, headers.get("content-type", ""))),
            ("GET", r"/v1/files/([\w-]+)/content", self._content),
            ("GET", r"/v1/files/([\w-]+)", lambda i: self._json(*self._file(i))),
            ("POST", r"/v1/batches", lambda: self._json(*self._create(raw))),
            ("GET", r"/v1/batches/([\w-]+)", lambda i: self._json(*self._poll(i))),
            ("POST", r"/v1/batches/([\w-]+)/cancel", lambda i: self._json(*self._cancel(i))),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                with self._batch_lock:
                    return handler(*match.groups())  # type: ignore[no-any-return]
        return None

    @staticmethod
    def _json(status: int, payload: Mapping[str, Any]) -> tuple[int, bytes, str]:
        return status, json.dumps(payload).encode(), "application/json"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-fake{next(self._counter)}"

    # -- files ------------------------------------------------------------------------
    def _store(self, name: str, purpose: str, data: bytes) -> dict[str, Any]:
        file_id = self._new_id("file")
        entry: dict[str, Any] = {"id": file_id, "object": "file", "bytes": len(data), "filename": name}
        entry.update(created_at=int(time.time()), purpose=purpose, status="processed", data=data)
        self.files[file_id] = entry
        return {k: v for k, v in entry.items() if k != "data"}

    def _upload(self, raw: bytes, content_type: str) -> tuple[int, bytes, str]:
        if not content_type.startswith("multipart/form-data"):
            return self._json(400, _error("expected multipart/form-data"))
        form = _form(raw, content_type)
        purpose, upload = form.get("purpose"), form.get("file")
        if purpose is None or upload is None:
            return self._json(400, _error("'file' and 'purpose' are required", "missing_required_parameter"))
        return self._json(200, self._store(upload[0] or "upload", purpose[1].decode(), upload[1]))

    def _file(self, file_id: str) -> tuple[int, dict[str, Any]]:
        if file_id not in self.files:
            return 404, _error(f"No such File object: {file_id}", "not_found")
        return 200, {k: v for k, v in self.files[file_id].items() if k != "data"}

    def _content(self, file_id: str) -> tuple[int, bytes, str]:
        if file_id not in self.files:
            return self._json(404, _error(f"No such File object: {file_id}", "not_found"))
        return 200, bytes(self.files[file_id]["data"]), "application/octet-stream"

    # -- batches ----------------------------------------------------------------------
    def _create(self, raw: bytes) -> tuple[int, dict[str, Any]]:
        try:
            request = json.loads(raw)
        except ValueError:
            return 400, _error("Request body must be JSON")
        source = self.files.get(str(request.get("input_file_id"))) if isinstance(request, dict) else None
        if source is None or source["purpose"] != "batch":
            return 400, _error("input_file_id must name a file uploaded with purpose 'batch'")
        if request.get("endpoint") != "/v1/chat/completions" or request.get("completion_window") != "24h":
            return 400, _error("endpoint must be /v1/chat/completions and completion_window 24h")
        now = int(time.time())
        batch: dict[str, Any] = {
            "id": self._new_id("batch"),
            "object": "batch",
            "endpoint": request["endpoint"],
            "errors": None,
            "input_file_id": source["id"],
            "completion_window": "24h",
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "expires_at": now + 86400,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": request.get("metadata"),
        }
        batch["_fault"] = self._faults.popleft() if self._faults else None
        self.batches[batch["id"]] = batch
        return 200, self._public(batch)

    @staticmethod
    def _public(batch: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in batch.items() if not k.startswith("_")}

    def _poll(self, batch_id: str) -> tuple[int, dict[str, Any]]:
        """The batch as it stands; then it moves one step (so every status is seen once)."""
        batch = self.batches.get(batch_id)
        if batch is None:
            return 404, _error(f"No such Batch object: {batch_id}", "not_found")
        view = json.loads(json.dumps(self._public(batch)))
        if batch["status"] == "validating":
            self._validate(batch)
        elif batch["status"] == "in_progress":
            self._polls[batch_id] = self._polls.get(batch_id, 0) + 1
            if self._polls[batch_id] >= self.polls_in_progress:
                self._run(batch)
        elif batch["status"] == "cancelling":
            self._finish(batch, "cancelled", [], [])
        return 200, view

    def _cancel(self, batch_id: str) -> tuple[int, dict[str, Any]]:
        batch = self.batches.get(batch_id)
        if batch is None:
            return 404, _error(f"No such Batch object: {batch_id}", "not_found")
        if batch["status"] not in TERMINAL:
            batch["status"] = "cancelling"
        return 200, self._public(batch)

    def _validate(self, batch: dict[str, Any]) -> None:
        """Check every input line as the Batch API does; a bad line fails the whole batch."""
        problems: list[dict[str, Any]] = []
        seen: set[str] = set()
        lines = self.files[batch["input_file_id"]]["data"].splitlines()
        for n, raw in enumerate(lines, 1):
            problem = self._problem(raw, seen, batch["endpoint"])
            if problem is not None:
                problems.append({"code": problem[0], "message": problem[1], "param": None, "line": n})
        batch["request_counts"]["total"] = len(lines)
        if problems or (batch["_fault"] and batch["_fault"][0] == "failed"):
            batch["errors"] = {"object": "list", "data": problems}
            batch["status"], batch["failed_at"] = "failed", int(time.time())
        else:
            batch["status"], batch["in_progress_at"] = "in_progress", int(time.time())

    def _problem(self, raw: bytes, seen: set[str], endpoint: str) -> tuple[str, str] | None:
        try:
            line = json.loads(raw)
        except ValueError:
            return "invalid_json_line", "a line is not JSON"
        if not isinstance(line, dict):
            return "invalid_json_line", "a line is not a JSON object"
        custom_id, body = line.get("custom_id"), line.get("body")
        if not isinstance(custom_id, str) or custom_id in seen:
            return "duplicate_custom_id", "custom_id must be a unique string"
        seen.add(custom_id)
        if line.get("method") != "POST" or line.get("url") != endpoint:
            return "invalid_url", "method must be POST and url the batch's endpoint"
        if not isinstance(body, dict) or (self.models and body.get("model") not in self.models):
            return "model_not_found", "body must be an object naming a served model"
        return None

    def _run(self, batch: dict[str, Any]) -> None:
        """Answer the lines from the reply queue; an ``expired`` fault stops after its count."""
        fault = batch["_fault"]
        limit = fault[1] if fault and fault[0] == "expired" else None
        out: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for n, line in enumerate(self.uploaded(batch["input_file_id"])):
            head = {"id": f"batch_req_{self._new_id('line')}", "custom_id": line["custom_id"]}
            if limit is not None and n >= limit:
                expired = {"code": "batch_expired", "message": "The completion window expired."}
                errors.append({**head, "response": None, "error": expired})
                continue
            status, body = self._line(line["body"])
            response = {"status_code": status, "request_id": f"req_fake_{self._next_id()}", "body": body}
            (out if status == 200 else errors).append({**head, "response": response, "error": None})
        self._finish(batch, "expired" if limit is not None else "completed", out, errors)

    def _line(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """What ``POST /v1/chat/completions`` would answer ``body`` (no delays, no dropped sockets)."""
        reply = self._next_reply(body)
        if reply is None:
            return 500, _error("fake server: no scripted reply", kind="server_error")
        while reply.then is not None:
            reply = reply.then
        if reply.drop:
            return 500, _error("fake server: connection dropped", kind="server_error")
        if reply.error is not None:
            return reply.status, {"error": dict(reply.error)}
        return reply.status, self._completion(reply, body)

    def _finish(
        self, batch: dict[str, Any], status: str, out: list[dict[str, Any]], errors: list[dict[str, Any]]
    ) -> None:
        for key, lines in (("output_file_id", out), ("error_file_id", errors)):
            if lines:
                data = "".join(json.dumps(line) + "\n" for line in lines).encode()
                batch[key] = self._store(f"{batch['id']}_{key}.jsonl", "batch_output", data)["id"]
        batch["request_counts"].update(completed=len(out), failed=len(errors))
        batch["status"], batch[f"{status}_at"] = status, int(time.time())
