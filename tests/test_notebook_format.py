"""Every chapter notebook is stored in canonical JSON, with executed outputs."""

import json

import nbformat
import pytest

from tools.common.layout import chapter_notebooks
from tools.notebooks import execute
from tools.notebooks.files import is_canonical, not_canonical_message, sanitized_text

NOTEBOOKS = chapter_notebooks()


def test_the_book_has_chapters():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_canonical_json(path):
    assert is_canonical(path), not_canonical_message(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_code_cell_was_executed_in_order(path):
    notebook = nbformat.read(path, as_version=4)
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), f"{path}: run `make outputs NB={path}`"


def test_a_notebook_not_in_canonical_form_is_caught_and_fixed(tmp_path):
    source = NOTEBOOKS[0]
    copy = tmp_path / source.name
    copy.write_text(json.dumps(json.loads(source.read_text(encoding="utf-8")), indent=2), encoding="utf-8")
    assert not is_canonical(copy)
    assert execute.fix_format([copy]) == 0
    assert is_canonical(copy)
    assert copy.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_a_rerun_that_only_changes_epoch_timings_is_not_a_change():
    first = "1875/1875 - 4s - 2ms/step - accuracy: 0.9139 - loss: 0.3007"
    second = "1875/1875 - 3s - 1ms/step - accuracy: 0.9139 - loss: 0.3007"
    changed_metric = "1875/1875 - 3s - 1ms/step - accuracy: 0.9140 - loss: 0.3007"
    assert sanitized_text(first) == sanitized_text(second)
    assert sanitized_text(first) != sanitized_text(changed_metric)
