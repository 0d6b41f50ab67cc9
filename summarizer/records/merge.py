"""Unite records that describe the same meeting or agreement (pure functions).

The same event is often reported twice: by neighbouring chunks of a long article
(their overlap), or by two sentences of one article. Two meetings are the same when
their status matches, their dates are compatible (equal, or one unknown) and either
they rest on the same sentence with compatible participants (or, without people on
both, similar titles), or they name the same people on the same date. Agreements are the same when their summaries say the same
thing, or nearly so from the same sentence. The merged record keeps the first one's
fields, fills its gaps from the second and joins the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from rapidfuzz import fuzz

from summarizer.schemas import Agreement, Evidence, Meeting, Participant
from summarizer.text.names import name_key, strip_honorifics

__all__ = ["add_agreement", "add_meeting", "same_agreement", "same_meeting"]

_R = TypeVar("_R", Meeting, Agreement)


def _surname(person: Participant) -> str:
    """ "Mr. Kishida" and "Fumio Kishida" are one person."""
    key = name_key(strip_honorifics(person.name)).split()
    return key[-1] if key else ""


def _people(meeting: Meeting) -> set[str]:
    return {_surname(p) for p in meeting.participants} - {""}


def _shares_evidence(a: Meeting | Agreement, b: Meeting | Agreement) -> bool:
    return bool({e.start for e in a.evidence} & {e.start for e in b.evidence})


def same_meeting(a: Meeting, b: Meeting) -> bool:
    """True when ``a`` and ``b`` describe one encounter."""
    if a.status != b.status or (a.date is not None and b.date is not None and a.date != b.date):
        return False
    people_a, people_b = _people(a), _people(b)
    if _shares_evidence(a, b):  # one sentence may state two meetings ("met on the margins of …")
        if people_a and people_b:
            return people_a <= people_b or people_b <= people_a
        return fuzz.token_set_ratio(a.title, b.title) >= 80
    return bool(people_a) and people_a == people_b and a.date is not None and a.date == b.date


def same_agreement(a: Agreement, b: Agreement) -> bool:
    """True when ``a`` and ``b`` describe one agreement."""
    similarity = fuzz.token_set_ratio(a.summary, b.summary)
    return similarity >= 90 or (_shares_evidence(a, b) and similarity >= 75)


def _evidence(into: Sequence[Evidence], extra: Sequence[Evidence]) -> list[Evidence]:
    starts = {e.start for e in into}
    return [*into, *(e for e in extra if e.start not in starts)]


def _union(into: Sequence[str], extra: Sequence[str], limit: int = 8) -> list[str]:
    seen = {v.casefold() for v in into}
    return [*into, *(v for v in extra if v.casefold() not in seen)][:limit]


def _participants(into: Sequence[Participant], extra: Sequence[Participant]) -> list[Participant]:
    keys = {_surname(p) for p in into}
    return [*into, *(p for p in extra if _surname(p) not in keys)]


def _absorb_meeting(into: Meeting, extra: Meeting) -> Meeting:
    dated = into if into.date is not None else extra
    update = {
        "evidence": _evidence(into.evidence, extra.evidence),
        "date": dated.date,
        "end_date": dated.end_date,
        "location": into.location or extra.location,
        "participants": _participants(into.participants, extra.participants),
        "parties": _union(into.parties, extra.parties, limit=50),
        "topics": _union(into.topics, extra.topics),
    }
    return into.model_copy(update=update)


def _absorb_agreement(into: Agreement, extra: Agreement) -> Agreement:
    update = {
        "evidence": _evidence(into.evidence, extra.evidence),
        "date": into.date or extra.date,
        "parties": _union(into.parties, extra.parties, limit=50),
        "signatories": _participants(into.signatories, extra.signatories),
        "commitments": into.commitments or extra.commitments,
    }
    return into.model_copy(update=update)


def add_meeting(meetings: list[Meeting], candidate: Meeting) -> None:
    """Append ``candidate`` as ``m{n}``, or merge it into the record it duplicates."""
    _add(meetings, candidate, same_meeting, _absorb_meeting, "m")


def add_agreement(agreements: list[Agreement], candidate: Agreement) -> None:
    """Append ``candidate`` as ``a{n}``, or merge it into the record it duplicates."""
    _add(agreements, candidate, same_agreement, _absorb_agreement, "a")


def _add(
    records: list[_R],
    candidate: _R,
    same: Callable[[_R, _R], bool],
    absorb: Callable[[_R, _R], _R],
    prefix: str,
) -> None:
    for i, record in enumerate(records):
        if same(record, candidate):
            merged = absorb(record, candidate)
            if merged != record:  # not a repeat of the same record (a chunk overlap): say so
                changed = _union(record.changed_by, [*candidate.changed_by, "rule:merge"], limit=50)
                merged = merged.model_copy(update={"changed_by": changed})
            records[i] = merged
            return
    records.append(candidate.model_copy(update={"id": f"{prefix}{len(records) + 1}"}))
