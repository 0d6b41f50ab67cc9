"""Loading articles: files, stdin and raw text, with the corpus header read when present.

A corpus file starts with ``SOURCE:``, ``TITLE:`` and ``DATE:`` lines and a blank
line; the article text is what follows. Evidence offsets always index
:attr:`Document.text`, the text handed to the model.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from summarizer.errors import InputError
from summarizer.text.dates import validate_iso

__all__ = [
    "DEFAULT_MAX_CHARS",
    "Document",
    "check_text",
    "decode",
    "load_document",
    "parse_document",
    "parse_published",
]

DEFAULT_MAX_CHARS = 200_000
_HEADER = re.compile(r"^(SOURCE|TITLE|DATE|URL|ID):[ \t]*(.*)$")


@dataclass(frozen=True)
class Document:
    """An article ready for extraction."""

    text: str
    id: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 text; binary or undecodable input is an :class:`InputError`."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first") from None


def parse_document(
    raw: str,
    *,
    name: str = "<text>",
    doc_id: str | None = None,
    published: date | str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Document:
    """Split an optional corpus header from ``raw`` and validate what is left."""
    meta: dict[str, str] = {}
    lines = raw.splitlines(keepends=True)
    consumed = 0
    for line in lines:
        match = _HEADER.match(line.rstrip("\r\n"))
        if not match:
            break
        meta[match.group(1).lower()] = match.group(2).strip()
        consumed += 1
    if meta:
        if consumed < len(lines) and not lines[consumed].strip():
            consumed += 1
        text = "".join(lines[consumed:])
    else:
        text = raw
    check_text(text, name, max_chars)
    when = parse_published(published if published is not None else meta.get("date"), name)
    return Document(
        text=text,
        id=doc_id or meta.get("id"),
        title=meta.get("title") or None,
        published=when,
        source=meta.get("source") or None,
        meta=meta,
    )


def check_text(text: str, name: str, max_chars: int = DEFAULT_MAX_CHARS) -> None:
    """Raise :class:`InputError` for an empty or oversized article text."""
    if not text.strip():
        raise InputError(f"{name}: empty article")
    if len(text) > max_chars:
        raise InputError(f"{name}: article is {len(text):,} characters, over the limit of {max_chars:,}")


def parse_published(value: date | str | None, name: str) -> date | None:
    """A publication date from ``YYYY-MM-DD`` (a longer ISO timestamp is cut to its date)."""
    if value is None or isinstance(value, date):
        return value
    try:
        iso = validate_iso(value.strip()[:10])
        return date.fromisoformat(iso) if len(iso) == 10 else None
    except ValueError:
        raise InputError(f"{name}: publication date {value!r} is not YYYY-MM-DD") from None


def load_document(
    path: str | Path,
    *,
    published: date | str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Document:
    """Read a text file (``.txt``/``.md``) with an optional corpus header."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_document(
        decode(data, str(path)), name=str(path), doc_id=path.stem, published=published, max_chars=max_chars
    )
