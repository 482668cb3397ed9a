"""The chapters' exercises, as the assignments read them: the notebooks and the tests files.

For each chapter and edition, ``otter assign`` turns the chapter notebook into
``_build/assignments/<edition>/<chapter>/``:

- ``student/<chapter>.ipynb``: the whole chapter (prose and code, no outputs),
  whose exercises keep their statements but not their solutions: each solution
  cell becomes ``...`` (under the definitions the checks read, such as
  ``my_predictions = ...``), a ``grader.check("qN")`` cell runs the exercise's
  public tests, and each prose answer becomes a question the instructor grades
  by hand (``qN_written``), with an empty cell to answer in;
- ``autograder/<chapter>-autograder.zip``: what ``otter run -a
  <chapter>-autograder.zip submission.ipynb`` needs to grade a submission
  (public and hidden tests, the book's requirements for a grading image);
- ``autograder/<chapter>.ipynb``: the same notebook with the solutions and the
  prose answers, for the instructor.

Source of truth: the chapter notebooks (``### Ejercicio N`` / ``### Exercise N``
under ``## Ejercicios`` / ``## Exercises``; the solutions are the cells tagged
``hide-cell``; the Markdown cells after them are the prose answer) and one tests
file per chapter, ``tools/grading/exercises/<chapter>.yml``, the same for both
editions::

    exercises:
      1:                     # the exercise number, as in "### Ejercicio 1"
        names:               # what the checks read, as the student notebook lists it
          my_predictions: {es: "...", en: "..."}
        tests:               # one otter test case each, worth 1 point
          - public: true     # the student's grader.check runs it; default: hidden
            code: |
              def test_three_predictions(my_predictions):
                  assert len(my_predictions) == 3, "three predictions"
            es:              # each assert's message in the Spanish edition, in the order of the asserts
              - "tres predicciones"
        planted: |           # a wrong answer the hidden tests must catch (tests/test_assignments.py)
          my_predictions = [(2, 4, 3), (5,), "error"]
        written_points: 1    # optional: points of the hand-graded question (default 1)

A test is a function whose parameters name the notebook's variables (otter's
exception-based format). Its asserts carry their message, in English in ``code``
(the English edition's) and in Spanish under ``es``: the Spanish notebooks'
tests say the same in Spanish (``localized_code``); an f-string message stays an
f-string, with the same ``{names}``. Tests check what the exercise asks, with tolerances
that hold for other seeds and TensorFlow versions. An exercise whose solution
trains a model checks properties any sane run has, never this run's digits.

The outputs are reproducible: fixed cell ids, canonical JSON and a zip with
fixed dates and order, so re-running gives the same bytes.

Otter runs from its own virtual environment (``.venv-grading``, made by
``make assignments`` from ``requirements-grading.txt``): otter-grader 7.0.0
requires ``wrapt<2``, while the book's lock has the ``wrapt`` 2 that TensorFlow
installs for readers. Grading kernels get the book's kernel environment
(``tools/notebooks/harness.py``: offline MNIST, quiet TensorFlow).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from tools.common.layout import BOOK_DIR, toc_pages

TESTS_DIR = Path(__file__).with_name("exercises")
SOLUTION_TAG = "hide-cell"
EXERCISES_HEADING = re.compile(r"^## (?:Ejercicios|Exercises)\s*$", re.M)
EXERCISE_HEADING = re.compile(r"^### (?:Ejercicio|Exercise) (\d+)\b")
SECTION_HEADING = re.compile(r"^## ", re.M)


def chapters() -> list[str]:
    """Chapters with a tests file, in reading order (only they become assignments)."""
    return [page for page in toc_pages() if (TESTS_DIR / f"{page}.yml").is_file()]


def notebook_path(language: str, chapter: str) -> Path:
    return BOOK_DIR / language / f"{chapter}.ipynb"


def load_tests(chapter: str) -> dict[int, dict]:
    """The tests file of a chapter, keyed by exercise number."""
    data = yaml.safe_load((TESTS_DIR / f"{chapter}.yml").read_text(encoding="utf-8"))
    return {int(number): spec for number, spec in data["exercises"].items()}


def is_solution(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and SOLUTION_TAG in cell.metadata.get("tags", [])


@dataclass
class Exercise:
    """An exercise of a chapter, as cell indices of its notebook."""

    number: int
    prompt: list[int] = field(default_factory=list)  # the statement, and anything before the first solution
    solutions: list[int] = field(default_factory=list)  # code cells tagged hide-cell
    answers: list[int] = field(default_factory=list)  # Markdown after the first solution: the prose answer

    @property
    def question(self) -> str:
        return f"q{self.number}"

    @property
    def written_question(self) -> str:
        return f"q{self.number}_written"


@dataclass
class Chapter:
    """A chapter notebook split into its parts: before the exercises, the exercises, after them."""

    notebook: nbformat.NotebookNode
    exercises_start: int  # index of the "## Ejercicios" cell
    intro: list[int]  # cells between that heading and exercise 1 (kept as they are)
    exercises: list[Exercise]
    end: int  # index of the first cell after the exercises section


def parse_chapter(notebook: nbformat.NotebookNode) -> Chapter:
    cells = notebook.cells
    start = next(
        (i for i, c in enumerate(cells) if c.cell_type == "markdown" and EXERCISES_HEADING.search(c.source)), None
    )
    if start is None:
        raise ValueError("the notebook has no '## Ejercicios' / '## Exercises' section")
    intro: list[int] = []
    exercises: list[Exercise] = []
    end = len(cells)
    for i in range(start + 1, len(cells)):
        cell = cells[i]
        heading = EXERCISE_HEADING.match(cell.source) if cell.cell_type == "markdown" else None
        if cell.cell_type == "markdown" and SECTION_HEADING.search(cell.source) and not heading:
            end = i
            break
        if heading:
            exercises.append(Exercise(int(heading.group(1)), prompt=[i]))
        elif not exercises:
            if is_solution(cell):
                raise ValueError(f"cell {i}: a solution before the first exercise heading")
            intro.append(i)
        elif is_solution(cell):
            exercises[-1].solutions.append(i)
        elif cell.cell_type == "markdown" and exercises[-1].solutions:
            exercises[-1].answers.append(i)
        elif cell.cell_type == "markdown":
            exercises[-1].prompt.append(i)
        else:
            raise ValueError(
                f"cell {i}: a code cell without the {SOLUTION_TAG!r} tag inside exercise {exercises[-1].number}"
            )
    return Chapter(notebook, start, intro, exercises, end)


def localized_code(test: dict, language: str) -> str:
    """The test's code with each assert message in ``language`` (``code`` holds the English ones)."""
    code = test["code"]
    if language == "en":
        return code
    asserts = sorted(
        (node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Assert) and node.msg is not None),
        key=lambda node: (node.lineno, node.col_offset),
    )
    translations = test.get(language) or []
    if len(translations) != len(asserts):
        raise ValueError(
            f"`{language}:` needs one message per assert message ({len(asserts)}), not {len(translations)}:\n{code}"
        )
    starts = [0]
    for line in code.splitlines(keepends=True):
        starts.append(starts[-1] + len(line.encode("utf-8")))
    data = code.encode("utf-8")
    for node, text in reversed(list(zip(asserts, translations))):
        message = node.msg
        if isinstance(message, ast.JoinedStr):
            replacement = "f" + repr(text)
            english = {n.id for n in ast.walk(message) if isinstance(n, ast.Name)}
            translated = {n.id for n in ast.walk(ast.parse(replacement, mode="eval")) if isinstance(n, ast.Name)}
            if english != translated:
                raise ValueError(f"the {language} message {text!r} must use the names {sorted(english)}")
        elif isinstance(message, ast.Constant) and isinstance(message.value, str):
            replacement = repr(text)
        else:
            raise ValueError(f"an assert message must be a string or an f-string:\n{code}")
        begin = starts[message.lineno - 1] + message.col_offset
        end = starts[message.end_lineno - 1] + message.end_col_offset
        data = data[:begin] + replacement.encode("utf-8") + data[end:]
    return data.decode("utf-8")


# --- The student's starting point for each solution cell ------------------------------------------


def stored_names(node: ast.AST) -> list[str]:
    """Names a top-level statement binds, not looking inside functions, lambdas or comprehensions."""
    names: list[str] = []
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Store):
            names.append(current.id)
        if isinstance(current, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        stack.extend(ast.iter_child_nodes(current))
    return names


def scaffold(source: str, names: list[str], shown: set[str]) -> list[str]:
    """The lines that show the student where each answer name is defined, without its content.

    A function keeps its decorators and signature (``def f(x):`` then ``...``:
    the tests call it by that signature); any other name becomes
    ``name = ...``. Names already in ``shown`` (scaffolded in an earlier cell)
    are skipped, and are added to it.
    """
    lines: list[str] = []
    for node in ast.parse(source).body:
        for name in stored_names(node):
            if name not in names or name in shown:
                continue
            shown.add(name)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines += [f"@{ast.unparse(d)}" for d in node.decorator_list]
                keyword = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
                lines += [f"{keyword} {name}({ast.unparse(node.args)}):", "    ..."]
            else:
                lines.append(f"{name} = ...")
    return lines
