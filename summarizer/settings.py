"""One settings object: the only place that reads the environment.

Values come from (highest first): explicit arguments / CLI flags, environment variables
(``SUMMARIZER_*`` plus ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``), a ``.env`` file in the
working directory, a TOML settings file, then defaults. The settings file is ``--config FILE``
(:func:`use_config_file`), else ``$SUMMARIZER_CONFIG``, else ``summarizer/config.toml`` in the
user config directory (platformdirs); its keys are the field names (``model = "gpt-4o"``).
:func:`explain` says where each effective value came from. The API key is a ``SecretStr``:
it never prints, and :func:`redact` shows at most its last four characters.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "CONFIG_ENV",
    "Layer",
    "Mode",
    "Setting",
    "SettingSource",
    "Settings",
    "Strategy",
    "config_file",
    "default_cache_dir",
    "default_config_file",
    "environment_variables",
    "explain",
    "github_actions",
    "read_layers",
    "redact",
    "unknown_variables",
    "use_config_file",
]

Mode = Literal["tools", "json_schema", "json", "md_json"]
CacheMode = Literal["read-write", "replay", "off"]
Strategy = Literal["passes", "triage", "per_sentence"]
SettingSource = Literal["default", "file", ".env", "env", "flag"]

CONFIG_ENV = "SUMMARIZER_CONFIG"
_PREFIX = "SUMMARIZER_"
_config_override: Path | None = None


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("summarizer"))


def github_actions() -> tuple[bool, Path | None]:
    """Under GitHub Actions? (``GITHUB_ACTIONS=true``) and its job-summary file, if any.

    Facts about the CI run, not settings: ``summarizer eval`` prints annotations and appends its
    report to ``$GITHUB_STEP_SUMMARY``.
    """
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    return os.environ.get("GITHUB_ACTIONS") == "true", Path(summary) if summary else None


def default_config_file() -> Path:
    """``summarizer/config.toml`` in the user config directory."""
    import platformdirs

    return Path(platformdirs.user_config_dir("summarizer")) / "config.toml"


def use_config_file(path: str | Path | None) -> None:
    """Read settings from ``path`` from now on (``--config``); ``None`` goes back to the default."""
    global _config_override
    _config_override = Path(path) if path is not None else None


def config_file() -> tuple[Path, str]:
    """The settings file and why: ``flag`` (``--config``), ``env`` (``$SUMMARIZER_CONFIG``) or ``default``."""
    if _config_override is not None:
        return _config_override, "flag"
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser(), "env"
    return default_config_file(), "default"


class _Layer(PydanticBaseSettingsSource):
    """Values already read (field name → value), handed to pydantic-settings as one source."""

    def __init__(self, settings_cls: type[BaseSettings], values: Mapping[str, Any]) -> None:
        super().__init__(settings_cls)
        self.values = dict(values)

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self.values)


class Settings(BaseSettings):
    """Everything that configures a run. Construct with keyword overrides."""

    model_config = SettingsConfigDict(env_prefix="SUMMARIZER_", extra="forbid", validate_assignment=True)

    model: str = Field("gpt-4o-mini", description="Model name sent to the server.")
    base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("base_url", "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible server URL (unset: OpenAI).",
    )
    api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("api_key", "SUMMARIZER_API_KEY", "OPENAI_API_KEY"),
        description="API key (not needed with a base URL or a local model); never printed.",
    )
    mode: Mode = Field(
        "tools", description="How answers are asked for: tools | json_schema | json | md_json."
    )
    timeout: float = Field(120.0, gt=0, description="Seconds per HTTP request.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
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
    cache: CacheMode = Field("read-write", description="Response cache: read-write | replay | off.")
    cache_path: Path | None = Field(
        None, description="Cache file (default: responses.sqlite in the user cache dir)."
    )
    max_chars: int = Field(200_000, gt=0, description="Longest article accepted, in characters.")
    concurrency: int = Field(4, ge=1, description="Articles in flight in a batch.")
    chunk_tokens: int = Field(
        3000, ge=64, description="Article tokens per extraction chunk; longer articles are split."
    )
    chunk_overlap: int = Field(100, ge=0, description="Tokens of sentences shared by neighbouring chunks.")
    strategy: Strategy = Field(
        "per_sentence",
        description="How the model is asked: passes (two whole-article passes) | triage (which sentences, "
        "then the passes) | per_sentence (which sentences, then one small question per sentence).",
    )
    check_min_meeting: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Drop meetings whose sentence the check gives a P(yes) under this (0: no check).",
    )
    check_min_agreement: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Drop agreements whose sentence the check gives a P(yes) under this (0: no check).",
    )
    context_window: int | None = Field(
        None, gt=0, description="Model context in tokens (default: local_ctx for a local model, else 128k)."
    )
    # Local model (llama-cpp-python server started by us).
    local_model: str | None = Field(None, description="GGUF path, hf:REPO/FILE, or 'test'.")
    local_ctx: int = Field(8192, ge=512, description="Context of the local model, in tokens.")
    local_threads: int | None = Field(
        None, ge=1, description="CPU threads of the local model (default: all cores)."
    )
    local_server_timeout: float = Field(
        900.0, gt=0, description="Seconds per request to the local model server."
    )
    price_per_mtok_in: float | None = Field(None, ge=0, description="USD per million prompt tokens.")
    price_per_mtok_out: float | None = Field(None, ge=0, description="USD per million completion tokens.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then env, ``.env`` and the settings file (read by :func:`read_layers`)."""
        layers = read_layers()
        return (init_settings, *(_Layer(settings_cls, layer.values) for layer in reversed(layers)))

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


