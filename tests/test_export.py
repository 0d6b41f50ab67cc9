"""``summarizer export`` and ``read_batch``: a real batch against the fake server, then SQL on the file.

The results file comes from :func:`summarizer.batch.run.run_batch` with the reference article
(scripted answers), a negative article (no records) and an input failure, after an older
error line for the reference article that the newer ok line must replace.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ARTICLES, REFERENCE
from typer.testing import CliRunner
from visual_data import answer

from summarizer import Settings, Summarizer
from summarizer.articles.documents import load_document
from summarizer.articles.loaders import InputFailure
from summarizer.batch.run import run_batch
from summarizer.cli.main import app
from summarizer.errors import InputError
from summarizer.testing import FakeOpenAI
from summarizer.views.tables import TABLES, read_results, result_tables

REF_ID = REFERENCE.stem
NEGATIVE = ARTICLES / "29_bp_oil_profit_negative_1987.txt"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch results file written by ``run_batch`` against the fake server."""
    out = tmp_path_factory.mktemp("batch") / "results.jsonl"
    stale = {"id": REF_ID, "status": "error", "error": "TransportError: an earlier run failed"}
    out.write_text(json.dumps(stale) + "\n", encoding="utf-8")
    docs = [
        load_document(REFERENCE),
        load_document(NEGATIVE),
        InputFailure(id="broken.txt", reason="broken.txt: binary file", content_hash="abc"),
    ]
    assert docs[0].id == REF_ID
    with FakeOpenAI(default=answer) as server:
        settings = Settings(
            base_url=server.base_url, model="fake-model", cache="off", strategy="passes"
        )  # scripted answers for the two passes
        report = asyncio.run(run_batch(docs, out, lambda: Summarizer(settings), progress=False))
    assert (report.ok, report.failed) == (2, 1)
    return out


def export(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["export", *args])
    return result.exit_code, result.output


def test_export_sqlite_of_a_fake_server_batch_answers_sql(results: Path, tmp_path: Path) -> None:
    db = tmp_path / "out" / "summaries.sqlite"
    code, output = export(str(results), "--sqlite", str(db))
    assert code == 0, output
    assert (
        "3 article(s) (2 ok, 1 failed)" in output
        and "3 meetings, 2 agreements, 5 participants, 5 evidence" in output
    )

    conn = sqlite3.connect(db)
    per_article = conn.execute(
        "SELECT a.id, a.title, a.published, COUNT(m.meeting_id) FROM articles a "
        "LEFT JOIN meetings m ON m.article = a.id GROUP BY a.id ORDER BY a.id"
    ).fetchall()
    ref = load_document(REFERENCE)
    assert per_article == [
        (REF_ID, ref.title, "2013-11-02", 3),
        ("29_bp_oil_profit_negative_1987", load_document(NEGATIVE).title, "1987-03-03", 0),
        ("broken.txt", None, None, 0),
    ]
    # the later ok line replaced the stale error line of the reference article
    statuses = dict(conn.execute("SELECT id, status FROM articles").fetchall())
    assert statuses == {REF_ID: "ok", "29_bp_oil_profit_negative_1987": "ok", "broken.txt": "error"}
    assert conn.execute("SELECT error FROM articles WHERE id = 'broken.txt'").fetchone() == (
        "broken.txt: binary file",
    )
    # evidence offsets on every row point at the quote in the article text
    for table, key in (("meetings", "meeting_id"), ("agreements", "agreement_id"), ("participants", "name")):
        rows = conn.execute(
            f"SELECT {key}, evidence_start, evidence_end, evidence_quote, article FROM {table}"
        ).fetchall()
        assert rows, table
        for _, start, end, quote, article in rows:
            assert article == REF_ID and ref.text[start:end] == quote
    spans = conn.execute('SELECT start, "end", quote FROM evidence').fetchall()
    assert spans and all(ref.text[s:e] == q for s, e, q in spans)
    roles = dict(conn.execute("SELECT role, COUNT(*) FROM participants GROUP BY role").fetchall())
    assert roles == {"participant": 5}
    agreements = conn.execute(
        "SELECT a.title, COUNT(*), SUM(g.n_evidence) FROM agreements g JOIN articles a ON a.id = g.article "
        "WHERE g.status = 'agreed' GROUP BY a.id"
    ).fetchall()
    assert agreements == [(ref.title, 2, 2)]

    # typed columns, primary keys, foreign keys that hold
    columns = {row[1]: row for row in conn.execute("PRAGMA table_info(meetings)")}
    assert columns["evidence_start"][2] == "INTEGER" and columns["title"][2] == "TEXT"
    assert [c for c, row in columns.items() if row[5]] == ["article", "meeting_id"]
    assert conn.execute("PRAGMA table_info(articles)").fetchall()[0][1:] == ("id", "TEXT", 1, None, 1)
    refs = {(r[2], r[3], r[4]) for r in conn.execute("PRAGMA foreign_key_list(agreements)")}
    assert ("articles", "article", "id") in refs and ("meetings", "meeting_id", "meeting_id") in refs
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("UPDATE meetings SET article = 'no-such-article'")
    if sqlite3.sqlite_version_info >= (3, 37, 0):  # STRICT tables refuse a text offset
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE meetings SET evidence_start = 'x'")
    conn.close()

    # a second export replaces the file
    code, _ = export(str(results), "--sqlite", str(db))
    assert code == 0 and sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone() == (3,)


