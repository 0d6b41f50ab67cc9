"""The HTML views in a real browser (headless Chromium): rendered DOM, clicks, screenshots.

Skipped when ``/usr/bin/chromium`` (Debian package ``chromium``) is missing, unless
``SUMMARIZER_REQUIRE_BROWSER=1``: then a missing browser fails.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from visual_data import golds, small_run, summaries

from summarizer.evaluation.html_report import eval_html
from summarizer.views.html import batch_html, summary_html

CHROMIUM = Path("/usr/bin/chromium")
# Read at import: the autouse fixture of conftest clears SUMMARIZER_* variables before each test.
REQUIRE = os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1"

# Test-only probe, appended to the page: clicks like a user would, then writes what happened into
# the DOM, where --dump-dom can see it.
PROBE = """<script>
window.addEventListener('load', function(){
  var b = document.body, click = function(el){ el.dispatchEvent(new MouseEvent('click', {bubbles: true})); };
  var mark = document.querySelector('mark[data-record]');
  if (mark){
    click(mark);
    var rec = document.getElementById(mark.getAttribute('data-record'));
    b.setAttribute('data-clicked', rec && rec.classList.contains('active') ? rec.id : 'none');
  }
  var record = document.querySelector('.record[id]:not(.hidden)');
  if (record){
    click(record);
    var sel = 'mark[data-records~="' + record.id + '"]';
    b.setAttribute('data-flashed', document.querySelectorAll(sel + '.flash').length + '/' + document.querySelectorAll(sel).length);
  }
  var row = document.querySelector('.tl-row[data-goto]');
  if (row){
    click(row);
    var target = document.getElementById(row.getAttribute('data-goto'));
    b.setAttribute('data-timeline', target && target.classList.contains('active') ? target.id : 'none');
  }
  var status = document.querySelector('select[data-filter="status"]');
  if (status){
    status.value = 'planned'; status.dispatchEvent(new Event('change'));
    b.setAttribute('data-filtered', document.querySelectorAll('.record[data-status]:not(.hidden)').length);
  }
});
</script>"""


def browser() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if REQUIRE:
        pytest.fail(
            "SUMMARIZER_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install chromium)"
        )
    pytest.skip("headless Chromium not installed (/usr/bin/chromium: apt-get install chromium)")


def chromium(tmp_path: Path, *args: str) -> str:
    command = [
        str(browser()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def open_page(tmp_path: Path, name: str, html: str) -> tuple[str, Path]:
    """Load the page with the probe: the DOM after its load handlers ran, and a screenshot."""
    page, probed = tmp_path / f"{name}.html", tmp_path / f"{name}.probed.html"
    page.write_text(html, encoding="utf-8")
    probed.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", probed.as_uri())
    shot = tmp_path / f"{name}.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000  # a rendered page, not a blank one
    return dom, shot


def _body(dom: str) -> str:
    match = re.search(r"<body[^>]*>", dom)
    assert match, dom[:500]
    return match.group(0)


def test_summary_page_in_browser(tmp_path: Path) -> None:
    (summary, text), _ = summaries()
    dom, _ = open_page(tmp_path, "summary", summary_html(summary, text))
    assert len(re.findall(r'<mark [^>]*data-record="r-[ma]\d"', dom)) >= 5
    body = _body(dom)
    assert 'data-clicked="r-m1"' in body  # click a highlight → its record is selected
    assert 'data-flashed="1/1"' in body  # click a record → its span flashes


def test_batch_page_in_browser(tmp_path: Path) -> None:
    dom, _ = open_page(tmp_path, "batch", batch_html(list(summaries()), [("broken", "TransportError")]))
    body = _body(dom)
    assert 'data-clicked="r0-m1"' in body and 'data-timeline="r0-m1"' in body
    assert 'data-filtered="1"' in body  # only the planned meeting is left
    assert "1 record(s) shown" in dom and "<mark " in dom


def test_eval_report_in_browser(tmp_path: Path) -> None:
    dom, _ = open_page(tmp_path, "eval", eval_html(small_run(), golds()))
    assert "<svg" in dom and ">match<" in dom and "gold a3" in dom


# Test-only probe for links: clicks every link that is not a plain web, mail or in-page link (a
# javascript: one would run here and mark the body), then lists the schemes the browser parsed.
LINK_PROBE = """<script>
window.addEventListener('load', function(){
  var links = Array.prototype.slice.call(document.querySelectorAll('a[href]'));
  links.forEach(function(a){
    if (['http:', 'https:', 'mailto:'].indexOf(a.protocol) < 0 && a.getAttribute('href').charAt(0) !== '#')
      a.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
  });
  setTimeout(function(){
    document.body.setAttribute('data-protocols', links.map(function(a){ return a.protocol; }).join(' '));
  }, 200);
});
</script>"""

PWN = "document.body.setAttribute('data-pwned','1')"


@pytest.mark.parametrize(
    "url", [f"javascript:void({PWN})", f"JaVaScRiPt:void({PWN})", f"java\tscript:void({PWN})"], ids=repr
)
def test_unsafe_source_url_is_no_link_in_browser(tmp_path: Path, url: str) -> None:
    from summarizer.schemas import ArticleSummary

    bad = ArticleSummary.model_validate({"summary": "s", "source": {"id": "bad", "url": url}})
    good = ArticleSummary.model_validate(
        {"summary": "s", "source": {"id": "good", "url": "https://example.com/n?a=1&b=2"}}
    )
    page = tmp_path / "links.html"
    html = batch_html([(bad, None), (good, None)])
    page.write_text(html.replace("</body>", LINK_PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    body = _body(dom)
    assert "data-pwned" not in body
    protocols = re.search(r'data-protocols="([^"]*)"', body)
    assert protocols is not None, body
    # In-page links (#r0, #r1) resolve against the file: page; the only other link is the https one.
    assert sorted(set(protocols.group(1).split())) == ["file:", "https:"]
    assert 'href="https://example.com/n?a=1&amp;b=2"' in dom
    assert "void(" in dom  # the unsafe URL is still shown, as text
