"""Summaries written for the event tests: several outlets reporting invented encounters."""

from __future__ import annotations

from datetime import date
from typing import Any

from summarizer.schemas import Agreement, ArticleSummary, Evidence, Location, Meeting, Participant, Source


def quote(text: str) -> list[Evidence]:
    return [Evidence(quote=text, start=0, end=len(text))]


def meeting(n: int, title: str, status: str, parties: list[str], **fields: Any) -> Meeting:
    people = [Participant(name=p) for p in fields.pop("people", [])]
    place = fields.pop("place", None)
    return Meeting(
        id=f"m{n}",
        title=title,
        status=status,
        parties=parties,
        participants=people,
        location=Location(**place) if place else None,
        evidence=quote(fields.pop("quote", title)),
        **fields,
    )


def agreement(n: int, summary: str, status: str, parties: list[str], **fields: Any) -> Agreement:
    return Agreement(
        id=f"a{n}", summary=summary, status=status, parties=parties, evidence=quote(summary), **fields
    )


def article(name: str, published: date, *records: Meeting | Agreement) -> tuple[str, ArticleSummary]:
    return name, ArticleSummary(
        source=Source(id=name, published=published, url=f"https://news.example/{name}"),
        meetings=[r for r in records if isinstance(r, Meeting)],
        agreements=[r for r in records if isinstance(r, Agreement)],
    )


def summit_reports() -> list[tuple[str, ArticleSummary]]:
    """A Chile-Norway summit announced, then held in Santiago and reported by three outlets (one in
    Spanish party names, one a day off); a phone call between the same leaders the week after; a
    fisheries accord agreed at the summit and signed a month later; and an unrelated Chile-Peru
    meeting."""
    return [
        article(
            "wire-1",
            date(2031, 3, 2),
            meeting(
                1, "Norwegian prime minister to visit Chile", "planned", ["Norway", "Chile"], date="2031-03"
            ),
        ),
        article(
            "wire-2",
            date(2031, 3, 11),
            meeting(
                1,
                "Talks between Presidents Rojas and Prime Minister Lund in Santiago",
                "held",
                ["Chile", "Norway"],
                date="2031-03-10",
                people=["Ana Rojas", "Erik Lund"],
                place={"city": "Santiago", "country": "Chile"},
            ),
            agreement(
                1, "Chile and Norway agreed a fisheries cooperation accord", "agreed", ["Chile", "Norway"]
            ),
        ),
        article(
            "diario-3",
            date(2031, 3, 11),
            meeting(
                1,
                "Reunión Rojas-Lund en La Moneda",
                "held",
                ["Chile", "Noruega"],
                date="2031-03-10",
                people=["Presidenta Rojas", "Lund"],
                place={"venue": "La Moneda", "city": "Santiago", "country": "Chile"},
            ),
        ),
        article(
            "paper-4",
            date(2031, 3, 12),
            meeting(
                1,
                "Lund and Rojas hold summit",
                "held",
                ["Norway", "Chile"],
                date="2031-03-11",
                people=["Erik Lund"],
                place={"city": "Santiago"},
            ),
        ),
        article(
            "wire-5",
            date(2031, 3, 18),
            meeting(
                1,
                "Rojas and Lund speak by phone",
                "held",
                ["Chile", "Norway"],
                channel="phone",
                date="2031-03-17",
                people=["Ana Rojas", "Erik Lund"],
            ),
            meeting(2, "Chile-Peru border commission meets", "held", ["Chile", "Peru"], date="2031-03-16"),
        ),
        article(
            "wire-6",
            date(2031, 4, 20),
            agreement(
                1,
                "Chile and Norway signed the fisheries cooperation accord in Oslo",
                "signed",
                ["Chile", "Norway"],
                date="2031-04-19",
            ),
        ),
    ]
