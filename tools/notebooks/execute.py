"""Re-execute notebooks in fresh kernels and rewrite their outputs (`make outputs`).

Each notebook runs top to bottom in a new kernel started exactly as nbval starts
it (tools/notebooks/harness.py: the project's interpreter, an empty folder with its own
HOME, an environment built from scratch, offline MNIST). The result is written
back in canonical JSON, atomically, and only if it changed beyond what the
checks ignore (epoch timings in nbval's sanitize file; figures within the
tolerance of tools/notebooks/figures.py, whose stored bytes are kept), so a re-run of
unchanged code, on this machine or another, leaves ``git status`` clean. ``--fix-format`` executes
nothing: it only rewrites notebooks in canonical JSON (``python -m
tools.notebooks.files --check`` checks it, as the pre-commit hook does).

Usage: python -m tools.notebooks.execute [--fix-format] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools.common.files import write_text_atomically
from tools.common.layout import chapter_notebooks
from tools.notebooks import figures, harness
from tools.notebooks.files import canonical_text, is_canonical, sanitized_text

CELL_TIMEOUT_SECONDS = 600


def execute(path: Path, variables: dict[str, str]) -> nbformat.NotebookNode:
    """Execute a copy of the notebook at ``path`` in the harness; return it with fresh outputs."""
    notebook = nbformat.read(path, as_version=4)
    with harness.sandbox(variables) as box:
        client = NotebookClient(
            notebook, km=harness.kernel_manager(asynchronous=True), timeout=CELL_TIMEOUT_SECONDS, record_timing=False
        )
        client.execute(cwd=str(box.workdir), env=box.env)
    return notebook


def keep_stored_figures(fresh: nbformat.NotebookNode, stored: nbformat.NotebookNode) -> None:
    """Put back each stored figure that the fresh one matches within the tolerance.

    Pixel noise from another processor is then no change at all, and a diff shows
    only the figures that really changed.
    """
    if [c.get("id") for c in fresh.cells] != [c.get("id") for c in stored.cells]:
        return
    for new_cell, old_cell in zip(fresh.cells, stored.cells):
        if new_cell.cell_type != "code":
            continue
        new_images = [o for o in new_cell.outputs if "image/png" in o.get("data", {})]
        old_images = [o for o in old_cell.outputs if "image/png" in o.get("data", {})]
        if len(new_images) != len(old_images):
            continue
        for new, old in zip(new_images, old_images):
            if figures.same_figure(old.data["image/png"], new.data["image/png"]):
                new.data["image/png"] = old.data["image/png"]


def fix_format(paths: list[Path]) -> int:
    for path in paths:
        if not is_canonical(path):
            write_text_atomically(path, canonical_text(nbformat.read(path, as_version=4)))
            print(f"reformatted {path}")
    return 0


def regenerate_one(path: Path, variables: dict[str, str]) -> bool:
    """Execute one notebook and write it back if its outputs changed; False if a cell failed."""
    started = time.perf_counter()
    try:
        notebook = execute(path, variables)
    except CellExecutionError as error:
        print(f"FAILED {path}: a cell raised an error; outputs left unchanged.\n{error}", file=sys.stderr)
        return False
    seconds = time.perf_counter() - started
    keep_stored_figures(notebook, nbformat.read(path, as_version=4))
    text = canonical_text(notebook)
    # Differences that nbval ignores (timings) are not changes: keep the file.
    changed = sanitized_text(text) != sanitized_text(path.read_text(encoding="utf-8"))
    if changed:
        write_text_atomically(path, text)
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    print(f"{shown}: {seconds:.1f} s, {'outputs rewritten' if changed else 'unchanged'}")
    return True


def regenerate(paths: list[Path]) -> int:
    variables = harness.harness_variables()
    results = [regenerate_one(path, variables) for path in paths]
    return 0 if all(results) else 1


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
