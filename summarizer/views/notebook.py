"""Notebook display of an ``ArticleSummary``: registers its HTML, Markdown and DataFrame views.

The output contract imports no view: the first time one of its display hooks finds no view,
``summarizer.schemas`` imports this module by name (``schemas.VIEW_PLUGIN``), which registers
them. So ``summary._repr_html_()`` works after ``import summarizer.schemas`` alone, and
``import summarizer`` stays cheap (nothing here loads until a summary is displayed).
"""

from __future__ import annotations

from typing import Any

from summarizer.schemas import ArticleSummary, register_view
from summarizer.views.frames import to_dataframe
from summarizer.views.html import summary_fragment
from summarizer.views.text import to_markdown

__all__ = ["register"]


def _dataframe(summary: ArticleSummary, kind: str = "meetings") -> Any:
    return to_dataframe([summary], kind)


def register() -> None:
    """(Re)register the views; runs at import."""
    register_view("html", summary_fragment)
    register_view("markdown", to_markdown)
    register_view("dataframe", _dataframe)


register()
