"""``batch --via openai-batch`` against the fake server's Files and Batches endpoints.

The fake answers a batch's lines from the same scripted replies as direct calls
(``examples/scripted_answers.answer``), so the Batch API run must write the same results
as the direct run, for half the cost, with no chat request unless a line is missing or invalid.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLES
from replies import MEETINGS_00
from scripted import call
from scripted_answers import answer

from summarizer import Settings, Summarizer
from summarizer.articles.documents import Document, load_document
from summarizer.articles.loaders import InputFailure
from summarizer.batch import openai as ob
from summarizer.batch.run import BatchReport, latest_results, run_batch
from summarizer.errors import ConfigurationError
from summarizer.llm.cache import request_key
from summarizer.llm.client import MODES
from summarizer.passes.plan import TOOLS
from summarizer.testing import FakeBatchOpenAI, FakeOpenAI, Reply, error

KEY = "sk-batch-canary-5e1f0a"
NAMES = (
    "00_japan_russia_two_plus_two_2013",  # scripted meetings and agreements
    "12_us_japan_austin_kishi_call",  # scripted meetings and agreements
    "02_quad_leaders_call_2022",  # empty answers
    "30_us_home_sales_negative_1987",  # empty answers: the model decides, so it is asked too
)
REQUESTS = 8  # two passes for each article


def script(request: dict[str, Any]) -> Reply:
    """The scripted answer for the request's article (re-asks too); an article marked FAIL500 fails."""
    if "FAIL500" in json.dumps(request["messages"]):
        return error(500, "boom")
    article = next(m for m in request["messages"] if m["role"] == "user")
    return answer({**request, "messages": [article]})


@pytest.fixture
def server() -> Iterator[FakeBatchOpenAI]:
    with FakeBatchOpenAI(default=script) as fake:
        yield fake


def make_settings(server: FakeOpenAI, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "api_key": KEY,
        "model": "fake-model",
        "cache": "off",
        "timeout": 5,
        "max_transport_retries": 1,
        "retry_max_wait": 0.01,
        "max_reasks": 1,
        "price_per_mtok_in": 1.0,
        "price_per_mtok_out": 2.0,
        **overrides,
    }
    return Settings(**values)


def docs() -> list[Document]:
    return [load_document(ARTICLES / f"{name}.txt") for name in NAMES]


def via_batch(
    server: FakeOpenAI, items: list[Any], out: Path, **kwargs: Any
) -> tuple[BatchReport, ob.BatchAPIReport, list[str]]:
    events: list[str] = []
    settings = make_settings(server, **kwargs.pop("settings", {}))
    report, api = asyncio.run(
        ob.run_openai_batch(
            items,
            out,
            lambda: Summarizer(settings),
            progress=False,
            poll_interval=0.01,
            notify=events.append,
            **kwargs,
        )
    )
    return report, api, events


def direct(server: FakeOpenAI, items: list[Any], out: Path) -> BatchReport:
    settings = make_settings(server)
    return asyncio.run(run_batch(items, out, lambda: Summarizer(settings), progress=False))


def records(out: Path) -> dict[str, dict[str, Any]]:
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len({x["id"] for x in lines}), "an article was written twice"
    return {x["id"]: x for x in lines}


