"""Align predicted records with gold records and count what they got right.

Object similarity, in [0, 1], is ``identity × context``. ``identity`` is a weighted
mean of the components that say *which* record it is; a component neither side
informs (both lists empty) is left out and the other weights renormalised:

- meetings (:data:`MEETING_WEIGHTS`): evidence 0.45, participants 0.30, title 0.25;
- agreements (:data:`AGREEMENT_WEIGHTS`): evidence 0.50, summary 0.30, commitments 0.20.

``context = 0.5 + 0.5 · mean(date, parties)`` (1 when neither is informed): records
of one article usually share their parties and date, so these can lower a score
but never make a match on their own.

Components: evidence = best rapidfuzz ``partial_ratio`` between a predicted and
a gold quote, rescaled 50 (unrelated text) → 0, 100 → 1 (damped below 40
characters), so a shared quote is a strong signal; title / summary = best
``token_set_ratio`` against the gold text (and title alternatives), rescaled 40 →
0; participants, parties, commitments = Dice overlap ``2·matched / (n_pred +
n_gold)``; date = 1 compatible with a gold option, 0.5 when only one side has
one, 0 incompatible, left out when both are null (or null is a gold option).

:func:`align` matches objects one-to-one (``linear_sum_assignment``); only ``tp``
pairs get field scores. Per field a correct value is a TP, a wrong value a FP and a
FN, a missing value a FN and an extra value a FP. ``evidence`` counts every
predicted quote: TP = located in the article, FP = not located.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any, Literal, NamedTuple, TypeVar

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from scipy.optimize import linear_sum_assignment

from ..dates import compatible
from ..grounding import locate
from ..names import canonical_country, canonical_party, name_key, strip_honorifics
from ..schemas import Agreement, ArticleSummary, Evidence, Location, Meeting, Participant
from .gold import GoldAgreement, GoldFile, GoldLocation, GoldMeeting, GoldParticipant

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
    "location_matches",
    "meeting_similarity",
    "party_score",
    "person_score",
    "score_article",
]

MEETING_WEIGHTS = {"evidence": 0.45, "participants": 0.30, "title": 0.25}
AGREEMENT_WEIGHTS = {"evidence": 0.50, "summary": 0.30, "commitments": 0.20}
_DATES = ("date_strict", "date_lenient")
MEETING_FIELDS = ("participants", "parties", *_DATES, "location", "status", "channel", "evidence")
AGREEMENT_FIELDS = ("parties", "signatories", "commitments", *_DATES, "kind", "status", "evidence")
PERSON_FUZZY = 85.0
PARTY_FUZZY = 90.0
PLACE_FUZZY = 85.0
COMMITMENT_MIN = 60.0

Outcome = Literal["tp", "fp", "fn", "optional_match"]
Confusion = dict[str, dict[str, int]]  # gold value → predicted value → count
Matrices = dict[str, Confusion]  # field name → confusion matrix


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


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


# --- small matchers -------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _person_key(name: str) -> str:
    return name_key(strip_honorifics(name))


@lru_cache(maxsize=65536)
def _party_key(name: str) -> str:
    return name_key(canonical_party(name))


@lru_cache(maxsize=65536)
def _text(value: str) -> str:
    return " ".join(str(default_process(value)).split())


def _surname(a: str, b: str) -> bool:
    """The shorter name ends the longer one ("Kishida", "Minister Fumio Kishida") or is its first
    token only ("Xi" for "Xi Jinping")."""
    short, long = sorted((a.split(), b.split()), key=len)
    if not short or len(short) == len(long) or len(short[-1]) < 2:
        return False
    return long[-len(short) :] == short or (len(short) == 1 and short[0] == long[0])


def _best(p: str, keys: Sequence[str], fuzzy_min: float, surname: bool) -> float:
    best = 0.0
    for g in keys:
        if not p or not g:
            continue
        if p == g:
            return 1.0
        ratio = fuzz.ratio(p, g)
        if ratio >= fuzzy_min:
            best = max(best, ratio / 100)
        elif surname and _surname(p, g):
            best = max(best, 0.9)
    return best


def person_score(pred_name: str, gold_names: Sequence[str]) -> float:
    """1 same key, ratio/100 when fuzzy ≥ 85, 0.9 for a surname or a name after a title, else 0."""
    return _best(_person_key(pred_name), [_person_key(n) for n in gold_names], PERSON_FUZZY, True)


def party_score(pred_party: str, accepted: Sequence[str]) -> float:
    """1 when the canonical party equals one of the accepted names', ratio/100 when fuzzy ≥ 90."""
    return _best(_party_key(pred_party), [_party_key(n) for n in accepted], PARTY_FUZZY, False)


def _commitment_score(pred: str, gold: str) -> float:
    ratio = fuzz.token_set_ratio(_text(pred), _text(gold))
    return ratio / 100 if ratio >= COMMITMENT_MIN else 0.0


