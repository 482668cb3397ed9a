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

README = {
    "es": """\
# {title}: los cuadernos

Los capítulos del libro como cuadernos de Jupyter, con sus resultados. Ábrelos en este orden:

{notebooks}

## Ejecútalos en tu equipo

Necesitas Python 3.11 (la versión con la que se comprueba el libro). Desde esta carpeta, ejecuta:

```bash
python -m venv .venv
source .venv/bin/activate   # en Windows: .venv\\Scripts\\activate
pip install -r requirements.txt jupyterlab
jupyter lab
```

`requirements.txt` fija las versiones de TensorFlow, Keras, NumPy y Matplotlib con las que se
generaron los resultados del libro, así que los tuyos coinciden con los de cada página.

## Ejecútalos en la nube

En [Google Colab](https://colab.research.google.com), elige *Archivo → Subir cuaderno* y sube uno de
estos archivos: Colab ya trae TensorFlow y Keras, aunque quizá en otras versiones.

Los capítulos que usan MNIST descargan el conjunto de datos (unos 11 MB) la primera vez que se
ejecutan: necesitas conexión a internet.

El libro y su código fuente: <{repository}>
""",
    "en": """\
# {title}: the notebooks

The book's chapters as Jupyter notebooks, with their outputs. Open them in this order:

{notebooks}

## Run them on your machine

You need Python 3.11 (the version the book is tested with). From this folder, run:

```bash
python -m venv .venv
source .venv/bin/activate   # on Windows: .venv\\Scripts\\activate
pip install -r requirements.txt jupyterlab
jupyter lab
```

`requirements.txt` pins the versions of TensorFlow, Keras, NumPy and Matplotlib that produced the
book's outputs, so yours match the ones on each page.

## Run them in the cloud

In [Google Colab](https://colab.research.google.com), choose *File → Upload notebook* and upload one of
these files: Colab already has TensorFlow and Keras, perhaps in other versions.

The chapters that use MNIST download the dataset (about 11 MB) the first time they run: you need an
internet connection.

The book and its source code: <{repository}>
""",
}


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
    return README[language].format(title=title, notebooks=listing, repository=config["repository"]["url"])


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
