"""Self-contained HTML views of summaries: one article, or a filterable page of many.

:func:`summary_html` shows the meetings table, the agreements with their commitments and,
when the article text is given, the text with every evidence span highlighted. A
highlight (``<mark data-record=…>``) and its record are linked both ways: click a
highlight to scroll to its record, click a record to scroll to its spans. Everything is
inline (style and script) and escaped; the page loads no external asset.
"""

from __future__ import annotations

import calendar
import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from summarizer.schemas import Agreement, ArticleSummary, Evidence, Meeting
from summarizer.text.grounding import locate
from summarizer.views.assets import attr, badge, esc, fragment, link, page

__all__ = ["batch_html", "summary_fragment", "summary_html"]


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    dom_id: str
    kind: str  # "m" or "a"
    label: str


def _dom_id(prefix: str, record_id: str) -> str:
    return f"{prefix}-{record_id}"


def _parties_attr(parties: Sequence[str]) -> str:
    return "|".join(p.casefold() for p in parties)


def _records(summary: ArticleSummary) -> list[Meeting | Agreement]:
    return [*summary.meetings, *summary.agreements]


def _label(record: Meeting | Agreement) -> str:
    return f"{record.id}: {record.title if isinstance(record, Meeting) else record.summary}"


def _locate_evidence(ev: Evidence, text: str) -> tuple[int, int] | None:
    """The span of a quote: its offsets when they point at it, else wherever it is found."""
    if 0 <= ev.start < ev.end <= len(text) and text[ev.start : ev.end] == ev.quote:
        return ev.start, ev.end
    span = locate(ev.quote, text)
    return None if span is None else (span.start, span.end)


def _spans(summary: ArticleSummary, text: str, prefix: str) -> tuple[list[_Span], list[tuple[str, str]]]:
    """Evidence spans in ``text`` and the (record id, quote) pairs that could not be placed."""
    spans: list[_Span] = []
    missing: list[tuple[str, str]] = []
    for record in _records(summary):
        kind = "m" if isinstance(record, Meeting) else "a"
        for ev in record.evidence:
            found = _locate_evidence(ev, text)
            if found is None:
                missing.append((record.id, ev.quote))
            else:
                spans.append(_Span(found[0], found[1], _dom_id(prefix, record.id), kind, _label(record)))
    return spans, missing


def _mark(text: str, covering: Sequence[_Span]) -> str:
    ids = list(dict.fromkeys(s.dom_id for s in covering))
    kinds = {s.kind for s in covering}
    cls = "both" if len(kinds) > 1 else kinds.pop()
    title = "\n".join(dict.fromkeys(s.label for s in covering))
    return f"<mark{attr(class_=cls, data_record=ids[0], data_records=' '.join(ids), title=title)}>{esc(text)}</mark>"


