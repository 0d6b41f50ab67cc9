"""``summarizer config``: every effective setting and where it came from; ``--config FILE`` for all.

Sources, lowest first: default, file (the TOML settings file), .env (in the working
directory), env (environment variables), flag. The API key is redacted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from summarizer.cli._common import (
    BaseUrlOpt,
    CacheOpt,
    LocalOpt,
    MaxTokensOpt,
    ModelOpt,
    ModeOpt,
    TimeoutOpt,
    configure_logging,
    errors,
)
from summarizer.errors import ConfigurationError

__all__ = ["CONFIG_ENV", "env_markdown", "register"]

# ``settings.CONFIG_ENV``, spelled out for the option's help: the settings module (pydantic-settings)
# is imported only when a command runs, not to build the command line (tests/test_cli_settings.py).
CONFIG_ENV = "SUMMARIZER_CONFIG"

ConfigOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--config",
        metavar="FILE",
        help=f"TOML settings file (default: ${CONFIG_ENV}, else summarizer/config.toml in the user config dir).",
    ),
]
_FLAGS = {"local_model": "--local", "base_url": "--base-url", "max_tokens": "--max-tokens"}


def env_markdown() -> str:
    """The Markdown table of every environment variable the settings read (for the README)."""
    from summarizer.settings import Settings, environment_variables

    lines = ["| variable | setting | default | meaning |", "|---|---|---|---|"]
    lines.append(
        f"| `{CONFIG_ENV}` | (settings file) | user config dir `summarizer/config.toml` | TOML file |"
    )
    for name, names in environment_variables().items():
        info = Settings.model_fields[name]
        default = "unset" if info.default is None else f"`{info.default}`"
        variables = " / ".join(f"`{n}`" for n in names)
        meaning = (info.description or "").replace("|", "\\|")
        lines.append(f"| {variables} | `{name}` | {default} | {meaning} |")
    return "\n".join(lines) + "\n"


def _invalid(exc: Exception, flags: dict[str, Any]) -> ConfigurationError:
    """A one-line error for invalid settings, naming the source of the bad value."""
    from summarizer.settings import read_layers

    problems = getattr(exc, "errors", None)
    if not callable(problems):
        return ConfigurationError(str(exc))
    first = problems()[0]
    name = ".".join(str(p) for p in first["loc"])
    where = "default"
    if flags.get(name) is not None:
        where = f"flag {_FLAGS.get(name, '--' + name.replace('_', '-'))}"
    else:
        for layer in reversed(read_layers()):
            if name in layer.values:
                where = f"{layer.source} {layer.origins[name]}"
                break
    return ConfigurationError(f"invalid setting {name} (from {where}): {first['msg']}")


def config(
    config_path: ConfigOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    cache: CacheOpt = None,
    local: LocalOpt = None,
    max_tokens: MaxTokensOpt = None,
    timeout: TimeoutOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per setting, in a list.")] = False,
    env_vars: Annotated[
        bool, typer.Option("--env-vars", help="Print the environment variables read, as a Markdown table.")
    ] = False,
) -> None:
    """Print every effective setting with its source (default, file, .env, env, flag); the key redacted."""
    if env_vars:
        typer.echo(env_markdown(), nl=False)
        return
    from summarizer.settings import config_file, explain, read_layers, unknown_variables, use_config_file

    if config_path is not None:
        use_config_file(config_path)
    flags: dict[str, Any] = {
        "model": model,
        "base_url": base_url,
        "mode": mode,
        "cache": cache,
        "local_model": local,
        "max_tokens": max_tokens,
        "timeout": timeout,
    }
    with errors():
        try:
            _, rows = explain(flags, _FLAGS)
        except Exception as exc:  # pydantic ValidationError or a settings-file problem
            raise _invalid(exc, flags) from None
        _, why = config_file()
        layers = read_layers()
        ignored = unknown_variables()
    if as_json:
        data = [{"name": r.name, "value": r.value, "source": r.source, "origin": r.origin} for r in rows]
        typer.echo(json.dumps(data, indent=2))
        return
    how = {"flag": "--config", "env": CONFIG_ENV, "default": "default"}[why]
    found = "" if layers[0].values or Path(layers[0].location).is_file() else "; not found"
    typer.echo(f"settings file: {layers[0].location} ({how}{found})")
    dotenv = layers[1].location
    typer.echo(f".env: {dotenv}" + ("" if Path(dotenv).is_file() else " (not found)"))
    typer.echo("")
    width = max(len(r.name) for r in rows)
    value_width = min(40, max(len(r.value) for r in rows))
    for r in rows:
        origin = f" {r.origin}" if r.origin else ""
        typer.echo(f"{r.name:<{width}}  {r.value:<{value_width}}  {r.source}{origin}")
    for name in ignored:
        typer.echo(f"ignored: {name} is not a setting", err=True)


def _root(ctx: typer.Context, config_path: ConfigOpt = None) -> None:
    if config_path is None and "summarizer.settings" not in sys.modules:
        return  # no file named and no override to undo (a sub-command's --help loads no settings)
    from summarizer.settings import use_config_file

    use_config_file(config_path)  # None: back to $SUMMARIZER_CONFIG or the default
    if config_path is not None:
        # Logging was set up (by the root callback chained before this one) from the settings
        # without this file: apply the file's log_level now; -q / -v still win over it.
        root = ctx.find_root().params
        configure_logging(-1 if root.get("quiet") else int(root.get("verbose") or 0))


def register(app: typer.Typer) -> None:
    """Add the ``config`` command and the global ``--config FILE`` option to ``app``."""
    app.command("config")(config)
    app.callback()(_root)
