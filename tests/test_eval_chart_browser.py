"""The eval report's score charts as headless Chromium lays them out: no text cut off or overlapping.

The charts once clipped the end of each row (``fn 14`` showed as ``fn 1``): a probe measures
every ``<text>`` of every chart with ``getBoundingClientRect`` after layout and writes what it
found into the DOM, which ``--dump-dom`` returns. Skipped when ``/usr/bin/chromium`` is missing,
unless ``SUMMARIZER_REQUIRE_BROWSER=1`` (as in ``tests/test_html_browser.py``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from visual_data import golds, small_run

from summarizer.evaluation.html_report import eval_html
from summarizer.evaluation.runner import EvalRun

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE = os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1"  # read at import (conftest clears it)

# Test-only: every chart text's box against its chart's box and against the other texts.
PROBE = """<script>
window.addEventListener('load', function(){
  var out = {texts: [], outside: [], overlaps: []};
  document.querySelectorAll('svg').forEach(function(svg){
    var box = svg.getBoundingClientRect(), rects = [];
    svg.querySelectorAll('text').forEach(function(t){
      var r = t.getBoundingClientRect(), s = t.textContent;
      out.texts.push(s);
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        out.outside.push(s + ' [' + Math.round(r.left - box.left) + '..' + Math.round(r.right - box.left) + ' of ' + Math.round(box.width) + ']');
      rects.forEach(function(o){
        if (r.left < o.r.right - 0.5 && o.r.left < r.right - 0.5 && r.top < o.r.bottom - 0.5 && o.r.top < r.bottom - 0.5)
          out.overlaps.push(o.s + ' / ' + s);
      });
      rects.push({r: r, s: s});
    });
  });
  var pre = document.createElement('pre');
  pre.id = 'chart-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if REQUIRE:
        pytest.fail(
            "SUMMARIZER_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install chromium)"
        )
    pytest.skip("headless Chromium not installed (/usr/bin/chromium: apt-get install chromium)")


def measure(tmp_path: Path, html: str, window: str) -> dict[str, list[str]]:
    page = tmp_path / "eval.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    command = [
        str(chromium()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={window}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="chart-probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-2000:]
    data: dict[str, list[str]] = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<"))
    return data


def big_run(copies: int) -> EvalRun:
    """The small run's articles ``copies`` times over: counts with two and three digits."""
    run = small_run()
    results = [replace(r, article=f"{i:03d}_{r.article}") for i in range(copies) for r in run.results]
    return EvalRun(results, run.provenance, n_boot=200)


@pytest.mark.parametrize("copies", [1, 5, 40])
@pytest.mark.parametrize("window", ["1200,900", "600,900"])
def test_chart_text_is_not_cut_off(tmp_path: Path, copies: int, window: str) -> None:
    run = big_run(copies)
    found = measure(tmp_path, eval_html(run, golds()), window)
    meetings = run.summary()["meetings"]["object"]
    counts = f"tp {meetings['tp']} · fp {meetings['fp']} · fn {meetings['fn']}"
    assert counts in found["texts"] or any(counts in t for t in found["texts"])  # the numbers rendered
    assert "evidence (rate)" in found["texts"] and "records" in found["texts"]
    assert found["outside"] == []  # nothing drawn past the chart's edge, where it would be cut off
    assert found["overlaps"] == []
