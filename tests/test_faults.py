"""Fault matrix: every transport and answer fault against the fake server, sync and async.

Each case scripts the faulty replies for the first call (the meetings pass); any
request after the script is answered correctly by the fake server's default. Each
asserts the outcome and the exact number of HTTP attempts, as the server saw them
and as the result (``provenance.attempts``) or the error (``.attempts``) reports them.

Defined behaviour (read from ``llm/transport.py``, ``llm/failures.py``, ``pipeline.py`` and
instructor's retry loop):

* 429 (with or without ``Retry-After``), 5xx, read timeouts and dropped connections are
  retried in the transport, below instructor: the article succeeds, one extra request each.
* Invalid JSON, schema violations and an empty message (no tool call) are re-asked by
  instructor (``max_reasks``); when re-asks run out: ``ExtractionError`` with
  ``on_invalid="error"``, a salvaged pass plus a warning with ``on_invalid="drop"``.
* ``finish_reason: length`` is never re-asked: ``ExtractionError`` ("cut off at
  max_tokens") or, with ``on_invalid="drop"``, the records of the cut answer that
  still validate.
* A refusal is not re-asked either (instructor raises ``AssertionError`` outside its
  re-ask set): a one-line ``LLMError`` naming the refusal, whatever ``on_invalid`` says.
* Transport faults that never stop: ``TransportError`` after ``max_transport_retries + 1``.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from replies import MEETINGS_00
from scripted import meetings, reference_answer

from summarizer import ExtractionError, LLMError, Settings, Summarizer, TransportError
from summarizer.schemas import ArticleSummary
from summarizer.testing import (
    FakeOpenAI,
    Reply,
    drop,
    empty,
    error,
    hang,
    refusal,
    tool_call,
    truncated,
)

TIMEOUT = 0.5  # client timeout for every case; the hang cases hang longer than this


def make_settings(server: FakeOpenAI, **overrides: Any) -> Settings:
    base = Settings(
        base_url=server.base_url,
        model="fake-model",
        cache="off",
        timeout=TIMEOUT,
        retry_max_wait=0.05,
        max_reasks=1,
    )
    return base.with_overrides(**overrides)


def run(settings: Settings, text: str, api: str) -> ArticleSummary:
    if api == "sync":
        with Summarizer(settings) as summarizer:
            return summarizer.summarize(text)

    async def go() -> ArticleSummary:
        async with Summarizer(settings) as summarizer:
            return await summarizer.asummarize(text)

    return asyncio.run(go())


@pytest.fixture
def server() -> Any:
    with FakeOpenAI(models=("fake-model",), default=reference_answer) as fake:
        yield fake


API = pytest.mark.parametrize("api", ["sync", "async"])


def _status_maybe() -> dict[str, Any]:
    bad = copy.deepcopy(MEETINGS_00)
    bad["meetings"][0]["status"] = "maybe"
    return meetings(bad)


# -- recovered: the article succeeds --------------------------------------------------------


@dataclass(frozen=True)
class Recovered:
    script: tuple[Reply, ...]
    attempts: int  # HTTP requests in all, both passes
    reask_feedback: str | None = None  # text the re-ask request must carry back to the model


RECOVERED = {
    "429_retry_after": Recovered((error(429, "slow down", headers={"Retry-After": "0.01"}),), 3),
    "429_retry_after_ms": Recovered((error(429, "slow down", headers={"retry-after-ms": "10"}),), 3),
    "429_no_retry_after": Recovered((error(429, "slow down"),), 3),
    "500": Recovered((error(500, "boom"),), 3),
    "502": Recovered((error(502, "bad gateway"),), 3),
    "503": Recovered((error(503, "unavailable"),), 3),
    "two_503s": Recovered((error(503), error(503)), 4),
    "hang_past_timeout": Recovered((hang(TIMEOUT * 3, tool_call(meetings())),), 3),
    "dropped_connection": Recovered((drop(),), 3),
    "invalid_json_arguments": Recovered((tool_call('{"summary": "Talks", "meetings": [{"sent'),), 3, "json"),
    "schema_violation_status_maybe": Recovered((tool_call(_status_maybe()),), 3, "maybe"),
    "empty_message": Recovered((empty(),), 3, None),
    # A transport fault inside a re-ask chain is retried below instructor: the chain goes on.
    "503_inside_reask_chain": Recovered((tool_call("{"), error(503)), 4, None),
}


@API
@pytest.mark.parametrize("case", RECOVERED.values(), ids=RECOVERED.keys())
def test_fake_server_fault_recovered(
    server: FakeOpenAI, reference_text: str, case: Recovered, api: str
) -> None:
    server.enqueue(*case.script)
    result = run(make_settings(server), reference_text, api)

    assert len(result.meetings) == 3 and len(result.agreements) == 2
    assert result.provenance is not None
    assert result.provenance.warnings == []
    assert len(server.chat_requests) == case.attempts
    assert result.provenance.attempts == case.attempts
    assert server.pending == 0
    if case.reask_feedback is not None:
        # The re-ask repeats the conversation and adds the validation error for the model.
        first, reask = server.chat_requests[0].body, server.chat_requests[1].body
        assert first is not None and reask is not None
        assert len(reask["messages"]) > len(first["messages"])
        assert case.reask_feedback in str(reask["messages"][len(first["messages"]) :]).lower()


@API
def test_fake_server_retry_after_is_honoured_and_capped(
    server: FakeOpenAI, reference_text: str, api: str
) -> None:
    server.enqueue(error(429, headers={"Retry-After": "0.4"}))
    started = time.perf_counter()
    run(make_settings(server, retry_max_wait=5), reference_text, api)
    assert time.perf_counter() - started >= 0.4

    server.enqueue(error(429, headers={"Retry-After": "30"}))
    started = time.perf_counter()
    run(make_settings(server, retry_max_wait=0.05), reference_text, api)
    assert time.perf_counter() - started < 5  # capped by retry_max_wait, not 30 s
    assert len(server.chat_requests) == 6


# -- terminal: a defined error, or a defined partial result -------------------------------


@dataclass(frozen=True)
class Terminal:
    script: tuple[Reply, ...]
    attempts: int  # HTTP requests in all
    error: type[Exception] | None  # None: the article succeeds with a warning
    message: str  # in the error, or in the warning
    settings: dict[str, Any] = field(default_factory=dict)
    check: Callable[[Any], None] | None = None


def _fields(expected: list[str]) -> Callable[[Any], None]:
    def check(err: Any) -> None:
        assert err.failed_fields == expected

    return check


def _meetings(n: int) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert len(result.meetings) == n and len(result.agreements) == 2

    return check


ERR = {"on_invalid": "error"}
DROP = {"on_invalid": "drop"}
BROKEN = '{"summary": "Japan and Russia met.", "meetings": [{"sentence": 5, "ti'

TERMINAL = {
    # finish_reason "length": no re-ask (one request), a clear per-article error ...
    "truncated_error": Terminal(
        (truncated(BROKEN),), 1, ExtractionError, "cut off at max_tokens=1500", ERR, _fields(["<truncated>"])
    ),
    # ... or, with on_invalid="drop", the records of the cut answer that validate (none here) ...
    "truncated_drop_broken": Terminal(
        (truncated(BROKEN),), 2, None, "cut off at max_tokens", DROP, _meetings(0)
    ),
    # ... which keeps everything when the cut answer happens to be complete JSON.
    "truncated_drop_complete": Terminal(
        (truncated(meetings()),), 2, None, "cut off at max_tokens", DROP, _meetings(3)
    ),
    # A refusal is not re-asked: a clear ExtractionError, or (drop) the pass is empty.
    "refusal_error": Terminal(
        (refusal("I can't help with that."),),
        1,
        ExtractionError,
        "the model refused",
        ERR,
        _fields(["<refusal>"]),
    ),
    "refusal_drop": Terminal(
        (refusal("I can't help with that."),), 2, None, "the model refused", DROP, _meetings(0)
    ),
    # An empty message is re-asked; when it stays empty: ExtractionError, or an empty pass.
    "empty_twice_error": Terminal(
        (empty(), empty()), 2, ExtractionError, "No tool calls", ERR, _fields(["<json>"])
    ),
    "empty_twice_drop": Terminal((empty(), empty()), 3, None, "No tool calls", DROP, _meetings(0)),
    "invalid_json_twice_error": Terminal(
        (tool_call("{"), tool_call("{")), 2, ExtractionError, "Invalid JSON", ERR, _fields(["<root>"])
    ),
    "schema_violation_twice_error": Terminal(
        (tool_call(_status_maybe()),) * 2,
        2,
        ExtractionError,
        "meetings.0.status",
        ERR,
        _fields(["meetings.0.status"]),
    ),
    # Salvage keeps the two meetings that validate on their own.
    "schema_violation_twice_drop": Terminal(
        (tool_call(_status_maybe()),) * 2, 3, None, "meetings.0.status", DROP, _meetings(2)
    ),
    # Transport faults that never stop: max_transport_retries + 1 attempts, then TransportError.
    "persistent_500_default_retries": Terminal(
        (error(500),) * 5, 5, TransportError, "HTTP 500 after 5 attempt(s)"
    ),
    "persistent_500_two_retries": Terminal(
        (error(500),) * 3, 3, TransportError, "HTTP 500 after 3 attempt(s)", {"max_transport_retries": 2}
    ),
    "persistent_503_no_retries": Terminal(
        (error(503),), 1, TransportError, "HTTP 503 after 1 attempt(s)", {"max_transport_retries": 0}
    ),
    "persistent_429": Terminal(
        (error(429, headers={"Retry-After": "0"}),) * 3,
        3,
        TransportError,
        "HTTP 429 after 3 attempt(s)",
        {"max_transport_retries": 2},
    ),
    "persistent_hang": Terminal(
        (hang(TIMEOUT * 4),) * 2,
        2,
        TransportError,
        f"timed out after {TIMEOUT:g}s (2 attempt(s))",
        {"max_transport_retries": 1},
    ),
    "persistent_drop": Terminal(
        (drop(),) * 3, 3, TransportError, "cannot reach", {"max_transport_retries": 2}
    ),
    # Not retryable: one attempt.
    "http_400": Terminal((error(400, "bad request"),), 1, TransportError, "HTTP 400 after 1 attempt(s)"),
}


@API
@pytest.mark.parametrize("case", TERMINAL.values(), ids=TERMINAL.keys())
def test_fake_server_fault_terminal(
    server: FakeOpenAI, reference_text: str, case: Terminal, api: str
) -> None:
    server.enqueue(*case.script)
    settings = make_settings(server, **case.settings)
    if case.error is not None:
        with pytest.raises(case.error) as info:
            run(settings, reference_text, api)
        err = info.value
        assert case.message in str(err)
        assert len(str(err).splitlines()) == 1  # one line for the user
        assert isinstance(err, LLMError) and err.attempts == case.attempts
        assert len(server.chat_requests) == case.attempts
        if case.check is not None:
            case.check(err)
    else:
        result = run(settings, reference_text, api)
        assert result.provenance is not None
        assert any(
            case.message in w and "kept the records that validated" in w for w in result.provenance.warnings
        )
        assert result.provenance.attempts == case.attempts == len(server.chat_requests)
        if case.check is not None:
            case.check(result)
    assert server.pending == 0


def test_fake_server_persistent_500_has_max_transport_retries_plus_one_attempts(
    server: FakeOpenAI, reference_text: str
) -> None:
    settings = make_settings(server)
    server.enqueue(*[error(500)] * (settings.max_transport_retries + 1))
    with pytest.raises(TransportError) as info:
        run(settings, reference_text, "sync")
    assert info.value.attempts == settings.max_transport_retries + 1 == len(server.chat_requests)
    assert info.value.usage == {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


def test_fake_server_error_attempts_count_the_whole_article(server: FakeOpenAI, reference_text: str) -> None:
    """A failure in the second pass reports the article's attempts (the first pass's included)."""
    server.enqueue(tool_call(meetings()), *[error(500)] * 3)
    with pytest.raises(TransportError) as info:
        run(make_settings(server, max_transport_retries=2), reference_text, "sync")
    assert info.value.attempts == 4 == len(server.chat_requests)
    assert info.value.usage["total_tokens"] == 150  # the first pass's answer was paid for


def test_fake_server_truncated_answer_is_not_cached(
    server: FakeOpenAI, reference_text: str, tmp_path: Any
) -> None:
    settings = make_settings(server, cache="read-write", cache_path=tmp_path / "c.sqlite", on_invalid="drop")
    server.enqueue(truncated(meetings()))
    run(settings, reference_text, "sync")
    again = run(settings, reference_text, "sync")  # the cut answer was not stored: asked again
    assert len(server.chat_requests) == 3
    assert again.provenance is not None and again.provenance.warnings == []
