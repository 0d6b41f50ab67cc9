"""Locate evidence quotes in the source text, returning character offsets.

Matching is tried in order: exact; normalised (case, whitespace, quote marks and
dashes folded) with offsets mapped back to the original text; then fuzzy
(rapidfuzz partial alignment) above a threshold. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz import process as fuzz_process

from summarizer.text.names import canonical_country, country_forms, name_key, strip_honorifics

__all__ = ["Span", "grounded", "locate", "normalise"]

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
FUZZY_THRESHOLD = 90.0


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    match: Literal["exact", "fuzzy"]


def normalise(text: str) -> str:
    """Fold case, quote marks, dashes and runs of whitespace."""
    return _SPACE.sub(" ", text.translate(_FOLD)).casefold().strip()


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    pending_space = False
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            index.append(i - 1)
            pending_space = False
        folded = ch.casefold()
        out.extend(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def locate(quote: str, text: str, *, fuzzy: bool = True, threshold: float = FUZZY_THRESHOLD) -> Span | None:
    """Find ``quote`` in ``text``; ``None`` when it is not there."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return Span(start, start + len(quote), "exact")
    norm_text, index = _normalise_with_map(text)
    norm_quote = normalise(quote).strip(" .")
    if not norm_quote:
        return None
    pos = norm_text.find(norm_quote)
    if pos >= 0:
        return Span(index[pos], index[pos + len(norm_quote) - 1] + 1, "exact")
    if not fuzzy or len(norm_quote) < 12:
        return None
    alignment = fuzz.partial_ratio_alignment(norm_quote, norm_text, score_cutoff=threshold)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    # Only accept alignments that cover (nearly) the whole quote.
    if (alignment.dest_end - alignment.dest_start) < 0.85 * len(norm_quote):
        return None
    return Span(index[alignment.dest_start], index[alignment.dest_end - 1] + 1, "fuzzy")


def grounded(name: str, text: str) -> bool:
    """True when ``name`` (or, for a country, one of its names) occurs in ``text``."""
    name = name.strip()
    if not name:
        return False
    if locate(name, text, fuzzy=False) is not None:
        return True
    country = canonical_country(name)
    if country is not None:
        forms = country_forms(country)
        lowered = normalise(text)
        return any(re.search(r"(?<!\w)" + re.escape(normalise(f)) + r"(?!\w)", lowered) for f in forms)
    # A person may be named by surname only ("Kishida"): the last name must be in the text;
    # other names must be there too, as initials ("F. Kishida") or spelling variants ("Sergei").
    tokens = name_key(strip_honorifics(name)).split()
    words = set(name_key(text).split())
    if not tokens or tokens[-1] not in words:
        return False
    return all(
        len(t) == 1 or t in words or fuzz_process.extractOne(t, words, score_cutoff=80) is not None
        for t in tokens[:-1]
    )
