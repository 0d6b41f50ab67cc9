"""Flat tables of summaries: articles, meetings, agreements, participants and evidence spans.

Pure row building (dicts of plain values), shared by the ``csv`` text format
(:mod:`summarizer.views.text`), the pandas frames (:mod:`summarizer.views.frames`) and
``summarizer export`` (:mod:`summarizer.views.exports`). Every record row carries its
article's id (``article``) and its first evidence span (``evidence_start``, ``evidence_end``,
``evidence_quote``); the ``evidence`` table has every span of every record.

:func:`read_results` reads a batch results file (``summarizer batch``): the latest line per
article id counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.schemas import Agreement, ArticleSummary, Evidence, Meeting, Participant

__all__ = [
    "RECORD_COLUMNS",
    "TABLES",
    "BatchResult",
    "Row",
    "Table",
    "keyed",
    "read_results",
    "record_rows",
    "result_tables",
    "summary_tables",
]

Row = dict[str, Any]
_T, _I, _R = "TEXT", "INTEGER", "REAL"


@dataclass(frozen=True)
class Table:
    """A table's columns as ``(name, SQL type)``, its primary key and its foreign keys."""

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    # (columns here, table there, columns there)
    references: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]


_SQL = {"": _T, "i": _I, "r": _R}


def _columns(spec: str) -> tuple[tuple[str, str], ...]:
    """``"name name:i name:r"`` → ``(name, TEXT), (name, INTEGER), (name, REAL)``."""
    return tuple((word.partition(":")[0], _SQL[word.partition(":")[2]]) for word in spec.split())


_EVIDENCE = "evidence_start:i evidence_end:i evidence_quote"
_TO_ARTICLE = ((("article",), "articles", ("id",)),)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "articles",
            _columns(
                "id status error error_type title published url content_hash summary"
                " n_meetings:i n_agreements:i model total_tokens:i cost_usd:r"
            ),
            key=("id",),
        ),
        Table(
            "meetings",
            _columns(
                "article article_title meeting_id title status channel date end_date venue city country"
                f" participants n_participants:i parties topics {_EVIDENCE} evidence n_evidence:i"
            ),
            key=("article", "meeting_id"),
            references=_TO_ARTICLE,
        ),
        Table(
            "agreements",
            _columns(
                "article article_title agreement_id summary kind status date meeting_id parties"
                f" signatories commitments n_commitments:i {_EVIDENCE} evidence n_evidence:i"
            ),
            key=("article", "agreement_id"),
            references=(*_TO_ARTICLE, (("article", "meeting_id"), "meetings", ("article", "meeting_id"))),
        ),
        Table(
            "participants",
            _columns(
                "article article_title record_type record_id position:i role date name title"
                f" organization country {_EVIDENCE}"
            ),
            key=("article", "record_type", "record_id", "position"),
            references=_TO_ARTICLE,
        ),
        Table(
            "evidence",
            _columns("article record_type record_id position:i start:i end:i quote match"),
            key=("article", "record_type", "record_id", "position"),
            references=_TO_ARTICLE,
        ),
    )
}

# ``summarize -f csv``: one row per meeting or agreement.
RECORD_COLUMNS = tuple(
    name
    for name, _ in _columns(
        "article article_title record_type record_id title summary status channel kind date end_date venue"
        " city country meeting_id participants parties topics commitments evidence_start evidence_end"
        " evidence_quote n_evidence"
    )
)


@dataclass(frozen=True)
class BatchResult:
    """The latest line of one article in a batch results file."""

    id: str
    status: str
    summary: ArticleSummary | None = None
    error: str | None = None
    error_type: str | None = None
    content_hash: str | None = None


