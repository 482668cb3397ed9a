"""The parity check passes on the book and names the cell, block and side for each kind of drift."""

import shutil

import nbformat
import pytest
import yaml

from tests.parity_book import (
    GLOSSARY,
    TRAINING_LOG,
    chapter,
    edit,
    edit_cell,
    make_book,
    problems_about,
    replace_in_page,
)
from tools.common.layout import BOOK_DIR, REPO_ROOT
from tools.i18n import parity, records


@pytest.fixture
def book(tmp_path):
    return make_book(tmp_path)


# ---------------------------------------------------------------- structure, code, language


def test_an_up_to_date_pair_passes(book):
    assert parity.check(book) == []


def test_a_missing_cell_is_reported(book):
    edit(book / "en" / "01_intro.ipynb", lambda nb: nb.cells.pop(3))
    found, problems = problems_about(book, "01_intro.ipynb: 5 cells, but")
    assert found and "Spanish cells with no twin (by cell id): 3" in found[0], problems
    assert not [p for p in problems if "cell 4" in p or "stale" in p], "cells after the gap are not compared"


def test_a_changed_number_in_code_names_the_cell(book):
    def change(cell):
        cell.source = cell.source.replace("epochs=2", "epochs=3")

    edit_cell(book / "en" / "01_intro.ipynb", 1, change)
    found, problems = problems_about(book, "01_intro.ipynb cell 1: not the same program")
    assert found and "line 1: '2' (es) vs '3' (en)" in found[0], problems


def test_comments_strings_and_fstring_text_may_differ(book):
    def change(cell):
        cell.source = (
            "history = model.fit(x_train, y_train, epochs=2, verbose=2)  # other words\n"
            'print(f"{acc.max():.3f} is the final accuracy")'  # the replacement field moved in the text
        )

    edit_cell(book / "en" / "01_intro.ipynb", 1, change)
    found, problems = problems_about(book, "not the same program")
    assert found == [], problems


@pytest.mark.parametrize(
    "changed, expected",
    [
        ("{acc.min():.3f}", "'acc.max' (es) vs 'acc.min' (en)"),  # the expression
        ("{acc.max():.4f}", "'.3f'"),  # the format spec
        ("{acc.max()!r:.3f}", "line 2"),  # the conversion
    ],
)
def test_a_changed_fstring_expression_is_caught(book, changed, expected):
    def change(cell):
        cell.source = cell.source.replace("{acc.max():.3f}", changed)

    edit_cell(book / "en" / "01_intro.ipynb", 1, change)
    found, problems = problems_about(book, "01_intro.ipynb cell 1: not the same program")
    assert found and expected in found[0], problems


def test_ipython_magics_are_compared_as_code(book):
    for language, comment in (("es", "# mide"), ("en", "# time it")):
        edit_cell(
            book / language / "01_intro.ipynb",
            4,
            lambda c, comment=comment: setattr(c, "source", f"{comment}\n%time model.count_params()"),
        )
    assert problems_about(book, "not the same program")[0] == []
    edit_cell(book / "en" / "01_intro.ipynb", 4, lambda c: setattr(c, "source", "%time model.summary()"))
    found, problems = problems_about(book, "01_intro.ipynb cell 4: not the same program")
    assert found and "count_params" in found[0] and "summary" in found[0], problems


def test_a_spanish_cell_left_in_the_english_notebook_is_caught(book):
    def change(cell):
        cell.source = "## Resumen\n\nHas visto cómo se entrena un modelo y cómo se evalúa después."

    edit_cell(book / "en" / "01_intro.ipynb", 5, change)
    assert problems_about(book, "en/01_intro.ipynb cell 5: Markdown reads as 'es'")[0]


def test_different_tags_are_caught(book):
    edit_cell(book / "en" / "01_intro.ipynb", 1, lambda c: c.metadata.update(tags=["hide-cell"]))
    assert problems_about(book, "cell 1: tags ['hide-cell']")[0]


def test_a_missing_twin_file_is_caught(book):
    shutil.copy(book / "es" / "01_intro.ipynb", book / "es" / "02_more.ipynb")
    assert problems_about(book, "en/02_more.ipynb: missing")[0]


def test_a_changed_number_in_markdown_is_caught(book):
    def change(cell):
        cell.source = cell.source.replace("in 5 minutes", "in 10 minutes")

    edit_cell(book / "en" / "01_intro.ipynb", 0, change)
    found, problems = problems_about(book, "cell 0: numbers differ")
    assert found and "['5']" in found[0] and "['10']" in found[0], problems


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("a simple neural network", "a simple [neural network](02_keras.ipynb)", "cell 0: links to"),
        (
            "a simple neural network",
            "a simple {term}`neural network <Neural network (red neuronal)>`",
            "glossary terms",
        ),
    ],
)
def test_a_link_or_glossary_term_on_one_side_only_is_caught(book, old, new, expected):
    def change(cell):
        cell.source = cell.source.replace(old, new)

    edit_cell(book / "en" / "01_intro.ipynb", 0, change)
    found, problems = problems_about(book, expected)
    assert found, problems


