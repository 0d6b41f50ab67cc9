"""pandas views of summaries (pandas is optional: ``pip install 'summarizer[notebook]'``).

:func:`to_dataframe` gives one row per meeting, agreement or participant, with the
article's id and title. Eval runs have theirs in :mod:`summarizer.evaluation.frames`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from summarizer.errors import ConfigurationError
from summarizer.schemas import ArticleSummary

__all__ = ["require_pandas", "to_dataframe"]

Kind = Literal["meetings", "agreements", "participants"]
KINDS = ("meetings", "agreements", "participants")


def require_pandas() -> Any:
    """The pandas module, or a one-line error saying how to install it."""
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ConfigurationError("pandas is needed: pip install 'summarizer[notebook]'") from None


def _items(
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


def _meeting_rows(article: str, s: ArticleSummary) -> list[dict[str, Any]]:
    rows = []
    for m in s.meetings:
        loc = m.location
        rows.append(
            {
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
                "evidence": " … ".join(e.quote for e in m.evidence),
                "n_evidence": len(m.evidence),
            }
        )
    return rows


def _agreement_rows(article: str, s: ArticleSummary) -> list[dict[str, Any]]:
    return [
        {
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
            "evidence": " … ".join(e.quote for e in a.evidence),
            "n_evidence": len(a.evidence),
        }
        for a in s.agreements
    ]


def _participant_rows(article: str, s: ArticleSummary) -> list[dict[str, Any]]:
    rows = []
    people = [("meeting", m.id, m.date, p) for m in s.meetings for p in m.participants]
    people += [("agreement", a.id, a.date, p) for a in s.agreements for p in a.signatories]
    for record_type, record_id, when, p in people:
        rows.append(
            {
                "article": article,
                "article_title": s.source.title,
                "record_type": record_type,
                "record_id": record_id,
                "role": "participant" if record_type == "meeting" else "signatory",
                "date": when,
                "name": p.name,
                "title": p.title,
                "organization": p.organization,
                "country": p.country,
            }
        )
    return rows


# A tiny summary whose rows give the column names of an empty frame.
_PROBE: dict[str, Any] = {
    "meetings": [
        {
            "id": "m1",
            "title": "x",
            "status": "held",
            "participants": [{"name": "x"}],
            "evidence": [{"quote": "x", "start": 0, "end": 1}],
        }
    ],
    "agreements": [
        {
            "id": "a1",
            "summary": "x",
            "status": "agreed",
            "parties": ["x"],
            "evidence": [{"quote": "x", "start": 0, "end": 1}],
        }
    ],
}


def to_dataframe(
    summaries: ArticleSummary | Iterable[ArticleSummary] | Mapping[str, ArticleSummary],
    kind: str = "meetings",
) -> Any:
    """A ``pandas.DataFrame`` with one row per meeting, agreement or participant (``kind``).

    ``summaries``: one summary, several (the article column is ``source.id``, else the position)
    or a mapping of article id → summary. Participants are meeting participants and agreement
    signatories (``role``).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    pd = require_pandas()
    build = {"meetings": _meeting_rows, "agreements": _agreement_rows, "participants": _participant_rows}[
        kind
    ]
    rows = [row for article, s in _items(summaries) for row in build(article, s)]
    if not rows:  # keep the columns of an empty frame
        probe = ArticleSummary.model_validate(_PROBE)
        return pd.DataFrame(columns=list(build("", probe)[0]))
    return pd.DataFrame(rows)
