"""Date phrases of languages other than English, for :func:`summarizer.text.dates.resolve_date`.

Weekday phrases ("el próximo lunes", "am Montag", "mardi prochain", "来週の月曜日", "下周一") and
"next month" phrases ("el mes que viene", "l'année dernière"), which dateparser reads in few
languages, are resolved here from CLDR weekday names (babel, loaded on first use); the rest goes
to dateparser with the languages of the phrase's script ("ayer", "am 3. März", "昨日", "来月").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
import warnings
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

__all__: list[str] = []

Prefer = Literal["past", "future"]
_NOT_HANDLED = "?"


def _fmt(d: date, prec: int) -> str:
    return d.isoformat()[: {1: 4, 2: 7, 3: 10}[prec]]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The languages dateparser tries for a phrase that is not English, by script (its own detection
# over all ~200 locales takes seconds on first use and reads "hier" as anything).
_LATIN_LANGUAGES = ("es", "fr", "de", "pt", "it", "nl", "pl", "ca", "ro", "sv", "da", "nb", "fi", "cs", "tr", "id")  # fmt: skip
_SCRIPT_LANGUAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("[\u3040-\u30ff]", ("ja", "zh")),
    ("[\u3400-\u9fff]", ("ja", "zh", "zh-Hant")),
    ("[\uac00-\ud7af]", ("ko",)),
    ("[\u0400-\u04ff]", ("ru", "uk", "bg", "sr")),
    ("[\u0600-\u06ff]", ("ar", "fa", "ur")),
    ("[\u0590-\u05ff]", ("he",)),
    ("[\u0370-\u03ff]", ("el",)),
    ("[\u0e00-\u0e7f]", ("th",)),
    ("[\u0900-\u097f]", ("hi",)),
)
# Babel locales whose weekday and month names are read.
_NAME_LOCALES = ("es", "fr", "de", "pt", "it", "nl", "pl", "ca", "ro", "sv", "da", "nb", "ru")
# Words around a weekday or a period, folded (lower case, no accents).
_NEXT = _wordset(
    "proximo proxima proximos proximas entrante siguiente nachste nachsten nachster nachstes kommende "
    "kommenden kommender prochain prochaine prossimo prossima volgende komende aanstaande przyszly "
    "przyszla przyszlym przyszla najblizszy najblizsza najblizszym urmator urmatoare"
)
_LAST = _wordset(
    "pasado pasada ultimo ultima anterior letzte letzten letzter letztes vergangene vergangenen "
    "vergangener vergangenes dernier derniere passe passee passado passada scorso scorsa passato "
    "passata vorige vorig afgelopen zeszly zeszla zeszlym ubiegly ubiegla ubieglym trecut trecuta"
)
_THIS = _wordset("este esta ce cette dieser diesen diesem dieses deze dit neste nesta questo questa ten")
_FILLERS = _wordset(
    "el la los las le les l am an au aux de del du des il lo no na nos nas em en op w we a o i al "
    "do da d im dans nel nella sur"
)
_NEXT_TAILS = (("que", "viene"), ("que", "vem"), ("qui", "vient"))
_UNITS = {
    **dict.fromkeys(_wordset("mes mois monat monats mese maand miesiac miesiacu luna"), "month"),
    **dict.fromkeys(_wordset("ano anos annee an jahr jahres anno jaar rok roku anul"), "year"),
    **dict.fromkeys(_wordset("semana semaine woche settimana week tydzien tygodniu saptamana"), "week"),
}
# Relative words of other languages, for :func:`_near` (a relative phrase is never moved).
_RELATIVE_ANY = (
    _NEXT
    | _LAST
    | _THIS
    | _wordset(
        "ayer hoy manana anteayer hace gestern heute morgen vorgestern ubermorgen vor hier aujourd hui "
        "demain ontem hoje amanha anteontem atras ieri oggi domani fa gisteren vandaag wczoraj dzisiaj "
        "dzis jutro temu"
    )
)
_CJK_RELATIVE = re.compile(r"[来先昨今明去前後后下上本这這翌]")
_CJK_WEEKDAY = re.compile(
    r"^(?:(?P<jaweek>来週|先週|今週)?の?(?P<ja>[月火水木金土日])曜日?|"
    r"(?P<zhweek>下|上|这|這|本)?(?:星期|周|週|礼拜|禮拜)(?P<zh>[一二三四五六日天]))(?:に|には|は)?$"
)
_JA_DAYS = "月火水木金土日"
_ZH_DAYS = "一二三四五六日"


def _fold_word(text: str) -> str:
    """Lower case without Latin accents ("Miércoles" → "miercoles", "ł" → "l")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _fold_word(text))


