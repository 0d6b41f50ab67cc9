"""Similarity matrices: every (predicted, gold) record pair of one article at once.

:class:`Similarities` holds them; its exact values are bit-for-bit those of
:func:`.similarity.meeting_similarity` and :func:`.similarity.agreement_similarity`
per pair, computed in bulk:

- text pairs once per distinct unordered pair: the scorers are symmetric, and a
  predicted text copied from the gold (a quote, a commitment) meets the same gold
  texts as the gold record it copies. Summaries, titles and commitments go through
  one ``rapidfuzz.process.cdist`` call (float64: the values of one call per pair);
  quotes through :meth:`.similarity.Memo.quote_ratio`;
- set counts (participants, parties) and dates once per distinct pair of lists;
- the combination as array arithmetic in the scalar formula's order of operations.
  An uninformed component adds exactly 0.0 to both the weighted sum and the total
  weight, which leaves them as the scalar sums over the informed ones.

Quote pairs cost most (``partial_ratio`` tries every window), and alignment needs few of
them: a pair under the threshold only counts when it is the best of an unmatched record.
So the evidence component starts as an upper bound (:func:`_quote_bound`, from the
longest common subsequence, cheap) and :meth:`Similarities.resolve` computes it exactly
where alignment asks. Every operation from the component values to the similarity is
monotonic, so a bound on evidence bounds the similarity. Articles with few pairs
(:data:`SMALL`) are scored pair by pair, exactly, which costs less than the arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from summarizer.evaluation.gold import GoldAgreement, GoldMeeting
from summarizer.evaluation.matchers import COMMITMENT_MIN, dice, match_count, norm_text
from summarizer.evaluation.similarity import (
    AGREEMENT_WEIGHTS,
    MEETING_WEIGHTS,
    QUOTE_FLOOR,
    QUOTE_FULL,
    TEXT_FLOOR,
    GoldView,
    Memo,
    PredView,
    agreement_sim,
    combine,
    date_sim,
    evidence_sim,
    gold_view,
    meeting_sim,
    pred_view,
)
from summarizer.schemas import Agreement, Meeting

__all__ = ["SMALL", "Similarities", "agreement_similarities", "meeting_similarities"]

SMALL = 40  # pairs: up to this many, score pair by pair (measured: 20-80 equally fast)
_DIRECT_MAX = 4  # text pairs: up to this many, direct scorer calls cost less than one cdist call
_TRIANGLE_MIN = 3  # shared texts: from this many, score them against each other in a triangle
_CELLWISE_MAX = 4  # cells refined: up to this many, combine them one by one
_BOUND_MARGIN = 1e-6  # added to a ratio bound, far above the rounding of rapidfuzz's ratio

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]
Component = tuple[Array, Mask]  # values (0.0 where uninformed), informed
K = TypeVar("K", bound=Hashable)
L = TypeVar("L", bound=Hashable)


class Similarities:
    """Similarities of one article's (predicted, gold) record pairs, ``len(pred) × len(gold)``:
    :attr:`values` are exact where :attr:`exact`, upper bounds elsewhere."""

    def __init__(self, values: Array, exact: Mask, refine: Callable[[Mask], Array] | None = None) -> None:
        self.values = values
        self.exact = exact
        self._refine = refine  # exact values, at least where the mask is set

    @classmethod
    def known(cls, values: Array) -> Similarities:
        """Exact values throughout."""
        return cls(values, np.ones(values.shape, dtype=bool))

    def resolve(self, cells: Mask) -> None:
        """Make these cells exact."""
        todo = cells & ~self.exact
        if todo.any():
            assert self._refine is not None, "bounds without a way to refine them"
            self.values = np.where(todo, self._refine(todo), self.values)
            self.exact = self.exact | todo

    def masked(self, keep: Mask) -> Similarities:
        """These similarities with every cell outside ``keep`` set to an exact 0 (a pair that may
        not match, e.g. under the strict rule)."""
        refine = self._refine
        return Similarities(np.where(keep, self.values, 0.0), self.exact | ~keep, refine)

    def row_max(self, i: int) -> float:
        """The exact best similarity of prediction ``i`` (see :meth:`_line_max`)."""
        line = np.zeros(self.values.shape, dtype=bool)
        line[i, :] = True
        return self._line_max(line)

    def col_max(self, j: int) -> float:
        """The exact best similarity of gold item ``j`` (see :meth:`_line_max`)."""
        line = np.zeros(self.values.shape, dtype=bool)
        line[:, j] = True
        return self._line_max(line)

    def _line_max(self, line: Mask) -> float:
        """The exact maximum over some cells, resolving only those whose bound exceeds the best exact
        value found so far, highest bound first."""
        while True:
            exact = line & self.exact
            best = float(self.values[exact].max()) if exact.any() else -np.inf
            open_ = line & ~self.exact & (self.values > best)
            if not open_.any():
                return best
            self.resolve(open_ & (self.values == self.values[open_].max()))


def meeting_similarities(pred: Sequence[Meeting], gold: Sequence[GoldMeeting], memo: Memo) -> Similarities:
    """``meeting_similarity(p, g)`` for every pair (see :class:`Similarities`)."""
    pv, gv = [pred_view(p) for p in pred], [gold_view(g) for g in gold]
    if len(pv) * len(gv) <= SMALL:
        return Similarities.known(_pairwise(pv, gv, lambda p, g: meeting_sim(p, g, memo)))
    weights = MEETING_WEIGHTS
    evidence = _Evidence(pv, gv, memo)
    title = _text([p.text for p in pv], [g.texts for g in gv])
    people = _distinct(
        [p.names for p in pv], [g.names for g in gv], lambda p, g: dice(memo.sets.people(p, g))
    )
    return evidence.similarities(
        [
            (weights["evidence"], evidence.component),
            (weights["title"], title),
            (weights["participants"], people),
        ],
        _context(pv, gv, memo),
    )


def agreement_similarities(
    pred: Sequence[Agreement], gold: Sequence[GoldAgreement], memo: Memo
) -> Similarities:
    """``agreement_similarity(p, g)`` for every pair (see :class:`Similarities`)."""
    pv, gv = [pred_view(p) for p in pred], [gold_view(g) for g in gold]
    if len(pv) * len(gv) <= SMALL:
        return Similarities.known(_pairwise(pv, gv, lambda p, g: agreement_sim(p, g, memo)))
    weights = AGREEMENT_WEIGHTS
    evidence = _Evidence(pv, gv, memo)
    summary = _text([p.text for p in pv], [g.texts for g in gv])
    commitments = _commitments(
        [[norm_text(c) for c in p.commitments] for p in pv],
        [[norm_text(c) for c in g.commitments] for g in gv],
    )
    return evidence.similarities(
        [
            (weights["evidence"], evidence.component),
            (weights["summary"], summary),
            (weights["commitments"], commitments),
        ],
        _context(pv, gv, memo),
    )


def _pairwise(
    pred: list[PredView], gold: list[GoldView], sim: Callable[[PredView, GoldView], float]
) -> Array:
    values = [[sim(p, g) for g in gold] for p in pred]
    return np.array(values, dtype=float).reshape(len(pred), len(gold))


# --- text scores ----------------------------------------------------------------------------------


def _scores(rows: list[str], cols: list[str]) -> Array:
    """``token_set_ratio`` over rows × cols: one ``process.cdist`` call (``cdist(x, x)`` scores the
    triangle only), or direct calls for a few pairs, where cdist's set-up costs more."""
    if len(rows) * len(cols) > _DIRECT_MAX:
        return process.cdist(rows, cols, scorer=fuzz.token_set_ratio, dtype=np.float64)
    values = [[fuzz.token_set_ratio(a, b) for b in cols] for a in rows]
    return np.array(values, dtype=float).reshape(len(rows), len(cols))


