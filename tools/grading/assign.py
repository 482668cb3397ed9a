"""The Otter Assign master notebook made from a chapter, and otter's output made stable.

Each exercise becomes an otter question (its solution cells, its tests from the
tests file); each prose answer, a question graded by hand. See tools/grading/chapters.py
for the tests file's format.
"""

from __future__ import annotations

import ast
import base64
import copy
import re

import nbformat
import yaml

from tools.common import locks
from tools.common.layout import REPO_ROOT
from tools.grading.chapters import SOLUTION_TAG, load_tests, localized_code, notebook_path, parse_chapter, scaffold
from tools.grading.otter import OtterError
from tools.notebooks.files import canonical_text

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
            "sustituido por `...`. Ejecuta primero la celda que prepara el corrector automático (Otter; la celda "
            "instala el paquete `otter-grader` si falta y trae dentro las comprobaciones) y después todas las celdas "
            "en orden, de arriba abajo, porque los ejercicios usan variables del capítulo. Escribe tu solución en "
            "lugar de cada `...` y comprueba cada ejercicio con la celda `grader.check(...)` que lo sigue. Esas "
            "comprobaciones son solo una parte: al corregir, se ejecutan otras más. Las respuestas escritas las "
            "corrige tu docente a mano."
        ),
        "names": (
            "**Para la corrección automática.** Escribe tu solución en las celdas de código de abajo, en lugar de "
            'cada `...`, y deja definidos estos nombres, que son los que lee `grader.check("{question}")`:'
        ),
        "written": (
            "**Ejercicio {number}: tu respuesta escrita.** Contesta en la celda de abajo, con tus palabras, a las "
            "preguntas del enunciado: tu predicción y por qué sale lo que sale. Esta respuesta la corrige tu docente "
            "a mano."
        ),
        "response": "_Escribe aquí tu respuesta, en lugar de este texto._",
        "init": "# Prepara el corrector automático (Otter): lo instala si falta y desempaqueta las comprobaciones",
    },
    "en": {
        "intro": (
            "**Exercise notebook.** This is the whole chapter, but in each exercise the solution has been replaced "
            "by `...`. First run the cell that sets up Otter (it installs the `otter-grader` package if missing and "
            "carries the checks inside), then every cell in order, top to bottom, because the exercises use the "
            "chapter's variables. Write your solution in place of each `...` and check each exercise with the "
            "`grader.check(...)` cell after it. Those checks are only a part: grading runs more of them. Your "
            "instructor grades the written answers by hand."
        ),
        "names": (
            "**For automatic grading.** Write your solution in the code cells below, in place of each `...`, and "
            'leave these names defined: they are what `grader.check("{question}")` reads:'
        ),
        "written": (
            "**Exercise {number}: your written answer.** Answer the questions in the statement in the cell below, in "
            "your own words: your prediction, and why the result is what it is. Your instructor grades this answer "
            "by hand."
        ),
        "response": "_Type your answer here, replacing this text._",
        "init": "# Sets up the autograder (Otter): installs it if missing and unpacks the checks",
    },
}
# What otter assign writes in English (otter-grader 7.0.0), replaced in the Spanish edition.
OTTER_TEXT = {"response": "_Type your answer here, replacing this text._", "init": "# Initialize Otter"}
# The cell otter assign puts before its init cell for ``runs_on: colab`` (unpinned; replaced).
OTTER_PIP_CELL = "%pip install -q otter-grader"


