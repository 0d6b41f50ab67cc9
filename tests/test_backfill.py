"""Agreements stated in plain words that the model left out (pure code, and the pipeline
against the fake server with backfill on)."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer import Settings, Summarizer
from summarizer.articles.sentences import split_sentences
from summarizer.records.backfill_agreements import backfill_agreements, plain_agreement
from summarizer.records.parties import sentence_parties
from summarizer.schemas import Agreement, Evidence, Meeting
from summarizer.testing import FakeOpenAI, tool_call

PUB = date(1987, 3, 14)


def run(text: str, meetings: list[Meeting] | None = None, agreements: list[Agreement] | None = None):  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    out = backfill_agreements(agreements or [], meetings or [], split_sentences(text), text, PUB, warnings)
    return out, warnings


@pytest.mark.parametrize(
    ("subject", "parties"),
    [
        ("Britain and Japan", ["United Kingdom", "Japan"]),
        ("Japan, the ROK, and the United States", ["Japan", "South Korea", "United States"]),
        ("The United Auto Workers and American Motors Corp", ["United Auto Workers", "American Motors Corp"]),
        ("Under the agreement, the U.S. government", ["United States"]),
        ("They", []),
        ("Going forward, our countries", []),
        ("the company and the union", []),
        ("officials", None),
    ],
)
def test_sides_named_by_the_subject(subject: str, parties: list[str] | None) -> None:
    text = "Britain, Japan, the ROK, the United States, The United Auto Workers and American Motors Corp."
    assert sentence_parties(subject, text) == parties


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Britain and Japan agreed to operate 12 flights a week over Siberia.", True),
        ("The United States and Turkey signed a five-year defence agreement.", True),
        ("We commit to continue providing assistance to Ukraine.", True),
        ("Both countries reached agreement at their civil aviation talks.", True),
        ("Japan and the United States remain committed to dialogue with the DPRK.", False),  # restated
        ("Producers failed to agree on quotas, and no agreement was reached.", False),  # denied
        ("The talks are expected to resume next week.", False),
    ],
)
def test_plain_agreement_wording(sentence: str, found: bool) -> None:
    assert (plain_agreement(sentence) is not None) is found


def test_plainly_stated_agreement_is_added_with_parties_commitment_and_date() -> None:
    text = (
        "TOKYO, March 14 - Britain and Japan agreed to operate 12 flights a week over Siberia from May 31, "
        "officials said. Ministry sources said two airlines were expected to share the flights."
    )
    (record,), warnings = run(text)
    assert record.id == "a1" and record.status.value == "agreed" and record.kind.value == "verbal"
    assert record.parties == ["United Kingdom", "Japan"]
    assert [c.action for c in record.commitments] == ["operate 12 flights a week over Siberia from May 31"]
    assert record.summary.startswith("Britain and Japan agreed")  # the dateline is not part of it
    assert text[record.evidence[0].start : record.evidence[0].end] == record.evidence[0].quote
    assert "added agreement the model left out" in warnings[0]


def test_they_are_the_sides_of_the_meeting_the_sentence_follows() -> None:
    text = (
        "Secretary Blinken met his French and German counterparts in Brussels. "
        "They agreed that a diplomatic solution is the best outcome."
    )
    s = split_sentences(text)
    meeting = Meeting(
        id="m1",
        title="Blinken meeting",
        status="held",
        parties=["United States", "France", "Germany"],
        evidence=[Evidence(quote=s[0].text, start=s[0].start, end=s[0].end)],
    )
    (record,), _ = run(text, meetings=[meeting])
    assert record.parties == ["United States", "France", "Germany"]
    assert record.evidence[0].quote == s[1].text


def test_we_in_a_joint_statement_are_the_countries_of_its_opening() -> None:
    text = (
        "We, the leaders of Japan, the Republic of Korea, and the United States, met at Camp David. "
        "We commit to continue providing assistance to Ukraine."
    )
    (record,), _ = run(text)
    assert record.parties == ["Japan", "South Korea", "United States"]
    assert record.kind.value == "joint_statement"


def test_signed_takes_the_kind_its_sentence_names() -> None:
    (record,), _ = run("The United States and Turkey signed a defence cooperation treaty on Monday.")
    assert record.status.value == "signed" and record.kind.value == "treaty"
    assert record.date == "1987-03-09"  # the Monday before publication


def test_sentences_that_add_nothing_are_left_alone() -> None:
    text = (
        "Britain and Japan agreed to operate 12 flights a week over Siberia. "  # covered below
        "Both countries reached agreement at their aviation talks. "  # restates it: no commitment of its own
        "Under the agreement, the British government pledged to share slots. "  # one side only
        "The ministry said officials agreed to meet again. "  # no nameable side
        "France and Germany remain committed to the accord."  # an old commitment restated
    )
    s = split_sentences(text)
    existing = Agreement(
        id="a1",
        summary="Siberia flights",
        kind="verbal",
        status="agreed",
        parties=["United Kingdom", "Japan"],
        evidence=[Evidence(quote=s[0].text, start=s[0].start, end=s[0].end)],
    )
    out, warnings = run(text, agreements=[existing])
    assert out == [existing] and warnings == []


def test_repeated_lead_sentence_gives_one_record() -> None:
    text = (
        "Japan and Russia agreed to improve bilateral defense exchanges to boost the fight against terrorism. "
        "Japan and Russia agreed to improve bilateral defense exchanges at their first two-plus-two meeting."
    )
    out, _ = run(text)
    assert len(out) == 1 and len(out[0].evidence) == 1


AGREEMENT_TEXT = (
    "TOKYO, March 14 - Britain and Japan agreed to operate 12 flights a week over Siberia, "
    "officials of the Transport Ministry said.\n\n"
    "The officials said both countries held civil aviation talks here."
)


def test_fake_server_backfill_adds_what_the_model_left_out_and_can_be_turned_off(
    fake_openai: FakeOpenAI, settings: Settings
) -> None:
    meetings = {
        "summary": "Britain and Japan agreed on flights over Siberia.",
        "meetings": [
            {
                "sentence": 2,
                "title": "Britain-Japan aviation talks",
                "status": "held",
                "parties": ["Britain", "Japan"],
            }
        ],
    }
    answers = (tool_call(meetings), tool_call({"agreements": []}))
    fake_openai.enqueue(*answers, *answers)
    with Summarizer(settings.with_overrides(backfill=True)) as on:
        added = on.summarize(AGREEMENT_TEXT, published="1987-03-14")
    with Summarizer(settings.with_overrides(backfill=False)) as off:
        plain = off.summarize(AGREEMENT_TEXT, published="1987-03-14")

    assert plain.agreements == []
    (record,) = added.agreements
    assert record.parties == ["United Kingdom", "Japan"] and record.meeting_id in (None, "m1")
    assert record.evidence[0].quote.startswith("TOKYO, March 14 - Britain and Japan agreed")
    assert added.provenance is not None
    assert any("added agreement the model left out" in w for w in added.provenance.warnings)


# -- meetings -------------------------------------------------------------------------


def run_meetings(text: str, meetings: list[Meeting] | None = None):  # type: ignore[no-untyped-def]
    from summarizer.records.backfill_meetings import backfill_meetings

    warnings: list[str] = []
    return backfill_meetings(meetings or [], split_sentences(text), text, PUB, warnings), warnings


def test_plainly_stated_meeting_is_added_with_people_parties_status_and_date() -> None:
    text = "The two visiting Russian ministers also held talks with Japanese Prime Minister Shinzo Abe on Friday."
    (meeting,), warnings = run_meetings(text)
    assert meeting.status.value == "held" and meeting.channel.value == "in_person"
    assert meeting.date == "1987-03-13"  # the Friday before Saturday's paper
    assert [p.name for p in meeting.participants] == ["Shinzo Abe"]
    assert meeting.participants[0].title == "Japanese Prime Minister"
    assert meeting.parties == ["Russia", "Japan"]
    assert meeting.title.startswith("The two visiting Russian ministers")
    assert "added meeting the model left out" in warnings[0]


@pytest.mark.parametrize(
    ("sentence", "status", "channel"),
    [
        (
            'Japan and Russia will also hold their next "two-plus-two" meeting in Russia in 2014.',
            "planned",
            "in_person",
        ),
        ("Secretary Blinken will visit China to follow up on the discussions.", "planned", "in_person"),
        ("President Biden spoke by phone with Prime Minister Kishida of Japan.", "held", "phone"),
        ("The President will host King Abdullah II of Jordan at the White House.", "planned", "in_person"),
    ],
)
def test_status_and_channel_come_from_the_words(sentence: str, status: str, channel: str) -> None:
    (meeting,), _ = run_meetings(sentence)
    assert (meeting.status.value, meeting.channel.value) == (status, channel)


def test_the_clause_of_the_verb_decides_whether_a_meeting_is_ruled_out() -> None:
    from summarizer.records.backfill_meetings import plain_meeting

    assert plain_meeting("The ICO board will meet March 31, but the council is not due to meet until June.")
    assert plain_meeting("An early meeting of G-7 ministers is unlikely, an official said.") is None
    assert plain_meeting("Talks due today were postponed after the union met with Cargill.") is None
    assert plain_meeting("Tokyo is striving to meet U.S. complaints about its trade practices.") is None
    assert plain_meeting("Our national security teams have met twice since then.") is None  # no one named


def test_meeting_sentence_already_covered_or_naming_no_one_is_left_alone() -> None:
    text = "Shultz met with Halefoglu in Ankara. Officials met with them later."
    s = split_sentences(text)
    existing = Meeting(
        id="m1",
        title="Shultz-Halefoglu talks",
        status="held",
        evidence=[Evidence(quote=s[0].text, start=s[0].start, end=s[0].end)],
    )
    out, warnings = run_meetings(text, [existing])
    assert out == [existing] and warnings == []


# -- joint statements -----------------------------------------------------------------

JOINT = (
    "We, the leaders of Japan, the Republic of Korea, and the United States, met at Camp David. "
    "We will hold trilateral meetings between our leaders at least annually. "
    "We will continue to strengthen our coordination on development finance. "
    "To that end, we will conduct inaugural exchanges between our technology protection agencies. "
    "We are fully committed to continuing to eliminate barriers to economic participation."
)


def test_joint_statement_commitments_with_something_concrete_are_agreements_of_its_sides() -> None:
    from summarizer.records.backfill_agreements import joint_statement_sides

    s = split_sentences(JOINT)
    assert joint_statement_sides(s[:2]) == ["Japan", "South Korea", "United States"]
    out, _ = run(JOINT)
    assert [a.evidence[0].quote for a in out] == [s[1].text, s[3].text]  # "continue to strengthen" and
    for record in out:  # "committed to continuing" restate ongoing efforts (LABELING: nothing new)
        assert record.parties == ["Japan", "South Korea", "United States"]
        assert record.kind.value == "joint_statement" and record.status.value == "agreed"
    assert [c.action for c in out[0].commitments] == ["hold trilateral meetings between our leaders"]


def test_we_will_outside_a_joint_statement_is_not_an_agreement() -> None:
    text = "President Biden met President Xi in Bali. We will hold more meetings with China next year."
    out, _ = run(text)
    assert out == []


# -- business wording (checked on unlabelled Reuters articles outside the eval set) ---------


def test_company_said_it_agreed_with_a_counterparty() -> None:
    text = (
        "SEATTLE, March 3 - Sun Microsystems Inc said it has agreed to cooperate with Philips Corporate Group, "
        "a Dutch electronics firm, to develop a multi-media authoring system."
    )
    (record,), _ = run(text)
    assert record.parties == ["Sun Microsystems Inc", "Philips Corporate Group"]


def test_signed_with_a_ticker_and_a_counterparty_after_from() -> None:
    text = "LONDON, April 7 - British Telecommunications Plc <BTY.L> said it had signed a collaboration agreement with Nippon Telegraph and Telephone Corp."
    (record,), _ = run(text)
    assert record.parties == ["British Telecommunications Plc", "Nippon Telegraph and Telephone Corp"]
    assert record.status.value == "signed" and record.kind.value == "other"
    (loan,), _ = run(
        "BELGRADE, June 18 - Yugoslavia has signed up for a 550 mln ECU loan from the European Community (EC)."
    )
    assert loan.parties == ["Yugoslavia", "European Community"]


def test_a_month_after_from_is_not_a_party_and_ec_is_not_ecuador() -> None:
    from summarizer.records.parties import counterparty
    from summarizer.text.names import canonical_country

    sentence = "Britain and Japan agreed to operate 12 flights a week from May 31."
    assert counterparty(sentence, sentence.index("agreed") + 6, sentence) is None
    assert canonical_country("EC") == "European Community"


def test_met_his_counterpart() -> None:
    text = "BERNE, March 4 - Brazilian Finance Minister Dilson Funaro met his Swiss counterpart Otto Stich."
    (meeting,), _ = run_meetings(text)
    assert [p.name for p in meeting.participants] == ["Dilson Funaro", "Otto Stich"]
    assert meeting.parties == ["Brazil", "Switzerland"]


def test_reporter_after_a_leading_clause_and_a_counterparty_in_angle_brackets() -> None:
    text = (
        "In a separate statement British Telecommunications said that it had signed a two-year "
        "distribution agreement with <Gandalf Technologies Inc> of Canada."
    )
    (record,), _ = run(text)
    assert record.parties == ["British Telecommunications", "Gandalf Technologies Inc"]


def test_a_body_of_many_members_agrees_alone_but_a_single_country_does_not() -> None:
    text = (
        "BRUSSELS, March 19 - European Community (EC) industry ministers met today. "
        "They said ministers agreed that the Eurofer plan should be expanded and developed."
    )
    s = split_sentences(text)
    meeting = Meeting(
        id="m1",
        title="EC industry ministers' meeting",
        status="held",
        parties=["European Community"],
        evidence=[Evidence(quote=s[0].text, start=s[0].start, end=s[0].end)],
    )
    (record,), _ = run(text, meetings=[meeting])
    assert record.parties == ["European Community"]
    alone, _ = run("France agreed to raise its defence budget next year.")
    assert alone == []


def test_signatories_come_from_a_signed_by_sentence() -> None:
    text = (
        "WASHINGTON, March 16 - The United States and Turkey signed a five-year defence and economic agreement. "
        "The agreement was signed by Secretary of State George Shultz and Foreign Minister Vahit Halefoglu "
        "after 18 months of negotiations."
    )
    (record,), _ = run(text)
    assert record.status.value == "signed"
    assert [(p.name, p.title) for p in record.signatories] == [
        ("George Shultz", "Secretary of State"),
        ("Vahit Halefoglu", "Foreign Minister"),
    ]


def test_titled_people_of_a_meeting_sentence_join_its_participants() -> None:
    text = (
        "Japanese Foreign Minister Fumio Kishida and Defense Minister Itsunori Onodera held talks "
        "with Russian Foreign Minister Sergey Lavrov in Tokyo."
    )
    s = split_sentences(text)
    meeting = Meeting(
        id="m1",
        title="Two-plus-two",
        status="held",
        participants=[{"name": "Sergey Lavrov", "title": "Foreign Minister"}],
        evidence=[Evidence(quote=s[0].text, start=s[0].start, end=s[0].end)],
    )
    (out,), _ = run_meetings(text, [meeting])
    assert [p.name for p in out.participants] == ["Sergey Lavrov", "Fumio Kishida", "Itsunori Onodera"]
    assert out.participants[1].title == "Japanese Foreign Minister"


def test_summary_drops_the_reporting_clause_but_not_the_reporter() -> None:
    from summarizer.records.backfill_agreements import _summary

    reported = (
        "Japanese Foreign Minister Fumio Kishida said at a joint press conference after the meeting "
        "that Japan and Russia agreed to further develop cooperation."
    )
    assert _summary(reported) == "Japan and Russia agreed to further develop cooperation."
    own = "SEATTLE, March 3 - Sun Microsystems Inc said it has agreed to cooperate with Philips."
    assert _summary(own) == "Sun Microsystems Inc said it has agreed to cooperate with Philips."


@pytest.mark.parametrize(
    ("text", "status", "title", "parties"),
    [
        (
            "By Rich Miller, Reuters TOKYO, March 14 - Japan and the U.S. Kick off top-level trade talks tomorrow.",
            "planned",
            "Japan and the U.S. Kick off top-level trade talks tomorrow",
            ["Japan", "United States"],
        ),
        (
            "Santos said the move had been explained to fellow OPEC members during last week's meeting in Vienna.",
            "held",
            "Last week's meeting in Vienna",
            ["OPEC"],
        ),
        (
            "Discussions on extending the sixth International Tin Agreement (ITA) began at the quarterly "
            "session of the International Tin Council (ITC), delegates said.",
            "held",
            "Quarterly session of the International Tin Council (ITC)",
            ["International Tin Council"],
        ),
    ],
)
def test_meetings_named_by_a_noun_or_kicked_off(
    text: str, status: str, title: str, parties: list[str]
) -> None:
    (meeting,), _ = run_meetings(text)
    assert (meeting.status.value, meeting.title, meeting.parties) == (status, title, parties)
