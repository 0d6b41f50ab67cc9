"""Meetings the article states in plain words that the model left out.

The counterpart of :mod:`summarizer.records.backfill_agreements` for meetings: a sentence in which named
people or sides "met", "held talks with", "will meet", "will visit" or "spoke with"
each other is a meeting whatever the model said. The sentence is the evidence; the
title is its clause; status, channel and date come from its words; participants are
the titled names it holds; parties the countries it names (demonyms included) and the
sides its subject names. A sentence already evidencing a meeting, one that rules the
meeting out, and one in which no side or person can be named are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from summarizer.articles.sentences import Sentence
from summarizer.records.fields import meeting_title
from summarizer.records.merge import add_meeting
from summarizer.records.parties import (
    BODY,
    CAPITALISED,
    DATELINE,
    context_parties,
    countries_in,
    sentence_parties,
    subject_of,
    titled_people,
)
from summarizer.schemas import Evidence, Location, Meeting
from summarizer.text.dates import find_date_phrase, resolve_date
from summarizer.text.names import canonical_country

__all__ = ["backfill_meetings", "plain_meeting"]

_WORD = r"[\w\"'’-]+"
_MEETS = re.compile(
    rf"\b(?P<verb>(?:met|meets)(?=\s+(?:with|his|her|their)\b|\s+(?-i:[A-Z]))|will meet|(?:held|hold|holds|will hold)\s+(?:{_WORD}\s+){{0,3}}?"
    r"(?:talks|meetings?|summit)|will visit|visited|spoke\s+(?:by\s+(?:tele)?phone\s+)?with|telephoned|"
    r"talked\s+with|convened|(?:will|to)\s+(?:host|welcome)|welcoming|"
    rf"kick(?:s|ed)?\s+off\s+(?:{_WORD}\s+){{0,3}}?(?:talks|negotiations|meeting|summit)|"
    rf"(?:during|at|on\s+the\s+margins\s+of)\s+(?:the\s+|their\s+|last\s+week's\s+|yesterday's\s+)?"
    rf"(?:{_WORD}\s+){{0,4}}?(?:meeting|summit|session|conference)\s+(?=in\s|of\s|at\s))",
    re.I,
)
_MEET_STEMS = (
    "met",
    "meet",
    "talk",
    "summit",
    "visit",
    "spoke",
    "telephon",
    "convene",
    "host",
    "welcom",
    "kick",
    "session",
    "conference",
)
_RULED_OUT = re.compile(
    r"\b(?:unlikely|ruled out|not due|no further|cancel\w*|postpon\w*|called off|not (?:meet|hold|visit))\b",
    re.I,
)
_OF_BODY = re.compile(r"\s*of\s+(?:the\s+)?(?-i:([A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.()-]*|of|and|for))*))")
_SOON = re.compile(
    r"\b(?:tomorrow|next\s+(?:week|month|year)|later\s+this\s+(?:week|month|year)|upcoming)\b", re.I
)
_NOUN_FORM = re.compile(r"(?:during|at|on)\s")
_WILL = re.compile(r"\b(?:will|to)(?:\s+also)?\s*$", re.I)
_PHONE = re.compile(r"\b(?:phone|telephone\w*|call)\b", re.I)
_VIDEO = re.compile(r"\b(?:video|virtual\w*|videoconference)\b", re.I)
_PLACE = re.compile(r"\b(?:in|at)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")


def plain_meeting(sentence: str) -> re.Match[str] | None:
    """The meeting verb of ``sentence`` when it states a meeting plainly and does not rule it out."""
    lowered = sentence.lower()
    if not any(stem in lowered for stem in _MEET_STEMS):
        return None  # most sentences: no regex run at all
    match = _MEETS.search(sentence)
    if match is None:
        return None
    # The clause of the verb decides: "The board will meet March 31, but the full council is
    # not due to meet again until September" states the board's meeting.
    start = max(sentence.rfind(c, 0, match.start()) for c in ",;:") + 1
    ends = [i for i in (sentence.find(c, match.end()) for c in ",;:") if i >= 0]
    return None if _RULED_OUT.search(sentence[start : min(ends, default=len(sentence))]) else match


def _title(sentence: str, verb: re.Match[str]) -> str:
    """The clause that states the meeting: subject, verb and what follows up to a clause break."""
    subject = subject_of(sentence, verb.start())
    rest = re.split(
        r"[,;:.]|\s+(?:to discuss|to|on|in order|where|after|before)\s+", sentence[verb.end() :], maxsplit=1
    )
    words = f"{subject} {verb.group(0)}{rest[0]}".split()
    return " ".join(words[:14]).strip(" ,")


def _location(sentence: str, verb_end: int) -> Location | None:
    """ "… in Russia" → the country. (A city is not guessed: a capitalised word after "in"
    is as often an organisation or a title; measured, it lowered location F1.)"""
    match = _PLACE.search(sentence, verb_end)
    country = canonical_country(match.group(1)) if match else None
    return Location(country=country) if country else None


def _with_people(meeting: Meeting, text: str) -> Meeting:
    """Titled people the meeting's own sentences name ("Japanese Foreign Minister Fumio
    Kishida … met") that the model left out of its participants."""
    known = {p.name.split()[-1].casefold() for p in meeting.participants}
    extra = [
        p
        for e in meeting.evidence
        for p in titled_people(" ".join(e.quote.split()), text)
        if p.name.split()[-1].casefold() not in known
    ]
    return meeting.model_copy(update={"participants": [*meeting.participants, *extra]}) if extra else meeting