def _highlight(text: str, spans: Sequence[_Span]) -> str:
    """``text`` escaped, each stretch covered by spans wrapped in one ``<mark>`` (overlaps split)."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in itertools.pairwise(cuts):
        covering = [s for s in spans if s.start <= a and s.end >= b]
        out.append(_mark(text[a:b], covering) if covering else esc(text[a:b]))
    return "".join(out)


def _place(m: Meeting) -> str:
    loc = m.location
    return "" if loc is None else ", ".join(p for p in (loc.venue, loc.city, loc.country) if p)


def _when(start: str | None, end: str | None) -> str:
    return "" if start is None else f"{start} – {end}" if end else start


def _person(name: str, *extra: str | None) -> str:
    more = ", ".join(x for x in extra if x)
    return f"<b>{esc(name)}</b>" + (f" <span class=meta>({esc(more)})</span>" if more else "")


def _meetings(summary: ArticleSummary, prefix: str) -> str:
    if not summary.meetings:
        return "<p class=empty>No meetings found.</p>"
    rows = []
    for m in summary.meetings:
        people = "<br>".join(_person(p.name, p.title, p.country or p.organization) for p in m.participants)
        topics = f"<div class=meta>{esc('; '.join(m.topics))}</div>" if m.topics else ""
        parties = f"<div class=meta>parties: {esc(', '.join(m.parties))}</div>" if m.parties else ""
        rows.append(
            f"<tr{attr(class_='record meeting', id=_dom_id(prefix, m.id), data_status=m.status.value, data_kind='meeting', data_parties=_parties_attr(m.parties), title='click: show its evidence')}>"
            f"<td class=rid>{esc(m.id)}</td><td>{esc(m.title)}{parties}{topics}</td>"
            f"<td>{badge(m.status.value, m.status.value)}</td><td>{esc(m.channel.value)}</td>"
            f"<td>{esc(_when(m.date, m.end_date))}</td><td>{esc(_place(m))}</td><td>{people}</td></tr>"
        )
    head = "<tr><th>id</th><th>meeting</th><th>status</th><th>channel</th><th>date</th><th>place</th><th>participants</th></tr>"
    return f"<table class=meetings><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _agreement(a: Agreement, prefix: str) -> str:
    meta = [badge(a.kind.value, "kind"), badge(a.status.value, a.status.value)]
    meta.append(f"parties: {esc(', '.join(a.parties))}")
    if a.date:
        meta.append(f"date: {esc(a.date)}")
    if a.meeting_id:
        meta.append(
            f'from meeting <a href="#"{attr(data_goto=_dom_id(prefix, a.meeting_id))}>{esc(a.meeting_id)}</a>'
        )
    if a.signatories:
        meta.append("signed by " + ", ".join(_person(s.name, s.title, s.country) for s in a.signatories))
    commitments = ""
    if a.commitments:
        items = []
        for c in a.commitments:
            who = f" <span class=meta>— {esc(c.actor)}</span>" if c.actor else ""
            by = f" <span class=meta>(by {esc(c.deadline)})</span>" if c.deadline else ""
            items.append(f"<li>{esc(c.action)}{who}{by}</li>")
        commitments = f"<div>Commitments:<ul class=quotes>{''.join(items)}</ul></div>"
    return (
        f"<div{attr(class_='card record agreement', id=_dom_id(prefix, a.id), data_status=a.status.value, data_kind=a.kind.value, data_parties=_parties_attr(a.parties), title='click: show its evidence')}>"
        f"<div><span class=rid>{esc(a.id)}</span> <b>{esc(a.summary)}</b></div>"
        f"<div class=meta>{' · '.join(meta)}</div>{commitments}</div>"
    )


def _quotes(summary: ArticleSummary, prefix: str) -> str:
    """Without the article text: every quote as a highlight, still linked to its record."""
    items = []
    for record in _records(summary):
        kind = "m" if isinstance(record, Meeting) else "a"
        for ev in record.evidence:
            dom = _dom_id(prefix, record.id)
            mark = f"<mark{attr(class_=kind, data_record=dom, data_records=dom, title=_label(record))}>{esc(ev.quote)}</mark>"
            items.append(f"<li><span class=rid>{esc(record.id)}</span> {mark}</li>")
    return f"<h3>Evidence</h3><ul class=quotes>{''.join(items)}</ul>" if items else ""


def _header(summary: ArticleSummary, level: int) -> str:
    src = summary.source
    meta = [esc(x) for x in (str(src.published) if src.published else None, src.id) if x]
    if src.url:
        meta.append(link(src.url))  # a link only for http(s) and mailto; else text
    out = f"<h{level}>{esc(src.title or src.id or 'Article')}</h{level}>"
    out += f"<div class=meta>{' · '.join(meta)}</div>" if meta else ""
    return out + (f"<p>{esc(summary.summary)}</p>" if summary.summary else "")


def _footer(summary: ArticleSummary) -> str:
    prov = summary.provenance
    if prov is None:
        return ""
    cost = f" · ${prov.cost_usd:.4f}" if prov.cost_usd else ""
    warnings = "".join(f"<li class=warn>{esc(w)}</li>" for w in prov.warnings)
    line = f"{prov.model} · {prov.usage.total_tokens} tokens · {prov.attempts} request(s){cost}"
    return f"<p class=meta>{esc(line)}</p>" + (f"<ul>{warnings}</ul>" if warnings else "")


def article_body(
    summary: ArticleSummary, text: str | None, prefix: str = "r", *, level: int = 1, text_open: bool = True
) -> str:
    """The body of one article's view; DOM ids are ``{prefix}-{record id}``."""
    parts = [_header(summary, level)]
    parts.append(
        f"<h{level + 1}>Meetings ({len(summary.meetings)})</h{level + 1}>{_meetings(summary, prefix)}"
    )
    agreements = (
        "".join(_agreement(a, prefix) for a in summary.agreements)
        or "<p class=empty>No agreements found.</p>"
    )
    parts.append(f"<h{level + 1}>Agreements ({len(summary.agreements)})</h{level + 1}>{agreements}")
    if text is None:
        parts.append(_quotes(summary, prefix))
    else:
        spans, missing = _spans(summary, text, prefix)
        lost = "".join(f"<li class=warn>{esc(rid)}: {esc(q)}</li>" for rid, q in missing)
        parts.append(
            f"<details{' open' if text_open else ''}><summary><b>Article text</b> "
            f"<span class=meta>({len(spans)} evidence span(s); click one to see its record)</span></summary>"
            f"<div class=text>{_highlight(text, spans)}</div></details>"
            + (f"<p class=warn>Quotes not found in the text:</p><ul>{lost}</ul>" if lost else "")
        )
    parts.append(_footer(summary))
    return "".join(parts)


