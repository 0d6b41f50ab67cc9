"""Settings from defaults, a TOML file, ``.env``, the environment and flags; ``summarizer config``.

Every test runs in a temp working directory (its ``.env``) with a temp user config dir,
so no developer file is read.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from summarizer import Settings
from summarizer.settings import (
    CONFIG_ENV,
    default_config_file,
    environment_variables,
    explain,
    redact,
    unknown_variables,
    use_config_file,
)

CANARY = "sk-canary-config-5e8b1d0a77"
NEEDLES = (CANARY, CANARY[:-4])  # the whole key, and all of it but the four characters shown


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("SUMMARIZER_STRATEGY", raising=False)  # conftest's; these tests want defaults
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    use_config_file(None)
    yield
    use_config_file(None)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def sources() -> dict[str, tuple[str, str, str]]:
    return {s.name: (s.value, s.source, s.origin) for s in explain()[1]}


def test_each_layer_overrides_the_one_below(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Settings().timeout == 120.0 and sources()["timeout"] == ("120.0", "default", "")
    default_file = write(default_config_file(), "timeout = 10\nmodel = 'file-model'\nmax_reasks = 5\n")
    assert default_file.is_relative_to(tmp_path / "xdg-config")
    assert Settings().timeout == 10 and sources()["timeout"] == ("10.0", "file", str(default_file))
    write(Path(".env"), "SUMMARIZER_TIMEOUT=20\nSUMMARIZER_MODEL=dotenv-model\n")
    assert Settings().timeout == 20 and sources()["timeout"][1:] == (".env", "SUMMARIZER_TIMEOUT")
    monkeypatch.setenv("SUMMARIZER_TIMEOUT", "30")
    assert Settings().timeout == 30 and sources()["timeout"][1:] == ("env", "SUMMARIZER_TIMEOUT")
    settings, rows = explain({"timeout": 40.0, "model": None})
    assert settings.timeout == 40 and next(r for r in rows if r.name == "timeout").source == "flag"
    # each field from its own highest layer
    assert (settings.model, settings.max_reasks) == ("dotenv-model", 5)
    assert sources()["max_reasks"][1] == "file" and sources()["model"][1] == ".env"
    # the public behaviour stays: keyword overrides beat every layer, with_overrides beats those
    assert Settings(timeout=50).timeout == 50 and Settings(timeout=50).model == "dotenv-model"
    assert Settings().with_overrides(timeout=60, model=None).timeout == 60


def test_config_file_named_by_flag_beats_env_beats_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write(default_config_file(), "model = 'default-file'\n")
    named = write(tmp_path / "named.toml", "model = 'named-file'\n")
    flagged = write(tmp_path / "flagged.toml", "model = 'flag-file'\n")
    monkeypatch.setenv(CONFIG_ENV, str(named))
    assert Settings().model == "named-file"
    use_config_file(flagged)
    assert Settings().model == "flag-file"
    use_config_file(None)
    monkeypatch.delenv(CONFIG_ENV)
    assert Settings().model == "default-file"


def test_config_file_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    use_config_file(
        write(tmp_path / "conf" / "s.toml", "cache_path = 'cache/r.sqlite'\nprompts_dir = '/abs'\n")
    )
    settings = Settings()
    assert settings.cache_path == tmp_path / "conf" / "cache" / "r.sqlite"
    assert settings.prompts_dir == Path("/abs")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "not found"),
        ("model = \n", "not valid TOML"),
        ("modle = 'x'\n", "unknown setting 'modle'"),
    ],
)
def test_bad_config_file_is_one_clear_error(tmp_path: Path, content: str | None, needle: str) -> None:
    path = tmp_path / "bad.toml"
    if content is not None:
        write(path, content)
    use_config_file(path)
    with pytest.raises(ValueError, match=needle) as info:
        Settings()
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_a_missing_default_config_file_is_fine() -> None:
    assert not default_config_file().exists()
    assert Settings().model == "gpt-4o-mini"


def test_api_key_aliases_and_redaction(monkeypatch: pytest.MonkeyPatch) -> None:
    write(Path(".env"), f"OPENAI_API_KEY={CANARY}\n")
    row = sources()["api_key"]
    assert row == ("***" + CANARY[-4:], ".env", "OPENAI_API_KEY")
    monkeypatch.setenv("SUMMARIZER_API_KEY", "sk-env-only-0000111122223333")
    assert sources()["api_key"] == ("***3333", "env", "SUMMARIZER_API_KEY")
    assert redact(None) == "unset" and redact("short") == "set" and redact(CANARY) == "***" + CANARY[-4:]


def test_unknown_summarizer_variables_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    write(Path(".env"), "SUMMARIZER_MODLE=x\nOTHER_TOOL=1\n")
    monkeypatch.setenv("SUMMARIZER_TIMEOUTT", "3")
    assert unknown_variables() == ["SUMMARIZER_MODLE (.env)", "SUMMARIZER_TIMEOUTT (env)"]
    assert Settings().model == "gpt-4o-mini"


def test_every_environment_variable_sets_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    names = environment_variables()
    assert set(names) == set(Settings.model_fields)
    assert names["api_key"] == ("SUMMARIZER_API_KEY", "OPENAI_API_KEY")
    assert names["base_url"] == ("SUMMARIZER_BASE_URL", "OPENAI_BASE_URL")
    for field, variables in names.items():
        default = Settings.model_fields[field].default  # a valid value; "7" where there is none
        value = {"base_url": "http://localhost:1/v1"}.get(field, "7" if default is None else str(default))
        for variable in variables:
            monkeypatch.setenv(variable, value)
            assert sources()[field][1:] == ("env", variable), variable
            monkeypatch.delenv(variable)


def test_readme_lists_every_environment_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`((?:SUMMARIZER|OPENAI)_[A-Z_]+)`", readme))
    wanted = {v for names in environment_variables().values() for v in names} | {CONFIG_ENV}
    assert sorted(wanted - listed) == []


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=120,
    )


def test_cli_config_shows_sources_and_never_the_key(tmp_path: Path) -> None:
    work = Path.cwd()
    write(work / ".env", "SUMMARIZER_MAX_REASKS=3\nSUMMARIZER_MODLE=typo\n")
    conf = write(tmp_path / "conf.toml", f"model = 'file-model'\napi_key = '{CANARY}'\ntimeout = 12\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "SUMMARIZER_TIMEOUT": "15"}
    proc = cli("--config", str(conf), "config", "--max-tokens", "77", "--local", env=env, cwd=work)
    assert proc.returncode == 0, proc.stderr
    for needle in NEEDLES:
        assert needle not in proc.stdout + proc.stderr
    rows = {line.split()[0]: line.split()[1:] for line in proc.stdout.splitlines()[3:] if line.strip()}
    assert rows["model"] == ["file-model", "file", str(conf)]
    assert rows["api_key"] == ["***" + CANARY[-4:], "file", str(conf)]
    assert rows["timeout"] == ["15.0", "env", "SUMMARIZER_TIMEOUT"]
    assert rows["max_reasks"] == ["3", ".env", "SUMMARIZER_MAX_REASKS"]
    assert rows["max_tokens"] == ["77", "flag", "--max-tokens"]
    assert rows["local_model"] == ["test", "flag", "--local"]
    assert rows["mode"] == ["tools", "default"]
    assert set(rows) == set(Settings.model_fields)
    assert proc.stdout.splitlines()[0] == f"settings file: {conf} (--config)"
    assert proc.stderr.strip() == "ignored: SUMMARIZER_MODLE (.env) is not a setting"

    env[CONFIG_ENV] = str(conf)
    env["OPENAI_API_KEY"] = CANARY + "-env"
    proc = cli("config", "--json", env=env, cwd=work)
    data = {row["name"]: row for row in json.loads(proc.stdout)}
    assert data["api_key"] == {
        "name": "api_key",
        "value": "***-env",
        "source": "env",
        "origin": "OPENAI_API_KEY",
    }
    assert CANARY not in proc.stdout + proc.stderr and "settings file" not in proc.stdout


def test_cli_config_bad_settings_are_one_line_exit_3(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "OPENAI_API_KEY": CANARY}
    bad = write(tmp_path / "bad.toml", "timeout = -1\n")
    for args, extra, needle in (
        (("--config", str(tmp_path / "none.toml"), "config"), {}, "not found"),
        (("config", "--config", str(bad)), {}, f"invalid setting timeout (from file {bad})"),
        (
            ("config",),
            {"SUMMARIZER_MAX_TOKENS": "lots"},
            "invalid setting max_tokens (from env SUMMARIZER_MAX_TOKENS)",
        ),
        (("config", "--timeout", "-2"), {}, "invalid setting timeout (from flag --timeout)"),
    ):
        proc = cli(*args, env={**env, **extra}, cwd=Path.cwd())
        assert proc.returncode == 3, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], proc.stderr
        assert CANARY not in proc.stdout + proc.stderr


def test_cli_env_vars_table_lists_every_variable() -> None:
    proc = cli("config", "--env-vars", env={}, cwd=Path.cwd())
    assert proc.returncode == 0, proc.stderr
    wanted = {v for names in environment_variables().values() for v in names} | {CONFIG_ENV}
    assert wanted <= set(re.findall(r"`((?:SUMMARIZER|OPENAI)_[A-Z_]+)`", proc.stdout))
