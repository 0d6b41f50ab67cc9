"""What instructor sends and validates: cached response classes and the validation context."""

from __future__ import annotations

import json
from typing import Any

import instructor
import pytest
from scripted import agreements, meetings

from summarizer import Settings, Summarizer
from summarizer.extraction import PASSES
from summarizer.testing import FakeOpenAI, Reply, content, tool_call
from summarizer.wire import response_class


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


@pytest.mark.parametrize("mode", ["tools", "json"])
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
