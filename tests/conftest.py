"""Shared fixtures. No test reaches the network: model calls go to a fake
OpenAI-compatible server on loopback (``summarizer.testing.FakeOpenAI``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer import Settings
from summarizer.testing import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "evals" / "articles"
REFERENCE = ARTICLES / "00_japan_russia_two_plus_two_2013.txt"

_ENV_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL")


_PROXY_AND_CI_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never see the developer's keys or settings; caches go to a temp dir."""
    import os

    for name in list(os.environ):
        if name.startswith("SUMMARIZER_") or name in _ENV_VARS:
            monkeypatch.delenv(name, raising=False)
    for name in _PROXY_AND_CI_VARS:  # a developer's proxy or CI runner must not reach the fake servers
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # no user settings file
    # Scripted replies answer the two whole-article passes; tests of the triage and
    # per-sentence strategies set the strategy themselves (tests/test_strategies.py).
    monkeypatch.setenv("SUMMARIZER_STRATEGY", "passes")


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(models=("fake-model",)) as server:
        yield server


@pytest.fixture
def settings(fake_openai: FakeOpenAI) -> Settings:
    return Settings(
        base_url=fake_openai.base_url,
        model="fake-model",
        cache="off",
        timeout=5,
        retry_max_wait=0.05,
        max_reasks=1,
    )


@pytest.fixture
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")
