"""Sphinx extension: keep the pages light.

pydata-sphinx-theme loads Font Awesome twice: as web fonts (CSS) and as a
1.5 MB script that swaps icons for SVG. The web fonts alone draw every icon the
site uses, so book/_templates/layout.html drops the script tag with the
``without_fontawesome_js`` filter registered here.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

FONTAWESOME_SCRIPT = re.compile(r"\s*<script\b[^>]*_static/scripts/fontawesome\.js[^>]*>\s*</script>")


def without_fontawesome_js(html: str) -> str:
    return FONTAWESOME_SCRIPT.sub("", html)


def register_filter(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None:
        templates.environment.filters["without_fontawesome_js"] = without_fontawesome_js


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", register_filter)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