def test_export_csv_of_a_fake_server_batch_reads_back(results: Path, tmp_path: Path) -> None:
    code, output = export(str(results), "--csv", str(tmp_path / "csv"))
    assert code == 0, output
    tables = result_tables(read_results(results))
    for name, table in TABLES.items():
        with (tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
        assert reader.fieldnames == table.names
        assert len(rows) == len(tables[name])
    with (tmp_path / "csv" / "meetings.csv").open(encoding="utf-8", newline="") as fh:
        first = next(csv.DictReader(fh))
    text = REFERENCE.read_text(encoding="utf-8")
    assert first["article"] == REF_ID and first["evidence_quote"] in text
    assert int(first["evidence_end"]) - int(first["evidence_start"]) >= len(first["evidence_quote"]) - 2


def test_read_batch_frames_match_the_export_rows(results: Path) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is optional: pip install 'summarizer[notebook]'")
    from summarizer.views.frames import read_batch

    meetings = read_batch(results, "meetings")
    assert len(meetings) == 3 and list(meetings.columns) == TABLES["meetings"].names
    assert str(meetings["evidence_start"].dtype) == "Int64" and set(meetings["article"]) == {REF_ID}
    articles = read_batch(results, "articles")
    assert articles.set_index("id")["status"].to_dict()["broken.txt"] == "error"
    assert pd.isna(articles.set_index("id").loc["broken.txt", "n_meetings"])
    people = read_batch(results, "participants")
    assert len(people) == 5 and set(people["role"]) == {"participant"}
    with pytest.raises(ValueError, match="unknown kind"):
        read_batch(results, "topics")


def test_export_parquet_of_a_fake_server_batch_reads_back(results: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="Parquet export needs pyarrow (the parquet extra)")
    pd = pytest.importorskip("pandas", reason="pandas is optional: pip install 'summarizer[notebook]'")
    from summarizer.views.frames import read_batch

    code, output = export(str(results), "--parquet", str(tmp_path / "pq"))
    assert code == 0, output
    for name in TABLES:
        back = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet")
        expected = read_batch(results, name)
        assert list(back.columns) == TABLES[name].names
        pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    import pyarrow.parquet as pq

    schema = pq.read_schema(tmp_path / "pq" / "evidence.parquet")
    assert str(schema.field("start").type) == "int64" and str(schema.field("quote").type) in (
        "string",
        "large_string",
    )
    errors = pq.read_schema(tmp_path / "pq" / "articles.parquet").field("error").type
    assert str(errors) in ("string", "large_string")  # typed even where most values are missing


def test_export_parquet_without_pyarrow_names_the_extra(
    results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # what an environment without pyarrow looks like
    code, output = export(str(results), "--parquet", str(tmp_path / "pq"))
    assert code == 3
    assert output.strip().splitlines() == [
        "error: Parquet export needs pyarrow: pip install 'summarizer[parquet]'"
    ]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "no such file"),
        (b"just some text\n", ":1: not JSON"),
        (b'{"id": "a", "status": "ok", "result": {}}\n[1, 2]\n', ":2: not a batch result line"),
        (b'{"id": "a", "status": "ok"}\n', ":1: an ok line without a result"),
        (b'{"id": "a", "status": "ok", "result": {"meetings": 3}}\n', ":1: invalid result at meetings"),
        (b"\n\n", "no result lines"),
        (b"\xff\xfe binary", "not UTF-8"),
    ],
)
def test_read_results_rejects_bad_input(tmp_path: Path, content: bytes | None, needle: str) -> None:
    path = tmp_path / "results.jsonl"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=needle):
        read_results(path)


def test_cli_export_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a results file\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env["SUMMARIZER_STRATEGY"] = "passes"  # scripted replies answer the two passes
    for args, needle in (
        ((str(tmp_path / "missing.jsonl"), "--csv", str(tmp_path / "x")), "no such file"),
        ((str(text), "--sqlite", str(tmp_path / "x.sqlite")), "notes.txt:1: not JSON"),
        ((str(text),), "say where to export"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "summarizer", "export", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and needle in proc.stderr
        assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.sqlite").exists() and not (tmp_path / "x").exists()
