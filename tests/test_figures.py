"""nbval compares figures: a changed plot fails, naming its cell and figure; an unchanged one passes.

A tiny notebook draws one figure. Its outputs are written by the harness
(``tools.notebooks.execute.execute``, as ``make outputs`` writes them); then the
plotting code is changed the way a contributor might forget to regenerate after
(a line colour, an axis label), and nbval must fail that cell.
"""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tests.nbval_probe import run_nbval
from tools.notebooks import figures, harness
from tools.notebooks.execute import execute

PLOT = """fig, ax = plt.subplots(figsize=(4, 3))
ax.plot([1, 2, 3, 4, 5], [0.9, 0.5, 0.35, 0.3, 0.28], color="tab:blue")
ax.set_xlabel("época")
ax.set_ylabel("pérdida")
plt.show()"""


def stored_notebook(tmp_path):
    """The probe notebook with the outputs the harness writes for it."""
    notebook = new_notebook(
        cells=[new_code_cell("import matplotlib.pyplot as plt"), new_code_cell(PLOT)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    path = tmp_path / "figure.ipynb"
    nbformat.write(notebook, path)
    executed = execute(path, harness.harness_variables())
    assert len(figures.pngs(executed.cells[1].outputs)) == 1
    return executed


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    return stored_notebook(tmp_path_factory.mktemp("figure"))


def test_an_unchanged_figure_passes(executed, tmp_path):
    path = tmp_path / "figure.ipynb"
    nbformat.write(executed, path)
    result = run_nbval(path)
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize(
    "change", [("tab:blue", "tab:orange"), ('"pérdida"', '"exactitud"')], ids=["line colour", "axis label"]
)
def test_a_changed_figure_fails_and_names_the_cell_and_figure(executed, tmp_path, change):
    notebook = nbformat.from_dict(executed)
    notebook.cells[1].source = notebook.cells[1].source.replace(*change)
    path = tmp_path / "figure.ipynb"
    nbformat.write(notebook, path)
    result = run_nbval(path)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-3000:]
    assert "figure.ipynb, cell 1: figure 1 differs from the stored one: RMS difference" in result.stdout, result.stdout[
        -3000:
    ]


def test_a_missing_figure_fails(executed, tmp_path):
    notebook = nbformat.from_dict(executed)
    notebook.cells[1].source = notebook.cells[1].source.replace("plt.show()", "plt.close(fig)")
    path = tmp_path / "figure.ipynb"
    nbformat.write(notebook, path)
    result = run_nbval(path)
    assert result.returncode == 1, result.stdout[-3000:]
