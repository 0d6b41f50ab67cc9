"""The local model server's lifetime and crashes, with a stand-in server instead of llama.cpp.

The stand-in (written below) serves ``GET /v1/models`` on loopback like llama-cpp-python's
server and, depending on its mode, answers chat requests, hangs, or dies in the middle of
one (a segfault or an exit code) after logging a line. These tests test *our* process
handling (:class:`summarizer.llm.local.LocalServer`, its launcher, the CLI), never a model.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REFERENCE
from pydantic import BaseModel

from summarizer import LocalModelError, Settings, Summarizer
from summarizer.llm import connect as connect_mod
from summarizer.llm.connect import connect
from summarizer.llm.local import LocalServer

STANDIN = r"""
import json, os, signal, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

port, pidfile, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(pidfile, "w") as fh:
    fh.write(str(os.getpid()))
print("stand-in: loading model", flush=True)
if mode == "fail-start":
    print("stand-in: error: unsupported model architecture", flush=True)
    sys.exit(2)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _json(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._json({"object": "list", "data": [{"id": "stand-in", "object": "model"}]})

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        if mode == "hang":
            time.sleep(600)
        if mode in ("segv", "exit"):
            print("ggml_compute_forward_mul_mat: AMX kernel fault", file=sys.stderr, flush=True)
            if mode == "segv":
                os.kill(os.getpid(), signal.SIGSEGV)
            os._exit(7)
        name = request["tool_choice"]["function"]["name"]
        call = {"id": "c1", "type": "function", "function": {"name": name, "arguments": '{"title": "x"}'}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
        self._json({
            "id": "x", "object": "chat.completion", "created": 0, "model": request["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })


print("stand-in: listening", flush=True)
HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""

# A process that starts a stand-in LocalServer, prints the launcher's pid, then waits to be killed.
PARENT = r"""
import sys, threading, time
from pathlib import Path
from summarizer.llm.local import LocalServer, exit_on_sigterm

standin, pidfile, model, how = sys.argv[1:5]
if how == "clean":
    exit_on_sigterm()
server = LocalServer(Path(model), server_command=[sys.executable, standin, "{port}", pidfile, "serve"],
                     startup_timeout=30)
if how == "thread":  # started by a worker thread that then ends: the server must live on
    worker = threading.Thread(target=server.start)
    worker.start()
    worker.join()
else:
    server.start()
try:
    print(server.pid, flush=True)
    time.sleep(120)
finally:
    server.stop()
    print("stopped", flush=True)
"""

# The CLI with a stand-in instead of llama.cpp's server (``--local`` resolves to it).
CLI = r"""
import sys
from pathlib import Path
from summarizer.llm import local
from summarizer.cli.main import main

standin, pidfile, model, mode = sys.argv[1:5]
local.LocalServer.from_settings = classmethod(lambda cls, settings: cls(
    Path(model), alias="stand-in", startup_timeout=30,
    server_command=[sys.executable, standin, "{port}", pidfile, mode]))
sys.argv = ["summarizer", *sys.argv[5:]]
main()
"""


class Answer(BaseModel):
    title: str


@pytest.fixture
def standin(tmp_path: Path) -> Path:
    path = tmp_path / "standin_server.py"
    path.write_text(STANDIN, encoding="utf-8")
    return path


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "stand-in.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 16)
    return path


@pytest.fixture
def pidfile(tmp_path: Path) -> Iterator[Path]:
    """Where the stand-in writes its pid; a stand-in a failed test left running is killed."""
    path = tmp_path / "server.pid"
    yield path
    if path.exists() and _alive(int(path.read_text())):
        os.kill(int(path.read_text()), signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def _server_pid(pidfile: Path) -> int:
    deadline = time.monotonic() + 30
    while not (pidfile.exists() and pidfile.read_text()):
        assert time.monotonic() < deadline, "the stand-in never started"
        time.sleep(0.05)
    return int(pidfile.read_text())


def _stand_in(standin: Path, pidfile: Path, model: Path, mode: str) -> LocalServer:
    return LocalServer(
        model,
        alias="stand-in",
        startup_timeout=30,
        server_command=[sys.executable, str(standin), "{port}", str(pidfile), mode],
    )


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="Linux only: finds the server process through /proc"
)
@pytest.mark.parametrize(
    ("how", "sig", "returncode"),
    [
        ("clean", signal.SIGTERM, 143),  # SIGTERM as a clean exit (the CLI): stop() runs
        ("plain", signal.SIGTERM, -signal.SIGTERM),  # no handler: the process just dies
        ("plain", signal.SIGKILL, -signal.SIGKILL),
        ("thread", signal.SIGKILL, -signal.SIGKILL),
    ],
)
def test_stand_in_server_dies_with_its_parent(
    standin: Path, model_file: Path, pidfile: Path, how: str, sig: int, returncode: int
) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(standin), str(pidfile), str(model_file), how],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None
        launcher_pid = int(parent.stdout.readline())
        server_pid = _server_pid(pidfile)
        time.sleep(0.3)  # a thread that started it has ended by now
        assert _alive(server_pid) and _alive(launcher_pid)
        parent.send_signal(sig)
        out, _ = parent.communicate(timeout=30)
    finally:
        if parent.poll() is None:
            parent.kill()
    assert parent.returncode == returncode
    assert ("stopped" in out) == (how == "clean")
    assert _gone_within([server_pid, launcher_pid], 5), "the local server outlived its parent"


def test_stop_ends_server_and_launcher(standin: Path, model_file: Path, pidfile: Path) -> None:
    server = _stand_in(standin, pidfile, model_file, "serve")
    server.start()
    launcher_pid, server_pid = server.pid, _server_pid(pidfile)
    assert launcher_pid is not None and _alive(server_pid)
    server.stop()
    assert not _alive(server_pid) and not _alive(launcher_pid)
    server.stop()  # twice is fine


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only: PR_SET_PDEATHSIG and /proc")
def test_server_dies_with_a_killed_launcher(standin: Path, model_file: Path, pidfile: Path) -> None:
    server = _stand_in(standin, pidfile, model_file, "serve")
    server.start()
    assert server.pid is not None
    server_pid = _server_pid(pidfile)
    os.kill(server.pid, signal.SIGKILL)
    assert _gone_within([server_pid], 5)
    error = server.exited(wait=5)
    assert error is not None and "(signal SIGKILL)" in str(error)
    server.stop()


def test_start_failure_names_exit_code_and_last_log_line(
    standin: Path, model_file: Path, pidfile: Path
) -> None:
    server = _stand_in(standin, pidfile, model_file, "fail-start")
    with pytest.raises(LocalModelError) as info:
        server.start()
    assert str(info.value) == (
        "local model server exited (exit code 2): stand-in: error: unsupported model architecture"
    )


def _patch_from_settings(monkeypatch: pytest.MonkeyPatch, make: LocalServer) -> None:
    monkeypatch.setattr(connect_mod.LocalServer, "from_settings", classmethod(lambda cls, settings: make))


def test_crash_mid_request_is_a_local_model_error_with_stand_in_server(
    standin: Path, model_file: Path, pidfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _patch_from_settings(monkeypatch, _stand_in(standin, pidfile, model_file, "exit"))
    summarizer = Summarizer(Settings(local_model="test", cache="off"))
    with summarizer, pytest.raises(LocalModelError) as info:
        summarizer.summarize(REFERENCE.read_text(encoding="utf-8"))
    assert str(info.value) == (
        "the local model server exited (exit code 7) during a request; "
        "its last log line: ggml_compute_forward_mul_mat: AMX kernel fault"
    )


def test_local_server_is_never_proxied_with_stand_in_server(
    standin: Path, model_file: Path, pidfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY (here a port nobody listens on) is not used for our own loopback server."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    for name in list(os.environ):
        if name.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{dead}")
    monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{dead}")
    _patch_from_settings(monkeypatch, _stand_in(standin, pidfile, model_file, "serve"))
    connection = connect(Settings(local_model="test", cache="off"))
    try:
        answer = connection.llm.extract(Answer, [{"role": "user", "content": "x"}], context={})
    finally:
        connection.close()
    assert answer.title == "x"


def _cli(standin: Path, pidfile: Path, model: Path, mode: str, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env["SUMMARIZER_CACHE"] = "off"
    return subprocess.Popen(
        [sys.executable, "-c", CLI, str(standin), str(pidfile), str(model), mode, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_cli_crash_mid_request_exits_3_with_stand_in_server(
    standin: Path, model_file: Path, pidfile: Path
) -> None:
    proc = _cli(standin, pidfile, model_file, "segv", "summarize", str(REFERENCE), "--local", "test")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err
    assert err.strip() == (
        "error: the local model server exited (signal SIGSEGV) during a request; "
        "its last log line: ggml_compute_forward_mul_mat: AMX kernel fault"
    )


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="Linux only: finds the server process through /proc"
)
def test_cli_sigterm_stops_stand_in_server(standin: Path, model_file: Path, pidfile: Path) -> None:
    proc = _cli(standin, pidfile, model_file, "hang", "summarize", str(REFERENCE), "--local", "test")
    try:
        server_pid = _server_pid(pidfile)
        time.sleep(2)  # the CLI is now waiting on its first (hanging) request
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, err  # a clean exit: clean-up ran
    assert "Traceback" not in err
    assert _gone_within([server_pid], 5)
