"""Sentence spans and cue-word candidates (pure functions).

The extraction passes show the model a numbered list of the sentences that may
state a meeting or an agreement; the model answers with sentence numbers and the
code turns them into exact evidence spans. Repeated sentences (articles often
repeat their lead paragraph) are listed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.text.grounding import normalise

__all__ = [
    "AGREEMENT_CUES",
    "DATELINE",
    "MEETING_CUES",
    "Sentence",
    "candidates",
    "denies_agreement",
    "split_sentences",
    "states_agreement",
    "unique_sentences",
]

MEETING_CUES = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks?|summit\w*|visit\w*|calls?|called|phoned|telephoned|"
    r"spoke|speak|conferen\w*|session|negotiat\w*|dialogue|consult\w*|hosted|hosts?|gather\w*|"
    r"convene\w*|board|rounds?|discuss\w*|sat down|hold|held|holds|ministerial|encounter|"
    r"two-plus-two|2\+2|bilateral|trilateral|video ?conference|margins)\b",
    re.I,
)
AGREEMENT_CUES = re.compile(
    r"\b(?:agree\w*|accords?|deals?|pacts?|treat(?:y|ies)|memorand\w*|mou|contracts?|"
    r"sign\w*|vow\w*|commit\w*|pledge\w*|settle\w*|arrangement\w*|extend\w*|extension|framework|"
    r"approv\w*|ratif\w*|propos\w*|offer\w*|accept\w*|consensus|understanding|decided|"
    r"will establish|joint statement|declaration|rules|quotas?|resolution|endorse\w*|launch\w*|"
    r"establish\w*|protocol|charter|partnership|cooperat\w*)\b",
    re.I,
)
# What a sentence must say to be kept as an agreement's evidence: the words of agreeing
# (not "significant" or "committee"), or cooperation words with a joint intent.
_AGREEING = re.compile(
    r"\b(?:agree\w*|accords?|deals?|pacts?|treat(?:y|ies)|memorand\w*|mou|contracts?|"
    r"sign(?:s|ed|ing|ator\w*|ature\w*)?|vow\w*|commit(?:s|ted|ting|ments?)?|pledge\w*|settle\w*|"
    r"arrangements?|extend\w*|extension|framework|approv\w*|ratif\w*|propos\w*|offer\w*|accept\w*|"
    r"consensus|understanding|decided|joint\s+statement|declaration|resolution|endorse\w*|launch\w*|"
    r"establish\w*|protocol|charter)\b",
    re.I,
)
_COOPERATING = re.compile(r"\b(?:rules|quotas?|partnership|cooperat\w*)\b", re.I)
_INTENT = re.compile(r"\b(?:will|shall|intends?|intended|plans?\s+to|planned\s+to)\b", re.I)


_WISH = re.compile(r"\b(?:look(?:s|ed|ing)?\s+forward|hopes?|hoped|wish\w*|seeks?|aims?)\b", re.I)
_NO_AGREEMENT = re.compile(
    r"\b(?:fail\w*|unable|refus\w*)\b[^.;]{0,60}\b(?:agree\w*|accord|deal|settle\w*)|"
    r"\b(?:no|without)\s+(?:an?\s+)?(?:agreement|accord|deal|settlement)\b|"
    r"\b(?:did|does|do|could|would)\s*(?:not|n't)\s+agree\b",
    re.I,
)


def states_agreement(text: str) -> bool:
    """True when ``text`` has agreement wording (stricter than :data:`AGREEMENT_CUES`):
    words of agreeing, or cooperation words with an intent that is not a wish."""
    if _AGREEING.search(text):
        return True
    return bool(_COOPERATING.search(text) and _INTENT.search(text) and not _WISH.search(text))


def denies_agreement(text: str) -> bool:
    """True when ``text`` says an agreement was not reached ("failure to reach agreement")."""
    return bool(_NO_AGREEMENT.search(text))


# A news dateline, with an optional byline: "TOKYO, March 14 - ", "By Rich Miller, Reuters TOKYO, March 2 - ".
DATELINE = re.compile(
    r"^\s*(?:By\s+[A-Z][\w.' -]+?,\s+Reuters\s+)?[A-Z][A-Z .'-]+(?:,\s+[A-Z][A-Za-z.' -]*?)*,\s+\w+\.?\s+\d{1,2}\s+-\s+"
)

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sen|Rep|Gov|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"No|Co|Corp|Inc|Ltd|vs|etc|approx|U\.S|U\.K|U\.N|E\.U)\.)$"
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into ``text``; blank lines always end a sentence."""
    out: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        # The longest abbreviation is 7 characters: the tail decides (searching the whole
        # sentence so far made splitting quadratic in the sentence length).
        before = text[start : match.start()].rstrip()[-40:]
        if "\n\n" not in match.group(0) and _ABBREVIATIONS.search(before):
            continue
        _add(out, text, start, match.start())
        start = match.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if len(stripped) < 3:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s, e = start + lead, start + lead + len(stripped)
    # A "sentence" spanning single newlines is kept whole; long ones are split on lines.
    if e - s > 600 and "\n" in stripped:
        offset = s
        for line in stripped.split("\n"):
            if line.strip():
                _add(out, text, offset, offset + len(line))
            offset += len(line) + 1
        return
    out.append(Sentence(s, e, " ".join(stripped.split())))


def unique_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """First occurrence of each sentence (articles often repeat their lead paragraph)."""
    seen: set[str] = set()
    out = []
    for sentence in sentences:
        key = normalise(sentence.text)
        if key not in seen:
            seen.add(key)
            out.append(sentence)
    return out


def candidates(sentences: list[Sentence], cues: re.Pattern[str], limit: int = 40) -> list[Sentence]:
    """Sentences that contain a cue word, first occurrence of each repeated sentence only."""
    seen: set[str] = set()
    out: list[Sentence] = []
    for sentence in sentences:
        key = normalise(sentence.text)
        if key in seen or not cues.search(sentence.text):
            continue
        seen.add(key)
        out.append(sentence)
    return out[:limit]
