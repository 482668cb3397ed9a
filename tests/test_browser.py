"""The built site, opened in a real browser (headless Chromium) as readers will.

Every page of both editions is served from 127.0.0.1 and opened once, then
checked for console errors, failed requests, requests to any other host (the
site works offline: MathJax and the favicon are its own), formulas MathJax did
not render, broken images, missing alt text, the launch links of each chapter
and, with the window resized to a phone's, horizontal scrolling. The language
switcher is followed from every chapter; accessibility (axe-core) is checked in
tests/test_accessibility.py. Screenshots of every page at desktop width, and of
every chapter at phone width, are written to _build/screenshots/ for people to
look at.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
import yaml

from tools.site import browser as site_browser
from tools.site import build as site
from tools.site.editions import EDITIONS, base_path

REPO_ROOT = site.REPO_ROOT
SCREENSHOTS = REPO_ROOT / "_build" / "screenshots"
# Chapters whose formulas must render (each has dozens).
FORMULA_CHAPTERS = ["04_perceptron_activations", "05_quickstart"]
# Waits (up to 5 s) for MathJax to load and typeset, then counts the formulas
# (Sphinx marks each with the class "math") and those holding MathJax's output.
FORMULAS_JS = """async () => {
  const formulas = [...document.querySelectorAll('.math')];
  const ready = () => window.MathJax && MathJax.startup && MathJax.startup.promise;
  for (let i = 0; formulas.length && !ready() && i < 100; i++) await new Promise(r => setTimeout(r, 50));
  if (formulas.length && ready()) await MathJax.startup.promise;
  return {formulas: formulas.length, rendered: formulas.filter(e => e.querySelector('mjx-container')).length};
}"""
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 812}


def site_pages() -> list[str]:
    """Every page the site must have, from the sources (the site is built later)."""
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"], *(entry["file"] for entry in toc["chapters"]), "search"]
    return ["index.html"] + [f"{lang}/{name}.html" for lang in site.editions() for name in names]


def chapter_pages() -> list[str]:
    return [p for p in site_pages() if re.search(r"/\d\d_\w+\.html$", p)]


class PageVisit:
    """A page opened in a fresh tab, with its console errors, failed requests and
    requests to any host but the local server (none is allowed)."""

    def __init__(self, browser, url: str, viewport: dict):
        self.page = browser.new_page(viewport=viewport)
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.offsite: list[str] = []
        host = urlparse(url).netloc
        self.page.on("console", self._console)
        self.page.on("request", lambda r: self._request(r.url, host))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        self.page.on("response", lambda r: self.failed.append(f"{r.url}: {r.status}") if r.status >= 400 else None)
        self.response = self.page.goto(url, wait_until="load")

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def _request(self, url, host):
        parsed = urlparse(url)
        if parsed.scheme not in ("data", "blob") and parsed.netloc != host:
            self.offsite.append(url)

    def close(self):
        self.page.close()


def expected_launch_urls(language: str, page: str) -> tuple[str, str]:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    repository = config["repository"]
    org_repo = urlparse(repository["url"]).path.strip("/")
    notebook = f"book/{language}/{page.replace('.html', '.ipynb')}"
    colab = f"{config['launch_buttons']['colab_url']}/github/{org_repo}/blob/{repository['branch']}/{notebook}"
    binder = (
        f"{config['launch_buttons']['binderhub_url']}/v2/gh/{org_repo}/{repository['branch']}?urlpath=tree/{notebook}"
    )
    return colab, binder


def screenshot(visit: PageVisit, viewport_name: str, path: str) -> None:
    """Save what the reader sees, for people to look at (_build/screenshots/)."""
    target = SCREENSHOTS / viewport_name / path.replace("/", "_").replace(".html", ".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(target), full_page=False)


def desktop_problems(visit: PageVisit, path: str) -> list[str]:
    """What is wrong with a page at desktop width, once it has loaded."""
    problems = []
    if visit.response.status != 200:
        problems.append(f"status {visit.response.status}")
    visit.page.wait_for_load_state("networkidle")
    images = visit.page.eval_on_selector_all(
        "img", "els => els.map(e => ({src: e.src, ok: e.complete && e.naturalWidth > 0, alt: e.alt}))"
    )
    formulas = visit.page.evaluate(FORMULAS_JS)
    if visit.offsite:
        problems.append(f"requests to other hosts (the site must work offline): {visit.offsite}")
    if visit.errors:
        problems.append(f"console errors: {visit.errors}")
    if visit.failed:
        problems.append(f"failed requests: {visit.failed}")
    if formulas["rendered"] != formulas["formulas"]:
        problems.append(f"formulas MathJax did not render: {formulas}")
    if any(path.endswith(f"/{name}.html") for name in FORMULA_CHAPTERS):
        containers = visit.page.locator("mjx-container").count()
        if formulas["formulas"] == 0 or containers < formulas["formulas"]:
            problems.append(f"a formula chapter without MathJax output: {formulas}, {containers} mjx-container")
    problems += [f"image did not load: {i['src']}" for i in images if not i["ok"]]
    problems += [f"image without alt text: {i['src']}" for i in images if not i["alt"].strip()]
    language = path.split("/")[0] if "/" in path else "es"
    if visit.page.get_attribute("html", "lang") != language:
        problems.append(f"html lang is not {language}")
    if path in chapter_pages():
        links = visit.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        problems += [f"no launch link to {url}" for url in expected_launch_urls(*path.split("/")) if url not in links]
    return problems


def phone_problems(visit: PageVisit) -> list[str]:
    """What is wrong with the same page once the window is a phone's (375 px wide)."""
    visit.page.set_viewport_size(PHONE)
    visit.page.wait_for_timeout(100)  # the theme lays the page out again on resize
    widths = visit.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return [f"page scrolls sideways at 375 px: {widths}"] if widths[0] > widths[1] else []


