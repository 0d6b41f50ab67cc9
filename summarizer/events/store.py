"""``events.jsonl``: one event per line, read back to add more batches."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.events.model import Event

__all__ = ["read_events", "write_events"]


def read_events(path: str | Path) -> list[Event]:
    """The events of an events file; an :class:`~summarizer.errors.InputError` (one line, with
    the line number) when it is missing or a line is not an event."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read an events file: {exc}") from None
    events = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            events.append(Event.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            raise InputError(f"{path}:{n}: not an event ({where}: {first['msg']})") from None
    return events


def write_events(events: Iterable[Event], path: str | Path) -> int:
    """Write ``events`` (one JSON object per line, replacing the file atomically); returns how many."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as out:
        for event in events:
            out.write(event.model_dump_json(exclude_none=False) + "\n")
            n += 1
    tmp.replace(path)
    return n
