"""Hand-written model answers for the quickstart notebook, served by ``summarizer.testing.FakeOpenAI``.

The pipeline asks by strategy (``Settings.strategy``): a ``Triage`` call (summary and the
sentences that state records) then one call per flagged sentence (``MeetingsInSentence``,
``AgreementsInSentence``), or the whole-article ``MeetingPass`` and ``AgreementPass``. The article reaches the model as numbered unique sentences (1-based),
and an answer points at the sentence that states each record. These answers were written
by hand for two articles (the reference article is the one in ``tests/replies.py``); every
other article gets an empty answer. Nothing here is a model: it only lets the notebook run
without a key or a model.
"""

from __future__ import annotations

import re
from typing import Any

from summarizer.testing import Reply, tool_call

__all__ = ["ANSWERS", "answer"]

# 00_japan_russia_two_plus_two_2013.txt
MEETINGS_00: dict[str, Any] = {
    "summary": "Japan and Russia held their first two-plus-two meeting of foreign and defense ministers "
    "in Tokyo and agreed to deepen defense exchanges.",
    "meetings": [
        {
            "sentence": 5,
            "title": "First Japan-Russia two-plus-two meeting",
            "status": "held",
            "channel": "in_person",
            "date": "Saturday, November 2, 2013",
            "venue": "Iikura guest house",
            "city": "Tokyo",
            "country": None,
            "participants": [
                {"name": "Fumio Kishida", "title": "Foreign Minister", "represents": "Japan"},
                {"name": "Itsunori Onodera", "title": "Defense Minister", "represents": "Japan"},
                {"name": "Sergey Lavrov", "title": "Foreign Minister", "represents": "Russia"},
                {"name": "Sergei Shoigu", "title": "Defense Minister", "represents": "Russia"},
            ],
            "parties": ["Japan", "Russia"],
            "topics": ["defense exchanges", "counter-terrorism"],
        },
        {
            "sentence": 13,
            "title": "Russian ministers' talks with Shinzo Abe",
            "status": "held",
            "channel": "in_person",
            "date": "Saturday",
            "participants": [{"name": "Shinzo Abe", "title": "Prime Minister", "represents": "Japan"}],
            "parties": ["Japan", "Russia"],
            "topics": [],
        },
        {
            "sentence": 16,
            "title": "Next two-plus-two meeting",
            "status": "planned",
            "channel": "in_person",
            "date": "in 2014",
            "country": "Russia",
            "parties": ["Japan", "Russia"],
        },
    ],
}

AGREEMENTS_00: dict[str, Any] = {
    "agreements": [
        {
            "sentence": 10,
            "summary": "Boost anti-terrorism cooperation.",
            "kind": "verbal",
            "status": "agreed",
            "parties": ["Japan", "Russia"],
            "commitments": ["joint counter-terrorism and anti-piracy drills"],
            "date": "Saturday",
        },
        {
            "sentence": 11,
            "summary": "Establish a negotiating mechanism on cyber security.",
            "kind": "verbal",
            "status": "agreed",
            "parties": ["Japan", "Russia"],
        },
    ]
}

# 12_us_japan_austin_kishi_call.txt
MEETINGS_12: dict[str, Any] = {
    "summary": "U.S. Defense Secretary Lloyd Austin and Japanese Defense Minister Nobuo Kishi spoke by "
    "phone about the alliance and security in the Indo-Pacific.",
    "meetings": [
        {
            "sentence": 1,
            "title": "Austin-Kishi phone call",
            "status": "held",
            "channel": "phone",
            "date": "today",
            "participants": [
                {
                    "name": "Lloyd J. Austin III",
                    "title": "Secretary of Defense",
                    "represents": "United States",
                },
                {"name": "Nobuo Kishi", "title": "Defense Minister", "represents": "Japan"},
            ],
            "parties": ["United States", "Japan"],
            "topics": ["U.S.-Japan Alliance", "Indo-Pacific security"],
        }
    ],
}

AGREEMENTS_12: dict[str, Any] = {
    "agreements": [
        {
            "sentence": 3,
            "summary": "U.S. force realignment initiatives, including the Futenma Replacement Facility.",
            "kind": "other",
            "status": "in_force",
            "parties": ["United States", "Japan"],
            "commitments": ["construction of the Futenma Replacement Facility in Henoko"],
        }
    ]
}

# (text that identifies the article in the prompt, meeting answer, agreement answer)
ANSWERS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ('first "two-plus-two" meeting', MEETINGS_00, AGREEMENTS_00),
    ("Nobuo Kishi", MEETINGS_12, AGREEMENTS_12),
]


def _focus(user: str) -> int | None:
    """The sentence a per-sentence call asks about ("… sentence [5] states …")."""
    match = re.search(r"sentence \[(\d+)\] states", user)
    return int(match.group(1)) if match else None


def answer(request: dict[str, Any]) -> Reply:
    """The ``default`` of ``FakeOpenAI``: the scripted answer for the article in the request, for
    whichever call the strategy makes (triage, a whole-article pass, or one sentence's records)."""
    forced = request["tool_choice"]["function"]["name"]
    user = request["messages"][-1]["content"]
    meetings: dict[str, Any] = {"summary": "Nothing to report.", "meetings": []}
    agreements: dict[str, Any] = {"agreements": []}
    for marker, m, a in ANSWERS:
        if marker in user:
            meetings, agreements = m, a
            break
    if forced == "Triage":
        return tool_call(
            {
                "summary": meetings["summary"],
                "meeting_sentences": sorted({r["sentence"] for r in meetings["meetings"]}),
                "agreement_sentences": sorted({r["sentence"] for r in agreements["agreements"]}),
            }
        )
    if forced == "MeetingPass":
        return tool_call(meetings)
    if forced == "AgreementPass":
        return tool_call(agreements)
    n = _focus(user)
    if forced == "MeetingsInSentence":
        return tool_call({"meetings": [r for r in meetings["meetings"] if r["sentence"] == n]})
    return tool_call({"agreements": [r for r in agreements["agreements"] if r["sentence"] == n]})
