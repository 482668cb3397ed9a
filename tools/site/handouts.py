"""Print the students' handouts: a PDF per notebook page and one for the whole book, per edition.

They are printed from the built site by headless Chromium (``tools/site/browser.py``),
as a reader's browser prints a page:
- each page is served from 127.0.0.1 and loaded; printing waits until MathJax
  has typeset every formula and every web font and image has loaded (a page
  whose formulas did not render is an error, not a PDF with raw TeX);
- the exercise solutions are left out, removed from the page before printing:
  solution cells carry the tag ``hide-cell`` (on the site, elements with the
  class ``tag_hide-cell``), and answers written in prose are dropdowns in the
  exercises section; any other folded text (an aside, say) is printed open;
- ``book/_static/print.css`` leaves the navigation out of print (header,
  sidebars, buttons, language switch, previous/next links) and the sentences
  marked ``screen-only`` ("unfold the solution": nothing unfolds on paper), and
  prints code and outputs small enough for a ``model.summary()`` table to fit;
- every link into the site is rewritten to the published address
  (``editions.base_url()``), so a PDF never points to the print server;
- each line of a code block becomes its own block with a hanging indent, so a
  line too long for the page continues under its own indentation plus four
  columns instead of at column 0 (CSS alone cannot indent the wrapped part of
  one line of a ``<pre>``).
The whole-book PDF joins the edition's pages in reading order (landing page,
notebooks, glossary; the instructor guide is for teachers, not students) with
pypdf, one bookmark per page.

Output, in each edition's ``downloads/``: ``<page>-<edition>.pdf`` per notebook
page and ``book-<edition>.pdf``. ``tools/site/build.py`` prints them at the end
of every site build (``make book``); this module alone prints them again from
the site already built.

Usage: ``python -m tools.handouts``
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

from tools.common.files import atomic_path
from tools.common.layout import BOOK_DIR, LANGUAGES, REPO_ROOT, toc_pages
from tools.site import browser
from tools.site.bundles import DOWNLOADS
from tools.site.editions import EDITIONS, base_url

HTML_DIR = REPO_ROOT / "_build" / "html"
# Pages that belong to the book but not in a students' handout.
TEACHERS_ONLY = {"instructor_guide"}
# A4 with room for the page-number footer.
PDF_OPTIONS = {
    "format": "A4",
    "margin": {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
    "print_background": True,  # code cells keep their shaded background
    "display_header_footer": True,
    "header_template": "<div></div>",  # Chromium's default header prints the date
    "footer_template": (
        '<div style="font-size: 8px; width: 100%; text-align: center; color: #555;">'
        '<span class="title"></span> · <span class="pageNumber"></span></div>'
    ),
}
# The solutions (cells tagged hide-cell, and every dropdown of the chapter template's
# "## Ejercicios" / "## Exercises" section) are left out by book/_static/print.css,
# so a page a reader prints from the browser has none either.
EXERCISES_SECTIONS = "section#ejercicios, section#exercises"
# Runs in the loaded page: wait for what printing needs, open what is folded
# outside the solutions (an aside, say), and report what the tool checks.
PREPARE_PAGE_JS = """async ({exercises, published}) => {
  // Links lead to the published site, never to the print server: same path, published root.
  document.querySelectorAll('a[href]').forEach(link => {
    const target = new URL(link.href, location.href);
    if (target.origin !== location.origin) return;
    link.href = published + target.pathname.slice(1) + target.search + target.hash;
  });
  // A code line too long for the page wraps under its own indentation plus four columns
  // (a hanging indent), so Python's indentation stays visible: each line becomes a block.
  document.querySelectorAll('div.highlight > pre').forEach(pre => {
    const lines = [[]];
    for (const node of [...pre.childNodes]) {
      const parts = node.textContent.split('\\n');
      parts.forEach((part, index) => {
        if (index) lines.push([]);
        if (!part) return;
        const piece = node.nodeType === Node.ELEMENT_NODE ? node.cloneNode(false) : document.createTextNode('');
        piece.textContent = part;
        lines[lines.length - 1].push(piece);
      });
    }
    if (lines.length > 1 && !lines[lines.length - 1].length) lines.pop();
    pre.replaceChildren(...lines.map(pieces => {
      const line = document.createElement('span');
      const indent = pieces.map(piece => piece.textContent).join('').search(/\\S|$/) + 4;
      line.className = 'code-line';
      line.style.paddingLeft = indent + 'ch';
      line.style.textIndent = -indent + 'ch';
      line.append(...pieces);
      return line;
    }));
  });
  const formulas = document.querySelectorAll('.math').length;
  if (formulas && window.MathJax && MathJax.startup && MathJax.startup.promise) {
    // A formula MathJax cannot typeset is reported below, not waited for forever.
    await Promise.race([MathJax.startup.promise, new Promise(done => setTimeout(done, 30000))]);
  }
  const solutions = [...document.querySelectorAll('.tag_hide-cell'),
                     ...[...document.querySelectorAll(exercises)].flatMap(s => [...s.querySelectorAll('details')])];
  const hidden = new Set(solutions);
  document.querySelectorAll('.bd-article details').forEach(element => {
    if (!hidden.has(element)) element.open = true;
  });
  const images = [...document.images];
  images.forEach(image => { image.loading = 'eager'; });
  await Promise.all(images.map(image => image.complete ? null
    : new Promise(done => { image.onload = image.onerror = done; })));
  await document.fonts.ready;
  return {
    formulas: formulas,
    unrendered: [...document.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container')).length,
    solutions: solutions.length,
    broken_images: images.filter(image => !(image.complete && image.naturalWidth > 0)).map(image => image.src),
  };
}"""


class HandoutError(RuntimeError):
    """A handout that cannot be printed as it should, phrased as what went wrong."""


def handout_name(page: str, language: str) -> str:
    return f"{page}-{language}.pdf"


def book_handout_name(language: str) -> str:
    return f"book-{language}.pdf"


def notebook_pages(language: str) -> list[str]:
    """The edition's notebook pages in reading order: each gets its own handout."""
    return [name for name in toc_pages() if (BOOK_DIR / language / f"{name}.ipynb").is_file()]


def book_pages(language: str) -> list[str]:
    """The pages of the whole-book handout, in reading order."""
    return [name for name in toc_pages() if name not in TEACHERS_ONLY]


def print_page(context, url: str, target: Path) -> dict:
    """Print the page at ``url`` to ``target`` in a new tab of ``context``; return what the page reported."""
    page = context.new_page()
    try:
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            raise HandoutError(f"{url} did not load (HTTP {response.status if response else 'no response'})")
        state = page.evaluate(PREPARE_PAGE_JS, {"exercises": EXERCISES_SECTIONS, "published": base_url()})
        if state["unrendered"]:
            raise HandoutError(
                f"{url}: {state['unrendered']} of {state['formulas']} formulas were not rendered by MathJax "
                "(is mathjax_path in _config.yml served by the site?)"
            )
        if state["broken_images"]:
            raise HandoutError(f"{url}: images that did not load: {state['broken_images']}")
        page.emulate_media(media="print")
        with atomic_path(target) as temporary:
            page.pdf(path=str(temporary), **PDF_OPTIONS)
        return state
    finally:
        page.close()


def join_pdfs(parts: list[tuple[str, Path]], target: Path, title: str, author: str, language: str) -> None:
    """Concatenate ``parts`` (bookmark title, PDF) into ``target``, with a bookmark for each."""
    writer = PdfWriter()
    for bookmark, path in parts:
        writer.append(str(path), outline_item=bookmark)
    writer.add_metadata({"/Title": title, "/Author": author})
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    with atomic_path(target) as temporary:
        writer.write(str(temporary))


def page_title(html_file: Path) -> str:
    """The page's H1 as the site shows it (for the bookmark)."""
    from html.parser import HTMLParser

    class FirstHeading(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth, self.text, self.done = 0, "", False

        def handle_starttag(self, tag, attrs):
            if tag == "h1" and not self.done:
                self.depth = 1
            elif self.depth and tag == "a":
                self.depth += 1  # the heading's "#" permalink is not part of its title

        def handle_endtag(self, tag):
            if tag == "h1" and self.depth:
                self.depth, self.done = 0, True
            elif tag == "a" and self.depth > 1:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth == 1:
                self.text += data

    parser = FirstHeading()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return " ".join(parser.text.split()) or html_file.stem


def print_all(html_dir: Path = HTML_DIR, languages: list[str] | tuple[str, ...] = LANGUAGES) -> str:
    """Print every handout of every edition into ``<edition>/downloads/``; return a short report."""
    started = time.perf_counter()
    written = []
    try:
        with browser.serve(html_dir) as url, browser.chromium() as chromium, tempfile.TemporaryDirectory() as scratch:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            for language in languages:
                downloads = html_dir / language / DOWNLOADS
                downloads.mkdir(parents=True, exist_ok=True)
                own_handout, in_book = set(notebook_pages(language)), set(book_pages(language))
                parts = []
                for name in [page for page in toc_pages() if page in own_handout | in_book]:
                    html_file = html_dir / language / f"{name}.html"
                    if not html_file.is_file():
                        raise HandoutError(f"{html_file} does not exist: build the site first (`make book`)")
                    target = downloads / handout_name(name, language) if name in own_handout else Path(scratch) / name
                    print_page(context, f"{url}/{language}/{name}.html", target)
                    if name in own_handout:
                        written.append(target)
                    if name in in_book:
                        parts.append((page_title(html_file), target))
                book = downloads / book_handout_name(language)
                title = html_dir / language / "index.html"
                join_pdfs(parts, book, page_title(title), EDITIONS[language]["author"], language)
                written.append(book)
    except HandoutError:
        raise
    except RuntimeError as error:  # no browser: tools/site/browser.py says how to install one
        raise HandoutError(f"cannot print the handouts: {error}") from error
    seconds = time.perf_counter() - started
    return f"Handouts printed in {seconds:.1f} s: {len(written)} PDFs in {html_dir}/*/{DOWNLOADS}/\n"


def main() -> int:
    try:
        print(print_all(), end="")
    except HandoutError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
