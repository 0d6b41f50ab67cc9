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

from .dates import find_date_phrase, resolve_date
from .fields import agreement_kind
from .merge import add_agreement
from .names import canonical_country, canonical_party
from .records import grounded
from .schemas import Agreement, Commitment, Evidence, Meeting, Participant
from .sentences import Sentence, denies_agreement

__all__ = [
    "TITLES",
    "backfill_agreements",
    "context_parties",
    "plain_agreement",
    "sentence_parties",
    "subject_of",
]

# The verb phrase of an agreement stated in plain words.
_PLAIN = re.compile(
    r"\b(?P<verb>agreed|signed|(?:have |has )?reached (?:an? |the )?(?:tentative |new )?(?:agreement|accord|deal)|"
    r"concluded (?:an? |the |their )?(?:agreement|accord|deal|treaty)|vowed|pledged|"
    r"(?:are|is|were) (?:fully )?committed to|commit(?:s|ted)? to)\b",
    re.I,
)
# Datelines ("TOKYO, March 14 - ") and reporting clauses ("officials said", "X said … that").
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]+(?:,\s+[A-Z][A-Za-z.' -]*?)*,\s+\w+\.?\s+\d{1,2}\s+-\s+")
_REPORTED = re.compile(r"^.*?\b(?:said|says|announced|stated|told \w+)\b(?:.*\bthat\b)?\s*", re.I)
# Subject words that name no side: the sides come from the meeting the sentence belongs to.
_COLLECTIVE = re.compile(
    r"^(?:they|we|both(?: \w+)?|(?:(?:the|our|their) )?(?:two |three |four )?(?:sides|leaders|countries|"
    r"governments|ministers|parties|nations|delegates|members)|(?:the|our|their) (?:company|union|companies|"
    r"unions|delegations))$",
    re.I,
)
_CAPITALISED = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]\.[A-Z]\.?|[A-Z]{2,4})(?:\s+[A-Z][a-z]+)*")
_AUXILIARIES = re.compile(
    r"(?:\s+(?:have|has|had|also|today|then|both|all|formally|officially|remain|remains|will))+$", re.I
)
# Organisations of many members whose members agree among themselves ("ICCO Council agreed").
_BODY = re.compile(
    r"\b(?:Council|Community|Organi[sz]ation|Union|Association|Alliance|Federation|Conference|Committee|"
    r"Group of|Commission|OPEC|GCC|ASEAN|NATO|ICO|ICCO|ITC|EC|EU|G-?\d+)\b"
)
_CALENDAR = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)\.?(?:\s+\d+)?$"
)
_REPORTER = re.compile(r"^(.*?)\s+(?:said|says|announced|stated)\b", re.I)
_WITH = re.compile(
    r"\b(?:with|from|to)\s+(?:the\s+)?<?(?-i:((?:[A-Z][\w&'’.-]*|of|and|for)(?:\s+(?:[A-Z][\w&'’.-]*|of|and|for))*))",
    re.I,
)
_REAFFIRMED = re.compile(r"\b(?:remains?|remained|reaffirm\w*|reiterat\w*)\s+(?:fully\s+)?$", re.I)
_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\b|&)\s*")
_LEADING = re.compile(r"^(?:the|today,?|also)\s+", re.I)
_CLAUSE = re.compile(
    r"^(?:under|in|at|on|after|before|during|with|for|by|from|going|as|while|since|following|prior)\b", re.I
)
# Titles that make a subject word a person, not a side ("Secretary Blinken").
TITLES = (
    r"(?:President|Prime Minister|Vice President|Secretary(?: of State| of Defense| General)?|Foreign Minister|"
    r"Defen[cs]e Minister|Minister|Chancellor|Premier|King|Queen|Crown Prince|Ambassador|Admiral|General|"
    r"Senator|Governor|Chairman|Chief Executive|Mr\.|Mrs\.|Ms\.|Dr\.|counterpart)"
)
_PERSON_PIECE = re.compile(rf"^(?:[A-Z][a-z]+\s+){{0,2}}{TITLES}\s+[A-Z]")


