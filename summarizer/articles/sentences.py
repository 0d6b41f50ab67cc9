"""Sentence spans (pure functions), in any language.

The model sees the article as a numbered list of its sentences and answers with
sentence numbers; the code turns them into exact evidence spans. Repeated sentences
(articles often repeat their lead paragraph) are listed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.text.grounding import normalise

__all__ = ["DATELINE", "Sentence", "split_sentences", "unique_sentences"]

# A news dateline, with an optional byline: "TOKYO, March 14 - ", "By Rich Miller, Reuters TOKYO, March 2 - ".
DATELINE = re.compile(
    r"^\s*(?:By\s+[A-Z][\w.' -]+?,\s+Reuters\s+)?[A-Z][A-Z .'-]+(?:,\s+[A-Z][A-Za-z.' -]*?)*,\s+\w+\.?\s+\d{1,2}\s+-\s+"
)

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sen|Rep|Gov|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"No|Co|Corp|Inc|Ltd|vs|etc|approx|U\.S|U\.K|U\.N|E\.U|"
    # Spanish, French, German, Portuguese, Italian, Dutch: titles, "EE. UU.", "z. B.", "S.A."
    r"Sr|Sra|Srta|Dra|Dña|Ud|Uds|Lic|Ing|Excmo|Excma|Av|Avda|núm|pág|EE|UU|EE\.UU|"
    r"Mme|Mlle|MM|Ste|Mgr|av|env|cf|"
    r"Prof|Nr|bzw|ca|usw|Hr|Str|Abs|vgl|Mrd|Mio|Tsd|z\.B|d\.h|u\.a|v\.a|"
    r"Exmo|Exma|Sto|Sta|"
    r"Sig|Sig\.ra|Dott|Avv|"
    r"dhr|mevr|mw|"
    r"S\.A|S\.L|Cía|Cia)\.)$"
)
# A sentence ends at . ! ? (with up to two closing quotes or brackets, which stay in it) before
# white space and a capital, a digit, an opening quote, ¿ or ¡, or a letter of a script without
# case; not at "3." before a month ("am 3. März"). Japanese and Chinese sentences end at 。！？
# with no space after (a closing 」 followed by a space or a new quote ends one too). A blank
# line always ends a sentence.
_CLOSERS = "\"'”’“»›)\\]」』"
_UPPER = "".join(
    ch for ch in map(chr, [*range(0xC0, 0x530), *range(0x1E00, 0x2000)]) if ch.isupper() and ch.isalpha()
)
_UNCASED = (
    "\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
)
_MONTHS_AFTER_ORDINAL = (
    r"(?:Januar|Jänner|Februar|Feber|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b"
)
_BOUNDARY = re.compile(
    rf"(?:(?<=[.!?])|(?<=[.!?][{_CLOSERS}])|(?<=[.!?][{_CLOSERS}]{{2}})|(?<=[.!?][\s\u00a0\u202f][»”]))"
    rf"(?!(?<=\d\.)\s+{_MONTHS_AFTER_ORDINAL})"
    rf"\s+(?=[\"'“‘„«‹(\[¿¡]*[A-Z0-9{_UPPER}{_UNCASED}])"
    rf"|(?<=[。！？])(?![{_CLOSERS}！？。\s])"
    rf"|(?<=[。！？])\s+"
    rf"|(?<=[。！？][{_CLOSERS}])(?=\s|[「『（“])\s*"
    r"|\n\s*\n"
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into ``text`` (``text[s.start:s.end]`` is sentence ``s``, its
    ``text`` with white space runs made single spaces); blank lines always end a sentence.
    Handles "。" with no space after, "¿…?" and "¡…!", and closing quotes (» ” 」) that stay
    with their sentence."""
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
