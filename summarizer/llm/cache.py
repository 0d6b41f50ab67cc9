"""Content-addressed response cache (SQLite).

The key is a hash of the request body that decides the answer: model, messages,
tools / response format, sampling parameters and ``max_tokens``. Editing a prompt
or a field description changes the key. Headers, and so API keys, are never part
of the key or the stored value.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from summarizer.errors import CacheMissError

__all__ = ["ResponseCache", "request_key"]

# Body fields that cannot change the answer; everything else is in the key.
_IGNORED = {"stream", "user", "metadata", "store", "n_threads"}
# Seconds a connection waits for another process's lock (busy timeout, and creation retries).
_BUSY_TIMEOUT = 30.0


# A re-ask quotes pydantic's error text, which links its docs by pydantic version
# ("https://errors.pydantic.dev/2.14/v/value_error"): the key must not change with the library.
_VERSIONED_URL = re.compile(r"https://errors\.pydantic\.dev/[\d.]+/")


def request_key(body: dict[str, Any]) -> str:
    """Stable hash of a chat-completions request body (pydantic's versioned doc links ignored)."""
    relevant = {k: v for k, v in body.items() if k not in _IGNORED}
    canonical = json.dumps(relevant, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    canonical = _VERSIONED_URL.sub("https://errors.pydantic.dev/", canonical)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    """A SQLite file of ``key → response JSON``; safe across threads and processes."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        if readonly:  # replay: a committed recording is read, never rewritten
            if not self.path.is_file():
                raise CacheMissError(f"no recorded responses at {self.path}")
            self._conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=_BUSY_TIMEOUT)
        self._create()

    def _create(self) -> None:
        """WAL mode and the table, retried while another process is creating the same file.

        Readers and writers wait for each other through the busy timeout, but switching a
        new file to WAL while another connection writes to it fails at once with
        "database is locked" (SQLite does not call the busy handler there): workers that
        open one fresh cache together would lose that race, so it is retried here.
        """
        deadline = time.monotonic() + _BUSY_TIMEOUT
        pause = 0.01
        while True:
            try:
                with self._lock, self._conn:
                    if self._conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        self._conn.execute("PRAGMA journal_mode=WAL")
                    self._conn.execute(
                        "CREATE TABLE IF NOT EXISTS responses ("
                        " key TEXT PRIMARY KEY, model TEXT, response TEXT NOT NULL, created REAL NOT NULL)"
                    )
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause * (0.5 + random.random()))
            pause = min(pause * 2, 0.5)

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT response FROM responses WHERE key = ?", (key,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, key: str, model: str, response: dict[str, Any]) -> None:
        data = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO responses (key, model, response, created) VALUES (?, ?, ?, ?)",
                (key, model, data, time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
