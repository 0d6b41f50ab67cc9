"""The fake server's Files and Batches endpoints, driven by the official openai client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from summarizer.testing import FakeBatchOpenAI, error, tool_call

TERMINAL = ("completed", "failed", "expired", "cancelled")


@pytest.fixture
def server() -> Iterator[FakeBatchOpenAI]:
    with FakeBatchOpenAI() as fake:
        yield fake


@pytest.fixture
def client(server: FakeBatchOpenAI) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as c:
        yield c


def line(custom_id: str, **changes: Any) -> dict[str, Any]:
    body = {"model": "fake-model", "messages": [{"role": "user", "content": custom_id}]}
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body, **changes}


def submit(client: openai.OpenAI, lines: list[dict[str, Any]]) -> str:
    data = "".join(json.dumps(x) + "\n" for x in lines).encode()
    upload = client.files.create(file=("in.jsonl", data, "application/jsonl"), purpose="batch")
    batch = client.batches.create(
        input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    assert batch.status == "validating"
    return batch.id


def poll(client: openai.OpenAI, batch_id: str) -> tuple[list[str], Any]:
    seen = []
    while True:
        batch = client.batches.retrieve(batch_id)
        seen.append(batch.status)
        if batch.status in TERMINAL:
            return seen, batch


def jsonl(client: openai.OpenAI, file_id: str | None) -> list[dict[str, Any]]:
    assert file_id is not None
    return [json.loads(x) for x in client.files.content(file_id).text.splitlines()]


def test_fake_server_batch_lifecycle_answers_lines_from_the_reply_queue(
    server: FakeBatchOpenAI, client: openai.OpenAI
) -> None:
    server.polls_in_progress = 2
    server.enqueue(tool_call({"x": 1}), error(500, "boom"), tool_call({"x": 3}))
    batch_id = submit(client, [line("a"), line("b"), line("c")])
    seen, batch = poll(client, batch_id)

    assert seen == ["validating", "in_progress", "in_progress", "completed"]
    counts = batch.request_counts
    assert counts is not None and (counts.total, counts.completed, counts.failed) == (3, 2, 1)
    out, errors = jsonl(client, batch.output_file_id), jsonl(client, batch.error_file_id)
    assert [x["custom_id"] for x in out] == ["a", "c"]
    assert out[1]["response"]["status_code"] == 200
    arguments = out[1]["response"]["body"]["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
    assert json.loads(arguments) == {"x": 3}
    assert errors[0]["custom_id"] == "b" and errors[0]["response"]["status_code"] == 500
    assert errors[0]["response"]["body"]["error"]["message"] == "boom"
    assert server.pending == 0 and server.chat_requests == []  # lines never show up as chat calls
    assert [x["custom_id"] for x in server.uploaded(server.batches[batch_id]["input_file_id"])] == list("abc")


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (line("a"), "duplicate_custom_id"),
        (line("z", url="/v1/embeddings"), "invalid_url"),
        (line("z", body={"model": "other-model", "messages": []}), "model_not_found"),
    ],
    ids=["duplicate_id", "wrong_url", "unknown_model"],
)
def test_fake_server_invalid_line_fails_the_whole_batch(
    server: FakeBatchOpenAI, client: openai.OpenAI, bad: dict[str, Any], code: str
) -> None:
    seen, batch = poll(client, submit(client, [line("a"), bad]))
    assert seen == ["validating", "failed"]
    assert batch.errors is not None and batch.errors.data is not None
    assert [(e.code, e.line) for e in batch.errors.data] == [(code, 2)]
    assert batch.output_file_id is None and batch.error_file_id is None


def test_fake_server_injected_failure_and_expiry(server: FakeBatchOpenAI, client: openai.OpenAI) -> None:
    server.end_next_batch("failed")
    server.end_next_batch("expired", after=1)
    seen, failed = poll(client, submit(client, [line("a")]))
    assert seen == ["validating", "failed"] and failed.output_file_id is None

    server.enqueue(tool_call({"x": 1}))
    seen, expired = poll(client, submit(client, [line("a"), line("b")]))
    assert seen == ["validating", "in_progress", "expired"]
    assert [x["custom_id"] for x in jsonl(client, expired.output_file_id)] == ["a"]
    assert jsonl(client, expired.error_file_id)[0]["error"]["code"] == "batch_expired"

    server.enqueue(tool_call({"x": 2}))  # the fault was for one batch only
    seen, normal = poll(client, submit(client, [line("c")]))
    assert seen[-1] == "completed" and normal.error_file_id is None


def test_fake_server_cancel_and_unknown_ids(server: FakeBatchOpenAI, client: openai.OpenAI) -> None:
    batch_id = submit(client, [line("a")])
    assert client.batches.cancel(batch_id).status == "cancelling"
    seen, batch = poll(client, batch_id)
    assert seen == ["cancelling", "cancelled"] and batch.output_file_id is None
    with pytest.raises(openai.NotFoundError):
        client.batches.retrieve("batch-nope")
    with pytest.raises(openai.NotFoundError):
        client.files.content("file-nope")
    with pytest.raises(openai.BadRequestError):
        client.batches.create(
            input_file_id="file-nope", endpoint="/v1/chat/completions", completion_window="24h"
        )
