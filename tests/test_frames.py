"""pandas views: one row per meeting / agreement / participant, and per article × type × field."""

from __future__ import annotations

import sys

import pytest
from visual_data import small_run, summaries

from summarizer.errors import ConfigurationError
from summarizer.evaluation.frames import eval_dataframe
from summarizer.views.frames import to_dataframe

pd = pytest.importorskip("pandas", reason="pandas is optional: pip install 'summarizer[notebook]'")


def test_summary_frames() -> None:
    (summary, _), (negative, _) = summaries()
    meetings = to_dataframe([summary, negative])
    assert list(meetings["meeting_id"]) == ["m1", "m2", "m3"]
    assert set(meetings["article"]) == {"00_japan_russia_two_plus_two_2013"}
    assert meetings.loc[0, "city"] == "Tokyo" and meetings.loc[0, "n_participants"] == 4
    agreements = to_dataframe({"ref": summary}, "agreements")
    assert list(agreements["agreement_id"]) == ["a1", "a2"] and set(agreements["article"]) == {"ref"}
    people = summary.to_dataframe("participants")
    assert len(people) == 5 and set(people["role"]) == {"participant"}
    assert "Sergey Lavrov" in set(people["name"])
    empty = to_dataframe(negative, "agreements")
    assert empty.empty and "agreement_id" in empty.columns
    assert str(empty["n_evidence"].dtype) == "Int64"  # an empty frame keeps its columns' types
    # every record row has its first evidence span; the evidence frame has every span
    text = summaries()[0][1]
    for start, end, quote in meetings[["evidence_start", "evidence_end", "evidence_quote"]].itertuples(
        index=False
    ):
        assert text[start:end] == quote
    spans = to_dataframe(summary, "evidence")
    assert len(spans) == sum(len(r.evidence) for r in [*summary.meetings, *summary.agreements])
    assert set(spans["record_type"]) == {"meeting", "agreement"}
    with pytest.raises(ValueError, match="unknown kind"):
        to_dataframe(summary, "topics")


def test_eval_frame() -> None:
    frame = eval_dataframe(small_run())
    row = frame[
        (frame.article.str.startswith("00_")) & (frame.type == "agreements") & (frame.field == "object")
    ]
    assert row[["tp", "fp", "fn"]].values.tolist() == [[2, 0, 2]]
    assert row["recall"].iloc[0] == 0.5 and row["precision"].iloc[0] == 1.0
    assert set(frame["field"]) >= {"object", "participants", "status", "evidence", "kind", "plover"}
    assert len(frame) == 2 * (1 + 10 + 1 + 10)  # articles × (meetings: object + 10 fields, agreements: same)


def test_missing_pandas_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # what an environment without pandas looks like
    with pytest.raises(ConfigurationError, match=r"pip install 'summarizer\[notebook\]'"):
        to_dataframe(summaries()[0][0])
