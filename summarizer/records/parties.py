"""Who a sentence names: the sides of a subject, the counterparty after the verb, titled
people, and who "they" / "we" are. Shared by the backfill of meetings and agreements.
Pure functions over the article text; a side must be a name the text bears out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.articles.sentences import DATELINE, Sentence
from summarizer.schemas import Meeting, Participant
from summarizer.text.dates import calendar_name
from summarizer.text.grounding import grounded
from summarizer.text.names import canonical_country, canonical_party

__all__ = [
    "BODY",
    "CAPITALISED",
    "DATELINE",
    "TITLES",
    "context_parties",
    "counterparty",
    "countries_in",
    "sentence_parties",
    "subject_of",
    "titled_people",
]

# Datelines ("TOKYO, March 14 - ") and reporting clauses ("officials said", "X said … that").
_REPORTED = re.compile(r"^.*?\b(?:said|says|announced|stated|told \w+)\b(?:.*\bthat\b)?\s*", re.I)
# Subject words that name no side: the sides come from the meeting the sentence belongs to.
_COLLECTIVE = re.compile(
    r"^(?:they|we|both(?: \w+)?|(?:(?:the|our|their) )?(?:two |three |four )?(?:sides|leaders|countries|"
    r"governments|ministers|parties|nations|delegates|members)|(?:the|our|their) (?:company|union|companies|"
    r"unions|delegations))$",
    re.I,
)
CAPITALISED = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]\.[A-Z]\.?|[A-Z]{2,4})(?:\s+[A-Z][a-z]+)*")
_AUXILIARIES = re.compile(
    r"(?:\s+(?:have|has|had|also|today|then|both|all|formally|officially|remain|remains|will))+$", re.I
)
# Organisations of many members whose members agree among themselves ("ICCO Council agreed").
BODY = re.compile(
    r"\b(?:Council|Community|Organi[sz]ation|Union|Association|Alliance|Federation|Conference|Committee|"
    r"Group of|Commission|OPEC|GCC|ASEAN|NATO|ICO|ICCO|ITC|EC|EU|G-?\d+)\b"
)
_REPORTER = re.compile(r"^(.*?)\s+(?:said|says|announced|stated)\b", re.I)
_WITH = re.compile(
    r"\b(?:with|from|to)\s+(?:the\s+)?<?(?-i:((?:[A-Z][\w&'’.-]*|of|and|for)(?:\s+(?:[A-Z][\w&'’.-]*|of|and|for))*))",
    re.I,
)
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


def subject_of(sentence: str, verb_start: int) -> str:
    """Who does the verb: the words before it, less dateline, reporting clause and auxiliaries;
    "Sun Microsystems Inc said it has agreed" → "Sun Microsystems Inc" (the reporter is "it")."""
    head = DATELINE.sub("", " ".join(sentence[:verb_start].split()))
    subject = _AUXILIARIES.sub("", _REPORTED.sub("", head).strip(" ,")).strip()
    reporter = _REPORTER.match(head)
    if reporter and subject.lower() in {"it", "he", "she", "its board", "the company"}:
        words = _untick(reporter.group(1)).strip(" ,").split()
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
    piece = _untick(piece)
    if not piece or calendar_name(piece):
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
        found = countries_in(DATELINE.sub("", s.text))
        if len(found) >= 2:
            return found
    return []


def countries_in(text: str) -> list[str]:
    """The countries ``text`` names, in order, once each: a capitalised run that is a country
    ("Republic of Korea"), else its words that are ("Japanese Prime Minister" → Japan)."""
    found: list[str] = []
    for match in CAPITALISED.finditer(text):
        span = match.group(0)
        whole = canonical_country(span)
        for country in [whole] if whole else map(canonical_country, span.split()):
            if country and country not in found:
                found.append(country)
    return found


def _untick(text: str) -> str:
    """Without stock tickers: "British Telecommunications Plc <BTY.L>" → "British Telecommunications Plc"."""
    return re.sub(r"\s*<[^>]*>", "", text).strip()
