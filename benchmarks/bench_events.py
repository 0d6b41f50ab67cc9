"""Event resolution at scale: synthetic meeting and agreement records, resolved into events.

Synthetic truth: meetings and agreements between pairs (some triples) of 120 countries over
five years; each is reported 1-8 times with the noise real reports have (date given to the
day, the month or not at all, one day off, party names in other languages, places missing,
planned before held, agreed before signed). Building the records is not timed; resolution
(:func:`summarizer.events.resolve`) is, at several sizes, for the growth curve. Pairwise
precision and recall against the synthetic truth are printed as a sanity check (the synthetic
noise is not the real one: the quality numbers that count come from the hand-labelled
cross-article set).

Usage: python benchmarks/bench_events.py [--sizes 1000,10000,100000] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import defaultdict
from datetime import date, timedelta
from itertools import combinations

from common import write_result

from summarizer.events import Event, SourceRecord, resolve
from summarizer.events.model import Place, Quote
from summarizer.text.names import country_code, country_forms

TARGET_S = 60.0
N_COUNTRIES = 120


def countries() -> list[tuple[str, str, list[str]]]:
    import pycountry

    out = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        name = getattr(c, "common_name", None) or c.name
        code = country_code(name)
        if code:
            forms = [f for f in country_forms(name) if country_code(f) == code][:6]
            out.append((code, name, forms or [name]))
    return out[:N_COUNTRIES]


def records(n: int, rng: random.Random) -> tuple[list[SourceRecord], dict[tuple[str, str], int]]:
    """About ``n`` records and the true event of each (article, record)."""
    pool = countries()
    start = date(2020, 1, 1)
    out: list[SourceRecord] = []
    truth: dict[tuple[str, str], int] = {}
    event = 0
    while len(out) < n:
        event += 1
        kind = "meeting" if rng.random() < 0.7 else "agreement"
        sides = rng.sample(pool, 3 if rng.random() < 0.1 else 2)
        day = start + timedelta(days=rng.randrange(5 * 365))
        host = rng.choice(sides)
        channel = "phone" if kind == "meeting" and rng.random() < 0.3 else "in_person"
        topic = rng.choice(["trade", "energy", "security", "fisheries", "visas", "climate", "tariffs"])
        for k in range(rng.randint(1, 8)):
            article = f"e{event}-r{k}"
            published = day + timedelta(days=rng.randint(-20, 10) if k == 0 else rng.randint(0, 40))
            parties = [rng.choice(forms) for _, _, forms in sides]
            roll = rng.random()
            when: str | None = day.isoformat()
            if roll < 0.15:
                when = day.isoformat()[:7]
            elif roll < 0.25:
                when = None
            elif roll < 0.3:
                when = (day + timedelta(days=1)).isoformat()
            if kind == "meeting":
                status = "planned" if published < day else "held"
                title = f"{sides[0][1]}-{sides[1][1]} talks on {topic}"
            else:
                status = "agreed" if published < day + timedelta(days=15) else "signed"
                title = f"{sides[0][1]} and {sides[1][1]} {topic} agreement"
            place = (
                Place(country=host[1])
                if kind == "meeting" and channel == "in_person" and rng.random() < 0.6
                else None
            )
            out.append(
                SourceRecord(
                    kind=kind,
                    article=article,
                    record="m1" if kind == "meeting" else "a1",
                    published=published,
                    title=title,
                    status=status,
                    channel=channel if kind == "meeting" else None,
                    agreement_kind="treaty" if kind == "agreement" else None,
                    date=when,
                    place=place,
                    parties=parties,
                    actors=[code for code, _, _ in sides],
                    evidence=[Quote(quote=title, start=0, end=len(title))],
                )
            )
            truth[(article, out[-1].record)] = event
    return out, truth


def pairwise(events: list[Event], truth: dict[tuple[str, str], int]) -> tuple[float, float]:
    """Pairwise precision and recall of the clusters against the synthetic events."""
    predicted = set()
    for e in events:
        keys = sorted((m.record.article, m.record.record) for m in e.members)
        predicted.update(combinations(keys, 2))
    by_event: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for key, ev in truth.items():
        by_event[ev].append(key)
    gold = {pair for keys in by_event.values() for pair in combinations(sorted(keys), 2)}
    tp = len(predicted & gold)
    return (tp / len(predicted) if predicted else 1.0), (tp / len(gold) if gold else 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        recs, truth = records(size, random.Random(args.seed))
        t0, c0 = time.perf_counter(), time.process_time()
        events = resolve(recs)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        p, r = pairwise(events, truth)
        rows.append(
            f"| {len(recs):,} | {len(set(truth.values())):,} | {len(events):,} | {wall:.2f} | {cpu:.2f} | "
            f"{wall / len(recs) * 1e6:.0f} | {p:.3f} / {r:.3f} | {'yes' if wall < TARGET_S or len(recs) < 100_000 else '**no**'} |"
        )
        print(rows[-1], flush=True)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    body = f"""
Synthetic records (seed {args.seed}; see the module docstring), resolved by `summarizer.events.resolve`.
Target: 100,000 records in under {TARGET_S:g} s. Load average at the end: {load}.

| records | true events | events found | wall s | CPU s | µs / record | pairwise P / R (synthetic) | target |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""
    print(
        write_result(
            "events",
            "Event resolution at scale",
            f".venv/bin/python benchmarks/bench_events.py --sizes {args.sizes}",
            body,
        )
    )


if __name__ == "__main__":
    main()
