"""Batch input loaders: HTML, JSONL, text, directories, stdin, and per-input failures."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from summarizer.articles.documents import Document
from summarizer.articles.loaders import InputFailure, iter_inputs

DATE_META = '<meta property="article:published_time" content="2013-11-02T10:00:00Z">'
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ministers meet in Tokyo | Example News</title>
<meta property="og:title" content="Ministers meet in Tokyo">
<meta property="article:published_time" content="2013-11-02T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Ministers meet in Tokyo</h1>
<p>Japan and Russia held their first two-plus-two meeting of foreign and defense ministers in Tokyo.</p>
<p>The ministers agreed to deepen defense exchanges and to hold joint counter-terrorism drills.</p>
<p>Foreign Minister Fumio Kishida met Sergey Lavrov at the Iikura guest house before the talks.</p>
</article>
<footer>Copyright 2013 Example News. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>
"""


def load(*paths: Path | str, max_chars: int = 200_000) -> list[Document | InputFailure]:
    return list(iter_inputs([str(p) for p in paths], max_chars))


def only(items: list[Document | InputFailure]) -> Document | InputFailure:
    assert len(items) == 1, items
    return items[0]


def test_html_main_text_title_and_date(tmp_path: Path) -> None:
    path = tmp_path / "tokyo-talks.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = only(load(path))
    assert isinstance(doc, Document)
    assert doc.id == "tokyo-talks"
    assert doc.title == "Ministers meet in Tokyo"
    assert doc.published == date(2013, 11, 2)
    assert "agreed to deepen defense exchanges" in doc.text
    assert "Kishida met Sergey Lavrov" in doc.text
    assert "Home" not in doc.text and "Copyright" not in doc.text and "newsletter" not in doc.text


def test_html_declared_latin1_charset_and_htm_suffix(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("Tokyo.", "Tōkyō café.")
    path = tmp_path / "old.htm"
    path.write_bytes(page.replace("Tōkyō", "Tokyo").encode("latin-1"))
    doc = only(load(path))
    assert isinstance(doc, Document) and "café" in doc.text


def test_html_without_date_and_without_text(tmp_path: Path) -> None:
    nodate = tmp_path / "nodate.html"
    nodate.write_text(PAGE.replace(DATE_META, ""), encoding="utf-8")
    doc = only(load(nodate))
    assert isinstance(doc, Document) and doc.published is None
    blank = tmp_path / "blank.html"
    blank.write_text("<html><head><title>t</title></head><body><nav></nav></body></html>", encoding="utf-8")
    failure = only(load(blank))
    assert isinstance(failure, InputFailure) and "no article text" in failure.reason


def test_jsonl_articles_and_a_bad_line_per_article(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "text": "Leaders met in Rome.", "title": "Rome", "published": "2024-05-01"}),
        "{not json",
        json.dumps({"text": "Ministers agreed on trade.", "url": "https://example.org/x"}),
        "",
        json.dumps({"id": "a4", "title": "no text"}),
        json.dumps({"id": "a5", "text": "Met.", "published": "2024-13-45"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": 7, "text": "Numeric ids are kept."}),
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = load(path)
    assert [i.id for i in items] == ["a1", "news.jsonl:2", "news.jsonl:3", "a4", "a5", "news.jsonl:7", "7"]
    first, bad, third, no_text, bad_date, array, numeric = items
    assert isinstance(first, Document) and first.title == "Rome" and first.published == date(2024, 5, 1)
    assert isinstance(third, Document) and third.source == "https://example.org/x"
    assert isinstance(numeric, Document)
    assert isinstance(bad, InputFailure) and "bad JSON line" in bad.reason and "news.jsonl:2" in bad.reason
    assert isinstance(no_text, InputFailure) and "'text'" in no_text.reason
    assert isinstance(bad_date, InputFailure) and "2024-13-45" in bad_date.reason
    assert isinstance(array, InputFailure) and "JSON object" in array.reason
    for failure in (bad, no_text, bad_date, array):
        assert isinstance(failure, InputFailure)
        assert "\n" not in failure.reason and failure.content_hash
    # Ids and hashes are stable across loads.
    assert [(i.id, i.content_hash) for i in load(path)] == [(i.id, i.content_hash) for i in items]


def test_directory_sorted_supported_files_with_stable_ids(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Ministers met in Oslo.", encoding="utf-8")
    (tmp_path / "a.md").write_text("TITLE: A\nDATE: 2020-02-02\n\nLeaders agreed.", encoding="utf-8")
    (tmp_path / "c.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "d.jsonl").write_text(json.dumps({"id": "j", "text": "They met."}) + "\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Nested article met.", encoding="utf-8")
    items = load(tmp_path)
    assert [i.id for i in items] == ["a", "b", "c", "j", "sub/b"]
    assert all(isinstance(i, Document) for i in items)
    a = items[0]
    assert isinstance(a, Document) and a.title == "A" and a.text == "Leaders agreed."


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
        ("latin.txt", "Café ministers met".encode("latin-1"), "not valid UTF-8"),
        ("empty.txt", b"", "empty article"),
        ("blank.md", b"  \n\t\n", "empty article"),
        ("big.txt", b"x" * 101, "over the limit of 100"),
        ("big.html", b"<p>" + b"x" * 2000 + b"</p>", "over the limit"),
        ("binary.jsonl", b'{"id": "x"}\x00\x00', "binary file"),
        ("binary.html", b"<html>\x00\x00</html>", "binary file"),
    ],
)
def test_unreadable_inputs_become_failures(tmp_path: Path, name: str, data: bytes, needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    failure = only(load(path, max_chars=100))
    assert isinstance(failure, InputFailure), failure
    assert failure.id == Path(name).stem and needle in failure.reason and "\n" not in failure.reason


def test_missing_path_is_a_failure_and_others_still_load(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("They met.", encoding="utf-8")
    missing, doc = load(tmp_path / "nope.txt", good)
    assert isinstance(missing, InputFailure) and "no such file" in missing.reason
    assert isinstance(doc, Document) and doc.id == "good"


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_text_and_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(b"ID: wire-1\nTITLE: T\n\nLeaders met."))
    doc = only(list(iter_inputs(["-"])))
    assert isinstance(doc, Document) and doc.id == "wire-1" and doc.text == "Leaders met."
    monkeypatch.setattr("sys.stdin", _Stdin(b"Plain text: ministers met."))
    doc = only(list(iter_inputs(["-"])))
    assert isinstance(doc, Document) and doc.id == "stdin"
    data = b'{"id": "s1", "text": "They met."}\n{"id": "s2", "text": "They agreed."}\n'
    monkeypatch.setattr("sys.stdin", _Stdin(data))
    assert [i.id for i in iter_inputs(["-"])] == ["s1", "s2"]
