"""The oracle run: gold answers replayed through the whole pipeline score ≥ 0.95 strict on every set.

What the oracle loses is what our own code (plans, validation, grounding, normalisation, merging)
loses; a strong model could do no better than this through our code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
SETS = [
    ("evals/gold", "evals/articles"),
    ("evals/heldout/gold", "evals/heldout/articles"),
    ("evals/news/dev/gold", "evals/news/dev/articles"),
    ("evals/news/test/gold", "evals/news/test/articles"),
]


@pytest.mark.parametrize("strategy", ["per_sentence", "triage", "passes"])
@pytest.mark.parametrize(("gold", "articles"), SETS, ids=[s[0] for s in SETS])
def test_oracle_scores_at_least_095_strict(
    gold: str, articles: str, strategy: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_STRATEGY", strategy)
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "--oracle",
            "--gold",
            str(ROOT / gold),
            "--articles",
            str(ROOT / articles),
            "--out",
            str(tmp_path),
            "--no-progress",
            "--min-f1",
            "0.95",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "results.json").read_text())
    assert summary["provenance"]["model"] == "oracle"
