"""The quickstart notebook runs top to bottom on the fake server (no key, no model)."""

from __future__ import annotations

import pytest
from conftest import ROOT

nbformat = pytest.importorskip(
    "nbformat", reason="needs the notebook extra: pip install 'summarizer[notebook]'"
)
nbclient = pytest.importorskip(
    "nbclient", reason="needs the notebook extra: pip install 'summarizer[notebook]'"
)
pytest.importorskip("ipykernel", reason="needs the notebook extra: pip install 'summarizer[notebook]'")
pytest.importorskip("pandas", reason="needs the notebook extra: pip install 'summarizer[notebook]'")
pytest.importorskip("matplotlib", reason="needs the notebook extra: pip install 'summarizer[notebook]'")

NOTEBOOK = ROOT / "examples" / "quickstart.ipynb"


def test_quickstart_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core warns until this is the default
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    html = "".join(out.get("data", {}).get("text/html", "") for out in outputs)
    assert "<mark" in html and "data-record=" in html
    assert any("image/png" in out.get("data", {}) for out in outputs)  # the F1 plot
