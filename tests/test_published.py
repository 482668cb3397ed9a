"""What search engines and link previews read from the built site, in both editions.

Each edition has a sitemap with absolute addresses and hreflang alternates
(itself, its twin, and the language-choice page as x-default), a 404 page, Open
Graph tags (title, description, locale, image) on every chapter page, and its
author in its own language, on the pages and in the whole-book PDF.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest
from pypdf import PdfReader

from tools.site import build as site
from tools.site import handouts
from tools.site.editions import EDITIONS, base_url

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LANGUAGES = list(EDITIONS)
META = re.compile(r'<meta property="(og:[a-z:_]+)" content="([^"]*)"')


def chapters(language: str) -> list:
    return sorted((site.HTML_DIR / language).glob("[0-9][0-9]_*.html"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sitemap_lists_every_page_with_absolute_alternates_and_x_default(site_build, language):
    root = base_url()
    tree = ElementTree.parse(site.HTML_DIR / language / "sitemap.xml")
    urls = {url.findtext(f"{SITEMAP}loc"): url for url in tree.getroot().iter(f"{SITEMAP}url")}
    for page in chapters(language):
        address = f"{root}{language}/{page.name}"
        assert address in urls, f"{address} is not in the sitemap"
        alternates = {link.get("hreflang"): link.get("href") for link in urls[address].findall(f"{XHTML}link")}
        assert alternates == {
            **{lang: f"{root}{lang}/{page.name}" for lang in LANGUAGES},
            "x-default": f"{root}index.html",
        }


def test_the_root_points_search_engines_to_both_sitemaps(site_build):
    root = base_url()
    index = (site.HTML_DIR / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"<loc>{root}{lang}/sitemap.xml</loc>" in index for lang in LANGUAGES)
    assert f"Sitemap: {root}sitemap.xml" in (site.HTML_DIR / "robots.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_edition_has_its_404_page_in_its_language(site_build, language):
    text = (site.HTML_DIR / language / "404.html").read_text(encoding="utf-8")
    assert EDITIONS[language]["not_found_title"] in text
    other = next(lang for lang in LANGUAGES if lang != language)
    assert EDITIONS[other]["not_found_title"] not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chapter_page_previews_as_a_card(site_build, language):
    for page in chapters(language):
        tags = dict(META.findall(page.read_text(encoding="utf-8")))
        missing = {"og:title", "og:description", "og:locale", "og:image", "og:url"} - set(tags)
        assert not missing, f"{page.name}: no {sorted(missing)}"
        assert tags["og:locale"] == EDITIONS[language]["locale"]
        assert tags["og:url"] == f"{base_url()}{language}/{page.name}"
        image = tags["og:image"].removeprefix(f"{base_url()}{language}/")
        assert (site.HTML_DIR / language / image).is_file(), f"{page.name}: og:image {image} was not built"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_author_is_written_in_the_page_language(site_build, language):
    others = [EDITIONS[lang]["author"] for lang in LANGUAGES if lang != language]
    for page in sorted((site.HTML_DIR / language).glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert not any(other.replace("“", "&#8220;") in text or other in text for other in others), page.name
    assert EDITIONS[language]["author"] in (site.HTML_DIR / language / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_book_pdf_names_its_author_in_its_language(site_build, language):
    pdf = site.HTML_DIR / language / "downloads" / handouts.book_handout_name(language)
    assert PdfReader(pdf).metadata.author == EDITIONS[language]["author"]
