"""`make assignments`: each chapter's student notebook and autograder, and the site's copies.

The outputs are reproducible: fixed cell ids, canonical JSON and a zip with
fixed dates and order, so re-running gives the same bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from tools.common.files import write_bytes_atomically, write_text_atomically, write_zip
from tools.common.layout import LANGUAGES, REPO_ROOT
from tools.grading.assign import finish_notebook, master_notebook
from tools.grading.chapters import chapters, notebook_path
from tools.grading.otter import OtterError, run_otter
from tools.notebooks.files import canonical_text

OUTPUT_DIR = REPO_ROOT / "_build" / "assignments"


# Put at the top of each test file of an autograder whose chapter loads MNIST: otter loads a test
# file in the grading kernel at the first grader.check, and again for the unchecked ones before it
# writes the results. Otter has no step of its own for this: `otter run` installs nothing and runs
# no setup.sh, its plugins must be installed packages (not files in the zip), and its debug mode
# stops at any error in a student's code. So the check stops the kernel, whose death stops
# `otter run` (and Gradescope's run) with this message above otter's traceback.
MNIST_GUARD = """\
def _stop_unless_mnist_loads():  # added by the book: without MNIST every answer would score 0
    import os, sys
    try:
        import keras
        keras.datasets.mnist.load_data()
    except Exception as error:
        text = {message!r}.format(error=f"{{type(error).__name__}}: {{error}}")
        # The kernel's own standard error (ipykernel keeps a copy when it captures fd 2): the terminal.
        os.write(getattr(sys.stderr, "_original_stdstream_copy", None) or 2, text.encode("utf-8"))
        os._exit(3)


_stop_unless_mnist_loads()
del _stop_unless_mnist_loads

"""
MNIST_MESSAGE = {
    "es": (
        "\n*** CORRECCIÓN DETENIDA: el núcleo que corrige no puede cargar MNIST ({error}).\n"
        "*** Sin MNIST, cada respuesta que usa los datos tendría un 0.\n"
        "*** Solución: corrige en un equipo con acceso a storage.googleapis.com (Keras guarda mnist.npz en "
        "~/.keras/datasets) o, desde el repositorio del libro, con `make data` y "
        "`.venv/bin/python -m tools.grading grade`.\n\n"
    ),
    "en": (
        "\n*** GRADING STOPPED: the grading kernel cannot load MNIST ({error}).\n"
        "*** Without MNIST, every answer that uses the data would score 0.\n"
        "*** Fix: grade on a machine that can reach storage.googleapis.com (Keras keeps mnist.npz in "
        "~/.keras/datasets) or, from the book's repository, with `make data` and "
        "`.venv/bin/python -m tools.grading grade`.\n\n"
    ),
}


def loads_mnist(language: str, chapter: str) -> bool:
    """Whether the chapter's code loads MNIST (then its autograder cannot grade without it)."""
    notebook = nbformat.read(notebook_path(language, chapter), as_version=4)
    return any("mnist.load_data(" in cell.source for cell in notebook.cells if cell.cell_type == "code")


def repack_zip(source: Path, target: Path, guard: str = "") -> None:
    """The same files in a zip whose bytes depend only on them: sorted, fixed dates and permissions.

    ``guard`` goes at the top of each test file (tests/*.py).
    """
    with zipfile.ZipFile(source) as original:
        names = sorted(name for name in original.namelist() if not name.endswith("/"))
        members = []
        for name in names:
            data = original.read(name)
            if guard and name.startswith("tests/") and name.endswith(".py"):
                data = guard.encode("utf-8") + data
            members.append((name, data))
        write_zip(target, members)


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
        tests = public_tests_zip(work / "dist" / "student" / "tests")
        shutil.rmtree(target, ignore_errors=True)
        for part in ("student", "autograder"):
            (target / part).mkdir(parents=True)
            notebook = nbformat.read(work / "dist" / part / f"{chapter}.ipynb", as_version=4)
            write_text_atomically(target / part / f"{chapter}.ipynb", finish_notebook(notebook, language, keep, tests))
        guard = MNIST_GUARD.format(message=MNIST_MESSAGE[language]) if loads_mnist(language, chapter) else ""
        repack_zip(zips[0], autograder_zip(target, chapter), guard)
    return target


def public_tests_zip(tests_dir: Path) -> bytes:
    """The student's test files (public tests only, as otter assign wrote them), as reproducible zip bytes."""
    files = sorted(tests_dir.glob("*.py"))
    if not files:
        raise OtterError(f"otter assign wrote no test files in {tests_dir}")
    with tempfile.TemporaryDirectory(prefix="tests-zip-") as scratch:
        path = write_zip(Path(scratch) / "tests.zip", [(file.name, file.read_bytes()) for file in files])
        return path.read_bytes()


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

    The file keeps the chapter's name, ``<chapter>.ipynb``; it works under any other
    name too (its set-up cell carries the checks).
    """
    return f"student/{chapter}.ipynb"


def publish_student_notebooks(downloads: dict[str, Path], output_dir: Path = OUTPUT_DIR) -> list[Path]:
    """Build every chapter and copy its student notebook into each edition's downloads folder.

    Only the student notebooks are published: the autograders hold the hidden
    tests, and the instructor builds them with `make assignments`.
    """
    build(output_dir=output_dir, quiet=True)
    return copy_student_notebooks(downloads, output_dir)


# The student notebooks, committed so that Colab can open them from GitHub in one click
# (book/_ext/colab_exercises.py links them; tests/test_site.py checks they match a fresh build).
EXERCISES_DIR = REPO_ROOT / "exercises"


def refresh_exercises(output_dir: Path = OUTPUT_DIR) -> list[Path]:
    """Copy every built student notebook to ``exercises/<edition>/<chapter>.ipynb``."""
    written = []
    for language in LANGUAGES:
        for chapter in chapters():
            target = EXERCISES_DIR / language / f"{chapter}.ipynb"
            write_bytes_atomically(
                target, (output_dir / language / chapter / "student" / f"{chapter}.ipynb").read_bytes()
            )
            written.append(target)
    return written


def copy_student_notebooks(downloads: dict[str, Path], output_dir: Path = OUTPUT_DIR) -> list[Path]:
    """Copy every built student notebook into its edition's downloads, readable by all (0644).

    Written by the atomic writer, whose mode does not depend on the umask (a plain
    copy under umask 077 would publish files the web server cannot read).
    """
    published = []
    for language, folder in downloads.items():
        for chapter in chapters():
            target = folder / student_download(chapter)
            write_bytes_atomically(
                target, (output_dir / language / chapter / "student" / f"{chapter}.ipynb").read_bytes()
            )
            published.append(target)
    return published
