"""Drifts a lazy translation used to get through: a mark without a review, signs, booleans, headings, sentences.

Each test plants one drift in a tiny marked book (tests/parity_book.py) and
expects the check, or --mark-translated, to refuse it.
"""

import json

import nbformat
import pytest

from tests.parity_book import edit_cell, make_book, problems_about, replace_in_page, set_pair
from tools.i18n import parity, records

NOTEBOOK = "01_intro.ipynb"
REASON = "typo in the Spanish only; the English already says it"


@pytest.fixture
def book(tmp_path):
    return make_book(tmp_path)


def replace_in_cell(book, language, index, old, new):
    def change(cell):
        assert old in cell.source, cell.source
        cell.source = cell.source.replace(old, new)

    edit_cell(book / language / NOTEBOOK, index, change)


def replace_in_alt(book, language, index, old, new):
    def change(cell):
        assert old in cell.metadata.mystnb.image.alt
        cell.metadata.mystnb.image.alt = cell.metadata.mystnb.image.alt.replace(old, new)

    edit_cell(book / language / NOTEBOOK, index, change)


# ---------------------------------------------------------------- a mark after a one-sided edit needs a reason

# (what drifted, edition, file, index, the edit): each changes one side only, no number.
ONE_SIDED_EDITS = {
    "meaning flip": ("es", NOTEBOOK, 0, lambda b: replace_in_cell(b, "es", 0, "aprendes a", "no aprendes a")),
    "new sentence": ("en", NOTEBOOK, 5, lambda b: replace_in_cell(b, "en", 5, "evaluated.", "evaluated. Deploy it.")),
    "plot title": ("es", NOTEBOOK, 2, lambda b: replace_in_cell(b, "es", 2, "baja en", "sube en")),
    "alt text": ("es", NOTEBOOK, 2, lambda b: replace_in_alt(b, "es", 2, "baja de", "sube de")),
    "heading level": ("en", NOTEBOOK, 3, lambda b: replace_in_cell(b, "en", 3, "### Exercise", "#### Exercise")),
    "glossary definition": (
        "es",
        "glossary.md",
        2,
        lambda b: replace_in_page(b / "es" / "glossary.md", "y funciona peor con", "y funciona mejor con"),
    ),
}


def saved(book, page):
    return (book / "en" / page).read_bytes(), (book / records.PAGE_RECORD).read_bytes()


@pytest.mark.parametrize("drift", ONE_SIDED_EDITS)
def test_a_one_sided_edit_is_not_cleared_by_a_mark_without_a_reason(book, drift, capsys):
    side, page, index, plant = ONE_SIDED_EDITS[drift]
    plant(book)
    english = book / "en" / page
    found, problems = problems_about(book, f"{page} {'cell' if page == NOTEBOOK else 'block'} {index}")
    stale = [p for p in found if "stale translation" in p]
    assert len(stale) == 1 and f"the {records.SIDE_NAME[side]}" in stale[0], problems
    before = saved(book, page)
    for lazy in ([str(index)], ["--all"]):
        assert parity.main(["--mark-translated", str(english), *lazy]) == 2, f"{drift}: marked with {lazy}"
        assert "only one side changed since the last mark" in capsys.readouterr().out
    assert parity.main(["--mark-translated", "--all", "--root", str(book)]) == 1
    assert saved(book, page) == before, "a refused mark writes nothing"
    assert [p for p in parity.check(book) if "stale translation" in p] == stale


def test_the_suggested_command_for_a_one_sided_edit_updates_the_other_side_or_gives_a_reason(book):
    replace_in_cell(book, "es", 0, "aprendes a", "no aprendes a")
    replace_in_page(book / "en" / "glossary.md", "does worse on", "does better on")
    for page, index, other in ((NOTEBOOK, 0, "update the English cell"), ("glossary.md", 2, "change in Spanish")):
        found, problems = problems_about(book, f"{page} {'cell' if page == NOTEBOOK else 'block'} {index}")
        assert len(found) == 1 and other in found[0] and f'{index} --reason "' in found[0], problems


def test_a_reason_marks_a_one_sided_edit_and_is_stored_with_the_record(book, capsys):
    replace_in_cell(book, "es", 5, "Has visto cómo", "Has visto como")
    replace_in_page(book / "es" / "glossary.md", "funciona peor", "funciona  peor")
    english, glossary = book / "en" / NOTEBOOK, book / "en" / "glossary.md"
    assert parity.main(["--mark-translated", str(english), "5", "--reason", REASON]) == 0
    assert f"the reason {REASON!r} is recorded for cell 5" in capsys.readouterr().out
    assert parity.main(["--mark-translated", str(glossary), "2", "--reason", REASON]) == 0
    assert parity.check(book) == []
    record = nbformat.read(english, as_version=4).cells[5].metadata.translation
    assert record["reason"] == REASON and REASON in english.read_text(encoding="utf-8")  # git log -p shows it
    pages = json.loads((book / records.PAGE_RECORD).read_text(encoding="utf-8"))["pages"]
    assert [p["reason"] for p in pages["glossary.md"] if "reason" in p] == [REASON]
    # Marking the whole files again keeps the reasons of pairs that did not move.
    assert parity.main(["--mark-translated", "--all", "--root", str(book)]) == 0
    assert nbformat.read(english, as_version=4).cells[5].metadata.translation["reason"] == REASON
    assert REASON in (book / records.PAGE_RECORD).read_text(encoding="utf-8")


