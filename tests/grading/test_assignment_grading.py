"""The auto-graded assignments, graded by otter (`make assignments-check`, CI job assignments).

They build every chapter's student notebook and autograder and grade whole
chapters with `otter run`: minutes of work, so `make test` does not collect this
folder (pyproject.toml, norecursedirs). The fast checks of the same tool are in
tests/test_assignments.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tools import assignments
from tools.notebook_files import LANGUAGES

CHAPTERS = assignments.chapters()
EDITIONS = [(chapter, language) for chapter in CHAPTERS for language in LANGUAGES]
# A scaffold line the student notebook may show: a signature, a decorator, `name = ...`, or `...`.
SCAFFOLD_LINE = re.compile(r"^(@[\w.]+|(async )?def \w+\(.*\):|\w+ = \.\.\.|\s*\.\.\.)$")
OTTER_MARKER = re.compile(r"#\s*(BEGIN|END)\s+(SOLUTION|PROMPT|QUESTION|TESTS)")
# Lines too generic to count as a leak when they also appear in a solution.
GENERIC_LINE = re.compile(r"^[\s\[\](){},]*$|^plt\.show\(\)$|^\)+[,:]?$")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("assignments")
    assignments.build(output_dir=output)
    return output


def student_notebook(built: Path, chapter: str, language: str) -> nbformat.NotebookNode:
    return nbformat.read(built / language / chapter / "student" / f"{chapter}.ipynb", as_version=4)


def test_a_rebuild_gives_the_same_files(built, tmp_path):
    assignments.build(output_dir=tmp_path)
    first = {p.relative_to(built): p.read_bytes() for p in sorted(built.rglob("*")) if p.is_file()}
    second = {p.relative_to(tmp_path): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert len(first) == 3 * len(EDITIONS)  # student notebook, autograder notebook, autograder zip
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.parametrize(("chapter", "language"), EDITIONS)
def test_student_notebooks_hold_no_solution(built, chapter, language):
    student = student_notebook(built, chapter, language)
    book = nbformat.read(assignments.notebook_path(language, chapter), as_version=4)
    parsed = assignments.parse_chapter(book)
    given = {
        line.strip() for cell in book.cells if not assignments.is_solution(cell) for line in cell.source.splitlines()
    }
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
            answer = assignments.plain_markdown(book.cells[i].source, language)
            assert all(answer not in cell.source for cell in student.cells), f"exercise {exercise.number}: answer shown"
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], "the student notebook has outputs"
            assert not OTTER_MARKER.search(cell.source), f"an otter marker is left in {cell.source!r}"
    checks = [cell.source for cell in student.cells if cell.source.startswith("grader.check(")]
    assert checks == [f'grader.check("q{n}")' for n in sorted(assignments.load_tests(chapter))]
    if language != "en":
        assert all(text not in cell.source for text in assignments.OTTER_TEXT.values() for cell in student.cells)


@pytest.mark.parametrize(("chapter", "language"), EDITIONS)
def test_the_reference_solutions_score_full_marks(built, chapter, language):
    outcome = assignments.check_chapter(language, chapter, built / language / chapter, planted=False)
    assert outcome.grade.possible > 0
    assert outcome.problems == []
    assert outcome.grade.score == outcome.grade.possible  # 100 %


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_planted_wrong_answer_fails_a_hidden_test(built, chapter):
    """The tests data are the same for both editions: the original (Spanish) one is enough."""
    outcome = assignments.check_chapter("es", chapter, built / "es" / chapter, planted=True)
    assert outcome.problems == []
    for question, (score, possible) in outcome.grade.questions.items():
        assert score < possible, question
