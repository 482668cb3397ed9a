"""Lint the chapter notebooks against the book's template and code rules.

Rules (each message names the notebook and the cell):
- exactly one H1, in the first cell;
- the template sections, in the notebook's language: learning objectives,
  estimated time, setup, summary, exercises;
- every exercise has a solution: a code cell tagged ``hide-cell`` after it;
- code cells of at most 25 lines; imports only in the setup (first code) cell;
- no star imports, no ``sys.path`` changes, no imports of repository files
  (``tools``, ``tests``), no absolute paths in string literals;
- no empty cells; kernelspec ``python3``;
- no output shows a number at rounding-noise level (``4.4e-16``,
  ``0.30000000000000004``): such digits change with the processor, the BLAS
  kernel or the thread count, so a stored output would fail on another machine.
  Print what matters instead: ``np.allclose(a, b)``, "below 1e-12".

Front matter: a notebook whose file name starts with ``00_`` (the setup check,
``00_setup.ipynb``) is a page read before chapter 1, not a chapter. It keeps
every rule above except the template sections (objectives, estimated time,
setup, summary, exercises), which it does not need. Only the ``00_`` prefix
counts: a chapter (``01_`` onwards) that lacks a section still fails.

Usage: python -m tools.notebooks.lint [NOTEBOOK ...]   (default: every notebook in _toc.yml)
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat

from tools.common.checks import report
from tools.common.layout import chapter_notebooks, language_of

MAX_CODE_LINES = 25
REPO_MODULES = {"tools", "tests", "conftest"}
SOLUTION_TAG = "hide-cell"
ABSOLUTE_PATH = re.compile(r"^(/[\w.-]+/|[A-Za-z]:\\|~[/\\])")
# A measured value printed below 1e-9 in scientific notation (a bare power of
# ten such as "1e-12" is a threshold, and stays allowed), or a number with 12 or
# more decimals: float64 rounding noise, never a result a reader needs.
ROUNDING_NOISE = re.compile(r"(?<![\w.])(?:\d+\.\d+|[2-9])[eE]-0*[1-9]\d+\b|(?<![\w.])\d+\.\d{12,}")

TEMPLATE = {
    "es": {
        "objectives": re.compile(r"\*\*Objetivos de aprendizaje\*\*|^#+ Objetivos de aprendizaje", re.M),
        "estimated time": re.compile(r"\*\*Duración estimada:?\*\*"),
        "setup": re.compile(r"^## Configuración\s*$", re.M),
        "summary": re.compile(r"^## Resumen\s*$", re.M),
        "exercises": re.compile(r"^## Ejercicios\s*$", re.M),
        "exercise": re.compile(r"^### Ejercicio \d+", re.M),
    },
    "en": {
        "objectives": re.compile(r"\*\*Learning objectives\*\*|^#+ Learning objectives", re.M),
        "estimated time": re.compile(r"\*\*Estimated time:?\*\*"),
        "setup": re.compile(r"^## Setup\s*$", re.M),
        "summary": re.compile(r"^## Summary\s*$", re.M),
        "exercises": re.compile(r"^## Exercises\s*$", re.M),
        "exercise": re.compile(r"^### Exercise \d+", re.M),
    },
}
SECTIONS = ("objectives", "estimated time", "setup", "summary", "exercises")
# File-name prefix of front-matter pages, which skip the chapter sections.
FRONT_MATTER_PREFIX = "00_"


def is_front_matter(path: Path) -> bool:
    """A page read before the chapters (``00_setup.ipynb``): no chapter sections required."""
    return path.name.startswith(FRONT_MATTER_PREFIX)


def h1_count(markdown: str) -> int:
    without_code = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    return len(re.findall(r"^# \S", without_code, flags=re.M))


def code_problems(source: str, is_setup: bool) -> list[str]:
    """Problems in one code cell's source (already known not to be empty)."""
    problems = []
    lines = source.rstrip("\n").count("\n") + 1
    if lines > MAX_CODE_LINES:
        problems.append(f"{lines} lines (at most {MAX_CODE_LINES}): split it into cells with one idea each")
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return problems + [f"does not parse as Python ({error.msg}, line {error.lineno})"]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else names[0]
            if "*" in names:
                problems.append(f"star import from {module}: import the names you use")
            roots = {(module or "").split(".")[0]} | {n.split(".")[0] for n in names if isinstance(node, ast.Import)}
            if roots & REPO_MODULES or (isinstance(node, ast.ImportFrom) and node.level > 0):
                problems.append(f"imports repository code ({module}): a notebook must run alone, as on Colab")
            if not is_setup:
                problems.append(f"import of {module} outside the setup cell: import everything in Setup")
        elif isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", None) == "sys":
            problems.append("changes or reads sys.path: a notebook must not depend on the repository layout")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and ABSOLUTE_PATH.match(node.value):
            problems.append(f"absolute path {node.value!r}: use a path relative to the notebook")
    return problems


def output_text(cell) -> str:
    """What a code cell shows as text: streams and the plain-text form of results."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif "text/plain" in output.get("data", {}):
            parts.append(output["data"]["text/plain"])
    return "".join(parts)


def noise_problems(cell) -> list[str]:
    found = ROUNDING_NOISE.findall(output_text(cell))
    if not found:
        return []
    return [
        f"output shows rounding noise ({', '.join(sorted(set(found))[:3])}): those digits change with the "
        "processor; print what matters instead (np.allclose(...), 'below 1e-12')"
    ]


def lint(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    language = language_of(path)
    template = TEMPLATE[language]
    problems = []
    if notebook.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append(f"{path}: kernelspec must be python3")
    cells = notebook.cells
    markdown = "\n\n".join(c.source for c in cells if c.cell_type == "markdown")
    first = cells[0] if cells else None
    if first is None or first.cell_type != "markdown" or not first.source.startswith("# "):
        problems.append(f"{path} cell 0: the first cell must be Markdown starting with the H1 title")
    if h1_count(markdown) != 1:
        problems.append(f"{path}: {h1_count(markdown)} H1 headings; a notebook has exactly one")
    for section in () if is_front_matter(path) else SECTIONS:
        if not template[section].search(markdown):
            problems.append(f"{path}: missing the '{section}' section of the chapter template ({language})")
    code_indexes = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    setup_index = code_indexes[0] if code_indexes else None
    for index, cell in enumerate(cells):
        where = f"{path} cell {index}"
        if not cell.source.strip():
            problems.append(f"{where}: empty cell: delete it")
            continue
        if cell.cell_type == "code":
            problems += [f"{where}: {p}" for p in code_problems(cell.source, index == setup_index)]
            problems += [f"{where}: {p}" for p in noise_problems(cell)]
        if cell.cell_type == "markdown" and template["exercise"].search(cell.source):
            following = []
            for later in cells[index + 1 :]:
                if later.cell_type == "markdown":
                    break
                following.append(later)
            if not any(SOLUTION_TAG in c.metadata.get("tags", []) for c in following):
                problems.append(
                    f"{where}: exercise without a solution (a code cell tagged '{SOLUTION_TAG}' right after it)"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    paths = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or chapter_notebooks()
    problems = [p for path in paths for p in lint(path)]
    return report(problems, f"notebook lint: {len(paths)} notebooks, 0 problems")


if __name__ == "__main__":
    raise SystemExit(main())
