"""The built site: both editions, their search, their links and anchors.

The build itself runs with Sphinx's strict flags (-n -W): the site_build
fixture fails if the build logs any warning, so every test here also proves zero warnings.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tools import build_site
from tools.notebook_files import toc_pages



def test_language_choice_page_links_every_edition(site_build):
    landing = (build_site.HTML_DIR / "index.html").read_text(encoding="utf-8")
    for language in build_site.editions():
        assert f'href="{language}/index.html"' in landing
        assert (build_site.HTML_DIR / language / "index.html").is_file()


def search_index(language: str) -> dict:
    text = (build_site.HTML_DIR / language / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_each_edition_searches_only_its_own_pages(site_build):
    """Each edition's search index holds its own pages, by name and by title, and none of the other's."""
    indexes = {language: search_index(language) for language in build_site.editions()}
    for language, index in indexes.items():
        assert sorted(index["docnames"]) == sorted(toc_pages()), f"{language}: indexed pages differ from _toc.yml"
        for other, other_index in indexes.items():
            if other != language:
                shared = set(index["titles"]) & set(other_index["titles"])
                assert shared == set(), f"the {language} search index holds {other} pages: {shared}"


def pages(language):
    return sorted((build_site.HTML_DIR / language).glob("[0-9]*.html")) + [
        build_site.HTML_DIR / language / name for name in ("index.html", "glossary.html")
    ]


@pytest.mark.parametrize("language", build_site.editions())
def test_every_page_declares_its_language_and_links_its_twin(site_build, language):
    other = "en" if language == "es" else "es"
    checked = 0
    for page in pages(language):
        text = page.read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{language}"', text), f"{page}: wrong <html lang>"
        switch = re.search(r'<p class="language-switch"[^>]*><a href="([^"]+)" hreflang="(\w+)"', text)
        assert switch, f"{page}: no language switcher"
        href, hreflang = switch.groups()
        assert (href, hreflang) == (f"../{other}/{page.name}", other), page
        twin = (page.parent / href).resolve()
        assert twin.is_file() and f'<html lang="{other}"' in twin.read_text(encoding="utf-8")
        assert f'<link rel="alternate" hreflang="{other}" href="../{other}/{page.name}"' in text
        checked += 1
    assert checked >= 7


class LinksAndIds(HTMLParser):
    """Collects the hrefs/srcs a page points to and the ids it defines."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            value = attributes.get(name)
            if value and tag in ("a", "link", "img", "script"):
                self.targets.append(value)


def parse(page: Path) -> LinksAndIds:
    parser = LinksAndIds()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(site_build):
    html_dir = build_site.HTML_DIR
    pages = sorted(html_dir.glob("*.html")) + sorted(html_dir.glob("*/*.html"))
    parsed = {page: parse(page) for page in pages}
    broken = []
    for page, found in parsed.items():
        for target in found.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:")):
                continue  # off-site: not ours to check offline
            path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(html_dir)} -> {target}: no such file")
            elif parts.fragment and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else parse(path).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(html_dir)} -> {target}: no such anchor")
    assert broken == [], "\n".join(broken)
    assert len(pages) >= 20
