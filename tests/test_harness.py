"""Every book kernel starts as tools/notebooks/harness.py says, whatever the machine around it holds.

A contributor's machine can hold a ``python3`` kernelspec installed with
``--user`` that points at another interpreter, a KERAS_BACKEND variable, a
``~/.keras/keras.json`` that picks another backend. None of them may reach the
kernels that write (``make outputs``) or check (nbval) the book's outputs.
"""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tests.nbval_probe import run_nbval
from tools.measure import portability
from tools.notebooks import harness
from tools.notebooks.execute import execute
from tools.notebooks.files import canonical_text

# What a kernel reports about itself; the stored outputs are what the harness gives.
PROBES = {
    "import sys\nprint(sys.executable)": sys.executable + "\n",
    "import os\nprint(os.environ.get('KERAS_BACKEND'), os.environ.get('PYTHONPATH'))": "None None\n",
    "import os\nprint(os.listdir('.'), os.listdir(os.path.expanduser('~')))": "[] []\n",
    "import keras\nprint(keras.backend.backend())": "tensorflow\n",
}


def probe_notebook():
    cells = []
    for number, (source, output) in enumerate(PROBES.items(), start=1):
        cell = new_code_cell(source, execution_count=number)
        cell.outputs = [new_output("stream", name="stdout", text=output)]
        cells.append(cell)
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )


def hostile_machine(tmp_path: Path) -> dict[str, str]:
    """An environment whose user kernelspec, Keras config and variables all point elsewhere."""
    home, data = tmp_path / "home", tmp_path / "jupyter-data"
    impostor = data / "kernels" / "python3"
    impostor.mkdir(parents=True)
    fake_python = tmp_path / "not-the-project-python"
    fake_python.write_text("#!/bin/sh\nexit 3\n")
    fake_python.chmod(0o755)
    spec = {"argv": [str(fake_python), "-m", "ipykernel_launcher", "-f", "{connection_file}"], "language": "python"}
    (impostor / "kernel.json").write_text(json.dumps({**spec, "display_name": "Python 3 (elsewhere)"}))
    (home / ".keras").mkdir(parents=True)
    (home / ".keras" / "keras.json").write_text(json.dumps({"backend": "jax"}))
    return {
        "HOME": str(home),
        "JUPYTER_DATA_DIR": str(data),  # where `jupyter kernelspec install --user` writes
        # Jupyter prefers the running venv's kernelspecs to the user's, unless told otherwise
        # (or unless it does not detect the venv): this machine tells it.
        "JUPYTER_PREFER_ENV_PATH": "0",
        "KERAS_BACKEND": "jax",
        "PYTHONPATH": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }


def test_the_hostile_machine_really_is_hostile(tmp_path):
    """Without the harness, Jupyter would start the impostor: the tests below prove something."""
    env = hostile_machine(tmp_path)
    code = "from jupyter_client.kernelspec import KernelSpecManager as M; print(M().get_kernel_spec('python3').argv[0])"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(tmp_path / "not-the-project-python")


def test_nbval_kernels_ignore_the_machine(tmp_path):
    path = tmp_path / "probe.ipynb"
    nbformat.write(probe_notebook(), path)
    result = run_nbval(path, hostile_machine(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"{len(PROBES)} passed" in result.stdout, result.stdout[-3000:]


def test_make_outputs_kernels_ignore_the_machine(tmp_path, monkeypatch):
    for name, value in hostile_machine(tmp_path).items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "probe.ipynb"
    nbformat.write(probe_notebook(), path)
    fresh = execute(path, harness.harness_variables())
    printed = ["".join(o.get("text", "") for o in cell.outputs) for cell in fresh.cells]
    assert printed == list(PROBES.values())


def test_regenerated_notebooks_do_not_record_the_python_patch_release():
    notebook = probe_notebook()
    notebook.metadata["language_info"] = {"name": "python", "version": "3.11.9"}
    notebook.metadata["kernelspec"] = {"name": harness.KERNEL_NAME, "display_name": "x", "language": "python"}
    notebook.metadata["widgets"] = {"state": {}}
    metadata = nbformat.reads(canonical_text(notebook), as_version=4).metadata
    assert metadata == {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }


def test_every_portability_setting_reaches_the_kernels():
    settings = {name for variant in portability.VARIANTS.values() for name in variant}
    assert settings <= set(harness.PASSED_THROUGH), "a variant would change nothing inside the kernels"
