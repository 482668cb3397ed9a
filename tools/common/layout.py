"""Where the book lives: the repository, the editions and their pages in reading order."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
BOOK_DIR = REPO_ROOT / "book"
BUILD_DIR = REPO_ROOT / "_build"
CACHE_DIR = REPO_ROOT / ".cache"
LANGUAGES = ("es", "en")


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
