"""Turn validated drafts into output records: normalise, ground, merge, number.

Pure functions. Evidence is the candidate sentence the model pointed at; dates are
resolved from the copied phrase against the publication date; countries get their
common names; people, parties and places that the text does not contain are
dropped (this is what stops invented participants); duplicates merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from rapidfuzz import fuzz

from summarizer.articles.sentences import (
    AGREEMENT_CUES,
    MEETING_CUES,
    Sentence,
    denies_agreement,
    states_agreement,
)
from summarizer.passes.drafts import AgreementDraft, MeetingDraft, PersonDraft
from summarizer.records.fields import agreement_kind, meeting_title, place_slots
from summarizer.records.merge import add_agreement, add_meeting
from summarizer.schemas import Agreement, Commitment, Evidence, Location, Meeting, Participant
from summarizer.text.dates import Prefer, find_date_phrase, resolve_date
from summarizer.text.grounding import grounded
from summarizer.text.names import canonical_country, canonical_party, name_key, strip_honorifics

__all__ = ["agreement_records", "anchor", "link_meetings", "meeting_records"]


def _evidence(number: int, sentences: Sequence[Sentence], text: str) -> Evidence | None:
    """The evidence span of candidate sentence ``number`` (1-based)."""
    if not 1 <= number <= len(sentences):
        return None
    sentence = sentences[number - 1]
    return Evidence(quote=text[sentence.start : sentence.end], start=sentence.start, end=sentence.end)


def _clean_list(values: Iterable[str], limit: int = 8) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        value = " ".join(value.split()).strip(" .;,")
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out[:limit]


def _parties(values: Iterable[str], text: str, warnings: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if not value.strip():
            continue
        party = canonical_party(value)  # "US government" → "United States"
        if not grounded(value, text) and not grounded(party, text):
            warnings.append(f"dropped party not in the text: {value!r}")
            continue
        if party.casefold() not in {p.casefold() for p in out}:
            out.append(party)
    return out


def _people(people: Iterable[PersonDraft], text: str, warnings: list[str]) -> list[Participant]:
    out: list[Participant] = []
    keys: set[str] = set()
    for person in people:
        name = " ".join(person.name.split())
        if not name or not grounded(name, text):
            if name:
                warnings.append(f"dropped participant not in the text: {name!r}")
            continue
        key = name_key(strip_honorifics(name))
        surname = key.split()[-1] if key else key
        if key in keys or any(k.split()[-1] == surname and (k in key or key in k) for k in keys):
            continue
        keys.add(key)
        represents = (person.represents or "").strip() or None
        country = canonical_country(represents) if represents else None
        out.append(
            Participant(
                name=name,
                title=(person.title or "").strip() or None,
                country=country,
                organization=None if country else represents,
            )
        )
    return out


def _location(draft: MeetingDraft, text: str) -> Location | None:
    venue, city, country = place_slots(draft.venue, draft.city, draft.country)
    slots = {"venue": venue, "city": city, "country": country}
    parts: dict[str, str | None] = {}
    for field in ("venue", "city", "country"):
        value = (slots[field] or "").strip() or None
        parts[field] = value if value and grounded(value, text) else None
    if parts["country"]:
        parts["country"] = canonical_country(parts["country"]) or parts["country"]
    location = Location(**parts)
    return None if location.is_empty() else location


_ORGANISATION = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Plc|Group|Company|Bank|Government|Ministry|Council|Union|Organi[sz]ation|"
    r"Association|Agency|Department|Commission)\b\.?"
)
# LABELING: a meeting that is ruled out is not a meeting (cancelled and postponed ones are).
_RULED_OUT = re.compile(
    r"\b(?:no\s+(?:further|new|other)?\s*(?:meeting|talks|summit)s?\b(?!\s+(?:since|for))|unlikely|ruled\s+out|"
    r"no\s+plans?\b|not\s+(?:be\s+)?(?:planning|scheduled))",
    re.I,
)
_ANAPHORIC = re.compile(
    r"^(?:The|This|That)\s+(?:meeting|talks|session|summit|visit)\s+(?:is|was|will|began|ended|lasted)\b"
)
_SIGNING = re.compile(r"\b(?:sign(?:s|ed|ing|ature)|initial(?:l)?ed|countersigned|inked)\b", re.I)


def _signed(name: str, sentences: Sequence[Sentence], warnings: list[str]) -> bool:
    """A signatory is someone a sentence says signed: the name (or surname) and a signing word
    in one sentence. Small models list every named person as a signatory."""
    if canonical_country(name) is not None or _ORGANISATION.search(name):
        warnings.append(f"dropped signatory that is not a person: {name!r}")
        return False
    surname = name_key(strip_honorifics(name)).split()[-1:]
    for sentence in sentences:
        if _SIGNING.search(sentence.text) and surname and surname[0] in name_key(sentence.text).split():
            return True
    warnings.append(f"dropped signatory no sentence says signed: {name!r}")
    return False


def anchor(number: int, label: str, sentences: Sequence[Sentence], cues: re.Pattern[str]) -> int:
    """The sentence a record's ``label`` (summary or title) came from.

    Small models miscount sentence numbers (off by one or two, or "1" for every record)
    but often copy the sentence into the label. Keep ``number`` unless another sentence
    matches the label closely and clearly better (the nearer one on ties); the caller
    then checks that sentence for the pass's ``cues``.
    """

    if not label.strip() or not sentences:
        return number
    scores = [float(fuzz.token_set_ratio(label, s.text)) for s in sentences]  # scores[n - 1]: sentence n
    valid = 1 <= number <= len(sentences)
    pointed = scores[number - 1] if valid else -1.0
    top = max(scores)
    if top < _ANCHOR_MIN or (valid and top < pointed + 15):
        return number
    tied = [n for n in range(1, len(sentences) + 1) if scores[n - 1] == top]
    return max(tied, key=lambda n: (bool(cues.search(sentences[n - 1].text)), -abs(n - number)))


_ANCHOR_MIN = 85.0
_REACHED = {"agreed", "signed", "in_force", "extended"}


def _date(
    phrase: str | None, sentence: str, published: date | None, prefer: Prefer
) -> tuple[str | None, str | None]:
    """The model's date phrase, resolved; else the first date expression of the evidence sentence."""
    start, end = resolve_date(phrase, published, prefer)
    if start is None:
        start, end = resolve_date(find_date_phrase(sentence), published, prefer)
    return start, end


