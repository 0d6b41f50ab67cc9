"""One batch at a time per results file: an OS file lock on ``results.jsonl.lock``.

A batch holds the lock from before it reads the results file until its last line is
written, so two runs into one file (an overlapping cron job, a second terminal) never
both process an article. The lock is ``flock`` through :mod:`filelock` (the
platform's own lock on Windows): the kernel drops it when the holder's process ends, even by
``kill -9``, so a lock file left behind blocks nobody. While held, the file holds the
holder's pid, for the message a refused run prints.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

from summarizer.errors import InputError, SummarizerError

__all__ = ["ResultsInUseError", "holder_pid", "lock_path", "results_lock"]

POLL_SECONDS = 0.2  # how often a waiting run tries the lock again


class ResultsInUseError(SummarizerError):
    """Another live process holds the results file's lock (the CLI exits 75)."""


def lock_path(out: str | Path) -> Path:
    """The lock file next to the results file ``out``: ``out`` + ``.lock``."""
    out = Path(out)
    return out.with_name(out.name + ".lock")


def holder_pid(out: str | Path) -> int | None:
    """The pid recorded by the lock's holder; ``None`` when none is recorded (yet)."""
    try:
        text = lock_path(out).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def _record_pid(fd: int) -> None:
    """Called by filelock with the locked descriptor: write our pid into the lock file."""
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))


def _unusable(path: Path, exc: OSError) -> InputError:
    return InputError(f"cannot lock {path}: {exc.strerror or type(exc).__name__}")


@asynccontextmanager
async def results_lock(
    out: str | Path, *, wait: bool = False, notify: Callable[[str], None] = lambda message: None
) -> AsyncIterator[None]:
    """Hold the lock of results file ``out`` for the block.

    Held elsewhere: raise :class:`ResultsInUseError` at once, or with ``wait`` tell
    ``notify`` once and try again every ``POLL_SECONDS`` until it is free.
    """
    path = lock_path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path, on_acquired=_record_pid)
    except OSError as exc:
        raise _unusable(path, exc) from None
    told = False
    while True:
        try:
            lock.acquire(timeout=0)
            break
        except Timeout:  # a TimeoutError, an OSError: caught first
            pid = holder_pid(out)
            who = f"pid {pid}" if pid is not None else "pid unknown"
            if not wait:
                message = f"{out} is in use by another summarizer batch ({who}); --wait waits for it"
                raise ResultsInUseError(message) from None
            if not told:
                notify(f"waiting for {out}: in use by another summarizer batch ({who})")
                told = True
            await asyncio.sleep(POLL_SECONDS)
        except OSError as exc:  # not a folder, no permission, a file system without locks
            raise _unusable(path, exc) from None
    try:
        yield
    finally:
        with suppress(OSError):
            os.truncate(path, 0)  # still held: no holder recorded once released
        lock.release()
