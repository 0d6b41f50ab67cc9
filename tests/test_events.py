"""Events across articles: PLOVER/CAMEO coding, resolution, incremental updates, the events file."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from events_data import agreement, article, meeting, summit_reports

from summarizer.errors import InputError
from summarizer.events import (
    Resolver,
    actor,
    code_agreement,
    code_meeting,
    read_events,
    resolve,
    source_records,
    write_events,
)
from summarizer.events.coding import sector_of_title


def clusters(events: list) -> set[frozenset[str]]:
    return {frozenset(f"{m.record.article}#{m.record.record}" for m in e.members) for e in events}


# --- coding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "channel", "parties", "country", "expected"),
    [
        ("held", "in_person", ["France", "Japan"], "Japan", ("CONSULT", "visit", "042")),
        ("held", "in_person", ["France", "Japan"], "Singapore", ("CONSULT", "third-party", "044")),
        ("held", "in_person", ["France", "Japan"], None, ("CONSULT", None, "040")),
        ("held", "in_person", ["France", "Japan", "Brazil"], "Japan", ("CONSULT", "multilateral", "040")),
        ("held", "phone", ["France", "Japan"], None, ("CONSULT", "phone", "041")),
        ("held", "video", ["France", "Japan"], None, ("CONSULT", "phone", "041")),
        ("planned", "in_person", ["France", "Japan"], "Japan", ("AGREE", None, "036")),
        ("postponed", "in_person", ["France", "Japan"], None, ("AGREE", None, "036")),
    ],
)
def test_meeting_coding_follows_status_channel_and_place(
    status: str, channel: str, parties: list[str], country: str | None, expected: tuple
) -> None:
    coding = code_meeting(status, channel, parties, country)
    assert coding is not None
    assert (coding.event, coding.mode, coding.cameo) == expected
    assert coding.reason


def test_a_meeting_in_a_sides_country_is_a_visit_whatever_the_language_of_the_names() -> None:
    coding = code_meeting("held", "in_person", ["Francia", "Giappone"], "Japon")
    assert coding is not None and (coding.mode, coding.cameo) == ("visit", "042")


def test_cancelled_meetings_and_rejected_agreements_are_not_coded() -> None:
    assert code_meeting("cancelled", "in_person", ["France", "Japan"], None) is None
    assert code_agreement("rejected", "treaty") is None
    assert code_agreement("disputed", "treaty") is None


@pytest.mark.parametrize(
    ("status", "kind", "summary", "expected"),
    [
        ("signed", "treaty", "A treaty", ("SUPPORT", "057")),
        ("agreed", "verbal", "They agreed to hold more talks", ("AGREE", "030")),
        ("agreed", "contract", "A supply deal", ("AGREE", "0311")),
        ("in_force", "memorandum", "A defence cooperation memorandum", ("AGREE", "0312")),
        ("proposed", "proposal", "A proposed deal", ("CONSULT", "046")),
        ("under_negotiation", "treaty", "A treaty", ("CONSULT", "046")),
    ],
)
def test_agreement_coding(status: str, kind: str, summary: str, expected: tuple) -> None:
    coding = code_agreement(status, kind, summary)
    assert coding is not None and (coding.event, coding.cameo) == expected


def test_actors_get_iso_codes_and_sectors() -> None:
    assert (actor("Japon").code, actor("Japon").sector) == ("JPN", "GOV")
    assert (actor("the German government").code, actor("日本").code) == ("DEU", "JPN")
    assert actor("European Union").sector == "IGO"
    assert actor("OPEC").sector == "IGO"
    assert actor("Acme Holdings Ltd").sector == "BUS"
    assert actor("IG Metall").sector == "LAB"
    assert actor("Some Committee").sector is None
    assert sector_of_title("Chief of the General Staff") == "MIL"
    assert sector_of_title("Foreign Minister") == "GOV"
    assert sector_of_title("chief executive") == "BUS"
    assert sector_of_title(None) is None


def test_records_carry_codes_and_the_host_from_the_place() -> None:
    records = source_records(summit_reports())
    talks = next(r for r in records if r.article == "wire-2" and r.kind == "meeting")
    assert talks.actors == ["CHL", "NOR"]
    assert talks.host == "CHL"
    assert talks.plover is not None and (talks.plover.event, talks.plover.mode) == ("CONSULT", "visit")


# --- resolution ------------------------------------------------------------------------------------


def test_one_summit_reported_by_four_outlets_is_one_event() -> None:
    events = resolve(source_records(summit_reports()))
    assert clusters(events) == {
        frozenset({"wire-1#m1", "wire-2#m1", "diario-3#m1", "paper-4#m1"}),
        frozenset({"wire-5#m1"}),  # the phone call a week later
        frozenset({"wire-5#m2"}),  # Chile-Peru
        frozenset({"wire-2#a1", "wire-6#a1"}),  # the accord, agreed then signed
    }
    summit = next(e for e in events if len(e.members) == 4)
    assert summit.status == "held"
    assert summit.date == "2031-03-10"  # two sources say the 10th, one the 11th
    assert [h.status for h in summit.history] == ["planned", "held"]
    assert summit.first_reported == date(2031, 3, 2) and summit.last_reported == date(2031, 3, 12)
    dates = next(c for c in summit.conflicts if c.field == "date")
    assert dates.values["2031-03-11"] == ["paper-4#m1"]
    assert summit.place is not None and summit.place.city == "Santiago"
    assert summit.plover is not None and summit.plover.cameo == "042"
    assert summit.members[0].reason.startswith("new event")
    assert all(m.reason.startswith("joined: ") for m in summit.members[1:])
    assert summit.sources == ["diario-3", "paper-4", "wire-1", "wire-2"]
    call = next(e for e in events if e.members[0].record.article == "wire-5" and e.channel == "phone")
    assert call.members[0].reason == f"new event (not {summit.id}: a call and an in-person meeting)"


def test_an_agreement_moves_from_agreed_to_signed() -> None:
    events = resolve(source_records(summit_reports()))
    accord = next(e for e in events if e.kind == "agreement")
    assert accord.status == "signed"
    assert [(h.status, h.reported) for h in accord.history] == [
        ("agreed", date(2031, 3, 11)),
        ("signed", date(2031, 4, 20)),
    ]
    assert accord.plover is not None and accord.plover.cameo == "057"


def test_different_meetings_of_the_same_sides_stay_apart() -> None:
    reports = [
        article(
            "a",
            date(2031, 5, 2),
            meeting(1, "Ministers meet", "held", ["Chile", "Norway"], date="2031-05-01"),
        ),
        article(
            "b",
            date(2031, 5, 9),
            meeting(1, "Ministers meet", "held", ["Chile", "Norway"], date="2031-05-08"),
        ),
        article(
            "c",
            date(2031, 5, 9),
            meeting(
                1, "Ministers meet", "held", ["Chile", "Norway"], date="2031-05-08", place={"country": "Peru"}
            ),
            meeting(
                2,
                "Ministers meet",
                "held",
                ["Chile", "Norway"],
                date="2031-05-08",
                place={"country": "Chile"},
            ),
        ),
        article(
            "d",
            date(2031, 5, 9),
            meeting(1, "Ministers meet", "held", ["Chile", "Brazil"], date="2031-05-08"),
        ),
    ]
    events = resolve(source_records(reports))
    assert len(events) == 4  # a week apart; the same day in two countries; other sides
    assert frozenset({"b#m1", "c#m1"}) in clusters(events) or frozenset({"b#m1", "c#m2"}) in clusters(events)


def test_an_undated_plan_joins_only_a_meeting_a_few_months_on() -> None:
    plan = meeting(1, "Leaders plan to meet", "planned", ["Chile", "Norway"])
    near = meeting(1, "Leaders meet", "held", ["Chile", "Norway"], date="2031-07-03")
    far = meeting(1, "Leaders meet", "held", ["Chile", "Norway"], date="2032-02-03")
    joined = resolve(
        source_records([article("p", date(2031, 6, 1), plan), article("h", date(2031, 7, 4), near)])
    )
    apart = resolve(
        source_records([article("p", date(2031, 6, 1), plan), article("h", date(2032, 2, 4), far)])
    )
    assert len(joined) == 1 and len(apart) == 2


def test_different_agreements_between_the_same_sides_stay_apart() -> None:
    reports = [
        article(
            "a", date(2031, 5, 2), agreement(1, "Visa waiver for tourists", "signed", ["Chile", "Norway"])
        ),
        article(
            "b",
            date(2031, 5, 3),
            agreement(1, "Salmon export quota arrangement", "agreed", ["Chile", "Norway"]),
        ),
    ]
    assert len(resolve(source_records(reports))) == 2


def test_a_signed_agreement_later_disputed_is_flagged() -> None:
    reports = [
        article(
            "a",
            date(2031, 5, 2),
            agreement(
                1, "Chile and Norway signed a tax treaty", "signed", ["Chile", "Norway"], kind="treaty"
            ),
        ),
        article(
            "b",
            date(2031, 9, 3),
            agreement(
                1, "Norway disputes the tax treaty with Chile", "disputed", ["Norway", "Chile"], kind="treaty"
            ),
        ),
    ]
    (event,) = resolve(source_records(reports))
    assert event.status == "disputed"
    assert {c.field for c in event.conflicts} == {"status"}


def test_resolution_does_not_depend_on_input_order() -> None:
    records = source_records(summit_reports())
    expected = [
        (e.id, sorted((m.record.article, m.record.record) for m in e.members)) for e in resolve(records)
    ]
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        got = [
            (e.id, sorted((m.record.article, m.record.record) for m in e.members)) for e in resolve(shuffled)
        ]
        assert got == expected


def test_adding_a_later_batch_reuses_the_events_and_gives_the_same_clusters(tmp_path: Path) -> None:
    reports = summit_reports()
    first, second = source_records(reports[:3]), source_records(reports[3:])
    path = tmp_path / "events.jsonl"
    write_events(resolve(first), path)
    before = {e.id: e for e in read_events(path)}
    resolver = Resolver(before.values())
    placed = resolver.add(second)
    assert clusters(list(resolver.events.values())) == clusters(resolve(first + second))
    summit_id = next(e.id for e in before.values() if len(e.members) == 3)
    assert placed[0] == summit_id  # paper-4 joined the stored summit event, by its stored id
    assert all(e.id in resolver.events for e in before.values())


def test_an_article_added_again_replaces_its_records() -> None:
    reports = summit_reports()
    resolver = Resolver()
    resolver.add(source_records(reports))
    name, summary = reports[3]  # paper-4 re-summarised: now it reports a different day's meeting
    summary = summary.model_copy(
        update={"meetings": [meeting(1, "Lund in Lima", "held", ["Norway", "Peru"], date="2031-03-20")]}
    )
    resolver.add(source_records([(name, summary)]))
    keys = clusters(list(resolver.events.values()))
    assert frozenset({"wire-1#m1", "wire-2#m1", "diario-3#m1"}) in keys
    assert frozenset({"paper-4#m1"}) in keys
    summit = next(e for e in resolver.events.values() if len(e.members) == 3)
    assert not summit.conflicts  # the one-day disagreement left with paper-4's old record


def test_events_file_round_trip_and_bad_lines(tmp_path: Path) -> None:
    events = resolve(source_records(summit_reports()))
    path = tmp_path / "events.jsonl"
    assert write_events(events, path) == len(events)
    assert read_events(path) == events
    path.write_text(path.read_text() + '{"id": "x"}\n')
    with pytest.raises(InputError, match=r"events.jsonl:5: not an event"):
        read_events(path)
    with pytest.raises(InputError, match="no such file"):
        read_events(tmp_path / "missing.jsonl")


def test_two_records_of_one_article_are_never_one_event() -> None:
    reports = [
        article(
            "a",
            date(2031, 5, 2),
            meeting(1, "Leaders meet", "held", ["Chile", "Norway"], date="2031-05-01"),
            meeting(2, "Ministers prepare the summit", "held", ["Chile", "Norway"], date="2031-05-01"),
        )
    ]
    assert len(resolve(source_records(reports))) == 2


def test_a_city_written_in_two_languages_is_one_place() -> None:
    reports = [
        article(
            "a",
            date(2031, 5, 2),
            meeting(1, "Summit", "held", ["Chile", "Norway"], date="2031-05-01", place={"city": "Singapore"}),
        ),
        article(
            "b",
            date(2031, 5, 2),
            meeting(1, "Gipfel", "held", ["Chile", "Norway"], date="2031-05-01", place={"city": "Singapur"}),
        ),
        article(
            "c",
            date(2031, 5, 2),
            meeting(
                1, "Cumbre", "held", ["Chile", "Norway"], date="2031-05-01", place={"city": "Jardín Filoli"}
            ),
        ),
        article(
            "d",
            date(2031, 5, 9),
            meeting(1, "Summit", "held", ["Chile", "Norway"], date="2031-05", place={"city": "Lima"}),
        ),
    ]
    events = resolve(source_records(reports))
    assert frozenset({"a#m1", "b#m1", "c#m1"}) in clusters(events)  # same day: names only differ
    assert frozenset({"d#m1"}) in clusters(events)  # another city, no day to say it is the same


def test_an_organisation_named_in_two_languages_is_one_actor() -> None:
    reports = [
        article("a", date(2031, 5, 2), meeting(1, "Summit", "held", ["NATO", "Chile"], date="2031-05-01")),
        article("b", date(2031, 5, 2), meeting(1, "Cumbre", "held", ["OTAN", "Chile"], date="2031-05-01")),
        article("c", date(2031, 5, 2), meeting(1, "Gipfel", "held", ["Nato", "Chile"], date="2031-05-01")),
    ]
    assert clusters(resolve(source_records(reports))) == {frozenset({"a#m1", "b#m1", "c#m1"})}
