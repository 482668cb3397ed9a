"""The spell check catches real typos, accepts correct Spanish, and passes on the book."""

import pytest

from tools.i18n import spellcheck


@pytest.mark.parametrize("typo", ["estra", "nueronales"])
def test_the_seed_typos_are_caught(typo):
    assert spellcheck.unknown_words(f"Las redes {typo} aprenden.", "es") == [typo]


def test_correct_spanish_passes():
    assert spellcheck.unknown_words("El modelo alcanzó una exactitud alta. ¿Por qué?", "es") == []


def test_english_terms_pass_only_in_parentheses_or_italics():
    assert spellcheck.unknown_words("la exactitud (accuracy) y la *loss*", "es") == []
    assert spellcheck.unknown_words("la accuracy del modelo", "es") == ["accuracy"]


def test_misspelled_english_term_in_parentheses_is_caught():
    assert spellcheck.unknown_words("la exactitud (acuracy)", "es") == ["acuracy"]


def test_code_math_and_link_targets_are_not_prose():
    text = "Usa `x_trian` y $\\mathbf{w}$; mira [el capítulo](02_keras_xyzzy.ipynb) en <https://ejemplo.org/qwzx>."
    assert spellcheck.unknown_words(text, "es") == []


def test_term_roles_check_the_shown_text_not_the_target():
    assert spellcheck.unknown_words("una {term}`época <Época (epoch)>` (*epoch*) más", "es") == []
    assert spellcheck.unknown_words("una {term}`époka <Época (epoch)>` más", "es") == ["époka"]
    assert spellcheck.unknown_words("la {term}`exactitud <Qwzx trainingg>`", "es") == []
    assert spellcheck.unknown_words("see the {term}`Accuracy (exactitud)` entry", "en") == []
    assert spellcheck.unknown_words("see the {term}`Acuracy (exactitud)` entry", "en") == ["Acuracy"]


def test_project_word_list_is_used():
    assert spellcheck.unknown_words("El perceptrón de TensorFlow", "es") == []


def test_english_pages_use_the_english_dictionary():
    assert spellcheck.unknown_words("The model reaches high accuracy.", "en") == []
    assert spellcheck.unknown_words("El modelo aprende.", "en") == ["aprende", "modelo"]


def test_the_book_has_no_unknown_words():
    findings = spellcheck.check(spellcheck.book_files())
    assert findings == [], "\n".join(f"{f.where}: {', '.join(f.words)}" for f in findings)
