"""Long articles: token-aware chunking (pure) and per-chunk extraction + merge.

The pipeline tests use a fake server whose answers follow a fixed rule per numbered
sentence ("a sentence with `met`/`talks`/`summit` states a meeting between the
countries it names"), so the right answer for any text is known: a chunked run must
give exactly what an unchunked run gives, with offsets in document coordinates, and
a concatenation of articles must give the union of the articles' records.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from summarizer import ArticleSummary, Settings, Summarizer
from summarizer.articles.chunking import chunk_budget, chunk_sentences, count_tokens
from summarizer.articles.sentences import Sentence, split_sentences
from summarizer.passes.drafts import _CAPITALISED
from summarizer.testing import FakeOpenAI, Reply, tool_call
from summarizer.text.names import canonical_country

ARTICLES = Path(__file__).resolve().parent.parent / "evals" / "articles"
CAMP_DAVID = next(ARTICLES.glob("03_*camp_david*.txt"))
INDONESIA = next(ARTICLES.glob("10_*indonesia*.txt"))


def words(text: str) -> int:
    return len(text.split())


def fake_sentences(lengths: list[int]) -> list[Sentence]:
    out, pos = [], 0
    for i, n in enumerate(lengths):
        text = " ".join(f"w{i}" for _ in range(n))
        out.append(Sentence(pos, pos + len(text), text))
        pos += len(text) + 1
    return out


# -- chunking (pure) ------------------------------------------------------------------------
def test_short_article_is_one_chunk() -> None:
    sentences = fake_sentences([5, 5, 5])
    (chunk,) = chunk_sentences(sentences, 100, overlap=10, count=words)
    assert chunk.first == 0 and list(chunk.sentences) == sentences


def test_chunks_are_balanced_cover_everything_and_overlap() -> None:
    sentences = fake_sentences([7] * 30)  # 10 tokens each with the "[n] " prefix: 300 in all
    chunks = chunk_sentences(sentences, 120, overlap=20, count=words)
    assert len(chunks) == 3
    assert [c.index for c in chunks] == [0, 1, 2]
    for chunk in chunks:
        assert chunk.tokens <= 120
        assert list(chunk.sentences) == sentences[chunk.first : chunk.first + len(chunk.sentences)]
    for a, b in itertools.pairwise(chunks):
        shared = a.first + len(a.sentences) - b.first
        assert shared == 2  # 20 tokens of overlap = two 10-token sentences
    assert chunks[-1].first + len(chunks[-1].sentences) == 30
    sizes = [c.tokens for c in chunks]
    assert max(sizes) - min(sizes) <= 20  # balanced, no small tail


def test_long_sentence_gets_its_own_chunk() -> None:
    sentences = fake_sentences([5, 200, 5])
    chunks = chunk_sentences(sentences, 50, count=words)
    assert [len(c.sentences) for c in chunks] == [1, 1, 1]
    assert chunks[1].tokens > 50


def test_chunk_prefers_a_paragraph_break() -> None:
    text = "One two three four. Five six seven eight.\n\nNine ten eleven twelve. Thirteen fourteen fifteen sixteen. X y z w."
    sentences = split_sentences(text)
    chunks = chunk_sentences(sentences, 21, count=words)
    assert chunks[0].sentences[-1].text == "Five six seven eight."


def test_budget_comes_from_the_context_window() -> None:
    assert chunk_budget(1000, 128_000, 1500) == 1000
    assert chunk_budget(4000, 4096, 1500) == 4096 - 1500 - 1200
    with pytest.raises(ValueError):
        chunk_sentences(fake_sentences([3]), 0)


def test_count_tokens_uses_a_real_tokenizer() -> None:
    assert count_tokens("Japan and Russia agreed.") == 5  # o200k_base


@hsettings(max_examples=200, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 60), min_size=1, max_size=80),
    budget=st.integers(10, 300),
    overlap=st.integers(0, 80),
)
def test_chunking_properties(lengths: list[int], budget: int, overlap: int) -> None:
    sentences = fake_sentences(lengths)
    chunks = chunk_sentences(sentences, budget, overlap=overlap, count=words)
    assert chunks[0].first == 0
    assert chunks[-1].first + len(chunks[-1].sentences) == len(sentences)  # nothing lost at the end
    for a, b in itertools.pairwise(chunks):
        end = a.first + len(a.sentences)
        assert a.first < b.first <= end  # moves forward, no gap
    for chunk in chunks:
        assert chunk.sentences and (chunk.tokens <= budget or len(chunk.sentences) == 1)


# -- a rule-following fake model --------------------------------------------------------------
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.M)
_MEETING = re.compile(r"\b(?:met|meet|talks|summit)\b", re.I)
_AGREEMENT = re.compile(r"\b(?:agreed|agreement|signed|commit\w*)\b", re.I)


def countries(sentence: str) -> list[str]:
    """The country names of a sentence as written (the same matcher as the agreement validator)."""
    found: dict[str, str] = {}
    for match in _CAPITALISED.finditer(sentence):
        country = canonical_country(match.group(0))
        if country is not None:
            found.setdefault(country, match.group(0))
    return list(found.values())


def rule_model(request: dict[str, Any]) -> Reply:
    """Answers by rule from the numbered sentences it is shown (no model involved)."""
    prompt = "\n".join(str(m.get("content") or "") for m in request["messages"])
    article = prompt[prompt.index("<article>") : prompt.index("</article>")]
    numbered = [(int(n), text) for n, text in _NUMBERED.findall(article)]
    tool = request["tool_choice"]["function"]["name"]
    if tool == "MeetingPass":
        meetings = [
            {"sentence": n, "title": text[:50], "status": "held", "parties": countries(text)}
            for n, text in numbered
            if _MEETING.search(text) and len(countries(text)) >= 2
        ]
        return tool_call({"summary": numbered[0][1], "meetings": meetings}, name=tool)
    agreements = [
        {"sentence": n, "summary": text, "kind": "other", "status": "agreed", "parties": countries(text)}
        for n, text in numbered
        if _AGREEMENT.search(text) and countries(text)
    ]
    return tool_call({"agreements": agreements}, name=tool)


@pytest.fixture
def rule_server() -> Any:
    with FakeOpenAI(models=("fake-model",), default=rule_model) as server:
        yield server


def run(server: FakeOpenAI, text: str, chunk_tokens: int, *, use_async: bool = False) -> ArticleSummary:
    settings = Settings(
        base_url=server.base_url, model="fake-model", cache="off", timeout=10, chunk_tokens=chunk_tokens
    )
    if use_async:

        async def go() -> ArticleSummary:
            async with Summarizer(settings) as summarizer:
                return await summarizer.asummarize(text, published="2023-08-19")

        return asyncio.run(go())
    with Summarizer(settings) as summarizer:
        return summarizer.summarize(text, published="2023-08-19")


def records(summary: ArticleSummary) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in [*summary.meetings, *summary.agreements]]


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n\n", 1)[1]


@pytest.mark.parametrize("path", [CAMP_DAVID, INDONESIA], ids=["camp_david_15k", "indonesia_framework"])
def test_fake_server_chunked_long_text_equals_unchunked(rule_server: FakeOpenAI, path: Path) -> None:
    text = body(path)
    whole = run(rule_server, text, 100_000)
    whole_calls = len(rule_server.chat_requests)
    chunked = run(rule_server, text, 400)
    chunk_calls = len(rule_server.chat_requests) - whole_calls
    assert whole_calls == 2 and chunk_calls >= 4  # several chunks, one request per pass each
    assert whole.agreements, "the rule finds agreements in this text"
    assert records(chunked) == records(whole)  # overlap duplicates merged, same ids, same evidence
    for record in [*chunked.meetings, *chunked.agreements]:
        for ev in record.evidence:
            assert text[ev.start : ev.end] == ev.quote  # document coordinates
    requests = rule_server.chat_requests[whole_calls:]
    for request in requests:
        assert request.body is not None
        article = request.body["messages"][-1]["content"]
        listed = _NUMBERED.findall(article[: article.index("</article>")])
        assert listed and int(listed[0][0]) == 1  # each chunk is numbered from 1
        assert count_tokens("\n".join(f"[{n}] {t}" for n, t in listed)) <= 400 + 3 * len(listed)


def test_fake_server_chunks_run_concurrently_with_the_same_result(rule_server: FakeOpenAI) -> None:
    text = body(CAMP_DAVID)
    assert records(run(rule_server, text, 400, use_async=True)) == records(run(rule_server, text, 400))


def test_fake_server_concatenated_articles_give_the_union(rule_server: FakeOpenAI) -> None:
    parts = [body(p) for p in sorted(ARTICLES.glob("0[0-9]_*.txt"))[:6]]
    joined = "\n\n".join(parts)
    chunked = run(rule_server, joined, 300)
    expected: list[tuple[str, int, str]] = []
    offset = 0
    for part in parts:
        alone = run(rule_server, part, 100_000)
        for record in [*alone.meetings, *alone.agreements]:
            expected += [(type(record).__name__, e.start + offset, e.quote) for e in record.evidence]
        offset += len(part) + 2
    got = [
        (type(r).__name__, e.start, e.quote)
        for r in [*chunked.meetings, *chunked.agreements]
        for e in r.evidence
    ]
    assert len(expected) >= 5
    assert sorted(got) == sorted(expected)
    assert [m.id for m in chunked.meetings] == [f"m{i}" for i in range(1, len(chunked.meetings) + 1)]
    assert [a.id for a in chunked.agreements] == [f"a{i}" for i in range(1, len(chunked.agreements) + 1)]
