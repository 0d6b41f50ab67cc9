"""Scripted model answers for the reference article, written by hand for the fake server."""

from __future__ import annotations

from typing import Any

MEETINGS_00: dict[str, Any] = {
    "summary": "Japan and Russia held their first two-plus-two meeting of foreign and defense ministers "
    "in Tokyo and agreed to deepen defense exchanges.",
    "meetings": [
        {
            "quote": "Japan and Russia agreed to improve bilateral defense exchanges at the first "
            '"two-plus-two" meeting involving their foreign and defense ministers here on Saturday',
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
            "quote": "The two visiting Russian ministers also held talks with Japanese Prime Minister "
            "Shinzo Abe on Saturday.",
            "title": "Russian ministers' talks with Shinzo Abe",
            "status": "held",
            "channel": "in_person",
            "date": "Saturday",
            "participants": [{"name": "Shinzo Abe", "title": "Prime Minister", "represents": "Japan"}],
            "parties": ["Japan", "Russia"],
            "topics": [],
        },
        {
            "quote": 'Japan and Russia will hold next "two-plus-two" meeting in Russia in 2014.',
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
            "quote": "Both sides agreed to boost anti-terrorism cooperation",
            "summary": "Boost anti-terrorism cooperation.",
            "kind": "verbal",
            "status": "agreed",
            "parties": ["Japan", "Russia"],
            "commitments": ["joint counter-terrorism and anti-piracy drills"],
            "date": "Saturday",
        },
        {
            "quote": "They also vowed to establish a negotiating mechanism on cyber security.",
            "summary": "Establish a negotiating mechanism on cyber security.",
            "kind": "verbal",
            "status": "agreed",
            "parties": ["Japan", "Russia"],
        },
    ]
}
