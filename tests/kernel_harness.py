"""pytest plugin: run every notebook kernel nbval starts in the book's harness environment.

Loaded from pyproject.toml (``-p tests.kernel_harness``) so that a bare
``pytest --nbval book`` checks the notebooks exactly as ``make outputs`` wrote
them: offline MNIST hook, quiet TensorFlow (see tools/kernel_env.py).
"""

from tools import kernel_env


def pytest_configure(config):
    if config.getoption("nbval", default=False) or config.getoption("nbval_lax", default=False):
        kernel_env.apply()
