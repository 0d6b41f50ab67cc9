"""Shared helpers for the benchmark scripts (run from the repository root).

Scripted fake-server answers: the reference article (00) uses the hand-written answers
of ``tests/replies.py``; the 15k-character joint statement (03) gets a plausible
answer whose sentence numbers are looked up in the numbered article of each request.
"""

from __future__ import annotations

import copy
import json
import platform
import re
import statistics
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "evals" / "articles"
RESULTS = ROOT / "benchmarks" / "results"
REFERENCE = ARTICLES / "00_japan_russia_two_plus_two_2013.txt"
LONG = ARTICLES / "03_japan_rok_us_camp_david_joint_statement_long.txt"

sys.path.insert(0, str(ROOT / "examples"))  # scripted_answers, imported by tests/replies.py
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from replies import AGREEMENTS_00, MEETINGS_00  # noqa: E402

from summarizer.testing import Reply, content, tool_call  # noqa: E402
from summarizer.testing import server as fake_server  # noqa: E402

# FakeOpenAI writes headers and body in two sends; with Nagle's algorithm on, the client's
# delayed ACK stalls every response by ~40 ms on loopback. Benchmarks turn it off.
fake_server._Handler.disable_nagle_algorithm = True


def numbered(request: dict[str, Any]) -> dict[int, str]:
    """``{number: sentence}`` of the numbered article in a request."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^\[(\d+)\] (.*)$", user, re.M)}


PARTIES_03 = ["Japan", "Republic of Korea", "United States"]
LEADERS_03 = [
    {"name": "Biden", "title": "President", "represents": "United States"},
    {"name": "Yoon", "title": "President", "represents": "Republic of Korea"},
    {"name": "Kishida", "title": "Prime Minister", "represents": "Japan"},
]


def _answers_03(request: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Article 03's answers; with chunking, only the records whose sentence is in this request."""
    sentences = numbered(request)

    def records(specs: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
        out = []
        for needle, record in specs:
            number = next((n for n, text in sentences.items() if needle in text), None)
            if number is not None:
                out.append({"sentence": number, **record})
        return out

    meetings = {
        "summary": "The leaders of Japan, South Korea and the United States met at Camp David and "
        "committed to expand trilateral cooperation, including annual leader-level meetings.",
        "meetings": records(
            [
                (
                    "convened at Camp David",
                    {
                        "title": "Camp David trilateral summit",
                        "status": "held",
                        "channel": "in_person",
                        "venue": "Camp David",
                        "participants": LEADERS_03,
                        "parties": PARTIES_03,
                        "topics": ["trilateral partnership", "regional security"],
                    },
                ),
                (
                    "We will hold trilateral meetings between our leaders",
                    {
                        "title": "Annual trilateral leaders' and ministers' meetings",
                        "status": "planned",
                        "parties": PARTIES_03,
                    },
                ),
                (
                    "first trilateral meeting between our finance ministers",
                    {
                        "title": "First trilateral finance ministers' meeting",
                        "status": "planned",
                        "parties": PARTIES_03,
                    },
                ),
                (
                    "development policy dialogue planned in October",
                    {
                        "title": "Trilateral development policy dialogue",
                        "status": "planned",
                        "date": "October",
                        "parties": PARTIES_03,
                    },
                ),
            ]
        ),
    }
    agreements = {
        "agreements": records(
            [
                (
                    "we commit to expand our cooperation trilaterally",
                    {
                        "summary": "Expand trilateral cooperation across domains.",
                        "kind": "joint_statement",
                        "status": "agreed",
                        "parties": PARTIES_03,
                    },
                ),
                (
                    "commitment to consult with each other",
                    {
                        "summary": "Consult each other expeditiously on regional challenges and threats.",
                        "kind": "joint_statement",
                        "status": "agreed",
                        "parties": PARTIES_03,
                        "commitments": [
                            "share information",
                            "align messaging",
                            "coordinate response actions",
                        ],
                    },
                ),
                (
                    "annual Trilateral Indo-Pacific Dialogue",
                    {
                        "summary": "Launch an annual Trilateral Indo-Pacific Dialogue.",
                        "kind": "joint_statement",
                        "status": "agreed",
                        "parties": PARTIES_03,
                    },
                ),
            ]
        )
    }
    return meetings, agreements


def _fill_required(answer: dict[str, Any], forced: str) -> dict[str, Any]:
    """Add list fields the current schema requires but the scripted answer lacks (``*_sentences``
    gets the records' sentence numbers), so the scripts follow schema changes without re-asks."""
    from summarizer.passes.drafts import PASSES

    model = next(m for m in PASSES.values() if m.__name__ == forced)
    schema = model.model_json_schema()
    out = copy.deepcopy(answer)
    records = next((v for v in out.values() if isinstance(v, list)), [])
    for name in schema.get("required", []):
        if name not in out and schema.get("properties", {}).get(name, {}).get("type") == "array":
            out[name] = sorted({r["sentence"] for r in records}) if name.endswith("sentences") else []
    return out


def _forced(request: dict[str, Any]) -> str:
    choice = request.get("tool_choice")
    if isinstance(choice, dict):
        return str(choice["function"]["name"])
    # json / md_json / json_schema modes: the pass shows in its task text.
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    return "AgreementPass" if "list every agreement" in user else "MeetingPass"


def scripted(article: Path, mode: str = "tools") -> Callable[[dict[str, Any]], Reply]:
    """A fake-server ``default`` that answers ``article``'s passes correctly in ``mode``."""

    def answer(request: dict[str, Any]) -> Reply:
        forced = _forced(request)
        if article == REFERENCE:
            meetings, agreements = MEETINGS_00, AGREEMENTS_00
        else:
            meetings, agreements = _answers_03(request)
        data = _fill_required(meetings if forced == "MeetingPass" else agreements, forced)
        if mode == "tools":
            return tool_call(data)
        if mode == "md_json":
            return content("```json\n" + json.dumps(data) + "\n```")
        return content(json.dumps(data))

    return answer


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def stats_ms(values: Sequence[float]) -> tuple[float, float]:
    return statistics.median(values) * 1000, percentile(values, 0.95) * 1000


def machine() -> str:
    import os

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU(s), load average {load} at the end"
    )


def write_result(name: str, title: str, command: str, body: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    path.write_text(
        f"# {title}\n\nCommand: `{command}`  \nRun: {stamp} on {machine()}\n\n{body.strip()}\n",
        encoding="utf-8",
    )
    return path
