"""Align predicted records with gold records and count what they got right.

:func:`align` matches objects one-to-one (``linear_sum_assignment``) on their
similarity (:mod:`.similarity`); only ``tp`` pairs get field scores (matchers in
:mod:`.matchers`). Per field a correct value is a TP, a wrong value a FP and a FN, a
missing value a FN and an extra value a FP. ``evidence`` counts every predicted
quote: TP = located in the article, FP = not located.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any, Literal, NamedTuple, TypeVar

import numpy as np
from scipy.optimize import linear_sum_assignment

from summarizer.evaluation.coding_fields import agreement_coding, meeting_coding
from summarizer.evaluation.gold import GoldAgreement, GoldFile, GoldMeeting
from summarizer.evaluation.matchers import (
    Counts,
    gold_people_key,
    location_matches,
    parties_key,
    party_score,
    people_key,
    person_score,
    stated,
)
from summarizer.evaluation.matrix import Similarities, agreement_similarities, meeting_similarities
from summarizer.evaluation.similarity import (
    AGREEMENT_WEIGHTS,
    MEETING_WEIGHTS,
    Memo,
    agreement_similarity,
    meeting_similarity,
)
from summarizer.schemas import Agreement, ArticleSummary, Location, Meeting
from summarizer.text.dates import compatible
from summarizer.text.grounding import locate

__all__ = [
    "AGREEMENT_FIELDS",
    "AGREEMENT_WEIGHTS",
    "MEETING_FIELDS",
    "MEETING_WEIGHTS",
    "Alignment",
    "ArticleScore",
    "Counts",
    "Decision",
    "agreement_similarity",
    "align",
    "align_similarities",
    "location_matches",
    "meeting_similarity",
    "party_score",
    "person_score",
    "score_article",
    "strict_mask",
]

_DATES = ("date_strict", "date_lenient")
MEETING_FIELDS = (
    "object_lenient",
    "participants",
    "parties",
    *_DATES,
    "location",
    "status",
    "channel",
    "plover",
    "evidence",
)
AGREEMENT_FIELDS = (
    "object_lenient",
    "parties",
    "signatories",
    "commitments",
    *_DATES,
    "kind",
    "status",
    "plover",
    "evidence",
)

_THRESHOLD = 0.35  # similarity under which a pair stays unmatched

Outcome = Literal["tp", "fp", "fn", "optional_match"]
Confusion = dict[str, dict[str, int]]  # gold value → predicted value → count
Matrices = dict[str, Confusion]  # field name → confusion matrix


class Decision(NamedTuple):
    """One alignment decision; for ``fp``/``fn`` the similarity is the best one that item had."""

    pred: int | None
    gold: str | None
    similarity: float
    outcome: Outcome


@dataclass(frozen=True)
class Alignment:
    """Every decision of :func:`align`, predictions first (in order), then missed gold items."""

    decisions: tuple[Decision, ...]

    @property
    def counts(self) -> Counts:
        outcomes = [d.outcome for d in self.decisions]
        return Counts(outcomes.count("tp"), outcomes.count("fp"), outcomes.count("fn"))

    def pairs(self) -> list[tuple[int, str]]:
        """The ``tp`` pairs as (prediction index, gold id)."""
        return [
            (d.pred, d.gold)
            for d in self.decisions
            if d.outcome == "tp" and d.pred is not None and d.gold is not None
        ]


P = TypeVar("P")
G = TypeVar("G", bound=GoldMeeting | GoldAgreement)
R = TypeVar("R", bound=Meeting | Agreement)
X = TypeVar("X")
Y = TypeVar("Y")


def align(
    pred: Sequence[P], gold: Sequence[G], sim: Callable[[P, G], float], threshold: float = _THRESHOLD
) -> Alignment:
    """Optimal one-to-one matching maximising similarity; pairs under ``threshold`` stay unmatched.

    A prediction matched to an optional gold item is ``optional_match`` (neither TP nor FP); an
    unmatched optional gold item is not a FN and is not recorded.
    """
    matrix = np.array([[sim(p, g) for g in gold] for p in pred], dtype=float).reshape(len(pred), len(gold))
    return align_similarities(Similarities.known(matrix), gold, threshold)


def align_similarities(sims: Similarities, gold: Sequence[G], threshold: float = _THRESHOLD) -> Alignment:
    """:func:`align` on an article's :class:`.matrix.Similarities`; it makes exact what the decisions
    read: every pair that may reach ``threshold``, and the best pair of each unmatched item."""
    n_pred, n_gold = sims.values.shape
    sims.resolve(sims.values >= threshold)  # elsewhere the bound, so the similarity, is under it
    usable = np.where(sims.values >= threshold, sims.values, 0.0)
    rows, cols = linear_sum_assignment(usable, maximize=True)
    match = {int(r): int(c) for r, c in zip(rows, cols, strict=True) if usable[r, c] > 0}
    decisions: list[Decision] = []
    for i in range(n_pred):
        j = match.get(i)
        if j is None:
            best = sims.row_max(i) if n_gold else 0.0
            decisions.append(Decision(i, None, best, "fp"))
        else:
            outcome: Outcome = "optional_match" if gold[j].optional else "tp"
            decisions.append(Decision(i, gold[j].id, float(sims.values[i, j]), outcome))
    taken = set(match.values())
    for j, item in enumerate(gold):
        if j not in taken and not item.optional:
            best = sims.col_max(j) if n_pred else 0.0
            decisions.append(Decision(None, item.id, best, "fn"))
    return Alignment(tuple(decisions))


# --- field scoring --------------------------------------------------------------------------------


def _judge(pred: X | None, values: Sequence[Y], required: bool, same: Callable[[X, Y], bool]) -> Counts:
    """Score one predicted value against the gold options; ``required``: gold null is not an option."""
    if pred is None:
        return Counts(fn=int(required))
    if not values:
        return Counts(fp=1)
    if any(same(pred, v) for v in values):
        return Counts(tp=1)
    return Counts(fp=1, fn=int(required))


def _date(pred: str | None, options: Sequence[str | None], same: Callable[[str, str], bool]) -> Counts:
    return _judge(pred, [v for v in options if v], None not in options, same)


def _location(pred: Location | None, gold: GoldMeeting) -> Counts:
    options = [o for o in [gold.location, *gold.location_alternatives] if o and stated(o)]
    required = gold.location is not None and stated(gold.location)
    return _judge(pred if pred and stated(pred) else None, options, required, location_matches)


def _enum(pred: Enum, gold: Enum, others: Sequence[Enum], confusion: Matrices, name: str) -> Counts:
    """Exact match against the value or its alternatives; counts ``confusion[name][gold][pred]``."""
    row = confusion.setdefault(name, {}).setdefault(str(gold.value), {})
    row[str(pred.value)] = row.get(str(pred.value), 0) + 1
    return Counts(tp=1) if pred in (gold, *others) else Counts(fp=1, fn=1)


def _meeting_fields(pred: Meeting, gold: GoldMeeting, confusion: Matrices, memo: Memo) -> dict[str, Counts]:
    return {
        "participants": memo.sets.people(people_key(pred.participants), gold_people_key(gold.participants)),
        "parties": memo.sets.parties(tuple(pred.parties), parties_key(gold.parties)),
        "date_strict": _date(pred.date, gold.dates, str.__eq__),
        "date_lenient": _date(pred.date, gold.dates, compatible),
        "location": _location(pred.location, gold),
        "status": _enum(pred.status, gold.status, gold.status_alternatives, confusion, "status"),
        "channel": _enum(pred.channel, gold.channel, gold.channel_alternatives, confusion, "channel"),
        "plover": meeting_coding(pred, gold),
    }


def _agreement_fields(
    pred: Agreement, gold: GoldAgreement, confusion: Matrices, memo: Memo
) -> dict[str, Counts]:
    return {
        "parties": memo.sets.parties(tuple(pred.parties), parties_key(gold.parties)),
        "signatories": memo.sets.people(people_key(pred.signatories), gold_people_key(gold.signatories)),
        "commitments": memo.sets.commitments(
            tuple(c.action for c in pred.commitments), tuple(gold.commitments)
        ),
        "date_strict": _date(pred.date, gold.dates, str.__eq__),
        "date_lenient": _date(pred.date, gold.dates, compatible),
        "kind": _enum(pred.kind, gold.kind, gold.kind_alternatives, confusion, "kind"),
        "status": _enum(pred.status, gold.status, gold.status_alternatives, confusion, "status"),
        "plover": agreement_coding(pred, gold),
    }


@dataclass
class ArticleScore:
    """Counts for one article, per record type ("meetings", "agreements")."""

    article: str
    objects: dict[str, Counts] = field(default_factory=dict)
    fields: dict[str, dict[str, Counts]] = field(default_factory=dict)
    alignments: dict[str, list[Decision]] = field(default_factory=dict)
    confusion: dict[str, Matrices] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable dict; :meth:`from_dict` reads it back."""
        return {
            "article": self.article,
            "objects": {t: asdict(c) for t, c in self.objects.items()},
            "fields": {t: {f: asdict(c) for f, c in fs.items()} for t, fs in self.fields.items()},
            "alignments": {t: [d._asdict() for d in ds] for t, ds in self.alignments.items()},
            "confusion": self.confusion,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleScore:
        return cls(
            article=data["article"],
            objects={t: Counts(**c) for t, c in data["objects"].items()},
            fields={t: {f: Counts(**c) for f, c in fs.items()} for t, fs in data["fields"].items()},
            alignments={t: [Decision(**d) for d in ds] for t, ds in data["alignments"].items()},
            confusion=data["confusion"],
        )


@lru_cache(maxsize=8192)
def _span(quote: str, text: str) -> tuple[int, int] | None:
    """Where a gold quote is in the article (gold files repeat across runs: remembered)."""
    found = locate(quote, text)
    return None if found is None else (found.start, found.end)


def _spans(quotes: Sequence[str], text: str) -> list[tuple[int, int]]:
    return [s for s in (_span(q, text) for q in quotes) if s is not None]


def _sides_overlap(pred: Meeting | Agreement, gold: GoldMeeting | GoldAgreement, memo: Memo) -> bool:
    """The sides overlap: a shared party, or a shared participant/signatory; true when gold names none."""
    if memo.sets.parties(tuple(pred.parties), parties_key(gold.parties)).tp:
        return True
    pred_people = pred.participants if isinstance(pred, Meeting) else pred.signatories
    gold_people = gold.participants if isinstance(gold, GoldMeeting) else gold.signatories
    if memo.sets.people(people_key(pred_people), gold_people_key(gold_people)).tp:
        return True
    return not gold.parties and not gold_people


def strict_mask(pred: Sequence[R], gold: Sequence[G], text: str, memo: Memo) -> Any:
    """Pairs the strict rule lets match: the prediction's evidence overlaps the gold evidence in
    the article, and the sides overlap (:func:`_sides_overlap`)."""
    mask = np.zeros((len(pred), len(gold)), dtype=bool)
    gold_spans = [_spans(g.evidence, text) for g in gold]
    for i, p in enumerate(pred):
        spans = [(e.start, e.end) for e in p.evidence]
        for j, g in enumerate(gold):
            if any(a < d and c < b for a, b in spans for c, d in gold_spans[j]):
                mask[i, j] = _sides_overlap(p, g, memo)
    return mask


def _fill(
    score: ArticleScore,
    kind: str,
    pred: Sequence[R],
    gold: Sequence[G],
    similarities: Callable[[Sequence[R], Sequence[G], Memo], Similarities],
    scorer: Callable[[R, G, Matrices, Memo], dict[str, Counts]],
    text: str,
    memo: Memo,
) -> None:
    """Align one record type and store its object counts, field counts and confusion matrices.

    Objects match under the strict rule (:func:`strict_mask`); the similarity-only match is kept
    as the ``object_lenient`` field."""
    sims = similarities(pred, gold, memo)
    keep = strict_mask(pred, gold, text, memo)
    alignment = align_similarities(sims.masked(keep), gold)
    # Where no pair the strict rule drops can reach the threshold (its bound is under it), the
    # lenient matching sees the same usable pairs, so it is the strict one: not aligned again.
    if (sims.values[~keep] >= _THRESHOLD).any():
        lenient = align_similarities(sims, gold).counts
    else:
        lenient = alignment.counts
    by_id = {g.id: g for g in gold}
    fields = dict.fromkeys(MEETING_FIELDS if kind == "meetings" else AGREEMENT_FIELDS, Counts())
    fields["object_lenient"] = lenient
    confusion: Matrices = {}
    for i, gid in alignment.pairs():
        for name, counts in scorer(pred[i], by_id[gid], confusion, memo).items():
            fields[name] += counts
    quotes = [e.quote for item in pred for e in item.evidence]
    located = sum(locate(q, text) is not None for q in quotes)
    fields["evidence"] = Counts(tp=located, fp=len(quotes) - located)
    score.objects[kind] = alignment.counts
    score.fields[kind] = fields
    score.alignments[kind] = list(alignment.decisions)
    score.confusion[kind] = confusion


def score_article(pred: ArticleSummary, gold: GoldFile, text: str) -> ArticleScore:
    """Align both record types and count objects and fields (``text``: the article, for evidence)."""
    score = ArticleScore(article=gold.article)
    memo = Memo()  # what the article's record pairs share (quote ratios, set counts)
    _fill(score, "meetings", pred.meetings, gold.meetings, meeting_similarities, _meeting_fields, text, memo)
    _fill(
        score,
        "agreements",
        pred.agreements,
        gold.agreements,
        agreement_similarities,
        _agreement_fields,
        text,
        memo,
    )
    return score