def _text_ratios(rows: list[str], cols: list[str]) -> Array:
    """``token_set_ratio(row, col)`` for every pair, each distinct unordered pair once."""
    pred, gold = dict.fromkeys(rows), dict.fromkeys(cols)
    shared = [t for t in pred if t in gold]
    if len(shared) < _TRIANGLE_MIN:
        row_order, col_order = list(pred), list(gold)
        table = _scores(row_order, col_order)
    else:
        pred_only = [t for t in pred if t not in gold]
        gold_only = [t for t in gold if t not in pred]
        row_order, col_order = shared + pred_only, shared + gold_only
        n = len(shared)
        table = np.empty((len(row_order), len(col_order)))
        table[:n, :n] = _scores(shared, shared)
        table[:n, n:] = _scores(shared, gold_only)
        table[n:, :] = _scores(pred_only, col_order)
    row_index = {t: i for i, t in enumerate(row_order)}
    col_index = {t: i for i, t in enumerate(col_order)}
    return _pick(table, [row_index[t] for t in rows], [col_index[t] for t in cols])


def _pick(table: NDArray[Any], rows: list[int], cols: list[int]) -> NDArray[Any]:
    """``table[rows][:, cols]``, skipping an axis already in that order."""
    if rows != list(range(table.shape[0])):
        table = table.take(rows, axis=0)
    if cols != list(range(table.shape[1])):
        table = table.take(cols, axis=1)
    return table


