"""Tests for the fake OpenAI chat-completions server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import instructor
import openai
import pytest
from instructor.core.exceptions import IncompleteOutputException
from pydantic import BaseModel

from summarizer.testing import (
    FakeOpenAI,
    Reply,
    content,
    drop,
    empty,
    error,
    hang,
    json_content,
    refusal,
    tool_call,
    truncated,
)

API_KEY = "sk-test"


class Summary(BaseModel):
    title: str
    points: list[str]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def client(server: FakeOpenAI) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=server.base_url, api_key=API_KEY, max_retries=0, timeout=5) as c:
        yield c


def _chat(client: openai.OpenAI, model: str = "fake-model") -> Any:
    return client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])


def test_tool_call_parsed_by_instructor_tools_mode(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(
        tool_call({"title": "Rain", "points": ["wet", "cold"]}, prompt_tokens=7, completion_tokens=3)
    )
    inst = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    summary, raw = inst.chat.completions.create_with_completion(
        model="fake-model",
        response_model=Summary,
        messages=[{"role": "user", "content": "summarise"}],
        max_retries=0,
    )
    assert summary.model_dump() == {"title": "Rain", "points": ["wet", "cold"]}
    assert raw.usage is not None and raw.usage.total_tokens == 10
    assert raw.choices[0].message.tool_calls[0].function.name == "Summary"
    body = server.chat_requests[0].body
    assert body is not None and body["tool_choice"]["function"]["name"] == "Summary"


@pytest.mark.parametrize("mode", [instructor.Mode.JSON, instructor.Mode.MD_JSON])
def test_json_content_parsed_by_instructor_json_modes(
    server: FakeOpenAI, client: openai.OpenAI, mode: instructor.Mode
) -> None:
    server.enqueue(json_content({"title": "Sun", "points": ["warm"]}))
    inst = instructor.from_openai(client, mode=mode)
    summary = inst.chat.completions.create(
        model="fake-model",
        response_model=Summary,
        messages=[{"role": "user", "content": "summarise"}],
        max_retries=0,
    )
    assert summary.model_dump() == {"title": "Sun", "points": ["warm"]}


def test_plain_completion_shape(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(content("hello", finish_reason="length"), empty(), refusal("no way"))
    first, second, third = _chat(client), _chat(client), _chat(client)
    assert (first.object, first.model, first.choices[0].finish_reason) == (
        "chat.completion",
        "fake-model",
        "length",
    )
    assert first.choices[0].message.content == "hello"
    assert second.choices[0].message.content == "" and not second.choices[0].message.tool_calls
    assert third.choices[0].message.refusal == "no way" and third.choices[0].message.content is None


def test_truncated_tool_call_is_incomplete_output(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(truncated('{"title": "Cut'))
    inst = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    with pytest.raises(IncompleteOutputException):
        inst.chat.completions.create(
            model="fake-model",
            response_model=Summary,
            messages=[{"role": "user", "content": "x"}],
            max_retries=0,
        )


def test_rate_limit_error_carries_retry_after(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(error(429, "slow down", headers={"Retry-After": "1"}))
    with pytest.raises(openai.RateLimitError) as info:
        _chat(client)
    assert info.value.status_code == 429
    assert info.value.response.headers["retry-after"] == "1"
    assert info.value.body == {
        "message": "slow down",
        "type": "rate_limit_error",
        "param": None,
        "code": None,
    }


def test_server_error(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(error(503, "overloaded"))
    with pytest.raises(openai.InternalServerError) as info:
        _chat(client)
    assert info.value.status_code == 503


def test_hang_exceeds_client_timeout(server: FakeOpenAI) -> None:
    server.enqueue(hang(10, then=content("too late")))
    start = time.monotonic()
    with (
        openai.OpenAI(base_url=server.base_url, api_key=API_KEY, max_retries=0, timeout=0.5) as c,
        pytest.raises(openai.APITimeoutError),
    ):
        _chat(c)
    assert time.monotonic() - start < 3


def test_hang_then_answers(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(hang(0.05, then=content("late")), hang(0.05))
    assert _chat(client).choices[0].message.content == "late"
    with pytest.raises(openai.InternalServerError):
        _chat(client)


def test_drop_is_connection_error(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(drop(), content("after drop"))
    with pytest.raises(openai.APIConnectionError):
        _chat(client)
    assert _chat(client).choices[0].message.content == "after drop"


def test_unknown_model_is_not_found(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(content("unused"))
    with pytest.raises(openai.NotFoundError) as info:
        _chat(client, model="gpt-nope")
    assert info.value.code == "model_not_found"
    assert "`gpt-nope` does not exist" in info.value.message
    assert server.pending == 1


def test_models_endpoint_lists_models() -> None:
    with FakeOpenAI(models=("a", "b")) as fake, openai.OpenAI(base_url=fake.base_url, api_key=API_KEY) as c:
        assert [m.id for m in c.models.list()] == ["a", "b"]


def test_requests_are_recorded(server: FakeOpenAI, client: openai.OpenAI) -> None:
    server.enqueue(content("one"))
    _chat(client)
    client.models.list()
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/models"),
    ]
    [chat] = server.chat_requests
    assert chat.headers["authorization"] == f"Bearer {API_KEY}"
    assert chat.body is not None and chat.body["messages"] == [{"role": "user", "content": "hi"}]


def test_empty_queue_without_default_is_500(client: openai.OpenAI) -> None:
    with pytest.raises(openai.InternalServerError) as info:
        _chat(client)
    assert "no scripted reply" in info.value.message


def test_default_used_when_queue_empty() -> None:
    seen: list[str] = []

    def answer(request: dict[str, Any]) -> Reply:
        seen.append(request["messages"][-1]["content"])
        return content(f"echo {seen[-1]}")

    with FakeOpenAI(default=answer) as fake, openai.OpenAI(base_url=fake.base_url, api_key=API_KEY) as c:
        fake.enqueue(content("scripted"))
        assert _chat(c).choices[0].message.content == "scripted"
        assert _chat(c).choices[0].message.content == "echo hi"
    assert seen == ["hi"]


def test_stream_is_rejected(server: FakeOpenAI, client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "hi"}], stream=True
        )


@pytest.mark.parametrize("n", [32, 64])
def test_concurrent_async_requests_are_not_serialised(n: int) -> None:
    async def run(fake: FakeOpenAI) -> list[str | None]:
        async with openai.AsyncOpenAI(base_url=fake.base_url, api_key=API_KEY, max_retries=0) as c:
            results = await asyncio.gather(
                *(
                    c.chat.completions.create(
                        model="fake-model", messages=[{"role": "user", "content": str(i)}]
                    )
                    for i in range(n)
                )
            )
        return [r.choices[0].message.content for r in results]

    with FakeOpenAI(latency=0.2, default=lambda req: content(req["messages"][0]["content"])) as fake:
        start = time.monotonic()
        answers = asyncio.run(run(fake))
        elapsed = time.monotonic() - start
    assert sorted(answers, key=lambda a: int(a or 0)) == [str(i) for i in range(n)]
    assert elapsed < 3, f"{n} requests took {elapsed:.2f}s"
    assert len(fake.chat_requests) == n
