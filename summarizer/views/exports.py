"""Table files from batch results: CSV files, a SQLite database, Parquet files.

The rows come from :mod:`summarizer.views.tables`. SQLite uses the standard library: typed
columns (``STRICT`` tables where SQLite is 3.37 or newer), primary keys and foreign keys from
every record to its article, so the file can be queried with SQL directly. Parquet needs
pandas and pyarrow (``pip install 'summarizer[parquet]'``).
"""

from __future__ import annotations

import csv
import importlib
import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from summarizer.errors import ConfigurationError, InputError
from summarizer.views.tables import TABLES, Row, Table

__all__ = ["create_sql", "write_csv", "write_parquet", "write_sqlite"]

Tables = Mapping[str, Sequence[Row]]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _names(columns: Sequence[str]) -> str:
    return ", ".join(_quote(c) for c in columns)


def create_sql(table: Table, strict: bool = True) -> str:
    """The ``CREATE TABLE`` statement of ``table``."""
    lines = [
        f"{_quote(name)} {kind}" + (" NOT NULL" if name in table.key else "") for name, kind in table.columns
    ]
    lines.append(f"PRIMARY KEY ({_names(table.key)})")
    for here, there, their in table.references:
        lines.append(f"FOREIGN KEY ({_names(here)}) REFERENCES {_quote(there)} ({_names(their)})")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {_quote(table.name)} (\n  {body}\n)" + (" STRICT" if strict else "")


def _mkdir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(f"{directory}: exists and is not a directory") from None
    except OSError as exc:
        raise InputError(f"{directory}: cannot create: {exc.strerror or exc}") from None


def write_csv(tables: Tables, directory: str | Path) -> list[Path]:
    """One ``NAME.csv`` per table (UTF-8, header row, empty cells for missing values)."""
    directory = Path(directory)
    _mkdir(directory)
    written = []
    for name, table in TABLES.items():
        path = directory / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=table.names)
            writer.writeheader()
            writer.writerows(tables.get(name, ()))
        written.append(path)
    return written


def write_sqlite(tables: Tables, path: str | Path) -> Path:
    """A SQLite database with one table per :data:`~summarizer.views.tables.TABLES` entry.

    An existing file is replaced (atomically: the new database is written beside it first).
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory; --sqlite takes a file name")
    _mkdir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    strict = sqlite3.sqlite_version_info >= (3, 37, 0)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        with conn:
            for name, table in TABLES.items():  # articles first: the others refer to it
                conn.execute(create_sql(table, strict))
                rows = tables.get(name, ())
                marks = ", ".join("?" for _ in table.columns)
                conn.executemany(
                    f"INSERT INTO {_quote(name)} ({_names(table.names)}) VALUES ({marks})",
                    ([row.get(c) for c in table.names] for row in rows),
                )
            conn.execute('CREATE INDEX "participants_name" ON "participants" ("name")')
    except sqlite3.Error as exc:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the database: {exc}") from None
    conn.close()
    os.replace(tmp, path)
    return path


def write_parquet(tables: Tables, directory: str | Path) -> list[Path]:
    """One ``NAME.parquet`` per table (pandas + pyarrow)."""
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        raise ConfigurationError("Parquet export needs pyarrow: pip install 'summarizer[parquet]'") from None
    from summarizer.views.frames import table_frame

    directory = Path(directory)
    _mkdir(directory)
    written = []
    for name in TABLES:
        path = directory / f"{name}.parquet"
        table_frame(name, tables.get(name, ())).to_parquet(path, engine="pyarrow", index=False)
        written.append(path)
    return written
