"""The package layout holds: no import cycle, floors kept, small modules, no private names across packages.

The floors themselves are import-linter contracts in ``pyproject.toml``; this file checks what
import-linter does not (cycles inside a floor, module size, private names) and runs it.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
import tomllib
from conftest import ROOT

import summarizer

PACKAGE = ROOT / "summarizer"
MAX_LINES = 400


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("summarizer", include_external_packages=False)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(graph) == [["pkg.a", "pkg.b"]]


def test_no_import_cycle_anywhere_in_the_package() -> None:
    assert _cycles(_graph()) == []


def test_every_top_level_name_sits_on_a_floor() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    on_floors = {name.strip() for layer in layers for name in layer.split("|")}
    top = {
        f"summarizer.{p.stem if p.is_file() else p.name}"
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").is_file()) and not p.name.startswith("__")
    }
    assert top - on_floors == {"summarizer.testing"}  # test support: kept out by its own contract


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"Contracts: [1-9]\d* kept, 0 broken", result.stdout)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_under_the_size_limit(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) < MAX_LINES


def _package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def _private_imports() -> list[str]:
    """``from summarizer.x.y import _name`` or ``summarizer.x._mod`` imported from outside ``summarizer.x``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        home = _package_of(module, is_package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                not isinstance(node, ast.ImportFrom)
                or not node.module
                or not node.module.startswith("summarizer")
            ):
                continue
            target = node.module.split(".")
            private_module = next((i for i, p in enumerate(target) if p.startswith("_")), None)
            if private_module is not None:
                owner = ".".join(target[:private_module])
                if not home.startswith(owner):
                    found.append(f"{module}: {node.module}")
            owner = node.module.rpartition(".")[0] or node.module
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") and home != owner:
                    found.append(f"{module}: {node.module}.{alias.name}")
    return found


def test_no_private_name_crosses_a_package() -> None:
    assert _private_imports() == []


def test_public_api_is_what_the_readme_documents() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Public API", 1)[1].split("\n#", 1)[0]
    listed = " ".join(line for line in section.splitlines() if line.startswith("`"))
    documented = set(re.findall(r"`([A-Za-z_]+)`", listed))
    assert set(summarizer.__all__) == documented
    for name in summarizer.__all__:
        assert hasattr(summarizer, name), name


def test_notebook_views_are_registered_without_an_import_from_the_contract() -> None:
    imported = _graph().find_modules_directly_imported_by("summarizer.schemas")
    assert imported and not any(m.startswith("summarizer.views") for m in imported)
    summary = summarizer.ArticleSummary(summary="Nothing happened.")
    assert "Nothing happened." in summary._repr_markdown_()
    assert "Nothing happened." in summary._repr_html_()
