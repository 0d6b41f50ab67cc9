"""The HTTP library the openai client is built on.

openai 3.x uses ``httpx2`` (a fork of httpx with the same API); openai 1.x uses
``httpx``. Our transports must subclass the one openai uses so that its time-out
and connection errors are recognised.
"""

from __future__ import annotations

try:
    import httpx2 as httpx
except ImportError:  # pragma: no cover - openai 1.x
    import httpx  # type: ignore[no-redef]

__all__ = ["httpx"]
