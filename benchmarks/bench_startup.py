"""Start-up time of the command line and of ``import summarizer``.

Method: each command runs in a fresh subprocess (the venv's ``summarizer`` script and Python,
``PYTHONDONTWRITEBYTECODE`` unset so the bytecode cache is used, as an installed package is);
wall time from ``subprocess.run`` to exit, after 2 warm-up runs; median and p95 over the runs,
and the median CPU time (user + system, of the child: less inflated by other work on the machine).
``--version`` is measured only when the command line has it. Also listed: whether the heavy
modules (openai, instructor, pandas, numpy, httpx, pydantic-settings) are imported by
``import summarizer`` and the CLI module.

Usage: python benchmarks/bench_startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, stats_ms, write_result

BIN = Path(sys.executable).parent
SCRIPT = BIN / "summarizer"
HEAVY = ("openai", "instructor", "pandas", "numpy", "httpx", "pydantic_settings")
TARGET_MS = 300.0


def commands() -> dict[str, list[str]]:
    out = {
        "summarizer --help": [str(SCRIPT), "--help"],
        "summarizer schema --help": [str(SCRIPT), "schema", "--help"],
        'python -c "import summarizer"': [sys.executable, "-c", "import summarizer"],
        'python -c "import summarizer.cli.main"': [sys.executable, "-c", "import summarizer.cli.main"],
        'python -c "pass" (interpreter alone)': [sys.executable, "-c", "pass"],
    }
    probe = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, cwd=ROOT)
    if probe.returncode == 0:
        out = {"summarizer --version": [str(SCRIPT), "--version"], **out}
    return out


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_runs(argv: list[str], runs: int, warmup: int = 2) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each measured run."""
    wall, cpu = [], []
    for i in range(warmup + runs):
        c0 = _child_cpu()
        t0 = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, cwd=ROOT)
        elapsed = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-300:]}")
        if i >= warmup:
            wall.append(elapsed)
            cpu.append(_child_cpu() - c0)
    return wall, cpu


def heavy_modules(module: str) -> list[str]:
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return done.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rows = []
    for label, argv in commands().items():
        wall, cpu = time_runs(argv, args.runs)
        median, p95 = stats_ms(wall)
        cpu_ms = statistics.median(cpu) * 1000
        mark = "" if "interpreter" in label else (" ✓" if median < TARGET_MS else " ✗")
        rows.append(f"| `{label}` | {median:.0f}{mark} | {p95:.0f} | {cpu_ms:.0f} |")
        print(f"{label}: median {median:.0f} ms, p95 {p95:.0f} ms, CPU {cpu_ms:.0f} ms", flush=True)
    heavy = {m: heavy_modules(m) for m in ("summarizer", "summarizer.cli.main")}
    body = (
        f"{args.runs} runs per command after 2 warm-up runs, each a fresh subprocess; wall time, ms. "
        f"Target: median under {TARGET_MS:.0f} ms (✓ / ✗).\n\n"
        "| command | median ms | p95 ms | CPU ms (median) |\n| --- | ---: | ---: | ---: |\n"
        + "\n".join(rows)
        + "\n\nHeavy modules imported ("
        + ", ".join(HEAVY)
        + "): "
        + "; ".join(f"`import {m}`: {', '.join(found) or 'none'}" for m, found in heavy.items())
        + ".\n"
    )
    path = write_result(
        "startup", "Start-up time", f"python benchmarks/bench_startup.py --runs {args.runs}", body
    )
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
