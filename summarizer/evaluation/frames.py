"""pandas view of an eval run: one row per article × record type × field."""

from __future__ import annotations

from typing import Any

from summarizer.evaluation.metrics import prf
from summarizer.evaluation.runner import EvalRun
from summarizer.views.frames import require_pandas

__all__ = ["eval_dataframe"]


def eval_dataframe(run: EvalRun) -> Any:
    """A ``pandas.DataFrame``: one row per article × type × field ("object" for the records
    themselves, "evidence" for grounding) with tp, fp, fn, precision, recall and F1."""
    pd = require_pandas()
    rows = []
    for result in run.results:
        score = result.score
        for record_type, counts in score.objects.items():
            fields = {"object": counts, **score.fields.get(record_type, {})}
            for name, c in fields.items():
                p, r, f = prf(c.tp, c.fp, c.fn)
                rows.append(
                    {
                        "article": result.article,
                        "type": record_type,
                        "field": name,
                        "tp": c.tp,
                        "fp": c.fp,
                        "fn": c.fn,
                        "precision": p,
                        "recall": r,
                        "f1": f,
                        "error": result.error,
                    }
                )
    columns = ["article", "type", "field", "tp", "fp", "fn", "precision", "recall", "f1", "error"]
    return pd.DataFrame(rows, columns=columns)