def _match_count(scores: list[list[float]]) -> int:
    """Size of the best one-to-one matching over positive scores."""
    if not scores or not scores[0]:
        return 0
    if len(scores) == 1 or len(scores[0]) == 1:
        return int(any(s > 0 for row in scores for s in row))
    if len(scores) == 2 and len(scores[0]) == 2:
        (a, b), (c, d) = scores
        return (a > 0) + (d > 0) if a + d >= b + c else (b > 0) + (c > 0)
    matrix = np.asarray(scores)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return int(np.count_nonzero(matrix[rows, cols] > 0))


def _inner(pred: Sequence[X], gold: Sequence[Y], score: Callable[[X, Y], float]) -> Counts:
    """Counts of a one-to-one matching between two small sets."""
    matched = _match_count([[score(p, g) for g in gold] for p in pred])
    return Counts(matched, len(pred) - matched, len(gold) - matched)


def _people(pred: Sequence[Participant], gold: Sequence[GoldParticipant]) -> Counts:
    return _inner(pred, gold, lambda p, g: person_score(p.name, g.all_names))


def _parties(pred: Sequence[str], gold: Sequence[Sequence[str]]) -> Counts:
    return _inner(pred, gold, party_score)


def _commitments(pred: Sequence[str], gold: Sequence[str]) -> Counts:
    return _inner(pred, gold, _commitment_score)


def _dice(counts: Counts) -> float | None:
    total = 2 * counts.tp + counts.fp + counts.fn
    return None if total == 0 else 2 * counts.tp / total


def _component(pred: str | None, gold: str | None, country: bool) -> bool:
    if not pred:
        return True
    if not gold:
        return False
    if country:
        pred, gold = canonical_country(pred) or pred, canonical_country(gold) or gold
    p, g = name_key(pred), name_key(gold)
    if p == g or f" {p} " in f" {g} " or f" {g} " in f" {p} ":
        return True
    return not country and fuzz.ratio(p, g) >= PLACE_FUZZY


def _stated(loc: Location | GoldLocation) -> bool:
    return bool(loc.venue or loc.city or loc.country)


def location_matches(pred: Location, gold: GoldLocation) -> bool:
    """Every stated predicted component matches the gold one (fuzzy ≥ 85 or containment; countries
    canonical), and at least one component is stated."""
    return (
        _stated(pred)
        and _component(pred.venue, gold.venue, False)
        and _component(pred.city, gold.city, False)
        and _component(pred.country, gold.country, True)
    )


# --- object similarity ----------------------------------------------------------------------------


def _rescale(score: float, floor: float) -> float:
    return max(0.0, (score - floor) / (100.0 - floor))


def _evidence_sim(pred: Sequence[Evidence], gold: Sequence[str]) -> float | None:
    if not pred or not gold:
        return None if not pred and not gold else 0.0
    return max(_quote_sim(_text(p.quote), _text(g)) for p in pred for g in gold)


def _quote_sim(a: str, b: str) -> float:
    """partial_ratio rescaled 50 → 0; damped for quotes under 40 characters, which match anywhere."""
    short = min(len(a), len(b))
    return _rescale(fuzz.partial_ratio(a, b, score_cutoff=50.0), 50.0) * min(1.0, short / 40)


def _text_sim(pred: str, gold: Sequence[str]) -> float:
    return _rescale(max(fuzz.token_set_ratio(_text(pred), _text(g)) for g in gold), 40.0)


def _date_sim(pred: str | None, options: Sequence[str | None]) -> float | None:
    values = [v for v in options if v]
    if pred is None:
        return None if None in options or not values else 0.5
    if not values:
        return 0.5
    return 1.0 if any(compatible(pred, v) for v in values) else 0.0


def _combine(
    identity: dict[str, float | None], weights: dict[str, float], context: list[float | None]
) -> float:
    """Weighted identity mean times the context factor (see module docstring)."""
    used = {k: v for k, v in identity.items() if v is not None}
    total = sum(weights[k] for k in used)
    core = 0.0 if total == 0 else sum(weights[k] * v for k, v in used.items()) / total
    known = [c for c in context if c is not None]
    return core * (0.5 + 0.5 * sum(known) / len(known) if known else 1.0)


def meeting_similarity(pred: Meeting, gold: GoldMeeting) -> float:
    """Weighted similarity of a predicted and a gold meeting (see module docstring)."""
    return _combine(
        {
            "evidence": _evidence_sim(pred.evidence, gold.evidence),
            "title": _text_sim(pred.title, [gold.title, *gold.title_alternatives]),
            "participants": _dice(_people(pred.participants, gold.participants)),
        },
        MEETING_WEIGHTS,
        [_date_sim(pred.date, gold.dates), _dice(_parties(pred.parties, gold.parties))],
    )


