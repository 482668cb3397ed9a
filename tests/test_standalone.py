"""Each notebook runs alone, as on Colab: copied into an empty folder, executed
in a fresh kernel, with nothing from the repository beside it.

It must not import repository files, read repository data through relative
paths, or write files anywhere but its own folder (the repository stays
untouched, and HOME points inside the folder so even ~/.keras lands there).
"""

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tools import kernel_env
from tools.notebook_files import REPO_ROOT, chapter_notebooks


def repository_state() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all", "book"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize("source", chapter_notebooks(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_runs_alone_in_an_empty_folder(source, tmp_path, monkeypatch):
    for name, value in kernel_env.kernel_env().items():
        monkeypatch.setenv(name, value)
    # Matplotlib's font cache is shared to save time; it is not a notebook's output.
    monkeypatch.setenv("MPLCONFIGDIR", str(Path.home() / ".cache" / "matplotlib"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    workdir = tmp_path / "work"
    workdir.mkdir()
    notebook_path = workdir / source.name
    shutil.copy(source, notebook_path)
    before = repository_state()

    notebook = nbformat.read(notebook_path, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()

    assert repository_state() == before, "the notebook wrote into the repository"
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
