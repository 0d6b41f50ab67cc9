"""Scripted model answers for the reference article, written by hand for the fake server.

Sentence numbers index the article's unique sentences (see ``summarizer.sentences``).
"""

from __future__ import annotations

from typing import Any

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