def test_both_sides_changed_or_a_new_pair_is_marked_without_a_reason(book):
    replace_in_cell(book, "es", 5, "Has visto", "Ya has visto")
    replace_in_cell(book, "en", 5, "You have seen", "You have now seen")
    assert parity.main(["--mark-translated", str(book / "en" / NOTEBOOK), "5"]) == 0
    assert "reason" not in nbformat.read(book / "en" / NOTEBOOK, as_version=4).cells[5].metadata.translation
    assert parity.check(book) == []


def test_a_reason_must_say_something_and_goes_only_with_a_mark(book, capsys):
    replace_in_cell(book, "es", 5, "Has visto cómo", "Has visto como")
    assert parity.main(["--mark-translated", str(book / "en" / NOTEBOOK), "5", "--reason", "  "]) == 2
    assert "--reason needs a text" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        parity.main(["--reason", REASON])


# ---------------------------------------------------------------- numbers keep their signs and exponents

SPANISH_INTRO = "# Introducción\n\nEn este capítulo aprendes a entrenar una red neuronal sencilla"
ENGLISH_INTRO = "# Introduction\n\nIn this chapter you learn to train a simple neural network"


@pytest.mark.parametrize(
    "es, en, only_es, only_en",
    [
        ("; el sesgo empieza en −0,5.", "; the bias starts at 0.5.", "-0.5", "0.5"),  # a sign flip in prose
        (" con $\\eta = 10^{-3}$.", " with $\\eta = 10^{3}$.", "-3", "3"),  # an exponent's sign in math
        (" con `lr=1e-3`.", " with `lr=1e3`.", "1e-3", "1e3"),  # an exponent's sign in code
    ],
)
def test_a_sign_flip_in_markdown_is_caught(book, es, en, only_es, only_en):
    set_pair(book, 0, {"es": SPANISH_INTRO + es, "en": ENGLISH_INTRO + en})
    found, problems = problems_about(book, "cell 0: numbers differ")
    assert found and f"['{only_es}']" in found[0] and f"['{only_en}']" in found[0], problems


def test_a_sign_flip_in_alt_text_is_caught(book):
    replace_in_alt(book, "es", 2, "baja de 0,30", "baja de −0,30")
    replace_in_alt(book, "en", 2, "it goes down", "it goes down on a log scale")
    assert parity.main(["--mark-translated", str(book / "en" / NOTEBOOK), "2"]) == 0
    found, problems = problems_about(book, "cell 2: alt text numbers differ")
    assert found and "['-0.30']" in found[0], problems


def test_ranges_subtractions_and_a_typographic_minus_are_not_sign_flips(book):
    set_pair(
        book,
        0,
        {
            "es": SPANISH_INTRO + " en las épocas 1-5, con $x-1$ y un sesgo de −0,5.",
            "en": ENGLISH_INTRO + " in epochs 1–5, with $x-1$ and a bias of -0.5.",
        },
    )
    assert parity.check(book) == []


PRINT_BIAS = {"es": 'print("Sesgo:", b)', "en": 'print("Bias:", b)'}


@pytest.mark.parametrize(
    "es, en",
    [
        ("Sesgo: -0.5\n", "Bias: 0.5\n"),  # a sign flip
        ("Sesgo: [-1.2e-05  3.0e+00]\n", "Bias: [-1.2e+05  3.0e+00]\n"),  # an exponent's sign
    ],
)
def test_a_sign_flip_in_printed_output_is_caught(book, es, en):
    set_pair(book, 4, PRINT_BIAS, {"es": es, "en": en})
    found, problems = problems_about(book, "cell 4: output differs from the Spanish cell's: printed number")
    assert found, problems


def test_a_decimal_comma_and_a_typographic_minus_in_output_are_the_same_number(book):
    set_pair(book, 4, PRINT_BIAS, {"es": "Sesgo: −0,5 y 1E-05\n", "en": "Bias: -0.5 y 1e-05\n"})
    assert problems_about(book, "output differs")[0] == []


# ---------------------------------------------------------------- printed words and booleans


def test_true_printed_as_false_is_caught(book):
    sources = {"es": 'print("¿Más del 97 %?", acc > 0.97)', "en": 'print("Above 97%?", acc > 0.97)'}
    set_pair(book, 4, sources, {"es": "¿Más del 97 %? True\n", "en": "Above 97%? False\n"})
    found, problems = problems_about(book, "cell 4: output differs from the Spanish cell's: printed word")
    assert found and "'True' (es) vs 'False' (en)" in found[0], problems


