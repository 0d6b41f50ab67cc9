"""``summarizer events RESULTS.jsonl... -o events.jsonl``: one event per real meeting or agreement.

Reads batch results files (the latest line per article counts), resolves their records into
events (:mod:`summarizer.events.resolve`) and writes one event per line. ``--update`` adds
to the events already in the output file instead of starting afresh: only the new records are
compared, and an article seen before replaces its earlier records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli._common import errors, output_option

__all__ = ["register"]


def events(
    results: Annotated[
        list[Path], typer.Argument(help="Batch results files (JSONL) from `summarizer batch`.")
    ],
    output: Annotated[
        Path, output_option("-o", "--output", help="Events file to write (JSONL).", stdout=False)
    ],
    update: Annotated[
        bool, typer.Option("--update", help="Add to the events already in the output file.")
    ] = False,
) -> None:
    """Resolve the records of many articles into events (one per real meeting or agreement)."""
    from summarizer.events import Resolver, read_events, source_records, write_events
    from summarizer.views.tables import read_results

    with errors():
        earlier = read_events(output) if update and output.exists() else []
        summaries = [
            (found.id, found.summary)
            for path in results
            for found in read_results(path)
            if found.status == "ok" and found.summary is not None
        ]
        records = source_records(summaries)
        resolver = Resolver(earlier)
        resolver.add(records)
        written = write_events(resolver.sorted_events(), output)
    joined = sum(len(e.members) > 1 for e in resolver.events.values())
    typer.echo(
        f"events: {len(records)} record(s) from {len(summaries)} article(s) -> {written} event(s) "
        f"({joined} with more than one report; {len(earlier)} before) -> {output}"
    )


def register(app: typer.Typer) -> None:
    """Add the ``events`` command to ``app``."""
    app.command("events")(events)