def plain_agreement(sentence: str) -> re.Match[str] | None:
    """The agreement verb of ``sentence`` when it states one plainly and does not deny it."""
    if denies_agreement(sentence):
        return None
    match = _PLAIN.search(sentence)
    if match is None or _REAFFIRMED.search(sentence[: match.start()]):
        return None  # "remain committed to": an old commitment restated
    return match


def subject_of(sentence: str, verb_start: int) -> str:
    """Who does the verb: the words before it, less dateline, reporting clause and auxiliaries;
    "Sun Microsystems Inc said it has agreed" → "Sun Microsystems Inc" (the reporter is "it")."""
    head = _DATELINE.sub("", " ".join(sentence[:verb_start].split()))
    subject = _AUXILIARIES.sub("", _REPORTED.sub("", head).strip(" ,")).strip()
    reporter = _REPORTER.match(head)
    if reporter and subject.lower() in {"it", "he", "she", "its board", "the company"}:
        words = re.sub(r"\s*<[^>]*>", "", reporter.group(1)).strip(" ,").split()
        name: list[str] = []  # the name that ends the clause ("In a statement British Telecom")
        while words and (words[-1][0].isupper() or (name and words[-1] in {"of", "and", "&"})):
            name.insert(0, words.pop())
        return " ".join(name).strip()
    return subject


def counterparty(sentence: str, verb_end: int, text: str) -> str | None:
    """The side named after the verb: "agreed to cooperate with Philips Corporate Group", "a loan
    from the European Community", "agreed to sell its unit to CareerCom Corp"."""
    clause = re.split(r"[;:]|,\s+(?:the\s+)?(?:\w+\s+){0,3}(?:said|says)\b", sentence[verb_end:], maxsplit=1)[
        0
    ]
    for match in _WITH.finditer(clause):
        name = re.sub(r"(?:\s+(?:of|and|for|the))+$", "", match.group(1).rstrip(".")).strip()
        if name:
            side = _side(name, text)
            if side is not None:
                return side
    return None


def _side(piece: str, text: str) -> str | None:
    piece = re.sub(r"\s*<[^>]*>", "", piece).strip()  # "British Telecommunications Plc <BTY.L>"
    if not piece or _CALENDAR.match(piece):
        return None
    party = canonical_party(piece)
    if canonical_country(party) is not None:
        return party
    if piece[0].isupper() and len(piece.split()) <= 6 and not _CLAUSE.match(piece) and grounded(piece, text):
        return party if _proper(piece, text) else None
    return None


def _proper(piece: str, text: str) -> bool:
    """A name, not a common word capitalised at the start of a sentence ("Officials"): two
    capitalised words, an acronym, or a word the text capitalises mid-sentence too."""
    words = piece.split()
    if sum(w[0].isupper() for w in words) >= 2 or words[0].isupper():
        return True
    return re.search(rf"[a-z,;]\s+{re.escape(words[0])}\b", text) is not None


def sentence_parties(subject: str, text: str) -> list[str] | None:
    """The sides a subject names ("Britain and Japan" → United Kingdom, Japan), read from its
    end back to the first word that is not a side ("Going forward, our countries"); ``[]`` for
    a subject that only refers to sides ("they", "the two leaders") or names a person
    ("Secretary Blinken"); ``None`` when a side cannot be named."""
    parties: list[str] = []
    referring = False
    for piece in reversed(_SPLIT.split(re.sub(r"\s*\([^)]*\)?", "", subject))):
        piece = piece.strip(" ,.;:()\"'")
        if _COLLECTIVE.match(piece) or _PERSON_PIECE.match(piece):
            referring = True  # a person's or the sides' side is told elsewhere
            continue
        while _LEADING.match(piece):
            piece = _LEADING.sub("", piece, count=1)
        if not piece:
            continue
        party = _side(piece, text)
        if party is None:
            break
        if party.casefold() not in {p.casefold() for p in parties}:
            parties.insert(0, party)
    if parties:
        return parties
    return [] if referring else None