def summary_fragment(summary: ArticleSummary, text: str | None = None) -> str:
    """:func:`summary_html` as an embeddable ``<div>`` (notebook output)."""
    digest = hashlib.sha1(summary.model_dump_json().encode(), usedforsecurity=False).hexdigest()[:8]
    prefix = f"s{digest}"
    return fragment(article_body(summary, text, prefix))


def summary_html(summary: ArticleSummary, text: str | None = None) -> str:
    """A complete, self-contained HTML page for one summary (evidence highlighted when ``text`` is given)."""
    title = summary.source.title or summary.source.id or "Article summary"
    return page(title, article_body(summary, text, "r"))


# --- many articles ----------------------------------------------------------------------------------


def _date_range(value: str, end: str | None) -> tuple[date, date, bool]:
    """First and last day a partial ISO date covers, and whether it is less precise than a day."""

    def bounds(v: str) -> tuple[date, date]:
        parts = [int(x) for x in v.split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
        return date(parts[0], parts[1], parts[2]), date(parts[0], parts[1], parts[2])

    first, last = bounds(value)
    if end is not None:
        last = max(last, bounds(end)[1])
    return first, last, len(value.split("-")) < 3


def _timeline(items: Sequence[tuple[ArticleSummary, str | None]]) -> str:
    rows = []
    for i, (summary, _) in enumerate(items):
        for m in summary.meetings:
            if m.date is not None:
                first, last, fuzzy = _date_range(m.date, m.end_date)
                rows.append(
                    (first, last, fuzzy, m, i, summary.source.id or summary.source.title or f"#{i + 1}")
                )
    if not rows:
        return "<p class=empty>No dated meetings.</p>"
    rows.sort(key=lambda r: (r[0], r[1]))
    low, high = rows[0][0], max(r[1] for r in rows)
    span = max((high - low).days + 1, 1)
    ticks = [low.fromordinal(low.toordinal() + round(k * (span - 1) / 4)) for k in range(5)]
    axis = "".join(f"<span>{t.isoformat()}</span>" for t in ticks)
    out = [f"<div class=tl-axis><div></div><div>{axis}</div></div>"]
    for first, last, fuzzy, m, i, source in rows:
        left = 100 * (first - low).days / span
        width = 100 * ((last - first).days + 1) / span
        dom = _dom_id(f"r{i}", m.id)
        label = f"{_when(m.date, m.end_date)} · {m.title} — {source}"
        bar = attr(
            class_=f"tl-bar {m.status.value}{' fuzzy' if fuzzy else ''}",
            style=f"left:{left:.2f}%;width:{width:.2f}%",
            title=label,
        )
        out.append(
            f'<div{attr(class_="tl-row", data_goto=dom)}><div class=tl-label title="{esc(label)}">{esc(label)}</div>'
            f"<div class=tl-track><div{bar}></div></div></div>"
        )
    return "".join(out)


def _options(label: str, name: str, values: Sequence[tuple[str, str]]) -> str:
    opts = "".join(f"<option{attr(value=v)}>{esc(t)}</option>" for v, t in values)
    return f'<label>{esc(label)} <select data-filter="{esc(name)}"><option value="">all</option>{opts}</select></label>'


_FILTER_SCRIPT = """
(function(){
var root = document.currentScript.parentElement;
var selects = root.querySelectorAll('select[data-filter]');
function apply(){
  var f = {}; selects.forEach(function(s){ f[s.getAttribute('data-filter')] = s.value; });
  var shown = 0;
  root.querySelectorAll('.record[data-status]').forEach(function(r){
    var parties = (r.getAttribute('data-parties') || '').split('|');
    var ok = (!f.status || r.getAttribute('data-status') === f.status)
      && (!f.kind || r.getAttribute('data-kind') === f.kind)
      && (!f.party || parties.indexOf(f.party) >= 0);
    r.classList.toggle('hidden', !ok); if (ok) shown++;
  });
  var any = f.status || f.kind || f.party;
  root.querySelectorAll('section.article').forEach(function(a){
    a.classList.toggle('hidden', !!any && !a.querySelector('.record[data-status]:not(.hidden)'));
  });
  root.querySelectorAll('.tl-row[data-goto]').forEach(function(row){
    var t = document.getElementById(row.getAttribute('data-goto'));
    row.classList.toggle('hidden', !t || t.classList.contains('hidden'));
  });
  root.querySelector('.shown').textContent = shown + ' record(s) shown';
}
selects.forEach(function(s){ s.addEventListener('change', apply); });
apply();
})();
"""


def batch_html(
    items: Sequence[tuple[ArticleSummary, str | None]],
    failures: Sequence[tuple[str, str]] = (),
    *,
    title: str = "Meetings and agreements",
) -> str:
    """One page for many articles: filters (status, kind, party), a meeting timeline, then each
    article (its text, when given, folded). ``failures``: (article id, error) pairs to list."""
    statuses: dict[str, None] = {}
    kinds: dict[str, None] = {}
    parties: dict[str, str] = {}
    for summary, _ in items:
        for record in _records(summary):
            statuses[record.status.value] = None
            if isinstance(record, Agreement):
                kinds[record.kind.value] = None
            parties.update((p.casefold(), p) for p in record.parties)
    n_meetings = sum(len(s.meetings) for s, _ in items)
    n_agreements = sum(len(s.agreements) for s, _ in items)
    filters = (
        "<div class=filters>"
        + _options("status", "status", [(s, s) for s in sorted(statuses)])
        + _options("kind", "kind", [("meeting", "meeting"), *((k, f"agreement: {k}") for k in sorted(kinds))])
        + _options("party", "party", sorted(parties.items(), key=lambda kv: kv[1].casefold()))
        + "<span class='meta shown'></span></div>"
    )
    toc = "".join(
        f'<li><a href="#r{i}">{esc(s.source.title or s.source.id or f"article {i + 1}")}</a> '
        f"<span class=meta>{len(s.meetings)} meeting(s), {len(s.agreements)} agreement(s)</span></li>"
        for i, (s, _) in enumerate(items)
    )
    failed = "".join(
        f"<li><b>{esc(name)}</b>: <span class=warn>{esc(err)}</span></li>" for name, err in failures
    )
    sections = "".join(
        f'<section class=article id="r{i}">{article_body(s, text, f"r{i}", level=2, text_open=False)}</section>'
        for i, (s, text) in enumerate(items)
    )
    body = (
        f"<h1>{esc(title)}</h1><div class=meta>{len(items)} article(s) · {n_meetings} meeting(s) · "
        f"{n_agreements} agreement(s){f' · {len(failures)} failure(s)' if failures else ''}</div>{filters}"
        f"<h2>Timeline of meetings</h2>{_timeline(items)}"
        + (f"<h2>Failures ({len(failures)})</h2><ul>{failed}</ul>" if failures else "")
        + f"<h2>Articles</h2><ol>{toc}</ol>{sections}"
    )
    return page(title, body, _FILTER_SCRIPT)
