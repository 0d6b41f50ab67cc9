"""Text renderings of summaries: JSON, JSON Lines, YAML, CSV and a Markdown brief."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import yaml

from summarizer.schemas import Agreement, ArticleSummary, Meeting
from summarizer.views.tables import RECORD_COLUMNS, record_rows

__all__ = ["FORMATS", "render", "to_csv", "to_markdown"]

FORMATS = ("json", "jsonl", "markdown", "yaml", "csv")


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "\\|").replace("\n", " ")


def _place(meeting: Meeting) -> str:
    loc = meeting.location
    if loc is None:
        return "—"
    return ", ".join(p for p in (loc.venue, loc.city, loc.country) if p) or "—"


def _when(date: str | None, end: str | None = None) -> str:
    if date is None:
        return "—"
    return f"{date} – {end}" if end else date


def _people(meeting: Meeting) -> str:
    names = []
    for p in meeting.participants:
        extra = ", ".join(x for x in (p.title, p.country or p.organization) if x)
        names.append(f"{p.name} ({extra})" if extra else p.name)
    return "; ".join(names) or "—"


def _agreement(a: Agreement) -> list[str]:
    lines = [f"### {a.id} · {a.summary}", ""]
    meta = [f"**{a.kind.value}**, {a.status.value}", f"parties: {', '.join(a.parties)}"]
    if a.date:
        meta.append(f"date: {a.date}")
    if a.meeting_id:
        meta.append(f"from meeting {a.meeting_id}")
    if a.signatories:
        meta.append("signed by " + ", ".join(s.name for s in a.signatories))
    lines.append(" · ".join(meta))
    if a.commitments:
        lines += ["", "Commitments:"] + [f"- {c.action}" for c in a.commitments]
    lines += [""] + [f"> {e.quote}" for e in a.evidence] + [""]
    return lines


def to_markdown(summary: ArticleSummary) -> str:
    """A readable brief: summary, meetings table, agreements with commitments, quotes."""
    src = summary.source
    lines = [f"# {src.title or src.id or 'Article'}", ""]
    meta = [f"published {src.published}" if src.published else None, src.id]
    if any(meta):
        lines += ["*" + " · ".join(m for m in meta if m) + "*", ""]
    if summary.summary:
        lines += [summary.summary, ""]
    lines += [f"## Meetings ({len(summary.meetings)})", ""]
    if summary.meetings:
        lines += [
            "| id | meeting | status | channel | date | place | participants |",
            "|---|---|---|---|---|---|---|",
        ]
        for m in summary.meetings:
            lines.append(
                f"| {m.id} | {_cell(m.title)} | {m.status.value} | {m.channel.value} | "
                f"{_when(m.date, m.end_date)} | {_cell(_place(m))} | {_cell(_people(m))} |"
            )
        lines += ["", "Evidence:", ""]
        lines += [f"- **{m.id}** “{e.quote}”" for m in summary.meetings for e in m.evidence]
        lines.append("")
    else:
        lines += ["None found.", ""]
    lines += [f"## Agreements ({len(summary.agreements)})", ""]
    for a in summary.agreements:
        lines += _agreement(a)
    if not summary.agreements:
        lines += ["None found.", ""]
    prov = summary.provenance
    if prov is not None:
        cost = f" · ${prov.cost_usd:.4f}" if prov.cost_usd else ""
        lines.append(
            f"<sub>{prov.model} · {prov.usage.total_tokens} tokens · {prov.attempts} request(s){cost}</sub>"
        )
    return "\n".join(lines).rstrip() + "\n"


def to_csv(summaries: Sequence[ArticleSummary]) -> str:
    """One CSV row per meeting or agreement (``record_type``), with the article id and evidence span."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RECORD_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(record_rows(summaries))
    return out.getvalue()


def render(summaries: Sequence[ArticleSummary], fmt: str) -> str:
    """One or many summaries in ``fmt``; several JSON summaries make a JSON array.

    ``jsonl`` is one compact summary per line; ``csv`` one row per meeting or agreement.
    """
    if fmt == "jsonl":
        return "".join(
            json.dumps(s.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"
            for s in summaries
        )
    if fmt == "csv":
        return to_csv(summaries)
    if fmt == "json":
        data = [s.model_dump(mode="json") for s in summaries]
        return json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        docs = [s.model_dump(mode="json") for s in summaries]
        return yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True)
    if fmt == "markdown":
        return "\n---\n\n".join(to_markdown(s) for s in summaries)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