def backfill_meetings(
    meetings: list[Meeting],
    sentences: Sequence[Sentence],
    text: str,
    published: date | None,
    warnings: list[str],
) -> list[Meeting]:
    """``meetings`` (with the titled people of their sentences added) plus one record per
    plainly stated meeting they do not cover."""
    out = [_with_people(m, text) for m in meetings]
    covered = [(e.start, e.end) for m in meetings for e in m.evidence]
    for sentence in sentences:
        flat = " ".join(sentence.text.split())
        verb = plain_meeting(flat)
        if verb is None or any(s < sentence.end and sentence.start < e for s, e in covered):
            continue
        subject = sentence_parties(subject_of(flat, verb.start()), text)
        parties = list(dict.fromkeys([*(subject or []), *countries_in(DATELINE.sub("", flat))]))
        if subject == [] and len(parties) < 2:
            parties = list(dict.fromkeys([*context_parties(sentence, out, sentences[:3]), *parties]))
        if not parties:  # "the quarterly session of the International Tin Council"
            body = _OF_BODY.match(flat[verb.end() :])
            parties = (
                (sentence_parties(re.sub(r"\s+(?:of|and|for)$", "", body.group(1)), text) or [])
                if body
                else []
            )
            # "… to fellow OPEC members during last week's meeting in Vienna"
            parties = parties or list(
                dict.fromkeys(n for n in CAPITALISED.findall(flat) if BODY.fullmatch(n))
            )
        participants = titled_people(flat, text)
        if not parties and not participants:
            continue
        words = verb.group("verb").lower()
        planned = words.startswith(("will", "to", "welcoming")) or bool(_WILL.search(flat[: verb.start()]))
        quote = text[sentence.start : sentence.end]
        planned = planned or bool(_SOON.search(flat))
        phrase = find_date_phrase(DATELINE.sub("", flat)) or find_date_phrase(quote)  # the dateline last
        start, end = resolve_date(phrase, published, "future" if planned else "past")
        if not planned and start is not None and published is not None and start > published.isoformat():
            planned = True  # "kick off trade talks tomorrow"
        channel = "video" if _VIDEO.search(quote) else "phone" if _PHONE.search(quote) else "in_person"
        candidate = Meeting(
            id="m0",
            title=(meeting_title("", flat, text) if _NOUN_FORM.match(words) else _title(flat, verb))
            or "Meeting",
            status="planned" if planned else "held",
            channel=channel,
            date=start,
            end_date=end,
            location=_location(flat, verb.end()),
            participants=participants,
            parties=parties,
            evidence=[Evidence(quote=quote, start=sentence.start, end=sentence.end)],
        )
        add_meeting(out, candidate)
        warnings.append(f"added meeting the model left out: {candidate.title[:60]!r}")
    return out