def _starts(sizes: list[int]) -> NDArray[np.intp]:
    return np.cumsum([0, *sizes[:-1]], dtype=np.intp)


def _block_max(table: Array, rows: list[int], cols: list[int]) -> Array:
    """Maximum of each block of consecutive row groups × column groups of these sizes (≥ 1)."""
    if any(n > 1 for n in rows):
        table = np.maximum.reduceat(table, _starts(rows), axis=0)
    if any(n > 1 for n in cols):
        table = np.maximum.reduceat(table, _starts(cols), axis=1)
    return table


def _rescale(score: Array, floor: float) -> Array:
    return np.maximum(0.0, (score - floor) / (100.0 - floor))


# --- components -----------------------------------------------------------------------------------


def _quote_bound(a: list[str], b: list[str]) -> Array:
    """An upper bound of ``partial_ratio`` for every pair of quotes; exact (100) for identical ones.

    partial_ratio is the best ``ratio = 200·LCS(s, w) / (n + |w|)`` of the shorter quote ``s``
    (length ``n``) against a window ``w`` of the other. With ``L`` the longest common subsequence
    of the two whole quotes, ``LCS(s, w) ≤ min(|w|, L)``, and ``200·min(k, L) / (n + k)`` is
    largest at ``k = L``: the bound is ``200·L / (n + L)``, whatever the windows tried."""
    lcs = process.cdist(a, b, scorer=LCSseq.similarity, dtype=np.int64).astype(float)
    short = np.minimum.outer([len(t) for t in a], [len(t) for t in b])
    total = short + lcs
    bound = np.divide(200.0 * lcs, total, out=np.zeros(total.shape), where=total > 0) + _BOUND_MARGIN
    return np.where(np.equal.outer(np.array(a, dtype=object), np.array(b, dtype=object)), 100.0, bound)


class _Evidence:
    """The evidence component of an article's pairs: upper bounds until refined."""

    def __init__(self, pred: list[PredView], gold: list[GoldView], memo: Memo) -> None:
        self.memo = memo
        self.pred, self.gold = [p.quotes for p in pred], [g.quotes for g in gold]
        has_pred, has_gold = [bool(q) for q in self.pred], [bool(q) for q in self.gold]
        informed = np.logical_or.outer(has_pred, has_gold)
        self.exact = ~np.logical_and.outer(has_pred, has_gold)  # no quote pair: 0.0 or uninformed
        values = np.zeros(informed.shape)
        rows, cols = [q for q in self.pred if q], [q for q in self.gold if q]
        if rows and cols:
            a, b = [t for q in rows for t in q], [t for q in cols for t in q]
            short = np.minimum.outer([len(t) for t in a], [len(t) for t in b])
            sims = _rescale(_quote_bound(a, b), QUOTE_FLOOR) * np.minimum(1.0, short / QUOTE_FULL)
            values[np.ix_(has_pred, has_gold)] = _block_max(
                sims, [len(q) for q in rows], [len(q) for q in cols]
            )
        self.component: Component = (values, informed)

    def refine(self, cells: Mask) -> None:
        """Exact evidence similarity for these cells (:func:`.similarity.evidence_sim`)."""
        values = self.component[0]
        for i, j in zip(*np.nonzero(cells & ~self.exact), strict=True):
            value = evidence_sim(self.pred[i], self.gold[j], self.memo)
            assert value is not None  # both records have quotes where a cell is not exact
            values[i, j] = value
        self.exact = self.exact | cells

    def similarities(self, identity: list[tuple[float, Component]], context: list[Component]) -> Similarities:
        """The article's similarities from its components, this one first among ``identity``."""

        def refine(cells: Mask) -> Array:
            self.refine(cells)
            if np.count_nonzero(cells) > _CELLWISE_MAX:
                return _combine(identity, context)
            values = np.zeros(cells.shape)
            for i, j in zip(*np.nonzero(cells), strict=True):
                values[i, j] = _combine_cell(identity, context, i, j)
            return values

        return Similarities(_combine(identity, context), self.exact.copy(), refine)


