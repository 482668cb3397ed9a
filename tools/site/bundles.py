"""One zip per edition with its notebooks, so readers can run the book on their own machine.

``<edition>/downloads/notebooks-<edition>.zip`` holds one folder with every
notebook of the edition in reading order (as ``_toc.yml`` lists them, with
their stored outputs), the reader's ``requirements.txt`` and a short README in
the edition's language that says how to run them. A chapter's own download
button saves a single ``.ipynb``, without the pinned requirements.

The zip is reproducible: same sources, same bytes (fixed entry order, dates and
permissions), so a rebuilt site does not republish an unchanged download.
``tools/site/build.py`` writes it during every site build.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import yaml

from tools.common.files import write_zip
from tools.common.layout import BOOK_DIR, REPO_ROOT, toc_pages

DOWNLOADS = "downloads"  # folder of each edition's downloads, beside its pages

# The zip's README, one per edition (Python format fields: title, notebooks, repository).
README_TEMPLATES = Path(__file__).with_name("templates")


def bundle_name(language: str) -> str:
    """The zip's file name without ``.zip``; also the folder it unpacks to."""
    return f"notebooks-{language}"


def notebooks(language: str) -> list[Path]:
    """The edition's notebooks in reading order (the pages of _toc.yml that are notebooks)."""
    folder = BOOK_DIR / language
    return [folder / f"{name}.ipynb" for name in toc_pages() if (folder / f"{name}.ipynb").is_file()]


def title_of(notebook: Path) -> str:
    """The notebook's H1 title, as the page shows it."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return notebook.stem


def readme(language: str, title: str, files: list[Path]) -> str:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    listing = "\n".join(f"- `{path.name}`: {title_of(path)}" for path in files)
    template = (README_TEMPLATES / f"bundle-README.{language}.md").read_text(encoding="utf-8")
    return template.format(title=title, notebooks=listing, repository=config["repository"]["url"])


def entries(language: str, title: str) -> list[tuple[str, bytes]]:
    """(path inside the zip, bytes) for every file of the bundle, in their fixed order."""
    files = notebooks(language)
    if not files:
        raise FileNotFoundError(f"book/{language} has no notebook listed in _toc.yml: nothing to bundle")
    folder = bundle_name(language)
    return [
        (f"{folder}/README.md", readme(language, title, files).encode("utf-8")),
        (f"{folder}/requirements.txt", (REPO_ROOT / "requirements.txt").read_bytes()),
        *((f"{folder}/{path.name}", path.read_bytes()) for path in files),
    ]


def write_bundle(language: str, title: str, directory: Path) -> Path:
    """Write ``directory/notebooks-<language>.zip`` (``title``: the book's, in that language).

    The file appears complete or not at all.
    """
    return write_zip(directory / f"{bundle_name(language)}.zip", entries(language, title))
