"""HTML views: summary page, batch page, eval report and the ``render`` command (no browser)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import typer
from conftest import ARTICLES, REFERENCE
from typer.testing import CliRunner
from visual_data import GOLD, answer, golds, small_run, summaries

from summarizer import Document, Settings, Summarizer
from summarizer.articles.loaders import iter_inputs
from summarizer.cli.render import register
from summarizer.evaluation.html_report import eval_html
from summarizer.schemas import ArticleSummary
from summarizer.testing import FakeOpenAI
from summarizer.views.assets import esc
from summarizer.views.html import batch_html, summary_html
from summarizer.views.text import to_markdown

TEXT = 'Intro. Leaders <met> in "Paris" & agreed to talk. They signed a pact.'


def crafted() -> ArticleSummary:
    """Overlapping evidence, markup in every field, one quote the text does not hold."""
    met = TEXT.index("Leaders")
    pact = TEXT.index("They signed")
    data = {
        "summary": "<script>alert(1)</script>",
        "source": {"id": "x<1>", "title": "A & B <i>"},
        "meetings": [
            {
                "id": "m1",
                "title": "Talks <b>",
                "status": "held",
                "participants": [{"name": "Ann <img src=x>"}],
                "evidence": [{"quote": TEXT[met : pact - 1], "start": met, "end": pact - 1}],
            }
        ],
        "agreements": [
            {
                "id": "a1",
                "summary": "Agreed to talk",
                "status": "agreed",
                "parties": ['"France"'],
                "meeting_id": "m1",
                # Wrong offsets: the view finds the quote itself.
                "evidence": [
                    {"quote": "agreed to talk. They signed a pact.", "start": 0, "end": 3},
                    {"quote": "nowhere in the text", "start": 0, "end": 5},
                ],
            }
        ],
    }
    return ArticleSummary.model_validate(data)


def test_summary_html_escapes_and_links_every_span() -> None:
    page = summary_html(crafted(), TEXT)
    assert page.startswith("<!DOCTYPE html>") and "<script>alert" not in page and "<img src=x>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Leaders &lt;met&gt;" in page
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=\"http", page)  # no external assets
    marks = re.findall(r"<mark ([^>]*)>(.*?)</mark>", page)
    records = [re.search(r'data-records="([^"]*)"', attrs).group(1) for attrs, _ in marks]  # type: ignore[union-attr]
    # The overlap "agreed to talk." is split out and linked to both records.
    assert records == ["r-m1", "r-m1 r-a1", "r-a1"]
    assert marks[1][1] == "agreed to talk."
    assert 'id="r-m1"' in page and 'id="r-a1"' in page and 'data-goto="r-m1"' in page
    assert "Quotes not found in the text" in page and "nowhere in the text" in page


def test_summary_html_reference_article_and_notebook_reprs() -> None:
    (summary, text), _ = summaries()
    page = summary_html(summary, text)
    spans = re.findall(r'<mark [^>]*data-record="(r-[ma]\d+)"', page)
    assert set(spans) == {"r-m1", "r-m2", "r-m3", "r-a1", "r-a2"}
    assert "Iikura guest house" in page and "joint counter-terrorism and anti-piracy drills" in page
    fragment = summary._repr_html_()
    assert fragment.startswith('<div class="smz">') and "<!DOCTYPE" not in fragment
    assert "<mark" in fragment  # without the text, the quotes themselves are the highlights
    assert summary._repr_markdown_() == to_markdown(summary)


def test_batch_html_filters_timeline_failures() -> None:
    items = [(s, t) for s, t in summaries()] + [(crafted(), None)]
    page = batch_html(items, [("bad<1>", "TransportError: <boom>")])
    assert page.count("<section class=article") == 3
    assert 'id="r0-m1"' in page and 'id="r2-m1"' in page  # ids unique per article
    for name in ("status", "kind", "party"):
        assert f'data-filter="{name}"' in page
    assert '<option value="held">' in page and '<option value="verbal">agreement: verbal' in page
    assert '<option value="japan">Japan</option>' in page
    assert page.count('class="tl-row"') == 3  # three dated meetings of the reference article
    assert "bad&lt;1&gt;" in page and "&lt;boom&gt;" in page


def test_eval_html_scores_confusion_and_alignments() -> None:
    run = small_run()
    page = eval_html(run, golds())
    assert page.count("<svg") == 2 and "95% CI" in page
    assert "<caption><b>status</b></caption>" in page and "<caption><b>channel</b></caption>" in page
    assert "00_japan_russia_two_plus_two_2013.txt" in page and "29_bp_oil_profit_negative_1987.txt" in page
    assert page.count(">match<") == 5 and page.count(">missed (fn)<") == 2
    assert "gold a3" in page and "They also vowed to establish" in page  # a missed gold record, shown
    bare = eval_html(run)
    assert "Gold files not given" in bare and "gold m1" in bare


def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    register(app)
    return app


def test_render_command_batch_jsonl_and_results(tmp_path: Path) -> None:
    (summary, _), (negative, _) = summaries()
    lines = [
        {
            "id": "00_japan_russia_two_plus_two_2013",
            "status": "ok",
            "result": summary.model_dump(mode="json"),
        },
        {"id": "29_bp", "status": "ok", "result": negative.model_dump(mode="json")},
        {"id": "broken", "status": "error", "error": "TransportError: server down"},
    ]
    batch = tmp_path / "out.jsonl"
    batch.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "page.html"
    result = runner.invoke(cli(), ["render", str(batch), "--html", str(out), "--articles", str(ARTICLES)])
    assert result.exit_code == 0, result.output
    assert "2 article(s), 1 failure(s)" in result.output
    page = out.read_text(encoding="utf-8")
    assert "<mark" in page and "TransportError: server down" in page and "Failures (1)" in page

    results = tmp_path / "results.json"
    small_run().save(results)
    report = tmp_path / "eval.html"
    result = runner.invoke(cli(), ["render", str(results), "--html", str(report), "--gold", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert "Evaluation report" in report.read_text(encoding="utf-8")

    batch.write_text('{"id": "x", "status": "ok", "result": {"meetings": 3}}\n', encoding="utf-8")
    result = runner.invoke(cli(), ["render", str(batch), "--html", str(out)])
    assert result.exit_code == 2 and "out.jsonl:1: not a batch result line" in result.output


# --- source URLs: carried through the pipeline, linked only when the scheme is safe -------------

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "//evil.example/x",
    "https:no-host",
    "/relative/path",
]


class _Links(HTMLParser):
    """Every ``href`` of a page, as the browser reads it (entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def hrefs(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.hrefs


def with_url(url: str, source_id: str = "doc-1") -> ArticleSummary:
    return ArticleSummary.model_validate({"summary": "s", "source": {"id": source_id, "url": url}})


@pytest.mark.parametrize("url", HOSTILE_URLS, ids=repr)
def test_summary_html_never_links_an_unsafe_url(url: str) -> None:
    page = summary_html(with_url(url))
    assert hrefs(page) == [] and "<a " not in page
    assert esc(url) in page  # still shown, as text


def test_summary_html_links_http_https_and_mailto_escaped() -> None:
    url = 'https://example.com/a?b=1&c="x"><script>alert(1)</script>'
    page = summary_html(with_url(url, source_id="x<1>"))
    assert hrefs(page) == [url]
    assert "<script>alert(1)" not in page and "&amp;c=&quot;x&quot;&gt;" in page
    assert "x&lt;1&gt;" in page and "x<1>" not in page  # the id is escaped next to a link too
    assert hrefs(summary_html(with_url("http://example.com/"))) == ["http://example.com/"]
    assert hrefs(summary_html(with_url("mailto:desk@example.com"))) == ["mailto:desk@example.com"]


def test_batch_html_never_links_an_unsafe_url() -> None:
    page = batch_html([(with_url("javascript:alert(1)"), None), (with_url("https://example.com/n"), None)])
    assert [h for h in hrefs(page) if not h.startswith("#")] == ["https://example.com/n"]


def test_fake_server_source_url_from_jsonl_and_header_reaches_summary_and_page(tmp_path: Path) -> None:
    body = REFERENCE.read_text(encoding="utf-8").split("\n\n", 1)[1]
    lines = [
        {"id": "ref", "text": body, "published": "2013-11-02", "url": "https://example.com/news/ref"},
        {"id": "bad", "text": body, "published": "2013-11-02", "url": "javascript:alert(1)"},
        {"id": "none", "text": body, "published": "2013-11-02"},
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    docs = [d for d in iter_inputs([str(path)]) if isinstance(d, Document)]
    header = "URL: https://example.com/news/header\nDATE: 2013-11-02\n\n" + body
    with FakeOpenAI(default=answer) as server:
        settings = Settings(base_url=server.base_url, model="fake-model", cache="off")
        with Summarizer(settings) as summarizer:
            results = [summarizer.summarize(d) for d in docs]
            from_header = summarizer.summarize(header)
    assert [r.source.url for r in results] == ["https://example.com/news/ref", "javascript:alert(1)", None]
    assert from_header.source.url == "https://example.com/news/header"
    assert results[0].meetings and results[0].source.id == "ref"
    page = batch_html([(r, None) for r in results])
    assert [h for h in hrefs(page) if not h.startswith("#")] == ["https://example.com/news/ref"]
    assert "javascript:alert(1)" in page  # shown as text only
