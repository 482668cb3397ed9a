"""The notebooks' one canonical JSON form, and what counts as a change to their outputs.

``python -m tools.notebooks.files --check FILE ...`` fails on a notebook that is
not in canonical JSON (the pre-commit hook); ``make outputs`` and
``python -m tools.notebooks.execute --fix-format`` write them so.
"""

from __future__ import annotations

import configparser
import re
import sys
from pathlib import Path

import nbformat

from tools.common.checks import report
from tools.common.layout import REPO_ROOT

# nbval's sanitize file: the one list of output differences that do not count.
SANITIZE_FILE = REPO_ROOT / "tests" / "nbval_sanitize.cfg"

# Notebook metadata: a whitelist, as tensorflow/docs' nbfmt keeps one. The kernelspec is
# always the plain "python3" that Jupyter, Colab and Binder know (the harness starts its own
# kernelspec, whatever the notebook names), and language_info loses its "version": it is the
# patch release of whoever ran the notebook last (3.11.7, 3.11.9...), not something the book
# depends on, and keeping it would rewrite every notebook on another Python 3.11.x.
NOTEBOOK_METADATA_KEPT = ("kernelspec", "language_info", "colab", "accelerator")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def sanitize_patterns(path: Path = SANITIZE_FILE) -> list[tuple[re.Pattern, str]]:
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    return [(re.compile(parser[name]["regex"]), parser[name]["replace"]) for name in parser.sections()]


def coalesce_streams(notebook: nbformat.NotebookNode) -> None:
    """Merge consecutive chunks of the same stream, as the reader sees them."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        merged = []
        for output in cell.outputs:
            previous = merged[-1] if merged else None
            if (
                output.output_type == "stream"
                and previous is not None
                and previous.output_type == "stream"
                and previous.name == output.name
            ):
                previous.text += output.text
            else:
                merged.append(output)
        cell.outputs = merged


def sanitized_text(text: str) -> str:
    """The notebook text with nbval's sanitize patterns applied (for "did it change?")."""
    for pattern, replacement in sanitize_patterns():
        text = pattern.sub(replacement, text)
    return text


def canonical_text(notebook: nbformat.NotebookNode, also_kept: tuple[str, ...] = ()) -> str:
    """Stable key order and indentation, so an unchanged re-run leaves no diff.

    ``also_kept`` names notebook metadata kept beside the whitelist (the assignments
    keep ``otter``: the assignment's name, by which ``otter run`` refuses another chapter).
    """
    for key in set(notebook.metadata) - set(NOTEBOOK_METADATA_KEPT) - set(also_kept):
        del notebook.metadata[key]
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata.get("language_info", {}).pop("version", None)
    coalesce_streams(notebook)
    for cell in notebook.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    return nbformat.writes(notebook, version=4) + "\n"


def is_canonical(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return canonical_text(nbformat.reads(text, as_version=4)) == text


def not_canonical_message(path: Path) -> str:
    return f"{path}: not in canonical JSON; run `python -m tools.notebooks.execute --fix-format {path}`"


def main(argv: list[str] | None = None) -> int:
    """``--check FILE ...``: fail on notebooks not in canonical JSON (pre-commit hook)."""
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args if a != "--check"]
    problems = [not_canonical_message(p) for p in paths if not is_canonical(p)]
    return report(problems, f"canonical JSON: {len(paths)} notebooks")


if __name__ == "__main__":
    raise SystemExit(main())