def keyed(
    summaries: ArticleSummary | Iterable[ArticleSummary] | Mapping[str, ArticleSummary],
) -> list[tuple[str, ArticleSummary]]:
    """(article id, summary) pairs: a mapping's keys, else the source id (or the position)."""
    if isinstance(summaries, ArticleSummary):
        summaries = [summaries]
    if isinstance(summaries, Mapping):
        return [(str(k), v) for k, v in summaries.items()]
    return [(s.source.id or str(i), s) for i, s in enumerate(summaries)]


def _join(values: Iterable[str | None]) -> str:
    return "; ".join(v for v in values if v)


def _first(evidence: list[Evidence]) -> Row:
    first = evidence[0] if evidence else None
    return {
        "evidence_start": first.start if first else None,
        "evidence_end": first.end if first else None,
        "evidence_quote": first.quote if first else None,
    }


def _meeting(article: str, s: ArticleSummary, m: Meeting) -> Row:
    loc = m.location
    return {
        "article": article,
        "article_title": s.source.title,
        "meeting_id": m.id,
        "title": m.title,
        "status": m.status.value,
        "channel": m.channel.value,
        "date": m.date,
        "end_date": m.end_date,
        "venue": loc.venue if loc else None,
        "city": loc.city if loc else None,
        "country": loc.country if loc else None,
        "participants": _join(p.name for p in m.participants),
        "n_participants": len(m.participants),
        "parties": _join(m.parties),
        "topics": _join(m.topics),
        **_first(m.evidence),
        "evidence": " … ".join(e.quote for e in m.evidence),
        "n_evidence": len(m.evidence),
    }


def _agreement(article: str, s: ArticleSummary, a: Agreement) -> Row:
    return {
        "article": article,
        "article_title": s.source.title,
        "agreement_id": a.id,
        "summary": a.summary,
        "kind": a.kind.value,
        "status": a.status.value,
        "date": a.date,
        "meeting_id": a.meeting_id,
        "parties": _join(a.parties),
        "signatories": _join(p.name for p in a.signatories),
        "commitments": _join(c.action for c in a.commitments),
        "n_commitments": len(a.commitments),
        **_first(a.evidence),
        "evidence": " … ".join(e.quote for e in a.evidence),
        "n_evidence": len(a.evidence),
    }


def _people(s: ArticleSummary) -> list[tuple[str, str, str | None, list[Participant], list[Evidence]]]:
    """(record type, record id, date, people, evidence): meeting participants, then signatories."""
    out = [("meeting", m.id, m.date, m.participants, m.evidence) for m in s.meetings]
    return out + [("agreement", a.id, a.date, a.signatories, a.evidence) for a in s.agreements]


def _participant_rows(article: str, s: ArticleSummary) -> list[Row]:
    return [
        {
            "article": article,
            "article_title": s.source.title,
            "record_type": record_type,
            "record_id": record_id,
            "position": i,
            "role": "participant" if record_type == "meeting" else "signatory",
            "date": when,
            "name": p.name,
            "title": p.title,
            "organization": p.organization,
            "country": p.country,
            **_first(evidence),
        }
        for record_type, record_id, when, people, evidence in _people(s)
        for i, p in enumerate(people)
    ]


def _evidence_rows(article: str, s: ArticleSummary) -> list[Row]:
    records = [("meeting", m.id, m.evidence) for m in s.meetings]
    records += [("agreement", a.id, a.evidence) for a in s.agreements]
    return [
        {
            "article": article,
            "record_type": record_type,
            "record_id": record_id,
            "position": i,
            "start": e.start,
            "end": e.end,
            "quote": e.quote,
            "match": e.match.value,
        }
        for record_type, record_id, spans in records
        for i, e in enumerate(spans)
    ]


def _article_row(result: BatchResult) -> Row:
    s = result.summary
    prov = s.provenance if s is not None else None
    return {
        "id": result.id,
        "status": result.status,
        "error": result.error,
        "error_type": result.error_type,
        "title": s.source.title if s else None,
        "published": s.source.published.isoformat() if s and s.source.published else None,
        "url": s.source.url if s else None,
        "content_hash": result.content_hash or (s.source.content_hash if s else None),
        "summary": s.summary if s else None,
        "n_meetings": len(s.meetings) if s else None,
        "n_agreements": len(s.agreements) if s else None,
        "model": prov.model if prov else None,
        "total_tokens": prov.usage.total_tokens if prov else None,
        "cost_usd": prov.cost_usd if prov else None,
    }


