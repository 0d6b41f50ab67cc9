"""Object similarity of a predicted and a gold record, in [0, 1]: what :func:`.align.align` maximises.

Similarity is ``identity × context``. ``identity`` is a weighted mean of the components
that say *which* record it is; a component neither side informs (both lists empty) is
left out and the other weights renormalised:

- meetings (:data:`MEETING_WEIGHTS`): evidence 0.45, participants 0.30, title 0.25;
- agreements (:data:`AGREEMENT_WEIGHTS`): evidence 0.50, summary 0.30, commitments 0.20.

``context = 0.5 + 0.5 · mean(date, parties)`` (1 when neither is informed): records
of one article usually share their parties and date, so these can lower a score
but never make a match on their own. An incompatible date puts the context at its floor, 0.5,
whatever the parties: the same sides meet again and again (a summit and the one a year before),
and a quote that names both must not make the earlier meeting the better match.

Components: evidence = best rapidfuzz ``partial_ratio`` between a predicted and
a gold quote, rescaled 50 (unrelated text) → 0, 100 → 1 (damped below 40
characters), so a shared quote is a strong signal; title / summary = best
``token_set_ratio`` against the gold text (and title alternatives), rescaled 40 →
0; participants, parties, commitments = Dice overlap ``2·matched / (n_pred +
n_gold)`` (see :mod:`.matchers`); date = 1 compatible with a gold option, 0.5 when
only one side has one, 0 incompatible, left out when both are null (or null is a
gold option).

This module scores one pair and is the reference; :mod:`.matrix` scores all pairs of
an article at once, with the same values. A :class:`Memo` holds what the pairs of one
article share, so that each quote pair and each pair of party lists is scored once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from summarizer.evaluation.gold import GoldAgreement, GoldMeeting
from summarizer.evaluation.matchers import (
    Names,
    SetMemo,
    dice,
    gold_people_key,
    norm_text,
    parties_key,
    people_key,
)
from summarizer.schemas import Agreement, Meeting
from summarizer.text.dates import compatible

__all__ = [
    "AGREEMENT_WEIGHTS",
    "MEETING_WEIGHTS",
    "QUOTE_FLOOR",
    "QUOTE_FULL",
    "TEXT_FLOOR",
    "GoldView",
    "Memo",
    "PredView",
    "agreement_sim",
    "agreement_similarity",
    "combine",
    "date_sim",
    "evidence_sim",
    "gold_view",
    "meeting_sim",
    "meeting_similarity",
    "pred_view",
]

MEETING_WEIGHTS = {"evidence": 0.45, "participants": 0.30, "title": 0.25}
AGREEMENT_WEIGHTS = {"evidence": 0.50, "summary": 0.30, "commitments": 0.20}
QUOTE_FLOOR = 50.0  # partial_ratio of unrelated text
QUOTE_FULL = 40  # characters: shorter quotes are damped
TEXT_FLOOR = 40.0  # token_set_ratio


class Memo:
    """What the record pairs of one article share: quote ratios and set counts, each computed once."""

    def __init__(self) -> None:
        self.sets = SetMemo()
        self._quotes: dict[tuple[str, str], float] = {}

    def quote_ratio(self, a: str, b: str) -> float:
        """``partial_ratio(a, b, score_cutoff=50)``. It is symmetric, so each unordered pair is scored
        once; identical quotes score 100 (a quote aligns perfectly with itself), which rapidfuzz
        reaches only after trying every window: the costliest case."""
        if a == b:
            return 100.0
        key = (a, b) if a < b else (b, a)
        ratio = self._quotes.get(key)
        if ratio is None:
            ratio = self._quotes[key] = fuzz.partial_ratio(a, b, score_cutoff=QUOTE_FLOOR)
        return ratio


def _rescale(score: float, floor: float) -> float:
    return max(0.0, (score - floor) / (100.0 - floor))


def _quote_sim(a: str, b: str, memo: Memo) -> float:
    """partial_ratio rescaled 50 → 0; damped for quotes under 40 characters, which match anywhere."""
    short = min(len(a), len(b))
    return _rescale(memo.quote_ratio(a, b), QUOTE_FLOOR) * min(1.0, short / QUOTE_FULL)


def evidence_sim(pred: Sequence[str], gold: Sequence[str], memo: Memo) -> float | None:
    """Best quote similarity; ``pred`` and ``gold`` are :func:`.matchers.norm_text` quotes."""
    if not pred or not gold:
        return None if not pred and not gold else 0.0
    return max(_quote_sim(a, b, memo) for a in pred for b in gold)


def _text_sim(pred: str, gold: Sequence[str]) -> float:
    """Best token_set_ratio against the gold texts, rescaled 40 → 0 (normalised texts)."""
    return _rescale(max(fuzz.token_set_ratio(pred, g) for g in gold), TEXT_FLOOR)


def date_sim(pred: str | None, options: Sequence[str | None]) -> float | None:
    """1 compatible with a gold option, 0.5 when one side has a date, 0 incompatible, ``None``
    when neither has one (or null is a gold option)."""
    values = [v for v in options if v]
    if pred is None:
        return None if None in options or not values else 0.5
    if not values:
        return 0.5
    return 1.0 if any(compatible(pred, v) for v in values) else 0.0


def combine(
    identity: dict[str, float | None], weights: dict[str, float], context: list[float | None]
) -> float:
    """Weighted identity mean times the context factor; ``context`` is [date, parties] (module
    docstring)."""
    used = {k: v for k, v in identity.items() if v is not None}
    total = sum(weights[k] for k in used)
    core = 0.0 if total == 0 else sum(weights[k] * v for k, v in used.items()) / total
    if context and context[0] == 0.0:  # an incompatible date (module docstring)
        return core * 0.5
    known = [c for c in context if c is not None]
    return core * (0.5 + 0.5 * sum(known) / len(known) if known else 1.0)


@dataclass(frozen=True, slots=True)
class PredView:
    """What the similarity reads of a predicted record, normalised once rather than once per pair."""

    quotes: tuple[str, ...]
    text: str  # title or summary
    names: Names  # participants
    parties: Names
    commitments: Names  # actions
    date: str | None


@dataclass(frozen=True, slots=True)
class GoldView:
    """What the similarity reads of a gold record, normalised once rather than once per pair."""

    quotes: tuple[str, ...]
    texts: tuple[str, ...]  # title and its alternatives, or summary
    names: tuple[Names, ...]  # each participant's name and aliases
    parties: tuple[Names, ...]  # each party's accepted names
    commitments: Names
    dates: tuple[str | None, ...]  # the date and its alternatives


def pred_view(item: Meeting | Agreement) -> PredView:
    """The :class:`PredView` of a predicted meeting or agreement."""
    quotes = tuple(norm_text(e.quote) for e in item.evidence)
    if isinstance(item, Meeting):
        return PredView(
            quotes, norm_text(item.title), people_key(item.participants), tuple(item.parties), (), item.date
        )
    actions = tuple(c.action for c in item.commitments)
    return PredView(quotes, norm_text(item.summary), (), tuple(item.parties), actions, item.date)


def gold_view(item: GoldMeeting | GoldAgreement) -> GoldView:
    """The :class:`GoldView` of a gold meeting or agreement."""
    quotes, parties, dates = (
        tuple(norm_text(q) for q in item.evidence),
        parties_key(item.parties),
        tuple(item.dates),
    )
    if isinstance(item, GoldMeeting):
        titles = tuple(norm_text(t) for t in (item.title, *item.title_alternatives))
        return GoldView(quotes, titles, gold_people_key(item.participants), parties, (), dates)
    return GoldView(quotes, (norm_text(item.summary),), (), parties, tuple(item.commitments), dates)


def meeting_sim(pred: PredView, gold: GoldView, memo: Memo) -> float:
    """:func:`meeting_similarity` of two views."""
    return combine(
        {
            "evidence": evidence_sim(pred.quotes, gold.quotes, memo),
            "title": _text_sim(pred.text, gold.texts),
            "participants": dice(memo.sets.people(pred.names, gold.names)),
        },
        MEETING_WEIGHTS,
        [date_sim(pred.date, gold.dates), dice(memo.sets.parties(pred.parties, gold.parties))],
    )


def agreement_sim(pred: PredView, gold: GoldView, memo: Memo) -> float:
    """:func:`agreement_similarity` of two views."""
    return combine(
        {
            "evidence": evidence_sim(pred.quotes, gold.quotes, memo),
            "summary": _text_sim(pred.text, gold.texts),
            "commitments": dice(memo.sets.commitments(pred.commitments, gold.commitments)),
        },
        AGREEMENT_WEIGHTS,
        [date_sim(pred.date, gold.dates), dice(memo.sets.parties(pred.parties, gold.parties))],
    )


def meeting_similarity(pred: Meeting, gold: GoldMeeting, memo: Memo | None = None) -> float:
    """Weighted similarity of a predicted and a gold meeting (see module docstring)."""
    return meeting_sim(pred_view(pred), gold_view(gold), Memo() if memo is None else memo)


def agreement_similarity(pred: Agreement, gold: GoldAgreement, memo: Memo | None = None) -> float:
    """Weighted similarity of a predicted and a gold agreement (see module docstring)."""
    return agreement_sim(pred_view(pred), gold_view(gold), Memo() if memo is None else memo)
