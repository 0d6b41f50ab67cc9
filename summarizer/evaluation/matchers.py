"""Field matchers of the eval: names, parties, places, commitments and sets of them.

Set matchers (participants, parties, commitments) count a one-to-one matching between
two small sets as :class:`Counts`; :func:`dice` turns those counts into an overlap in
[0, 1]. Scores:

- a person: 1 same key (honorifics stripped), ratio/100 when fuzzy ≥ 85, 0.9 for a
  surname or a name after a title, else 0;
- a party: 1 when the canonical party equals one of the accepted names', ratio/100
  when fuzzy ≥ 90, else 0;
- a commitment: ``token_set_ratio``/100 when ≥ 60, else 0;
- a location: every stated predicted component matches the gold one.

:class:`SetMemo` remembers set counts within one article, whose records repeat their party
lists and names; it lives for one article, so scores stay pure functions of their inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from scipy.optimize import linear_sum_assignment

from summarizer.evaluation.gold import GoldLocation, GoldParticipant
from summarizer.schemas import Location, Participant
from summarizer.text.names import canonical_country, canonical_party, name_key, strip_honorifics

__all__ = [
    "COMMITMENT_MIN",
    "PARTY_FUZZY",
    "PERSON_FUZZY",
    "PLACE_FUZZY",
    "Counts",
    "Names",
    "SetMemo",
    "commitment_score",
    "dice",
    "gold_people_key",
    "location_matches",
    "match_count",
    "matched_counts",
    "norm_text",
    "parties_key",
    "party_score",
    "people_key",
    "person_score",
    "stated",
]

PERSON_FUZZY = 85.0
PARTY_FUZZY = 90.0
PLACE_FUZZY = 85.0
COMMITMENT_MIN = 60.0

X = TypeVar("X")
Y = TypeVar("Y")


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@lru_cache(maxsize=65536)
def _person_key(name: str) -> str:
    return name_key(strip_honorifics(name))


@lru_cache(maxsize=65536)
def _party_key(name: str) -> str:
    return name_key(canonical_party(name))


@lru_cache(maxsize=65536)
def norm_text(value: str) -> str:
    """Text as the fuzzy scorers compare it: rapidfuzz's ``default_process``, spaces collapsed."""
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


def commitment_score(ratio: float) -> float:
    """A commitment pair's score from the ``token_set_ratio`` of their :func:`norm_text`."""
    return ratio / 100 if ratio >= COMMITMENT_MIN else 0.0


def match_count(scores: list[list[float]]) -> int:
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


def matched_counts(scores: list[list[float]], n_pred: int, n_gold: int) -> Counts:
    """Counts of the best one-to-one matching of an ``n_pred × n_gold`` score table."""
    matched = match_count(scores)
    return Counts(matched, n_pred - matched, n_gold - matched)


def _inner(pred: Sequence[X], gold: Sequence[Y], score: Callable[[X, Y], float]) -> Counts:
    """Counts of a one-to-one matching between two small sets."""
    return matched_counts([[score(p, g) for g in gold] for p in pred], len(pred), len(gold))


def dice(counts: Counts) -> float | None:
    """Overlap ``2·tp / (2·tp + fp + fn)``; ``None`` when both sets are empty."""
    total = 2 * counts.tp + counts.fp + counts.fn
    return None if total == 0 else 2 * counts.tp / total


Names = tuple[str, ...]  # a participant's or a party's accepted names


class SetMemo:
    """Participant, party and commitment set counts, remembered for the records of one article
    (they repeat their party lists and names, in several combinations); keyed by plain strings."""

    def __init__(self) -> None:
        self._people: dict[tuple[Names, tuple[Names, ...]], Counts] = {}
        self._parties: dict[tuple[Names, tuple[Names, ...]], Counts] = {}
        self._commitments: dict[tuple[Names, Names], Counts] = {}
        self._person: dict[tuple[str, Names], float] = {}
        self._party: dict[tuple[str, Names], float] = {}

    def people(self, pred: Names, gold: tuple[Names, ...]) -> Counts:
        """Predicted names against gold participants (each a name and its aliases)."""
        key = (pred, gold)
        if key not in self._people:
            self._people[key] = _inner(pred, gold, self._person_score)
        return self._people[key]

    def parties(self, pred: Names, gold: tuple[Names, ...]) -> Counts:
        """Predicted parties against gold parties (each a list of accepted names)."""
        key = (pred, gold)
        if key not in self._parties:
            self._parties[key] = _inner(pred, gold, self._party_score)
        return self._parties[key]

    def _person_score(self, name: str, names: Names) -> float:
        key = (name, names)
        if key not in self._person:
            self._person[key] = person_score(name, names)
        return self._person[key]

    def _party_score(self, party: str, names: Names) -> float:
        key = (party, names)
        if key not in self._party:
            self._party[key] = party_score(party, names)
        return self._party[key]

    def commitments(self, pred: Names, gold: Names) -> Counts:
        """Predicted commitment actions against gold commitments."""
        key = (pred, gold)
        if key not in self._commitments:
            score = lambda p, g: commitment_score(fuzz.token_set_ratio(norm_text(p), norm_text(g)))  # noqa: E731
            self._commitments[key] = _inner(pred, gold, score)
        return self._commitments[key]


def people_key(people: Sequence[Participant]) -> Names:
    return tuple(p.name for p in people)


def gold_people_key(people: Sequence[GoldParticipant]) -> tuple[Names, ...]:
    return tuple(tuple(p.all_names) for p in people)


def parties_key(parties: Sequence[Sequence[str]]) -> tuple[Names, ...]:
    return tuple(tuple(p) for p in parties)


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


def stated(loc: Location | GoldLocation) -> bool:
    """At least one of venue, city, country is given."""
    return bool(loc.venue or loc.city or loc.country)


def location_matches(pred: Location, gold: GoldLocation) -> bool:
    """Every stated predicted component matches the gold one (fuzzy ≥ 85 or containment; countries
    canonical), and at least one component is stated."""
    return (
        stated(pred)
        and _component(pred.venue, gold.venue, False)
        and _component(pred.city, gold.city, False)
        and _component(pred.country, gold.country, True)
    )
