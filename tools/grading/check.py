"""The assignment checks (`make assignments-check`): the book's solutions score full marks,
each planted wrong answer fails a hidden test."""

from __future__ import annotations

import ast
import copy
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.common.layout import LANGUAGES
from tools.grading.assign import code, fill_ids
from tools.grading.build import OUTPUT_DIR, autograder_zip, build_chapter
from tools.grading.chapters import chapters, load_tests, notebook_path, parse_chapter, stored_names
from tools.grading.grade import Grade, grade
from tools.notebooks.files import canonical_text


def check_cell_index(notebook: nbformat.NotebookNode, question: str) -> int:
    sources = [cell.source.strip() for cell in notebook.cells]
    return sources.index(f'grader.check("{question}")')


def submission(
    language: str, chapter: str, student: nbformat.NotebookNode, planted: bool = False
) -> nbformat.NotebookNode:
    """The student notebook answered with the book's solutions, as a student who solved everything.

    With ``planted``, each exercise also gets its planted wrong answer just before its
    ``grader.check`` cell, and its right answer back just after it, so every wrong answer
    is graded on its own and the exercises after it still see the chapter's right values.
    """
    notebook = copy.deepcopy(student)
    book = nbformat.read(notebook_path(language, chapter), as_version=4)
    tests = load_tests(chapter)
    by_id = {cell.get("id"): cell for cell in notebook.cells}
    for exercise in parse_chapter(book).exercises:
        for i in exercise.solutions:
            by_id[book.cells[i].id].source = book.cells[i].source
        if not planted or not exercise.solutions:
            continue
        wrong = tests[exercise.number]["planted"]
        names = sorted(
            set(tests[exercise.number]["names"]) | {n for node in ast.parse(wrong).body for n in stored_names(node)}
        )
        backup = f"_right_answer_{exercise.number}"
        at = check_cell_index(notebook, exercise.question)
        notebook.cells.insert(at + 1, code(f"globals().update({backup})"))
        notebook.cells.insert(
            at, code(f"{backup} = {{name: globals()[name] for name in {names!r} if name in globals()}}\n{wrong}")
        )
    fill_ids(notebook, "submission", keep={cell.get("id") for cell in student.cells})
    return notebook


@dataclass
class Check:
    chapter: str
    language: str
    kind: str  # "solutions" or "planted"
    grade: Grade
    problems: list[str]


def check_chapter(language: str, chapter: str, folder: Path, planted: bool) -> Check:
    """Grade the reference solutions (full marks expected) or the planted answers (a hidden test fails in each)."""
    student = nbformat.read(folder / "student" / f"{chapter}.ipynb", as_version=4)
    with tempfile.TemporaryDirectory(prefix="submission-") as scratch:
        path = Path(scratch) / f"{chapter}.ipynb"
        answered = submission(language, chapter, student, planted)
        path.write_text(canonical_text(answered, also_kept=("otter",)), encoding="utf-8")
        result = grade(path, autograder_zip(folder, chapter))
    problems = []
    for number, spec in sorted(load_tests(chapter).items()):
        question = f"q{number}"
        if question not in result.questions:
            problems.append(f"{question}: not graded")
            continue
        score, possible = result.questions[question]
        if possible != len(spec["tests"]):
            problems.append(f"{question}: worth {possible:g} points, but it has {len(spec['tests'])} tests")
        if not planted and score != possible:
            problems.append(
                f"{question}: the reference solution scores {score:g}/{possible:g}: {result.failed_tests[question]}"
            )
        if planted and not any(hidden for _, hidden, _ in result.failed_tests[question]):
            problems.append(f"{question}: the planted answer fails no hidden test ({score:g}/{possible:g})")
        if planted and score >= possible:
            problems.append(f"{question}: the planted answer keeps full marks")
    return Check(chapter, language, "planted" if planted else "solutions", result, problems)


def check(selected: list[str] | None = None, output_dir: Path = OUTPUT_DIR) -> list[Check]:
    """Build, then grade every chapter in both editions; print the results and their times."""
    results = []
    print(f"{'chapter':28} {'edition':7} {'submission':10} {'score':>9} {'seconds':>8}")
    for chapter in selected or chapters():
        for language in LANGUAGES:
            folder = build_chapter(language, chapter, output_dir)
            # The tests data are the same for both editions: planted answers in the original one only.
            for planted in (False, True) if language == LANGUAGES[0] else (False,):
                outcome = check_chapter(language, chapter, folder, planted)
                results.append(outcome)
                score = f"{outcome.grade.score:g}/{outcome.grade.possible:g}"
                status = "ok" if not outcome.problems else "FAILED: " + "; ".join(outcome.problems)
                print(f"{chapter:28} {language:7} {outcome.kind:10} {score:>9} {outcome.grade.seconds:8.1f}  {status}")
    total = sum(outcome.grade.seconds for outcome in results)
    print(f"{'otter run, all submissions':57} {total:8.1f}")
    return results