@pytest.mark.parametrize("path", site_pages())
def test_page_works_offline_at_desktop_and_phone_width(browser, server, path):
    """One visit per page: loads cleanly and offline, formulas, images and alt text, launch links;
    then, at phone width, no sideways scroll (chapters). Every problem of the page is reported."""
    visit = PageVisit(browser, f"{server}/{path}", DESKTOP)
    try:
        problems = desktop_problems(visit, path)
        screenshot(visit, "desktop", path)
        if path in chapter_pages():
            problems += phone_problems(visit)
            screenshot(visit, "phone", path)
        assert problems == []
    finally:
        visit.close()


@pytest.mark.parametrize("path", chapter_pages())
def test_language_switcher_opens_the_same_chapter(browser, server, path):
    language, page = path.split("/")
    other = "en" if language == "es" else "es"
    visit = PageVisit(browser, f"{server}/{path}", DESKTOP)
    try:
        visit.page.click("p.language-switch a")
        visit.page.wait_for_load_state("load")
        assert visit.page.url == f"{server}/{other}/{page}"
        assert visit.page.get_attribute("html", "lang") == other
    finally:
        visit.close()


@pytest.mark.parametrize("host", ["root", "edition"])  # GitHub Pages; hosts that use the folder's 404.html
@pytest.mark.parametrize(("language", "missing"), [("es", "es/no-existe.html"), ("en", "en/a/b/c/missing.html")])
def test_a_missing_address_shows_the_book_404_page_at_any_depth(site_build, browser, host, language, missing):
    """Served under the site's own path, as GitHub Pages serves it; the page must work whatever the depth."""
    prefix = base_path()
    with site_browser.serve(site.HTML_DIR, prefix=prefix, not_found=host) as url:
        visit = PageVisit(browser, f"{url}/{missing}", DESKTOP)
        try:
            assert visit.response.status == 404
            visit.page.wait_for_load_state("networkidle")
            headings = [text.strip() for text in visit.page.locator("h1").all_inner_texts() if text.strip()]
            assert headings[:1] == [EDITIONS[language]["not_found_title"]], headings
            # The page itself answers 404, as it must; nothing else may fail.
            failed = [f for f in visit.failed if not f.startswith(f"{url}/{missing}")]
            errors = [e for e in visit.errors if f"({url}/{missing})" not in e]
            assert (errors, failed, visit.offsite) == ([], [], [])
            with visit.page.expect_navigation():
                visit.page.get_by_role("link", name=EDITIONS[language]["home"]).first.click()
            assert visit.page.url == f"{url}/{language}/index.html"
        finally:
            visit.close()
