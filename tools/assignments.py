"""Auto-graded assignments from the book's chapters, with otter-grader (`make assignments`).

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
file per chapter, ``tools/assignment_tests/<chapter>.yml``, the same for both
editions::

    exercises:
      1:                     # the exercise number, as in "### Ejercicio 1"
        names:               # what the checks read, as the student notebook lists it
          my_predictions: {es: "...", en: "..."}
        tests:               # one otter test case each, worth 1 point
          - public: true     # the student's grader.check runs it; default: hidden
            code: |
              def test_three_predictions(my_predictions):
                  assert len(my_predictions) == 3, "message in English"
        planted: |           # a wrong answer the hidden tests must catch (tests/test_assignments.py)
          my_predictions = [(2, 4, 3), (5,), "error"]
        written_points: 1    # optional: points of the hand-graded question (default 1)

A test is a function whose parameters name the notebook's variables (otter's
exception-based format). Tests check what the exercise asks, with tolerances
that hold for other seeds and TensorFlow versions. An exercise whose solution
trains a model checks properties any sane run has, never this run's digits.

The outputs are reproducible: fixed cell ids, canonical JSON and a zip with
fixed dates and order, so re-running gives the same bytes.

Otter runs from its own virtual environment (``.venv-grading``, made by
``make assignments`` from ``requirements-grading.txt``): otter-grader 7.0.0
requires ``wrapt<2``, while the book's lock has the ``wrapt`` 2 that TensorFlow
installs for readers. Grading kernels get the book's kernel environment
(``tools/harness.py``: offline MNIST, quiet TensorFlow).

Usage:
    python -m tools.assignments build [CHAPTER ...]        (make assignments)
    python -m tools.assignments check [CHAPTER ...]        grade the reference solutions and the
                                                           planted answers; print the times
    python -m tools.assignments grade AUTOGRADER.zip SUBMISSION_OR_FOLDER ... [--csv FILE]
"""

from __future__ import annotations

import argparse
import ast
import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from tools.notebook_files import BOOK_DIR, LANGUAGES, REPO_ROOT, canonical_text, toc_pages, write_text_atomically

TESTS_DIR = Path(__file__).with_name("assignment_tests")
OUTPUT_DIR = REPO_ROOT / "_build" / "assignments"
GRADING_VENV = Path(os.environ.get("GRADING_VENV", REPO_ROOT / ".venv-grading"))
SOLUTION_TAG = "hide-cell"
# The earliest date a zip can store: the bytes never depend on the clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
GRADING_TIMEOUT_S = 1800

EXERCISES_HEADING = re.compile(r"^## (?:Ejercicios|Exercises)\s*$", re.M)
EXERCISE_HEADING = re.compile(r"^### (?:Ejercicio|Exercise) (\d+)\b")
SECTION_HEADING = re.compile(r"^## ", re.M)
# Lines otter assign would read as its own markers anywhere in a notebook.
OTTER_MARKERS = re.compile(
    r"#\s*(?:BEGIN|END)\s+(?:SOLUTION|PROMPT|IGNORE|QUESTION|TESTS|TEST CONFIG)"
    r"|# ?SOLUTION\b|# (?:IGNORE|SEED)\s*$|^```otter",
    re.M,
)

