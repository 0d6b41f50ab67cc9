"""The strict match of the eval: evidence must overlap and sides must overlap (records written here)."""

from __future__ import annotations

from summarizer.evaluation.align import score_article
from summarizer.evaluation.gold import GoldFile
from summarizer.schemas import Agreement, ArticleSummary, Evidence, Meeting

TEXT = "Chile and Peru met in Lima on Monday. Spain and Italy signed a port deal."


def _ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


GOLD = GoldFile.model_validate(
    {
        "article": "x.txt",
        "meetings": [
            {
                "id": "m1",
                "title": "Chile-Peru meeting in Lima",
                "status": "held",
                "channel": "in_person",
                "parties": ["Chile", "Peru"],
                "evidence": ["Chile and Peru met in Lima on Monday"],
            }
        ],
        "agreements": [
            {
                "id": "a1",
                "summary": "Spain and Italy signed a port deal.",
                "kind": "contract",
                "status": "signed",
                "parties": ["Spain", "Italy"],
                "evidence": ["Spain and Italy signed a port deal"],
            }
        ],
    }
)


def _meeting(quote: str, parties: list[str]) -> Meeting:
    return Meeting(
        id="m1", title="Chile-Peru meeting in Lima", status="held", parties=parties, evidence=[_ev(quote)]
    )


def test_a_record_on_the_right_sentence_with_a_shared_side_matches_strictly() -> None:
    pred = ArticleSummary(meetings=[_meeting("Chile and Peru met in Lima on Monday.", ["Chile", "Peru"])])
    score = score_article(pred, GOLD, TEXT)
    assert score.objects["meetings"].tp == 1
    assert score.fields["meetings"]["object_lenient"].tp == 1


def test_junk_parties_match_leniently_but_not_strictly() -> None:
    pred = ArticleSummary(meetings=[_meeting("Chile and Peru met in Lima on Monday.", ["Lima on"])])
    score = score_article(pred, GOLD, TEXT)
    assert score.fields["meetings"]["object_lenient"].tp == 1
    assert score.objects["meetings"].tp == 0 and score.objects["meetings"].fp == 1


def test_right_sides_on_another_sentence_do_not_match_strictly() -> None:
    agreement = Agreement(
        id="a1",
        summary="Spain and Italy signed a port deal.",
        kind="contract",
        status="signed",
        parties=["Spain", "Italy"],
        evidence=[_ev("Chile and Peru met in Lima on Monday.")],
    )
    score = score_article(ArticleSummary(agreements=[agreement]), GOLD, TEXT)
    assert score.fields["agreements"]["object_lenient"].tp == 1
    assert score.objects["agreements"].tp == 0 and score.objects["agreements"].fn == 1
