"""Settings and the command line: ``log_level`` from a ``--config`` file; no settings at start-up.

Logging is configured by the root callback, from the environment and the default settings
file; a file named by ``--config`` is only known once the root options are parsed, and its
``log_level`` must be applied then (``-q`` / ``-v`` still win). ``--help`` and ``--version``
end before any callback runs and never import the settings (pydantic-settings) or httpx.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from summarizer import settings
from summarizer.cli import config
from summarizer.cli._common import CACHE_MODES, MODES
from summarizer.cli.main import app, asks_for_help
from summarizer.settings import use_config_file


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root, instructor = logging.getLogger(), logging.getLogger("instructor")
    levels = root.level, instructor.level
    yield
    root.setLevel(levels[0])
    instructor.setLevel(levels[1])
    use_config_file(None)


def _settings_file(tmp_path: Path, level: str) -> Path:
    path = tmp_path / "conf.toml"
    path.write_text(f'log_level = "{level}"\n', encoding="utf-8")
    return path


def test_log_level_from_the_config_file_is_applied(tmp_path: Path) -> None:
    logging.getLogger().setLevel(logging.WARNING)
    conf = _settings_file(tmp_path, "DEBUG")
    result = CliRunner().invoke(app, ["--config", str(conf), "config", "--json"])
    assert result.exit_code == 0, result.output
    assert logging.getLogger().level == logging.DEBUG
    assert logging.getLogger("instructor").level == logging.NOTSET  # a level was asked for


@pytest.mark.parametrize(("flags", "expected"), [(["-q"], logging.WARNING), (["-v"], logging.INFO)])
def test_quiet_and_verbose_win_over_the_config_file(tmp_path: Path, flags: list[str], expected: int) -> None:
    conf = _settings_file(tmp_path, "DEBUG")
    result = CliRunner().invoke(app, [*flags, "--config", str(conf), "config", "--json"])
    assert result.exit_code == 0, result.output
    assert logging.getLogger().level == expected


def test_log_level_from_the_config_file_reaches_a_real_run(tmp_path: Path) -> None:
    """End to end, in a fresh process: the level is in force when the command runs."""
    conf = _settings_file(tmp_path, "INFO")
    code = (
        "import logging, sys\n"
        "from summarizer.cli import main as m\n"
        "@m.app.command('probe')\n"
        "def probe() -> None:\n"
        "    print(logging.getLevelName(logging.getLogger().getEffectiveLevel()))\n"
        f"sys.argv = ['summarizer', '--config', {str(conf)!r}, 'probe']\n"
        "m.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "INFO"


def test_the_command_line_spells_the_settings_values_as_the_settings_do() -> None:
    assert get_args(settings.Mode) == MODES
    assert get_args(settings.CacheMode) == CACHE_MODES
    assert settings.CONFIG_ENV == config.CONFIG_ENV


def _loaded_by(*argv: str) -> list[str]:
    code = (
        "import json, sys\n"
        f"sys.argv = ['summarizer', *{list(argv)!r}]\n"
        "from summarizer.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('summarizer.settings', 'pydantic', 'pydantic_settings', 'httpx', 'httpx2', 'openai')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return list(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_and_version_load_no_settings_and_no_http_client() -> None:
    assert _loaded_by("--help") == []
    assert _loaded_by("--version") == []
    # A sub-command's help: the root callback runs (typer itself may load pydantic there).
    assert set(_loaded_by("schema", "--help")) <= {"pydantic"}
    assert set(_loaded_by("-q", "schema", "-h")) <= {"pydantic"}
    assert "summarizer.settings" in _loaded_by("schema")  # a command that runs sets up logging


def test_help_is_an_option_only_before_a_double_dash() -> None:
    assert asks_for_help(["summarize", "--help"]) and asks_for_help(["-h"])
    assert not asks_for_help(["summarize", "--", "-h"]) and not asks_for_help(["summarize", "a.txt"])
