"""One settings object: the only place that reads the environment.

Values come from (highest first) explicit arguments / CLI flags, ``SUMMARIZER_*``
environment variables (plus ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``), then
defaults. The API key is a ``SecretStr``: it never prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Mode", "Settings", "default_cache_dir"]

Mode = Literal["tools", "json_schema", "json", "md_json"]
CacheMode = Literal["read-write", "replay", "off"]


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("summarizer"))


class Settings(BaseSettings):
    """Everything that configures a run. Construct with keyword overrides."""

    model_config = SettingsConfigDict(env_prefix="SUMMARIZER_", extra="forbid", validate_assignment=True)

    model: str = Field("gpt-4o-mini", description="Model name sent to the server.")
    base_url: str | None = Field(
        None, validation_alias=AliasChoices("base_url", "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL")
    )
    api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("api_key", "SUMMARIZER_API_KEY", "OPENAI_API_KEY")
    )
    mode: Mode = "tools"
    timeout: float = Field(120.0, gt=0, description="Seconds per HTTP request.")
    temperature: float = Field(0.0, ge=0, le=2)
    max_tokens: int = Field(1500, gt=0, description="Always sent: small models can loop without it.")
    max_reasks: int = Field(2, ge=0, description="Validation re-asks after the first answer.")
    max_transport_retries: int = Field(4, ge=0, description="Retries of 429/5xx/timeouts/connection errors.")
    retry_max_wait: float = Field(30.0, gt=0, description="Longest single back-off, in seconds.")
    on_invalid: Literal["error", "drop"] = Field(
        "drop", description="When re-asks run out: fail the article, or keep only the records that validated."
    )
    prompts_dir: Path | None = Field(
        None, description="Directory of prompt templates to use instead of the shipped ones."
    )
    log_level: str | None = Field(None, description="Python logging level for the CLI (e.g. DEBUG).")
    cache: CacheMode = "read-write"
    cache_path: Path | None = None
    max_chars: int = Field(200_000, gt=0, description="Longest article accepted, in characters.")
    concurrency: int = Field(4, ge=1)
    chunk_tokens: int = Field(
        3000, ge=64, description="Article tokens per extraction chunk; longer articles are split."
    )
    chunk_overlap: int = Field(100, ge=0, description="Tokens of sentences shared by neighbouring chunks.")
    backfill: bool = Field(
        True,
        description="Add agreements stated in plain words ('X and Y agreed to …') that the model left out.",
    )
    context_window: int | None = Field(
        None, gt=0, description="Model context in tokens (default: local_ctx for a local model, else 128k)."
    )
    # Local model (llama-cpp-python server started by us).
    local_model: str | None = Field(None, description="GGUF path, hf:REPO/FILE, or 'test'.")
    local_ctx: int = Field(8192, ge=512)
    local_threads: int | None = Field(None, ge=1)
    local_server_timeout: float = Field(900.0, gt=0)
    price_per_mtok_in: float | None = Field(None, ge=0, description="USD per million prompt tokens.")
    price_per_mtok_out: float | None = Field(None, ge=0, description="USD per million completion tokens.")

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"base URL must start with http:// or https://, got {value!r}")
        return value.rstrip("/") if value else value

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the non-``None`` overrides applied (CLI flags)."""
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        return Settings.model_validate(data)

    def resolved_context_window(self) -> int:
        if self.context_window is not None:
            return self.context_window
        return self.local_ctx if self.local_model is not None else 128_000

    def resolved_cache_path(self) -> Path:
        return self.cache_path or default_cache_dir() / "responses.sqlite"
