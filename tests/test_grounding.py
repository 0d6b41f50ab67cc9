from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summarizer.text.grounding import locate, normalise

TEXT = "He said  “we agree” on Saturday,\nNov. 2. Both sides agreed to expand anti-smuggling patrols. Москва — ok."


def test_exact_match_gives_offsets() -> None:
    span = locate("Both sides agreed", TEXT)
    assert span is not None and span.match == "exact"
    assert TEXT[span.start : span.end] == "Both sides agreed"


def test_whitespace_and_case_folded() -> None:
    span = locate("on SATURDAY, nov. 2", TEXT)
    assert span is not None and span.match == "exact"
    assert TEXT[span.start : span.end] == "on Saturday,\nNov. 2"


def test_curly_quotes_match_straight_quotes() -> None:
    span = locate('said "we agree"', TEXT)
    assert span is not None
    assert TEXT[span.start : span.end] == "said  “we agree”"


def test_non_ascii_text() -> None:
    span = locate("Москва - ok", TEXT)
    assert span is not None
    assert TEXT[span.start : span.end] == "Москва — ok"


def test_fuzzy_fallback_for_small_differences() -> None:
    span = locate("Both sides agreed to expand anti smuggling patrol", TEXT)
    assert span is not None and span.match == "fuzzy"
    assert "anti-smuggling" in TEXT[span.start : span.end]


def test_not_found() -> None:
    assert locate("Vladimir Putin attended the meeting in Moscow", TEXT) is None
    assert locate("", TEXT) is None
    assert locate("Both sides agreed to boost anti terrorism", TEXT, fuzzy=False) is None


def test_normalise() -> None:
    assert normalise("  A\u00a0“B” –  c ") == 'a "b" - c'


@given(st.text(min_size=1, max_size=200), st.data())
def test_any_substring_is_located_exactly(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if not quote.strip():
        return
    span = locate(quote, text)
    assert span is not None
    assert (
        normalise(text[span.start : span.end]) == normalise(quote).strip(" .")
        or text[span.start : span.end] == quote.strip()
    )
