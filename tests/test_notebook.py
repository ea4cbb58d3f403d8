"""The example notebook runs top to bottom (nbclient, a fresh kernel, offline) and shows the
headline block, a table and a chart."""

from __future__ import annotations

from pathlib import Path

import pytest

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "quickstart.ipynb"
CELL_TIMEOUT_S = 600


def _outputs(cell: dict) -> dict[str, str]:
    """Every MIME type the cell's outputs carry, joined (stream text under text/plain)."""
    out: dict[str, str] = {}
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            out["text/plain"] = out.get("text/plain", "") + o["text"]
        for mime, data in o.get("data", {}).items():
            out[mime] = out.get(mime, "") + (data if isinstance(data, str) else str(data))
    return out


def test_quickstart_notebook_runs_and_shows_the_headline(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )  # fmt: skip
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    headline = _outputs(code[0])
    # Result._repr_html_: the headline block of the run
    assert "skydc run: three-body-12" in headline["text/html"]
    assert "constellation.satellites" in headline["text/html"]
    assert "<skydc Result run 'three-body-12'" in _outputs(code[1])["text/plain"]
    assert "sunlit_fraction_mean" in _outputs(code[2])["text/html"]  # the DataFrame
    assert "application/vnd.plotly.v1+json" in _outputs(code[3])
    assert list(tmp_path.iterdir()) == []  # the notebook writes nothing
