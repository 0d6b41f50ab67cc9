"""summarizer: validated, source-grounded meeting and agreement records from news articles.

>>> from summarizer import summarize, Settings
>>> summary = summarize(text, settings=Settings(base_url="http://localhost:8080/v1"))  # doctest: +SKIP
"""

from __future__ import annotations

from .documents import Document, load_document, parse_document
from .errors import (
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
from .pipeline import Summarizer, asummarize, summarize
from .schemas import (
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
from .settings import Settings

__version__ = "0.1.0"

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
