"""Field clean-up after the model (pure functions): places and agreement kinds.

Small models fill fields loosely: "Bali, Indonesia" or "London" in ``venue``, and
``contract`` for any agreement. These rules put each place word in its slot and
check an agreement's kind against the words of its evidence sentence.
"""

from __future__ import annotations

import re

from .names import canonical_country

__all__ = ["agreement_kind", "place_slots"]

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


_KIND_WORDS: dict[str, re.Pattern[str]] = {
    "memorandum": re.compile(r"\b(?:memorand\w*|mou)\b", re.I),
    "joint_statement": re.compile(r"\b(?:joint statement|declaration|communiqu\w*)\b", re.I),
    "treaty": re.compile(r"\b(?:treat(?:y|ies)|accords?|pacts?|conventions?)\b", re.I),
    "contract": re.compile(r"\b(?:contracts?|deals?|purchases?|buy|bought|sell|sold|supply|order)\b", re.I),
    "proposal": re.compile(r"\b(?:propos\w*|offer\w*|draft\w*|tabled)\b", re.I),
}
_VERBAL = re.compile(r"\b(?:agree\w*|vow\w*|pledge\w*|commit\w*|decided|consensus)\b", re.I)


def agreement_kind(kind: str, status: str, sentence: str) -> str:
    """The model's kind when its sentence bears it out; otherwise the kind the sentence names, else
    ``verbal`` for an agreement stated in words ("agreed to", "vowed to"), else ``other``."""
    if kind in _KIND_WORDS and _KIND_WORDS[kind].search(sentence):
        return kind
    if kind in ("verbal", "other"):
        return kind
    for name, pattern in _KIND_WORDS.items():
        if pattern.search(sentence) and (name != "proposal" or status == "proposed"):
            return name
    return "verbal" if _VERBAL.search(sentence) else "other"
