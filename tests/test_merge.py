"""Merging duplicate records (pure): what counts as the same meeting or agreement."""

from __future__ import annotations

from typing import Any

from summarizer.records.merge import add_agreement, add_meeting, same_agreement, same_meeting
from summarizer.schemas import Agreement, Evidence, Location, Meeting, Participant

QUOTES = {0: "Kishida met Lavrov in Tokyo.", 40: "The ministers met again on Saturday."}


def ev(start: int) -> Evidence:
    quote = QUOTES[start]
    return Evidence(quote=quote, start=start, end=start + len(quote))


def meeting(start: int = 0, **extra: Any) -> Meeting:
    base: dict[str, Any] = {
        "id": "m1",
        "title": "Talks",
        "status": "held",
        "participants": [Participant(name="Fumio Kishida"), Participant(name="Sergey Lavrov")],
        "evidence": [ev(start)],
    }
    return Meeting(**{**base, **extra})


def agreement(
    start: int = 0, summary: str = "Japan and Russia agreed to hold drills.", **extra: Any
) -> Agreement:
    base: dict[str, Any] = {
        "id": "a1",
        "summary": summary,
        "kind": "verbal",
        "status": "agreed",
        "parties": ["Japan", "Russia"],
        "evidence": [ev(start)],
    }
    return Agreement(**{**base, **extra})


def test_same_sentence_with_compatible_people_is_one_meeting() -> None:
    fuller = meeting(participants=[Participant(name="Fumio Kishida"), Participant(name="Sergey Lavrov")])
    partial = meeting(participants=[Participant(name="Mr. Kishida")], date="2013-11-02")
    assert same_meeting(fuller, partial)
    records: list[Meeting] = []
    add_meeting(records, fuller)
    add_meeting(records, partial.model_copy(update={"location": Location(city="Tokyo")}))
    (merged,) = records
    assert merged.date == "2013-11-02"  # gap filled from the duplicate
    assert merged.location is not None and merged.location.city == "Tokyo"
    assert len(merged.evidence) == 1 and len(merged.participants) == 2


def test_two_sentences_same_people_same_date_is_one_meeting_with_both_quotes() -> None:
    a, b = meeting(0, date="2013-11-02"), meeting(40, date="2013-11-02")
    records: list[Meeting] = []
    add_meeting(records, a)
    add_meeting(records, b)
    assert len(records) == 1 and [e.start for e in records[0].evidence] == [0, 40]


def test_what_keeps_meetings_apart() -> None:
    assert not same_meeting(meeting(0), meeting(40))  # same people, no date: could be two encounters
    assert not same_meeting(meeting(0, date="2013-11-02"), meeting(40, date="2013-11-03"))
    assert not same_meeting(meeting(0), meeting(0, status="planned"))
    assert not same_meeting(meeting(0, date="2013-11-02"), meeting(0, date="2014-01-01"))
    other = meeting(0, participants=[Participant(name="Taro Aso")])
    assert not same_meeting(meeting(0), other)


def test_ids_are_renumbered_in_order() -> None:
    records: list[Meeting] = []
    for m in [meeting(0, id="m7"), meeting(0, id="m9"), meeting(40, id="m3", status="planned")]:
        add_meeting(records, m)
    assert [m.id for m in records] == ["m1", "m2"]


def test_agreements_merge_by_what_they_say() -> None:
    a = agreement(0)
    reworded = agreement(40, summary="Japan and Russia agreed to hold joint drills.", date="2013-11-02")
    assert same_agreement(a, reworded)
    assert not same_agreement(a, agreement(40, summary="Russia will supply gas to Japan from 2015."))
    records: list[Agreement] = []
    add_agreement(records, a)
    add_agreement(records, reworded)
    add_agreement(records, agreement(40, summary="Russia will supply gas to Japan from 2015.", id="a9"))
    assert [r.id for r in records] == ["a1", "a2"]
    assert records[0].date == "2013-11-02" and [e.start for e in records[0].evidence] == [0, 40]
