"""``summarizer export RESULTS.jsonl --csv DIR | --parquet DIR | --sqlite FILE``: tables for analysts;
``summarizer export EVENTS.jsonl --plover FILE``: PLOVER JSON records of events.

RESULTS is a batch results file (``summarizer batch``); the latest line per article counts.
EVENTS is an events file (``summarizer events``); ``--plover -`` writes to stdout.
The tables (articles, meetings, agreements, participants, evidence) are described in
:mod:`summarizer.views.tables`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from summarizer.cli._common import errors, fail, is_stdout, output_option, write_output

__all__ = ["register"]


def export(
    results: Annotated[Path, typer.Argument(help="Batch results file (JSONL) from `summarizer batch`.")],
    csv_dir: Annotated[
        Optional[Path], typer.Option("--csv", metavar="DIR", help="Write one CSV file per table here.")
    ] = None,
    parquet_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--parquet", metavar="DIR", help="Write one Parquet file per table here (needs pyarrow)."
        ),
    ] = None,
    sqlite_file: Annotated[
        Optional[Path],
        typer.Option("--sqlite", metavar="FILE", help="Write a SQLite database (replaced if it exists)."),
    ] = None,
    plover: Annotated[
        Optional[Path],
        output_option("--plover", help="RESULTS is an events file: write its PLOVER JSON records here."),
    ] = None,
) -> None:
    """Export batch results as tables (articles, meetings, agreements, participants, evidence), or
    an events file as PLOVER records."""
    from summarizer.views.exports import write_csv, write_parquet, write_sqlite
    from summarizer.views.tables import read_results, result_tables

    if plover is not None:
        _plover(results, plover)
        return
    if csv_dir is None and parquet_dir is None and sqlite_file is None:
        raise fail("say where to export: --csv DIR, --parquet DIR, --sqlite FILE or --plover FILE", 2)
    with errors():
        found = read_results(results)
        tables = result_tables(found)
        targets = []
        if csv_dir is not None:
            write_csv(tables, csv_dir)
            targets.append(f"{csv_dir}/*.csv")
        if parquet_dir is not None:
            write_parquet(tables, parquet_dir)
            targets.append(f"{parquet_dir}/*.parquet")
        if sqlite_file is not None:
            write_sqlite(tables, sqlite_file)
            targets.append(str(sqlite_file))
    ok = sum(1 for r in found if r.status == "ok")
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in tables.items() if name != "articles")
    typer.echo(
        f"export: {len(found)} article(s) ({ok} ok, {len(found) - ok} failed): {counts} -> {', '.join(targets)}"
    )


def _plover(events_file: Path, out: Path) -> None:
    import json

    from summarizer.events import plover_records, read_events

    with errors():
        events = read_events(events_file)
        records = plover_records(events)
    write_output(out, json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    if not is_stdout(out):
        typer.echo(f"export: {len(records)} PLOVER record(s) of {len(events)} event(s) -> {out}")


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""
    app.command("export")(export)
