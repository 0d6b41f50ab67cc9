"""The extraction pipeline against a fake OpenAI-compatible server (scripted replies).

These test our code paths (requests, validation, re-asks, retries, errors), not a model.
"""

from __future__ import annotations

import copy
import json

import pytest
from replies import AGREEMENTS_00, MEETINGS_00

from summarizer import ExtractionError, ModelNotFoundError, Settings, Summarizer, TransportError
from summarizer.testing import FakeOpenAI, error, tool_call, truncated


def run(settings: Settings, text: str):  # type: ignore[no-untyped-def]
    with Summarizer(settings) as summarizer:
        return summarizer.summarize(text)


def test_fake_server_happy_path_reference_article(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    fake_openai.enqueue(tool_call(MEETINGS_00), tool_call(AGREEMENTS_00))
    result = run(settings, reference_text)

    assert [m.id for m in result.meetings] == ["m1", "m2", "m3"]
    first, abe, nxt = result.meetings
    assert first.date == "2013-11-02" and first.status.value == "held"
    assert first.location is not None and first.location.city == "Tokyo"
    assert {p.name for p in first.participants} == {
        "Fumio Kishida",
        "Itsunori Onodera",
        "Sergey Lavrov",
        "Sergei Shoigu",
    }
    assert first.participants[0].country == "Japan"
    assert abe.date == "2013-11-02"  # "Saturday" in Saturday's paper
    assert nxt.status.value == "planned" and nxt.date == "2014"
    assert nxt.location is not None and nxt.location.country == "Russia"
    assert [a.id for a in result.agreements] == ["a1", "a2"]
    assert result.agreements[0].parties == ["Japan", "Russia"]
    assert result.agreements[0].meeting_id is None or result.agreements[0].meeting_id == "m1"
    for record in [*result.meetings, *result.agreements]:
        for ev in record.evidence:
            assert reference_text.split("\n\n", 1)[1][ev.start : ev.end] == ev.quote
    prov = result.provenance
    assert prov is not None and prov.attempts == 2 and prov.usage.total_tokens == 300
    assert set(prov.prompts) == {"system", "meetings", "agreements"} and prov.schema_hash
    assert result.source.published is not None and result.source.published.isoformat() == "2013-11-02"

    # Both passes send max_tokens, force their own tool, and share the prompt prefix up to the article.
    first_req, second_req = (r.body for r in fake_openai.chat_requests)
    assert first_req is not None and second_req is not None
    assert first_req["max_tokens"] == settings.max_tokens
    assert first_req["tool_choice"]["function"]["name"] == "MeetingPass"
    assert second_req["tool_choice"]["function"]["name"] == "AgreementPass"
    assert first_req["tools"] == second_req["tools"]
    article_at = first_req["messages"][1]["content"].index("</article>")
    assert (
        first_req["messages"][1]["content"][:article_at] == second_req["messages"][1]["content"][:article_at]
    )


def test_fake_server_invented_evidence_and_bad_date_are_reasked(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    bad = copy.deepcopy(MEETINGS_00)
    bad["meetings"][0]["sentence"] = 99  # evidence that does not exist
    bad["meetings"][1]["date"] = "2013-02-30"
    fake_openai.enqueue(tool_call(bad), tool_call(MEETINGS_00), tool_call(AGREEMENTS_00))
    result = run(settings, reference_text)

    assert len(result.meetings) == 3
    reask = fake_openai.chat_requests[1].body
    assert reask is not None
    feedback = json.dumps(reask["messages"][-1])
    assert "sentence 99 does not exist" in feedback and "impossible day" in feedback
    assert result.provenance is not None and result.provenance.attempts == 3
    assert result.provenance.usage.total_tokens == 450  # usage summed over every attempt


def test_fake_server_reasks_exhausted_raise_with_fields_output_and_usage(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    bad = copy.deepcopy(MEETINGS_00)
    bad["meetings"][0]["sentence"] = 99
    fake_openai.enqueue(tool_call(bad), tool_call(bad))
    with pytest.raises(ExtractionError) as info:
        run(settings.with_overrides(on_invalid="error"), reference_text)
    err = info.value
    assert err.failed_fields == ["meetings.0.sentence"]
    assert '"sentence": 99' in (err.last_output or "")
    assert err.usage["total_tokens"] == 300 and err.attempts == 2


def test_fake_server_reasks_exhausted_drop_keeps_valid_records(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    bad = copy.deepcopy(MEETINGS_00)
    bad["meetings"][0]["sentence"] = 99
    fake_openai.enqueue(tool_call(bad), tool_call(bad), tool_call(AGREEMENTS_00))
    result = run(settings, reference_text)
    assert [m.title for m in result.meetings] == [
        "Russian ministers' talks with Shinzo Abe",
        "Next two-plus-two meeting",
    ]
    assert result.provenance is not None
    assert any("kept the records that validated" in w for w in result.provenance.warnings)


def test_fake_server_429_with_retry_after_then_success(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    fake_openai.enqueue(
        error(429, "slow down", headers={"Retry-After": "0.01"}),
        tool_call(MEETINGS_00),
        tool_call(AGREEMENTS_00),
    )
    result = run(settings, reference_text)
    assert len(result.meetings) == 3
    assert len(fake_openai.chat_requests) == 3
    assert result.provenance is not None and result.provenance.attempts == 3


def test_fake_server_500s_until_attempts_run_out(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    fake_openai.enqueue(*[error(500, "boom")] * 3)
    with pytest.raises(TransportError) as info:
        run(settings.with_overrides(max_transport_retries=2), reference_text)
    assert "HTTP 500 after 3 attempt(s)" in str(info.value)
    assert info.value.attempts == 3 and info.value.usage == {
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "total_tokens": 0,
    }


def test_fake_server_unknown_model(fake_openai: FakeOpenAI, settings: Settings, reference_text: str) -> None:
    with pytest.raises(ModelNotFoundError, match="'no-such-model' not found"):
        run(settings.with_overrides(model="no-such-model"), reference_text)


def test_fake_server_truncated_answer_is_a_clear_error(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    fake_openai.enqueue(truncated('{"summary": "x", "meetings": ['))
    with pytest.raises(ExtractionError, match="cut off at max_tokens"):
        run(settings.with_overrides(on_invalid="error"), reference_text)


def test_fake_server_cache_makes_rerun_free(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    cached = settings.with_overrides(cache="read-write", cache_path=tmp_path / "c.sqlite")
    fake_openai.enqueue(tool_call(MEETINGS_00), tool_call(AGREEMENTS_00))
    first = run(cached, reference_text)
    second = run(cached, reference_text)
    assert len(fake_openai.chat_requests) == 2
    assert second.provenance is not None and second.provenance.cached
    assert second.meetings == first.meetings
    replay = cached.with_overrides(cache="replay")
    assert run(replay, reference_text).agreements == first.agreements
    from summarizer import CacheMissError

    with pytest.raises(CacheMissError, match="re-record"):
        run(replay, reference_text + "\nA new paragraph.")


async def test_fake_server_async_summarize(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    fake_openai.enqueue(tool_call(MEETINGS_00), tool_call(AGREEMENTS_00))
    async with Summarizer(settings) as summarizer:
        result = await summarizer.asummarize(reference_text)
    assert len(result.meetings) == 3 and len(result.agreements) == 2