SCREEN_ONLY = re.compile(r'<span class="screen-only">.*?</span>[ \t]*\n?', re.S)
ROLE = re.compile(r"\{[a-z-]+\}`([^`<]+?)(?:\s*<[^`>]*>)?`")
RELATIVE_LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)\s]+\.(?:ipynb|md)(?:#[^)\s]*)?)\)")
DIRECTIVE_OPEN = re.compile(r"^:::\{[a-z-]+\}[ \t]*(.*)$", re.M)
DIRECTIVE_CLOSE = re.compile(r"^:::[ \t]*\n?", re.M)


def repository_blob_url(language: str) -> str:
    """Where the edition's files are on the book's repository (from _config.yml, so forks follow)."""
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    return f"{config['url'].rstrip('/')}/blob/{config.get('branch', 'main')}/book/{language}"


def plain_markdown(source: str, language: str) -> str:
    """MyST that Jupyter does not render, as plain Markdown: roles, dropdowns, links to other pages.

    Sentences meant for the site only (``<span class="screen-only">``: "unfold the
    solution") are dropped: a student notebook has no solution to unfold.
    """
    source = SCREEN_ONLY.sub("", source)
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
        # Colab: otter adds its install cell and reads the checks from test files (tests/qN.py);
        # finish_notebook packs those files into the set-up cell, so the notebook needs nothing else.
        "runs_on": "colab",
        "check_all_cell": False,  # a check-all at the end would re-test every exercise against the final variables
        "export_cell": False,  # students hand in the .ipynb itself
        "run_tests": False,  # tests/test_assignments.py grades the solutions with otter run
        "solutions_pdf": False,
        "tests": {"files": True, "ok_format": False},
        "generate": {"pdf": False, "show_stdout": True},
    }
    return "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False, allow_unicode=True).rstrip()


def question_config(name: str, points: int, manual: bool = False) -> str:
    config = {"name": name, "points": points, **({"manual": True} if manual else {})}
    return "# BEGIN QUESTION\n" + yaml.safe_dump(config, sort_keys=False).rstrip()


def test_cell(test: dict, language: str) -> nbformat.NotebookNode:
    tree = ast.parse(test["code"])
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef):
        raise ValueError(f"a test must be exactly one function definition:\n{test['code']}")
    hidden = "false" if test.get("public") else "true"
    source = localized_code(test, language).rstrip()
    return code(f'""" # BEGIN TEST CONFIG\nhidden: {hidden}\n""" # END TEST CONFIG\n{source}')


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
            out += [raw("# BEGIN TESTS"), *(test_cell(test, language) for test in spec["tests"]), raw("# END TESTS")]
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


def setup_source(language: str, tests_zip: bytes) -> str:
    """The set-up cell: otter-grader at the grading environment's version when missing, the checks unpacked.

    Otter's own Colab support (``runs_on: colab``) adds an unpinned ``%pip install`` cell and
    reads the checks from test files beside the notebook, which a notebook opened alone (Colab's
    "Upload notebook", an "Open in Colab" link) does not have; its other storage, the notebook's
    metadata, is read from the .ipynb on disk by name, which Colab's kernel cannot see, and otter
    refuses it on Colab. So the cell carries otter's own test files (a zip, base64) and hands
    their folder to ``otter.Notebook(tests_dir=...)``, otter's documented argument. When otter
    grades a submission, it replaces that folder with the autograder's (hidden tests included).
    """
    version = locks.pins(locks.GRADING_LOCK)["otter-grader"]
    blob = base64.b64encode(tests_zip).decode("ascii")
    return "\n".join(
        [
            TEXT[language]["init"],
            "import importlib.util",
            "",
            'if importlib.util.find_spec("otter") is None:',
            f"    %pip install --quiet otter-grader=={version}",
            "import base64, io, tempfile, zipfile",
            "import otter",
            "",
            'tests_dir = tempfile.mkdtemp(prefix="otter-tests-")',
            f'zipfile.ZipFile(io.BytesIO(base64.b64decode("{blob}"))).extractall(tests_dir)',
            "grader = otter.Notebook(tests_dir=tests_dir)",
        ]
    )


def finish_notebook(notebook: nbformat.NotebookNode, language: str, keep: set[str], tests_zip: bytes) -> str:
    """Otter's output made stable and in the edition's language: one set-up cell after the intro, fixed ids.

    Otter's install and init cells (``runs_on: colab``) become the cell of ``setup_source``;
    the notebook keeps otter's metadata (the assignment's name, checked by ``otter run``).
    """
    sources = [cell.source for cell in notebook.cells[:2]]
    if len(sources) < 2 or sources[0] != OTTER_PIP_CELL or not sources[1].startswith(OTTER_TEXT["init"]):
        raise OtterError("otter assign no longer starts with its install and init cells: check tools/grading/")
    notebook.cells.pop(0)
    cell = notebook.cells.pop(0)
    cell.source = setup_source(language, tests_zip)
    notebook.cells.insert(2, cell)  # after the title and the intro, before the chapter
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source == OTTER_TEXT["response"]:
            cell.source = TEXT[language]["response"]
    fill_ids(notebook, "otter", keep)
    return canonical_text(notebook, also_kept=("otter",))