@lru_cache(maxsize=1)
def _weekday_names() -> dict[str, int]:
    """Folded weekday names of :data:`_NAME_LOCALES` → weekday (Monday 0), from CLDR."""
    from babel import Locale  # imported lazily: loading the locale data takes a while

    names: dict[str, int] = {}
    clashes: set[str] = set()
    for language in _NAME_LOCALES:
        days = Locale.parse(language).days
        for context in ("format", "stand-alone"):
            for number, name in days[context]["wide"].items():
                folded = _fold_word(str(name))
                forms = {folded, folded.replace("-", " "), folded.split("-")[0]}  # segunda-feira → segunda
                if language == "pl" and folded.endswith("a"):
                    forms.add(folded[:-1] + "e")  # w środę, w sobotę
                for form in forms:
                    if names.setdefault(form, int(number)) != int(number):
                        clashes.add(form)
    for form in clashes:
        del names[form]
    for form in calendar.day_name:
        names.pop(form.lower(), None)  # English takes its own path
    return names


def _split_weekday(text: str) -> tuple[int, str, list[str]] | None:
    """(weekday, modifier, other words) of a weekday phrase in another language, else ``None``."""
    words = _words(text.replace("-feira", " feira"))
    names = _weekday_names()
    for i, word in enumerate(words):
        joined = " ".join(words[i : i + 2])
        if joined in names:
            target, rest = names[joined], words[:i] + words[i + 2 :]
        elif word in names:
            target, rest = names[word], words[:i] + words[i + 1 :]
        else:
            continue
        rest = [w for w in rest if w != "feira"]
        modifier = ""
        if any(w in _NEXT for w in rest) or any(
            tuple(rest[j : j + 2]) in _NEXT_TAILS for j in range(len(rest))
        ):
            modifier = "next"
        elif any(w in _LAST for w in rest):
            modifier = "last"
        others = [
            w
            for w in rest
            if w not in _NEXT | _LAST | _THIS | _FILLERS | {"que", "viene", "vem", "qui", "vient"}
        ]
        return target, modifier, others
    return None


def _weekday_any(phrase: str, published: date, prefer: Prefer) -> str | None:
    """A weekday phrase in another language ("el próximo lunes", "am Montag", "mardi prochain",
    "segunda-feira passada", "来週の月曜日", "下周一"), resolved as :func:`_weekday` resolves English."""
    if (cjk := _CJK_WEEKDAY.match(phrase.replace(" ", ""))) is not None:
        target = _JA_DAYS.index(cjk["ja"]) if cjk["ja"] else _ZH_DAYS.index(cjk["zh"].replace("天", "日"))
        week = cjk["jaweek"] or cjk["zhweek"] or ""
        if not week:
            modifier = ""
        else:
            shift = 7 if week[0] in "来下" else -7 if week[0] in "先上" else 0
            monday = published - timedelta(days=published.weekday()) + timedelta(days=shift)
            return (monday + timedelta(days=target)).isoformat()
    elif re.search(r"\d", phrase) or (split := _split_weekday(phrase)) is None or split[2]:
        return None  # not a weekday phrase, or "el lunes 3 de marzo": the explicit date wins
    else:
        target, modifier, _ = split
    delta = target - published.weekday()
    if modifier == "next":
        delta = delta % 7 or 7
    elif modifier == "last":
        delta = -((-delta) % 7 or 7)
    elif delta == 0:
        pass
    elif prefer == "future":
        delta %= 7
    else:
        delta = -((-delta) % 7)
    return (published + timedelta(days=delta)).isoformat()


def _drop_weekday_any(text: str) -> str:
    """Without a leading weekday before an explicit date: "el lunes 3 de marzo" → "3 de marzo"."""
    match = re.match(
        r"^(?:(?:el|le|am|il|lo|o|a|na|no)\s+)?([^\W\d]+(?:-feira)?),?\s+(?=(?:el\s+|le\s+|den\s+)?\d)",
        text,
        re.I,
    )
    if match is not None and _fold_word(match.group(1)).split("-")[0] in _weekday_names():
        return text[match.end() :]
    return text


