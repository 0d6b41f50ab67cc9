"""Normalising names: people, countries and organisations.

Countries become their common English name ("U.S." → "United States", "ROK" →
"South Korea", "Japanese" → "Japan"); people and organisations get a comparison
key that ignores case, accents, punctuation and honorifics.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["canonical_country", "canonical_party", "country_forms", "name_key", "strip_honorifics"]

# Common English names for the forms news text uses; pycountry covers the rest.
_COUNTRY_ALIASES: dict[str, str] = {
    "us": "United States",
    "u.s.": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "united states of america": "United States",
    "america": "United States",
    "american": "United States",
    "the united states": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "british": "United Kingdom",
    "england": "United Kingdom",
    "rok": "South Korea",
    "republic of korea": "South Korea",
    "korea": "South Korea",
    "south korean": "South Korea",
    "korea, republic of": "South Korea",
    "dprk": "North Korea",
    "north korean": "North Korea",
    "prc": "China",
    "people's republic of china": "China",
    "chinese": "China",
    "russian federation": "Russia",
    "russian": "Russia",
    "soviet union": "Soviet Union",
    "ussr": "Soviet Union",
    "u.s.s.r.": "Soviet Union",
    "soviet": "Soviet Union",
    "soviets": "Soviet Union",
    "japanese": "Japan",
    "french": "France",
    "german": "Germany",
    "west germany": "West Germany",
    "italian": "Italy",
    "indian": "India",
    "australian": "Australia",
    "turkey": "Turkey",
    "czech republic": "Czech Republic",
    "burma": "Myanmar",
    "holy see": "Vatican",
    "turkish": "Turkey",
    "türkiye": "Turkey",
    "turkiye": "Turkey",
    "israeli": "Israel",
    "lebanese": "Lebanon",
    "brazilian": "Brazil",
    "indonesian": "Indonesia",
    "jordanian": "Jordan",
    "ecuadorean": "Ecuador",
    "ecuadorian": "Ecuador",
    "canadian": "Canada",
    "mexican": "Mexico",
    "iranian": "Iran",
    "iraqi": "Iraq",
    "saudi": "Saudi Arabia",
    "saudi arabian": "Saudi Arabia",
    "ukrainian": "Ukraine",
    "vietnamese": "Vietnam",
    "viet nam": "Vietnam",
    "taiwanese": "Taiwan",
    "the netherlands": "Netherlands",
    "holland": "Netherlands",
    "dutch": "Netherlands",
    "spanish": "Spain",
    "swiss": "Switzerland",
    "egyptian": "Egypt",
    "syrian": "Syria",
    "bahraini": "Bahrain",
    "kuwaiti": "Kuwait",
    "qatari": "Qatar",
    "emirati": "United Arab Emirates",
    "uae": "United Arab Emirates",
    "venezuelan": "Venezuela",
    "colombian": "Colombia",
    "argentine": "Argentina",
    "argentinian": "Argentina",
    "nigerian": "Nigeria",
    "ivory coast": "Ivory Coast",
    "cote d'ivoire": "Ivory Coast",
    "côte d'ivoire": "Ivory Coast",
    "ghanaian": "Ghana",
    "malaysian": "Malaysia",
    "thai": "Thailand",
    "filipino": "Philippines",
    "philippine": "Philippines",
    "pakistani": "Pakistan",
    "european union": "European Union",
    "european community": "European Community",
    "european economic community": "European Community",
    "ec": "European Community",
    "e.c.": "European Community",
    "eec": "European Community",
    "eu": "European Union",
    "brunei": "Brunei",
    "palestine": "Palestine",
    "macedonia": "North Macedonia",
    "cape verde": "Cape Verde",
    "micronesia": "Micronesia",
    "swaziland": "Eswatini",
    "east timor": "Timor-Leste",
    "vatican city": "Vatican",
    "dr congo": "DR Congo",
    "democratic republic of the congo": "DR Congo",
    "east germany": "East Germany",
    "yugoslavia": "Yugoslavia",
    "kosovo": "Kosovo",
}
# Every canonical name is a name of itself ("Russia" is not a pycountry name: "Russian Federation").
_COUNTRY_ALIASES.update({name.casefold(): name for name in set(_COUNTRY_ALIASES.values())})
_GOV_WORDS = re.compile(
    r"\b(?:government|governments|administration|delegation|officials?|side|state|republic of the)\b", re.I
)
_HONORIFICS = re.compile(
    r"^(?:(?:his|her)\s+(?:majesty|excellency|highness)\s+|mr\.?\s+|mrs\.?\s+|ms\.?\s+|dr\.?\s+|"
    r"president\s+|prime minister\s+|minister\s+|secretary\s+|king\s+|queen\s+|sir\s+)+",
    re.I,
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """Comparison key: lower case, no accents, punctuation or extra spaces."""
    folded = _fold(name).casefold().replace("-", " ")
    return " ".join(re.sub(r"[^\w\s]", "", folded).split())


def strip_honorifics(name: str) -> str:
    """ "His Majesty King Abdullah II" → "Abdullah II"."""
    return _HONORIFICS.sub("", name.strip()).strip() or name.strip()


@lru_cache(maxsize=4096)
def canonical_country(name: str) -> str | None:
    """The common English name of a country, or ``None`` when ``name`` is not one."""
    raw = " ".join(name.strip().split())
    key = re.sub(r"\b(\w)\.\s+(?=\w\.)", r"\1.", raw.casefold()).strip(" .")  # "U. S." → "u.s"
    if key not in _COUNTRY_ALIASES:
        key = re.sub(r"^the\s+", "", key)
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    if key + "." in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key + "."]
    if len(key) <= 3:
        return (
            None  # no ISO codes: "In" and "No" are words, "ITA" and "ICO" acronyms (aliases cover US, UK, …)
        )
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency
        return None
    try:
        country = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(getattr(country, "common_name", None) or country.name)


def country_forms(country: str) -> list[str]:
    """Every name the table knows for ``country`` (a common name from :func:`canonical_country`)."""
    return [country, *(alias for alias, c in _COUNTRY_ALIASES.items() if c == country)]


def canonical_party(name: str) -> str:
    """A party as the gold files write it: countries by common name, others as given.

    "the Japanese government" → "Japan"; "U.S. Department of Defense" stays as given.
    """
    text = " ".join(name.strip().split())
    country = canonical_country(text)
    if country is not None:
        return country
    stripped = " ".join(_GOV_WORDS.sub(" ", re.sub(r"^the\s+", "", text, flags=re.I)).split())
    if stripped and stripped != text:
        country = canonical_country(stripped)
        if country is not None:
            return country
    return text
