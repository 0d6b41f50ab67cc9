"""summarizer: validated, source-grounded meeting and agreement records from news articles.

>>> from summarizer import summarize, Settings
>>> summary = summarize(text, settings=Settings(base_url="http://localhost:8080/v1"))  # doctest: +SKIP

Importing the package is cheap: only the exception tree loads at once. Every other public
name is imported from its module on first access (PEP 562 ``__getattr__``), so the command
line starts without openai, instructor or pandas; ``summarizer.Summarizer`` pulls in the
model client the first time it is touched.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

from summarizer.errors import (
    CacheMissError,
    ConfigurationError,
    ExtractionError,
    GoldError,
    InputError,
    LLMError,
    LocalModelError,
    ModelNotFoundError,
    PromptError,
    SummarizerError,
    TransportError,
)

if TYPE_CHECKING:
    from summarizer.articles.documents import Document, load_document, parse_document
    from summarizer.pipeline import Summarizer, asummarize, summarize
    from summarizer.schemas import (
        SCHEMA_VERSION,
        Agreement,
        ArticleSummary,
        Commitment,
        Evidence,
        Location,
        Meeting,
        Participant,
        Provenance,
        Source,
    )
    from summarizer.settings import Settings

__version__ = "0.1.0"

# Public name → the module that defines it, imported on first access.
_LAZY: dict[str, str] = {
    **dict.fromkeys(("Document", "load_document", "parse_document"), "summarizer.articles.documents"),
    **dict.fromkeys(("Summarizer", "asummarize", "summarize"), "summarizer.pipeline"),
    **dict.fromkeys(
        (
            "SCHEMA_VERSION",
            "Agreement",
            "ArticleSummary",
            "Commitment",
            "Evidence",
            "Location",
            "Meeting",
            "Participant",
            "Provenance",
            "Source",
        ),
        "summarizer.schemas",
    ),
    "Settings": "summarizer.settings",
}

__all__ = [
    "SCHEMA_VERSION",
    "Agreement",
    "ArticleSummary",
    "CacheMissError",
    "Commitment",
    "ConfigurationError",
    "Document",
    "Evidence",
    "ExtractionError",
    "GoldError",
    "InputError",
    "LLMError",
    "LocalModelError",
    "Location",
    "Meeting",
    "ModelNotFoundError",
    "Participant",
    "PromptError",
    "Provenance",
    "Settings",
    "Source",
    "Summarizer",
    "SummarizerError",
    "TransportError",
    "__version__",
    "asummarize",
    "load_document",
    "parse_document",
    "summarize",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for, then keep it here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public API and the submodules imported so far, not this module's helpers."""
    prefix = f"{__name__}."
    submodules = [
        k for k, v in globals().items() if isinstance(v, ModuleType) and v.__name__.startswith(prefix)
    ]
    return sorted({*__all__, *submodules})
