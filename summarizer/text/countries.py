"""The country index behind :func:`summarizer.text.names.canonical_country`, built from data.

Every ISO 3166 country through ``pycountry`` (names, official and common names, upper-case alpha-3
codes that are not words or acronyms), the CLDR territory names of :data:`CLDR_LANGUAGES` through
``babel``, and the demonym table ``data/demonyms.tsv`` (English demonyms of every country,
adjectives in es/fr/de/pt/it, whose inflected forms are derived here). Built once, on the first
lookup: neither ``babel`` nor ``pycountry`` is imported before.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["CLDR_LANGUAGES"]

# The languages whose CLDR territory names are looked up (babel locale identifiers).
CLDR_LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "ja", "nl", "pl", "zh", "zh_Hant", "ko", "ru", "ar")

# What the data does not have: abbreviations, exonyms older than CLDR's English names, historical
# states and the European organisations the gold files name as parties. Checked first.
_ALIASES: dict[str, str] = {
    "us": "United States",
    "u.s.": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "united states of america": "United States",
    "america": "United States",
    "ee uu": "United States",  # EE. UU.
    "eeuu": "United States",
    "eua": "United States",
    "米国": "United States",
    "アメリカ": "United States",
    "сша": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "england": "United Kingdom",
    "gran bretaña": "United Kingdom",
    "grande bretagne": "United Kingdom",
    "großbritannien": "United Kingdom",
    "gran bretagna": "United Kingdom",
    "grã bretanha": "United Kingdom",
    "groot brittannië": "United Kingdom",
    "英国": "United Kingdom",
    "rok": "South Korea",
    "korea": "South Korea",
    "republic of korea": "South Korea",
    "dprk": "North Korea",
    "prc": "China",
    "豪州": "Australia",
    "burma": "Myanmar",
    "macau": "Macao",
    "holland": "Netherlands",
    "the netherlands": "Netherlands",
    "holy see": "Vatican",
    "vatican city": "Vatican",
    "turkey": "Turkey",
    "türkiye": "Turkey",
    "turkiye": "Turkey",
    "czech republic": "Czech Republic",
    "ivory coast": "Ivory Coast",
    "cote d'ivoire": "Ivory Coast",
    "macedonia": "North Macedonia",
    "swaziland": "Eswatini",
    "east timor": "Timor-Leste",
    "cape verde": "Cape Verde",
    "dr congo": "DR Congo",
    "drc": "DR Congo",
    "democratic republic of the congo": "DR Congo",
    "uae": "United Arab Emirates",
    "soviet union": "Soviet Union",
    "ussr": "Soviet Union",
    "u.s.s.r.": "Soviet Union",
    "soviet": "Soviet Union",
    "soviets": "Soviet Union",
    "ソ連": "Soviet Union",
    "west germany": "West Germany",
    "east germany": "East Germany",
    "bundesrepublik deutschland": "Germany",
    "yugoslavia": "Yugoslavia",
    "kosovo": "Kosovo",
    "european union": "European Union",
    "eu": "European Union",
    "ue": "European Union",  # UE: es, fr, pt, it
    "european community": "European Community",
    "european economic community": "European Community",
    "ec": "European Community",
    "e.c.": "European Community",
    "eec": "European Community",
}


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


class _Lazy:
    """A regular expression compiled on first use (compiling them all made the import slow)."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def re(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled


# Upper-case alpha-3 codes that are English words or common acronyms ("CAN", "ECU", "ITA"): never
# a country. (Alpha-2 codes are not read at all: "CI", "MM", "KR" and "GB" are far more often
# continuous integration, millimetres, a ticker and gigabytes than countries.)
_NOT_CODES = _wordset(
    "AND ARE ARM AGO ALA ATA ATF BEN BRA CAF CAN CHE COD COG COL COM CUB DOM ECU ESP EST FIN GAB "
    "GEO GIN GUM GUY HUN IOT IRL ITA JAM KEN LIE LUX MAC MAR NAM NIC NOR PAN PER POL PRY SEN SOM "
    "STP SUR TON VAT"
)
# Names and forms that are also common place names, first names or words in English text ("Granada"
# is Grenada in Spanish, "Island" Iceland in German, "Maurice" Mauritius in French).
_NOT_NAMES = frozenset(
    {"granada", "indie", "dania", "man", "island", "chili", "indiana", "grenade", "keeling", "maurice",
     "norfolk", "reunion", "mauricio", "salvador", "dominique"}
)  # fmt: skip
_ARTICLES = _Lazy(
    r"^(?:(?:the|el|la|los|las|le|les|die|der|das|den|dem|des|il|lo|gli|os|as|o|a|de|het)\s+|l')(?=\S)"
)


