"""Field clean-up after the model (pure functions): places and meeting titles.

Small models fill fields loosely: "Bali, Indonesia" or "London" in ``venue``, a
dateline or the schema's example as a meeting's title. These rules put each place
word in its slot and name a meeting from its sentence when the model's title is not
grounded in the article (the record then lists ``rule:title`` in ``changed_by``).
"""

from __future__ import annotations

import re

from summarizer.articles.sentences import DATELINE
from summarizer.text.names import canonical_country

__all__ = ["meeting_title", "place_slots"]

_VENUE_WORDS = re.compile(
    r"\b(?:house|hall|palace|hotel|cent(?:er|re)|building|room|office|ministry|headquarters|embassy|"
    r"residence|camp|castle|club|airport|base|university|church|stadium|forum|kremlin|parliament|"
    r"chamber|villa|resort|lodge|garden|institute|complex|auditorium|street|avenue|plaza|square|tower|"
    r"pavilion|compound|ranch|estate|museum|library|port|ship|hq|secretariat|capitol|congress)s?\b",
    re.I,
)


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def place_slots(
    venue: str | None, city: str | None, country: str | None
) -> tuple[str | None, str | None, str | None]:
    """Move city and country words out of ``venue``: "Bali, Indonesia" → city Bali, country Indonesia;
    "Iikura guest house in Tokyo" → venue "Iikura guest house", city Tokyo; "Brussels" → city."""
    if not venue:
        return venue, city, country
    head, sep, tail = venue.partition(" in ")
    parts = [head.strip()] if not sep else [head.strip(), tail.strip()]
    parts = [p.strip() for part in parts for p in part.split(",") if p.strip()]
    kept: list[str] = []
    for part in parts:
        found = canonical_country(part)
        if found is not None and (country is None or _same(canonical_country(country), found)):
            country = country or part
        elif _VENUE_WORDS.search(part):
            kept.append(part)
        elif city is None or _same(city, part):
            city = city or part
        else:
            kept.append(part)
    return (", ".join(kept) or None), city, country


_DATELINE_TITLE = re.compile(r"^[A-Z][A-Za-z .'-]+,(?:\s+[A-Z][A-Za-z.]+,)?\s+\w+\.?\s+\d{1,2}\W*$")
_STOP = {"the", "and", "for", "with", "between", "meeting", "talks", "from", "over", "into"}
_MEETING_NOUN = re.compile(
    r"\b(?:meeting|session|talks|summit|conference|visit|negotiations|dialogue|consultations)s?\b", re.I
)
_NOT_MODIFIER = re.compile(
    r"^(?:a|an|the|their|his|her|its|our|this|that|these|those|to|at|on|in|of|for|and|or|by|with|from|"
    r"is|are|was|were|be|been|will|would|has|have|had|said|says|agreed|resume[sd]?|held|hold|holds|"
    r"began|begin|start\w*|end\w*|after|before|during|since|further|no|not|new|today's|yesterday's|"
    r"tomorrow's)$",
    re.I,
)


def meeting_title(title: str, sentence: str, text: str) -> str:
    """The model's title when the article bears it out; else a name taken from the meeting's
    sentence ("the quarterly session of the International Tin Council"). A dateline ("LONDON,
    April 8") or a title whose words are mostly not in the article (the schema's own example,
    "Biden-Xi talks in Bali") is not a name for this meeting."""
    words = [w for w in re.findall(r"[A-Za-z]{3,}", title) if w.casefold() not in _STOP]
    lowered = text.casefold()
    grounded = sum(w.casefold() in lowered for w in words)
    if title.strip() and not _DATELINE_TITLE.match(title.strip()) and words and grounded * 2 >= len(words):
        return title
    flat = DATELINE.sub("", " ".join(sentence.split()))
    match = _MEETING_NOUN.search(flat)
    if match is None:
        return " ".join(flat.split()[:10]).strip(" ,.;:") or title
    before = flat[: match.start()].split()
    head: list[str] = []
    while (
        before
        and len(head) < 4
        and not _NOT_MODIFIER.match(before[-1].strip(",;:"))
        and before[-1][-1] not in ",;:"
    ):
        head.insert(0, before.pop())
    after = re.match(r"(?:\s+(?:of|between|with|on|in)(?:\s+[^\s,.;:]+){1,6})?", flat[match.end() :])
    tail = re.sub(
        r"(?:\s+(?:a|an|the|of|for|and|but|or|to|in|on|with|which|however))+$",
        "",
        after.group(0) if after else "",
    )
    phrase = " ".join([*head, match.group(0)]) + tail
    return phrase[:1].upper() + phrase[1:]
