"""The embedded local model: resolve a GGUF file and serve it with llama-cpp-python.

We start llama-cpp-python's OpenAI-compatible server on a free loopback port and
stop it when done, so the local model goes through exactly the same openai +
instructor + cache path as a hosted one, runs in its own process (its memory is
returned when it exits, a hung generation can be killed), and turns the forced
tool's JSON schema into a grammar (constrained decoding).

The server dies with the process that started it, however that process ends: it runs
under :mod:`summarizer.llm.launcher`, which watches a pipe only we hold open (see there),
in a process group of its own. If it dies during a request, the request fails with a
:class:`LocalModelError` naming its exit code or signal and the last line of its log.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import LocalModelError
from summarizer.llm import launcher
from summarizer.llm.launcher import exit_on_sigterm
from summarizer.llm.test_model import TEST_MODEL, fetch_test_model
from summarizer.settings import Settings

__all__ = [
    "HF_DEFAULT",
    "LocalServer",
    "exit_on_sigterm",
    "exit_status",
    "model_alias",
    "replay_overrides",
    "resolve_model",
]


HF_DEFAULT = "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf"


def resolve_model(spec: str) -> Path:
    """``test`` (the pinned test model), ``hf:REPO/FILE`` or a path to a ``.gguf`` file."""
    if spec in ("test", "default-test"):
        path = TEST_MODEL.path()
        if not path.is_file():
            fetch_test_model()
        return path
    if spec.startswith("hf:"):
        repo_file = spec[3:]
        repo, _, filename = repo_file.rpartition("/")
        if not repo or not filename:
            raise LocalModelError(f"expected hf:OWNER/REPO/FILE.gguf, got {spec!r}")
        try:
            from huggingface_hub import hf_hub_download
        except ImportError:
            raise LocalModelError(
                "hf: models need huggingface_hub: pip install 'summarizer[local]'"
            ) from None
        try:
            return Path(hf_hub_download(repo_id=repo, filename=filename))
        except Exception as exc:  # network, auth, missing file: all one line for the user
            raise LocalModelError(f"cannot download {spec}: {type(exc).__name__}: {exc}") from None
    path = Path(spec).expanduser()
    if not path.is_file():
        raise LocalModelError(f"local model file not found: {path}")
    with path.open("rb") as fh:
        if fh.read(4) != b"GGUF":
            raise LocalModelError(f"{path} is not a GGUF model file")
    return path


def model_alias(spec: str) -> str:
    """The model name a local model is served (and cached) under: its file stem."""
    if spec in ("test", "default-test"):
        return Path(TEST_MODEL.filename).stem
    return Path(spec.split("/")[-1]).stem


def replay_overrides(spec: str) -> dict[str, Any]:
    """Settings for replaying a local model's recorded answers without starting it."""
    return {"base_url": "http://127.0.0.1:9/v1", "model": model_alias(spec), "mode": "tools"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def available_memory() -> int | None:
    """Bytes of memory available now (Linux), or ``None`` when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def exit_status(returncode: int) -> str:
    """``exit code 1`` or ``signal SIGSEGV`` for a :class:`subprocess.Popen` return code."""
    if returncode >= 0:
        return f"exit code {returncode}"
    try:
        return f"signal {signal.Signals(-returncode).name}"
    except ValueError:
        return f"signal {-returncode}"


@dataclass
class LocalServer:
    """A llama-cpp-python server process serving one GGUF model on loopback.

    ``server_command`` replaces llama.cpp's server (tests: a stand-in); ``{port}`` in it is
    replaced by the port to serve on.
    """

    model_path: Path
    n_ctx: int = 8192
    n_threads: int | None = None
    startup_timeout: float = 180.0
    alias: str = "local"
    request_timeout: float = 900.0
    server_command: Sequence[str] | None = None
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _lifeline: int | None = field(default=None, init=False, repr=False)
    _log: Any = field(default=None, init=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalServer:
        _require_llama_cpp()
        path = resolve_model(settings.local_model or "test")
        return cls(
            model_path=path,
            n_ctx=settings.local_ctx,
            n_threads=settings.local_threads,
            alias=model_alias(str(path)),
            request_timeout=settings.local_server_timeout,
        )

    def command(self, port: int) -> list[str]:
        if self.server_command is not None:
            return [arg.replace("{port}", str(port)) for arg in self.server_command]
        threads = self.n_threads or max(1, os.cpu_count() or 1)
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model_path),
            "--model_alias",
            self.alias,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            str(self.n_ctx),
            "--n_threads",
            str(threads),
            "--n_threads_batch",
            str(threads),
            "--verbose",
            "False",
        ]

    def start(self) -> dict[str, Any]:
        """Start the server; returns the settings overrides that point the client at it."""
        need = self.model_path.stat().st_size + self.n_ctx * 30_000
        free = available_memory()
        if free is not None and free < need:
            raise LocalModelError(
                f"not enough memory for {self.model_path.name}: {free / 2**30:.1f} GiB available, "
                f"about {need / 2**30:.1f} GiB needed (lower --local-ctx or free memory)"
            )
        port = _free_port()
        self._launch(self.command(port))
        try:
            base_url = self._wait_ready(port)
        except BaseException:
            self.stop()
            raise
        # A client time-out does not stop the server generating: never retry one.
        return {
            "base_url": base_url,
            "model": self.alias,
            "mode": "tools",
            "max_transport_retries": 0,
            "timeout": self.request_timeout,
        }

    def _wait_ready(self, port: int) -> str:
        """The server's base URL once it answers ``GET /v1/models``."""
        assert self._proc is not None
        from summarizer.llm.http import httpx  # not at import: httpx takes ~0.1 s to import

        base_url = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                status = exit_status(self._proc.returncode)
                raise LocalModelError(f"local model server exited ({status}): {self._tail()}")
            try:  # our own loopback server: never through a proxy
                if httpx.get(f"{base_url}/models", timeout=2, trust_env=False).status_code == 200:
                    return base_url
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise LocalModelError(f"local model server did not start within {self.startup_timeout:.0f}s")

    def _launch(self, command: list[str]) -> None:
        """Start ``command`` under the launcher, holding the only write end of its lifeline pipe."""
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        if os.name != "posix":  # pragma: no cover - no pipe watching: stopped by stop() only
            self._proc = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
            return
        read_end, self._lifeline = os.pipe()  # not inherited by other children (PEP 446)
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", launcher.__file__, str(read_end), *command],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                pass_fds=(read_end,),
                start_new_session=True,  # its own process group: a terminal's Ctrl-C goes to us only
            )
        except BaseException:
            os.close(self._lifeline)
            self._lifeline = None
            raise
        finally:
            os.close(read_end)

    @property
    def pid(self) -> int | None:
        """The process id of the launcher (the server's parent), while it runs."""
        return self._proc.pid if self._proc is not None else None

    def exited(self, wait: float = 0.0) -> LocalModelError | None:
        """The error to report if the server has exited (waiting up to ``wait`` seconds for it
        to finish dying, after a dropped connection); ``None`` while it runs."""
        if self._proc is None:
            return None
        try:
            returncode = self._proc.wait(timeout=wait) if wait > 0 else self._proc.poll()
        except subprocess.TimeoutExpired:
            return None
        if returncode is None:
            return None
        return LocalModelError(
            f"the local model server exited ({exit_status(returncode)}) during a request; "
            f"its last log line: {self._tail()}"
        )

    def _tail(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:300] if lines else "no output"

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and wait for it; safe to call twice."""
        proc, self._proc = self._proc, None
        if self._lifeline is not None:
            os.close(self._lifeline)  # EOF: the launcher stops the server and exits
            self._lifeline = None
        if proc is not None and proc.poll() is None:
            if os.name != "posix":  # pragma: no cover
                proc.terminate()
            try:
                proc.wait(timeout=launcher.GRACE + 5)
            except subprocess.TimeoutExpired:
                if os.name == "posix":  # the launcher is alive, so its group id is still ours
                    os.killpg(proc.pid, signal.SIGKILL)
                else:  # pragma: no cover
                    proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


def _require_llama_cpp() -> None:
    """The server runs in a child process: check it is installed without importing it here."""
    import importlib.util

    for module in ("llama_cpp", "fastapi", "uvicorn"):
        if importlib.util.find_spec(module) is None:
            raise LocalModelError(
                "the local backend needs llama-cpp-python with its server: pip install 'summarizer[local]'"
            )
