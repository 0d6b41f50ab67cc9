"""The exception tree. Every error the CLI reports derives from :class:`SummarizerError`.

::

    SummarizerError
    ├── ConfigurationError      bad settings, missing API key, missing extra
    ├── InputError              empty, binary, undecodable or oversized input
    ├── PromptError             missing template or template variable
    ├── GoldError               invalid gold file
    ├── CacheMissError          replay mode and the response is not recorded
    ├── LocalModelError         local model missing, bad checksum, no memory
    └── LLMError                anything from the model call
        ├── TransportError      server unreachable, 5xx/429 after all retries
        ├── ModelNotFoundError  the server does not know the model
        └── ExtractionError     the model's answer never validated
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CacheMissError",
    "ConfigurationError",
    "ExtractionError",
    "GoldError",
    "InputError",
    "LLMError",
    "LocalModelError",
    "ModelNotFoundError",
    "PromptError",
    "SummarizerError",
    "TransportError",
]


class SummarizerError(Exception):
    """Base class: the message is one clear line for the user."""


class ConfigurationError(SummarizerError):
    pass


class InputError(SummarizerError):
    pass


class PromptError(SummarizerError):
    pass


class GoldError(SummarizerError):
    pass


class CacheMissError(SummarizerError):
    pass


class LocalModelError(SummarizerError):
    pass


class LLMError(SummarizerError):
    """A model call failed. Carries the attempts made and the usage they cost."""

    def __init__(self, message: str, *, attempts: int = 0, usage: dict[str, int] | None = None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.usage = usage or {}


class TransportError(LLMError):
    pass


class ModelNotFoundError(LLMError):
    pass


class ExtractionError(LLMError):
    """Validation re-asks ran out. ``failed_fields`` names what never validated."""

    def __init__(
        self,
        message: str,
        *,
        failed_fields: list[str],
        last_output: Any,
        attempts: int = 0,
        usage: dict[str, int] | None = None,
    ) -> None:
        super().__init__(message, attempts=attempts, usage=usage)
        self.failed_fields = failed_fields
        self.last_output = last_output
