"""A self-contained HTML report of an eval run: scores with CIs, confusion matrices, alignments.

:func:`eval_html` draws per-field micro F1 (grounding rate for evidence) with its 95%
bootstrap CI as an inline SVG bar chart, the status/kind/channel confusion matrices as
tables, and for each article the predicted and gold records side by side with the
alignment outcome (tp / fp / fn / optional). Gold records need the gold files
(:func:`summarizer.evaluation.gold.load_gold_dir`); without them only predictions show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from summarizer.evaluation.align import Decision
from summarizer.evaluation.gold import GoldAgreement, GoldFile, GoldMeeting
from summarizer.evaluation.runner import ArticleResult, EvalRun
from summarizer.schemas import Agreement, ArticleSummary, Meeting
from summarizer.views.assets import badge, esc, page

__all__ = ["eval_html"]

TYPES = ("meetings", "agreements")
MATRICES = ("status", "kind", "channel")
_OUTCOME = {
    "tp": "match",
    "fp": "extra (fp)",
    "fn": "missed (fn)",
    "optional_match": "optional",
    "optional": "optional, not predicted",
}

# --- chart ---------------------------------------------------------------------------------------

_BAR_W, _ROW_H, _PAD, _GAP = 430, 22, 24, 12
# Width of one character of the chart's 12px text, taken wide (DejaVu Sans digits are 7.6 px):
# every column is as wide as its longest text, so no label or number is ever cut off.
_CHAR_W = 7.8


def _width(texts: Sequence[str]) -> float:
    return max((len(t) for t in texts), default=0) * _CHAR_W


def _chart(kind: str, section: dict[str, Any]) -> str:
    """Horizontal bars of F1 (evidence: grounding rate) with CI whiskers, one row per metric.

    Columns: label (right-aligned), bar, value, CI, counts; each sized to its longest text.
    """
    rows: list[tuple[str, float, Sequence[float], str]] = []
    if section.get("object"):
        o = section["object"]
        rows.append(("records", o["f1"], o["ci"]["f1"], f"tp {o['tp']} · fp {o['fp']} · fn {o['fn']}"))
    for name, e in section.get("fields", {}).items():
        rows.append((name, e["f1"], e["ci"]["f1"], f"tp {e['tp']} · fp {e['fp']} · fn {e['fn']}"))
    if section.get("evidence"):
        e = section["evidence"]
        rows.append(("evidence (rate)", e["rate"], e["ci"], f"{e['located']}/{e['total']} located"))
    cis = [f"[{ci[0]:.2f}, {ci[1]:.2f}]" for _, _, ci, _ in rows]
    x0 = 8 + _width([r[0] for r in rows]) + 8  # bars start here; labels end 8 px before
    x_value = x0 + _BAR_W + _GAP
    x_ci = x_value + _width(["0.00"]) + _GAP / 2
    x_counts = x_ci + _width(cis) + _GAP
    width = round(x_counts + _width([r[3] for r in rows]) + 8)
    height = _PAD + _ROW_H * len(rows) + 6
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" overflow="visible" '
        'style="max-width:100%;height:auto;font-variant-numeric:tabular-nums" '
        f'aria-label="{esc(kind)} F1 with 95% confidence intervals">'
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = x0 + tick * _BAR_W
        out.append(f'<line x1="{x:.1f}" y1="{_PAD - 4}" x2="{x:.1f}" y2="{height - 4}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{x:.1f}" y="{_PAD - 8}" text-anchor="middle" fill="#6b7280">{tick:g}</text>')
    colour = "#2563eb" if kind == "meetings" else "#b45309"
    for i, ((label, value, ci, counts), ci_text) in enumerate(zip(rows, cis, strict=True)):
        y = _PAD + i * _ROW_H
        lo, hi = (x0 + max(0.0, min(1.0, v)) * _BAR_W for v in ci)
        tip = f"{label}: {value:.3f} (95% CI {ci[0]:.3f}–{ci[1]:.3f}; {counts})"
        out.append(
            f"<g><title>{esc(tip)}</title>"
            f'<text x="{x0 - 8:.1f}" y="{y + 15}" text-anchor="end">{esc(label)}</text>'
            f'<rect x="{x0:.1f}" y="{y + 4}" width="{value * _BAR_W:.1f}" height="{_ROW_H - 8}" '
            f'fill="{colour}" fill-opacity="0.75" rx="2"/>'
            f'<line x1="{lo:.1f}" y1="{y + 11}" x2="{hi:.1f}" y2="{y + 11}" stroke="#111827" stroke-width="1.5"/>'
            f'<line x1="{lo:.1f}" y1="{y + 6}" x2="{lo:.1f}" y2="{y + 16}" stroke="#111827"/>'
            f'<line x1="{hi:.1f}" y1="{y + 6}" x2="{hi:.1f}" y2="{y + 16}" stroke="#111827"/>'
            f'<text x="{x_value:.1f}" y="{y + 15}">{value:.2f}</text>'
            f'<text x="{x_ci:.1f}" y="{y + 15}" fill="#6b7280">{ci_text}</text>'
            f'<text x="{x_counts:.1f}" y="{y + 15}" fill="#6b7280">{esc(counts)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _confusion(name: str, matrix: dict[str, dict[str, int]]) -> str:
    gold_values = sorted(matrix)
    pred_values = sorted({p for row in matrix.values() for p in row} | set(gold_values))
    head = "".join(f"<th class=num>{esc(p)}</th>" for p in pred_values)
    body = []
    for g in gold_values:
        cells = []
        for p in pred_values:
            n = matrix[g].get(p, 0)
            cls = "num diag" if p == g and n else "num off" if n else "num"
            cells.append(f"<td class='{cls}'>{n or ''}</td>")
        body.append(f"<tr><th>{esc(g)}</th>{''.join(cells)}</tr>")
    return (
        "<div style='display:inline-block;vertical-align:top;margin-right:28px'>"
        f"<table style='width:auto'><caption><b>{esc(name)}</b></caption>"
        f"<thead><tr><th>gold \\ pred</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


# --- records side by side ------------------------------------------------------------------------


def _fields(pairs: Sequence[tuple[str, Any]]) -> str:
    return "".join(
        f"<div><span class=meta>{esc(k)}:</span> {esc(v)}</div>" for k, v in pairs if v not in (None, "", [])
    )


def _quotes(quotes: Sequence[str]) -> str:
    return "".join(f"<div class=meta>“{esc(q)}”</div>" for q in quotes)


def _pred_card(record: Meeting | Agreement) -> str:
    if isinstance(record, Meeting):
        loc = record.location
        pairs: list[tuple[str, Any]] = [
            ("status", record.status.value),
            ("channel", record.channel.value),
            ("date", record.date),
            ("place", ", ".join(x for x in (loc.venue, loc.city, loc.country) if x) if loc else None),
            ("participants", "; ".join(p.name for p in record.participants)),
            ("parties", ", ".join(record.parties)),
        ]
        head = record.title
    else:
        pairs = [
            ("kind", record.kind.value),
            ("status", record.status.value),
            ("date", record.date),
            ("parties", ", ".join(record.parties)),
            ("commitments", "; ".join(c.action for c in record.commitments)),
        ]
        head = record.summary
    body = _fields(pairs) + _quotes([e.quote for e in record.evidence])
    return f"<div><span class=rid>{esc(record.id)}</span> <b>{esc(head)}</b>{body}</div>"


def _gold_card(item: GoldMeeting | GoldAgreement) -> str:
    if isinstance(item, GoldMeeting):
        loc = item.location
        pairs: list[tuple[str, Any]] = [
            ("status", " | ".join([item.status.value, *(s.value for s in item.status_alternatives)])),
            ("channel", item.channel.value),
            ("date", " | ".join(d or "null" for d in item.dates)),
            ("place", ", ".join(x for x in (loc.venue, loc.city, loc.country) if x) if loc else None),
            ("participants", "; ".join(p.name for p in item.participants)),
            ("parties", ", ".join(p[0] for p in item.parties)),
        ]
        head = item.title
    else:
        pairs = [
            ("kind", " | ".join([item.kind.value, *(k.value for k in item.kind_alternatives)])),
            ("status", " | ".join([item.status.value, *(s.value for s in item.status_alternatives)])),
            ("date", " | ".join(d or "null" for d in item.dates)),
            ("parties", ", ".join(p[0] for p in item.parties)),
            ("commitments", "; ".join(item.commitments)),
        ]
        head = item.summary
    opt = " " + badge("optional", "optional_match") if item.optional else ""
    body = _fields(pairs) + _quotes(item.evidence)
    return f"<div><span class=rid>gold {esc(item.id)}</span>{opt} <b>{esc(head)}</b>{body}</div>"


def _row(pred: str, outcome: str, similarity: float | None, gold: str) -> str:
    sim = "" if similarity is None else f"<div class=meta>similarity {similarity:.2f}</div>"
    mid = f"<div class=mid>{badge(_OUTCOME.get(outcome, outcome), outcome)}{sim}</div>"
    left = pred or "<div class=empty>—</div>"
    right = gold or "<div class=empty>—</div>"
    return f"<div class=side data-outcome='{esc(outcome)}'>{left}{mid}{right}</div>"


def _article(result: ArticleResult, gold: GoldFile | None) -> str:
    score = result.score
    counts = " · ".join(f"{t}: tp {c.tp} · fp {c.fp} · fn {c.fn}" for t, c in score.objects.items())
    parts = [f"<h3>{esc(result.article)}</h3><div class=meta>{esc(counts)} · {result.seconds:.1f} s</div>"]
    if result.error:
        parts.append(f"<p class=warn>error: {esc(result.error)}</p>")
    prediction = result.prediction or ArticleSummary()
    for kind in TYPES:
        decisions: list[Decision] = score.alignments.get(kind, [])
        preds: list[Meeting | Agreement] = list(
            prediction.meetings if kind == "meetings" else prediction.agreements
        )
        golds: dict[str, GoldMeeting | GoldAgreement] = {}
        if gold is not None:
            golds = {g.id: g for g in (gold.meetings if kind == "meetings" else gold.agreements)}
        rows = []
        for d in decisions:
            pred = _pred_card(preds[d.pred]) if d.pred is not None and d.pred < len(preds) else ""
            g = golds.get(d.gold) if d.gold is not None else None
            gold_html = (
                _gold_card(g)
                if g is not None
                else (f"<div><span class=rid>gold {esc(d.gold)}</span></div>" if d.gold else "")
            )
            rows.append(_row(pred, d.outcome, d.similarity, gold_html))
        seen = {d.gold for d in decisions}
        for gid, g in golds.items():
            if gid not in seen and g.optional:
                rows.append(_row("", "optional", None, _gold_card(g)))
        if rows:
            head = "<div class=side><div class=mid><b>predicted</b></div><div class=mid></div><div class=mid><b>gold</b></div></div>"
            parts.append(f"<h4>{kind}</h4>{head}{''.join(rows)}")
    fields = "".join(
        f"<tr><td>{esc(t)}</td><td>{esc(f)}</td><td class=num>{c.tp}</td><td class=num>{c.fp}</td><td class=num>{c.fn}</td></tr>"
        for t, fs in score.fields.items()
        for f, c in fs.items()
        if c.tp or c.fp or c.fn
    )
    if fields:
        parts.append(
            "<details><summary>field counts</summary><table style='width:auto'><thead><tr><th>type</th>"
            f"<th>field</th><th>tp</th><th>fp</th><th>fn</th></tr></thead><tbody>{fields}</tbody></table></details>"
        )
    return f"<section class=article id='{esc(result.article)}'>{''.join(parts)}</section>"


def _provenance(prov: dict[str, Any]) -> str:
    usage = prov.get("usage") or {}
    pairs = [
        ("model", prov.get("model")),
        ("mode", prov.get("mode")),
        ("started", prov.get("started_at")),
        ("seconds", prov.get("seconds")),
        ("articles", prov.get("articles")),
        ("errors", prov.get("errors")),
        ("tokens", usage.get("total_tokens")),
        ("cost (USD)", prov.get("cost_usd")),
        ("schema", prov.get("schema_hash")),
        ("cache", prov.get("cache")),
    ]
    return "<div class=meta>" + " · ".join(f"{esc(k)} {esc(v)}" for k, v in pairs if v is not None) + "</div>"


def eval_html(
    run: EvalRun, golds: dict[str, GoldFile] | None = None, *, title: str = "Evaluation report"
) -> str:
    """A complete, self-contained HTML page for ``run`` (gold records shown when ``golds`` is given,
    keyed by article file name as :func:`~summarizer.evaluation.gold.load_gold_dir` returns them)."""
    summary = run.summary()
    parts = [f"<h1>{esc(title)}</h1>", _provenance(run.provenance)]
    parts.append(
        "<h2>Scores</h2><p class=meta>Micro F1 per field over aligned records (records: object "
        "alignment; evidence: share of quotes located in the article), with 95% bootstrap CIs "
        "over articles.</p>"
    )
    for kind in TYPES:
        if kind in summary:
            parts.append(f"<h3>{kind}</h3>{_chart(kind, summary[kind])}")
    matrices = [
        f"<h3>{kind}</h3>"
        + "".join(
            _confusion(name, summary[kind]["confusion"][name])
            for name in MATRICES
            if name in summary[kind]["confusion"]
        )
        for kind in TYPES
        if kind in summary and summary[kind]["confusion"]
    ]
    parts.append(
        "<h2>Confusion matrices</h2><p class=meta>Aligned records: rows gold value, columns predicted.</p>"
        + ("".join(matrices) or "<p class=empty>No aligned records.</p>")
    )
    parts.append("<h2>Articles</h2>")
    if golds is None:
        parts.append("<p class=meta>Gold files not given: gold records show by id only.</p>")
    for result in run.results:
        parts.append(_article(result, None if golds is None else golds.get(result.article)))
    return page(title, "".join(parts))
