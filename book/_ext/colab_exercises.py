"""Sphinx extension: one click from the book to each chapter's exercise notebook on Colab.

Colab opens a notebook from a GitHub address
(``https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/PATH``), so the
student notebooks that otter builds are committed in ``exercises/<edition>/``
(``make assignments`` refreshes them; a test checks they are what a fresh build
makes). The repository and branch are _config.yml's (``repository.url`` and
``branch``, which Jupyter Book passes to the theme), so a fork links to its own.
Each chapter with exercises gets the link under its exercises heading; a page
with ``<span class="colab-exercises"></span>`` (the landing page) gets the
list of every chapter's link there. Plain links: nothing is loaded from Colab.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from sphinx.application import Sphinx

LABEL = {
    "es": "Abre el cuaderno de ejercicios en Colab (sin soluciones, con comprobaciones automáticas)",
    "en": "Open the exercise notebook in Colab (no solutions, with automatic checks)",
}
EXERCISES_HEADING = re.compile(r'(<section id="(?:ejercicios|exercises)">\s*<h2>.*?</h2>)', re.S)
PLACEHOLDER = '<span class="colab-exercises"></span>'


def exercise_notebooks(app: Sphinx) -> list[str]:
    """The chapters whose student notebook is committed for this edition, in file order."""
    folder = Path(app.srcdir).resolve().parents[1] / "exercises" / app.config.language
    return sorted(path.stem for path in folder.glob("*.ipynb"))


def colab_url(app: Sphinx, chapter: str) -> str:
    options = app.config.html_theme_options
    owner_repo = urlparse(options["repository_url"]).path.strip("/")
    branch = options.get("repository_branch") or "main"
    path = f"exercises/{app.config.language}/{chapter}.ipynb"
    return f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{path}"


def add_colab_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body", "")
    chapters = exercise_notebooks(app)
    if pagename in chapters:
        link = f'<p class="colab-exercises"><a href="{colab_url(app, pagename)}">{LABEL[app.config.language]}</a></p>'
        body = EXERCISES_HEADING.sub(lambda match: match.group(1) + "\n" + link, body, count=1)
    if PLACEHOLDER in body:
        links = ", ".join(f'<a href="{colab_url(app, chapter)}">{int(chapter[:2])}</a>' for chapter in chapters)
        body = body.replace(PLACEHOLDER, links)
    context["body"] = body


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", add_colab_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
