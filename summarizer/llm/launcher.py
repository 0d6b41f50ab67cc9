"""Runs the local model server as our child, and ends it when the process that started us ends.

``python -I launcher.py FD COMMAND...`` (standard library only: it is run as a script,
without importing the package). FD is the read end of a pipe whose write end only the
starting process holds: end of file on it means that process is gone, whatever ended it
(a clean exit, SIGTERM, SIGKILL, a crash), or that it asked us to stop by closing it. The
server is then terminated (killed after :data:`GRACE` seconds). The server also gets
``PR_SET_PDEATHSIG`` (Linux) in case this launcher itself is killed. We exit as the server
did: with its exit code, or by the same signal, so the starting process can report it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

GRACE = 5.0  # seconds between SIGTERM and SIGKILL of the server
_PR_SET_PDEATHSIG = 1


def _die_with_launcher(launcher: int) -> None:
    """In the server child before exec: SIGKILL when the launcher dies (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes  # here: the command line imports this module for exit_on_sigterm

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != launcher:  # the launcher died before prctl took effect
            os._exit(1)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM now, SIGKILL in :data:`GRACE` seconds if it still runs; the main thread reaps it."""
    server.terminate()
    timer = threading.Timer(GRACE, server.kill)
    timer.daemon = True
    timer.start()


def _watch(fd: int, server: subprocess.Popen[bytes]) -> None:
    """Block until the pipe's write end is closed everywhere, then stop the server."""
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass
    _stop(server)


def _exit_like(returncode: int) -> None:
    """Exit with the server's code, or die by the signal that ended it (no core file)."""
    if returncode >= 0:
        sys.exit(returncode)
    sig = -returncode
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, OSError, ValueError):
        pass
    signal.signal(sig, signal.SIG_DFL)
    os.kill(os.getpid(), sig)
    sys.exit(128 + sig)  # a signal that does not end a process (should not happen)


def exit_on_sigterm() -> None:
    """Make SIGTERM a normal exit (status 143) of the main thread, so that ``finally`` blocks
    and context managers run: the CLI calls it, and a local server is stopped cleanly.
    Does nothing outside the main thread (only it may set signal handlers).

    Here rather than in :mod:`summarizer.llm.local` (which re-exports it): this module is
    standard library only, so the command line sets the handler without importing httpx."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


def main(argv: list[str]) -> None:
    fd, command = int(argv[0]), argv[1:]
    me = os.getpid()
    server = subprocess.Popen(command, preexec_fn=lambda: _die_with_launcher(me))
    # SIGTERM / SIGINT sent to us (or to our process group) stop the server the same way.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: _stop(server))
    threading.Thread(target=_watch, args=(fd, server), daemon=True).start()
    _exit_like(server.wait())


if __name__ == "__main__":
    main(sys.argv[1:])