# ---------------------------------------------------------------- fingerprints of both sides


def test_an_english_only_edit_names_the_english_side(book):
    def change(cell):
        cell.source += "\n\nYou will also see how to evaluate it on new data."

    edit_cell(book / "en" / "01_intro.ipynb", 0, change)
    found, problems = problems_about(book, "01_intro.ipynb cell 0: stale translation")
    assert len(found) == 1 and "the English cell changed" in found[0] and "Spanish cell did not" in found[0], problems


def test_an_english_only_comment_edit_is_caught(book):
    def change(cell):
        cell.source = cell.source.replace("train for two epochs", "train for three epochs")

    edit_cell(book / "en" / "01_intro.ipynb", 1, change)
    found, problems = problems_about(book, "01_intro.ipynb cell 1: stale translation: the English cell changed")
    assert found, problems


def test_a_spanish_only_edit_names_the_spanish_side_and_updating_the_english_clears_it(book):
    def change(cell):
        cell.source += "\n\nTambién verás cómo se evalúa con datos nuevos."

    edit_cell(book / "es" / "01_intro.ipynb", 0, change)
    found, problems = problems_about(book, "en/01_intro.ipynb cell 0: stale translation")
    assert len(found) == 1 and "the Spanish cell changed since the pair was marked" in found[0], problems
    assert "update the English cell, then `" in found[0] and " 0`" in found[0]
    edit_cell(book / "en" / "01_intro.ipynb", 0, lambda c: setattr(c, "source", c.source + " You also evaluate it."))
    assert parity.mark_translated(book / "en" / "01_intro.ipynb", [0]).count == 1
    assert parity.check(book) == []


def test_edits_on_both_sides_ask_for_a_review(book):
    edit_cell(book / "es" / "01_intro.ipynb", 5, lambda c: setattr(c, "source", c.source + " Muy bien."))
    edit_cell(book / "en" / "01_intro.ipynb", 5, lambda c: setattr(c, "source", c.source + " Well done."))
    found, problems = problems_about(book, "cell 5: stale translation: both the Spanish and the English cell")
    assert found, problems


# ---------------------------------------------------------------- alt text and solution prompts


@pytest.mark.parametrize("side, name", [("en", "English"), ("es", "Spanish")])
def test_an_alt_text_change_on_one_side_is_caught(book, side, name):
    def change(cell):
        cell.metadata.mystnb.image.alt = cell.metadata.mystnb.image.alt.replace("5", "6")

    edit_cell(book / side / "01_intro.ipynb", 2, change)
    problems = parity.check(book)
    assert any(f"cell 2: stale translation: the {name} cell changed" in p for p in problems), problems
    assert any("cell 2: alt text numbers differ" in p for p in problems), problems


def test_a_missing_alt_text_is_caught(book):
    edit_cell(book / "en" / "01_intro.ipynb", 2, lambda c: c.metadata.pop("mystnb"))
    found, problems = problems_about(book, "cell 2: alt text (mystnb.image.alt): the Spanish cell has one")
    assert found and "the English cell has none" in found[0], problems


def test_a_solution_prompt_change_on_one_side_is_caught(book):
    edit_cell(book / "en" / "01_intro.ipynb", 4, lambda c: c.metadata.mystnb.update(code_prompt_show="Peek"))
    found, problems = problems_about(book, "cell 4: stale translation: the English cell changed")
    assert found, problems


def test_a_missing_solution_prompt_is_caught(book):
    edit_cell(book / "en" / "01_intro.ipynb", 4, lambda c: c.metadata.mystnb.pop("code_prompt_hide"))
    assert problems_about(book, "cell 4: solution prompts: the Spanish cell has")[0]


# ---------------------------------------------------------------- outputs


def test_a_differing_printed_number_is_caught(book):
    def change(cell):
        cell.outputs[-1].text = cell.outputs[-1].text.replace("accuracy: 0.957\n", "accuracy: 0.958\n")

    edit_cell(book / "en" / "01_intro.ipynb", 1, change)
    found, problems = problems_about(book, "01_intro.ipynb cell 1: output differs")
    assert found and "'0.957' (es) vs '0.958' (en)" in found[0], problems


def test_a_differing_result_is_caught(book):
    edit_cell(book / "en" / "01_intro.ipynb", 4, lambda c: c.outputs[0].data.update({"text/plain": "101771"}))
    assert problems_about(book, "01_intro.ipynb cell 4: output differs")[0]


