"""Field clean-up (pure): place words into their slots, agreement kinds checked against the text."""

from __future__ import annotations

import pytest

from summarizer.records.fields import meeting_title, place_slots


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (("Bali, Indonesia", None, None), (None, "Bali", "Indonesia")),
        (("Iikura guest house in Tokyo", "Tokyo", "Japan"), ("Iikura guest house", "Tokyo", "Japan")),
        (("Brussels", "Brussels", None), (None, "Brussels", None)),
        (("London", None, "United Kingdom"), (None, "London", "United Kingdom")),
        (("Bahrain", None, None), (None, None, "Bahrain")),
        (("White House", None, None), ("White House", None, None)),
        (("Camp David", None, "United States"), ("Camp David", None, "United States")),
        (("Seaforth", "London", "United Kingdom"), ("Seaforth", "London", "United Kingdom")),
        ((None, "Paris", None), (None, "Paris", None)),
        (("Kremlin, Moscow, Russia", None, None), ("Kremlin", "Moscow", "Russia")),
    ],
)
def test_place_words_go_to_their_slots(
    given: tuple[str | None, str | None, str | None], expected: tuple[str | None, str | None, str | None]
) -> None:
    assert place_slots(*given) == expected


def test_a_second_country_stays_in_the_venue() -> None:
    assert place_slots("Tokyo, Japan", None, "France") == ("Japan", "Tokyo", "France")


@pytest.mark.parametrize(
    ("title", "sentence", "expected"),
    [
        # The schema's example leaking into an article about something else:
        (
            "Biden-Xi talks in Bali",
            "Both countries reached agreement at their civil aviation talks here.",
            "Civil aviation talks",
        ),
        # A dateline is not a name:
        (
            "GENEVA, May 3",
            "GENEVA, May 3 - Discussions began at the annual session of the Global Nickel Forum (GNF) but stalled.",
            "Annual session of the Global Nickel Forum (GNF)",
        ),
        # A title the article bears out is kept as the model wrote it:
        ("Quad Leaders meet", "The Quad Leaders agreed to meet in person in Tokyo.", "Quad Leaders meet"),
    ],
)
def test_meeting_title_is_grounded_in_the_article(title: str, sentence: str, expected: str) -> None:

    assert meeting_title(title, sentence, sentence) == expected
