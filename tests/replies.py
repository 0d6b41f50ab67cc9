"""Scripted model answers for the reference article, written by hand for the fake server.

One copy serves the tests and the quickstart notebook: ``examples/scripted_answers.py``.
Sentence numbers index the article's unique sentences (see ``summarizer.articles.sentences``).
"""

from __future__ import annotations

from scripted_answers import AGREEMENTS_00, MEETINGS_00

__all__ = ["AGREEMENTS_00", "MEETINGS_00"]
