"""The response cache shared by several processes (distributed workers on one machine)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from summarizer.llm.cache import ResponseCache


def test_opening_a_fresh_cache_waits_for_another_process_creating_it(tmp_path: Path) -> None:
    """Switching a new file to WAL while another connection writes to it used to fail at once."""
    path = tmp_path / "responses.sqlite"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another worker in the middle of creating the file
    other.execute("CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY)")
    release = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
    release.start()
    started = time.monotonic()
    try:
        cache = ResponseCache(path)
    finally:
        release.join()
        other.close()
    assert time.monotonic() - started >= 0.25  # it waited for the lock instead of failing
    cache.put("k", "m", {"answer": 1})
    assert cache.get("k") == {"answer": 1}
    assert cache._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cache.close()


def _writer(path: str, worker: int, start: Any, count: int) -> None:
    start.wait(60)  # open the fresh file together
    cache = ResponseCache(path)
    for i in range(count):
        cache.get(f"shared-{i % 10}")
        cache.put(f"{worker}-{i}", "m", {"worker": worker, "i": i, "pad": "x" * 1000})
        cache.put(f"shared-{i % 10}", "m", {"i": i})
    cache.close()


def test_processes_write_one_fresh_cache_together(tmp_path: Path) -> None:
    path = str(tmp_path / "responses.sqlite")
    workers, count = 3, 50
    context = multiprocessing.get_context("spawn")  # fork is unsafe in a threaded process
    start = context.Barrier(workers)
    procs = [context.Process(target=_writer, args=(path, w, start, count)) for w in range(workers)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    assert [proc.exitcode for proc in procs] == [0] * workers
    cache = ResponseCache(path, readonly=True)
    assert len(cache) == workers * count + 10
    assert cache.get("2-49") == {"worker": 2, "i": 49, "pad": "x" * 1000}
    cache.close()
