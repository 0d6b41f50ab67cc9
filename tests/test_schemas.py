from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import summarizer
from summarizer.schemas import Agreement, ArticleSummary, Evidence, Meeting

TEXT = "Japan and Russia agreed to boost anti-terrorism cooperation on Saturday."
EV = {"quote": "agreed to boost anti-terrorism cooperation", "start": 17, "end": 59}


def meeting(**extra: Any) -> dict[str, Any]:
    return {"id": "m1", "title": "Talks", "status": "held", "evidence": [EV], **extra}


def test_public_api_all_is_importable() -> None:
    for name in summarizer.__all__:
        assert hasattr(summarizer, name), name
    assert {"summarize", "asummarize", "Summarizer", "ArticleSummary", "Settings"} <= set(summarizer.__all__)


def test_evidence_grounding_with_context() -> None:
    Evidence.model_validate(EV, context={"text": TEXT})
    with pytest.raises(ValidationError, match="not found in the article"):
        Evidence.model_validate({"quote": "Putin attended", "start": 0, "end": 14}, context={"text": TEXT})
    with pytest.raises(ValidationError, match="do not point at the quote"):
        Evidence.model_validate({**EV, "start": 0, "end": 10}, context={"text": TEXT})


@pytest.mark.parametrize("bad", ["2013-02-30", "2013-13", "Nov 2013", "13/11/2013"])
def test_meeting_rejects_malformed_dates(bad: str) -> None:
    with pytest.raises(ValidationError):
        Meeting.model_validate(meeting(date=bad))


def test_meeting_rejects_empty_and_duplicate_names() -> None:
    with pytest.raises(ValidationError, match="duplicate participant"):
        Meeting.model_validate(meeting(participants=[{"name": "Fumio Kishida"}, {"name": "fumio  kishida"}]))
    with pytest.raises(ValidationError):
        Meeting.model_validate(meeting(participants=[{"name": ""}]))
    with pytest.raises(ValidationError, match="empty party"):
        Meeting.model_validate(meeting(parties=["Japan", " "]))


def test_meeting_end_date_after_date() -> None:
    Meeting.model_validate(meeting(date="2014-03-15", end_date="2014-03-16"))
    with pytest.raises(ValidationError, match="end_date"):
        Meeting.model_validate(meeting(date="2014-03-16", end_date="2014-03-15"))


def test_agreement_needs_parties_and_evidence() -> None:
    base = {"id": "a1", "summary": "x", "status": "agreed", "parties": ["Japan", "Russia"], "evidence": [EV]}
    Agreement.model_validate(base)
    with pytest.raises(ValidationError):
        Agreement.model_validate({**base, "parties": []})
    with pytest.raises(ValidationError):
        Agreement.model_validate({**base, "evidence": []})


def test_dangling_meeting_id_and_duplicate_ids() -> None:
    agreement = {
        "id": "a1",
        "summary": "x",
        "status": "agreed",
        "parties": ["Japan", "Russia"],
        "evidence": [EV],
        "meeting_id": "m9",
    }
    with pytest.raises(ValidationError, match="names no meeting"):
        ArticleSummary.model_validate({"meetings": [meeting()], "agreements": [agreement]})
    with pytest.raises(ValidationError, match="duplicate meeting ids"):
        ArticleSummary.model_validate({"meetings": [meeting(), meeting()]})
    ok = ArticleSummary.model_validate(
        {"meetings": [meeting()], "agreements": [{**agreement, "meeting_id": "m1"}]}, context={"text": TEXT}
    )
    assert ok.agreements[0].meeting_id == "m1"
