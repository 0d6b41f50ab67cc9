"""The events page (``summarizer render events.jsonl --html``): events on a time axis, a party
filter, and each event folding out to its sources, their evidence and why they joined."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from summarizer.events.model import Event, Member
from summarizer.views.assets import attr, esc, link, page

__all__ = ["events_html"]


def _bounds(value: str) -> tuple[date, date]:
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(*parts)[1])
    day = date(*parts)
    return day, day


def _when(event: Event) -> tuple[date, date] | None:
    if event.date:
        return _bounds(event.date)
    if event.first_reported:
        return event.first_reported, event.first_reported
    return None


def _source(m: Member) -> str:
    r = m.record
    quotes = "".join(
        f"<li><q>{esc(q.quote)}</q> <span class=meta>[{q.start}–{q.end}]</span></li>" for q in r.evidence
    )
    reported = r.published.isoformat() if r.published else "undated"
    head = link(r.url, r.article) if r.url else esc(r.article)
    return (
        f"<li class=source><b>{head}</b> <span class=meta>#{esc(r.record)} · reported {reported} · "
        f"{esc(r.status)}{f' · {esc(r.date)}' if r.date else ''}</span>"
        f"<div class=meta>{esc(m.reason)}</div><ul>{quotes}</ul></li>"
    )


def _event(e: Event) -> str:
    coded = ""
    if e.plover:
        mode = f"/{e.plover.mode}" if e.plover.mode else ""
        coded = f" · {esc(e.plover.event + mode)} (CAMEO {esc(e.plover.cameo)})"
    conflicts = "".join(
        f"<li class=warn>{esc(c.field)}: "
        + "; ".join(f"{esc(v)} ({esc(', '.join(s))})" for v, s in c.values.items())
        + "</li>"
        for c in e.conflicts
    )
    history = " → ".join(
        f"{esc(h.status)} ({h.reported.isoformat() if h.reported else '?'})" for h in e.history
    )
    place = ", ".join(esc(v) for v in (e.place.venue, e.place.city, e.place.country) if v) if e.place else ""
    people = f" · {esc(', '.join(e.people))}" if e.people else ""
    summary = (
        f"<summary><b>{esc(e.title)}</b> <span class=meta>{esc(e.date or 'undated')} · {esc(e.kind)} · "
        f"{esc(e.status)} · {len(e.sources)} source(s){coded}</span></summary>"
    )
    return (
        f"<details{attr(class_='event', id=e.id, data_parties='|'.join(e.actors))}>{summary}"
        f"<div class=meta>{esc(' / '.join(e.parties))}{f' · {place}' if place else ''}"
        f"{people}</div>"
        f"<div class=meta>history: {history}</div>"
        + (f"<ul class=conflicts>{conflicts}</ul>" if conflicts else "")
        + f"<ol class=sources>{''.join(_source(m) for m in e.members)}</ol></details>"
    )


def _axis(events: Sequence[Event]) -> str:
    dated = [(w, e) for e in events if (w := _when(e)) is not None]
    if not dated:
        return "<p class=empty>No dated events.</p>"
    low = min(w[0] for w, _ in dated)
    high = max(w[1] for w, _ in dated)
    span = max((high - low).days + 1, 1)
    ticks = [low.fromordinal(low.toordinal() + round(k * (span - 1) / 4)) for k in range(5)]
    rows = [
        f"<div class=tl-axis><div></div><div>{''.join(f'<span>{t.isoformat()}</span>' for t in ticks)}</div></div>"
    ]
    for (first, last), e in sorted(dated, key=lambda d: (d[0][0], d[1].id)):
        left = 100 * (first - low).days / span
        width = max(100 * ((last - first).days + 1) / span, 0.8)
        label = f"{e.date or 'reported ' + str(e.first_reported)} · {e.title} ({len(e.sources)})"
        bar = attr(class_=f"tl-bar {e.status}", style=f"left:{left:.2f}%;width:{width:.2f}%", title=label)
        rows.append(
            f"<div{attr(class_='tl-row', data_goto=e.id, data_parties='|'.join(e.actors))}>"
            f"<div class=tl-label>{esc(label)}</div><div class=tl-track><div{bar}></div></div></div>"
        )
    return "".join(rows)


_SCRIPT = """
(function(){
var root = document.currentScript.parentElement;
var select = root.querySelector('select[data-filter="party"]');
function apply(){
  var p = select.value, shown = 0;
  root.querySelectorAll('[data-parties]').forEach(function(el){
    var ok = !p || el.getAttribute('data-parties').split('|').indexOf(p) >= 0;
    el.classList.toggle('hidden', !ok);
    if (ok && el.classList.contains('event')) shown++;
  });
  root.querySelector('.shown').textContent = shown + ' event(s) shown';
}
select.addEventListener('change', apply);
root.querySelectorAll('.tl-row[data-goto]').forEach(function(row){
  row.addEventListener('click', function(){
    var d = document.getElementById(row.getAttribute('data-goto'));
    if (d){ d.open = true; d.scrollIntoView(); }
  });
});
apply();
})();
"""


def events_html(events: Sequence[Event], *, title: str = "Events") -> str:
    """One self-contained page: a party filter, the time axis, then every event, folded."""
    actors: dict[str, None] = {}
    for e in events:
        actors.update(dict.fromkeys(e.actors))
    options = "".join(f"<option{attr(value=a)}>{esc(a)}</option>" for a in sorted(actors))
    filters = (
        f'<div class=filters><label>party <select data-filter="party"><option value="">all</option>'
        f"{options}</select></label> <span class='meta shown'></span></div>"
    )
    n_sources = sum(len(e.members) for e in events)
    body = (
        f"<h1>{esc(title)}</h1><div class=meta>{len(events)} event(s) from {n_sources} report(s)</div>"
        f"{filters}<h2>Timeline</h2>{_axis(events)}<h2>Events</h2>" + "".join(_event(e) for e in events)
    )
    return page(title, body, _SCRIPT)
