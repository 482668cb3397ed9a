"""Every chapter notebook is stored in canonical JSON, with executed outputs."""

import nbformat
import pytest

from tools.notebook_files import canonical_text, chapter_notebooks

NOTEBOOKS = chapter_notebooks()


def test_the_book_has_chapters():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_canonical_json(path):
    text = path.read_text(encoding="utf-8")
    assert canonical_text(nbformat.reads(text, as_version=4)) == text, (
        f"{path} is not canonical: run `make outputs NB={path}`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_code_cell_was_executed_in_order(path):
    notebook = nbformat.read(path, as_version=4)
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), f"{path}: run `make outputs NB={path}`"
