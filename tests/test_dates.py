from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.text.dates import compatible, precision, resolve_date, validate_iso

PUB = date(2013, 11, 2)  # a Saturday


@pytest.mark.parametrize("value", ["2013", "2013-11", "2013-11-02", "2024-02-29"])
def test_valid_partial_dates(value: str) -> None:
    assert validate_iso(value) == value


@pytest.mark.parametrize(
    "value", ["2013-13", "2013-02-30", "2023-02-29", "13-11-2013", "Nov 2013", "2013-1-5"]
)
def test_malformed_or_impossible_dates_rejected(value: str) -> None:
    with pytest.raises(ValueError):
        validate_iso(value)


def test_precision_and_compatibility() -> None:
    assert [precision("2014"), precision("2014-03"), precision("2014-03-01")] == [1, 2, 3]
    assert compatible("2014", "2014-03-01") and compatible("2014-03-01", "2014-03")
    assert not compatible("2014-03", "2014-04-01")


@pytest.mark.parametrize(
    ("phrase", "prefer", "expected"),
    [
        ("Saturday", "past", "2013-11-02"),  # same weekday as publication: that day
        ("on Saturday", "future", "2013-11-02"),
        ("Saturday, November 2, 2013", "past", "2013-11-02"),
        ("Nov. 2, 2013", "past", "2013-11-02"),
        ("Thursday", "past", "2013-10-31"),
        ("Thursday", "future", "2013-11-07"),
        ("next Tuesday", "past", "2013-11-05"),
        ("yesterday", "past", "2013-11-01"),
        ("next month", "future", "2013-12"),
        ("later this month", "future", "2013-11"),
        ("in 2014", "future", "2014"),
        ("2014", "past", "2014"),
        ("November 2013", "past", "2013-11"),
        ("next year", "future", "2014"),
        ("2013-11-02", "past", "2013-11-02"),
    ],
)
def test_resolve_against_publication_date(phrase: str, prefer: str, expected: str) -> None:
    assert resolve_date(phrase, PUB, prefer)[0] == expected  # type: ignore[arg-type]


def test_day_range_gives_end_date() -> None:
    assert resolve_date("March 15-16, 2014", PUB) == ("2014-03-15", "2014-03-16")


@pytest.mark.parametrize("phrase", [None, "", "next week", "soon", "2013-13-01", "the weekend"])
def test_unresolvable_phrases_give_none(phrase: str | None) -> None:
    assert resolve_date(phrase, PUB) == (None, None)


def test_relative_phrases_need_a_publication_date() -> None:
    assert resolve_date("yesterday", None) == (None, None)
    assert resolve_date("Saturday", None) == (None, None)
    assert resolve_date("Nov. 2, 2013", None) == ("2013-11-02", None)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 3))
def test_iso_dates_round_trip_at_any_precision(day: date, prec: int) -> None:
    value = day.isoformat()[: {1: 4, 2: 7, 3: 10}[prec]]
    assert resolve_date(value, PUB) == (value, None)
    assert precision(value) == prec


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)))
def test_weekday_resolution_stays_within_a_week(pub: date) -> None:
    import calendar

    for name in calendar.day_name:
        past = date.fromisoformat(resolve_date(name, pub, "past")[0] or "")
        future = date.fromisoformat(resolve_date(name, pub, "future")[0] or "")
        assert 0 <= (pub - past).days < 7 and 0 <= (future - pub).days < 7
        assert calendar.day_name[past.weekday()] == name == calendar.day_name[future.weekday()]


_GRID_PUBLISHED = [
    None,
    date(2013, 11, 2),
    date(2023, 1, 1),
    date(2023, 3, 31),
    date(2023, 6, 15),
    date(2023, 12, 31),
    date(2024, 2, 28),
    date(2024, 2, 29),
    date(2024, 10, 30),
]
_GRID_PHRASES = [
    *(f"{m} {d}" for m in ("January", "Feb", "March", "Jun", "Oct.", "December") for d in (1, 15, 29, 31)),
    *("October", "Feb", "June", "Sept.", "March 2013", "Nov. 2, 2013"),
    *("2 November 2013", "February 29, 2024"),
    *("today", "Yesterday", "tomorrow", "next month", "Last month", "this year", "next year", "last year"),
]


def test_fast_path_agrees_with_dateparser() -> None:
    """The fast path for common phrases gives what dateparser gives, publication dates around
    month ends, leap days and year ends included; it hands everything else to dateparser."""
    from summarizer.text import dates

    covered = set()
    for phrase in _GRID_PHRASES:
        for published in _GRID_PUBLISHED:
            for prefer in ("past", "future"):
                fast = dates._fast(phrase, published, prefer)  # type: ignore[arg-type]
                if fast == dates._NOT_HANDLED:
                    continue
                covered.add(phrase)
                with pytest.MonkeyPatch.context() as mp:
                    mp.setattr(dates, "_fast", lambda *_: dates._NOT_HANDLED)
                    assert fast == dates._dateparser(phrase, published, prefer), (phrase, published, prefer)  # type: ignore[arg-type]
    assert covered == set(_GRID_PHRASES)  # every form takes the fast path for some dates


def test_fast_path_leaves_other_phrases_to_dateparser() -> None:
    from summarizer.text import dates

    for phrase in ("later this month", "March 16, New York", "the 2nd of May", "Smarch 3", "next week"):
        assert dates._fast(phrase, PUB, "past") == dates._NOT_HANDLED


def test_a_planned_date_near_publication_stays_in_the_publication_year() -> None:
    """Regression (held-out ITC article, 1987-04-08): the LONDON, April 8 dateline of a
    planned session resolved to 1988-04-08."""
    published = date(1987, 4, 8)
    assert resolve_date("April 8", published, "future") == ("1987-04-08", None)
    assert resolve_date("April 7", published, "future") == ("1987-04-07", None)
    assert resolve_date("April", published, "future") == ("1987-04", None)
    assert resolve_date("March 1", published, "future") == (
        "1988-03-01",
        None,
    )  # over a month back: next year
    assert resolve_date("January", published, "future") == ("1988-01", None)
    assert resolve_date("April 9", published, "future") == ("1987-04-09", None)


def test_calendar_names_are_dates_not_names() -> None:
    from summarizer.text.dates import calendar_name

    assert all(calendar_name(t) for t in ("May", "May 31", "Sept.", "Friday", "march"))
    assert not any(calendar_name(t) for t in ("Monsanto", "Marchand", "May Department Stores", "Mayor"))
