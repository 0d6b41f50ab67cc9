"""Agreements the article states in plain words that the model left out.

A small model lists one or two agreements and stops. A sentence in which named
sides "agreed to", "signed", "reached an agreement" or "committed to" something is
an agreement whatever the model said, so tested code adds it: the sentence is the
evidence and the summary, its subject gives the parties (or, for "they" / "the two
leaders" / "we", the meeting the sentence belongs to), the words after the verb the
commitment. A sentence already evidencing an agreement, one that denies an
agreement, and one whose sides cannot be named are left alone. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from summarizer.articles.sentences import Sentence, denies_agreement
from summarizer.records.fields import agreement_kind
from summarizer.records.merge import add_agreement
from summarizer.records.parties import (
    BODY,
    DATELINE,
    context_parties,
    counterparty,
    countries_in,
    sentence_parties,
    subject_of,
    titled_people,
)
from summarizer.schemas import Agreement, Commitment, Evidence, Meeting, Participant
from summarizer.text.dates import find_date_phrase, resolve_date

__all__ = ["backfill_agreements", "joint_statement_sides", "plain_agreement", "signed_by"]

# The verb phrase of an agreement stated in plain words.
_PLAIN = re.compile(
    r"\b(?P<verb>agreed|signed|(?:have |has )?reached (?:an? |the )?(?:tentative |new )?(?:agreement|accord|deal)|"
    r"concluded (?:an? |the |their )?(?:agreement|accord|deal|treaty)|vowed|pledged|"
    r"(?:are|is|were) (?:fully )?committed to|commit(?:s|ted)? to)\b",
    re.I,
)
_REAFFIRMED = re.compile(r"\b(?:remains?|remained|reaffirm\w*|reiterat\w*)\s+(?:fully\s+)?$", re.I)


def plain_agreement(sentence: str) -> re.Match[str] | None:
    """The agreement verb of ``sentence`` when it states one plainly and does not deny it."""
    lowered = sentence.lower()
    if not any(stem in lowered for stem in _PLAIN_STEMS):
        return None  # most sentences: no regex run at all
    match = _PLAIN.search(sentence)
    if match is None or _REAFFIRMED.search(sentence[: match.start()]) or denies_agreement(sentence):
        return None  # "remain committed to": an old commitment restated
    return match


_PLAIN_STEMS = ("agree", "sign", "reach", "conclu", "vow", "pledge", "commit")


def _commitment(sentence: str, verb_end: int, bare: bool = False) -> list[Commitment]:
    """What follows "agreed (in principle) to …" (or, ``bare``, "we will …"), up to the first
    clause break, in at most 12 words."""
    rest = sentence[verb_end:]
    match = (
        re.match(r"\s*(?!to\b)([^,.;]+)", rest)
        if bare
        else re.match(r"[^,.;]{0,40}?\bto\s+([^,.;]+)", rest, re.S)
    )
    if match is None:
        return []
    action = re.split(
        r"\s+(?:at|during|after|when|in order to|which|while)\s+", " ".join(match.group(1).split())
    )[0]
    words = action.split()
    return [Commitment(action=" ".join(words[:12]))] if len(words) >= 2 else []


# A joint statement opens "We, the leaders of Japan, the ROK and the United States, …"; its
# "we will …", "we intend to …", "we announce …" sentences are what the sides agreed.
_JOINT_OPENING = re.compile(
    r"^\W*We,\s+the\s+(?:leaders|heads of (?:state|government)|(?:foreign |defen[cs]e )?ministers|"
    r"governments|representatives)\s+of\b",
    re.I,
)
_JOINT_INTENT = re.compile(
    r"\b(?:we|our (?:two |three |four )?(?:countries|governments|nations))\s+(?:also\s+)?"
    r"(?P<verb>will|shall|intend to|plan to|announce|are (?:fully )?committed to|commit to|decided to)\s",
    re.I,
)


# "We will continue / strengthen / enhance …" restates an ongoing effort; LABELING counts a
# commitment only when it names something concrete to do ("hold", "launch", "establish").
_VAGUE = re.compile(
    r"\s*(?:also\s+|further\s+)*(?:to\s+)?(?:continu\w*|strengthen\w*|enhanc\w*|deepen\w*|maintain\w*|"
    r"work\w*|support\w*|bolster\w*|promot\w*|seek\w*|build\w*|remain\w*|stand\w*|further)\b",
    re.I,
)
_CONCRETE = re.compile(
    r"\b(?:hold|launch|establish|conduct|create|convene|set up|begin|start|sign|share|operationali[sz]e|"
    r"open)\b",
    re.I,
)


def _vague(match: re.Match[str], sentence: str) -> bool:
    """A statement of intent ("we will …", "we are committed to …") to an ongoing effort
    with nothing concrete in its clause."""
    verb = match.group("verb").lower()
    if not (verb in {"will", "shall"} or verb.startswith(("intend", "plan", "are ", "is ", "were "))):
        return False  # "agreed to" and "commit to" are acts of committing, not statements of intent
    clause = re.split(r"[.;]", sentence[match.end() :], maxsplit=1)[0]
    return bool(_VAGUE.match(clause)) and not _CONCRETE.search(clause)


def joint_statement_sides(lead: Sequence[Sentence]) -> list[str]:
    """The countries of a joint statement's opening ("We, the leaders of …"), else ``[]``."""
    for sentence in lead:
        if _JOINT_OPENING.match(sentence.text):
            sides = countries_in(sentence.text)
            return sides if len(sides) >= 2 else []
    return []


