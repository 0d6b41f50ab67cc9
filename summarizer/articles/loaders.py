"""Article inputs of every command (summarize, batch): text, HTML and JSONL files, directories, stdin.

:func:`iter_inputs` turns command-line paths into a stream of :class:`Document`
and :class:`InputFailure` items; one bad input never stops the others. Document
ids are stable across runs: the file stem (the relative path without suffix for
files found below a directory), the JSONL ``id``, or ``<file>:<line>``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from summarizer.articles.documents import (
    DEFAULT_MAX_CHARS,
    Document,
    check_text,
    decode,
    parse_document,
    parse_published,
)
from summarizer.errors import InputError

__all__ = ["HTML_SUFFIXES", "SUPPORTED_SUFFIXES", "InputFailure", "iter_inputs", "load_html", "load_jsonl"]

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".jsonl"}
# Raw HTML is mostly markup: accept pages up to this multiple of the text limit.
HTML_BYTES_FACTOR = 10
_HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class InputFailure:
    """An input that could not be read: its id, where it came from and a one-line reason."""

    id: str
    reason: str
    path: str | None = None
    content_hash: str = ""


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _failure(doc_id: str, exc: InputError | str, path: str | None, data: bytes = b"") -> InputFailure:
    reason = " ".join(str(exc).split())
    return InputFailure(id=doc_id, reason=reason, path=path, content_hash=_hash(data) if data else "")


# -- HTML -------------------------------------------------------------------------------
def _decode_html(data: bytes, name: str) -> str:
    """UTF-8, or the charset the page declares; binary or undecodable pages raise."""
    try:
        return decode(data, name)
    except InputError:
        match = _CHARSET.search(data[:4096])
        if b"\x00" in data[:8192] or match is None:
            raise
    charset = match.group(1).decode("ascii")
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise InputError(f"{name}: not valid {charset} as the page declares") from None


def load_html(
    data: bytes, *, name: str, doc_id: str, max_chars: int = DEFAULT_MAX_CHARS, url: str | None = None
) -> Document:
    """The main text of an HTML page (trafilatura), with title and date from its metadata."""
    import trafilatura

    limit = max_chars * HTML_BYTES_FACTOR
    if len(data) > limit:
        raise InputError(f"{name}: page is {len(data):,} bytes, over the limit of {limit:,}")
    html = _decode_html(data, name)
    extracted = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(extracted, "text", None) or ""
    if not text.strip():
        raise InputError(f"{name}: no article text found in the page")
    check_text(text, name, max_chars)
    title = getattr(extracted, "title", None) or None
    raw_date = getattr(extracted, "date", None)
    try:
        published = parse_published(raw_date, name) if raw_date else None
    except InputError:
        published = None  # a page's odd date is no reason to drop its text
    meta = {"format": "html"}
    source_url = url or getattr(extracted, "url", None)
    if source_url:
        meta["url"] = str(source_url)
    return Document(text=text, id=doc_id, title=title, published=published, source=meta.get("url"), meta=meta)


# -- JSONL ------------------------------------------------------------------------------
def _jsonl_document(record: Any, name: str, doc_id: str, max_chars: int) -> Document:
    if not isinstance(record, dict):
        raise InputError(f"{name}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{name}: missing or non-string 'text'")
    check_text(text, name, max_chars)
    fields = {k: record.get(k) for k in ("title", "published", "url")}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise InputError(f"{name}: '{key}' must be a string")
    url = fields["url"]
    return Document(
        text=text,
        id=doc_id,
        title=fields["title"] or None,
        published=parse_published(fields["published"], name),
        source=url or None,
        meta={"format": "jsonl", **({"url": url} if url else {})},
    )


def load_jsonl(
    data: bytes, *, name: str, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[Document | InputFailure]:
    """One article per line (``id``, ``text``, optional ``title``, ``published``, ``url``)."""
    label = Path(name).name
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        fallback = f"{label}:{number}"
        where = f"{name}:{number}"
        try:
            record = json.loads(decode(raw, where))
        except InputError as exc:
            yield _failure(fallback, exc, name, raw)
            continue
        except ValueError as exc:
            yield _failure(fallback, f"{where}: bad JSON line: {exc}", name, raw)
            continue
        given = record.get("id") if isinstance(record, dict) else None
        doc_id = str(given) if isinstance(given, (str, int)) and str(given).strip() else fallback
        try:
            yield _jsonl_document(record, where, doc_id, max_chars)
        except InputError as exc:
            yield _failure(doc_id, exc, name, raw)


# -- files, directories, stdin ----------------------------------------------------------
def _load_file(path: Path, doc_id: str, max_chars: int) -> Iterator[Document | InputFailure]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield _failure(doc_id, f"{name}: cannot read: {exc.strerror or exc}", name)
        return
    yield from _load_bytes(data, name, doc_id, path.suffix.lower(), max_chars)


def _load_bytes(
    data: bytes, name: str, doc_id: str, suffix: str, max_chars: int
) -> Iterator[Document | InputFailure]:
    if suffix == ".jsonl":
        if b"\x00" in data[:8192]:
            yield _failure(doc_id, f"{name}: binary file, expected UTF-8 text", name, data)
            return
        yield from load_jsonl(data, name=name, max_chars=max_chars)
        return
    try:
        if suffix in HTML_SUFFIXES:
            yield load_html(data, name=name, doc_id=doc_id, max_chars=max_chars)
        else:
            doc = parse_document(decode(data, name), name=name, max_chars=max_chars)
            yield replace(doc, id=doc_id)
    except InputError as exc:
        yield _failure(doc_id, exc, name, data)


def _directory_files(root: Path) -> list[tuple[Path, str]]:
    """Supported files below ``root`` (hidden ones skipped), sorted, with their ids."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if path.is_file():
            found.append((path, rel.with_suffix("").as_posix()))
    return found


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def iter_inputs(paths: list[str], max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Document | InputFailure]:
    """Documents and failures for ``paths``: files, directories, or ``-`` for stdin.

    Stdin holds one article (id ``stdin``, or the corpus header's ``ID:``), JSONL
    articles when its first non-blank character is ``{``, or an HTML page when it starts
    with ``<!DOCTYPE html`` or ``<html``.
    """
    for arg in paths:
        if arg == "-":
            data = _read_stdin()
            start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
            jsonl = start[:1] == b"{"
            suffix = ".jsonl" if jsonl else ".html" if _HTML_START.match(start[:64]) else ".txt"
            for item in _load_bytes(data, "<stdin>", "stdin", suffix, max_chars):
                if isinstance(item, Document) and not jsonl and item.meta.get("id"):
                    item = replace(item, id=item.meta["id"])
                yield item
            continue
        path = Path(arg)
        if path.is_dir():
            for file, doc_id in _directory_files(path):
                yield from _load_file(file, doc_id, max_chars)
        elif path.exists():
            yield from _load_file(path, path.stem, max_chars)
        else:
            yield _failure(path.stem or arg, f"{arg}: no such file or directory", arg)