def _period_any(phrase: str, published: date | None) -> str | None:
    """ "el mes que viene", "l'année dernière", "nächsten Monat", "este año" → the month or year;
    ``None`` for a week or without a publication date; ``_NOT_HANDLED`` for other phrases."""
    words = _words(phrase)
    units = [_UNITS[w] for w in words if w in _UNITS]
    if len(units) != 1 or not phrase.strip():
        return _NOT_HANDLED
    rest = [w for w in words if w not in _UNITS]
    if any(tuple(rest[j : j + 2]) in _NEXT_TAILS for j in range(len(rest))):
        step = 1
        rest = [w for w in rest if w not in {"que", "viene", "vem", "qui", "vient"}]
    elif any(w in _NEXT for w in rest):
        step = 1
    elif any(w in _LAST for w in rest):
        step = -1
    elif any(w in _THIS for w in rest):
        step = 0
    else:
        return _NOT_HANDLED
    if any(w not in _NEXT | _LAST | _THIS | _FILLERS for w in rest):
        return _NOT_HANDLED
    if units[0] == "week" or published is None:
        return None
    if units[0] == "year":
        return f"{published.year + step:04d}"
    index = published.year * 12 + published.month - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _relative_any(text: str) -> bool:
    """True when ``text`` is relative to the publication date in a language other than English."""
    return _CJK_RELATIVE.search(text) is not None or any(w in _RELATIVE_ANY for w in _words(text))


def _languages(phrase: str) -> tuple[str, ...]:
    for script, languages in _SCRIPT_LANGUAGES:
        if re.search(script, phrase):
            return languages
    return _LATIN_LANGUAGES


_LEADING_ANY = re.compile(
    r"^(?:(?:el|la|le|les|am|an|im|um|il|lo|no|na|em|en|op|w|we|a|à|o|al|au|del|dal|dem|den|der|ab|desde|"
    r"seit|depuis|dès|da|desde\s+el|hasta|bis|até|fino\s+al?)\s+|l'|d')+",
    re.I,
)
_EDGE_ANY = re.compile(
    r"\b(?:a\s+)?(?:principios|comienzos|inicios|mediados|finales|fines|early|début|fin|mi|anfang|mitte|ende|"
    r"início|inicio|meados|fim|finais|inizio|metà|fine|begin|eind|poczatku|połowie|koncu)\b(?:\s+(?:de|del|des|du|d'|di|do|da|von|van|of))?\s*",
    re.I,
)


def _dateparser_any(phrase: str, published: date | None, prefer: Prefer) -> str | None:
    """A phrase English dateparser does not read, in the languages of its script: "ayer",
    "el 3 de marzo", "am 3. März", "hier", "le 3 mars", "昨日", "2024年3月3日", "来月"."""
    text = re.sub(r"(?<=\d)(?:º|ª|°|o|a)\.?(?=\s)", "", phrase)  # "1º de março" (NFKC: "1o de março")
    candidates = [text]
    if (lead := _LEADING_ANY.sub("", text)) != text:
        candidates.append(lead)
    if (edge := _LEADING_ANY.sub("", _EDGE_ANY.sub("", lead))) not in candidates and edge:
        candidates.append(edge)  # "a finales de marzo", "Anfang März", "début mars"
    for candidate in candidates:
        found = _parse_any(candidate, published, prefer)
        if found != _NOT_HANDLED:
            return found
    return None


def _parse_any(text: str, published: date | None, prefer: Prefer) -> str | None:
    from dateparser.date import DateDataParser  # imported lazily: slow import

    def parse(base: datetime) -> tuple[date, str] | None:
        settings: dict[str, object] = {
            "PREFER_DATES_FROM": prefer,
            "REQUIRE_PARTS": [],
            "RELATIVE_BASE": base,
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = DateDataParser(languages=list(_languages(text)), settings=settings).get_date_data(text)
        return None if data.date_obj is None else (data.date_obj.date(), data.period or "day")

    base = datetime(published.year, published.month, published.day) if published else datetime(2001, 1, 1)
    found = parse(base)
    if found is None:
        return _NOT_HANDLED
    day, period = found
    if period == "week":
        return None  # "la semana próxima" names no single day
    prec = {"year": 1, "month": 2}.get(period, 3)
    if published is None:
        other = parse(datetime(2037, 7, 15))  # a date that moves with the base is relative
        if other is None or _fmt(other[0], prec) != _fmt(day, prec):
            return None
    return _fmt(day, prec)
