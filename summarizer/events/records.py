"""Source records from summaries: each meeting and agreement, flattened and coded."""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.events.coding import actor, code_agreement, code_meeting, host_side, sector_of_title
from summarizer.events.model import Place, Plover, Quote, SourceRecord
from summarizer.schemas import Agreement, ArticleSummary, Meeting, Participant

__all__ = ["source_records"]


def _plover(coding: object) -> Plover | None:
    if coding is None:
        return None
    return Plover(**{k: getattr(coding, k) for k in ("event", "mode", "context", "cameo", "reason")})


def _sides(parties: list[str], people: list[Participant]) -> tuple[list[str], list[str], dict[str, str]]:
    """Canonical parties, their actor codes, and each actor's sector (a participant's title may
    say MIL where the party alone says GOV)."""
    actors = [actor(p) for p in parties]
    sectors = {a.code: a.sector for a in actors if a.sector}
    for person in people:
        sector = sector_of_title(person.title)
        if sector == "MIL" and person.country:
            code = actor(person.country).code
            if code in sectors:
                sectors[code] = "MIL"
    names = list(dict.fromkeys(a.name for a in actors))
    codes = list(dict.fromkeys(a.code for a in actors))
    return names, codes, sectors


def _meeting(article: str, summary: ArticleSummary, m: Meeting) -> SourceRecord:
    parties, codes, sectors = _sides(m.parties, m.participants)
    country = m.location.country if m.location else None
    host = host_side(m.parties, country)
    return SourceRecord(
        kind="meeting",
        article=article,
        record=m.id,
        published=summary.source.published,
        url=summary.source.url,
        title=m.title,
        status=m.status.value,
        channel=m.channel.value,
        date=m.date,
        end_date=m.end_date,
        place=Place(**m.location.model_dump()) if m.location else None,
        parties=parties,
        actors=codes,
        sectors=sectors,
        people=[p.name for p in m.participants],
        host=actor(host).code if host else None,
        evidence=[Quote(quote=e.quote, start=e.start, end=e.end) for e in m.evidence],
        plover=_plover(code_meeting(m.status.value, m.channel.value, m.parties, country)),
    )


def _agreement(article: str, summary: ArticleSummary, a: Agreement) -> SourceRecord:
    parties, codes, sectors = _sides(a.parties, a.signatories)
    return SourceRecord(
        kind="agreement",
        article=article,
        record=a.id,
        published=summary.source.published,
        url=summary.source.url,
        title=a.summary,
        status=a.status.value,
        agreement_kind=a.kind.value,
        date=a.date,
        parties=parties,
        actors=codes,
        sectors=sectors,
        people=[p.name for p in a.signatories],
        evidence=[Quote(quote=e.quote, start=e.start, end=e.end) for e in a.evidence],
        plover=_plover(code_agreement(a.status.value, a.kind.value, a.summary)),
    )


def source_records(summaries: Iterable[tuple[str, ArticleSummary]]) -> list[SourceRecord]:
    """Every meeting and agreement of ``(article id, summary)`` pairs, in order."""
    out: list[SourceRecord] = []
    for article, summary in summaries:
        out += [_meeting(article, summary, m) for m in summary.meetings]
        out += [_agreement(article, summary, a) for a in summary.agreements]
    return out
