"""What instructor sends and validates: cached response classes, prompt schemas per mode,
the validation context, and the json / md_json modes end to end against the fake server."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import instructor
import pytest
from scripted import agreements, meetings

from summarizer import Settings, Summarizer
from summarizer.llm.wire import prompt_schema, response_class, tool_definitions
from summarizer.passes.drafts import PASSES, AgreementPass, MeetingPass
from summarizer.testing import FakeOpenAI, Reply, content, tool_call

PROMPT_TARGET = 1200  # fixed prompt tokens per pass (BENCHMARKS.md): the system prompt holds the definitions


def _answer_text(mode: str, answer: dict[str, Any]) -> Reply:
    text = json.dumps(answer)
    return content(f"Here it is:\n```json\n{text}\n```" if mode == "md_json" else text)


def _run(settings: Settings, text: str) -> Any:
    with Summarizer(settings) as summarizer:
        return summarizer.summarize(text)


@pytest.mark.parametrize("model", list(PASSES.values()))
@pytest.mark.parametrize("mode", ["tools", "json_schema"])
def test_response_class_is_instructors_wrapper_built_once(model: type, mode: str) -> None:
    cls = response_class(model, mode)
    assert response_class(model, mode) is cls  # built once, so instructor's schema cache hits
    assert issubclass(cls, model) and cls.__name__ == model.__name__
    assert issubclass(cls, instructor.OpenAISchema)  # instructor uses it as is (no per-call wrapper)
    # The schema instructor derives from it (tool name, json_schema response_format) is unchanged.
    assert cls.model_json_schema() == model.model_json_schema()
    assert cls.openai_schema == instructor.openai_schema(model).openai_schema  # type: ignore[attr-defined]


def test_prompt_schema_is_the_slim_tool_schema_inlined() -> None:
    schema = prompt_schema(MeetingPass)
    text = json.dumps(schema)
    assert not re.search(r'"title": "', text)  # no title annotations (the field named title stays)
    assert "anyOf" not in text and "default" not in text and "$defs" not in text and "$ref" not in text
    meeting = schema["properties"]["meetings"]["items"]
    assert meeting["properties"]["date"]["type"] == ["string", "null"]
    assert meeting["properties"]["participants"]["items"]["required"] == ["name"]  # PersonDraft inlined
    assert meeting["required"] == ["sentence", "title", "status"]
    tool = tool_definitions([MeetingPass])[0]["function"]["parameters"]
    assert set(schema["properties"]) == set(tool["properties"]) and schema["required"] == tool["required"]
    assert response_class(MeetingPass, "json").model_json_schema() == schema
    assert response_class(MeetingPass, "md_json").model_json_schema() == schema


@pytest.mark.parametrize("mode", ["json", "md_json"])
def test_json_modes_end_to_end(
    mode: str, fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    fake_openai.enqueue(_answer_text(mode, meetings()), _answer_text(mode, agreements()))
    result = _run(settings.with_overrides(mode=mode), reference_text)

    assert [m.id for m in result.meetings] == ["m1", "m2", "m3"]
    assert result.meetings[0].date == "2013-11-02" and result.meetings[2].date == "2014"
    assert [a.parties for a in result.agreements] == [["Japan", "Russia"]] * 2
    assert result.provenance is not None and result.provenance.attempts == 2
    first = fake_openai.chat_requests[0].body
    assert first is not None and "tools" not in first
    system = first["messages"][0]["content"]
    # The slim schema, as instructor writes it into the system message.
    assert json.dumps(prompt_schema(MeetingPass), indent=2) in system
    assert "anyOf" not in system and '"default"' not in system


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_validation_context_reaches_the_answer_in_every_mode(
    mode: str, fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    """A sentence number outside the article is re-asked: the validators saw the article's sentences."""
    bad = meetings()
    bad["meetings"][0]["sentence"] = 99
    if mode == "tools":
        replies = [tool_call(bad), tool_call(meetings()), tool_call(agreements())]
    else:
        replies = [_answer_text(mode, a) for a in (bad, meetings(), agreements())]
    fake_openai.enqueue(*replies)
    result = _run(settings.with_overrides(mode=mode), reference_text)

    assert len(result.meetings) == 3 and result.provenance is not None and result.provenance.attempts == 3
    reask = fake_openai.chat_requests[1].body
    assert reask is not None and "sentence 99 does not exist" in json.dumps(reask["messages"])


def test_article_with_template_syntax_is_sent_verbatim(
    fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    """instructor renders messages as Jinja2 templates when given a context; ours go out as written."""
    header, body = reference_text.split("\n\n", 1)
    odd = "Prices were quoted as {{ price }} and {% raw %} in the agreement text, {# not a comment #}."
    text = f"{header}\n\n{body.rstrip()}\n\n{odd}\n"
    fake_openai.enqueue(tool_call(meetings()), tool_call(agreements()))
    result = _run(settings, text)

    assert len(result.meetings) == 3
    user = fake_openai.chat_requests[0].body["messages"][1]["content"]  # type: ignore[index]
    assert odd in user


@lru_cache(maxsize=1)
def _encoder() -> Callable[[str], list[int]]:
    with warnings.catch_warnings():  # bpe-openai loads its data with a deprecated importlib API
        warnings.simplefilter("ignore", DeprecationWarning)
        import bpe_openai

        return bpe_openai.get_encoding("o200k_base").encode  # type: ignore[no-any-return]


def _tokens(text: str) -> int:
    """o200k_base tokens (bpe-openai: tiktoken's vocabulary, bundled, offline)."""
    return len(_encoder()(text))


_SENTENCE_LINE = re.compile(r"^\[\d+\] .*\n?", re.M)


def _fixed_tokens(body: dict[str, Any]) -> int:
    """Prompt tokens without the article's numbered sentences (as benchmarks/bench_prompt_size.py counts)."""
    total = 3
    for message in body["messages"]:
        total += 3 + _tokens(message["role"]) + _tokens(_SENTENCE_LINE.sub("", str(message["content"])))
    return total


@pytest.mark.parametrize("mode", ["json", "md_json"])
def test_fixed_prompt_stays_under_target_in_json_modes(
    mode: str, fake_openai: FakeOpenAI, settings: Settings, reference_text: str
) -> None:
    fake_openai.enqueue(_answer_text(mode, meetings()), _answer_text(mode, agreements()))
    _run(settings.with_overrides(mode=mode), reference_text)

    bodies = [r.body for r in fake_openai.chat_requests]
    sizes = {name: _fixed_tokens(b) for name, b in zip(("meetings", "agreements"), bodies, strict=True) if b}
    assert sizes["meetings"] <= PROMPT_TARGET and sizes["agreements"] <= PROMPT_TARGET, sizes
    # The schema is most of it: the full model_json_schema() would not fit.
    full = json.dumps(MeetingPass.model_json_schema(), indent=2)
    assert _tokens(full) - _tokens(json.dumps(prompt_schema(MeetingPass), indent=2)) > 250
    assert AgreementPass.__name__ not in bodies[0]["messages"][0]["content"]  # type: ignore[index]
