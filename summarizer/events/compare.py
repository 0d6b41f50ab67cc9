"""Whether two source records can be the same real event, how alike they are, and why.

Pure functions over :class:`.model.SourceRecord`. A pair is compatible when nothing in it
contradicts one event; the score ranks compatible events for a record. Merging two different
events costs more than splitting one (an analyst reads one event as one encounter), so every
rule below refuses when the two records disagree on something both state.

Meetings:
- parties: when both name sides, one set of actor codes contains the other (a report may name
  one side only); when neither does, a shared participant surname;
- channel: a call (phone, video) and an in-person meeting are different events;
- dates: one contains the other (``2013-11`` contains ``2013-11-02``); two days at most one
  day apart are compatible (time zones, overnight talks) and later flagged as a conflict; an
  undated record is compatible with a date from two months before its publication to four
  after (a planned meeting is reported ahead of it);
- places: stated countries are the same country; stated cities the same city (or alike: "Singapur",
  "Singapore"), unless both records give the same day (then the names are only written differently).

Two records of one article are never one event: the article's own merge has joined its repeats.

Agreements: compatible parties (as above), published within 400 days of each other (an
agreement is proposed, signed and brought into force over months), and alike in subject
(summaries with ``token_set_ratio`` ≥ 50) or of the same specific kind.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz import fuzz

from summarizer.events.model import SourceRecord
from summarizer.text.dates import compatible as dates_contain
from summarizer.text.names import canonical_country, name_key, strip_honorifics

__all__ = ["Verdict", "compare", "month_of", "surname"]

SUBJECT_MIN = 50.0
CITY_FUZZY = 80.0  # "Singapur" and "Singapore"
AGREEMENT_DAYS = 400
_UNDATED_BEFORE_MONTHS = 2
_UNDATED_AFTER_MONTHS = 4


class Verdict:
    """Compatible or not, a score for ranking, and the reason in words."""

    __slots__ = ("ok", "reason", "score")

    def __init__(self, ok: bool, score: float, reason: str) -> None:
        self.ok, self.score, self.reason = ok, score, reason

    def __repr__(self) -> str:
        return f"Verdict({self.ok}, {self.score:.2f}, {self.reason!r})"


def _no(reason: str) -> Verdict:
    return Verdict(False, 0.0, reason)


@lru_cache(maxsize=65536)
def surname(name: str) -> str:
    """A person's comparison key: the last word of the name without honorifics ("Secretary
    Antony Blinken" and "Blinken" share "blinken")."""
    words = name_key(strip_honorifics(name)).split()
    return words[-1] if words else ""


def month_of(value: str | None, published: date | None) -> int | None:
    """The month index (year·12 + month − 1) a record is anchored to: its date, else its
    publication date."""
    if value and len(value) >= 7:
        return int(value[:4]) * 12 + int(value[5:7]) - 1
    if published is not None:
        return published.year * 12 + published.month - 1
    if value:
        return int(value[:4]) * 12
    return None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value and len(value) == 10 else None


def _sides(a: SourceRecord, b: SourceRecord) -> Verdict:
    sa, sb = set(a.actors), set(b.actors)
    if sa and sb:
        if sa == sb:
            return Verdict(True, 1.0, f"same sides {'/'.join(sorted(sa))}")
        if sa <= sb or sb <= sa:
            return Verdict(True, 0.5, f"sides {'/'.join(sorted(sa & sb))} in both")
        return _no(f"sides differ ({'/'.join(sorted(sa))} vs {'/'.join(sorted(sb))})")
    pa, pb = {surname(p) for p in a.people} - {""}, {surname(p) for p in b.people} - {""}
    if pa & pb:
        return Verdict(True, 0.5, f"shared participant {sorted(pa & pb)[0]}")
    return _no("no sides or participants in common")


def _people(a: SourceRecord, b: SourceRecord) -> float:
    pa, pb = {surname(p) for p in a.people} - {""}, {surname(p) for p in b.people} - {""}
    return 0.5 * len(pa & pb) / min(len(pa), len(pb)) if pa and pb else 0.0