def test_a_word_the_program_prints_is_compared(book):
    sources = {"es": "model.summary()  # resumen", "en": "model.summary()  # summary"}
    set_pair(book, 4, sources, {"es": "dense (Dense)  (None, 10)\n", "en": "flatten (Flatten)  (None, 10)\n"})
    found, problems = problems_about(book, "printed word 1: 'dense' (es) vs 'flatten' (en)")
    assert found, problems


def test_translated_printed_strings_are_set_aside(book):
    # A label that happens to be "True" in English, and class names built in another cell.
    set_pair(
        book, 1, {"es": 'class_names = ["gato", "perro"]', "en": 'class_names = ["cat", "dog"]'}, {"es": "", "en": ""}
    )
    sources = {
        "es": 'print("Real:", y, class_names[y], f"¿acierta? {ok}")',
        "en": 'print("True:", y, class_names[y], f"right? {ok}")',
    }
    set_pair(book, 4, sources, {"es": "Real: 1 perro ¿acierta? True\n", "en": "True: 1 dog right? True\n"})
    assert problems_about(book, "output differs")[0] == []


# ---------------------------------------------------------------- heading levels


def test_a_heading_level_that_differs_is_caught_even_when_marked(book):
    set_pair(
        book,
        5,
        {
            "es": "## Resumen\n\nYa has visto cómo se entrena un modelo y cómo se evalúa después.",
            "en": "### Summary\n\nYou have now seen how a model is trained and then evaluated.",
        },
    )
    found, problems = problems_about(book, "cell 5: headings at levels [3], the Spanish cell's at [2]")
    assert found, problems


def test_a_hash_in_code_is_not_a_heading(book):
    set_pair(
        book,
        5,
        {
            "es": "## Resumen\n\nHas visto cómo se entrena un modelo.\n\n```python\n# un comentario\n```",
            "en": "## Summary\n\nYou have seen how a model is trained.\n\n```python\n## a comment\n```",
        },
    )
    assert parity.check(book) == []


# ---------------------------------------------------------------- a sentence in the other language

LONG_ENGLISH = (
    "In this chapter you learn to train a simple neural network in 5 minutes. You load the images, "
    "build the model, train it for two epochs and read its accuracy on the test set."
)
LONG_SPANISH = (
    "En este capítulo aprendes a entrenar una red neuronal sencilla en 5 minutos. Cargas las imágenes, "
    "construyes el modelo, lo entrenas dos épocas y lees su exactitud en el conjunto de prueba."
)


@pytest.mark.parametrize(
    "es, en, language, sentence",
    [
        (LONG_SPANISH, LONG_ENGLISH.replace(" You load", " Cuidado con esto. You load"), "en", "Cuidado con esto."),
        (LONG_SPANISH.replace(" Cargas", " Be careful here. Cargas"), LONG_ENGLISH, "es", "Be careful here."),
    ],
)
def test_a_short_sentence_in_the_other_language_is_found(book, es, en, language, sentence):
    set_pair(book, 0, {"es": "# Introducción\n\n" + es, "en": "# Introduction\n\n" + en})
    problems = parity.check(book)
    assert not [p for p in problems if "Markdown reads as" in p], "the cell as a whole reads as its language"
    found = [p for p in problems if f"{language}/{NOTEBOOK} cell 0: Markdown: a sentence reads" in p]
    assert found and sentence in found[0], problems


def test_a_sentence_in_the_other_language_in_alt_text_or_a_page_is_found(book):
    replace_in_alt(book, "en", 2, "in 5 epochs.", "in 5 epochs. La curva baja rápido.")
    replace_in_alt(book, "es", 2, "en 5 épocas.", "en 5 épocas, sin pausa.")
    assert parity.main(["--mark-translated", str(book / "en" / NOTEBOOK), "2"]) == 0
    replace_in_page(book / "en" / "glossary.md", "on new data.", "on new data. Pasa con pocos datos.")
    problems = parity.check(book)
    assert any("cell 2: alt text: a sentence reads" in p and "La curva baja" in p for p in problems), problems
    assert any("en/glossary.md: a sentence reads" in p and "Pasa con pocos datos" in p for p in problems), problems


def test_names_and_code_terms_are_not_a_foreign_sentence(book):
    set_pair(
        book,
        0,
        {
            # Lingua reads "Con Keras, TensorFlow, NumPy y Matplotlib." as English (0.87) with the names.
            "es": "# Introducción\n\n" + LONG_SPANISH + " Con Keras, TensorFlow, NumPy y Matplotlib. "
            "Usa `model.fit(x_train, y_train)` y *early stopping* (parada temprana).",
            "en": "# Introduction\n\n" + LONG_ENGLISH + " With Keras, TensorFlow, NumPy and Matplotlib. "
            "Use `model.fit(x_train, y_train)` and *parada temprana* (early stopping).",
        },
    )
    assert parity.check(book) == []
