"""Precision, recall and F1 over articles: micro, macro, bootstrap CIs, paired comparison.

Conventions of :func:`prf` (also used for every resample):

- precision = tp / (tp + fp), and 1.0 when nothing was predicted (nothing invented);
- recall = tp / (tp + fn), and 1.0 when there is no gold (nothing to find);
- F1 = 2·tp / (2·tp + fp + fn), and 1.0 when all three counts are 0.

So no predictions and no gold → P = R = F1 = 1; predictions but no gold → P = 0,
R = 1, F1 = 0; gold but no predictions → P = 1, R = 0, F1 = 0.

Micro sums the counts over articles. Macro is the mean of per-article values over
the articles where the quantity is *defined*: where ``tp + fp + fn > 0`` (gold or
predictions exist for it). Articles with nothing on either side are left out, so
that empty articles do not pile up perfect scores.

Bootstrap confidence intervals resample articles with replacement and recompute
micro scores from summed count arrays (one matrix product per chunk of resamples).
The ``evidence`` metric counts located (tp) and unlocated (fp) predicted quotes;
it is reported as a grounding ``rate`` (its precision).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from summarizer.evaluation.align import ArticleScore

__all__ = [
    "HEADLINE_FIELDS",
    "bootstrap",
    "compare",
    "count_table",
    "headline",
    "macro",
    "micro",
    "prf",
    "summarize",
]

Key = tuple[str, str]  # (record type, "object" or field name)
Array = NDArray[np.float64]
TYPES = ("meetings", "agreements")
HEADLINE_FIELDS = {
    "meetings": ("participants", "parties", "date_strict", "date_lenient", "location", "status", "channel"),
    "agreements": ("parties", "commitments", "date_lenient", "kind", "status"),
}
_CHUNK = 100


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """(precision, recall, F1) with the conventions in the module docstring."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return precision, recall, f1