def _text(pred: list[str], gold: Sequence[Sequence[str]]) -> Component:
    """Best token_set_ratio of each prediction against a gold record's texts, rescaled 40 → 0."""
    ratio = _text_ratios(pred, [t for texts in gold for t in texts])
    best = _block_max(ratio, [1] * len(pred), [len(texts) for texts in gold])
    return _rescale(best, TEXT_FLOOR), np.ones(best.shape, dtype=bool)


def _commitments(pred: list[list[str]], gold: list[list[str]]) -> Component:
    """Dice overlap of the best one-to-one matching of commitments (:func:`.matchers.match_count`)."""
    n_pred, n_gold = [len(c) for c in pred], [len(c) for c in gold]
    total = np.add.outer(n_pred, n_gold)
    matched = np.zeros(total.shape, dtype=np.intp)
    rows, cols = [c for c in pred if c], [c for c in gold if c]
    if rows and cols:
        ratio = _text_ratios([t for c in rows for t in c], [t for c in cols for t in c])
        scores = np.where(ratio >= COMMITMENT_MIN, ratio / 100, 0.0)
        row_sizes, col_sizes = [len(c) for c in rows], [len(c) for c in cols]
        row_at, col_at = _starts(row_sizes).tolist(), _starts(col_sizes).tolist()
        positive = np.add.reduceat(np.add.reduceat(scores > 0, row_at, axis=0, dtype=np.intp), col_at, axis=1)
        block = (positive > 0).astype(np.intp)  # the matching when one side has a single item
        for i, (r, nr) in enumerate(zip(row_at, row_sizes, strict=True)):
            for j, (c, nc) in enumerate(zip(col_at, col_sizes, strict=True)):
                if nr > 1 and nc > 1 and block[i, j]:
                    block[i, j] = match_count(scores[r : r + nr, c : c + nc].tolist())
        matched[np.ix_([n > 0 for n in n_pred], [n > 0 for n in n_gold])] = block
    values = np.divide(2 * matched, total, out=np.zeros(total.shape), where=total > 0)
    return values, total > 0


def _distinct(pred: list[K], gold: list[L], value: Callable[[K, L], float | None]) -> Component:
    """``value(p, g)`` for every pair (``None``: uninformed), once per distinct pair of keys."""
    row_index = {k: i for i, k in enumerate(dict.fromkeys(pred))}
    col_index = {k: i for i, k in enumerate(dict.fromkeys(gold))}
    table = [value(p, g) for p in row_index for g in col_index]
    shape = (len(row_index), len(col_index))
    values = np.array([0.0 if v is None else v for v in table], dtype=float).reshape(shape)
    informed = np.array([v is not None for v in table], dtype=bool).reshape(shape)
    rows, cols = [row_index[k] for k in pred], [col_index[k] for k in gold]
    return _pick(values, rows, cols), _pick(informed, rows, cols)


def _context(pred: list[PredView], gold: list[GoldView], memo: Memo) -> list[Component]:
    """The date and party components."""
    dates = _distinct([p.date for p in pred], [g.dates for g in gold], date_sim)
    parties = _distinct(
        [p.parties for p in pred], [g.parties for g in gold], lambda p, g: dice(memo.sets.parties(p, g))
    )
    return [dates, parties]


def _combine(identity: list[tuple[float, Component]], context: list[Component]) -> Array:
    """:func:`.similarity.combine` for every pair, in its order of operations (module docstring)."""
    shape = identity[0][1][0].shape
    total, weighted = np.zeros(shape), np.zeros(shape)
    for weight, (values, informed) in identity:
        total += weight * informed
        weighted += weight * values
    core = np.divide(weighted, total, out=np.zeros(shape), where=total != 0)
    known, count = np.zeros(shape), np.zeros(shape, dtype=np.intp)
    for values, informed in context:
        known += values
        count += informed
    mean = np.divide(0.5 * known, count, out=np.zeros(shape), where=count > 0)
    date, dated = context[0]
    factor = np.where(count > 0, 0.5 + mean, 1.0)
    return core * np.where(dated & (date == 0.0), 0.5, factor)  # an incompatible date: the floor


def _combine_cell(identity: list[tuple[float, Component]], context: list[Component], i: int, j: int) -> float:
    """One pair's similarity from the component arrays, by :func:`.similarity.combine` itself."""
    return combine(
        {str(k): float(v[i, j]) if m[i, j] else None for k, (_, (v, m)) in enumerate(identity)},
        {str(k): weight for k, (weight, _) in enumerate(identity)},
        [float(v[i, j]) if m[i, j] else None for v, m in context],
    )
