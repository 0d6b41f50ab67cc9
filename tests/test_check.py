"""The check (summarizer/passes/check.py): P(yes) of one yes/no question per evidence sentence."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from test_strategies import ARTICLE, MEETING, MEMO

from summarizer import Settings, Summarizer
from summarizer.passes.check import yes_probability
from summarizer.testing import FakeOpenAI, error, tool_call, yes_no


def _completion(top: dict[str, float] | None, content: str = "yes") -> dict[str, object]:
    logprobs = None
    if top is not None:
        tokens = [{"token": t, "logprob": math.log(p)} for t, p in top.items()]
        logprobs = {"content": [{**tokens[0], "top_logprobs": tokens}]}
    return {"choices": [{"message": {"content": content}, "logprobs": logprobs}]}


def test_yes_probability_reads_the_first_tokens_top_logprobs() -> None:
    assert yes_probability(_completion({"Yes": 0.6, " yes": 0.1, "No": 0.2, "Maybe": 0.1})) == pytest.approx(
        0.7 / 0.9
    )


def test_yes_probability_without_logprobs_reads_the_word() -> None:
    assert yes_probability(_completion(None, "No.")) == 0.0
    assert yes_probability(_completion(None, "yes")) == 1.0
    assert yes_probability(_completion(None, "Perhaps")) is None
    assert yes_probability({"choices": []}) is None


def _checked(settings: Settings, **update: object) -> Settings:
    return settings.model_copy(
        update={"strategy": "per_sentence", "check_min_meeting": 0.6, "check_min_agreement": 0.65, **update}
    )


def _script(server: FakeOpenAI) -> None:
    server.enqueue(
        tool_call({"summary": "Ministers met.", "meeting_sentences": [1], "agreement_sentences": [2]}),
        tool_call({"meetings": [MEETING]}),
        tool_call({"agreements": [MEMO]}),
    )


def test_fake_server_check_drops_the_record_whose_sentence_gets_a_low_p_yes(
    fake_openai: FakeOpenAI, settings: Settings, tmp_path: Path
) -> None:
    _script(fake_openai)
    fake_openai.enqueue(yes_no(0.9), yes_no(0.2))  # sentence 1 (meeting), then sentence 2 (agreement)
    cached = _checked(settings, cache="read-write", cache_path=tmp_path / "c.sqlite")
    with Summarizer(cached) as s:
        result = s.summarize(ARTICLE)
    checks = [r.body for r in fake_openai.chat_requests if r.body and "tool_choice" not in r.body]
    assert [(b["max_tokens"], b["logprobs"], b["top_logprobs"]) for b in checks] == [(1, True, 10)] * 2
    assert "«Norway's foreign minister Anne Berg met" in checks[0]["messages"][1]["content"]
    assert len(result.meetings) == 1 and result.agreements == []
    assert any("dropped agreement of sentence 2" in w and "0.20" in w for w in result.provenance.warnings)
    assert {"check", "check_system"} <= set(result.provenance.prompts)

    # one-token answers stop at the token limit and are still cached: the re-run sends nothing
    with Summarizer(cached.model_copy(update={"cache": "replay"})) as s:
        again = s.summarize(ARTICLE)
    assert len(fake_openai.chat_requests) == 5
    assert again.meetings == result.meetings and again.agreements == []


def test_fake_server_unanswered_check_keeps_the_record_with_a_warning(
    fake_openai: FakeOpenAI, settings: Settings
) -> None:
    _script(fake_openai)
    fake_openai.enqueue(yes_no(0.9), *[error(500)] * 3)
    with Summarizer(_checked(settings, max_transport_retries=2)) as s:
        result = s.summarize(ARTICLE)
    assert len(result.meetings) == 1 and len(result.agreements) == 1
    assert any("check of sentence 2 not answered" in w for w in result.provenance.warnings)


def test_fake_server_check_is_not_asked_when_off(fake_openai: FakeOpenAI, settings: Settings) -> None:
    _script(fake_openai)
    with Summarizer(_checked(settings, check_min_meeting=0.0, check_min_agreement=0.0)) as s:
        result = s.summarize(ARTICLE)
    assert len(fake_openai.chat_requests) == 3
    assert len(result.meetings) == 1 and len(result.agreements) == 1


async def test_fake_server_async_check_drops_like_the_sync_one(
    fake_openai: FakeOpenAI, settings: Settings
) -> None:
    _script(fake_openai)
    fake_openai.enqueue(yes_no(0.3), yes_no(0.8))
    async with Summarizer(_checked(settings)) as s:
        result = await s.asummarize(ARTICLE)
    assert result.meetings == [] and len(result.agreements) == 1
    assert any("dropped meeting of sentence 1" in w for w in result.provenance.warnings)