def meeting_records(
    drafts: Iterable[MeetingDraft],
    sentences: Sequence[Sentence],
    text: str,
    published: date | None,
    warnings: list[str],
) -> list[Meeting]:
    """Meetings from drafts: grounded, filtered, merged and numbered m1, m2, …"""
    meetings: list[Meeting] = []
    for draft in drafts:
        evidence = _evidence(draft.sentence, sentences, text)
        if evidence is None:
            continue
        if not MEETING_CUES.search(evidence.quote):
            warnings.append(f"dropped meeting: sentence {draft.sentence} has no meeting wording")
            continue
        if _RULED_OUT.search(evidence.quote):
            warnings.append(f"dropped meeting its sentence rules out: {draft.title[:60]!r}")
            continue
        if meetings and _ANAPHORIC.match(" ".join(evidence.quote.split())):
            # "The meeting is expected to go through early afternoon": the meeting just named.
            last = max(range(len(meetings)), key=lambda i: meetings[i].evidence[0].start)
            if meetings[last].evidence[0].start < evidence.start:
                meetings[last] = meetings[last].model_copy(
                    update={"evidence": [*meetings[last].evidence, evidence]}
                )
                continue
        prefer: Prefer = "future" if draft.status in ("planned", "postponed") else "past"
        start, end = _date(draft.date, evidence.quote, published, prefer)
        if draft.date and start is None:
            warnings.append(f"date phrase not resolved: {draft.date!r}")
        candidate = Meeting(
            id="m0",  # numbered by add_meeting
            title=meeting_title(" ".join(draft.title.split()), evidence.quote, text) or "Meeting",
            status=draft.status,
            channel=draft.channel,
            date=start,
            end_date=end,
            location=_location(draft, text),
            participants=_people(draft.participants, text, warnings),
            parties=_parties(draft.parties, text, warnings),
            topics=_clean_list(draft.topics),
            evidence=[evidence],
        )
        add_meeting(meetings, candidate)
    return meetings


def agreement_records(
    drafts: Iterable[AgreementDraft],
    sentences: Sequence[Sentence],
    text: str,
    published: date | None,
    warnings: list[str],
) -> list[Agreement]:
    """Agreements from drafts: grounded, filtered, merged and numbered a1, a2, …"""
    agreements: list[Agreement] = []
    for draft in drafts:
        evidence = _evidence(
            anchor(draft.sentence, draft.summary, sentences, AGREEMENT_CUES), sentences, text
        )
        if evidence is None:
            continue
        if not states_agreement(evidence.quote):
            warnings.append(f"dropped agreement: sentence {draft.sentence} has no agreement wording")
            continue
        if draft.status in _REACHED and denies_agreement(evidence.quote):
            warnings.append(f"dropped agreement: its sentence says none was reached: {draft.summary[:60]!r}")
            continue
        parties = _parties(draft.parties, text, warnings)
        if not parties:
            warnings.append(f"dropped agreement without grounded parties: {draft.summary[:60]!r}")
            continue
        start, _ = _date(
            draft.date, evidence.quote, published, "future" if draft.status == "proposed" else "past"
        )
        signatories = [
            p
            for p in _people((PersonDraft(name=n) for n in draft.signatories), text, warnings)
            if _signed(p.name, sentences, warnings)
        ]
        candidate = Agreement(
            id="a0",  # numbered by add_agreement
            summary=" ".join(draft.summary.split()),
            kind=agreement_kind(draft.kind, draft.status, evidence.quote),
            status=draft.status,
            parties=parties,
            signatories=signatories,
            commitments=[Commitment(action=c) for c in _clean_list(draft.commitments)],
            date=start,
            evidence=[evidence],
        )
        add_agreement(agreements, candidate)
    return agreements


def link_meetings(agreements: list[Agreement], meetings: list[Meeting]) -> list[Agreement]:
    """Set ``meeting_id`` where the agreement's evidence lies inside a held meeting's sentence,
    or where exactly one held meeting shares its date and parties."""
    held = [m for m in meetings if m.status.value == "held"]
    linked: list[Agreement] = []
    for agreement in agreements:
        match = None
        for meeting in held:
            if any(
                e.start <= a.start < e.end or a.start <= e.start < a.end
                for e in meeting.evidence
                for a in agreement.evidence
            ):
                match = meeting.id
                break
        if match is None:
            same = [
                m
                for m in held
                if m.date is not None
                and m.date == agreement.date
                and set(agreement.parties) <= set(m.parties)
            ]
            match = same[0].id if len(same) == 1 else None
        if match is None and len(held) == 1 and set(agreement.parties) <= set(held[0].parties):
            match = held[0].id  # the article's one meeting, between the same sides
        update: dict[str, object] = {"meeting_id": match}
        meeting_date = next((m.date for m in held if m.id == match), None)
        if agreement.date is None and meeting_date is not None:
            update["date"] = meeting_date  # agreed at the meeting: on its day
        linked.append(agreement.model_copy(update=update))
    return linked
