"""Start-up stays light: the package and the command line import no model client, pandas or scorer.

Each check runs in a fresh interpreter (``sys.modules`` of this test process is full of
everything); the heavy public names still resolve, on first access.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from conftest import ROOT

# What `import summarizer` exported before its names became lazy (README's "Public API").
PUBLIC_API = {
    "__version__", "Agreement", "ArticleSummary", "asummarize", "CacheMissError", "Commitment",
    "ConfigurationError", "Document", "Evidence", "ExtractionError", "GoldError", "InputError", "LLMError",
    "load_document", "LocalModelError", "Location", "Meeting", "ModelNotFoundError", "parse_document",
    "Participant", "PromptError", "Provenance", "SCHEMA_VERSION", "Settings", "Source", "summarize",
    "Summarizer", "SummarizerError", "TransportError",
}  # fmt: skip

# Heavy at start-up: the model client stack, pandas/numpy, and the rapidfuzz-heavy scorer modules.
HEAVY = (
    "openai",
    "instructor",
    "pandas",
    "numpy",
    "scipy",
    "summarizer.pipeline",
    "summarizer.llm.client",
    "summarizer.evaluation.matchers",
    "summarizer.evaluation.matrix",
    "summarizer.evaluation.similarity",
)


def _fresh(code: str) -> Any:
    """Run ``code`` in a new interpreter; it prints one JSON value, returned here."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _loaded_after(imports: str) -> list[str]:
    return list(
        _fresh(f"import json, sys\n{imports}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    )


def test_import_summarizer_loads_no_heavy_module() -> None:
    assert _loaded_after("import summarizer") == []


def test_import_cli_main_loads_no_heavy_module() -> None:
    assert _loaded_after("import summarizer\nimport summarizer.cli.main") == []


def test_importing_the_schemas_alone_loads_no_heavy_module() -> None:
    assert _loaded_after("import summarizer.schemas") == []


def test_heavy_names_resolve_on_first_access() -> None:
    got = _fresh(
        "import json, sys, summarizer\n"
        "before = 'openai' in sys.modules\n"
        "from summarizer import Summarizer, asummarize, summarize\n"
        "import summarizer.pipeline as p\n"
        "print(json.dumps([before, 'openai' in sys.modules, Summarizer is p.Summarizer,"
        " summarize is p.summarize, asummarize is p.asummarize, summarizer.Summarizer is Summarizer]))"
    )
    assert got == [False, True, True, True, True, True]


def test_public_api_is_unchanged_and_every_name_resolves() -> None:
    got = _fresh(
        "import json, summarizer\n"
        "names = list(summarizer.__all__)\n"
        "missing = [n for n in names if getattr(summarizer, n, None) is None]\n"
        "print(json.dumps({'all': names, 'missing': missing, 'dir': dir(summarizer)}))"
    )
    assert set(got["all"]) == PUBLIC_API and len(got["all"]) == len(PUBLIC_API)
    assert got["missing"] == []
    assert set(got["dir"]) >= PUBLIC_API
    assert not {"importlib", "TYPE_CHECKING", "Any", "annotations"} & set(got["dir"])  # no helpers


def test_an_unknown_name_is_an_attribute_error() -> None:
    got = _fresh(
        "import json, summarizer\n"
        "try:\n    summarizer.no_such_name\nexcept AttributeError as e:\n    print(json.dumps(str(e)))"
    )
    assert got == "module 'summarizer' has no attribute 'no_such_name'"


def test_display_hooks_work_after_importing_only_the_schemas() -> None:
    got = _fresh(
        "import json, sys\n"
        "from summarizer.schemas import ArticleSummary\n"
        "s = ArticleSummary(summary='Nothing happened.')\n"
        "print(json.dumps([s._repr_markdown_(), s._repr_html_(), 'summarizer.views.notebook' in sys.modules]))"
    )
    assert "Nothing happened." in got[0]
    assert "Nothing happened." in got[1] and got[1].lstrip().startswith("<")
    assert got[2] is True


def test_display_hooks_work_through_the_lazy_package() -> None:
    got = _fresh(
        "import json, summarizer\n"
        "print(json.dumps(summarizer.ArticleSummary(summary='Talks ended.')._repr_html_()))"
    )
    assert "Talks ended." in got


def test_a_view_registered_before_first_use_is_kept() -> None:
    got = _fresh(
        "import json\n"
        "from summarizer.schemas import ArticleSummary, register_view\n"
        "register_view('html', lambda s: 'mine: ' + s.summary)\n"
        "s = ArticleSummary(summary='x')\n"
        "md = s._repr_markdown_()  # loads the built-in views\n"
        "print(json.dumps([s._repr_html_(), 'x' in md]))"
    )
    assert got == ["mine: x", True]