def _dates(a: SourceRecord, b: SourceRecord) -> Verdict:
    if a.date and b.date:
        if dates_contain(a.date, b.date):
            exact = a.date == b.date and len(a.date) == 10
            return Verdict(True, 1.0 if exact else 0.5, f"dates {a.date} ~ {b.date}")
        da, db = _day(a.date), _day(b.date)
        if da and db and abs((da - db).days) <= 1:
            return Verdict(True, 0.0, f"dates a day apart ({a.date}, {b.date})")
        return _no(f"dates differ ({a.date} vs {b.date})")
    dated, undated = (a, b) if a.date else (b, a)
    if dated.date is None:  # neither has a date: reports close in time
        if a.published and b.published and abs((a.published - b.published).days) > 60:
            return _no("undated, reported more than 60 days apart")
        return Verdict(True, 0.0, "undated")
    anchor = month_of(dated.date, None)
    seen = month_of(None, undated.published)
    if anchor is None or seen is None:
        return Verdict(True, 0.0, "one undated")
    if not seen - _UNDATED_BEFORE_MONTHS <= anchor <= seen + _UNDATED_AFTER_MONTHS:
        return _no(f"{dated.date} far from the undated report of {undated.published}")
    return Verdict(True, 0.0, f"undated report near {dated.date}")


def _country(value: str | None) -> str | None:
    return (canonical_country(value) or name_key(value)) if value else None


def _places(a: SourceRecord, b: SourceRecord, same_day: bool) -> Verdict:
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return Verdict(True, 0.0, "")
    ca, cb = _country(pa.country), _country(pb.country)
    if ca and cb and ca != cb:
        return _no(f"places differ ({pa.country} vs {pb.country})")
    ta, tb = name_key(pa.city or ""), name_key(pb.city or "")
    if ta and tb:
        if ta == tb or f" {ta} " in f" {tb} " or f" {tb} " in f" {ta} " or fuzz.ratio(ta, tb) >= CITY_FUZZY:
            return Verdict(True, 0.5, f"same city {pa.city}")
        if not same_day:
            return _no(f"cities differ ({pa.city} vs {pb.city})")
        return Verdict(True, 0.0, f"cities written differently ({pa.city}, {pb.city}), same day")
    return Verdict(True, 0.25 if ca and ca == cb else 0.0, "")


def _remote(channel: str | None) -> bool:
    return channel in ("phone", "video")


def compare(a: SourceRecord, b: SourceRecord) -> Verdict:
    """Whether ``a`` and ``b`` can report the same event (see the module docstring)."""
    if a.kind != b.kind:
        return _no("a meeting and an agreement")
    if a.article == b.article:
        return _no("two records of one article")  # the article's own merge already joined its repeats
    sides = _sides(a, b)
    if not sides.ok:
        return sides
    title = fuzz.token_set_ratio(a.title.casefold(), b.title.casefold()) / 100
    if a.kind == "agreement":
        return _agreements(a, b, sides, title)
    if _remote(a.channel) != _remote(b.channel):
        return _no("a call and an in-person meeting")
    when = _dates(a, b)
    if not when.ok:
        return when
    where = _places(a, b, bool(a.date and a.date == b.date and len(a.date) == 10))
    if not where.ok:
        return where
    score = sides.score + when.score + where.score + _people(a, b) + 0.5 * title
    reason = "; ".join(r for r in (sides.reason, when.reason, where.reason) if r)
    return Verdict(True, score, reason)


def _agreements(a: SourceRecord, b: SourceRecord, sides: Verdict, title: float) -> Verdict:
    if a.published and b.published and abs(a.published - b.published) > timedelta(days=AGREEMENT_DAYS):
        return _no(f"reported more than {AGREEMENT_DAYS} days apart")
    same_kind = a.agreement_kind == b.agreement_kind and a.agreement_kind not in (None, "other")
    if title * 100 < SUBJECT_MIN and not same_kind:
        return _no(f"different subjects ({title:.2f})")
    score = sides.score + title + (0.5 if same_kind else 0.0) + _people(a, b)
    subject = f"subject {title:.2f}" + (f", both {a.agreement_kind}" if same_kind else "")
    return Verdict(True, score, f"{sides.reason}; {subject}")
