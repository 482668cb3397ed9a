"""Where the book's notebooks are, and their one canonical JSON form."""

from __future__ import annotations

import configparser
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
BOOK_DIR = REPO_ROOT / "book"
LANGUAGES = ("es", "en")
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


def language_of(path: Path) -> str:
    """The edition a file belongs to: its folder (book/es, book/en); Spanish otherwise."""
    folder = path.resolve().parent.name
    return folder if folder in LANGUAGES else "es"


def toc_pages() -> list[str]:
    """The book's pages in reading order, as _toc.yml lists them (no suffix)."""
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"], *(entry["file"] for entry in toc["chapters"])]


def chapter_notebooks(root: Path = BOOK_DIR) -> list[Path]:
    """Every chapter notebook of every language, in reading order.

    A page that _toc.yml lists but an edition lacks is an error here, so a
    missing chapter fails every check loudly instead of silently dropping out.
    """
    notebooks = []
    for language in LANGUAGES:
        for name in toc_pages():
            notebook, page = root / language / f"{name}.ipynb", root / language / f"{name}.md"
            if notebook.is_file():
                notebooks.append(notebook)
            elif not page.is_file():
                raise FileNotFoundError(f"_toc.yml lists {name!r}, but {root / language} has no {name}.ipynb or .md")
    return sorted(notebooks)


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


def canonical_text(notebook: nbformat.NotebookNode) -> str:
    """Stable key order and indentation, so an unchanged re-run leaves no diff."""
    for key in set(notebook.metadata) - set(NOTEBOOK_METADATA_KEPT):
        del notebook.metadata[key]
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata.get("language_info", {}).pop("version", None)
    coalesce_streams(notebook)
    for cell in notebook.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    return nbformat.writes(notebook, version=4) + "\n"


def write_text_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_canonical(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return canonical_text(nbformat.reads(text, as_version=4)) == text


def not_canonical_message(path: Path) -> str:
    return f"{path}: not in canonical JSON; run `python -m tools.execute_notebooks --fix-format {path}`"


def report(problems: list[str], success: str) -> int:
    """Print each problem, or the success line; return the exit code of a check."""
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(success)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``--check FILE ...``: fail on notebooks not in canonical JSON (pre-commit hook)."""
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args if a != "--check"]
    problems = [not_canonical_message(p) for p in paths if not is_canonical(p)]
    return report(problems, f"canonical JSON: {len(paths)} notebooks")


if __name__ == "__main__":
    raise SystemExit(main())