def agreement_similarity(pred: Agreement, gold: GoldAgreement) -> float:
    """Weighted similarity of a predicted and a gold agreement (see module docstring)."""
    return _combine(
        {
            "evidence": _evidence_sim(pred.evidence, gold.evidence),
            "summary": _text_sim(pred.summary, [gold.summary]),
            "commitments": _dice(_commitments([c.action for c in pred.commitments], gold.commitments)),
        },
        AGREEMENT_WEIGHTS,
        [_date_sim(pred.date, gold.dates), _dice(_parties(pred.parties, gold.parties))],
    )


def align(
    pred: Sequence[P], gold: Sequence[G], sim: Callable[[P, G], float], threshold: float = 0.35
) -> Alignment:
    """Optimal one-to-one matching maximising similarity; pairs under ``threshold`` stay unmatched.

    A prediction matched to an optional gold item is ``optional_match`` (neither TP nor FP); an
    unmatched optional gold item is not a FN and is not recorded.
    """
    matrix = np.array([[sim(p, g) for g in gold] for p in pred], dtype=float).reshape(len(pred), len(gold))
    usable = np.where(matrix >= threshold, matrix, 0.0)
    rows, cols = linear_sum_assignment(usable, maximize=True)
    match = {int(r): int(c) for r, c in zip(rows, cols, strict=True) if usable[r, c] > 0}
    decisions: list[Decision] = []
    for i in range(len(pred)):
        j = match.get(i)
        if j is None:
            best = float(matrix[i].max()) if len(gold) else 0.0
            decisions.append(Decision(i, None, best, "fp"))
        else:
            outcome: Outcome = "optional_match" if gold[j].optional else "tp"
            decisions.append(Decision(i, gold[j].id, float(matrix[i, j]), outcome))
    taken = set(match.values())
    for j, item in enumerate(gold):
        if j not in taken and not item.optional:
            best = float(matrix[:, j].max()) if len(pred) else 0.0
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
    options = [o for o in [gold.location, *gold.location_alternatives] if o and _stated(o)]
    required = gold.location is not None and _stated(gold.location)
    return _judge(pred if pred and _stated(pred) else None, options, required, location_matches)


def _enum(pred: Enum, gold: Enum, others: Sequence[Enum], confusion: Matrices, name: str) -> Counts:
    """Exact match against the value or its alternatives; counts ``confusion[name][gold][pred]``."""
    row = confusion.setdefault(name, {}).setdefault(str(gold.value), {})
    row[str(pred.value)] = row.get(str(pred.value), 0) + 1
    return Counts(tp=1) if pred in (gold, *others) else Counts(fp=1, fn=1)


def _meeting_fields(pred: Meeting, gold: GoldMeeting, confusion: Matrices) -> dict[str, Counts]:
    return {
        "participants": _people(pred.participants, gold.participants),
        "parties": _parties(pred.parties, gold.parties),
        "date_strict": _date(pred.date, gold.dates, str.__eq__),
        "date_lenient": _date(pred.date, gold.dates, compatible),
        "location": _location(pred.location, gold),
        "status": _enum(pred.status, gold.status, gold.status_alternatives, confusion, "status"),
        "channel": _enum(pred.channel, gold.channel, gold.channel_alternatives, confusion, "channel"),
    }


def _agreement_fields(pred: Agreement, gold: GoldAgreement, confusion: Matrices) -> dict[str, Counts]:
    return {
        "parties": _parties(pred.parties, gold.parties),
        "signatories": _people(pred.signatories, gold.signatories),
        "commitments": _commitments([c.action for c in pred.commitments], gold.commitments),
        "date_strict": _date(pred.date, gold.dates, str.__eq__),
        "date_lenient": _date(pred.date, gold.dates, compatible),
        "kind": _enum(pred.kind, gold.kind, gold.kind_alternatives, confusion, "kind"),
        "status": _enum(pred.status, gold.status, gold.status_alternatives, confusion, "status"),
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


def _fill(
    score: ArticleScore,
    kind: str,
    pred: Sequence[R],
    gold: Sequence[G],
    sim: Callable[[R, G], float],
    scorer: Callable[[R, G, Matrices], dict[str, Counts]],
    text: str,
) -> None:
    """Align one record type and store its object counts, field counts and confusion matrices."""
    alignment = align(pred, gold, sim)
    by_id = {g.id: g for g in gold}
    fields = dict.fromkeys(MEETING_FIELDS if kind == "meetings" else AGREEMENT_FIELDS, Counts())
    confusion: Matrices = {}
    for i, gid in alignment.pairs():
        for name, counts in scorer(pred[i], by_id[gid], confusion).items():
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
    _fill(score, "meetings", pred.meetings, gold.meetings, meeting_similarity, _meeting_fields, text)
    _fill(
        score, "agreements", pred.agreements, gold.agreements, agreement_similarity, _agreement_fields, text
    )
    return score