# Text the tool adds to the student notebook, in each edition's language.
TEXT = {
    "es": {
        "intro": (
            "**Cuaderno de ejercicios.** Es el capítulo completo, pero en cada ejercicio la solución se ha "
            "sustituido por `...`. Ejecuta primero la celda que prepara el corrector automático (Otter; necesitas "
            "el paquete `otter-grader`: `pip install otter-grader`) y después todas las celdas en orden, de arriba "
            "abajo, porque los ejercicios usan variables del capítulo. Escribe tu solución en lugar de cada `...` y "
            "comprueba cada ejercicio con la celda `grader.check(...)` que lo sigue. Esas comprobaciones son solo "
            "una parte: al corregir, se ejecutan otras más. Las respuestas escritas las corrige tu docente a mano."
        ),
        "names": (
            "**Para la corrección automática.** Escribe tu solución en las celdas de código de abajo, en lugar de "
            'cada `...`, y deja definidos estos nombres, que son los que lee `grader.check("{question}")`:'
        ),
        "written": (
            "**Ejercicio {number}: tu respuesta escrita.** Contesta en la celda de abajo, con tus palabras, a las "
            "preguntas del enunciado: tu predicción y por qué sale lo que sale. Esta respuesta la corrige tu "
            "docente a mano."
        ),
        "response": "_Escribe aquí tu respuesta, en lugar de este texto._",
        "init": "# Prepara el corrector automático (Otter)",
    },
    "en": {
        "intro": (
            "**Exercise notebook.** This is the whole chapter, but in each exercise the solution has been "
            "replaced by `...`. First run the cell that sets up Otter (you need the `otter-grader` package: "
            "`pip install otter-grader`), then every cell in order, top to bottom, because the exercises use the "
            "chapter's variables. Write your solution in place of each `...` and check each exercise with the "
            "`grader.check(...)` cell after it. Those checks are only a part: grading runs more of them. Your "
            "instructor grades the written answers by hand."
        ),
        "names": (
            "**For automatic grading.** Write your solution in the code cells below, in place of each `...`, and "
            'leave these names defined: they are what `grader.check("{question}")` reads:'
        ),
        "written": (
            "**Exercise {number}: your written answer.** Answer the questions in the statement in the cell below, "
            "in your own words: your prediction, and why the result is what it is. Your instructor grades this "
            "answer by hand."
        ),
        "response": "_Type your answer here, replacing this text._",
        "init": "# Initialize Otter",
    },
}
# What otter assign writes in English (otter-grader 7.0.0), replaced in the Spanish edition.
OTTER_TEXT = {"response": "_Type your answer here, replacing this text._", "init": "# Initialize Otter"}


# --- The chapters and their exercises -------------------------------------------------------------


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


# --- The student's starting point for each solution cell ------------------------------------------


def _stored_names(node: ast.AST) -> list[str]:
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
        for name in _stored_names(node):
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


# --- The Otter Assign master notebook -------------------------------------------------------------

ROLE = re.compile(r"\{[a-z-]+\}`([^`<]+?)(?:\s*<[^`>]*>)?`")
RELATIVE_LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)\s]+\.(?:ipynb|md)(?:#[^)\s]*)?)\)")
DIRECTIVE_OPEN = re.compile(r"^:::\{[a-z-]+\}[ \t]*(.*)$", re.M)
DIRECTIVE_CLOSE = re.compile(r"^:::[ \t]*\n?", re.M)


def repository_blob_url(language: str) -> str:
    """Where the edition's files are on the book's repository (from _config.yml, so forks follow)."""
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    return f"{config['url'].rstrip('/')}/blob/{config.get('branch', 'main')}/book/{language}"


def plain_markdown(source: str, language: str) -> str:
    """MyST that Jupyter does not render, as plain Markdown: roles, dropdowns, links to other pages."""
    source = ROLE.sub(r"\1", source)
    source = DIRECTIVE_OPEN.sub(lambda m: f"**{m.group(1).strip()}**" if m.group(1).strip() else "", source)
    source = DIRECTIVE_CLOSE.sub("", source)
    base = repository_blob_url(language)
    return RELATIVE_LINK.sub(lambda m: f"]({base}/{m.group(1)})", source).rstrip()


def raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def markdown(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text)


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text)


def book_cell(cell: nbformat.NotebookNode, language: str) -> nbformat.NotebookNode:
    """A copy of a chapter cell for the assignment: plain Markdown, no site-only metadata."""
    cell = copy.deepcopy(cell)
    if OTTER_MARKERS.search(cell.source):
        raise ValueError(f"cell {cell.get('id')}: contains a line otter assign would read as a marker")
    if cell.cell_type == "markdown":
        cell.source = plain_markdown(cell.source, language)
    tags = [tag for tag in cell.metadata.get("tags", []) if tag != SOLUTION_TAG]
    if tags:
        cell.metadata["tags"] = tags
    else:
        cell.metadata.pop("tags", None)
    if cell.metadata.get("mystnb"):  # solution toggles and alt text of the site
        cell.metadata.pop("mystnb")
    return cell


