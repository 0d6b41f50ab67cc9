"""Alignment and field scoring: small hand-computed cases and the reference gold file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from summarizer.articles.documents import load_document
from summarizer.evaluation.align import (
    ArticleScore,
    Counts,
    agreement_similarity,
    align,
    location_matches,
    meeting_similarity,
    party_score,
    person_score,
    score_article,
)
from summarizer.evaluation.gold import (
    GoldAgreement,
    GoldFile,
    GoldLocation,
    GoldMeeting,
    GoldParticipant,
    load_gold,
)
from summarizer.evaluation.metrics import prf
from summarizer.schemas import (
    Agreement,
    ArticleSummary,
    Commitment,
    Evidence,
    Location,
    Meeting,
    Participant,
)
from summarizer.text.grounding import locate

ROOT = Path(__file__).resolve().parent.parent

TEXT = (
    "Japan and Russia pledged to widen bilateral defense exchanges at the first two-plus-two meeting "
    "in Tokyo on Saturday. Foreign Minister Fumio Kishida met Sergei Lavrov at Iikura guest house. "
    "The two sides agreed to reciprocal visits of defense chiefs and joint anti-piracy drills. "
    "Separately, U.S. and Japanese officials held a phone call on semiconductor trade. "
    "Acme Corp shareholders gathered in Denver to approve the merger with Widget Inc."
)
Q_MEETING = "pledged to widen bilateral defense exchanges at the first two-plus-two meeting"
Q_CALL = "U.S. and Japanese officials held a phone call on semiconductor trade"
Q_ACME = "Acme Corp shareholders gathered in Denver to approve the merger with Widget Inc."
Q_VISITS = "The two sides agreed to reciprocal visits of defense chiefs and joint anti-piracy drills."


def ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def meeting(**kw: Any) -> Meeting:
    base: dict[str, Any] = {
        "id": "m1",
        "title": "First Japan-Russia two-plus-two meeting",
        "status": "held",
        "date": "2013-11-02",
        "parties": ["Japan", "Russia"],
        "participants": [Participant(name="Fumio Kishida")],
        "evidence": [ev(Q_MEETING)],
    }
    return Meeting(**(base | kw))


def gold_meeting(**kw: Any) -> GoldMeeting:
    base: dict[str, Any] = {
        "id": "m1",
        "title": "First Japan-Russia two-plus-two ministerial meeting",
        "status": "held",
        "channel": "in_person",
        "date": "2013-11-02",
        "parties": [["Japan"], ["Russia"]],
        "participants": [GoldParticipant(name="Fumio Kishida")],
        "evidence": [Q_MEETING],
    }
    return GoldMeeting(**(base | kw))


def call(**kw: Any) -> Meeting:
    base: dict[str, Any] = {
        "id": "m2",
        "title": "US-Japan phone call on chip trade",
        "status": "held",
        "channel": "phone",
        "parties": ["U.S.", "Japan"],
        "evidence": [ev(Q_CALL)],
    }
    return Meeting(**(base | kw))


def gold_call(**kw: Any) -> GoldMeeting:
    base: dict[str, Any] = {
        "id": "m2",
        "title": "US-Japan phone call on semiconductor trade",
        "status": "held",
        "channel": "phone",
        "parties": [["United States", "U.S."], ["Japan"]],
        "evidence": [Q_CALL],
    }
    return GoldMeeting(**(base | kw))


def acme(id: str = "m3") -> Meeting:
    return Meeting(
        id=id,
        title="Acme Corp shareholder meeting",
        status="held",
        date="1987-03",
        parties=["Acme Corp"],
        participants=[Participant(name="John Smith")],
        evidence=[ev(Q_ACME)],
    )


def agreement(**kw: Any) -> Agreement:
    base: dict[str, Any] = {
        "id": "a1",
        "summary": "Japan and Russia agreed to reciprocal visits of defense chiefs.",
        "kind": "verbal",
        "status": "agreed",
        "parties": ["Japan", "Russia"],
        "date": "2013-11-02",
        "commitments": [Commitment(action="reciprocal visits of defense chiefs")],
        "evidence": [ev(Q_VISITS)],
    }
    return Agreement(**(base | kw))


def gold_agreement(**kw: Any) -> GoldAgreement:
    base: dict[str, Any] = {
        "id": "a1",
        "summary": "Japan and Russia agreed on reciprocal visits of their defense chiefs.",
        "kind": "verbal",
        "status": "agreed",
        "parties": [["Japan"], ["Russia"]],
        "date": "2013-11-02",
        "commitments": ["reciprocal visits of defense chiefs"],
        "evidence": [Q_VISITS],
    }
    return GoldAgreement(**(base | kw))


def score(
    meetings: Sequence[Meeting] = (),
    gold_meetings: Sequence[GoldMeeting] = (),
    agreements: Sequence[Agreement] = (),
    gold_agreements: Sequence[GoldAgreement] = (),
) -> ArticleScore:
    pred = ArticleSummary(meetings=list(meetings), agreements=list(agreements))
    gold = GoldFile(article="t.txt", meetings=list(gold_meetings), agreements=list(gold_agreements))
    return score_article(pred, gold, TEXT)


def triple(c: Counts) -> tuple[int, int, int]:
    return c.tp, c.fp, c.fn


# --- objects ---------------------------------------------------------------------------------------


def test_perfect_prediction_is_all_ones() -> None:
    s = score([meeting(), call()], [gold_meeting(), gold_call()], [agreement()], [gold_agreement()])
    assert triple(s.objects["meetings"]) == (2, 0, 0)
    assert triple(s.objects["agreements"]) == (1, 0, 0)
    for kind in ("meetings", "agreements"):
        assert prf(*triple(s.objects[kind])) == (1.0, 1.0, 1.0)
        for name, counts in s.fields[kind].items():
            assert counts.fp == 0 and counts.fn == 0, (kind, name, counts)
            assert prf(*triple(counts)) == (1.0, 1.0, 1.0)


def test_empty_prediction_has_zero_recall() -> None:
    s = score([], [gold_meeting(), gold_call()])
    assert triple(s.objects["meetings"]) == (0, 0, 2)
    assert prf(0, 0, 2) == (1.0, 0.0, 0.0)
    assert [d.outcome for d in s.alignments["meetings"]] == ["fn", "fn"]


def test_predictions_on_empty_gold_have_zero_precision() -> None:
    s = score([meeting()], [], [agreement()], [])
    assert triple(s.objects["meetings"]) == (0, 1, 0)
    assert triple(s.objects["agreements"]) == (0, 1, 0)
    assert prf(0, 1, 0) == (0.0, 1.0, 0.0)
    assert triple(score().objects["meetings"]) == (0, 0, 0)


def test_all_wrong_is_fp_and_fn() -> None:
    s = score([acme("m1")], [gold_call()])
    assert triple(s.objects["meetings"]) == (0, 1, 1)
    assert [(d.pred, d.gold, d.outcome) for d in s.alignments["meetings"]] == [
        (0, None, "fp"),
        (None, "m2", "fn"),
    ]
    assert meeting_similarity(acme(), gold_call()) < 0.35


def test_partial_two_gold_three_predicted_one_matched() -> None:
    s = score(
        [acme("m1"), meeting(id="m2"), acme("m3")], [gold_meeting(), gold_call(id="m2", parties=[["Brazil"]])]
    )
    # the call is not predicted; Acme twice is invented
    assert triple(s.objects["meetings"]) == (1, 2, 1)
    p, r, f = prf(1, 2, 1)
    assert p == pytest.approx(1 / 3) and r == 0.5 and f == pytest.approx(0.4)
    tp = [d for d in s.alignments["meetings"] if d.outcome == "tp"]
    assert [(d.pred, d.gold) for d in tp] == [(1, "m1")]


def test_optional_gold_item_matched_or_missed_is_not_counted() -> None:
    s = score([meeting(), call()], [gold_meeting(), gold_call(optional=True)])
    assert triple(s.objects["meetings"]) == (1, 0, 0)
    assert ("optional_match", "m2") in [(d.outcome, d.gold) for d in s.alignments["meetings"]]
    assert s.fields["meetings"]["channel"] == Counts(tp=1)  # only the tp pair is field-scored
    missed = score([meeting()], [gold_meeting(), gold_call(optional=True)])
    assert triple(missed.objects["meetings"]) == (1, 0, 0)
    assert [d.outcome for d in missed.alignments["meetings"]] == ["tp"]


def test_align_threshold_and_optimal_assignment() -> None:
    sims = {("a", "m1"): 0.9, ("a", "m2"): 0.8, ("b", "m1"): 0.85, ("b", "m2"): 0.1}
    gold = [gold_meeting(), gold_call()]
    result = align(["a", "b"], gold, lambda p, g: sims[(p, g.id)])
    assert result.pairs() == [(0, "m2"), (1, "m1")]  # 0.8 + 0.85 beats 0.9 + 0.1
    strict = align(["a", "b"], gold, lambda p, g: sims[(p, g.id)], threshold=0.82)
    assert triple(strict.counts) == (1, 1, 1)


def test_incompatible_date_outweighs_a_quote_that_names_an_earlier_meeting() -> None:
    # the same sides met before; the predicted quote is the whole sentence, which names both meetings
    sentence = "Their talks in Tokyo on Saturday were the first since they met in Minsk in June 2011."
    pred = meeting(date="2013-11-02", evidence=[Evidence(quote=sentence, start=0, end=len(sentence))])
    now = gold_meeting(id="m1", evidence=["Their talks in Tokyo on Saturday were the first"])
    before = gold_meeting(id="m2", date="2011-06", evidence=["since they met in Minsk in June 2011"])
    assert meeting_similarity(pred, now) > meeting_similarity(pred, before)
    assert meeting_similarity(pred, before) == pytest.approx(
        0.5 * meeting_similarity(pred, before.model_copy(update={"date": "2013-11-02"}))
    )


# --- names and places ----------------------------------------------------------------------------


def test_participant_alias_match() -> None:
    lavrov = GoldParticipant(name="Sergey Lavrov", aliases=["Sergei Lavrov"])
    assert person_score("Sergei Lavrov", lavrov.all_names) == 1.0
    assert person_score("Sergey Lavrov", lavrov.all_names) == 1.0
    assert person_score("Sergei Lavrov", ["Sergey Lavrov"]) == pytest.approx(0.923, abs=1e-3)  # fuzzy ≥ 85
    assert person_score("Foreign Minister Sergey Lavrov", lavrov.all_names) == 0.9
    assert person_score("Sergei Shoigu", lavrov.all_names) == 0.0
    s = score(
        [meeting(participants=[Participant(name="Sergei Lavrov"), Participant(name="Fumio Kishida")])],
        [
            gold_meeting(
                participants=[
                    lavrov,
                    GoldParticipant(name="Fumio Kishida"),
                    GoldParticipant(name="Sergei Shoigu"),
                ]
            )
        ],
    )
    assert s.fields["meetings"]["participants"] == Counts(tp=2, fp=0, fn=1)


def test_participant_surname_only_match() -> None:
    assert person_score("Kishida", ["Fumio Kishida"]) == 0.9
    assert person_score("Mr. Kishida", ["Fumio Kishida"]) == 0.9
    assert person_score("Onodera", ["Fumio Kishida"]) == 0.0
    assert person_score("Xi", ["Xi Jinping"]) == 0.9
    s = score(
        [meeting(participants=[Participant(name="Kishida"), Participant(name="Abe")])], [gold_meeting()]
    )
    assert s.fields["meetings"]["participants"] == Counts(tp=1, fp=1, fn=0)


def test_country_normalisation_for_parties_and_location() -> None:
    assert party_score("U.S.", ["United States", "U.S."]) == 1.0
    assert party_score("the American government", ["United States"]) == 1.0
    assert party_score("Russia", ["United States", "U.S."]) == 0.0
    s = score(
        [call(parties=["U.S.", "Japanese"], location=Location(country="U.S."))],
        [gold_call(location=GoldLocation(country="United States"))],
    )
    assert s.fields["meetings"]["parties"] == Counts(tp=2)
    assert s.fields["meetings"]["location"] == Counts(tp=1)


def test_location_fuzzy_containment_and_alternatives() -> None:
    gold = GoldLocation(venue="Iikura guest house", city="Tokyo", country="Japan")
    assert location_matches(Location(venue="the Iikura Guest House", city="Tokyo"), gold)
    assert location_matches(Location(venue="Iikura Guesthouse", country="Japanese"), gold)  # fuzzy ≥ 85
    assert not location_matches(Location(), gold)
    assert not location_matches(Location(city="Osaka"), gold)
    assert not location_matches(Location(venue="Iikura guest house"), GoldLocation(city="Tokyo"))
    alt = gold_meeting(location=None, location_alternatives=[GoldLocation(country="Japan")])
    assert score([meeting(location=Location(country="Japan"))], [alt]).fields["meetings"][
        "location"
    ] == Counts(tp=1)
    assert score([meeting()], [alt]).fields["meetings"]["location"] == Counts()  # both may be null
    assert score([meeting(location=Location(city="Osaka"))], [alt]).fields["meetings"]["location"] == Counts(
        fp=1
    )
    required = gold_meeting(location=gold)
    assert score([meeting()], [required]).fields["meetings"]["location"] == Counts(fn=1)
    wrong = score([meeting(location=Location(city="Osaka"))], [required]).fields["meetings"]["location"]
    assert wrong == Counts(fp=1, fn=1)


# --- dates, enums, commitments, evidence ---------------------------------------------------------


def test_date_precision_strict_wrong_lenient_right() -> None:
    s = score([meeting(date="2013-11")], [gold_meeting(date="2013-11-02")])
    assert s.fields["meetings"]["date_strict"] == Counts(tp=0, fp=1, fn=1)
    assert s.fields["meetings"]["date_lenient"] == Counts(tp=1, fp=0, fn=0)
    other = score([meeting(date="2013-12")], [gold_meeting(date="2013-11-02")])
    assert other.fields["meetings"]["date_lenient"] == Counts(fp=1, fn=1)


def test_date_alternatives_and_nulls() -> None:
    alts = gold_meeting(date="2013-11-02", date_alternatives=["2013-11"])
    assert score([meeting(date="2013-11")], [alts]).fields["meetings"]["date_strict"] == Counts(tp=1)
    missing = score([meeting(date=None)], [gold_meeting()]).fields["meetings"]
    assert missing["date_strict"] == Counts(fn=1) and missing["date_lenient"] == Counts(fn=1)
    extra = score([meeting()], [gold_meeting(date=None)]).fields["meetings"]
    assert extra["date_strict"] == Counts(fp=1)
    assert (
        score([meeting(date=None)], [gold_meeting(date=None)]).fields["meetings"]["date_strict"] == Counts()
    )


def test_status_alternatives_and_confusion_matrix() -> None:
    gold = gold_agreement(status="agreed", status_alternatives=["proposed"])
    ok = score(agreements=[agreement(status="proposed")], gold_agreements=[gold])
    assert ok.fields["agreements"]["status"] == Counts(tp=1)
    bad = score(agreements=[agreement(status="signed", kind="treaty")], gold_agreements=[gold])
    assert bad.fields["agreements"]["status"] == Counts(fp=1, fn=1)
    assert bad.confusion["agreements"]["status"] == {"agreed": {"signed": 1}}
    assert bad.confusion["agreements"]["kind"] == {"verbal": {"treaty": 1}}
    m = score([meeting(status="planned")], [gold_meeting(status="held")])
    assert m.confusion["meetings"]["status"]["held"]["planned"] == 1
    assert m.fields["meetings"]["status"] == Counts(fp=1, fn=1)


def test_commitment_matching() -> None:
    gold = gold_agreement(commitments=["reciprocal visits of defense chiefs", "joint anti-piracy drills"])
    pred = agreement(
        commitments=[
            Commitment(action="Reciprocal visits by defense chiefs"),
            Commitment(action="cyber security talks"),
        ]
    )
    s = score(agreements=[pred], gold_agreements=[gold])
    assert s.fields["agreements"]["commitments"] == Counts(tp=1, fp=1, fn=1)
    assert agreement_similarity(pred, gold) > 0.5


def test_evidence_located_share() -> None:
    invented = Evidence(quote="Putin and Abe signed a peace treaty in Moscow", start=0, end=10)
    s = score([meeting(evidence=[ev(Q_MEETING), invented])], [gold_meeting()], [agreement()], [])
    assert s.fields["meetings"]["evidence"] == Counts(tp=1, fp=1)  # located 1 of 2
    assert s.fields["agreements"]["evidence"] == Counts(tp=1)  # unmatched records count too


def test_to_dict_is_json_and_round_trips() -> None:
    s = score([meeting(status="planned"), acme()], [gold_meeting()], [agreement()], [gold_agreement()])
    data = json.loads(json.dumps(s.to_dict()))
    assert data["objects"]["meetings"] == {"tp": 1, "fp": 1, "fn": 0}
    assert data["alignments"]["meetings"][1] == {
        "pred": 1,
        "gold": None,
        "similarity": pytest.approx(data["alignments"]["meetings"][1]["similarity"]),
        "outcome": "fp",
    }
    assert ArticleScore.from_dict(data) == s


# --- the reference gold file against itself --------------------------------------------------------


def _gold_as_prediction(gold: GoldFile, text: str) -> ArticleSummary:
    def evidence(quotes: list[str]) -> list[Evidence]:
        spans = [locate(q, text) for q in quotes]
        return [
            Evidence(quote=text[s.start : s.end], start=s.start, end=s.end) for s in spans if s is not None
        ]

    def people(items: list[GoldParticipant]) -> list[Participant]:
        return [
            Participant(name=p.name, title=p.title, organization=p.organization, country=p.country)
            for p in items
        ]

    meetings = [
        Meeting(
            id=m.id,
            title=m.title,
            status=m.status,
            channel=m.channel,
            date=m.date,
            end_date=m.end_date,
            location=Location(**m.location.model_dump()) if m.location else None,
            participants=people(m.participants),
            parties=[p[0] for p in m.parties],
            topics=m.topics,
            evidence=evidence(m.evidence),
        )
        for m in gold.meetings
    ]
    agreements = [
        Agreement(
            id=a.id,
            summary=a.summary,
            kind=a.kind,
            status=a.status,
            parties=[p[0] for p in a.parties],
            signatories=people(a.signatories),
            commitments=[Commitment(action=c) for c in a.commitments],
            date=a.date,
            meeting_id=a.meeting,
            evidence=evidence(a.evidence),
        )
        for a in gold.agreements
    ]
    return ArticleSummary(meetings=meetings, agreements=agreements)


def test_reference_gold_scored_against_itself() -> None:
    gold = load_gold(ROOT / "evals" / "gold" / "00_japan_russia_two_plus_two_2013.yaml")
    text = load_document(ROOT / "evals" / "articles" / gold.article).text
    s = score_article(_gold_as_prediction(gold, text), gold, text)
    assert triple(s.objects["meetings"]) == (3, 0, 0)
    assert triple(s.objects["agreements"]) == (4, 0, 0)
    assert prf(*triple(s.objects["meetings"]))[2] == 1.0
    assert prf(*triple(s.objects["agreements"]))[2] == 1.0
    assert all(
        d.gold == f"{d.gold[0]}{d.pred + 1}"
        for kind in s.alignments.values()
        for d in kind
        if d.pred is not None and d.gold is not None
    )
    for kind in ("meetings", "agreements"):
        for name, counts in s.fields[kind].items():
            assert counts.fp == 0 and counts.fn == 0, (kind, name, counts)
