"""International organisations by one English name, in any language ("OTAN" → "NATO").

The names come from ``data/organisations.tsv``: each organisation's own names in its official
languages and the usual names in en, es, fr, de, pt, it, nl, ru, ja and zh. The table is read once,
on the first lookup. A model told to write parties in English writes "NATO" for an article that
says "OTAN": :func:`organisation_forms` lets grounding find it, :func:`canonical_organisation` lets
records of articles in two languages name the same side alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from summarizer.text.countries import _ARTICLES, _key

__all__ = ["canonical_organisation", "is_acronym", "organisation_forms"]


@dataclass(frozen=True)
class _Table:
    names: dict[str, str]  # lookup key → the English name
    forms: dict[str, tuple[str, ...]]  # English name → every form, the English name first


@lru_cache(maxsize=1)
def _table() -> _Table:
    text = resources.files("summarizer.text").joinpath("data/organisations.tsv").read_text(encoding="utf-8")
    names: dict[str, str] = {}
    forms: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, rest = line.partition("\t")
        all_forms = tuple(dict.fromkeys([name, *(f.strip() for f in rest.split("|") if f.strip())]))
        forms[name] = all_forms
        for form in all_forms:
            names.setdefault(_key(form), name)
    return _Table(names, forms)


def canonical_organisation(name: str) -> str | None:
    """The English name of a known organisation ("OTAN", "the Group of Seven" → "NATO", "G7"),
    else ``None``."""
    key = _key(name)
    table = _table()
    found = table.names.get(key)
    if found is None:
        found = table.names.get(_key(_ARTICLES.re.sub("", name.strip().casefold())))
    return found


def organisation_forms(name: str) -> tuple[str, ...]:
    """Every name of the organisation ``name`` is one of, its English name first; ``()`` when it
    is not a known organisation."""
    found = canonical_organisation(name)
    return _table().forms[found] if found is not None else ()


def is_acronym(form: str) -> bool:
    """A form written in capitals ("UN", "G7", "НАТО"): matched case-sensitively, so the French
    article "un" does not ground the United Nations."""
    compact = form.replace(".", "").replace("-", "").replace(" ", "")
    return len(compact) <= 6 and compact.isupper()