def assignment_config(chapter: str) -> str:
    config = {
        "name": chapter,  # otter run refuses a notebook of another chapter
        "requirements": "requirements.txt",  # the reader's pins, for a grading image (Gradescope)
        "python_version": "3.11",
        "init_cell": True,
        "check_all_cell": False,  # a check-all at the end would re-test every exercise against the final variables
        "export_cell": False,  # students hand in the .ipynb itself
        "run_tests": False,  # tests/test_assignments.py grades the solutions with otter run
        "solutions_pdf": False,
        "tests": {"files": False, "ok_format": False},
        "generate": {"pdf": False, "show_stdout": True},
    }
    return "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False, allow_unicode=True).rstrip()


def question_config(name: str, points: int, manual: bool = False) -> str:
    config = {"name": name, "points": points, **({"manual": True} if manual else {})}
    return "# BEGIN QUESTION\n" + yaml.safe_dump(config, sort_keys=False).rstrip()


def test_cell(test: dict) -> nbformat.NotebookNode:
    tree = ast.parse(test["code"])
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef):
        raise ValueError(f"a test must be exactly one function definition:\n{test['code']}")
    hidden = "false" if test.get("public") else "true"
    return code(f'""" # BEGIN TEST CONFIG\nhidden: {hidden}\n""" # END TEST CONFIG\n{test["code"].rstrip()}')


def solution_cell(
    cell: nbformat.NotebookNode, names: list[str], shown: set[str], language: str
) -> nbformat.NotebookNode:
    """The solution wrapped for otter: the student sees ``...`` (and the names' scaffold)."""
    wrapped = book_cell(cell, language)
    wrapped.outputs, wrapped.execution_count = [], None
    lines = scaffold(cell.source, names, shown)
    if any("'''" in line for line in lines):
        raise ValueError(f"cell {cell.get('id')}: a scaffold line contains '''")
    if lines:
        prompt = ["''' # BEGIN PROMPT", *lines, "''' # END PROMPT", "# BEGIN SOLUTION NO PROMPT"]
    else:
        prompt = ["# BEGIN SOLUTION"]
    wrapped.source = "\n".join([*prompt, cell.source, "# END SOLUTION"])
    return wrapped


def names_cell(question: str, names: dict, language: str) -> nbformat.NotebookNode:
    items = [f"- `{name}`: {descriptions[language]}." for name, descriptions in names.items()]
    return markdown("\n".join([TEXT[language]["names"].format(question=question), "", *items]))


def master_notebook(language: str, chapter: str) -> nbformat.NotebookNode:
    """The chapter in Otter Assign's format: a question per exercise, a manual one per prose answer."""
    notebook = nbformat.read(notebook_path(language, chapter), as_version=4)
    parsed = parse_chapter(notebook)
    tests = load_tests(chapter)
    numbers = [exercise.number for exercise in parsed.exercises]
    if sorted(numbers) != sorted(tests):
        raise ValueError(f"{chapter} ({language}): exercises {numbers} but tests for {sorted(tests)}")
    cells = notebook.cells
    out = [raw(assignment_config(chapter)), book_cell(cells[0], language), markdown(TEXT[language]["intro"])]
    out += [book_cell(cell, language) for cell in cells[1 : parsed.exercises_start + 1]]
    out += [book_cell(cells[i], language) for i in parsed.intro]
    for exercise in parsed.exercises:
        spec = tests[exercise.number]
        if exercise.solutions:
            names = list(spec["names"])
            shown: set[str] = set()
            out.append(raw(question_config(exercise.question, len(spec["tests"]))))
            out += [book_cell(cells[i], language) for i in exercise.prompt]
            out.append(names_cell(exercise.question, spec["names"], language))
            out.append(raw("# BEGIN SOLUTION"))
            out += [solution_cell(cells[i], names, shown, language) for i in exercise.solutions]
            out.append(raw("# END SOLUTION"))
            missing = [name for name in names if name not in shown]
            if missing:
                raise ValueError(f"{chapter} exercise {exercise.number}: the solution never defines {missing}")
            out += [raw("# BEGIN TESTS"), *(test_cell(test) for test in spec["tests"]), raw("# END TESTS")]
            out.append(raw("# END QUESTION"))
        elif spec.get("tests"):
            raise ValueError(f"{chapter} exercise {exercise.number}: tests, but no solution code to test")
        else:  # a prose-only exercise: its statement stays, with the written question below
            out += [book_cell(cells[i], language) for i in exercise.prompt]
        if exercise.answers:
            points = spec.get("written_points", 1)
            out.append(raw(question_config(exercise.written_question, points, manual=True)))
            out.append(markdown(TEXT[language]["written"].format(number=exercise.number)))
            out.append(raw("# BEGIN SOLUTION"))
            out += [book_cell(cells[i], language) for i in exercise.answers]
            out.append(raw("# END SOLUTION"))
            out.append(raw("# END QUESTION"))
    out += [book_cell(cell, language) for cell in cells[parsed.end :]]
    master = copy.deepcopy(notebook)
    master.cells = out
    fill_ids(master, "assignment", keep={cell.id for cell in cells})
    return master


