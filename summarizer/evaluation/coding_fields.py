"""The PLOVER type and mode of a matched record, scored as a field.

The gold side is coded by :mod:`summarizer.events.coding` from the gold record's own fields
(status, channel, sides, place, and every alternative the gold file accepts), so this field
measures whether the predicted fields lead to the same event code, not the coding rules
themselves (those have their own tests)."""

from __future__ import annotations

from itertools import product

from summarizer.evaluation.gold import GoldAgreement, GoldMeeting
from summarizer.evaluation.matchers import Counts
from summarizer.events.coding import Coding, code_agreement, code_meeting
from summarizer.schemas import Agreement, Meeting

__all__ = ["agreement_coding", "meeting_coding"]


def _key(coding: Coding | None) -> tuple[str, str | None]:
    return ("none", None) if coding is None else (coding.event, coding.mode)


def _counts(pred: tuple[str, str | None], accepted: set[tuple[str, str | None]]) -> Counts:
    return Counts(tp=1) if pred in accepted else Counts(fp=1, fn=1)


def meeting_coding(pred: Meeting, gold: GoldMeeting) -> Counts:
    """1 TP when the prediction's PLOVER (event, mode) is one the gold record's fields give."""
    country = pred.location.country if pred.location else None
    predicted = _key(code_meeting(pred.status.value, pred.channel.value, pred.parties, country))
    parties = [names[0] for names in gold.parties if names]
    places = [loc.country if loc else None for loc in [gold.location, *gold.location_alternatives]]
    accepted = {
        _key(code_meeting(status.value, channel.value, parties, place))
        for status, channel, place in product(
            [gold.status, *gold.status_alternatives], [gold.channel, *gold.channel_alternatives], places
        )
    }
    return _counts(predicted, accepted)


def agreement_coding(pred: Agreement, gold: GoldAgreement) -> Counts:
    """1 TP when the prediction's PLOVER (event, mode) is one the gold record's fields give."""
    predicted = _key(code_agreement(pred.status.value, pred.kind.value, pred.summary))
    accepted = {
        _key(code_agreement(status.value, kind.value, gold.summary))
        for status, kind in product(
            [gold.status, *gold.status_alternatives], [gold.kind, *gold.kind_alternatives]
        )
    }
    return _counts(predicted, accepted)
