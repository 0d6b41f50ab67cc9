"""Scoring throughput: ``align.score_article`` on synthetic (prediction, gold) pairs, then
``metrics.summarize`` (with its paired bootstrap) over all the scores.

Pairs are built from the 31 gold files: each prediction is the gold turned into output
records (evidence located in the article) and then perturbed at random (seeded): records
dropped, spurious records added, dates, statuses, participants and parties changed.
Building the pairs is not timed.

The printed checksums are SHA-256 prefixes of every per-pair score (``ArticleScore.to_dict``,
similarities included at full float precision) and of the ``summarize`` report: equal checksums
before and after a change to scoring mean identical scores.

Usage: python benchmarks/bench_scoring.py [--pairs 10000] [--dump scores.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from common import ARTICLES, ROOT, write_result

from summarizer.articles.documents import load_document
from summarizer.articles.sentences import split_sentences
from summarizer.evaluation.align import score_article
from summarizer.evaluation.gold import GoldAgreement, GoldFile, GoldMeeting, load_gold_dir
from summarizer.evaluation.metrics import summarize
from summarizer.schemas import Agreement, ArticleSummary, Evidence, Location, Meeting, Participant
from summarizer.text.grounding import locate

TARGET_S = 10.0
NAMES = ["John Smith", "Maria Garcia", "Chen Wei", "Olga Ivanova"]
PARTIES = ["France", "Brazil", "European Union", "OPEC"]


def evidence(quotes: list[str], text: str) -> list[Evidence]:
    out = []
    for quote in quotes:
        span = locate(quote, text)
        if span is not None:
            out.append(Evidence(quote=text[span.start : span.end], start=span.start, end=span.end))
    return out


def random_evidence(text: str, rng: random.Random) -> list[Evidence]:
    s = rng.choice(split_sentences(text))
    return [Evidence(quote=text[s.start : s.end], start=s.start, end=s.end)]


def perturbed_date(value: str | None, rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.3:
        return rng.choice(["2014", "2013-11-02", "1987-03", "2022-05-24"])
    return value


def meeting(gold: GoldMeeting, i: int, text: str, rng: random.Random) -> Meeting:
    people = [
        Participant(name=p.name, title=p.title, country=p.country)
        for p in gold.participants
        if rng.random() > 0.15
    ]
    if rng.random() < 0.2:
        people.append(Participant(name=rng.choice(NAMES)))
    parties = [p[0] for p in gold.parties if rng.random() > 0.1]
    loc = gold.location
    status = gold.status if rng.random() > 0.1 else rng.choice(["held", "planned", "postponed", "cancelled"])
    return Meeting(
        id=f"m{i}",
        title=gold.title if rng.random() > 0.3 else rng.choice([*gold.title_alternatives, "Talks"]),
        status=status,
        channel=gold.channel,
        date=perturbed_date(gold.date, rng),
        location=Location(**loc.model_dump()) if loc is not None and rng.random() > 0.2 else None,
        participants=people,
        parties=parties,
        evidence=evidence(gold.evidence[:1], text) or random_evidence(text, rng),
    )


def agreement(gold: GoldAgreement, i: int, text: str, rng: random.Random) -> Agreement:
    parties = [p[0] for p in gold.parties if rng.random() > 0.1] or [rng.choice(PARTIES)]
    return Agreement(
        id=f"a{i}",
        summary=gold.summary if rng.random() > 0.3 else "They agreed to cooperate.",
        kind=gold.kind,
        status=gold.status,
        parties=parties,
        commitments=[{"action": c} for c in gold.commitments if rng.random() > 0.2],  # type: ignore[misc]
        date=perturbed_date(gold.date, rng),
        evidence=evidence(gold.evidence[:1], text) or random_evidence(text, rng),
    )


def prediction(gold: GoldFile, text: str, rng: random.Random) -> ArticleSummary:
    meetings = [g for g in gold.meetings if rng.random() > 0.15]
    agreements = [g for g in gold.agreements if rng.random() > 0.15]
    m = [meeting(g, i, text, rng) for i, g in enumerate(meetings, 1)]
    a = [agreement(g, i, text, rng) for i, g in enumerate(agreements, 1)]
    if rng.random() < 0.25:  # a spurious record
        m.append(
            Meeting(
                id=f"m{len(m) + 1}",
                title="Unrelated talks",
                status="held",
                participants=[Participant(name=rng.choice(NAMES))],
                evidence=random_evidence(text, rng),
            )
        )
    if rng.random() < 0.25:
        a.append(
            Agreement(
                id=f"a{len(a) + 1}",
                summary="A deal nobody made.",
                status="agreed",
                parties=[rng.choice(PARTIES)],
                evidence=random_evidence(text, rng),
            )
        )
    return ArticleSummary(meetings=m, agreements=a)


def checksum(value: Any) -> str:
    """First 16 hex digits of the SHA-256 of ``value`` as canonical JSON (floats as ``repr``)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dump", help="write every per-pair score as JSON to this file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    golds = load_gold_dir(ROOT / "evals" / "gold")
    texts = {name: load_document(ARTICLES / name).text for name in golds}
    names = sorted(golds)
    pairs: list[tuple[ArticleSummary, GoldFile, str]] = []
    for i in range(args.pairs):
        name = names[i % len(names)]
        pairs.append((prediction(golds[name], texts[name], rng), golds[name], texts[name]))
    n_records = sum(
        len(p.meetings) + len(p.agreements) + len(g.meetings) + len(g.agreements) for p, g, _ in pairs
    )

    t0, c0 = time.perf_counter(), time.process_time()
    scores = [score_article(pred, gold, text) for pred, gold, text in pairs]
    t1 = time.perf_counter()
    report: dict[str, Any] = summarize(scores)
    t2, c2 = time.perf_counter(), time.process_time()
    total, cpu = t2 - t0, c2 - c0
    f1 = report["meetings"]["object"]["f1"], report["agreements"]["object"]["f1"]
    line = (
        f"| {args.pairs:,} | {n_records:,} | {t1 - t0:.2f} | {(t1 - t0) / args.pairs * 1e3:.3f} | {t2 - t1:.2f} "
        f"| **{total:.2f}** | {cpu:.2f} | {'yes' if total < TARGET_S else '**no**'} | {f1[0]:.3f} / {f1[1]:.3f} |"
    )
    per_pair = [s.to_dict() for s in scores]
    sums = f"scores sha256 `{checksum(per_pair)}`, report sha256 `{checksum(report)}`"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(line)
    print(sums)
    print(f"load average {load}")
    if args.dump:
        Path(args.dump).write_text(json.dumps(per_pair, sort_keys=True, indent=1), encoding="utf-8")
    body = f"""
Synthetic pairs from the {len(names)} gold files (seed {args.seed}): each prediction is its gold as output
records, perturbed (records dropped or added, dates, statuses, titles, participants, parties changed).
`score_article` per pair, then one `metrics.summarize` (1,000 bootstrap resamples) over all scores.

| pairs | records (pred + gold) | score_article s | ms / pair | metrics.summarize s | total s | total CPU s | < {TARGET_S:g} s | object F1 meetings / agreements |
|---|---|---|---|---|---|---|---|---|
{line}

Times are wall-clock; "total CPU s" is this process's CPU time over the same span, a steadier
measure when the machine is shared (`< {TARGET_S:g} s` judges the wall-clock total).

Checksums ({sums}): equal before and after a scoring change means identical scores.
"""
    print(
        write_result(
            "scoring",
            "Scoring throughput",
            f"/work/venv/bin/python benchmarks/bench_scoring.py --pairs {args.pairs}",
            body,
        )
    )


if __name__ == "__main__":
    main()
