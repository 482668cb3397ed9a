"""Running nbval on a small probe notebook outside the repository, as `make test` runs it on the book."""

import subprocess
import sys
from pathlib import Path

from tools.common.layout import REPO_ROOT

PYPROJECT = REPO_ROOT / "pyproject.toml"


def run_nbval(path: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Strict nbval of ``path`` with the project's pytest configuration (harness plugin, sanitize file).

    The configuration is named explicitly: pytest would not find it above a notebook
    outside the repository.
    """
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-c", str(PYPROJECT), str(path)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
