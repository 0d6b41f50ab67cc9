"""Turn validated drafts into output records: normalise, ground, merge, number.

Pure functions, with no word list of any language: the model decides what is a meeting
or an agreement (and says when a sentence denies one or only supposes it). Evidence is
the sentence the model pointed at; dates are resolved from the copied phrase against the
publication date; countries get their common names; people, parties and places must be
named in the record's own sentences (its evidence, the sentences around it and the lead):
this stops invented participants and text addressed to the model; duplicates merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from rapidfuzz import fuzz

from summarizer.articles.sentences import Sentence
from summarizer.passes.drafts import REAL, AgreementDraft, MeetingDraft, PersonDraft
from summarizer.passes.screen import hostile_sentences
from summarizer.records.fields import meeting_title, place_slots
from summarizer.records.merge import add_agreement, add_meeting
from summarizer.schemas import Agreement, Commitment, Evidence, Location, Meeting, Participant
from summarizer.text.dates import Prefer, find_date_phrase, resolve_date
from summarizer.text.grounding import grounded
from summarizer.text.names import canonical_country, canonical_party, name_key, strip_honorifics

__all__ = ["TIED", "agreement_records", "anchor", "link_meetings", "meeting_records", "tied_text"]

TIED = 6  # sentences on each side of the evidence that may name a record's people and places


def tied_text(number: int, sentences: Sequence[Sentence], hostile: set[int]) -> str:
    """The text a record's names must come from: its sentence, ``TIED`` on each side, and the lead
    sentence (datelines name the place), without sentences addressed to the model."""
    i = number - 1
    picked = {0, *range(max(0, i - TIED), min(len(sentences), i + TIED + 1))} - hostile
    return "\n".join(sentences[k].text for k in sorted(picked) if k < len(sentences))


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


def _dropped(
    draft: MeetingDraft | AgreementDraft, number: int, what: str, hostile: set[int], warnings: list[str]
) -> bool:
    """Drafts that do not become records: the model says their sentence (``number``) denies or
    only supposes the event, or that sentence is addressed to the model."""
    if draft.reality not in REAL:
        warnings.append(f"dropped {what}: the model says sentence {number} is {draft.reality}")
        return True
    if number - 1 in hostile:
        warnings.append(f"dropped {what}: sentence {number} is addressed to the model")
        return True
    return False


_ORGANISATION = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Plc|Group|Company|Bank|Government|Ministry|Council|Union|Organi[sz]ation|"
    r"Association|Agency|Department|Commission)\b\.?"
)
# Words of signing in the supported languages (en, es, fr, de, pt, it, ja).
_SIGNING = re.compile(
    r"\b(?:sign(?:s|ed|ing|ature)|initial(?:l)?ed|countersigned|inked|firm(?:a|ó|aron|ado|ada|ar|ata|ato|"
    r"ano|arono|atario)|sign(?:é|ée|ent|èrent|ataire)|unterzeichne\w*|unterschrieb\w*|unterschreib\w*|"
    r"assin(?:a|ou|aram|ado|ada|atura)|sottoscritt\w*)\b|署名|調印|締結",
    re.I,
)


def _signed(name: str, sentences: Sequence[Sentence], warnings: list[str]) -> bool:
    """A signatory is someone a sentence says signed: the name (or surname) and a signing word
    in one sentence. Small models list every named person as a signatory."""
    if canonical_country(name) is not None or _ORGANISATION.search(name):
        warnings.append(f"dropped signatory that is not a person: {name!r}")
        return False
    surname = name_key(strip_honorifics(name)).split()[-1:]
    for sentence in sentences:
        words = name_key(sentence.text)
        if (
            _SIGNING.search(sentence.text)
            and surname
            and (surname[0] in words.split() or (not surname[0].isascii() and surname[0] in words))
        ):
            return True
    warnings.append(f"dropped signatory no sentence says signed: {name!r}")
    return False


def anchor(number: int, label: str, sentences: Sequence[Sentence], focus: Iterable[int] = ()) -> int:
    """The sentence a record's ``label`` (summary or title) came from.

    Small models miscount sentence numbers (off by one or two, or "1" for every record)
    but often copy the sentence into the label. Keep ``number`` unless another sentence
    matches the label closely and clearly better (on ties: one in ``focus``, the sentences
    the call asked about, then the nearer one).
    """
    focused = set(focus)

    if not label.strip() or not sentences:
        return number
    scores = [float(fuzz.token_set_ratio(label, s.text)) for s in sentences]  # scores[n - 1]: sentence n
    valid = 1 <= number <= len(sentences)
    pointed = scores[number - 1] if valid else -1.0
    top = max(scores)
    if top < _ANCHOR_MIN or (valid and top < pointed + 15):
        return number
    tied = [n for n in range(1, len(sentences) + 1) if scores[n - 1] == top]
    return max(tied, key=lambda n: (n in focused, -abs(n - number)))


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
    hostile = hostile_sentences(sentences, text)
    for draft in drafts:
        evidence = _evidence(draft.sentence, sentences, text)
        what = f"meeting {draft.title[:60]!r}"
        if evidence is None or _dropped(draft, draft.sentence, what, hostile, warnings):
            continue
        tied = tied_text(draft.sentence, sentences, hostile)
        prefer: Prefer = "future" if draft.status in ("planned", "postponed") else "past"
        start, end = _date(draft.date, evidence.quote, published, prefer)
        if draft.date and start is None:
            warnings.append(f"date phrase not resolved: {draft.date!r}")
        given = " ".join(draft.title.split())
        title = meeting_title(given, evidence.quote, text) or "Meeting"
        candidate = Meeting(
            id="m0",  # numbered by add_meeting
            title=title,
            status=draft.status,
            channel=draft.channel,
            date=start,
            end_date=end,
            location=_location(draft, tied),
            participants=_people(draft.participants, tied, warnings),
            parties=_parties(draft.parties, tied, warnings),
            topics=_clean_list(draft.topics),
            evidence=[evidence],
            origin=draft.origin,
            changed_by=[] if title == given else ["rule:title"],
        )
        add_meeting(meetings, candidate)
    return meetings


def agreement_records(
    drafts: Iterable[AgreementDraft],
    sentences: Sequence[Sentence],
    text: str,
    published: date | None,
    warnings: list[str],
    focus: Iterable[int] = (),
) -> list[Agreement]:
    """Agreements from drafts: grounded, filtered, merged and numbered a1, a2, …"""
    agreements: list[Agreement] = []
    hostile = hostile_sentences(sentences, text)
    focused = list(focus)
    for draft in drafts:
        number = anchor(draft.sentence, draft.summary, sentences, focused)
        evidence = _evidence(number, sentences, text)
        what = f"agreement {draft.summary[:60]!r}"
        if evidence is None or _dropped(draft, number, what, hostile, warnings):
            continue
        tied = tied_text(number, sentences, hostile)
        parties = _parties(draft.parties, tied, warnings)
        if not parties:
            warnings.append(f"dropped agreement without grounded parties: {draft.summary[:60]!r}")
            continue
        # the model's date only: the first date of an agreement's sentence is often another event's
        start, _ = resolve_date(draft.date, published, "future" if draft.status == "proposed" else "past")
        signatories = [
            p
            for p in _people((PersonDraft(name=n) for n in draft.signatories), tied, warnings)
            if _signed(p.name, sentences, warnings)
        ]
        changed = [] if number == draft.sentence else ["rule:anchor"]
        candidate = Agreement(
            id="a0",  # numbered by add_agreement
            summary=" ".join(draft.summary.split()),
            kind=draft.kind,
            status=draft.status,
            parties=parties,
            signatories=signatories,
            commitments=[Commitment(action=c) for c in _clean_list(draft.commitments)],
            date=start,
            evidence=[evidence],
            origin=draft.origin,
            changed_by=changed,
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
        linked.append(agreement.model_copy(update={"meeting_id": match}))
    return linked
