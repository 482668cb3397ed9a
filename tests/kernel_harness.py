"""pytest plugin: every notebook nbval checks runs in the book's harness, alone.

Loaded from pyproject.toml (``-p tests.kernel_harness``), so a bare
``pytest --nbval book`` checks the notebooks exactly as ``make outputs`` wrote
them (offline MNIST hook, quiet TensorFlow: see tools/kernel_env.py), and the
same single run proves that each notebook stands alone, as on Colab: its kernel
starts in a new empty folder, with HOME inside that folder, so it cannot read a
repository file through a relative path nor find anything in ~/.keras that an
earlier notebook left there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tools import kernel_env

# Matplotlib's font cache is shared between kernels: it saves seconds per
# notebook and is not something a notebook reads or writes on purpose.
MATPLOTLIB_CACHE = Path.home() / ".cache" / "matplotlib"


@contextmanager
def environment(**variables: str):
    """Set variables in this process while a kernel starts (the kernel inherits them)."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def isolated_kernel_class(running_kernel: type) -> type:
    """nbval's kernel class, started in an empty folder with its own HOME."""

    class IsolatedKernel(running_kernel):
        def __init__(self, kernel_name, cwd=None, startup_timeout=60):
            self.sandbox = Path(tempfile.mkdtemp(prefix="nbval-"))
            workdir, home = self.sandbox / "work", self.sandbox / "home"
            workdir.mkdir()
            home.mkdir()
            with environment(HOME=str(home), MPLCONFIGDIR=str(MATPLOTLIB_CACHE)):
                super().__init__(kernel_name, cwd=str(workdir), startup_timeout=startup_timeout)

        def stop(self):
            try:
                super().stop()
            finally:
                shutil.rmtree(self.sandbox, ignore_errors=True)

    return IsolatedKernel


def pytest_configure(config):
    if config.getoption("nbval", default=False) or config.getoption("nbval_lax", default=False):
        from nbval import plugin

        kernel_env.apply()
        MATPLOTLIB_CACHE.mkdir(parents=True, exist_ok=True)
        plugin.RunningKernel = isolated_kernel_class(plugin.RunningKernel)
