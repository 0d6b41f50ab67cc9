"""Locate evidence quotes in the source text, returning character offsets.

Matching is tried in order: exact; normalised (case, width, white space (full-width spaces
included), quote marks, dashes, composed or decomposed accents and Latin accents folded) with
offsets mapped back to the original text; then fuzzy (rapidfuzz partial alignment) above a
threshold. Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz import process as fuzz_process

from summarizer.text.names import canonical_country, country_forms, name_key, strip_honorifics
from summarizer.text.organisations import is_acronym, organisation_forms

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
# Scripts written without spaces between words (kana, Han, Hangul syllables, Thai).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f\uff66-\uff9f]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    match: Literal["exact", "fuzzy"]


def normalise(text: str) -> str:
    """Fold case, width, quote marks, dashes, accents of Latin letters and runs of white space
    ("Álvarez" and "Alvarez" with a decomposed accent, "２０２４" and "2024" fold alike)."""
    if text.isascii():
        return _SPACE.sub(" ", text.translate(_FOLD)).casefold().strip()
    return _normalise_with_map(text)[0]


def _fold_cluster(cluster: str) -> str:
    """One character with its combining marks, folded as :func:`normalise` folds text."""
    folded = unicodedata.normalize("NFKC", cluster.translate(_FOLD)).casefold()
    if folded.isascii():
        return folded
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", folded):
        if unicodedata.combining(ch) and out and (out[-1] < "\u0250" or "\u1e00" <= out[-1] <= "\u1eff"):
            continue  # an accent on a Latin letter; a Japanese voicing mark stays
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).translate(_FOLD)


_JOINING = {"\uff9e", "\uff9f"}  # half-width voicing marks: part of the kana before them


@lru_cache(maxsize=16)
def _normalise_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """Normalised text and, for each of its characters, the start and end in ``text`` of the
    character (with its combining marks) it comes from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space = -1
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and not text[j].isascii() and (unicodedata.combining(text[j]) or text[j] in _JOINING):
            j += 1  # a decomposed accent belongs to its letter
        ch = text[i]
        folded = (
            ch if j == i + 1 and ch.isascii() and not ch.isupper() and ch != "`" else _fold_cluster(text[i:j])
        )
        if folded.isspace() or not folded:
            if out and folded:
                pending_space = i
            i = j
            continue
        if pending_space >= 0:
            # White space between characters of a script written without spaces is noise
            # ("した。　岸田", "外相は 3日"): dropped.
            if not (_UNSPACED.match(out[-1]) or _UNSPACED.match(folded[0])):
                out.append(" ")
                starts.append(pending_space)
                ends.append(pending_space + 1)
            pending_space = -1
        for ch in folded:
            if ch.isspace():
                continue
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(out), starts, ends


def locate(quote: str, text: str, *, fuzzy: bool = True, threshold: float = FUZZY_THRESHOLD) -> Span | None:
    """Find ``quote`` in ``text``; ``None`` when it is not there."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return Span(start, start + len(quote), "exact")
    norm_text, starts, ends = _normalise_with_map(text)
    norm_quote = normalise(quote).strip(" .")
    if not norm_quote:
        return None
    pos = norm_text.find(norm_quote)
    if pos >= 0:
        return Span(starts[pos], ends[pos + len(norm_quote) - 1], "exact")
    if not fuzzy or len(norm_quote) < 12:
        return None
    alignment = fuzz.partial_ratio_alignment(norm_quote, norm_text, score_cutoff=threshold)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    # Only accept alignments that cover (nearly) the whole quote.
    if (alignment.dest_end - alignment.dest_start) < 0.85 * len(norm_quote):
        return None
    return Span(starts[alignment.dest_start], ends[alignment.dest_end - 1], "fuzzy")


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


# A form in Cyrillic ends in a case ending the text may change ("Россия": "России", "Россией";
# "Китай": "Китая"; "Казахстан": "Казахстана"): its last letter, when a vowel or й/ь, may be any
# one to three letters, and up to three letters may follow a final consonant. A
# name in Latin letters may take a genitive "s" (German "Deutschlands", "Chinas").
_CYRILLIC = re.compile(r"[\u0400-\u04ff]{4,}$")
_CYRILLIC_END = re.compile(r"[аеёиоуыэюяйь]$")
_LATIN_END = re.compile(r"[a-z]{3,}(?<!s)$")


def _form_regex(form: str) -> str:
    """One normalised name as a regular expression: a whole word, except at the edge of a name in
    a script written without spaces ("日本" in "日本政府は"); with the endings above."""
    left = "" if _UNSPACED.match(form[0]) else r"(?<!\w)"
    right = "" if _UNSPACED.match(form[-1]) else r"(?!\w)"
    if _CYRILLIC.search(form):
        stem = form[:-1] if _CYRILLIC_END.search(form) else form
        return left + re.escape(stem) + r"[\u0400-\u04ff]{0,3}" + right
    if _LATIN_END.search(form):
        return left + re.escape(form) + "s?" + right
    return left + re.escape(form) + right


@lru_cache(maxsize=512)
def _forms_pattern(forms: tuple[str, ...], fold: bool = True) -> re.Pattern[str] | None:
    """Any of ``forms`` (:func:`_form_regex`): normalised, for :func:`normalise`-d text, or as
    written (``fold=False``, case-sensitive: "UN", "G7", "НАТО"); ``None`` when there is none."""
    written = {normalise(f) for f in forms} if fold else set(forms)
    alternatives = [_form_regex(f) for f in sorted(written - {""}, key=len, reverse=True)]
    return re.compile("|".join(alternatives)) if alternatives else None


def _organisation_found(forms: tuple[str, ...], text: str) -> bool:
    words = _forms_pattern(tuple(f for f in forms if not is_acronym(f)))
    if words is not None and words.search(normalise(text)):
        return True
    capitals = _forms_pattern(tuple(f for f in forms if is_acronym(f)), fold=False)
    return capitals is not None and capitals.search(unicodedata.normalize("NFKC", text)) is not None


def grounded(name: str, text: str) -> bool:
    """True when ``name`` (or, for a country or an international organisation, one of its names in
    any language) occurs in ``text``."""
    name = name.strip()
    if not name:
        return False
    if locate(name, text, fuzzy=False) is not None:
        return True
    country = canonical_country(name)
    if country is not None:
        pattern = _forms_pattern(tuple(country_forms(country)))
        return pattern is not None and pattern.search(normalise(text)) is not None
    organisation = organisation_forms(name)
    if organisation:
        return _organisation_found(organisation, text)
    tokens = name_key(strip_honorifics(name)).split()
    if not tokens:
        return False
    if _UNSPACED.search(name):
        # Japanese and Chinese text has no spaces between words: the name's parts are looked for
        # anywhere, and one part is enough (a family name, first in a Han name: "岸田" for
        # "岸田 文雄"; last in a katakana one: "ブリンケン" for "アントニー・ブリンケン").
        flat = name_key(text).replace(" ", "")
        if "".join(tokens) in flat:
            return True
        part = tokens[0] if _HAN.match(tokens[0]) else tokens[-1]
        return len(tokens) > 1 and len(part) >= 2 and part in flat
    # A person may be named by surname only ("Kishida"): the last name must be in the text;
    # other names must be there too, as initials ("F. Kishida") or spelling variants ("Sergei").
    words = set(name_key(text).split())
    if tokens[-1] not in words:
        return False
    return all(
        len(t) == 1 or t in words or fuzz_process.extractOne(t, words, score_cutoff=80) is not None
        for t in tokens[:-1]
    )
