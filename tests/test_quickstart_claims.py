"""What the quickstart's prose says about its results matches its real outputs.

nbval proves the outputs are what the code produces; this proves the sentences
that quote those outputs were updated with them.
"""

import re

import nbformat
import pytest

from tools.notebook_files import BOOK_DIR, LANGUAGES

QUICKSTARTS = [
    BOOK_DIR / lang / "05_quickstart.ipynb" for lang in LANGUAGES if (BOOK_DIR / lang / "05_quickstart.ipynb").exists()
]


def output_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def cell_containing(notebook, snippet: str):
    matches = [cell for cell in notebook.cells if cell.cell_type == "code" and snippet in cell.source]
    assert len(matches) == 1, f"expected one code cell with {snippet!r}"
    return matches[0]


@pytest.mark.parametrize("path", QUICKSTARTS, ids=lambda p: p.parent.name)
def test_test_accuracy_is_reached_and_quoted_exactly(path):
    notebook = nbformat.read(path, as_version=4)
    evaluate = output_text(cell_containing(notebook, "model.evaluate(x_test, y_test, verbose=2)"))
    accuracy = re.search(r"accuracy: (\d\.\d{4})", evaluate).group(1)
    assert float(accuracy) >= 0.975
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    quoted = re.findall(r"`accuracy: (\d\.\d{4})`", prose)
    assert quoted == [accuracy], f"the text quotes {quoted}, the output says {accuracy}"


@pytest.mark.parametrize("path", QUICKSTARTS, ids=lambda p: p.parent.name)
def test_last_training_epoch_is_quoted_exactly(path):
    notebook = nbformat.read(path, as_version=4)
    fit = output_text(cell_containing(notebook, "model.fit(x_train, y_train, epochs=5"))
    last_epoch = re.findall(r"accuracy: (\d\.\d{4})", fit)[-1]
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert last_epoch in prose or last_epoch.replace(".", ",") in prose