_PERSON = re.compile(
    rf"\b(?P<pre>[A-Z][a-z]+\s+)?{TITLES}\s+(?P<name>(?:[A-Z][\w'’.-]+\s+){{0,2}}[A-Z][\w'’-]+)"
)


def titled_people(sentence: str, text: str) -> list[Participant]:
    """Titled names: "Japanese Prime Minister Shinzo Abe" → Shinzo Abe, Japanese Prime Minister."""
    people: list[Participant] = []
    for match in _PERSON.finditer(sentence):
        name, pre = match.group("name"), (match.group("pre") or "").strip()
        if (
            canonical_country(name) is not None
            or not grounded(name, text)
            or name in {p.name for p in people}
        ):
            continue
        # "Japanese Prime Minister", "Foreign Minister": the word before the title belongs to it
        # unless it ends a name ("… Shultz Secretary" does not occur; "and" is not capitalised).
        title = " ".join(sentence[match.start() : match.start("name")].split())
        people.append(Participant(name=name, title=title, country=canonical_country(pre) if pre else None))
    return people


def context_parties(sentence: Sentence, meetings: Sequence[Meeting], lead: Sequence[Sentence]) -> list[str]:
    """Who "they" are: the meeting whose evidence is nearest before (or in) ``sentence``,
    else the countries named by the first of the article's lead sentences that names two."""
    before = [(e.start, m) for m in meetings for e in m.evidence if e.start <= sentence.start]
    if before:
        return list(max(before, key=lambda pair: pair[0])[1].parties)
    for s in lead:
        found: list[str] = []
        for match in _CAPITALISED.finditer(_DATELINE.sub("", s.text)):
            country = canonical_country(match.group(0))
            if country and country not in found:
                found.append(country)
        if len(found) >= 2:
            return found
    return []


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
            found = [c for c in map(canonical_country, _CAPITALISED.findall(sentence.text)) if c]
            sides = list(dict.fromkeys(found))
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


def _kind(status: str, quote: str, subject: str) -> str:
    """Signed: what the sentence names (treaty, contract, …); "we commit": a joint statement;
    else an agreement in words."""
    if status == "signed":
        kind = agreement_kind("", status, quote)
        return "other" if kind == "verbal" else kind  # a signed text is not an agreement in words
    if re.search(r"\b(?:we|our)\b", subject, re.I):
        return "joint_statement"
    return "verbal"


def _restates(candidate: Agreement, verb: str, referring: bool, agreements: Sequence[Agreement]) -> bool:
    """True when ``candidate`` repeats a record with the same sides: the same verb and first
    words of the commitment, or, when its subject only refers to the sides ("both countries
    reached agreement at their talks"), no commitment of its own."""
    for a in agreements:
        if {p.casefold() for p in a.parties} != {p.casefold() for p in candidate.parties}:
            continue
        if not candidate.commitments:
            if referring:
                return True
            continue
        head = " ".join(candidate.commitments[0].action.casefold().split()[:4])
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
        if not parties or (len(parties) < 2 and not _BODY.search(parties[0])):
            continue  # one side agreeing alone is a pledge, unless it is a body of many members
        verb = match.group("verb")
        status = "signed" if verb.lower() == "signed" else "agreed"
        quote = text[sentence.start : sentence.end]
        start, _ = resolve_date(find_date_phrase(quote), published, "past")
        summary = " ".join(_DATELINE.sub("", " ".join(quote.split())).split())
        candidate = Agreement(
            id="a0",
            summary=summary,
            kind=_kind(status, quote, subject),
            status=status,
            parties=parties,
            commitments=_commitment(sentence.text, match.end(), bare=subject == "we"),
            date=start,
            evidence=[Evidence(quote=quote, start=sentence.start, end=sentence.end)],
        )
        if _restates(candidate, verb, referring, out):
            continue
        add_agreement(out, candidate)
        warnings.append(f"added agreement the model left out: {summary[:60]!r}")
    return _add_signatories(out, sentences, text)
