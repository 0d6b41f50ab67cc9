"""Scoring event resolution against gold events (``summarizer eval --events``).

Each predicted record that the per-article alignment matched to a gold record takes that gold
record's ``event``; the predicted records of every article are resolved together
(:func:`summarizer.events.resolve`), and the clusters found are compared with the gold events
over those matched records. Records the alignment did not match are left out here: the object
scores count them already. Two measures:

- pairwise: a pair of records in one cluster is a true positive when they share a gold event
  (precision: of the pairs put together, how many belong together);
- B-cubed: per record, the share of its cluster that shares its gold event (precision) and the
  share of its gold event that is in its cluster (recall), averaged over records.

95% CIs come from resampling gold events with replacement (1,000 draws, seeded): each record's
B-cubed values and each pair's outcome, computed once on the full set, are averaged over the
drawn events' records (a pair that joins two gold events counts half for each).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from summarizer.evaluation.gold import GoldAgreement, GoldFile, GoldMeeting
from summarizer.events import Event, SourceRecord, resolve, source_records
from summarizer.schemas import ArticleSummary

__all__ = ["EventScore", "bcubed", "matched_records", "pairwise", "score_events", "splits"]

Item = tuple[str, str]  # (article, record id)


def pairwise(pred: Mapping[Item, str], gold: Mapping[Item, str]) -> tuple[int, int, int]:
    """(tp, fp, fn) record pairs of two clusterings of the same items."""
    items = sorted(gold)
    tp = fp = fn = 0
    for a, b in combinations(items, 2):
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return tp, fp, fn


def bcubed(pred: Mapping[Item, str], gold: Mapping[Item, str]) -> dict[Item, tuple[float, float]]:
    """Per item: (B-cubed precision, recall)."""
    by_pred: dict[str, set[Item]] = defaultdict(set)
    by_gold: dict[str, set[Item]] = defaultdict(set)
    for item in gold:
        by_pred[pred[item]].add(item)
        by_gold[gold[item]].add(item)
    out = {}
    for item in gold:
        cluster, truth = by_pred[pred[item]], by_gold[gold[item]]
        both = len(cluster & truth)
        out[item] = (both / len(cluster), both / len(truth))
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EventScore:
    """Clustering scores over the matched records, with 95% bootstrap CIs."""

    records: int
    gold_events: int
    predicted_events: int
    metrics: dict[str, float] = field(default_factory=dict)
    ci: dict[str, tuple[float, float]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    splits: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "gold_events": self.gold_events,
            "predicted_events": self.predicted_events,
            "metrics": self.metrics,
            "ci": {k: list(v) for k, v in self.ci.items()},
            "splits": self.splits,
        }


def splits(pred: Mapping[Item, str], gold: Mapping[Item, str]) -> dict[str, dict[str, list[str]]]:
    """Gold events whose records are in more than one found event: gold event → found event →
    its records ("article#record"). A timeline shows such an event more than once."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in sorted(gold):
        found[gold[item]][pred[item]].append(f"{item[0]}#{item[1]}")
    return {g: dict(by_pred) for g, by_pred in sorted(found.items()) if len(by_pred) > 1}


def matched_records(
    predictions: Mapping[str, ArticleSummary],
    alignments: Mapping[str, Mapping[str, Sequence[Any]]],
    golds: Mapping[str, GoldFile],
) -> tuple[list[SourceRecord], dict[Item, str]]:
    """Every predicted record, and the gold event of each one the alignment matched to a gold
    record that has an event. ``alignments``: article → {"meetings"|"agreements": decisions}."""
    records = source_records(sorted(predictions.items()))
    events: dict[Item, str] = {}
    for article, summary in predictions.items():
        gold = golds[article]
        by_id: dict[str, GoldMeeting | GoldAgreement] = {g.id: g for g in gold.meetings}
        by_id.update((g.id, g) for g in gold.agreements)
        for kind, preds in (("meetings", summary.meetings), ("agreements", summary.agreements)):
            for decision in alignments.get(article, {}).get(kind, []):
                pred, gold_id, outcome = decision[0], decision[1], decision[3]
                if pred is None or gold_id is None or outcome not in ("tp", "optional_match"):
                    continue
                event = by_id[gold_id].event
                if event is not None:
                    events[(article, preds[pred].id)] = event
    return records, events


