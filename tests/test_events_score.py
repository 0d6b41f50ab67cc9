"""Event clustering scores: pairwise and B-cubed on clusterings worked out by hand, and
``summarizer eval --oracle --events`` end to end on three short articles written for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli.main import app
from summarizer.evaluation.events_score import bcubed, pairwise

GOLD = {("x", "a"): "E1", ("x", "b"): "E1", ("y", "c"): "E1", ("z", "d"): "E2"}
PRED = {("x", "a"): "P1", ("x", "b"): "P1", ("y", "c"): "P2", ("z", "d"): "P2"}


def test_pairwise_counts() -> None:
    assert pairwise(PRED, GOLD) == (1, 1, 2)  # ab together; cd wrongly together; ac, bc apart
    assert pairwise(GOLD, GOLD) == (3, 0, 0)


def test_bcubed_per_record() -> None:
    scores = bcubed(PRED, GOLD)
    assert scores[("x", "a")] == (1.0, pytest.approx(2 / 3))
    assert scores[("y", "c")] == (0.5, pytest.approx(1 / 3))
    assert scores[("z", "d")] == (0.5, 1.0)
    assert sum(p for p, _ in scores.values()) / 4 == 0.75


ARTICLES = {
    "a1.txt": (
        "2031-03-02",
        "Norway's prime minister Erik Lund will visit Chile next week, officials said. "
        "Lund is expected to meet President Ana Rojas in Santiago on March 10.",
    ),
    "a2.txt": (
        "2031-03-11",
        "President Ana Rojas received Norwegian prime minister Erik Lund in Santiago on Tuesday. "
        "The two leaders signed a fisheries accord during the visit.",
    ),
    "a3.txt": (
        "2031-03-20",
        "Chile's foreign minister Luis Vidal met his Peruvian counterpart in Lima on Thursday. "
        "Last week President Rojas hosted Norway's Erik Lund in Santiago.",
    ),
}

GOLD_FILES = {
    "a1.yaml": """article: a1.txt
published: 2031-03-02
meetings:
  - id: m1
    title: Lund-Rojas meeting in Santiago
    status: planned
    channel: in_person
    date: 2031-03-10
    location: {venue: null, city: Santiago, country: Chile}
    participants: [{name: Erik Lund}, {name: Ana Rojas}]
    parties: [Norway, Chile]
    evidence: ["Lund is expected to meet President Ana Rojas in Santiago on March 10."]
    event: summit
agreements: []
""",
    "a2.yaml": """article: a2.txt
published: 2031-03-11
meetings:
  - id: m1
    title: Rojas receives Lund in Santiago
    status: held
    channel: in_person
    date: 2031-03-10
    location: {venue: null, city: Santiago, country: Chile}
    participants: [{name: Ana Rojas}, {name: Erik Lund}]
    parties: [Chile, Norway]
    evidence: ["President Ana Rojas received Norwegian prime minister Erik Lund in Santiago on Tuesday."]
    event: summit
agreements:
  - id: a1
    summary: Chile and Norway signed a fisheries accord
    kind: treaty
    status: signed
    parties: [Chile, Norway]
    date: 2031-03-10
    evidence: ["The two leaders signed a fisheries accord during the visit."]
    event: accord
""",
    "a3.yaml": """article: a3.txt
published: 2031-03-20
meetings:
  - id: m1
    title: Vidal meets his Peruvian counterpart in Lima
    status: held
    channel: in_person
    date: 2031-03-19
    location: {venue: null, city: Lima, country: Peru}
    participants: [{name: Luis Vidal}]
    parties: [Chile, Peru]
    evidence: ["Chile's foreign minister Luis Vidal met his Peruvian counterpart in Lima on Thursday."]
    event: lima
  - id: m2
    title: Rojas hosts Lund in Santiago
    status: held
    channel: in_person
    date: 2031-03
    location: {venue: null, city: Santiago, country: Chile}
    participants: [{name: Ana Rojas}, {name: Erik Lund}]
    parties: [Chile, Norway]
    evidence: ["Last week President Rojas hosted Norway's Erik Lund in Santiago."]
    event: summit
agreements: []
""",
}


def oracle_events_args(tmp_path: Path, gold_files: dict[str, str]) -> tuple[list[str], Path]:
    """The three-article set written under ``tmp_path``; the ``eval --oracle --events`` arguments."""
    articles, gold, out = tmp_path / "articles", tmp_path / "gold", tmp_path / "out"
    articles.mkdir()
    gold.mkdir()
    for name, (published, text) in ARTICLES.items():
        (articles / name).write_text(f"TITLE: {name}\nDATE: {published}\n\n{text}\n", encoding="utf-8")
    for name, body in gold_files.items():
        (gold / name).write_text(body, encoding="utf-8")
    args = [
        "eval",
        "--oracle",
        "--events",
        "--gold",
        str(gold),
        "--articles",
        str(articles),
        "--out",
        str(out),
    ]
    return args, out


def test_eval_oracle_events_end_to_end(tmp_path: Path) -> None:
    args, out = oracle_events_args(tmp_path, GOLD_FILES)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    scored = json.loads((out / "events.json").read_text())
    assert scored["gold_events"] == 3 and scored["records"] == 5
    assert scored["metrics"]["bcubed.f1"] == 1.0 and scored["metrics"]["pairwise.f1"] == 1.0
    assert "B-cubed P 1.000" in result.output
    assert len((out / "events.jsonl").read_text().splitlines()) == 3


def test_eval_events_precision_gate_fails_with_exit_4(tmp_path: Path) -> None:
    # a3's Santiago visit said to be another event: the resolver's merge of it is an error
    mislabelled = {**GOLD_FILES, "a3.yaml": GOLD_FILES["a3.yaml"].replace("event: summit", "event: other")}
    args, _ = oracle_events_args(tmp_path, mislabelled)
    result = CliRunner().invoke(app, [*args, "--events-min-precision", "0.9"])
    assert result.exit_code == 4, result.output
    assert "regression: events.bcubed.precision: 0.733 under 0.90" in result.output
    assert "gate check(s) failed" in result.output
    assert CliRunner().invoke(app, [*args, "--events-min-precision", "0.7"]).exit_code == 0


def test_plover_type_and_mode_are_scored_as_a_field_of_matched_records() -> None:
    from events_data import meeting

    from summarizer.evaluation.coding_fields import meeting_coding
    from summarizer.evaluation.gold import GoldMeeting
    from summarizer.evaluation.matchers import Counts

    gold = GoldMeeting.model_validate(
        {
            "id": "m1",
            "title": "t",
            "status": "held",
            "channel": "in_person",
            "location": {"venue": None, "city": "Santiago", "country": "Chile"},
            "location_alternatives": [{"venue": None, "city": "Santiago", "country": None}],
            "parties": ["Chile", ["Norway", "Noruega"]],
            "evidence": ["x"],
        }
    )
    visit = meeting(1, "t", "held", ["Chile", "Norway"], place={"country": "Chile"})
    unplaced = meeting(1, "t", "held", ["Chile", "Norway"])  # the alternative without a country: 040
    call = meeting(1, "t", "held", ["Chile", "Norway"], channel="phone")
    assert meeting_coding(visit, gold) == Counts(tp=1)
    assert meeting_coding(unplaced, gold) == Counts(tp=1)
    assert meeting_coding(call, gold) == Counts(fp=1, fn=1)
