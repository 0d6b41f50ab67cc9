"""Bulk similarity (``matrix``) against the per-pair reference (``similarity``): equal bit for bit.

Predictions are gold files turned into output records and perturbed at random (seeded),
with quotes that are copies, fragments, case variants or other sentences of the article.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz
from test_align import _gold_as_prediction

from summarizer.articles.documents import load_document
from summarizer.articles.sentences import split_sentences
from summarizer.evaluation import matrix
from summarizer.evaluation.align import align, align_similarities, score_article
from summarizer.evaluation.gold import GoldFile, load_gold
from summarizer.evaluation.matrix import Similarities, agreement_similarities, meeting_similarities
from summarizer.evaluation.similarity import Memo, agreement_similarity, meeting_similarity
from summarizer.schemas import Agreement, ArticleSummary, Commitment, Evidence, Meeting, Participant

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ["00_japan_russia_two_plus_two_2013", "03_japan_rok_us_camp_david_joint_statement_long"]
ARTICLES += ["10_us_indonesia_reciprocal_trade", "25_commodity_pacts_survey_long"]


def _gold(stem: str) -> tuple[GoldFile, str]:
    matches = sorted((ROOT / "evals" / "gold").glob(f"{stem}*.yaml"))
    gold = load_gold(matches[0])
    return gold, load_document(ROOT / "evals" / "articles" / gold.article).text


def _quote(quote: str, text: str, rng: random.Random) -> Evidence:
    """The quote, a fragment of it, a case variant, or another sentence (offsets unchecked here)."""
    roll = rng.random()
    if roll < 0.15:
        s = rng.choice(split_sentences(text))
        quote = text[s.start : s.end]
    elif roll < 0.3 and len(quote) > 30:
        a = rng.randrange(0, len(quote) // 3)
        quote = quote[a : rng.randrange(a + 10, len(quote))]
    elif roll < 0.4:
        quote = quote.upper()
    return Evidence(quote=quote, start=0, end=len(quote))


def _perturbed(gold: GoldFile, text: str, rng: random.Random) -> ArticleSummary:
    exact = _gold_as_prediction(gold, text)
    meetings = [
        m.model_copy(
            update={
                "evidence": [_quote(e.quote, text, rng) for e in m.evidence] * rng.choice([1, 1, 2]),
                "date": rng.choice([m.date, m.date, None, "2014", "1987-03"]),
                "parties": [p for p in m.parties if rng.random() > 0.2],
                "participants": [*m.participants, Participant(name="John Smith")][: rng.randrange(0, 4)],
                "title": rng.choice([m.title, "Talks", m.title.lower()]),
            }
        )
        for m in exact.meetings
        if rng.random() > 0.15
    ]
    agreements = [
        a.model_copy(
            update={
                "evidence": [_quote(e.quote, text, rng) for e in a.evidence],
                "date": rng.choice([a.date, a.date, None, "2014"]),
                "parties": [p for p in a.parties if rng.random() > 0.2] or ["OPEC"],
                "commitments": [c for c in a.commitments if rng.random() > 0.3]
                + [Commitment(action="cooperate closely")] * rng.choice([0, 0, 1]),
                "summary": rng.choice([a.summary, "They agreed to cooperate."]),
                "meeting_id": None,
            }
        )
        for a in exact.agreements
        if rng.random() > 0.15
    ]
    s = rng.choice(split_sentences(text))
    stray = Evidence(quote=text[s.start : s.end], start=s.start, end=s.end)
    meetings.append(Meeting(id="m99", title="Unrelated talks", status="held", evidence=[stray]))
    agreements.append(
        Agreement(id="a99", summary="A deal.", status="agreed", parties=["OPEC"], evidence=[stray])
    )
    return ArticleSummary(meetings=meetings, agreements=agreements)


def _cases() -> list[tuple[ArticleSummary, GoldFile, str]]:
    rng = random.Random(7)
    cases = []
    for stem in ARTICLES:
        gold, text = _gold(stem)
        cases += [(_perturbed(gold, text, rng), gold, text) for _ in range(4)]
    return cases


@pytest.fixture(scope="module")
def cases() -> list[tuple[ArticleSummary, GoldFile, str]]:
    return _cases()


@pytest.mark.parametrize("small", [matrix.SMALL, 0])
def test_bulk_similarities_equal_per_pair_reference(
    cases: list[tuple[ArticleSummary, GoldFile, str]], small: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matrix, "SMALL", small)  # 0: every article through the arrays
    for pred, gold, _ in cases:
        for bulk, single, p, g in (
            (meeting_similarities, meeting_similarity, pred.meetings, gold.meetings),
            (agreement_similarities, agreement_similarity, pred.agreements, gold.agreements),
        ):
            sims = bulk(p, g, Memo())
            bound = sims.values.copy()
            sims.resolve(np.ones(bound.shape, dtype=bool))
            reference = np.array([[single(x, y) for y in g] for x in p], dtype=float).reshape(bound.shape)
            assert (sims.values == reference).all()  # bit for bit, not approximately
            assert (bound >= reference).all()  # unresolved values bound the similarity


def test_lazy_alignment_equals_alignment_on_the_full_matrix(
    cases: list[tuple[ArticleSummary, GoldFile, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matrix, "SMALL", 0)
    for pred, gold, _ in cases:
        memo = Memo()
        lazy = align_similarities(
            agreement_similarities(pred.agreements, gold.agreements, memo), gold.agreements
        )
        full = align(pred.agreements, gold.agreements, agreement_similarity)
        assert lazy == full
        lazy = align_similarities(meeting_similarities(pred.meetings, gold.meetings, memo), gold.meetings)
        assert lazy == align(pred.meetings, gold.meetings, meeting_similarity)


def test_score_article_does_not_depend_on_the_bulk_path(
    cases: list[tuple[ArticleSummary, GoldFile, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk = [score_article(*case).to_dict() for case in cases]
    monkeypatch.setattr(matrix, "SMALL", 10**9)  # every article pair by pair
    assert [score_article(*case).to_dict() for case in cases] == bulk


def test_quote_bound_is_an_upper_bound_of_partial_ratio() -> None:
    _, text = _gold(ARTICLES[1])
    quotes = [text[s.start : s.end].lower() for s in split_sentences(text)][:40]
    quotes += ["", "a", "the", quotes[0][5:60], quotes[1].upper()]
    bound = matrix._quote_bound(quotes, quotes)
    for i, a in enumerate(quotes):
        for j, b in enumerate(quotes):
            assert bound[i, j] >= fuzz.partial_ratio(a, b), (a, b)
            if a == b:
                assert bound[i, j] == 100.0


def test_memo_quote_ratio_is_partial_ratio() -> None:
    memo = Memo()
    pairs = [("", ""), ("", "abc"), ("abc", "abc"), ("one quote here", "another quote, longer here")]
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            assert memo.quote_ratio(x, y) == fuzz.partial_ratio(x, y, score_cutoff=50.0)


def test_known_similarities_need_no_refinement() -> None:
    sims = Similarities.known(np.array([[0.2, 0.9], [0.5, 0.1]]))
    sims.resolve(np.ones((2, 2), dtype=bool))
    assert (sims.row_max(0), sims.col_max(0)) == (0.9, 0.5)
