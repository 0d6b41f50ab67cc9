"""Partial ISO dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) and date-phrase resolution.

The model copies a date phrase from the article ("Saturday", "next month",
"Nov. 2, 2013", "el próximo lunes", "am 3. März", "来月"); :func:`resolve_date` turns it into a
partial ISO date at the precision the text gives, resolving relative phrases against the
publication date. English phrases take a fast path, then dateparser's English parser; phrases
of other languages are read by :mod:`summarizer.text.datewords`, and found in sentences by
:mod:`summarizer.text.datephrases`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
import warnings
from datetime import date, datetime, timedelta
from typing import Literal

from summarizer.text.datephrases import _guess_language, _phrase_any
from summarizer.text.datewords import (
    _NOT_HANDLED,
    _dateparser_any,
    _drop_weekday_any,
    _fmt,
    _period_any,
    _relative_any,
    _weekday_any,
)

__all__ = [
    "ISO_PARTIAL",
    "Prefer",
    "compatible",
    "find_date_phrase",
    "precision",
    "resolve_date",
    "validate_iso",
]

ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
Prefer = Literal["past", "future"]

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY_RE = re.compile(
    r"^(?:on\s+)?(?:(last|next|this|coming|past)\s+)?(" + "|".join(_WEEKDAYS) + r")\b",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(r"\b(?P<d1>\d{1,2})\s*(?:-|–|—|to|and)\s*(?P<d2>\d{1,2})\b(?!\s*(?:pct|%))")
_MONTH_FIRST_RANGE_RE = re.compile(
    r"(?P<month>[A-Za-z]{3,9}\.?)\s+(?P<d1>\d{1,2})\s*(?:-|–|—|to|and)\s*(?P<d2>\d{1,2})\b"
)
_FILLER_RE = re.compile(
    r"\b(?:on|in|at|during|by|around|about|early|late|mid|later|earlier|the|of|"
    r"beginning|end|start|sometime)\b[-\s]*",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(
    r"^\s*(?:(?:in|en|em|im|nel|no|dans|w|el|the|year|año|ano|année|jahr|anno|roku)\s+)*(\d{4})(?:\s*年|\s+roku)?\s*$",
    re.I,
)


_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_PHRASES = [
    rf"\b{_MONTHS}\s+\d{{1,2}}(?:\s*(?:-|–|to)\s*\d{{1,2}})?(?:,?\s+\d{{4}})?\b",  # Nov. 2, 2013
    rf"\b\d{{1,2}}\s+{_MONTHS}(?:\s+\d{{4}})?\b",  # 2 November 2013
    rf"\b(?:early|mid|late|in|since)?[-\s]*{_MONTHS}\s+\d{{4}}\b",  # November 2013
    r"\b(?:last|next|this|on)?\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    r"\b(?:yesterday|today|tomorrow)\b",
    r"\b(?:next|last|this|later this|earlier this)\s+(?:month|year)\b",
    r"\bin\s+(?:19|20)\d{2}\b",
]
_PHRASE_RE = re.compile("|".join(f"(?:{p})" for p in _PHRASES), re.IGNORECASE)


def find_date_phrase(sentence: str) -> str | None:
    """The first date expression in a sentence ("on Saturday", "Nov. 2, 2013", "in 2014",
    "el próximo lunes", "am 3. März 2014", "hier", "2024年3月3日"). English sentences are read
    as before; in others the first of the English and the other languages' expressions wins
    (the longer one where they overlap: "3. November 2014" over "November 2014")."""
    match = _PHRASE_RE.search(sentence)
    language = _guess_language(sentence)
    if language == "en":
        return match.group(0).strip() if match else None
    other = _phrase_any(sentence, language)
    if other is None:
        return match.group(0).strip() if match else None
    start, end = other
    if match is not None:
        if match.start() < end and start < match.end():  # overlapping: both ("im November 2014")
            start, end = min(start, match.start()), max(end, match.end())
        elif match.start() < start:
            start, end = match.span()
    return sentence[start:end].strip()


def validate_iso(value: str) -> str:
    """Return ``value`` if it is a real partial ISO date, else raise ``ValueError``."""
    match = ISO_PARTIAL.match(value.strip())
    if not match:
        raise ValueError(f"not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"impossible month in date {value!r}")
    if day is not None:
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"impossible day in date {value!r}") from None
    return value.strip()


def precision(value: str) -> int:
    """Number of components: 1 (year), 2 (month) or 3 (day)."""
    return len(validate_iso(value).split("-"))


def compatible(a: str, b: str) -> bool:
    """True when one date contains the other (``2014`` contains ``2014-03``)."""
    pa, pb = a.split("-"), b.split("-")
    n = min(len(pa), len(pb))
    return pa[:n] == pb[:n]


def _weekday(phrase: str, published: date, prefer: Prefer) -> str | None:
    match = _WEEKDAY_RE.match(phrase.strip())
    if not match:
        return None
    rest = phrase.strip()[match.end() :]
    if re.search(r"\d", rest):  # "Saturday, November 2, 2013": the explicit date wins
        return None
    modifier = (match.group(1) or "").lower()
    target = _WEEKDAYS[match.group(2).lower()]
    delta = target - published.weekday()
    if modifier in ("next", "coming"):
        delta = delta % 7 or 7
    elif modifier in ("last", "past"):
        delta = -((-delta) % 7 or 7)
    elif delta == 0:
        pass  # "on Saturday" in Saturday's paper is that day
    elif prefer == "future":
        delta %= 7
    else:
        delta = -((-delta) % 7)
    return (published + timedelta(days=delta)).isoformat()


_MONTH_NUMBERS = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_MONTH_WORD = r"(?P<month>[A-Za-z]{3,9})\.?"
_FAST_FORMS = [
    re.compile(
        rf"^{_MONTH_WORD}\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>[12]\d{{3}}))?$"
    ),  # Nov. 2, 2013 / March 3
    re.compile(rf"^(?P<day>\d{{1,2}})\s+{_MONTH_WORD}(?:,?\s+(?P<year>[12]\d{{3}}))?$"),  # 2 November 2013
    re.compile(rf"^{_MONTH_WORD},?\s+(?P<year>[12]\d{{3}})$"),  # November 2013
    re.compile(rf"^{_MONTH_WORD}$"),  # October
]
_DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1}
_PERIOD_RE = re.compile(r"^(?P<which>next|last|this)\s+(?P<unit>month|year)$", re.IGNORECASE)


def _fast(phrase: str, published: date | None, prefer: Prefer) -> str | None:
    """The common phrases, resolved as :func:`_dateparser` resolves them (a test compares the two
    on a grid of phrases and publication dates) in microseconds instead of 1-2 ms; ``_NOT_HANDLED``
    for the rest."""
    lowered = phrase.lower()
    if lowered in _DAY_WORDS:
        return None if published is None else (published + timedelta(days=_DAY_WORDS[lowered])).isoformat()
    if (period := _PERIOD_RE.match(phrase)) is not None:
        if published is None:
            return None
        step = {"next": 1, "last": -1, "this": 0}[period.group("which").lower()]
        if period.group("unit").lower() == "year":
            return f"{published.year + step:04d}"
        index = published.year * 12 + published.month - 1 + step
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    for form in _FAST_FORMS:
        if (match := form.match(phrase)) is not None:
            break
    else:
        return _NOT_HANDLED
    parts = match.groupdict()
    month = _MONTH_NUMBERS.get(parts["month"].lower())
    if month is None or (parts.get("year") is None and published is None):
        return _NOT_HANDLED if month is None else None
    day = int(parts["day"]) if parts.get("day") else None
    if day is None and parts.get("year") is None and published is not None and published.day > 28:
        return _NOT_HANDLED  # dateparser keeps the publication day ("Feb" → Feb 29 → a leap year)
    if parts.get("year") is not None:
        year = int(parts["year"])
    else:
        assert published is not None
        year = published.year
        # No year: the publication year, moved to the preferred side of the publication date
        # (a "future" date on the publication day or in its month moves a year on, as in dateparser).
        here = (month, day) if day is not None else (month,)
        now = (published.month, published.day) if day is not None else (published.month,)
        if prefer == "past" and here > now:
            year -= 1
        elif prefer == "future" and here <= now:
            year += 1
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return _NOT_HANDLED


def _dateparser(phrase: str, published: date | None, prefer: Prefer) -> str | None:
    if (fast := _fast(phrase, published, prefer)) != _NOT_HANDLED:
        return fast
    from dateparser.date import DateDataParser  # imported lazily: slow import

    settings: dict[str, object] = {"PREFER_DATES_FROM": prefer, "REQUIRE_PARTS": []}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parser = DateDataParser(languages=["en"], settings=settings)
        data = parser.get_date_data(phrase)
    if data.date_obj is None:
        return _dateparser_any(phrase, published, prefer)
    period = data.period or "day"
    prec = {"year": 1, "month": 2, "week": 3}.get(period, 3)
    if period == "week":
        return None  # "next week" names no single day
    has_year = bool(re.search(r"\b\d{4}\b", phrase))
    relative = bool(re.search(r"\b(?:ago|yesterday|today|tomorrow|next|last|this|previous)\b", phrase, re.I))
    if published is None and (relative or not has_year):
        return None  # relative, or "November 2", with no publication date: unknown
    return _fmt(data.date_obj.date(), prec)


def calendar_name(text: str) -> bool:
    """True for a month or weekday name, with an optional day ("May", "May 31", "Sept.", "Friday"):
    a date, not the name of a side."""
    words = text.lower().replace(".", "").split()
    if not 1 <= len(words) <= 2 or (len(words) == 2 and not words[1].isdigit()):
        return False
    return words[0] in _MONTH_NUMBERS or words[0] in _WEEKDAYS


def resolve_date(
    phrase: str | None,
    published: date | None = None,
    prefer: Prefer = "past",
) -> tuple[str | None, str | None]:
    """Resolve a date phrase copied from an article to ``(start, end)`` partial ISO dates.

    ``end`` is set only for a day range ("March 15-16"). Unresolvable phrases give
    ``(None, None)``: a date is never invented.
    """
    if phrase is None or not phrase.strip():
        return None, None
    text = " ".join(unicodedata.normalize("NFKC", phrase).split()).strip(" .,;、。")
    try:
        return validate_iso(text), None
    except ValueError:
        if ISO_PARTIAL.match(text) or re.match(r"^\d{4}-\d{1,2}(-\d{1,2})?$", text):
            return None, None  # ISO-shaped but impossible: never guess
    if (year := _YEAR_ONLY.match(text)) is not None:
        return year.group(1), None
    if published is not None and (day := _weekday(text, published, prefer)) is not None:
        return day, None
    if published is not None and (day := _weekday_any(text, published, prefer)) is not None:
        return day, None  # "el próximo lunes", "am Montag", "mardi prochain", "来週の月曜日"
    if (period := _period_any(text, published)) != _NOT_HANDLED:
        return period, None  # "el mes que viene", "l'année dernière"
    end: str | None = None
    range_match = _MONTH_FIRST_RANGE_RE.search(text)
    if range_match is not None:
        second = range_match.group("d2")
        text = text[: range_match.start("d1")] + range_match.group("d1") + text[range_match.end("d2") :]
        start = _resolve_plain(text, published, prefer)
        if start is not None and precision(start) == 3:
            try:
                end = date.fromisoformat(start).replace(day=int(second)).isoformat()
            except ValueError:
                end = None
            if end is not None and end <= start:
                end = None  # "Nov. 30-1" crosses a month: keep the start day only
        return _near(start, text, published, prefer), end
    return _near(_resolve_plain(text, published, prefer), text, published, prefer), None


def _near(start: str | None, text: str, published: date | None, prefer: Prefer) -> str | None:
    """A "future" date without a year that lands a year on although the same day or month is at
    most a month before publication ("April 8" in an April 8 dateline, a planned meeting) is the
    recent one: news reports things a month away, not eleven months away."""
    if start is None or published is None or prefer != "future" or _HAS_YEAR.search(text):
        return start
    if _relative(text) or not start.startswith(f"{published.year + 1:04d}"):
        return start
    earlier = f"{published.year:04d}{start[4:]}"
    if precision(start) == 3:
        gap = (published - date.fromisoformat(earlier)).days
        return earlier if 0 <= gap <= 31 else start
    return earlier if earlier[:7] == f"{published.year:04d}-{published.month:02d}" else start


_RELATIVE_WORDS = re.compile(r"\b(?:next|last|this|ago|tomorrow|yesterday|today)\b", re.I)
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _relative(text: str) -> bool:
    """True when ``text`` is relative to the publication date, in English or another language."""
    return _RELATIVE_WORDS.search(text) is not None or _relative_any(text)


def _resolve_plain(text: str, published: date | None, prefer: Prefer) -> str | None:
    # Drop weekday names before explicit dates ("Saturday, November 2, 2013").
    cleaned = re.sub(r"^(?:" + "|".join(_WEEKDAYS) + r"),?\s+(?=\w+\.?\s+\d)", "", text, flags=re.I)
    cleaned = _drop_weekday_any(cleaned)  # "el lunes 3 de marzo", "Montag, 3. März"
    result = _dateparser(cleaned, published, prefer)
    if result is None:
        stripped = _FILLER_RE.sub("", cleaned).strip(" -,")
        if stripped and stripped != cleaned:
            result = _dateparser(stripped, published, prefer)
    return result
