"""Real inference: the pinned local test model end to end (slow, marked ``local_model``).

Needs ``summarizer[local]`` and the test model (``summarizer model fetch-test``).
CI sets SUMMARIZER_REQUIRE_LOCAL=1 so that a missing model fails instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from conftest import ARTICLES, REFERENCE

from summarizer import Settings, Summarizer
from summarizer.llm.test_model import TEST_MODEL

pytestmark = pytest.mark.local_model
MODEL = TEST_MODEL.path()  # read at import, before conftest points the user cache at a temp dir
REQUIRE = os.environ.get("SUMMARIZER_REQUIRE_LOCAL") == "1"  # conftest clears SUMMARIZER_* per test


def _available() -> str | None:
    import importlib.util

    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (pip install 'summarizer[local]')"
    if not MODEL.is_file():
        return f"test model not fetched ({MODEL}); run: summarizer model fetch-test"
    return None


@pytest.fixture(scope="module")
def local_summarizer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Summarizer]:
    reason = _available()
    if reason is not None:
        if REQUIRE:
            pytest.fail(reason)
        pytest.skip(reason)
    settings = Settings(local_model=str(MODEL), cache="off", local_ctx=4096)
    with Summarizer(settings) as summarizer:
        yield summarizer


def _check_grounded(result, text: str) -> None:  # type: ignore[no-untyped-def]
    for record in [*result.meetings, *result.agreements]:
        assert record.evidence, record.id
        for ev in record.evidence:
            assert text[ev.start : ev.end] == ev.quote


def test_local_model_reference_article(local_summarizer: Summarizer) -> None:
    doc = local_summarizer.load(REFERENCE)
    result = local_summarizer.summarize(doc)
    assert result.meetings, "the reference article has three meetings; the model found none"
    _check_grounded(result, doc.text)
    assert result.provenance is not None and result.provenance.usage.completion_tokens > 0
    assert result.provenance.cost_usd == 0.0
    assert any(m.date and m.date.startswith("2013") for m in result.meetings)


def test_local_model_short_article(local_summarizer: Summarizer) -> None:
    doc = local_summarizer.load(ARTICLES / "09_lebanon_israel_arrangement_extension_short.txt")
    result = local_summarizer.summarize(doc)
    _check_grounded(result, doc.text)
    assert result.summary
