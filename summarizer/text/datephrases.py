"""Finding date phrases in sentences of languages other than English, for
:func:`summarizer.text.dates.find_date_phrase`: month and weekday names from CLDR (babel, loaded on
first use), the words around them, relative day words by language, and Japanese and Chinese
date forms ("2024年3月3日", "来月", "下周一")."""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.text.datewords import (
    _LAST,
    _NAME_LOCALES,
    _NEXT,
    _SCRIPT_LANGUAGES,
    _UNITS,
    _fold_word,
    _wordset,
)

__all__: list[str] = []

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _wordset(
        "the and of to is was were said with for that by from have has on at which will would their"
    ),
    "es": _wordset("el los las del que y en por con para una es fue se dijo sus al como pero más"),
    "fr": _wordset("le les des du et est une pour dans avec sur qui que au aux ont été sont pas par a"),
    "de": _wordset(
        "der die das und ist nicht mit von den dem sich auf ein eine im am zu wurde hat sagte für"
    ),
    "pt": _wordset("o os as do da dos das que e em no na com para uma foi não por ao disse"),
    "it": _wordset("il lo gli della del che e di per con una è sono nel alla ha non anche ai"),
    "nl": _wordset("de het een en van is op niet met zijn voor heeft werd dat die te bij"),
}


_OTHER_SCRIPT = re.compile("|".join(script for script, _ in _SCRIPT_LANGUAGES))
_STOPWORD_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _language, _words_of_language in _STOPWORDS.items():
    for _word in _words_of_language:
        _STOPWORD_LANGUAGES[_word] = (*_STOPWORD_LANGUAGES.get(_word, ()), _language)


def _guess_language(sentence: str) -> str:
    """ "en", another of :data:`_STOPWORDS`, "other" (another script) or "" (no telling), from
    the function words of a sentence: enough to keep English sentences on the English path and
    to read "hier" as French "yesterday" only in French."""
    if not sentence.isascii() and _OTHER_SCRIPT.search(sentence):
        return "other"
    scores = dict.fromkeys(_STOPWORDS, 0)
    for word in sentence.casefold().split():
        for language in _STOPWORD_LANGUAGES.get(word.strip(".,;:!?¿¡\"'()«»“”„"), ()):
            scores[language] += 1
    best = max(scores.values())
    if best == 0:
        return ""
    if scores["en"] == best:
        return "en"
    leaders = [language for language, score in scores.items() if score == best]
    return leaders[0] if len(leaders) == 1 else ""


_CJK_PHRASE = (
    r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月|\d{4}\s*年(?!\s*\d)|"
    r"(?:来週|先週|今週)の?[月火水木金土日]曜日?|[月火水木金土日]曜日|"
    r"(?:下|上|这|這|本)?(?:星期|礼拜|禮拜)[一二三四五六日天]|(?:下|上|这|這|本)周[一二三四五六日]|"
    r"一昨日|昨日|今日|明日|明後日|一昨年|昨年|去年|今年|来年|先月|今月|来月|"
    r"前天|昨天|今天|明天|后天|後天|上个月|下个月|这个月|上個月|下個月|本月|明年|"
    r"\d+\s*(?:日|か月|ヶ月|年)前|\d+\s*天前"
)
_RELATIVE_DAYS: dict[str, str] = {
    "es": r"anteayer|antier|ayer|hoy|pasado\s+mañana|(?<!la\s)(?<!esta\s)(?<!por\s)mañana",
    "fr": r"avant-hier|hier|aujourd'hui|aujourd’hui|après-demain|demain",
    "de": r"vorgestern|gestern|heute(?!\s+(?:morgen|abend|nachmittag|früh))|übermorgen|(?<!heute\s)(?-i:morgen)",
    "pt": r"anteontem|ontem|hoje|depois\s+de\s+amanhã|amanhã",
    "it": r"l'altro\s+ieri|ieri|oggi|dopodomani|domani",
    "nl": r"eergisteren|gisteren|vandaag|overmorgen|(?-i:morgen)",
    "": r"anteayer|ayer|hoy|aujourd'hui|avant-hier|demain|gestern|heute|ontem|hoje|amanhã|ieri|oggi|domani|"
    r"gisteren|vandaag|wczoraj|dzisiaj|jutro",
}


