"""Normalising names: people, countries and organisations, in any language.

Countries become their common English name ("U.S." → "United States", "ROK" → "South Korea",
"Japanese" → "Japan", "España" → "Spain", "Allemagne" → "Germany", "米国" → "United States").
The names come from data (:mod:`summarizer.text.countries`): every ISO 3166 country through
``pycountry`` (names, official and common names, upper-case alpha-3 codes that are not words or
acronyms), the CLDR territory names of :data:`CLDR_LANGUAGES` through ``babel``, and the demonym
table shipped in ``data/demonyms.tsv`` (English demonyms of every country, adjectives in
es/fr/de/pt/it with their inflected forms). The index is built once, on the first lookup
(``babel`` is not imported before), and a lookup is one dictionary access.

People and organisations get a comparison key that ignores case, accents, punctuation and
honorifics ("José Álvarez" and "Jose Alvarez" share a key; Japanese names keep their kana).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from summarizer.text.countries import (
    _ARTICLES,
    _SEPARATORS,
    CLDR_LANGUAGES,
    _index,
    _key,
    _Lazy,
    _lookup,
    _unaccent,
)
from summarizer.text.organisations import canonical_organisation

__all__ = [
    "CLDR_LANGUAGES",
    "canonical_country",
    "canonical_party",
    "country_code",
    "country_forms",
    "name_key",
    "strip_honorifics",
]


@lru_cache(maxsize=8192)
def canonical_country(name: str) -> str | None:
    """The common English name of a country, or ``None`` when ``name`` is not one."""
    raw = " ".join(name.strip().split())
    key = _key(raw).strip(" .")
    if not key:
        return None
    found = _lookup(key)
    if found is None and len(raw) == 3 and raw.isascii() and raw.isalpha() and raw.isupper():
        found = _index().codes.get(raw)  # "JPN", "DEU"; not "ITA" or "CAN"
    if found is None:
        stripped = _ARTICLES.re.sub("", key)
        if stripped != key:
            found = _lookup(stripped)
    return found


def country_code(name: str) -> str | None:
    """The ISO 3166 alpha-3 code of a country in any form :func:`canonical_party` reads
    ("Japon", "the Japanese government", "日本" → "JPN"), or ``None`` for a non-country."""
    country = canonical_party(name)
    return _index().alpha3.get(country)


def country_forms(country: str) -> list[str]:
    """Every name the data knows for ``country`` (a common name from :func:`canonical_country`),
    as written: "Spain", "España", "Spanish", "española", "スペイン", …"""
    forms = _index().forms.get(country, [])
    return [country, *(f for f in forms if f != country)]


def _fold(text: str) -> str:
    return _unaccent(unicodedata.normalize("NFKC", text))


def name_key(name: str) -> str:
    """Comparison key: lower case, no accents, punctuation or extra spaces ("José Álvarez" and
    "Jose Alvarez" share one; "安倍　晋三" → "安倍 晋三", kana and kanji kept as written)."""
    folded = _SEPARATORS.sub(" ", _fold(name).casefold())
    return " ".join(re.sub(r"[^\w\s]", "", folded).split())


_HONORIFICS = _Lazy(
    r"^(?:(?:his|her)\s+(?:majesty|excellency|highness)\s+|(?:mr|mrs|ms|dr|dra|prof|sr|sra|srta|mme|mlle|sig|"
    r"sig\.ra)\.?\s+|(?:president|presidente|presidenta|président|présidente|präsident|präsidentin|"
    r"prime minister|primer ministro|primera ministra|premier ministre|primeiro ministro|primo ministro|"
    r"minister|ministerin|ministro|ministra|ministre|secretary|secretario|secretaria|chancellor|"
    r"canciller|chancelier|chanceler|bundeskanzler|bundeskanzlerin|kanzler|kanzlerin|king|queen|roi|"
    r"reine|könig|königin|sir|señor|señora|doña|monsieur|madame|herr|frau|signor|signora)\s+)+",
    re.I,
)
# Japanese and Chinese titles follow the name: "岸田首相", "バイデン大統領", "习近平主席".
_TITLE_SUFFIXES = _Lazy(
    r"(?:氏|さん|様|殿|首相|大統領|副大統領|外相|外務大臣|国務長官|総理大臣|総理|大臣|長官|議長|委員長|"
    r"国王|女王|首席|国家主席|主席|総書記|总书记|总统|總統|总理|總理|外长|外長|国务卿|國務卿|先生|女士)+$"
)


def strip_honorifics(name: str) -> str:
    """ "His Majesty King Abdullah II" → "Abdullah II"; "Presidente Lula" → "Lula";
    "岸田首相" → "岸田"."""
    stripped = _HONORIFICS.re.sub("", name.strip()).strip()
    stripped = _TITLE_SUFFIXES.re.sub("", stripped).strip() or stripped
    return stripped or name.strip()


_GOV_WORDS = _Lazy(
    r"\b(?:government|governments|administration|delegation|officials?|side|state|republic of the|"
    r"gobierno|gobiernos|administración|delegación|autoridades|ejecutivo|"
    r"gouvernement|gouvernements|délégation|autorités|exécutif|"
    r"regierung|regierungen|behörden|"
    r"governo|governos|administração|delegação|"
    r"governi|amministrazione|delegazione|autorità|"
    r"regering|overheid|rząd)\b",
    re.I,
)
_GOV_SUFFIXES = re.compile(r"(?:政府|当局|側|代表団|政權|政权)$")
_CONNECTORS = _Lazy(
    r"^(?:(?:the|of|el|la|los|las|le|les|die|der|das|den|dem|des|il|lo|gli|i|os|as|o|a|de|del|du|"
    r"da|do|di|della|dello|von|van|het)\s+|[ld]')+|(?:\s+(?:of|de|del|du|des|der|da|do|di|della))+$",
    re.I,
)
# Governments named by one word ("Bundesregierung": the German federal government).
_GOVERNMENTS = {"bundesregierung": "Germany"}


def canonical_party(name: str) -> str:
    """A party as the gold files write it: countries by common name, others as given.

    "the Japanese government", "le gouvernement japonais", "日本政府" → "Japan";
    "Gobierno de España" → "Spain"; "OTAN", "the Group of Seven" → "NATO", "G7"
    (:mod:`summarizer.text.organisations`); "U.S. Department of Defense" stays as given.
    """
    text = " ".join(name.strip().split())
    country = canonical_country(text)
    if country is not None:
        return country
    organisation = canonical_organisation(text)
    if organisation is not None:
        return organisation
    government = _GOVERNMENTS.get(_key(_ARTICLES.re.sub("", text.casefold())))
    if government is not None:
        return government
    stripped = " ".join(_GOV_WORDS.re.sub(" ", text).split())
    stripped = _GOV_SUFFIXES.sub("", stripped).strip()
    previous = None
    while previous != stripped:
        previous, stripped = stripped, _CONNECTORS.re.sub("", stripped).strip()
    if stripped and stripped != text:
        country = canonical_country(stripped)
        if country is not None:
            return country
    return text
