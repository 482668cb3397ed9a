"""Re-execute notebooks in fresh kernels and rewrite their outputs (`make outputs`).

Each notebook runs top to bottom in a new kernel, in its own folder, with the
harness environment of ``tools/kernel_env.py`` (offline MNIST, quiet
TensorFlow). The result is written back in canonical JSON, atomically, and only
if it changed beyond what nbval's sanitize file ignores (epoch timings), so a
re-run of unchanged code leaves ``git status`` clean. ``--fix-format`` executes
nothing: it only rewrites notebooks in canonical JSON (``python -m
tools.notebook_files --check`` checks it, as the pre-commit hook does).

Usage: python -m tools.execute_notebooks [--fix-format] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools import kernel_env
from tools.notebook_files import canonical_text, chapter_notebooks, is_canonical, sanitized_text, write_text_atomically

CELL_TIMEOUT_SECONDS = 600


def execute(path: Path) -> nbformat.NotebookNode:
    """Execute a copy of the notebook at ``path`` and return it with fresh outputs."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    return notebook


def fix_format(paths: list[Path]) -> int:
    for path in paths:
        if not is_canonical(path):
            write_text_atomically(path, canonical_text(nbformat.read(path, as_version=4)))
            print(f"reformatted {path}")
    return 0


def regenerate(paths: list[Path]) -> int:
    kernel_env.apply()
    failures = 0
    for path in paths:
        started = time.perf_counter()
        try:
            notebook = execute(path)
        except CellExecutionError as error:
            failures += 1
            print(f"FAILED {path}: a cell raised an error; outputs left unchanged.\n{error}", file=sys.stderr)
            continue
        seconds = time.perf_counter() - started
        text = canonical_text(notebook)
        # Differences that nbval ignores (timings) are not changes: keep the file.
        changed = sanitized_text(text) != sanitized_text(path.read_text(encoding="utf-8"))
        if changed:
            write_text_atomically(path, text)
        print(
            f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: "
            f"{seconds:.1f} s, {'outputs rewritten' if changed else 'unchanged'}"
        )
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix-format", action="store_true", help="only rewrite in canonical JSON")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter")
    args = parser.parse_args(argv)
    paths = [path.resolve() for path in args.notebooks] or chapter_notebooks()
    if args.fix_format:
        return fix_format(paths)
    return regenerate(paths)


if __name__ == "__main__":
    raise SystemExit(main())
