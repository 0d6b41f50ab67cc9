"""summarizer: validated, source-grounded meeting and agreement records from news articles.

>>> from summarizer import summarize, Settings
>>> summary = summarize(text, settings=Settings(base_url="http://localhost:8080/v1"))  # doctest: +SKIP
"""

from __future__ import annotations

from summarizer.articles.documents import Document, load_document, parse_document
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
from summarizer.views.notebook import register as _register_views

__version__ = "0.1.0"

_register_views()  # ArticleSummary._repr_html_ / _repr_markdown_ / to_dataframe

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
