"""Sphinx extension: link every page to the same page in the other edition.

The two editions are separate builds published side by side (``/es/`` and
``/en/``) with identical file names, so "the same page in the other language"
is one rule: ``../<other>/<same page>.html``. Each page gets
- ``<link rel="alternate" hreflang=...>`` for itself, for its twin and, as
  ``x-default``, for the language-choice page at the site's root: absolute
  addresses, from ``html_baseurl`` (``https://.../<edition>/``), as search
  engines require (sphinx-sitemap writes the same alternates into the sitemap,
  but has no tag for the page's head);
- a visible switcher at the top of its content, written in the twin's language
  (a relative link, so it also works on a local copy of the site).
``<html lang>`` comes from Sphinx's own ``language`` setting of each build.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

# The link text is written in the language it leads to, so readers recognise it.
SWITCH_LABEL = {"es": "Leer en español", "en": "Read in English"}


def other_language(language: str) -> str:
    return {"es": "en", "en": "es"}[language]


def twin_source(app: Sphinx, pagename: str) -> Path | None:
    """The other edition's source file for ``pagename``, if it exists."""
    other_dir = Path(app.srcdir).parent / other_language(app.config.language)
    for suffix in (".ipynb", ".md"):
        candidate = other_dir / f"{pagename}{suffix}"
        if candidate.exists():
            return candidate
    return None


def add_language_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or twin_source(app, pagename) is None:
        return
    language = app.config.language
    other = other_language(language)
    root = app.config.html_baseurl.removesuffix(f"{language}/")
    there = f"../{other}/{pagename}.html"
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{language}" href="{root}{language}/{pagename}.html" />'
        f'\n<link rel="alternate" hreflang="{other}" href="{root}{other}/{pagename}.html" />'
        f'\n<link rel="alternate" hreflang="x-default" href="{root}index.html" />'
    )
    switch = (
        f'<p class="language-switch" style="text-align: right">'
        f'<a href="{there}" hreflang="{other}" lang="{other}">{SWITCH_LABEL[other]}</a></p>\n'
    )
    context["body"] = switch + context.get("body", "")


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", add_language_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
