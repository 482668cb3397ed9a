"""The parity check passes on the book and names the cell for each kind of drift."""

import shutil

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools import parity
from tools.notebook_files import BOOK_DIR, REPO_ROOT


def test_the_book_editions_are_in_parity():
    assert parity.check() == []


@pytest.fixture
def book(tmp_path):
    """A tiny two-edition book whose English twin is up to date."""
    es = new_notebook(
        cells=[
            new_markdown_cell("# Introducción\n\nEn este capítulo aprendes a entrenar una red neuronal sencilla."),
            new_code_cell('model.fit(x_train, y_train, epochs=5)  # entrena\nprint("Hecho")'),
            new_markdown_cell("## Resumen\n\nHas visto cómo se entrena un modelo y cómo se evalúa después."),
        ]
    )
    en = new_notebook(
        cells=[
            new_markdown_cell("# Introduction\n\nIn this chapter you learn to train a simple neural network."),
            new_code_cell('model.fit(x_train, y_train, epochs=5)  # train\nprint("Done")'),
            new_markdown_cell("## Summary\n\nYou have seen how a model is trained and then evaluated."),
        ]
    )
    for cell_es, cell_en in zip(es.cells, en.cells):
        cell_en.id = cell_es.id
    for language, notebook in (("es", es), ("en", en)):
        (tmp_path / language).mkdir()
        nbformat.write(notebook, tmp_path / language / "01_intro.ipynb")
    parity.mark_translated(tmp_path / "en" / "01_intro.ipynb", [])
    return tmp_path


def edit(path, change):
    notebook = nbformat.read(path, as_version=4)
    change(notebook)
    nbformat.write(notebook, path)


def test_an_up_to_date_pair_passes(book):
    assert parity.check(book) == []


def test_a_missing_cell_is_reported(book):
    edit(book / "en" / "01_intro.ipynb", lambda nb: nb.cells.pop(2))
    assert any("01_intro.ipynb: 2 cells, but" in p for p in parity.check(book))


def test_a_changed_number_in_code_names_the_cell(book):
    def change(nb):
        nb.cells[1].source = nb.cells[1].source.replace("epochs=5", "epochs=6")

    edit(book / "en" / "01_intro.ipynb", change)
    problems = parity.check(book)
    assert any("01_intro.ipynb cell 1: not the same program" in p and "'5' (es) vs '6' (en)" in p for p in problems), (
        problems
    )


def test_comments_and_strings_may_differ(book):
    def change(nb):
        nb.cells[1].source = 'model.fit(x_train, y_train, epochs=5)  # other comment\nprint("Finished")'

    edit(book / "en" / "01_intro.ipynb", change)
    assert parity.check(book) == []


def test_a_spanish_cell_left_in_the_english_notebook_is_caught(book):
    def change(nb):
        nb.cells[2].source = "## Resumen\n\nHas visto cómo se entrena un modelo y cómo se evalúa después."

    edit(book / "en" / "01_intro.ipynb", change)
    problems = parity.check(book)
    assert any("en/01_intro.ipynb cell 2: Markdown reads as 'es'" in p for p in problems), problems


def test_a_stale_translation_is_caught_and_can_be_marked_updated(book):
    def change(nb):
        nb.cells[0].source += "\n\nTambién verás cómo se evalúa con datos nuevos."

    edit(book / "es" / "01_intro.ipynb", change)
    problems = parity.check(book)
    assert any("en/01_intro.ipynb cell 0: stale translation" in p for p in problems), problems
    parity.mark_translated(book / "en" / "01_intro.ipynb", [0])
    assert parity.check(book) == []


def test_different_tags_are_caught(book):
    edit(book / "en" / "01_intro.ipynb", lambda nb: nb.cells[1].metadata.update(tags=["hide-cell"]))
    assert any("cell 1: tags ['hide-cell']" in p for p in parity.check(book))


def test_a_missing_twin_file_is_caught(book):
    shutil.copy(book / "es" / "01_intro.ipynb", book / "es" / "02_more.ipynb")
    assert any("en/02_more.ipynb: missing" in p for p in parity.check(book))


def test_every_chapter_in_the_toc_exists_in_both_editions_and_nothing_else():
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = {entry["file"] for entry in toc["chapters"]} | {toc["root"]}
    chapters = sorted(page for page in pages if (BOOK_DIR / "es" / f"{page}.ipynb").exists())
    assert len(chapters) >= 5
    for language in ("es", "en"):
        notebooks = sorted(p.stem for p in (BOOK_DIR / language).glob("*.ipynb"))
        assert notebooks == chapters, f"book/{language} and _toc.yml list different chapters"
        for page in pages:
            assert any((BOOK_DIR / language / f"{page}{suffix}").exists() for suffix in (".ipynb", ".md")), (
                f"book/{language}/{page} is in _toc.yml but missing"
            )