@lru_cache(maxsize=8)
def _phrase_pattern(language: str) -> re.Pattern[str]:
    from babel import Locale  # imported lazily: loading the locale data takes a while

    months: set[str] = set()
    abbreviations: set[str] = set()
    for locale in _NAME_LOCALES:
        data = Locale.parse(locale).months
        for context in ("format", "stand-alone"):
            for name in data[context]["wide"].values():
                months.add(re.sub(r"^(?:de |d’|d')", "", str(name).casefold()))
            for name in data[context]["abbreviated"].values():
                short = re.sub(r"^(?:de |d’|d')", "", str(name).casefold()).rstrip(".")
                if len(short) >= 3:
                    abbreviations.add(short)
    # (No unaccented variants: Catalan "març" unaccented is the name "Marc".)
    month = "(?:" + "|".join(sorted(map(re.escape, months), key=len, reverse=True)) + r")\b"
    abbreviated = "|".join(sorted(map(re.escape, abbreviations - months), key=len, reverse=True))
    month_or_abbr = f"(?:{month}|(?:{abbreviated})\\b\\.?)"
    spellings = _all_weekday_spellings()  # whole names: "segunda-feira", not "segunda" (second)
    weekday_forms = set(spellings) | {_fold_word(w) for w in spellings}
    weekday = (
        "(?:" + "|".join(sorted(map(re.escape, weekday_forms), key=len, reverse=True)) + r")(?:-feira)?\b"
    )
    modifiers = "|".join(sorted(_NEXT | _LAST | _accented(_NEXT | _LAST), key=len, reverse=True))
    units = "|".join(sorted(set(_UNITS) | _accented(set(_UNITS)), key=len, reverse=True))
    day = r"\d{1,2}(?:\.|º|ª|°|er)?"
    year = r"(?:1[89]|20)\d{2}"
    day_month = rf"{day}\s*(?:de\s+|del\s+)?{month_or_abbr}(?:\s*,?\s*(?:de\s+|del\s+)?{year}\b)?"
    patterns = [
        rf"\b(?:(?:el|la|le|am|an|il|lo|o|a|na|no|w|op)\s+)?(?:(?:{modifiers})\s+)?{weekday}"
        rf"(?:\s+(?:{modifiers})\b|\s*,?\s*(?:(?:el|le|den|o|il)\s+)?{day_month})?",
        rf"\b{day_month}",
        rf"\b{month}\s+(?:de\s+|del\s+)?{year}\b",
        rf"\b(?:en|em|im|in|nel|no|dans|w|v)\s+(?:(?:el\s+|l')?(?:año|ano|année|jahr|anno|jaar|roku)\s+)?{year}\b",
        rf"\b(?:(?:el|la|le|l'|o|a|il|lo|den|das|im|am|del|au|no|na|nel|ce|cette|este|esta|neste|nesta|"
        rf"questo|quest'|dieses|diesen)\s*)?(?:(?:{modifiers})\s+(?:{units})\b|(?:{units})\s+(?:{modifiers}|que\s+viene|"
        rf"que\s+vem|qui\s+vient)\b)",
        rf"\b(?:en|em|im|in|nel|no|na|a|à|au|dans|desde|seit|depuis|dès|ab|w)\s+(?:(?:el\s+)?mes\s+de\s+|le\s+mois\s+de\s+|"
        rf"o\s+mês\s+de\s+)?{month}(?:\s+(?:de\s+|del\s+)?{year}\b)?",
        rf"\b(?:{_RELATIVE_DAYS.get(language, _RELATIVE_DAYS[''])})\b",
        _CJK_PHRASE,
    ]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def _accented(words: set[str] | frozenset[str]) -> set[str]:
    """The accented spellings of folded words the CLDR data does not give ("proximo" → "próximo")."""
    spellings = {
        "proximo": "próximo", "proxima": "próxima", "proximos": "próximos", "proximas": "próximas",
        "nachste": "nächste", "nachsten": "nächsten", "nachster": "nächster", "nachstes": "nächstes",
        "derniere": "dernière", "passe": "passé", "passee": "passée", "ultimo": "último", "ultima": "última",
        "przyszly": "przyszły", "przyszla": "przyszłą", "przyszlym": "przyszłym", "zeszly": "zeszły",
        "zeszla": "zeszłą", "zeszlym": "zeszłym", "ubiegly": "ubiegły", "ubiegla": "ubiegłą",
        "ubieglym": "ubiegłym", "najblizszy": "najbliższy", "najblizsza": "najbliższą",
        "najblizszym": "najbliższym", "urmator": "următor", "urmatoare": "următoare", "trecuta": "trecută",
        "ano": "año", "annee": "année", "mes": "mês", "miesiac": "miesiąc", "miesiacu": "miesiącu",
        "tydzien": "tydzień", "saptamana": "săptămână",
    }  # fmt: skip
    return {spellings[w] for w in words if w in spellings}


@lru_cache(maxsize=1)
def _all_weekday_spellings() -> frozenset[str]:
    from babel import Locale

    out: set[str] = set()
    for language in _NAME_LOCALES:
        days = Locale.parse(language).days
        for context in ("format", "stand-alone"):
            for name in days[context]["wide"].values():
                word = str(name).casefold()
                out.add(word)
                if language == "pl" and word.endswith("a"):
                    out.add(word[:-1] + "ę")
    return frozenset(out)


def _phrase_any(sentence: str, language: str) -> tuple[int, int] | None:
    """The span of the first date expression of a sentence in another language."""
    match = _phrase_pattern(language).search(sentence)
    return None if match is None else match.span()
