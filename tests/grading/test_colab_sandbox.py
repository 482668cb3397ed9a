"""The student notebook as a student on Colab gets it: alone, under another name, in a bare environment.

An empty folder outside the repository, a new virtual environment with only the
reader's packages (requirements.txt at the book's pins, and ipykernel, which
Colab's runtime has), nothing of the repository on the kernel's path, and the
student notebook copied in as Colab names a copy. Its set-up cell must install
the pinned otter-grader itself and carry the checks; each public
``grader.check`` must then pass with the book's solutions filled in. The only
help the kernel gets is the offline MNIST start-up hook: this machine has no
internet to download MNIST, as Colab has.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tools.assets import mnist
from tools.common import locks
from tools.common.layout import LANGUAGES, REPO_ROOT
from tools.grading import chapters
from tools.grading import check as assignment_check
from tools.notebooks import harness

UV = REPO_ROOT / ".venv" / "bin" / "uv"
COPY_NAME = {"es": "Copia de {}.ipynb", "en": "Copy of {}.ipynb"}  # what Colab calls a copy
CELL_TIMEOUT_S = 900
EDITIONS = [(chapter, language) for chapter in chapters.chapters() for language in LANGUAGES]


def python_in(venv: Path) -> Path:
    return venv / "bin" / "python"


@pytest.fixture(scope="session")
def colab_venv(tmp_path_factory) -> Path:
    """A fresh environment with the reader's requirements only; otter-grader is not in it."""
    venv = tmp_path_factory.mktemp("colab") / "venv"
    # --seed: pip, which `%pip` needs and Colab has.
    subprocess.run([str(UV), "venv", "--quiet", "--seed", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [str(UV), "pip", "install", "--quiet", "--python", str(python_in(venv))]
        + ["-r", str(REPO_ROOT / "requirements.txt"), "ipykernel", "-c", str(REPO_ROOT / "constraints.txt")],
        check=True,
        cwd=venv.parent,
    )
    probe = subprocess.run([str(python_in(venv)), "-c", "import otter"], capture_output=True, cwd=venv.parent)
    assert probe.returncode != 0, "the fresh environment already has otter: the set-up cell would not be tested"
    return venv


def kernel_manager(venv: Path, kernels: Path):
    """A kernel of the sandbox's interpreter, by a kernelspec only the test knows."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    spec = kernels / "colab" / "kernel.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    argv = [str(python_in(venv)), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": "Colab-like", "language": "python"}))
    manager = KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name="colab", kernel_spec_manager=manager)


def kernel_env(venv: Path, home: Path, ipython_dir: Path) -> dict[str, str]:
    """PATH, HOME and the offline MNIST hook; TensorFlow kept quiet and on one thread."""
    npz = mnist.ensure_mnist()
    harness.install_hook(ipython_dir)
    return {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "IPYTHONDIR": str(ipython_dir),
        "OFFLINE_MNIST_NPZ": str(npz),
        "OFFLINE_MNIST_SHA256": mnist.NPZ_SHA256,
        **harness.STATIC_ENV,
        **harness.thread_settings(),
    }


def text_of(cell: nbformat.NotebookNode) -> str:
    parts = []
    for output in cell.get("outputs", []):  # stream text, or a result's plain and HTML forms
        parts.append(output.get("text", ""))
        data = output.get("data", {})
        parts.append(data.get("text/plain", "") + data.get("text/html", ""))
    return "".join(parts)


@pytest.mark.parametrize(("chapter", "language"), EDITIONS)
def test_the_student_notebook_runs_its_checks_alone_on_a_colab_like_machine(
    built, colab_venv, tmp_path, chapter, language
):
    student = nbformat.read(built / language / chapter / "student" / f"{chapter}.ipynb", as_version=4)
    answered = assignment_check.submission(language, chapter, student)  # the book's solutions filled in
    folder, home = tmp_path / "content", tmp_path / "home"
    folder.mkdir()
    home.mkdir()
    name = COPY_NAME[language].format(chapter)
    nbformat.write(answered, folder / name)
    assert sorted(p.name for p in folder.iterdir()) == [name]
    notebook = nbformat.read(folder / name, as_version=4)

    client = NotebookClient(
        notebook, km=kernel_manager(colab_venv, tmp_path / "kernels"), timeout=CELL_TIMEOUT_S, allow_errors=False
    )
    client.execute(cwd=str(folder), env=kernel_env(colab_venv, home, tmp_path / "ipython"))

    setup = next(cell for cell in notebook.cells if "otter.Notebook(" in cell.source)
    print(f"--- {language}/{name}: set-up cell ---\n{text_of(setup).strip() or '(no output: otter was there)'}")
    checks = [cell for cell in notebook.cells if re.fullmatch(r'grader\.check\("q\d+"\)', cell.source.strip())]
    assert len(checks) == len(chapters.load_tests(chapter))
    for cell in checks:
        question = re.search(r"q\d+", cell.source).group()
        output = text_of(cell)
        print(f"--- {cell.source.strip()} ---\n{output.strip()}")
        assert f"{question} results: All test cases passed!" in output, output
    version = subprocess.run(
        [str(python_in(colab_venv)), "-c", "import importlib.metadata as m; print(m.version('otter-grader'))"],
        capture_output=True,
        text=True,
        cwd=folder,
    ).stdout.strip()
    assert version == locks.pins(locks.GRADING_LOCK)["otter-grader"], "the set-up cell installed another otter"
    shutil.rmtree(folder)