# -- where values come from -------------------------------------------------------------
def environment_variables() -> dict[str, tuple[str, ...]]:
    """Field name → the environment variables that set it, the one that wins first."""
    out: dict[str, tuple[str, ...]] = {}
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else []
        names = tuple(c for c in choices if isinstance(c, str) and c.isupper())
        out[name] = names or (f"{_PREFIX}{name.upper()}",)
    return out


@dataclass(frozen=True)
class Layer:
    """One source's values (field name → raw value) and where each came from."""

    source: SettingSource
    location: str  # the file read, or "environment"
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # field → variable name or file
    unknown: tuple[str, ...] = ()  # names that set nothing


def _variables(source: SettingSource, location: str, variables: Mapping[str, str | None]) -> Layer:
    upper = {k.upper(): v for k, v in variables.items() if v is not None}
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    known: set[str] = set()
    for name, names in environment_variables().items():
        known.update(names)
        hit = next((n for n in names if n in upper), None)
        if hit is not None:
            values[name], origins[name] = upper[hit], hit
    unknown = tuple(sorted(k for k in upper if k.startswith(_PREFIX) and k not in known and k != CONFIG_ENV))
    if source == ".env" and CONFIG_ENV in upper:
        unknown += (f"{CONFIG_ENV} (read before .env: set it in the environment)",)
    return Layer(source, location, values, origins, unknown)


def _is_path(name: str) -> bool:
    annotation = Settings.model_fields[name].annotation
    return annotation is Path or Path in get_args(annotation)


def _file_layer() -> Layer:
    path, why = config_file()
    path = path.absolute()
    if not path.is_file():
        if why != "default":
            raise ValueError(f"settings file {path}: not found")
        return Layer("file", str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"settings file {path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"settings file {path}: not valid TOML: {exc}") from None
    unknown = sorted(k for k in data if k not in Settings.model_fields)
    if unknown:
        raise ValueError(
            f"settings file {path}: unknown setting {unknown[0]!r} (`summarizer config` lists them)"
        )
    for name, value in data.items():  # relative paths are relative to the file
        if _is_path(name) and isinstance(value, str):
            value = Path(value).expanduser()
            data[name] = value if value.is_absolute() else path.parent / value
    return Layer("file", str(path), data, {name: str(path) for name in data})


def read_layers() -> tuple[Layer, Layer, Layer]:
    """The settings file, ``./.env`` and the environment, lowest priority first."""
    from dotenv import dotenv_values

    dotenv = Path.cwd() / ".env"
    dotenv_vars = dotenv_values(dotenv) if dotenv.is_file() else {}
    return (
        _file_layer(),
        _variables(".env", str(dotenv), dotenv_vars),
        _variables("env", "environment", os.environ),
    )


def unknown_variables() -> list[str]:
    """``SUMMARIZER_*`` names in the environment or ``.env`` that set nothing (typos, mostly)."""
    return [f"{name} ({layer.source})" for layer in read_layers()[1:] for name in layer.unknown]


def redact(secret: SecretStr | str | None) -> str:
    """``unset``, ``set`` for a short value, else ``***`` and the last four characters."""
    if secret is None:
        return "unset"
    value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
    return f"***{value[-4:]}" if len(value) >= 16 else "set"


@dataclass(frozen=True)
class Setting:
    """One effective setting: its name, its value as shown (the key redacted) and its source."""

    name: str
    value: str
    source: SettingSource
    origin: str  # the variable, the file, the flag; "" for a default


def _shown(name: str, value: Any) -> str:
    if name == "api_key":
        return redact(value)
    return "unset" if value is None else str(value)


def explain(
    flags: Mapping[str, Any] | None = None, flag_names: Mapping[str, str] | None = None
) -> tuple[Settings, list[Setting]]:
    """The settings (with the non-``None`` ``flags`` applied) and where each value came from.

    ``flag_names`` maps a field to the flag that sets it (default ``--field-name``).
    """
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    flag_names = flag_names or {}
    settings = Settings().with_overrides(**flags)
    layers = read_layers()
    out = []
    for name in Settings.model_fields:
        source: SettingSource = "default"
        origin = ""
        if name in flags:
            source, origin = "flag", flag_names.get(name, "--" + name.replace("_", "-"))
        else:
            for layer in reversed(layers):
                if name in layer.values:
                    source, origin = layer.source, layer.origins[name]
                    break
        out.append(Setting(name, _shown(name, getattr(settings, name)), source, origin))
    return settings, out