def result_tables(results: Iterable[BatchResult]) -> dict[str, list[Row]]:
    """Rows of every table in :data:`TABLES` (name → rows) from batch results."""
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    for result in results:
        tables["articles"].append(_article_row(result))
        s = result.summary
        if s is None:
            continue
        tables["meetings"] += [_meeting(result.id, s, m) for m in s.meetings]
        tables["agreements"] += [_agreement(result.id, s, a) for a in s.agreements]
        tables["participants"] += _participant_rows(result.id, s)
        tables["evidence"] += _evidence_rows(result.id, s)
    return tables


def summary_tables(
    summaries: ArticleSummary | Iterable[ArticleSummary] | Mapping[str, ArticleSummary],
) -> dict[str, list[Row]]:
    """Rows of every table from summaries (article ids as in :func:`keyed`; status ``ok``)."""
    return result_tables(BatchResult(article, "ok", s) for article, s in keyed(summaries))


def record_rows(
    summaries: ArticleSummary | Iterable[ArticleSummary] | Mapping[str, ArticleSummary],
) -> list[Row]:
    """One row per meeting or agreement (:data:`RECORD_COLUMNS`): ``summarize -f csv``."""
    rows: list[Row] = []
    for article, s in keyed(summaries):
        for m in s.meetings:
            row = _meeting(article, s, m)
            row.update(record_type="meeting", record_id=m.id, meeting_id=None)
            rows.append({c: row.get(c) for c in RECORD_COLUMNS})
        for a in s.agreements:
            row = _agreement(article, s, a)
            row.update(record_type="agreement", record_id=a.id, participants=row["signatories"])
            rows.append({c: row.get(c) for c in RECORD_COLUMNS})
    return rows


def _result(path: Path, n: int, raw: str) -> BatchResult:
    where = f"{path}:{n}"
    try:
        line = json.loads(raw)
    except ValueError:
        raise InputError(f"{where}: not JSON; expected a batch results file (JSONL)") from None
    if not isinstance(line, dict) or not isinstance(line.get("status"), str):
        raise InputError(f"{where}: not a batch result line (a JSON object with id and status)")
    result = line.get("result")
    summary = None
    if line["status"] == "ok":
        if not isinstance(result, dict):
            raise InputError(f"{where}: an ok line without a result")
        try:
            summary = ArticleSummary.model_validate(result)
        except ValidationError as exc:
            first = exc.errors()[0]
            at = ".".join(str(p) for p in first["loc"])
            raise InputError(f"{where}: invalid result at {at}: {first['msg']}") from None
    name = line.get("id") if isinstance(line.get("id"), str) and line.get("id") else None
    name = name or (summary.source.id if summary else None) or f"line {n}"
    error = line.get("error")
    return BatchResult(
        id=name,
        status=line["status"],
        summary=summary,
        error=None if error is None else str(error),
        error_type=line.get("error_type") if isinstance(line.get("error_type"), str) else None,
        content_hash=line.get("content_hash") or None,
    )


def read_results(path: str | Path) -> list[BatchResult]:
    """The latest line per article id of a batch results file, in first-seen order.

    Raises :class:`~summarizer.errors.InputError` (one line, with the line number) for a
    missing file or a line that is not a batch result.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a batch results file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; expected a batch results file (JSONL)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    latest: dict[str, BatchResult] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        if raw.strip():
            result = _result(path, n, raw)
            latest[result.id] = result
    if not latest:
        raise InputError(f"{path}: no result lines; expected a batch results file (JSONL)")
    return list(latest.values())