def _unaccent(text: str) -> str:
    """Without the accents of Latin, Greek and Cyrillic letters; other scripts keep their marks
    (a Japanese ガ stays ガ, as NFKD plus dropping every combining mark would make it カ)."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and out and (out[-1] < "\u0530" or "\u1e00" <= out[-1] <= "\u1fff"):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).translate(_LETTERS)


_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ħ": "h", "ı": "i", "æ": "ae", "Æ": "AE",
     "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"}
)  # fmt: skip
_SEPARATORS = re.compile(r"[-‐‑‒–—・·･]")


def _key(text: str) -> str:
    """The lookup key of a country name: case, width, accents, dots, dashes and spaces folded."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace("`", "'")
    text = re.sub(r"\b(\w)\.\s+(?=\w\.)", r"\1.", text)  # "U. S." → "u.s."
    text = _SEPARATORS.sub(" ", text.replace(".", ""))
    return " ".join(text.split())


def _loose(key: str) -> str:
    """The key without accents: "peru" finds "Perú" (only for keys of four letters or more)."""
    return _unaccent(key)


class _Index:
    __slots__ = ("alpha3", "ambiguous", "codes", "exact", "forms", "loose")

    def __init__(self) -> None:
        self.exact: dict[str, str] = {}  # key → common English name
        self.loose: dict[str, str] = {}  # unaccented key → name
        self.codes: dict[str, str] = {}  # upper-case alpha-3 code → name
        self.forms: dict[str, list[str]] = {}  # name → surface forms
        self.ambiguous: set[str] = set()  # keys two countries claim
        self.alpha3: dict[str, str] = {}  # name → ISO 3166 alpha-3 code (every country)


class _Row:
    __slots__ = ("adjectives", "code", "en", "name")

    def __init__(
        self, code: str, name: str, en: tuple[str, ...], adjectives: dict[str, tuple[str, ...]]
    ) -> None:
        self.code, self.name, self.en, self.adjectives = code, name, en, adjectives


def _rows() -> list[_Row]:
    from importlib import resources  # imported lazily: importing it takes longer than this module

    text = resources.files("summarizer.text").joinpath("data/demonyms.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [*line.split("\t"), *[""] * 8][:8]
        forms = [tuple(f for f in cell.split("|") if f) for cell in cells[2:]]
        rows.append(
            _Row(
                cells[0],
                cells[1],
                forms[0],
                dict(zip(("es", "fr", "de", "pt", "it"), forms[1:], strict=True)),
            )
        )
    return rows


def _inflect(language: str, base: str) -> list[str]:
    """The inflected forms of a masculine singular adjective (a German one is its stem):
    español → española, españoles, españolas; französisch → französische, französischen, …"""
    b = base
    if language == "de":
        return [b + end for end in ("", "e", "en", "er", "es", "em")]
    if language == "es":
        for end, forms in (("o", "o a os as"), ("és", "és esa eses esas"), ("án", "án ana anes anas"),
                           ("ón", "ón ona ones onas"), ("ol", "ol ola oles olas"), ("í", "í íes ís")):  # fmt: skip
            if b.endswith(end):
                return [b[: -len(end)] + f for f in forms.split()]
        return [b, b + "s"] if b[-1] in "ae" else [b, b + "es"]
    if language == "fr":
        if b in ("grec", "turc"):
            return [
                b,
                b + "s",
                b[:-1] + ("cque" if b == "grec" else "que"),
                b[:-1] + ("cques" if b == "grec" else "ques"),
            ]
        if b.endswith("s"):
            return [b, b + "e", b + "es"]
        if b.endswith("en"):
            return [b, b + "ne", b + "s", b + "nes"]
        if b.endswith("e"):
            return [b, b + "s"]
        return [b, b + "e", b + "s", b + "es"]
    if language == "pt":
        for end, forms in (("o", "o a os as"), ("ês", "ês esa eses esas"), ("ão", "ão ã ães ãos ãs"),
                           ("ol", "ol ola óis olas")):  # fmt: skip
            if b.endswith(end):
                return [b[: -len(end)] + f for f in forms.split()]
        return [b, b + "s"]
    if language == "it":
        if b.endswith("co"):  # greco → greca, greci, greche; tedesco → tedeschi
            return [b, b[:-1] + "a", b[:-1] + "i", b[:-1] + "hi", b[:-1] + "he"]
        if b.endswith("o"):
            return [b, b[:-1] + "a", b[:-1] + "i", b[:-1] + "e"]
        if b.endswith("e"):
            return [b, b[:-1] + "i"]
        if b.endswith("a"):
            return [b, b[:-1] + "i", b[:-1] + "e"]
        return [b]
    return [b]


def _cldr_names() -> list[tuple[str, str]]:
    """(code, name) for every territory name of :data:`CLDR_LANGUAGES`, with the parts of
    "Myanmar (Burma)" and "Hong Kong SAR China" → "Hong Kong" added."""
    from babel import Locale  # imported lazily: loading the locale data takes a while

    out: list[tuple[str, str]] = []
    for language in CLDR_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) != 2 or not code.isalpha():
                continue
            out.append((code, name))
            if "(" in name:
                outer, _, inner = name.partition("(")
                out.extend([(code, outer.strip()), (code, "~" + inner.strip(" )"))])  # "Chiny" is China
            for suffix in (" SAR China", "中国特别行政区", "中國特別行政區", "(中華人民共和国)"):
                if name.endswith(suffix):
                    out.append((code, name[: -len(suffix)].strip()))
    return out


@lru_cache(maxsize=1)
def _index() -> _Index:
    import pycountry

    rows = _rows()
    names: dict[str, str] = {}  # ISO code → common English name
    for row in rows:
        country = pycountry.countries.get(alpha_2=row.code)
        default = getattr(country, "common_name", None) or getattr(country, "name", None) or row.code
        names[row.code] = row.name or str(default)
    names.setdefault("EU", "European Union")

    # (key, name, surface form, rank): the lowest rank claims a key; two names at one rank drop it.
    claims: dict[str, dict[str, int]] = {}
    surfaces: dict[str, list[str]] = {}

    def claim(form: str, name: str, rank: int) -> None:
        weak = form.startswith("~")
        form = form.lstrip("~").strip()
        key = _key(form)
        if not key or key in _NOT_NAMES:
            return
        rank = rank * 2 + weak
        for k in {key, re.sub(r"^saint ", "st ", key), re.sub(r"\bsaint\b", "st", key)}:
            current = claims.setdefault(k, {})
            current[name] = min(rank, current.get(name, rank))
        surfaces.setdefault(name, [])
        if form not in surfaces[name]:
            surfaces[name].append(form)

    for alias, name in _ALIASES.items():
        claim(alias, name, 0)
    for name in {*_ALIASES.values(), *names.values()}:
        claim(name, name, 1)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if (value := getattr(country, attr, None)) is not None:
                claim(str(value), names[country.alpha_2], 2)
    for code, value in _cldr_names():
        if code in names:
            claim(value, names[code], 3)
    for row in rows:
        for demonym in row.en:
            claim(demonym, names[row.code], 4)
            if demonym.endswith(("an", "i")) and " " not in demonym:  # Americans, Israelis
                claim(demonym + "s", names[row.code], 4)
        for language, bases in row.adjectives.items():
            for base in bases:
                for form in _inflect(language, base):
                    claim(form, names[row.code], 5)

    index = _Index()
    for key, by_name in claims.items():
        best = min(by_name.values())
        winners = [name for name, rank in by_name.items() if rank == best]
        if len(winners) > 1:
            index.ambiguous.add(key)
            continue
        (name,) = winners
        if len(key) <= 3 and key.isascii() and best // 2 > 1:
            continue  # "Lao", "Irã": short words are names only in the alias table
        index.exact[key] = name
    for key, name in index.exact.items():
        loose = _loose(key)
        if loose != key and len(loose) >= 4 and loose not in _NOT_NAMES:
            index.loose.setdefault(loose, name)
            if index.loose[loose] != name and loose not in index.exact:
                index.ambiguous.add(loose)
    for loose in index.ambiguous:
        index.loose.pop(loose, None)
    for country in pycountry.countries:
        index.alpha3[names[country.alpha_2]] = country.alpha_3
        if country.alpha_3 not in _NOT_CODES:
            index.codes[country.alpha_3] = names[country.alpha_2]
    for name, forms in surfaces.items():
        keep = [f for f in forms if index.exact.get(_key(f)) == name]
        index.forms[name] = keep
    return index


def _lookup(key: str) -> str | None:
    index = _index()
    found = index.exact.get(key)
    if found is None and len(key) >= 4:
        found = index.loose.get(_loose(key))
    return found
