"""The notebook lint passes on every chapter and catches each rule on a fixture."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.common.layout import REPO_ROOT, chapter_notebooks
from tools.notebooks import lint


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_chapter_passes(path):
    assert lint.lint(path) == []


def valid_chapter():
    solution = new_code_cell("print(2 + 2)")
    solution.metadata["tags"] = ["hide-cell"]
    notebook = new_notebook(
        cells=[
            new_markdown_cell(
                "# 9. Capítulo de prueba\n\n**Objetivos de aprendizaje**\n\n- Uno\n\n**Duración estimada:** 10 minutos"
            ),
            new_markdown_cell("## Configuración"),
            new_code_cell("import numpy as np\n\nprint(np.__version__)"),
            new_markdown_cell("## Una sección"),
            new_code_cell("x = np.arange(3)\nprint(x)"),
            new_markdown_cell("## Resumen\n\n- Algo."),
            new_markdown_cell("## Ejercicios"),
            new_markdown_cell("### Ejercicio 1: suma\n\n¿Cuánto es 2 + 2?"),
            solution,
        ]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def lint_fixture(tmp_path, change=None):
    notebook = valid_chapter()
    if change:
        change(notebook)
    path = tmp_path / "es" / "09_test.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(notebook, path)
    return lint.lint(path)


def set_output(index, text):
    def change(notebook):
        notebook.cells[index].outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]

    return change


def set_source(index, source):
    def change(notebook):
        notebook.cells[index].source = source

    return change


def test_the_valid_fixture_passes(tmp_path):
    assert lint_fixture(tmp_path) == []


@pytest.mark.parametrize(
    "change, message",
    [
        (set_source(3, "# Otra H1"), "2 H1 headings"),
        (
            set_source(0, "Sin título\n\n**Objetivos de aprendizaje**\n\n**Duración estimada:** 1"),
            "must be Markdown starting with the H1",
        ),
        (set_source(0, "# T\n\n**Duración estimada:** 10 minutos"), "'objectives' section"),
        (set_source(0, "# T\n\n**Objetivos de aprendizaje**"), "'estimated time' section"),
        (set_source(1, "## Preparación"), "'setup' section"),
        (set_source(5, "## Conclusión"), "'summary' section"),
        (set_source(6, "## Práctica"), "'exercises' section"),
        (lambda nb: nb.cells[8].metadata.update(tags=[]), "cell 7: exercise without a solution"),
        (set_source(4, "\n".join(f"x{i} = {i}" for i in range(26))), "cell 4: 26 lines (at most 25)"),
        (set_source(4, "from numpy import *"), "cell 4: star import from numpy"),
        (set_source(2, "import sys\nsys.path.append('..')"), "cell 2: changes or reads sys.path"),
        (set_source(2, "from tools import mnist_data"), "cell 2: imports repository code (tools)"),
        (set_source(2, "from .helpers import f"), "cell 2: imports repository code"),
        (set_source(4, "import os\nprint(os.sep)"), "cell 4: import of os outside the setup cell"),
        (set_source(4, "data = open('/home/ana/mnist.npz')"), "cell 4: absolute path '/home/ana/mnist.npz'"),
        (set_source(3, "   "), "cell 3: empty cell"),
        (lambda nb: nb.metadata.update(kernelspec={"name": "python2"}), "kernelspec must be python3"),
        (set_output(4, "Diferencia máxima: 4.4e-16\n"), "cell 4: output shows rounding noise (4.4e-16)"),
        (set_output(4, "0.30000000000000004\n"), "cell 4: output shows rounding noise (0.30000000000000004)"),
    ],
)
def test_each_rule_catches_its_fixture(tmp_path, change, message):
    problems = lint_fixture(tmp_path, change)
    assert any(message in p for p in problems), problems


def test_thresholds_and_rounded_results_are_not_noise(tmp_path):
    text = "¿Iguales? True (diferencia por debajo de 1e-12)\nexactitud: 0.9761 - pérdida: 1.2e-03\n"
    assert lint_fixture(tmp_path, set_output(4, text)) == []


def test_english_notebooks_need_english_sections(tmp_path):
    path = tmp_path / "en" / "09_test.ipynb"
    path.parent.mkdir()
    nbformat.write(valid_chapter(), path)
    problems = lint.lint(path)
    assert any("'setup' section of the chapter template (en)" in p for p in problems)


def test_the_chapter_template_passes():
    template = REPO_ROOT / "tools" / "notebooks" / "templates" / "chapter_template.ipynb"
    assert lint.lint(template) == []


def front_matter_page():
    """A setup-check page: one H1, prose and a single code cell, no chapter sections."""
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# 0. Antes de empezar: comprueba tu entorno\n\nEjecuta la celda siguiente."),
            new_code_cell("import numpy as np\n\nprint('NumPy', np.__version__)"),
            new_markdown_cell("## Siguiente paso\n\nEmpieza por el [capítulo 1](01_tensorflow.ipynb)."),
        ]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def lint_as(tmp_path, notebook, name):
    path = tmp_path / "es" / name
    path.parent.mkdir(exist_ok=True)
    nbformat.write(notebook, path)
    return lint.lint(path)


def test_a_front_matter_page_needs_no_chapter_sections(tmp_path):
    assert lint_as(tmp_path, front_matter_page(), "00_setup.ipynb") == []


def test_only_the_00_prefix_excuses_the_chapter_sections(tmp_path):
    problems = lint_as(tmp_path, front_matter_page(), "01_setup.ipynb")
    for section in lint.SECTIONS:
        assert any(f"'{section}' section" in p for p in problems), problems


def test_a_chapter_without_exercises_still_fails(tmp_path):
    chapter = valid_chapter()
    del chapter.cells[6:]  # "## Ejercicios", the exercise and its solution
    problems = lint_as(tmp_path, chapter, "01_test.ipynb")
    assert any("'exercises' section" in p for p in problems), problems


@pytest.mark.parametrize(
    "change, message",
    [
        (set_source(2, "## Siguiente paso\n\n# Otra H1"), "2 H1 headings"),
        (lambda nb: nb.cells.append(new_code_cell("import os\nprint(os.sep)")), "import of os outside the setup cell"),
        (set_source(1, "from tools import mnist_data"), "imports repository code (tools)"),
        (set_output(1, "Diferencia máxima: 4.4e-16\n"), "output shows rounding noise"),
    ],
)
def test_a_front_matter_page_keeps_the_other_rules(tmp_path, change, message):
    page = front_matter_page()
    change(page)
    problems = lint_as(tmp_path, page, "00_setup.ipynb")
    assert any(message in p for p in problems), problems
