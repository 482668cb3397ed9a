"""The site builds with Sphinx's strict flags and zero warnings."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tools import build_site


def test_site_builds_with_zero_warnings(site_build):
    log = site_build.stdout + site_build.stderr
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert site_build.returncode == 0, "\n".join(warnings) or log[-3000:]
    assert warnings == []


def test_language_choice_page_links_every_edition(site_build):
    landing = (build_site.HTML_DIR / "index.html").read_text(encoding="utf-8")
    for language in build_site.editions():
        assert f'href="{language}/index.html"' in landing
        assert (build_site.HTML_DIR / language / "index.html").is_file()


@pytest.mark.parametrize("language", build_site.editions())
def test_each_edition_has_its_own_search_index(site_build, language):
    edition = build_site.HTML_DIR / language
    assert (edition / "search.html").is_file()
    index = (edition / "searchindex.js").read_text(encoding="utf-8")
    assert len(index) > 1000
    other = "en" if language == "es" else "es"
    assert f"../{other}/" not in index, "search results must stay within one edition"


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
