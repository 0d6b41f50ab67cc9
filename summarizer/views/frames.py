"""pandas views of summaries (pandas is optional: ``pip install 'summarizer[notebook]'``).

:func:`to_dataframe` gives one row per meeting, agreement, participant, evidence span or
article, with the article's id; :func:`read_batch` the same from a batch results file. The
rows come from :mod:`summarizer.views.tables`. Eval runs have theirs in
:mod:`summarizer.evaluation.frames`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from summarizer.errors import ConfigurationError
from summarizer.schemas import ArticleSummary
from summarizer.views.tables import TABLES, Row, read_results, result_tables, summary_tables

__all__ = ["read_batch", "require_pandas", "table_frame", "to_dataframe"]

Kind = Literal["meetings", "agreements", "participants", "evidence", "articles"]
KINDS = tuple(TABLES)
_DTYPES = {"TEXT": "string", "INTEGER": "Int64", "REAL": "float64"}


def require_pandas() -> Any:
    """The pandas module, or a one-line error saying how to install it."""
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ConfigurationError("pandas is needed: pip install 'summarizer[notebook]'") from None


def _check(kind: str) -> None:
    if kind not in TABLES:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(TABLES)}")


def table_frame(kind: str, rows: Sequence[Row]) -> Any:
    """A ``pandas.DataFrame`` of ``rows`` of table ``kind``: its columns, in order, typed.

    Integer columns are nullable ``Int64``; an empty table keeps its columns.
    """
    _check(kind)
    pd = require_pandas()
    table = TABLES[kind]
    frame = pd.DataFrame(list(rows), columns=table.names)
    return frame.astype({name: _DTYPES[sql] for name, sql in table.columns})


def to_dataframe(
    summaries: ArticleSummary | Iterable[ArticleSummary] | Mapping[str, ArticleSummary],
    kind: str = "meetings",
) -> Any:
    """A ``pandas.DataFrame`` with one row per meeting, agreement, participant, evidence span or
    article (``kind``).

    ``summaries``: one summary, several (the article column is ``source.id``, else the position)
    or a mapping of article id → summary. Participants are meeting participants and agreement
    signatories (``role``). Columns: :data:`summarizer.views.tables.TABLES`.
    """
    _check(kind)
    return table_frame(kind, summary_tables(summaries)[kind])


def read_batch(path: str | Path, kind: str = "meetings") -> Any:
    """A ``pandas.DataFrame`` of table ``kind`` from a batch results file (``summarizer batch``).

    The same rows as ``summarizer export``: the latest line per article counts; ``articles``
    lists failed articles too. A missing or malformed file raises
    :class:`~summarizer.errors.InputError`.
    """
    _check(kind)
    return table_frame(kind, result_tables(read_results(path))[kind])
