"""The events timeline in headless Chromium: what a user reads, after filtering and clicking.

Skipped like tests/test_html_browser.py when Chromium is missing (unless
SUMMARIZER_REQUIRE_BROWSER=1)."""

from __future__ import annotations

import re
from pathlib import Path

from events_data import summit_reports
from test_html_browser import chromium

from summarizer.events import resolve, source_records
from summarizer.views.timeline import events_html

PROBE = """<script>
window.addEventListener('load', function(){
  var b = document.body;
  var visible = function(){ return Array.prototype.filter.call(document.querySelectorAll('details.event'),
    function(d){ return d.offsetParent !== null; }).length; };
  b.setAttribute('data-all', visible());
  var row = document.querySelector('.tl-row[data-goto]');
  row.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  b.setAttribute('data-opened', document.getElementById(row.getAttribute('data-goto')).open ? row.getAttribute('data-goto') : 'none');
  var s = document.querySelector('select[data-filter="party"]');
  s.value = 'PER'; s.dispatchEvent(new Event('change'));
  b.setAttribute('data-peru', visible());
  b.setAttribute('data-text', document.body.innerText.replace(/\\s+/g, ' '));
});
</script>"""


def test_timeline_shows_each_event_once_and_filters_by_party(tmp_path: Path) -> None:
    events = resolve(source_records(summit_reports()))
    html = events_html(events, title="Chile and Norway")
    page = tmp_path / "events.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None
    attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', body.group(0)))
    assert attrs["all"] == str(len(events)) == "4"
    assert attrs["opened"].startswith("ev-")
    assert attrs["peru"] == "1"  # only the Chile-Peru meeting
    text = attrs["text"]
    assert "1 event(s) shown" in text
    for event in events:  # each event's title once in the list (the timeline rows are hidden by the filter)
        assert event.title in dom
    summit = next(e for e in events if len(e.members) == 4)
    assert dom.count(f'id="{summit.id}"') == 1
    assert "4 source(s)" in dom and "planned" in dom and "held" in dom