def test_timings_and_a_spanish_decimal_comma_in_outputs_do_not_count(book):
    def change(cell):
        cell.outputs[0].text = TRAINING_LOG.format("5s - 4ms/step", "1s - 900us/step")
        cell.outputs[1].text = "Exactitud final: 0,957\n"

    edit_cell(book / "es" / "01_intro.ipynb", 1, change)
    assert problems_about(book, "output differs")[0] == []


# ---------------------------------------------------------------- Markdown pages


def test_a_changed_duration_in_a_table_row_is_caught(book):
    replace_in_page(book / "en" / "instructor_guide.md", "| 15 minutes |", "| 20 minutes |")
    problems = parity.check(book)
    row = "instructor_guide.md block 4 (table row 3 under '## Suggested assignments')"
    assert any(row in p and "numbers differ" in p and "['15']" in p and "['20']" in p for p in problems), problems
    assert any(row in p and "the English row changed" in p for p in problems), problems


def test_a_glossary_definition_changed_on_one_side_is_caught(book):
    replace_in_page(book / "es" / "glossary.md", "y funciona peor con", "y funciona mejor con")
    found, problems = problems_about(book, "glossary.md block 2 (glossary entry 'Overfitting'")
    assert len(found) == 1 and "the Spanish entry changed since the pair was marked translated" in found[0], problems
    replace_in_page(book / "en" / "glossary.md", "and does worse on", "and does better on")
    assert parity.mark_translated(book / "en" / "glossary.md", [2]).count == 1
    assert parity.check(book) == []


def test_page_structure_and_links_are_compared(book):
    replace_in_page(book / "en" / "instructor_guide.md", "| 1 | Exercise 1: predict the shape | 10 minutes |\n", "")
    replace_in_page(book / "en" / "glossary.md", "Overfitting (*sobreajuste*)", "Overfit (*sobreajustado*)")
    replace_in_page(book / "en" / "glossary.md", "[chapter 2](02_keras.ipynb)", "[chapter 2](03_data.ipynb)")
    problems = parity.check(book)
    assert any("2 table rows under '## Suggested assignments', the Spanish section" in p for p in problems), problems
    assert any("the Spanish glossary entry 'Sobreajuste' under '# Glosario' has no English twin" in p for p in problems)
    assert any("glossary entry 'Accuracy'" in p and "links to ['03_data.ipynb']" in p for p in problems), problems


def test_a_row_added_to_both_pages_needs_only_its_own_mark(book):
    for language, row in (
        ("es", "| 3 | Ejercicio 3: los datos | 20 minutos |"),
        ("en", "| 3 | Exercise 3: the data | 20 minutes |"),
    ):
        path = book / language / "instructor_guide.md"
        path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    found, problems = problems_about(book, "instructor_guide.md block")
    assert len(found) == 1 and "block 5 (table row 4" in found[0] and "neither side is on record" in found[0], problems
    parity.mark_translated(book / "en" / "instructor_guide.md", [5])
    assert parity.check(book) == []


# ---------------------------------------------------------------- --mark-translated


@pytest.mark.parametrize("page", ["01_intro.ipynb", "glossary.md"])
def test_mark_translated_needs_explicit_cells_or_all(book, page, capsys):
    english = book / "en" / page
    edit_cell(book / "es" / "01_intro.ipynb", 0, lambda c: setattr(c, "source", c.source + " Y más."))
    replace_in_page(book / "es" / "glossary.md", "peor", "mejor")
    before = english.read_bytes(), (book / records.PAGE_RECORD).read_bytes()
    assert parity.main(["--mark-translated", str(english)]) == 2
    assert "name the cells (notebook) or blocks (page) you reviewed" in capsys.readouterr().out
    assert (english.read_bytes(), (book / records.PAGE_RECORD).read_bytes()) == before
    with pytest.raises(parity.MarkError):
        parity.mark_translated(english, [])
    assert parity.main(["--mark-translated"]) == 2
    assert parity.main(["--mark-translated", str(english), "--all"]) == 2, "one side moved: a reason is needed"
    assert parity.main(["--mark-translated", str(english), "--all", "--reason", "the other side already says it"]) == 0
    assert not [p for p in parity.check(book) if page in p and "stale" in p]


def test_an_unmarked_book_is_reported_once_per_file(tmp_path):
    for language, notebook in (("es", chapter("es")), ("en", chapter("en"))):
        (tmp_path / language).mkdir()
        nbformat.write(notebook, tmp_path / language / "01_intro.ipynb")
        (tmp_path / language / "glossary.md").write_text(GLOSSARY[language], encoding="utf-8")
    problems = parity.check(tmp_path)
    assert len(problems) == 2 and all("--all" in p for p in problems), problems
    assert parity.mark_book(tmp_path) == []
    assert parity.check(tmp_path) == []


# ---------------------------------------------------------------- the book itself


def test_the_book_editions_are_in_parity():
    assert parity.check() == []


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
