"""An eval run as JUnit XML, for CI test reports (``summarizer eval --junit FILE``).

Two suites: ``articles`` has one test case per article (a failure when its extraction
errored; its counts in ``system-out``), ``gate`` one per gated headline metric (a failure
when :func:`summarizer.evaluation.runner.gate` flagged it, with the gate's reason). The gate
suite is left out when there is no baseline.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from summarizer.evaluation.runner import ArticleResult, EvalRun

__all__ = ["junit_xml"]

# Characters XML 1.0 cannot carry even escaped: model output and error texts may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _f1(tp: int, fp: int, fn: int) -> float:
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def _scores(result: ArticleResult) -> str:
    """One line per record type, then its non-empty field counts, indented."""
    lines = []
    for kind, c in result.score.objects.items():
        lines.append(f"{kind}: tp {c.tp} · fp {c.fp} · fn {c.fn} · F1 {_f1(c.tp, c.fp, c.fn):.2f}")
        for name, f in result.score.fields.get(kind, {}).items():
            if f.tp or f.fp or f.fn:
                lines.append(f"  {name}: tp {f.tp} · fp {f.fp} · fn {f.fn}")
    return "\n".join(lines) + "\n"


def _suite(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, "testsuite", name=name)


def _close(suite: ET.Element) -> tuple[int, int, float]:
    cases = suite.findall("testcase")
    failures = sum(case.find("failure") is not None for case in cases)
    seconds = sum(float(case.get("time", "0")) for case in cases)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    suite.set("time", f"{seconds:.3f}")
    return len(cases), failures, seconds


def _failure(case: ET.Element, message: str, kind: str, detail: str | None = None) -> None:
    node = ET.SubElement(case, "failure", message=_text(message), type=kind)
    node.text = _text(detail or message)


def junit_xml(
    run: EvalRun,
    baseline: EvalRun | None = None,
    failures: Sequence[str] = (),
    *,
    max_drop: float | None = None,
    name: str = "summarizer eval",
) -> str:
    """JUnit XML for ``run``; with ``baseline``, one gate case per headline metric of either run.

    ``failures`` are the gate's lines (``"<metric>: <reason>"``); a line naming no known metric
    still becomes a failing case of its own, so no regression is lost.
    """
    root = ET.Element("testsuites", name=name)
    articles = _suite(root, "articles")
    for result in run.results:
        case = ET.SubElement(
            articles,
            "testcase",
            classname="eval.articles",
            name=_text(result.article),
            time=f"{result.seconds:.3f}",
        )
        if result.error:
            kind = result.error.split(":", 1)[0] if ":" in result.error else "error"
            _failure(case, result.error, kind)
        ET.SubElement(case, "system-out").text = _text(_scores(result))
    suites = [articles]
    if baseline is not None:
        gate = _suite(root, "gate")
        current, before = run.headline(), baseline.headline()
        left = list(failures)
        for metric in dict.fromkeys([*current, *before]):
            case = ET.SubElement(gate, "testcase", classname="eval.gate", name=metric, time="0")
            mine = [f for f in left if f.startswith(f"{metric}:")]
            left = [f for f in left if f not in mine]
            if mine:
                _failure(case, mine[0], "regression", "\n".join(mine))
            out = [f"baseline {before[metric]:.3f}" if metric in before else "baseline —"]
            out.append(f"current {current[metric]:.3f}" if metric in current else "current —")
            if max_drop is not None:
                out.append(f"max drop {max_drop:g}")
            ET.SubElement(case, "system-out").text = " · ".join(out) + "\n"
        for line in left:
            case = ET.SubElement(
                gate, "testcase", classname="eval.gate", name=_text(line.split(":", 1)[0]), time="0"
            )
            _failure(case, line, "regression")
        suites.append(gate)
    totals = [_close(suite) for suite in suites]
    root.set("tests", str(sum(t[0] for t in totals)))
    root.set("failures", str(sum(t[1] for t in totals)))
    root.set("errors", "0")
    root.set("time", f"{sum(t[2] for t in totals):.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
