"""The tour notebook runs top to bottom on the bundled data, and is stored without outputs."""

import shutil

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"

nbformat = pytest.importorskip("nbformat", reason="the test extra installs nbformat")


def test_notebook_is_stored_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_runs_top_to_bottom(tmp_path):
    nbclient = pytest.importorskip("nbclient", reason="the test extra installs nbclient")
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    notebook = nbformat.read(tmp_path / NOTEBOOK.name, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute(cwd=str(tmp_path))
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert any("inconclusive" in o.data["text/html"] for o in html)  # the theme view
    assert any('class="gap-map"' in o.data["text/html"] for o in html)  # the gap map
    for name in ("briefing.html", "briefing.md", "evidence.xlsx"):
        assert (tmp_path / name).stat().st_size > 1000
