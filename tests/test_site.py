"""The built site: both editions, their search, their links and anchors.

The build itself runs with Sphinx's strict flags (-n -W): the site_build
fixture fails if the build logs any warning, so every test here also proves zero warnings.
The site works offline (its own MathJax, no asset from another host, a favicon)
and offers each edition's notebooks as one reproducible zip.
"""

import json
import os
import re
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from tools.assets import mathjax
from tools.common import files
from tools.common.layout import REPO_ROOT, toc_pages
from tools.grading import build as assignment_build
from tools.grading import chapters as grading_chapters
from tools.i18n import spellcheck
from tools.site import build as site
from tools.site import bundles
from tools.site.editions import base_path, base_url


def test_language_choice_page_links_every_edition(site_build):
    landing = (site.HTML_DIR / "index.html").read_text(encoding="utf-8")
    for language in site.editions():
        assert f'href="{language}/index.html"' in landing
        assert (site.HTML_DIR / language / "index.html").is_file()


def search_index(language: str) -> dict:
    text = (site.HTML_DIR / language / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_each_edition_searches_only_its_own_pages(site_build):
    """Each edition's search index holds its own pages, by name and by title, and none of the other's."""
    indexes = {language: search_index(language) for language in site.editions()}
    for language, index in indexes.items():
        assert sorted(index["docnames"]) == sorted(toc_pages()), f"{language}: indexed pages differ from _toc.yml"
        for other, other_index in indexes.items():
            if other != language:
                shared = set(index["titles"]) & set(other_index["titles"])
                assert shared == set(), f"the {language} search index holds {other} pages: {shared}"


def pages(language):
    return sorted((site.HTML_DIR / language).glob("[0-9][0-9]_*.html")) + [
        site.HTML_DIR / language / name for name in ("index.html", "glossary.html")
    ]


@pytest.mark.parametrize("language", site.editions())
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
        for lang in (language, other):  # absolute addresses, as search engines require
            assert f'<link rel="alternate" hreflang="{lang}" href="{base_url()}{lang}/{page.name}"' in text
        assert f'<link rel="alternate" hreflang="x-default" href="{base_url()}index.html"' in text
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


def resolve(page: Path, link_path: str) -> Path:
    """The built file a link's path points to; a path from the host's root (the 404 pages' links) starts
    with the site's own path on its host, as on GitHub Pages."""
    if not link_path:
        return page
    if link_path.startswith("/"):
        assert link_path.startswith(base_path()), f"{page}: {link_path} is outside the site ({base_path()})"
        return site.HTML_DIR / unquote(link_path).removeprefix(base_path())
    return (page.parent / unquote(link_path)).resolve()


def test_every_internal_link_and_anchor_resolves(site_build):
    html_dir = site.HTML_DIR
    pages = sorted(html_dir.glob("*.html")) + sorted(html_dir.glob("*/*.html"))
    parsed = {page: parse(page) for page in pages}
    broken = []
    for page, found in parsed.items():
        for target in found.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:")):
                continue  # off-site: not ours to check offline
            if parts.path.startswith(
                "/"
            ):  # from the host's root, as the 404 pages link: the site lives under base_path
                assert parts.path.startswith(base_path()), f"{page.relative_to(html_dir)} -> {target}: outside the site"
                path = html_dir / unquote(parts.path).removeprefix(base_path())
            else:
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


def site_html_pages() -> list[Path]:
    return sorted(site.HTML_DIR.glob("*.html")) + sorted(site.HTML_DIR.glob("*/*.html"))


def test_no_page_loads_a_script_or_stylesheet_from_another_host(site_build):
    """Offline readers get every asset from the site itself (MathJax included)."""
    offsite = []
    for page in site_html_pages():
        for tag in re.findall(r"<script\b[^>]*\bsrc=\"[^\"]+\"|<link\b[^>]*>", page.read_text(encoding="utf-8")):
            if "<link" in tag and not re.search(r'rel="(stylesheet|icon|preload|modulepreload)"', tag):
                continue  # rel="alternate", "index"... are links, not assets the page loads
            target = re.search(r'(?:src|href)="([^"]+)"', tag)
            if target and (urlsplit(target.group(1)).netloc or target.group(1).startswith("//")):
                offsite.append(f"{page.relative_to(site.HTML_DIR)}: {target.group(1)}")
    assert offsite == []


@pytest.mark.parametrize("language", site.editions())
def test_each_edition_serves_the_pinned_mathjax(site_build, language):
    manifest = json.loads(mathjax.manifest_path(mathjax.DEFAULT_CACHE_DIR).read_text())
    assert manifest["tarball_sha256"] == mathjax.TARBALL_SHA256
    served = site.HTML_DIR / language / "_static" / mathjax.SERVED_AS
    on_site = {p.relative_to(served).as_posix(): p for p in served.rglob("*") if p.is_file()}
    assert sorted(on_site) == sorted(manifest["files"])
    altered = [name for name, digest in manifest["files"].items() if mathjax.sha256_file(on_site[name]) != digest]
    assert altered == []
    with_math = [page for page in pages(language) if 'class="math' in page.read_text(encoding="utf-8")]
    assert with_math, "no page with formulas: nothing checks the MathJax script tag"
    for page in with_math:
        assert f'src="_static/{mathjax.SERVED_AS}/{mathjax.COMPONENT}' in page.read_text(encoding="utf-8")


def test_every_page_declares_the_favicon(site_build):
    for page in site_html_pages():
        icon = re.search(r'<link rel="(?:shortcut )?icon" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert icon, f"{page}: no favicon, so browsers ask for /favicon.ico"
        assert resolve(page, urlsplit(icon.group(1)).path).is_file(), f"{page}: {icon.group(1)} does not exist"


def built_bundle(language: str) -> Path:
    return site.HTML_DIR / language / bundles.DOWNLOADS / f"{bundles.bundle_name(language)}.zip"


@pytest.mark.parametrize("language", site.editions())
def test_the_notebook_bundle_holds_the_edition_ready_to_run(site_build, language):
    folder = bundles.bundle_name(language)
    notebooks = [REPO_ROOT / "book" / language / f"{name}.ipynb" for name in toc_pages()]
    notebooks = [path for path in notebooks if path.is_file()]
    with zipfile.ZipFile(built_bundle(language)) as archive:
        names = archive.namelist()
        assert names == [f"{folder}/README.md", f"{folder}/requirements.txt"] + [
            f"{folder}/{p.name}" for p in notebooks
        ]
        for path in notebooks:
            assert archive.read(f"{folder}/{path.name}") == path.read_bytes(), f"{path.name} differs from the book"
        assert archive.read(f"{folder}/requirements.txt") == (REPO_ROOT / "requirements.txt").read_bytes()
        readme = archive.read(f"{folder}/README.md").decode("utf-8")
        assert {info.date_time for info in archive.infolist()} == {files.ZIP_DATE}
        assert archive.testzip() is None
    assert all(f"`{path.name}`: {bundles.title_of(path)}" in readme for path in notebooks)
    assert "pip install -r requirements.txt" in readme
    assert spellcheck.unknown_words(readme, language) == [], "the README is not in the edition's language"


def test_the_notebook_bundle_is_reproducible(site_build, tmp_path, monkeypatch):
    """Same sources, same bytes: the clock and the file system leave no trace in the zip."""
    language = site.editions()[0]
    title = site.EDITIONS[language]["title"]
    for folder, when in (("a", 1_000_000_000.0), ("b", 1_700_000_000.0)):  # 2001 and 2023
        monkeypatch.setattr(time, "time", lambda when=when: when)
        bundles.write_bundle(language, title, tmp_path / folder)
    name = built_bundle(language).name
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / name).read_bytes() == built_bundle(language).read_bytes()


# What the reader's zip is, in each edition's words: solutions inside, for self-study, not for handing out.
ZIP_IS_FOR_SELF_STUDY = {
    "es": ("con las soluciones de los ejercicios", "estudiar por tu cuenta", "no los repartas"),
    "en": ("with the exercises' solutions", "self-study", "do not hand these out"),
}
# The landing page says the same beside the downloads, and which notebooks to hand out.
LANDING_LABELS = {
    "es": (
        "cuadernos con sus soluciones, para estudiar por tu cuenta",
        "los cuadernos que se reparten a los estudiantes",
    ),
    "en": ("notebooks with their solutions, for self-study", "the notebooks to hand out to students"),
}


@pytest.mark.parametrize("language", site.editions())
def test_the_notebook_zip_says_it_holds_the_solutions(language):
    readme = bundles.readme(language, site.EDITIONS[language]["title"], bundles.notebooks(language))
    flat = " ".join(readme.split())
    missing = [phrase for phrase in ZIP_IS_FOR_SELF_STUDY[language] if phrase not in flat]
    assert missing == [], "the zip's README must say it holds the solutions, for self-study, not to hand out"


@pytest.mark.parametrize("language", site.editions())
def test_the_landing_page_labels_the_zip_and_the_student_notebooks(language):
    page = " ".join((REPO_ROOT / "book" / language / "index.md").read_text(encoding="utf-8").split())
    for label in LANDING_LABELS[language]:
        assert label in page, f"book/{language}/index.md: no {label!r}"
    zip_link = page.index(f"downloads/{bundles.bundle_name(language)}.zip")
    student_link = page.index("downloads/student/")
    solutions, hand_out = (page.index(label) for label in LANDING_LABELS[language])
    assert zip_link < solutions < student_link, "the zip's label must stand next to the zip, before the students'"
    assert hand_out < student_link, "the hand-out label must stand before the student notebooks' links"


@pytest.mark.parametrize("language", site.editions())
def test_every_download_is_readable_by_everyone(site_build, language):
    downloads = [path for path in (site.HTML_DIR / language / bundles.DOWNLOADS).rglob("*") if path.is_file()]
    assert any(path.suffix == ".ipynb" for path in downloads) and any(path.suffix == ".pdf" for path in downloads)
    modes = {path.name: oct(path.stat().st_mode & 0o777) for path in downloads}
    assert {name: mode for name, mode in modes.items() if mode != oct(files.FILE_MODE)} == {}


def test_student_notebooks_are_published_0644_whatever_the_umask(tmp_path):
    from tools.grading import build as assignment_build
    from tools.grading.chapters import chapters

    built = tmp_path / "built"
    for chapter in chapters():
        (built / "es" / chapter / "student").mkdir(parents=True)
        (built / "es" / chapter / "student" / f"{chapter}.ipynb").write_text("{}", encoding="utf-8")
    previous = os.umask(0o077)
    try:
        published = assignment_build.copy_student_notebooks({"es": tmp_path / "site"}, built)
    finally:
        os.umask(previous)
    assert published and {oct(path.stat().st_mode & 0o777) for path in published} == {oct(files.FILE_MODE)}


def colab_url(language: str, chapter: str) -> str:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    owner_repo = urlsplit(config["url"]).path.strip("/")
    return (
        f"https://colab.research.google.com/github/{owner_repo}/blob/{config.get('branch', 'main')}/"
        f"exercises/{language}/{chapter}.ipynb"
    )


@pytest.mark.parametrize("language", site.editions())
def test_every_chapter_with_exercises_opens_its_student_notebook_in_colab(site_build, language):
    """One click from the chapter page and from the landing page, to a notebook that exists on GitHub."""
    landing = (site.HTML_DIR / language / "index.html").read_text(encoding="utf-8")
    for chapter in grading_chapters.chapters():
        url = colab_url(language, chapter)
        assert (REPO_ROOT / "exercises" / language / f"{chapter}.ipynb").is_file(), f"run `make assignments`: {url}"
        page = (site.HTML_DIR / language / f"{chapter}.html").read_text(encoding="utf-8")
        assert f'<p class="colab-exercises"><a href="{url}">' in page, f"{chapter}: no Colab link"
        assert f'<a href="{url}">' in landing, f"{language}/index.html: no Colab link to {chapter}"


@pytest.mark.parametrize("language", site.editions())
def test_the_committed_student_notebooks_are_what_otter_builds(site_build, language):
    """exercises/ is what Colab opens: it must be the student notebook this commit builds."""
    for chapter in grading_chapters.chapters():
        built = assignment_build.OUTPUT_DIR / language / chapter / "student" / f"{chapter}.ipynb"
        committed = REPO_ROOT / "exercises" / language / f"{chapter}.ipynb"
        assert committed.read_bytes() == built.read_bytes(), f"{committed} is stale: run `make assignments`"
