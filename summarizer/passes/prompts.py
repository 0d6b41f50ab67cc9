"""Prompt templates as data: Jinja2 files with a YAML front-matter header.

A template starts with ``---``, YAML keys ``name``, ``schema`` and
``version_notes``, ``---``, then the Jinja2 body. Rendering fails loudly on a
missing variable. Each template's content hash goes into the result's provenance.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from summarizer.errors import PromptError

__all__ = ["PromptTemplate", "build_messages", "load_prompt", "prompts_dir"]

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)


@lru_cache(maxsize=1)
def prompts_dir() -> Path:
    """Installed wheels carry ``summarizer/prompts``; a checkout has top-level ``prompts/``."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "prompts", package.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise PromptError(f"prompt templates not found next to {package}")


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    schema: str
    version_notes: str
    body: str
    content_hash: str

    def render(self, **variables: Any) -> str:
        try:
            return _compile(self.body).render(**variables).strip()
        except jinja2.UndefinedError as exc:
            raise PromptError(f"prompt {self.name!r}: missing variable: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise PromptError(f"prompt {self.name!r}: {exc}") from None


@lru_cache(maxsize=64)
def _compile(body: str) -> jinja2.Template:
    return _ENV.from_string(body)


@lru_cache(maxsize=64)
def _load(path: Path) -> PromptTemplate:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"cannot read prompt {path}: {exc.strerror or exc}") from None
    if not raw.startswith("---\n"):
        raise PromptError(f"{path}: missing front-matter header (---)")
    try:
        header_text, body = raw[4:].split("\n---\n", 1)
        header = yaml.safe_load(header_text) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise PromptError(f"{path}: bad front-matter header: {exc}") from None
    missing = {"name", "schema"} - set(header)
    if missing:
        raise PromptError(f"{path}: front matter lacks {sorted(missing)}")
    return PromptTemplate(
        name=str(header["name"]),
        schema=str(header["schema"]),
        version_notes=str(header.get("version_notes", "")).strip(),
        body=body,
        content_hash=hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12],
    )


def load_prompt(name: str, directory: Path | None = None) -> PromptTemplate:
    path = (directory or prompts_dir()) / f"{name}.j2"
    if not path.is_file():
        raise PromptError(f"no prompt template {name!r} in {path.parent}")
    return _load(path)


_TAG = re.compile(r"<\s*(/?)\s*article\b[^>]*>", re.IGNORECASE)


def fence(text: str) -> str:
    """Keep the article inside its fence: any ``<article>`` tag in the text is defused."""
    if "<" not in text:  # most sentences: skip the regex
        return text
    return _TAG.sub(lambda m: f"< {m.group(1)}article>", text)


def build_messages(
    task: str,
    sentences: list[str],
    published: date | None,
    directory: Path | None = None,
    *,
    focus: list[int] | None = None,
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Messages for one pass and ``{template name: content hash}`` of what was used.

    The article goes in as numbered sentences. The system prompt is shared and the
    article comes before the task text, so a server with prompt caching reuses the
    evaluated prefix across passes.
    """
    system = load_prompt("system", directory)
    user = load_prompt(task, directory)
    messages = [
        {"role": "system", "content": system.render()},
        {
            "role": "user",
            "content": user.render(
                published=published.isoformat() if published else None,
                sentences=[fence(" ".join(s.split())) for s in sentences],
                focus=focus or [],
            ),
        },
    ]
    return messages, {system.name: system.content_hash, user.name: user.content_hash}
