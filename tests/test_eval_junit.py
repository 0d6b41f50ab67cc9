"""JUnit XML of an eval run and GitHub Actions annotations, from hand-made runs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from summarizer.evaluation.align import ArticleScore, Counts
from summarizer.evaluation.junit import junit_xml
from summarizer.evaluation.report import github_annotations
from summarizer.evaluation.runner import ArticleResult, EvalRun, gate


def _run(outcome: str, n: int = 30, error: str | None = None) -> EvalRun:
    counts = Counts(tp=1) if outcome == "good" else Counts(fn=1, fp=1)
    results = [
        ArticleResult(
            f"a{i:02d}.txt",
            None,
            error if i == 0 else None,
            0.5,
            ArticleScore(
                article=f"a{i:02d}.txt",
                objects={"meetings": counts, "agreements": counts},
                fields={"meetings": {"date_strict": counts, "parties": Counts()}},
            ),
        )
        for i in range(n)
    ]
    return EvalRun(results, n_boot=200)


def _cases(xml: str) -> tuple[ET.Element, dict[str, list[ET.Element]]]:
    root = ET.fromstring(xml)
    return root, {s.get("name", ""): s.findall("testcase") for s in root.iter("testsuite")}


def test_articles_only_without_baseline() -> None:
    xml = junit_xml(_run("good", n=3, error="TransportError: server said 500"))
    root, cases = _cases(xml)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert list(cases) == ["articles"] and root.get("tests") == "3" and root.get("failures") == "1"
    first, second = cases["articles"][:2]
    failure = first.find("failure")
    assert failure is not None and failure.get("type") == "TransportError"
    assert failure.get("message") == "TransportError: server said 500" and second.find("failure") is None
    assert first.get("time") == "0.500" and root.get("time") == "1.500"
    out = first.findtext("system-out") or ""
    assert out.splitlines() == [
        "meetings: tp 1 · fp 0 · fn 0 · F1 1.00",
        "  date_strict: tp 1 · fp 0 · fn 0",  # empty field counts (parties) are left out
        "agreements: tp 1 · fp 0 · fn 0 · F1 1.00",
    ]


def test_gate_case_per_headline_metric_failed_when_flagged() -> None:
    bad, good = _run("bad"), _run("good")
    failures = gate(bad, good, max_drop=0.02)
    root, cases = _cases(junit_xml(bad, good, failures, max_drop=0.02))
    names = [c.get("name") for c in cases["gate"]]
    assert names == list(good.headline())
    flagged = [c.get("name") for c in cases["gate"] if c.find("failure") is not None]
    assert flagged == ["meetings.object.f1", "meetings.date_strict.f1", "agreements.object.f1"]
    assert sorted(flagged) == sorted(f.split(":")[0] for f in failures)
    assert root.get("tests") == str(30 + len(names)) and root.get("failures") == "3"
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "gate")
    assert suite.get("tests") == str(len(names)) and suite.get("failures") == "3"
    case = cases["gate"][0]
    assert case.findtext("system-out") == "baseline 1.000 · current 0.000 · max drop 0.02\n"
    failure = case.find("failure")
    assert (
        failure is not None and failure.get("message") == failures[0] and failure.get("type") == "regression"
    )
    passing = _cases(junit_xml(good, good, []))[0]
    assert passing.get("failures") == "0"


def test_a_gate_line_naming_no_metric_still_fails() -> None:
    good = _run("good", n=2)
    root, cases = _cases(junit_xml(good, good, ["something.new: 1.0 → 0.5"]))
    assert root.get("failures") == "1" and cases["gate"][-1].get("name") == "something.new"


def test_control_characters_do_not_break_the_xml() -> None:
    xml = junit_xml(_run("good", n=1, error="ExtractionError: bad\x00byte\x1b[31m & <tag>"))
    failure = ET.fromstring(xml).find(".//failure")  # parses: no raw control characters
    assert (
        failure is not None and failure.get("message") == "ExtractionError: bad\ufffdbyte\ufffd[31m & <tag>"
    )


def test_annotations_escape_workflow_command_syntax() -> None:
    run = _run("good", n=2, error="TransportError: 100% down,\r\nretry")
    lines = github_annotations(run, ["meetings.object.f1: 1.000 → 0.500 (p=0.001)"])
    assert lines == [
        "::error title=eval gate%3A meetings.object.f1 dropped::1.000 → 0.500 (p=0.001)",
        "::error title=eval%3A a00.txt failed::TransportError: 100%25 down,%0D%0Aretry",
    ]
    assert github_annotations(run, None, article_level="warning")[0].startswith("::warning title=")
    assert github_annotations(_run("good", n=2)) == []