def fill_ids(notebook: nbformat.NotebookNode, prefix: str, keep: set[str]) -> None:
    """Keep the ids in ``keep`` (the book's); give every other cell a fixed one, by position.

    nbformat gives new cells random ids, which would change the files on every build.
    """
    for i, cell in enumerate(notebook.cells):
        if cell.get("id") not in keep:
            cell["id"] = f"{prefix}-{i:03d}"


# --- otter assign: the student notebook and the autograder ----------------------------------------


class OtterError(RuntimeError):
    pass


def otter_command() -> Path:
    executable = GRADING_VENV / "bin" / "otter"
    if not executable.exists():
        raise OtterError(f"{executable} not found: `make book` or `make assignments` creates the grading environment")
    return executable


def run_otter(
    args: list[str], cwd: Path, timeout: float | None = None, kernels: bool = False
) -> subprocess.CompletedProcess:
    """Run otter from the grading environment; with ``kernels``, its kernels get the book's environment.

    That environment (tools/harness.py) is inherited by the kernel ``otter run``
    starts: offline MNIST through the IPython start-up hook, quiet TensorFlow.
    """
    env = dict(os.environ)
    if kernels:
        from tools import harness  # prepares the offline MNIST copy on first use

        env.update(harness.harness_variables())
    # The grading environment's own "python3" kernel, before any a user installed elsewhere.
    env["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(GRADING_VENV / "share" / "jupyter"), env.get("JUPYTER_PATH")])
    )
    return subprocess.run(
        [str(otter_command()), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def finish_notebook(notebook: nbformat.NotebookNode, language: str, keep: set[str]) -> str:
    """Otter's output made stable and in the edition's language: init cell after the intro, fixed ids."""
    init = [i for i, cell in enumerate(notebook.cells) if cell.source.startswith(OTTER_TEXT["init"])]
    if init != [0]:
        raise OtterError("otter assign no longer puts its init cell first: check tools/assignments.py")
    cell = notebook.cells.pop(0)
    cell.source = cell.source.replace(OTTER_TEXT["init"], TEXT[language]["init"], 1)
    notebook.cells.insert(2, cell)  # after the title and the intro, before the chapter
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source == OTTER_TEXT["response"]:
            cell.source = TEXT[language]["response"]
    fill_ids(notebook, "otter", keep)
    return canonical_text(notebook)


def repack_zip(source: Path, target: Path) -> None:
    """The same files in a zip whose bytes depend only on them: sorted, fixed dates and permissions."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as stable:
        for name in sorted(original.namelist()):
            if name.endswith("/"):
                continue
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            stable.writestr(info, original.read(name))


def autograder_zip(folder: Path, chapter: str) -> Path:
    """The autograder of a built chapter: its name says which chapter it grades."""
    return folder / "autograder" / f"{chapter}-autograder.zip"


def reader_requirements() -> str:
    """The reader's pins (requirements.txt) without comments: otter copies each line into its environment.yml."""
    lines = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return "".join(f"{line.split('#')[0].strip()}\n" for line in lines if line.split("#")[0].strip())


def build_chapter(language: str, chapter: str, output_dir: Path = OUTPUT_DIR) -> Path:
    """Write one chapter's student notebook and autograder; return their folder."""
    master = master_notebook(language, chapter)
    keep = {cell.id for cell in master.cells}
    target = output_dir / language / chapter
    with tempfile.TemporaryDirectory(prefix="assign-") as scratch:
        work = Path(scratch)
        (work / f"{chapter}.ipynb").write_text(canonical_text(master), encoding="utf-8")
        (work / "requirements.txt").write_text(reader_requirements(), encoding="utf-8")
        result = run_otter(["assign", "--no-pdfs", "--no-run-tests", f"{chapter}.ipynb", "dist"], cwd=work)
        if result.returncode != 0:
            raise OtterError(f"otter assign failed for {language}/{chapter}:\n{result.stdout}\n{result.stderr}")
        zips = sorted((work / "dist" / "autograder").glob("*.zip"))
        if len(zips) != 1:
            raise OtterError(f"otter assign wrote {len(zips)} autograder zips for {language}/{chapter}")
        shutil.rmtree(target, ignore_errors=True)
        for part in ("student", "autograder"):
            (target / part).mkdir(parents=True)
            notebook = nbformat.read(work / "dist" / part / f"{chapter}.ipynb", as_version=4)
            write_text_atomically(target / part / f"{chapter}.ipynb", finish_notebook(notebook, language, keep))
        repack_zip(zips[0], autograder_zip(target, chapter))
    return target


def build(selected: list[str] | None = None, output_dir: Path = OUTPUT_DIR, quiet: bool = False) -> list[Path]:
    """Build the given chapters (default: all) in every edition, one otter process per core at a time."""
    jobs = [(language, chapter) for chapter in selected or chapters() for language in LANGUAGES]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        folders = list(pool.map(lambda job: build_chapter(*job, output_dir), jobs))
    if not quiet:
        for folder in folders:
            print(f"built {folder.relative_to(output_dir)}")
    return folders


def student_download(chapter: str) -> str:
    """Where a chapter's student notebook goes in its edition's site downloads.

    The file keeps otter's name, ``<chapter>.ipynb``: its first cell opens the
    notebook by that name to read the checks.
    """
    return f"student/{chapter}.ipynb"


def publish_student_notebooks(downloads: dict[str, Path], output_dir: Path = OUTPUT_DIR) -> list[Path]:
    """Build every chapter and copy its student notebook into each edition's downloads folder.

    Only the student notebooks are published: the autograders hold the hidden
    tests, and the instructor builds them with `make assignments`.
    """
    build(output_dir=output_dir, quiet=True)
    published = []
    for language, folder in downloads.items():
        for chapter in chapters():
            target = folder / student_download(chapter)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(output_dir / language / chapter / "student" / f"{chapter}.ipynb", target)
            published.append(target)
    return published


# --- Grading: otter run ---------------------------------------------------------------------------


@dataclass
class Grade:
    """What otter run said about one submission."""

    questions: dict[str, tuple[float, float]]  # question -> (score, possible)
    failed_tests: dict[str, list[tuple[str, bool, str]]]  # question -> [(test, hidden, message)] that failed
    seconds: float
    output: str = ""

    @property
    def score(self) -> float:
        return sum(score for score, _ in self.questions.values())

    @property
    def possible(self) -> float:
        return sum(possible for _, possible in self.questions.values())


# Runs in the grading environment: otter's pickled GradingResults as plain JSON.
RESULTS_TO_JSON = """
import json, sys
import dill
results = dill.load(open(sys.argv[1], "rb"))
print(json.dumps({
    name: {
        "score": test_file.score,
        "possible": test_file.possible,
        "failed": [
            [r.test_case.name or "", bool(r.test_case.hidden), r.message]
            for r in test_file.test_case_results
            if not r.passed
        ],
    }
    for name, test_file in results.results.items()
}))
"""


def grade(submission: Path, autograder: Path) -> Grade:
    """Grade one submission (.ipynb or .zip) with ``otter run``, as an instructor would."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="otter-run-") as scratch:
        result = run_otter(
            ["run", "--no-logo", "-p", "-a", str(autograder.resolve()), "-o", scratch, str(submission.resolve())],
            cwd=Path(scratch),
            timeout=GRADING_TIMEOUT_S,
            kernels=True,
        )
        pickled = Path(scratch) / "results.pkl"
        if result.returncode != 0 or not pickled.exists():
            raise OtterError(f"otter run failed on {submission}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        converted = subprocess.run(
            [str(GRADING_VENV / "bin" / "python"), "-c", RESULTS_TO_JSON, str(pickled)],
            capture_output=True,
            text=True,
            check=True,
        )
    results = json.loads(converted.stdout)
    questions = {name: (float(r["score"]), float(r["possible"])) for name, r in sorted(results.items())}
    failed = {name: [tuple(case) for case in r["failed"]] for name, r in sorted(results.items())}
    return Grade(questions, failed, time.perf_counter() - started, result.stdout)


# --- Submissions the tests grade: the reference solutions, and the planted wrong answers -------------


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
            set(tests[exercise.number]["names"]) | {n for node in ast.parse(wrong).body for n in _stored_names(node)}
        )
        backup = f"_right_answer_{exercise.number}"
        at = check_cell_index(notebook, exercise.question)
        notebook.cells.insert(at + 1, code(f"globals().update({backup})"))
        notebook.cells.insert(
            at, code(f"{backup} = {{name: globals()[name] for name in {names!r} if name in globals()}}\n{wrong}")
        )
    fill_ids(notebook, "submission", keep={cell.get("id") for cell in student.cells})
    return notebook


# --- Command line -----------------------------------------------------------------------------------


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
        path.write_text(canonical_text(submission(language, chapter, student, planted)), encoding="utf-8")
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


def submissions_in(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each submission and the name its CSV row shows: a folder is searched recursively.

    An LMS download keeps each student's name or id in the file or folder name, so the
    name shown is the path below the folder given.
    """
    found = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.suffix in (".ipynb", ".zip") and ".ipynb_checkpoints" not in p.parts
            )
            found += [(file, file.relative_to(path).as_posix()) for file in files]
        else:
            found.append((path, path.name))
    return found


def grade_to_csv(autograder: Path, paths: list[Path], csv_path: Path | None) -> int:
    """Grade each submission; print its score and optionally write one CSV row per submission."""
    rows, failures = [], 0
    for path, name in submissions_in(paths):
        try:
            result = grade(path, autograder)
        except OtterError as error:
            failures += 1
            print(f"{name}: NOT GRADED\n{error}", file=sys.stderr)
            continue
        percent = 100 * result.score / result.possible if result.possible else 0.0
        print(f"{name}: {result.score:g}/{result.possible:g} ({percent:.1f} %)")
        rows.append(
            {
                "file": name,
                **{q: s for q, (s, _) in result.questions.items()},
                "total": result.score,
                "possible": result.possible,
                "percent": round(percent, 1),
            }
        )
    if csv_path and rows:
        columns = list(dict.fromkeys(key for row in rows for key in row))
        with open(csv_path, "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {csv_path}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in [
        ("build", "build the student notebooks and autograders"),
        ("check", "build, then grade the solutions and the planted answers"),
    ]:
        command = commands.add_parser(name, help=text)
        command.add_argument("chapters", nargs="*", help=f"default: every chapter with tests ({', '.join(chapters())})")
    grading = commands.add_parser("grade", help="grade submissions (files or folders) with an autograder zip")
    grading.add_argument("autograder", type=Path)
    grading.add_argument("submissions", nargs="+", type=Path)
    grading.add_argument("--csv", type=Path, help="write the scores here, one row per submission")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build(args.chapters)
            return 0
        if args.command == "check":
            return 1 if any(outcome.problems for outcome in check(args.chapters)) else 0
        return grade_to_csv(args.autograder, args.submissions, args.csv)
    except OtterError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
