"""Eval reports: a terminal table, a Markdown report (pull requests, job summaries) and
GitHub Actions annotations."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from summarizer.evaluation.runner import EvalRun

__all__ = ["comparison_markdown", "github_annotations", "markdown_report", "print_report"]


def _ci(entry: dict[str, Any], measure: str = "f1") -> str:
    low, high = entry["ci"][measure] if isinstance(entry["ci"], dict) else entry["ci"]
    return f"[{low:.2f}, {high:.2f}]"


def _rows(summary: dict[str, dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    rows = []
    for kind in ("meetings", "agreements"):
        section = summary.get(kind)
        if not section:
            continue
        rows.append((kind, "object", section["object"]))
        rows += [(kind, name, entry) for name, entry in section["fields"].items()]
    return rows


def print_report(run: EvalRun, console: Console | None = None) -> None:
    """Per type and field: counts, P/R/F1 with 95% bootstrap CI of F1."""
    console = console or Console()
    summary = run.summary()
    table = Table(title=f"eval: {run.provenance.get('model', '?')} · {len(run.results)} articles")
    for col in ("type", "metric", "tp", "fp", "fn", "P", "R", "F1", "95% CI (F1)"):
        table.add_column(col, justify="right" if col not in ("type", "metric") else "left")
    for kind, name, e in _rows(summary):
        table.add_row(
            kind if name == "object" else "",
            name,
            str(e["tp"]),
            str(e["fp"]),
            str(e["fn"]),
            f"{e['precision']:.2f}",
            f"{e['recall']:.2f}",
            f"{e['f1']:.2f}",
            _ci(e),
        )
    console.print(table)
    for kind in ("meetings", "agreements"):
        ev = summary.get(kind, {}).get("evidence")
        if ev:
            console.print(f"{kind} evidence located: {ev['located']}/{ev['total']} ({ev['rate']:.2f})")
    prov = run.provenance
    console.print(
        f"errors: {prov.get('errors', 0)} · tokens: {prov.get('usage', {}).get('total_tokens', 0)} · "
        f"cost: {prov.get('cost_usd')} · {prov.get('seconds', 0)} s"
    )


def markdown_report(run: EvalRun, failures: list[str] | None = None) -> str:
    """A Markdown report for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""
    summary = run.summary()
    prov = run.provenance
    lines = [
        f"## Extraction eval: {prov.get('model', '?')}",
        "",
        f"{len(run.results)} articles · {prov.get('errors', 0)} errors · "
        f"{prov.get('usage', {}).get('total_tokens', 0)} tokens · cost {prov.get('cost_usd')} · "
        f"prompts {', '.join(f'{k}@{v}' for k, v in sorted(prov.get('prompts', {}).items()))}",
        "",
        "| type | metric | P | R | F1 | 95% CI | tp/fp/fn |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, name, e in _rows(summary):
        label = f"**{name}**" if name == "object" else name
        lines.append(
            f"| {kind} | {label} | {e['precision']:.2f} | {e['recall']:.2f} | **{e['f1']:.2f}** | {_ci(e)} | "
            f"{e['tp']}/{e['fp']}/{e['fn']} |"
        )
    lines.append("")
    if failures is not None:
        lines += ["### Gate", ""]
        lines += [f"- ❌ {f}" for f in failures] if failures else ["- ✅ no significant drop"]
        lines.append("")
    worst = sorted(run.results, key=lambda r: _article_f1(r.score.objects))[:5]
    lines += [
        "### Weakest articles",
        "",
        "| article | meetings tp/fp/fn | agreements tp/fp/fn | error |",
        "|---|---|---|---|",
    ]
    for r in worst:
        m, a = r.score.objects.get("meetings"), r.score.objects.get("agreements")
        lines.append(f"| {r.article} | {_c(m)} | {_c(a)} | {r.error or ''} |")
    return "\n".join(lines) + "\n"


def _c(counts: Any) -> str:
    return "—" if counts is None else f"{counts.tp}/{counts.fp}/{counts.fn}"


def _article_f1(objects: dict[str, Any]) -> float:
    tp = sum(c.tp for c in objects.values())
    fp = sum(c.fp for c in objects.values())
    fn = sum(c.fn for c in objects.values())
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def comparison_markdown(a: EvalRun, b: EvalRun, deltas: dict[str, dict[str, dict[str, Any]]]) -> str:
    """Per-metric deltas with paired-bootstrap CIs, and the articles that changed most."""
    lines = ["| type | metric | A | B | Δ | 95% CI | p |", "|---|---|---|---|---|---|---|"]
    for kind, metrics in deltas.items():
        for metric, d in metrics.items():
            lines.append(
                f"| {kind} | {metric} | {d['a']:.2f} | {d['b']:.2f} | {d['delta']:+.3f} | "
                f"[{d['ci'][0]:+.2f}, {d['ci'][1]:+.2f}] | {d['p_value']:.3f} |"
            )
    by_name = {r.article: r for r in b.results}
    changes = sorted(
        (
            (
                abs(_article_f1(by_name[r.article].score.objects) - _article_f1(r.score.objects)),
                r.article,
                _article_f1(r.score.objects),
                _article_f1(by_name[r.article].score.objects),
            )
            for r in a.results
            if r.article in by_name
        ),
        reverse=True,
    )
    lines += ["", "Articles that changed most (object F1, A → B):", ""]
    lines += [f"- {name}: {fa:.2f} → {fb:.2f}" for diff, name, fa, fb in changes[:8] if diff > 0] or [
        "- none"
    ]
    return "\n".join(lines) + "\n"


def _escape(value: str, *, prop: bool = False) -> str:
    """GitHub workflow-command escaping (``%``, CR, LF; in properties also ``:`` and ``,``)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github_annotations(
    run: EvalRun, failures: list[str] | None = None, *, article_level: str = "error"
) -> list[str]:
    """``::error title=…::…`` lines: one per gate failure and one per failed article.

    ``article_level`` is ``"warning"`` when failed articles do not fail the run (``--allow-errors``).
    """
    lines = []
    for line in failures or []:
        metric, _, reason = line.partition(": ")
        title = _escape(f"eval gate: {metric} dropped", prop=True)
        lines.append(f"::error title={title}::{_escape(reason or line)}")
    for r in run.results:
        if r.error:
            title = _escape(f"eval: {r.article} failed", prop=True)
            lines.append(f"::{article_level} title={title}::{_escape(r.error)}")
    return lines