def without_times(record: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(record)
    for key in ("started_at", "finished_at", "cost_usd"):
        out["result"]["provenance"].pop(key)
    return out


def batches_created(server: FakeBatchOpenAI) -> list[dict[str, Any]]:
    return list(server.batches.values())


def test_fake_server_batch_results_equal_the_direct_path_at_half_price(
    server: FakeBatchOpenAI, tmp_path: Path
) -> None:
    expected = direct(server, docs(), tmp_path / "direct.jsonl")
    sent_directly = [r.body for r in server.chat_requests]
    report, api, events = via_batch(server, docs(), tmp_path / "batch.jsonl")

    assert len(server.chat_requests) == REQUESTS  # all from the direct run: none from the batch run
    assert (report.ok, report.failed, report.tokens) == (4, 0, expected.tokens)
    assert expected.cost_usd is not None and report.cost_usd == pytest.approx(expected.cost_usd / 2)
    assert (api.requests, api.cached, api.answered, api.direct, api.unused) == (REQUESTS, 0, REQUESTS, 0, 0)
    [batch] = batches_created(server)
    assert api.batches == {batch["id"]: "completed"}
    statuses = [e.split()[2] for e in events if e.startswith(f"openai-batch: {batch['id']} ")]
    assert statuses == ["validating", "in_progress", "completed"]  # polled through every state

    by_direct, by_batch = records(tmp_path / "direct.jsonl"), records(tmp_path / "batch.jsonl")
    assert by_batch.keys() == by_direct.keys() == {d.id for d in docs()}
    for key, record in by_batch.items():
        assert without_times(record) == without_times(by_direct[key])
        cost = record["result"]["provenance"]["cost_usd"]
        assert cost == pytest.approx(by_direct[key]["result"]["provenance"]["cost_usd"] / 2)
    assert len(by_batch["00_japan_russia_two_plus_two_2013"]["result"]["meetings"]) == 3

    # The request file: one line per direct request, its body exactly what the direct path sent.
    lines = server.uploaded(batch["input_file_id"])
    assert server.files[batch["input_file_id"]]["purpose"] == "batch"
    assert all(x["method"] == "POST" and x["url"] == "/v1/chat/completions" for x in lines)
    assert all(x["custom_id"] == request_key(x["body"]) for x in lines)
    assert sorted(json.dumps(x["body"], sort_keys=True) for x in lines) == sorted(
        json.dumps(b, sort_keys=True) for b in sent_directly
    )
    assert {x["body"]["tool_choice"]["function"]["name"] for x in lines} == {"MeetingPass", "AgreementPass"}
    created = next(r.body for r in server.requests if r.path == "/v1/batches")
    assert created is not None and (created["endpoint"], created["completion_window"]) == (
        "/v1/chat/completions",
        "24h",
    )
    assert not (tmp_path / "batch.jsonl.openai-batch.json").exists()  # the note goes when the run ends


@pytest.mark.parametrize("mode", list(MODES))
def test_fake_server_request_body_is_what_the_direct_path_sends(mode: str) -> None:
    doc = docs()[0]
    with FakeOpenAI(default=lambda request: error(400, "recorded")) as server:
        settings = make_settings(server, mode=mode, max_reasks=0, max_transport_retries=0)
        with Summarizer(settings) as summarizer:
            for plan in summarizer.plan(doc):
                assert plan.messages is not None
                tools = TOOLS["passes"]
                body = summarizer.llm.request_body(plan.model, plan.messages, plan.context, tools)
                with pytest.raises(Exception, match="HTTP 400"):
                    summarizer.llm.extract(plan.model, plan.messages, plan.context, tools)
                assert body == server.chat_requests[-1].body


def test_fake_server_invalid_batch_answer_is_reasked_through_the_direct_path(
    server: FakeBatchOpenAI, tmp_path: Path
) -> None:
    bad = copy.deepcopy(MEETINGS_00)
    bad["meetings"][0]["sentence"] = 99  # evidence that does not exist
    server.enqueue(call(bad))  # the first line: the reference article's meetings
    report, api, _ = via_batch(server, docs(), tmp_path / "out.jsonl")

    assert report.ok == 4 and api.answered == REQUESTS
    [reask] = [r.body for r in server.chat_requests]
    assert reask is not None and "sentence 99 does not exist" in json.dumps(reask["messages"][-1])
    first = server.uploaded(batches_created(server)[0]["input_file_id"])[0]["body"]
    assert reask["messages"][: len(first["messages"])] == first["messages"]  # the batch answer, re-asked
    result = records(tmp_path / "out.jsonl")["00_japan_russia_two_plus_two_2013"]["result"]
    assert len(result["meetings"]) == 3 and result["provenance"]["attempts"] == 3
    assert result["provenance"]["warnings"] == []


def test_fake_server_error_line_is_asked_directly(server: FakeBatchOpenAI, tmp_path: Path) -> None:
    server.enqueue(error(500, "line failed"))
    report, api, events = via_batch(server, docs(), tmp_path / "out.jsonl")

    assert report.ok == 4 and (api.answered, api.direct) == (REQUESTS - 1, 1)
    first = server.uploaded(batches_created(server)[0]["input_file_id"])[0]["body"]
    assert [r.body for r in server.chat_requests] == [first]  # the same request, sent directly
    assert any("1 request(s) failed (HTTP 500)" in e for e in events)
    assert (
        len(records(tmp_path / "out.jsonl")["00_japan_russia_two_plus_two_2013"]["result"]["meetings"]) == 3
    )


@pytest.mark.parametrize(("fault", "after"), [("failed", 0), ("expired", 2)])
def test_fake_server_failed_batch_still_accounts_for_every_article(
    server: FakeBatchOpenAI, tmp_path: Path, fault: Any, after: int
) -> None:
    server.end_next_batch(fault, after=after)
    items: list[Any] = [*docs(), Document(text="The ministers met in Paris. FAIL500.", id="fails")]
    # Jinja markers in an article are text, not a template: this one is asked like any other
    items.append(Document(text="The ministers met in Rome {% if x %}.", id="template"))
    items.append(InputFailure(id="broken", reason="broken.txt: binary file", content_hash="abc"))
    report, api, _ = via_batch(server, items, tmp_path / "out.jsonl")

    asked = (
        REQUESTS + 4 - after
    )  # the requests the batch did not answer ("fails", "template": two passes each), once...
    assert api.answered == after and api.direct == asked
    # ...but "fails" stops at its failing first pass (after one transport retry): asked - 1 + 1
    assert len(server.chat_requests) == asked
    written = records(tmp_path / "out.jsonl")
    assert written.keys() == {*(d.id for d in docs()), "fails", "template", "broken"}
    assert sorted(k for k, r in written.items() if r["status"] == "error") == ["broken", "fails"]
    assert "HTTP 500" in written["fails"]["error"] and (report.ok, report.failed) == (5, 2)
    assert next(iter(api.batches.values())) == fault


def test_fake_server_rerun_sends_only_what_is_not_done(server: FakeBatchOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    via_batch(server, docs()[:2], out)
    report, api, _ = via_batch(server, docs(), out)

    first, second = batches_created(server)
    assert len(server.uploaded(first["input_file_id"])) == 4
    second_lines = server.uploaded(second["input_file_id"])
    assert len(second_lines) == 4  # two passes for each of the two articles not done
    assert sum("Quad" in json.dumps(x["body"]) for x in second_lines) == 2
    assert (report.skipped, report.ok, api.requests) == (2, 2, 4)

    uploads = len(server.files)
    report, api, _ = via_batch(server, docs(), out)  # everything done: no upload, no batch
    assert (report.skipped, report.ok, api.requests, api.batches) == (4, 0, 0, {})
    assert len(server.files) == uploads and len(batches_created(server)) == 2
    assert len(latest_results(out)) == 4 and server.chat_requests == []


def test_fake_server_interrupted_run_waits_for_its_batch(server: FakeBatchOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    settings = make_settings(server)

    def interrupt(event: str) -> None:
        if "in_progress" in event:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(
            ob.run_openai_batch(
                docs(),
                out,
                lambda: Summarizer(settings),
                progress=False,
                poll_interval=0.01,
                notify=interrupt,
            )
        )
    note = out.with_name(out.name + ".openai-batch.json")
    assert note.exists() and not out.exists()
    report, api, events = via_batch(server, docs(), out)

    [batch] = batches_created(server)  # no second batch: the rerun waited for the first
    assert any(e.startswith(f"openai-batch: resuming {batch['id']}") for e in events)
    assert (report.ok, api.answered) == (4, REQUESTS) and server.chat_requests == []
    assert not note.exists()


def test_fake_server_cached_requests_are_not_sent_again(server: FakeBatchOpenAI, tmp_path: Path) -> None:
    cache = {"cache": "read-write", "cache_path": tmp_path / "cache.sqlite"}
    via_batch(server, docs(), tmp_path / "a.jsonl", settings=cache)
    report, api, _ = via_batch(server, docs(), tmp_path / "b.jsonl", settings=cache)

    assert (api.requests, api.cached, api.batches) == (REQUESTS, REQUESTS, {})
    assert len(batches_created(server)) == 1 and server.chat_requests == [] and report.ok == 4
    a, b = records(tmp_path / "a.jsonl"), records(tmp_path / "b.jsonl")
    for key in a:
        assert a[key]["result"]["meetings"] == b[key]["result"]["meetings"]


def test_fake_server_requests_over_the_limits_go_in_several_batches(
    server: FakeBatchOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ob, "MAX_LINES", 5)
    report, api, _ = via_batch(server, docs(), tmp_path / "out.jsonl")
    sizes = [len(server.uploaded(b["input_file_id"])) for b in batches_created(server)]
    assert sizes == [5, 3] and len(api.batches) == 2
    assert report.ok == 4 and api.answered == REQUESTS and server.chat_requests == []


def test_fake_server_without_batch_api_is_a_configuration_error(tmp_path: Path) -> None:
    with FakeOpenAI(default=answer) as plain, pytest.raises(ConfigurationError, match="has no Batch API"):
        via_batch(plain, docs(), tmp_path / "out.jsonl")
    assert plain.chat_requests == [] and not (tmp_path / "out.jsonl").exists()


def test_batch_api_errors_are_one_line_without_the_key() -> None:
    import openai

    from summarizer.llm.client import LLM
    from summarizer.llm.http import httpx

    run = ob._BatchRun(LLM(Settings(api_key=KEY, base_url="http://fake/v1")), 1.0, lambda event: None)
    response = httpx.Response(400, request=httpx.Request("POST", "http://fake/v1/batches"))
    echo = openai.BadRequestError(f"Incorrect API key provided: {KEY}", response=response, body=None)
    message = str(run._error(echo))
    assert KEY not in message and "HTTP 400 to a Batch API call" in message and "\n" not in message
    missing = openai.NotFoundError("no", response=httpx.Response(404, request=response.request), body=None)
    assert isinstance(run._error(missing), ConfigurationError)


def test_fake_server_batch_carries_every_chunk_of_a_long_article(tmp_path: Path) -> None:
    from test_chunking import CAMP_DAVID, rule_model

    doc = load_document(CAMP_DAVID)
    with FakeBatchOpenAI(default=rule_model) as fake:
        settings = make_settings(fake, chunk_tokens=400)
        expected = asyncio.run(
            run_batch([doc], tmp_path / "direct.jsonl", lambda: Summarizer(settings), progress=False)
        )
        direct_calls = len(fake.chat_requests)
        report, api, _ = via_batch(fake, [doc], tmp_path / "batch.jsonl", settings={"chunk_tokens": 400})
        assert len(fake.chat_requests) == direct_calls  # every chunk's passes answered by the batch
    assert direct_calls >= 8 and api.requests == direct_calls and api.direct == 0
    assert (report.ok, expected.ok) == (1, 1)
    by_direct, by_batch = records(tmp_path / "direct.jsonl"), records(tmp_path / "batch.jsonl")
    assert without_times(by_batch[doc.id]) == without_times(by_direct[doc.id])
    assert by_batch[doc.id]["result"]["agreements"]
