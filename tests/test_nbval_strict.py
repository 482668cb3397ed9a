"""The notebook check is strict, and it runs each notebook alone.

One tiny notebook (no TensorFlow: one small kernel) goes through the same
nbval run as the chapters. Its stored outputs are right for every cell but
one, which was edited by hand: nbval must fail exactly that cell. The cells
that pass show what the chapters' kernels see: an empty working folder, outside
the repository, with HOME inside it.
"""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tests.nbval_probe import run_nbval
from tools.common.layout import REPO_ROOT


def stream(text: str):
    return [new_output("stream", name="stdout", text=text)]


def cell(number: int, source: str, stored_output: str):
    code = new_code_cell(source, execution_count=number)
    code.outputs = stream(stored_output)
    return code


def probe_notebook():
    return new_notebook(
        cells=[
            cell(1, "print(2 + 2)", "4\n"),
            cell(2, "print(2 + 2)", "5\n"),  # edited by hand: the real output is 4
            cell(3, "import os\nprint(os.listdir('.'))", "[]\n"),
            cell(4, "from pathlib import Path\nprint(Path.home().parent == Path.cwd().parent)", "True\n"),
            cell(5, f"from pathlib import Path\nprint({str(REPO_ROOT)!r} in str(Path.cwd()))", "False\n"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def test_nbval_fails_the_hand_edited_cell_and_runs_the_notebook_alone(tmp_path):
    path = tmp_path / "probe.ipynb"
    nbformat.write(probe_notebook(), path)

    result = run_nbval(path)

    assert result.returncode == 1, result.stdout[-3000:]
    assert "1 failed, 4 passed" in result.stdout, result.stdout[-3000:]
    assert "FAILED probe.ipynb::Cell 1" in result.stdout or "::Cell 1 -" in result.stdout, result.stdout[-3000:]