def score_events(
    predictions: Mapping[str, ArticleSummary],
    alignments: Mapping[str, Mapping[str, Sequence[Any]]],
    golds: Mapping[str, GoldFile],
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> EventScore:
    """Resolve the predicted records into events and score the clusters (module docstring)."""
    records, gold = matched_records(predictions, alignments, golds)
    events = resolve(records)
    pred = {(m.record.article, m.record.record): e.id for e in events for m in e.members}
    pred = {k: v for k, v in pred.items() if k in gold}
    items = sorted(gold)
    score = EventScore(len(items), len(set(gold.values())), len(set(pred.values())), events=events)
    if not items:
        return score
    score.splits = splits(pred, gold)
    tp, fp, fn = pairwise(pred, gold)
    per_item = bcubed(pred, gold)
    p_pair = tp / (tp + fp) if tp + fp else 1.0
    r_pair = tp / (tp + fn) if tp + fn else 1.0
    b_p = float(np.mean([v[0] for v in per_item.values()]))
    b_r = float(np.mean([v[1] for v in per_item.values()]))
    score.metrics = {
        "pairwise.precision": p_pair,
        "pairwise.recall": r_pair,
        "pairwise.f1": _f1(p_pair, r_pair),
        "bcubed.precision": b_p,
        "bcubed.recall": b_r,
        "bcubed.f1": _f1(b_p, b_r),
        "once": 1 - len(score.splits) / score.gold_events,
    }
    score.ci = _bootstrap(items, pred, gold, per_item, n_boot, seed)
    return score


def _bootstrap(
    items: list[Item],
    pred: Mapping[Item, str],
    gold: Mapping[Item, str],
    per_item: Mapping[Item, tuple[float, float]],
    n_boot: int,
    seed: int,
) -> dict[str, tuple[float, float]]:
    events = sorted(set(gold.values()))
    index = {e: i for i, e in enumerate(events)}
    # per gold event: B-cubed sums, record count, and pair counts (tp, fp, fn; cross pairs half each)
    stats = np.zeros((len(events), 6))
    for item in items:
        row = stats[index[gold[item]]]
        row[0] += per_item[item][0]
        row[1] += per_item[item][1]
        row[2] += 1
    for a, b in combinations(items, 2):
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        col = 3 if same_pred and same_gold else 4 if same_pred else 5 if same_gold else None
        if col is not None:
            stats[index[gold[a]], col] += 0.5
            stats[index[gold[b]], col] += 0.5
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(events), size=(n_boot, len(events)))
    sums = stats[draws].sum(axis=1)  # (n_boot, 6)
    with np.errstate(divide="ignore", invalid="ignore"):
        b_p, b_r = sums[:, 0] / sums[:, 2], sums[:, 1] / sums[:, 2]
        p = np.where(sums[:, 3] + sums[:, 4] > 0, sums[:, 3] / (sums[:, 3] + sums[:, 4]), 1.0)
        r = np.where(sums[:, 3] + sums[:, 5] > 0, sums[:, 3] / (sums[:, 3] + sums[:, 5]), 1.0)
        values = {
            "pairwise.precision": p,
            "pairwise.recall": r,
            "pairwise.f1": np.where(p + r > 0, 2 * p * r / (p + r), 0.0),
            "bcubed.precision": b_p,
            "bcubed.recall": b_r,
            "bcubed.f1": np.where(b_p + b_r > 0, 2 * b_p * b_r / (b_p + b_r), 0.0),
        }
    return {k: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) for k, v in values.items()}