def _prf_arrays(counts: Array) -> tuple[Array, Array, Array]:
    """Vectorised :func:`prf` over the last axis (tp, fp, fn)."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), 1.0)
        r = np.where(tp + fn > 0, tp / (tp + fn), 1.0)
        f = np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 1.0)
    return p, r, f


def _keys(score: ArticleScore) -> list[Key]:
    keys = [(t, "object") for t in score.objects]
    keys += [(t, f) for t, fields in score.fields.items() for f in fields]
    return keys


def count_table(scores: Sequence[ArticleScore], keys: Sequence[Key] | None = None) -> tuple[list[Key], Array]:
    """Metric keys (all seen, or ``keys``) and an (articles, keys, 3) array of (tp, fp, fn)."""
    if keys is None:
        keys = list(dict.fromkeys(k for score in scores for k in _keys(score)))
    keys = list(keys)
    index = {key: 3 * i for i, key in enumerate(keys)}
    width = 3 * len(keys)
    rows = []
    for score in scores:
        row = [0] * width
        for t, c in score.objects.items():
            at = index.get((t, "object"))
            if at is not None:
                row[at], row[at + 1], row[at + 2] = c.tp, c.fp, c.fn
        for t, fs in score.fields.items():
            for f, c in fs.items():
                at = index.get((t, f))
                if at is not None:
                    row[at], row[at + 1], row[at + 2] = c.tp, c.fp, c.fn
        rows.append(row)
    table = np.array(rows, dtype=np.float64).reshape(len(scores), len(keys), 3)
    return keys, table


def micro(table: Array) -> tuple[Array, Array, Array]:
    """Micro precision, recall and F1 per key of a :func:`count_table` array."""
    return _prf_arrays(table.sum(axis=0))


def macro(table: Array) -> tuple[Array, Array, Array, NDArray[np.int64]]:
    """Mean per-article precision, recall, F1 over defined articles (NaN if none), and their number."""
    p, r, f = _prf_arrays(table)
    defined = table.sum(axis=2) > 0
    n = defined.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = [np.where(n > 0, (x * defined).sum(axis=0) / n, np.nan) for x in (p, r, f)]
    return means[0], means[1], means[2], n.astype(np.int64)


def _resampled_sums(table: Array, n_boot: int, seed: int) -> Array:
    """(n_boot, keys, 3) count sums over articles resampled with replacement."""
    n = table.shape[0]
    flat = table.reshape(n, -1)
    rng = np.random.default_rng(seed)
    out = np.empty((n_boot, flat.shape[1]))
    for start in range(0, n_boot, _CHUNK):
        size = min(_CHUNK, n_boot - start)
        idx = rng.integers(0, n, size=(size, n)) + np.arange(size)[:, None] * n
        weights = np.bincount(idx.ravel(), minlength=size * n).reshape(size, n).astype(np.float64)
        # einsum without optimize stays single-threaded: multi-threaded BLAS stalls on busy CI machines
        out[start : start + size] = np.einsum("bn,nk->bk", weights, flat)
    return out.reshape(n_boot, *table.shape[1:])


def bootstrap(table: Array, n_boot: int = 1000, seed: int = 0) -> dict[str, Array]:
    """95% percentile CIs of micro precision/recall/F1: each value is a (2, keys) array (low, high)."""
    if table.shape[0] == 0:
        return {m: np.ones((2, table.shape[1])) for m in ("precision", "recall", "f1")}
    sums = _resampled_sums(table, n_boot, seed)
    p, r, f = _prf_arrays(sums)
    return {m: np.percentile(x, [2.5, 97.5], axis=0) for m, x in (("precision", p), ("recall", r), ("f1", f))}


def _measure(key: Key, counts: Array) -> Array:
    """The compared value: F1, or the grounding rate (precision) for evidence."""
    p, _, f = _prf_arrays(counts)
    return p if key[1] == "evidence" else f


def compare(
    a: Sequence[ArticleScore], b: Sequence[ArticleScore], n_boot: int = 1000, seed: int = 0
) -> dict[str, dict[str, dict[str, Any]]]:
    """Paired bootstrap of run B against run A over the same articles.

    Returns ``{type: {metric: {...}}}`` ("object", field names, "evidence"); per metric: the
    ``measure`` (F1, or the grounding rate for evidence), ``a``, ``b``, ``delta`` (B − A), the 95%
    ``ci`` of delta, and ``p_value`` = twice the share of resamples whose delta has the opposite
    sign to the observed one (or is 0), capped at 1; 1.0 when the observed delta is 0.
    """
    by_name = {s.article: s for s in b}
    if len(by_name) != len(b) or sorted(by_name) != sorted(s.article for s in a):
        raise ValueError("paired comparison needs the same articles in both runs")
    ordered_b = [by_name[s.article] for s in a]
    keys = list(dict.fromkeys(k for score in [*a, *ordered_b] for k in _keys(score)))
    _, table_a = count_table(a, keys)
    _, table_b = count_table(ordered_b, keys)
    both = np.concatenate([table_a, table_b], axis=1)
    sums = _resampled_sums(both, n_boot, seed) if len(a) else np.zeros((1, *both.shape[1:]))
    k = len(keys)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    full_a, full_b = table_a.sum(axis=0), table_b.sum(axis=0)
    for i, key in enumerate(keys):
        va = float(_measure(key, full_a[i]))
        vb = float(_measure(key, full_b[i]))
        deltas = _measure(key, sums[:, k + i]) - _measure(key, sums[:, i])
        delta = vb - va
        if delta == 0:
            p_value = 1.0
        else:
            flipped = deltas <= 0 if delta > 0 else deltas >= 0
            p_value = min(1.0, 2 * float(flipped.mean()))
        low, high = np.percentile(deltas, [2.5, 97.5])
        out.setdefault(key[0], {})[key[1]] = {
            "measure": "rate" if key[1] == "evidence" else "f1",
            "a": va,
            "b": vb,
            "delta": delta,
            "ci": [float(low), float(high)],
            "p_value": p_value,
        }
    return out


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _merge_confusion(scores: Sequence[ArticleScore]) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
    out: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    for score in scores:
        for kind, matrices in score.confusion.items():
            for name, rows in matrices.items():
                merged = out.setdefault(kind, {}).setdefault(name, {})
                for gold_value, preds in rows.items():
                    row = merged.setdefault(gold_value, {})
                    for pred_value, count in preds.items():
                        row[pred_value] = row.get(pred_value, 0) + count
    return out


def summarize(scores: Sequence[ArticleScore], n_boot: int = 1000, seed: int = 0) -> dict[str, dict[str, Any]]:
    """Nested report dict: ``{type: {"object": {...}, "fields": {name: {...}}, "evidence": {...},
    "confusion": {...}, "articles": n}}``; entries hold counts, micro P/R/F1, ``ci`` and ``macro``."""
    keys, table = count_table(scores)
    totals = table.sum(axis=0)
    mp, mr, mf = micro(table)
    ap, ar, af, an = macro(table)
    ci = bootstrap(table, n_boot, seed)
    confusion = _merge_confusion(scores)
    out: dict[str, dict[str, Any]] = {}
    for i, (kind, name) in enumerate(keys):
        tp, fp, fn = (int(x) for x in totals[i])
        section = out.setdefault(
            kind,
            {
                "object": {},
                "fields": {},
                "evidence": {},
                "confusion": confusion.get(kind, {}),
                "articles": len(scores),
            },
        )
        if name == "evidence":
            section["evidence"] = {
                "located": tp,
                "total": tp + fp,
                "rate": float(mp[i]),
                "ci": [float(ci["precision"][0, i]), float(ci["precision"][1, i])],
                "macro": {"rate": _num(ap[i]), "articles": int(an[i])},
            }
            continue
        entry = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": float(mp[i]),
            "recall": float(mr[i]),
            "f1": float(mf[i]),
            "ci": {m: [float(ci[m][0, i]), float(ci[m][1, i])] for m in ("precision", "recall", "f1")},
            "macro": {
                "precision": _num(ap[i]),
                "recall": _num(ar[i]),
                "f1": _num(af[i]),
                "articles": int(an[i]),
            },
        }
        if name == "object":
            section["object"] = entry
        else:
            section["fields"][name] = entry
    return out


def headline(summary: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Numbers a CI gate checks: object F1 per type, main fields' F1 and evidence grounding rate."""
    out: dict[str, float] = {}
    for kind in TYPES:
        section = summary.get(kind)
        if not section:
            continue
        if section["object"]:
            out[f"{kind}.object.f1"] = section["object"]["f1"]
        for name in HEADLINE_FIELDS[kind]:
            if name in section["fields"]:
                out[f"{kind}.{name}.f1"] = section["fields"][name]["f1"]
        if section["evidence"]:
            out[f"{kind}.evidence.rate"] = section["evidence"]["rate"]
    return out