_SIGNED_BY = re.compile(
    r"\bsigned\s+(?:\w+\s+){0,3}?by\s+(.+?)(?:\s+(?:after|on|in|at|during)\b|[;.]|$)", re.I
)


def signed_by(sentences: Sequence[Sentence], first: int, text: str) -> list[Participant]:
    """The people "signed by" names in the sentence at ``first`` or the two after it."""
    for sentence in sentences[first : first + 3]:
        match = _SIGNED_BY.search(" ".join(sentence.text.split()))
        if match:
            return titled_people(match.group(1), text)
    return []


def _add_signatories(
    agreements: list[Agreement], sentences: Sequence[Sentence], text: str
) -> list[Agreement]:
    starts = [s.start for s in sentences]
    out: list[Agreement] = []
    for a in agreements:
        if a.status.value == "signed" and not a.signatories and a.evidence:
            index = max((i for i, start in enumerate(starts) if start <= a.evidence[0].start), default=0)
            people = signed_by(sentences, index, text)
            a = a.model_copy(update={"signatories": people}) if people else a
        out.append(a)
    return out


_SAID = re.compile(r"^[^\"“]*?\b(?:said|says|announced|stated|told \w+)\b(?:[^\"“]*?\bthat\b)?\s+", re.I)


def _summary(quote: str) -> str:
    """The sentence without its dateline and reporting clause ("Kishida said at a joint press
    conference after the meeting that Japan and Russia agreed …" → "Japan and Russia agreed …")."""
    text = DATELINE.sub("", " ".join(quote.split()))
    rest = _SAID.sub("", text, count=1)
    if rest != text and plain_agreement(rest) is not None and not re.match(r"(?:it|he|she)\b", rest, re.I):
        text = rest[:1].upper() + rest[1:]
    return text


def _kind(status: str, quote: str, subject: str) -> str:
    """Signed: what the sentence names (treaty, contract, …); "we commit": a joint statement;
    else an agreement in words."""
    if status == "signed":
        kind = agreement_kind("", status, quote)
        return "other" if kind == "verbal" else kind  # a signed text is not an agreement in words
    if re.search(r"\b(?:we|our)\b", subject, re.I):
        return "joint_statement"
    return "verbal"


def _restates(
    parties: Sequence[str],
    commitments: Sequence[Commitment],
    verb: str,
    referring: bool,
    agreements: Sequence[Agreement],
) -> bool:
    """True when a candidate repeats a record with the same sides: the same verb and first
    words of the commitment, or, when its subject only refers to the sides ("both countries
    reached agreement at their talks"), no commitment of its own."""
    sides = {p.casefold() for p in parties}
    for a in agreements:
        if {p.casefold() for p in a.parties} != sides:
            continue
        if not commitments:
            if referring:
                return True
            continue
        head = " ".join(commitments[0].action.casefold().split()[:4])
        quotes = " ".join(" ".join(e.quote.split()).casefold() for e in a.evidence)
        if f"{verb.casefold()} to {head}" in quotes:
            return True
    return False


def backfill_agreements(
    agreements: list[Agreement],
    meetings: Sequence[Meeting],
    sentences: Sequence[Sentence],
    text: str,
    published: date | None,
    warnings: list[str],
) -> list[Agreement]:
    """``agreements`` plus one record per plainly stated agreement they do not cover."""
    out = list(agreements)
    covered = [(e.start, e.end) for a in agreements for e in a.evidence]
    joint = joint_statement_sides(sentences[:2])
    for sentence in sentences:
        if any(s < sentence.end and sentence.start < e for s, e in covered):
            continue
        match = plain_agreement(sentence.text)
        if match is not None:
            subject = subject_of(sentence.text, match.start())
            parties = sentence_parties(subject, text)
            other = counterparty(sentence.text, match.end(), text)
            if parties and other and other.casefold() not in {p.casefold() for p in parties}:
                parties = [*parties, other]
        elif joint and (match := _JOINT_INTENT.search(sentence.text)) is not None:
            subject, parties = "we", []
        else:
            continue
        if _vague(match, sentence.text):
            continue
        referring = parties == []
        if referring:
            parties = joint or context_parties(sentence, meetings, sentences[:3])
        if not parties or (len(parties) < 2 and not BODY.search(parties[0])):
            continue  # one side agreeing alone is a pledge, unless it is a body of many members
        verb = match.group("verb")
        commitments = _commitment(sentence.text, match.end(), bare=subject == "we")
        if _restates(parties, commitments, verb, referring, out):
            continue
        status = "signed" if verb.lower() == "signed" else "agreed"
        quote = text[sentence.start : sentence.end]
        start, _ = resolve_date(find_date_phrase(quote), published, "past")
        summary = _summary(quote)
        candidate = Agreement(
            id="a0",
            summary=summary,
            kind=_kind(status, quote, subject),
            status=status,
            parties=parties,
            commitments=commitments,
            date=start,
            evidence=[Evidence(quote=quote, start=sentence.start, end=sentence.end)],
        )
        add_agreement(out, candidate)
        warnings.append(f"added agreement the model left out: {summary[:60]!r}")
    return _add_signatories(out, sentences, text)
