"""The printable handouts: one PDF per notebook page and one for the whole book, per edition.

They are read back with pypdf and compared with the notebooks they come from:
every handout has pages, its chapter's title, every line of its visible code
and its rendered formulas, and none of its hidden solutions (code cells tagged
``hide-cell``, answer dropdowns in the exercises) nor the site's navigation.
The whole-book PDF is checked to be those same handouts, in reading order.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from tools.common.layout import BOOK_DIR
from tools.site import build as site
from tools.site import handouts

LANGUAGES = site.editions()
DOWNLOADS = {language: site.HTML_DIR / language / handouts.DOWNLOADS for language in LANGUAGES}
# A line shorter than this (letters and digits only) may well occur elsewhere in the chapter.
DISTINCTIVE = 20
# The language switch, which print.css leaves out of print, in the language it leads to.
SWITCH_TEXT = {"es": "Read in English", "en": "Leer en español"}


def letters_and_digits(text: str) -> str:
    """Text reduced to lower-case letters and digits: how a line and its printed, wrapped,
    ligatured, typographically quoted copy in the PDF can be compared."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).lower() if char.isalnum())


@functools.cache
def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def notebook_cases() -> list[tuple[str, str]]:
    return [(language, name) for language in LANGUAGES for name in handouts.notebook_pages(language)]


def is_solution(cell) -> bool:
    return "hide-cell" in cell.metadata.get("tags", [])


def output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(str(part) for part in parts)


# MyST roles ({term}`text <target>`) and links print only their text.
ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)\s*(?:<[^>`]*>)?`")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
DROPDOWN = re.compile(r"^:::\{dropdown\}[^\n]*\n(.*?)^:::\s*$", re.S | re.M)
EXERCISES = re.compile(r"^## (Ejercicios|Exercises)\s*$", re.M)


def exercise_cells(notebook) -> set[int]:
    """Indexes of the cells of the exercises section (the chapter template's last section)."""
    starts = [
        i for i, cell in enumerate(notebook.cells) if cell.cell_type == "markdown" and EXERCISES.search(cell.source)
    ]
    return set(range(starts[0], len(notebook.cells))) if starts else set()


def split_answers(notebook) -> tuple[str, list[str]]:
    """(everything the handout must show, as text; the answer dropdowns of the exercises)."""
    shown, answers = [], []
    in_exercises = exercise_cells(notebook)
    for index, cell in enumerate(notebook.cells):
        if is_solution(cell):
            continue
        source = cell.source
        if index in in_exercises and cell.cell_type == "markdown":
            answers += DROPDOWN.findall(source)
            source = DROPDOWN.sub("", source)
        if cell.cell_type == "markdown":
            source = LINK.sub(r"\1", ROLE.sub(r"\1", source))
        shown += [source, output_text(cell)]
    return "\n".join(shown), answers


def prose_fragments(markdown: str) -> list[str]:
    """Runs of plain words in Markdown, between math, code and markup (those print differently)."""
    plain = re.split(r"\$[^$]*\$|`[^`]*`|[*_\[\]()|:;,.¿?¡!«»\"'\n]", markdown)
    return [piece for piece in plain if len(letters_and_digits(piece)) >= DISTINCTIVE]


def title_of(notebook) -> str:
    return next(line[2:] for line in notebook.cells[0].source.splitlines() if line.startswith("# "))


@pytest.mark.parametrize(("language", "name"), notebook_cases())
def test_a_handout_has_the_chapter_and_its_visible_code_but_no_solutions(site_build, language, name):
    path = DOWNLOADS[language] / handouts.handout_name(name, language)
    assert path.is_file(), f"no handout {path}"
    assert len(PdfReader(path).pages) > 0
    printed = letters_and_digits(pdf_text(path))
    notebook = nbformat.read(BOOK_DIR / language / f"{name}.ipynb", as_version=4)
    assert letters_and_digits(title_of(notebook)) in printed, "the chapter title is not in its handout"

    shown, answers = split_answers(notebook)
    visible = letters_and_digits(shown)
    visible_code = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code" and not is_solution(cell)
        for line in cell.source.splitlines()
        if len(letters_and_digits(line)) >= DISTINCTIVE
    ]
    assert visible_code, "no code line to look for"
    missing = [line for line in visible_code if letters_and_digits(line) not in printed]
    assert missing == [], "lines of visible code missing from the handout"

    # Solutions: what they say that the chapter says nowhere else must not be printed.
    hidden = [
        line
        for cell in notebook.cells
        if is_solution(cell)
        for line in (cell.source + "\n" + output_text(cell)).splitlines()
        if len(letters_and_digits(line)) >= DISTINCTIVE
    ] + [piece for body in answers for piece in prose_fragments(body)]
    hidden = [line for line in hidden if letters_and_digits(line) not in visible]
    if any(is_solution(cell) for cell in notebook.cells) or answers:
        assert hidden, "the chapter has solutions but no distinctive line to look for"
    printed_solutions = [line for line in hidden if letters_and_digits(line) in printed]
    assert printed_solutions == [], "solutions printed in the students' handout"
    assert SWITCH_TEXT[language] not in pdf_text(path), "the site's navigation was printed"


@pytest.mark.parametrize(("language", "name"), notebook_cases())
def test_a_handout_prints_rendered_formulas_and_its_figures(site_build, language, name):
    path = DOWNLOADS[language] / handouts.handout_name(name, language)
    text = pdf_text(path)
    notebook = nbformat.read(BOOK_DIR / language / f"{name}.ipynb", as_version=4)
    # Sphinx writes inline math as \( \) and display math as \[ \]; MathJax replaces both.
    assert not re.search(r"\\\(|\\\[", text), "raw TeX in the handout: MathJax did not run"
    figures = sum(
        "image/png" in output.get("data", {})
        for cell in notebook.cells
        if not is_solution(cell)
        for output in cell.get("outputs", [])
    )
    printed_images = sum(len(page.images) for page in PdfReader(path).pages)
    assert printed_images >= figures, f"{figures} figures in the chapter, {printed_images} images in its handout"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_book_handout_is_the_chapter_handouts_in_reading_order(site_build, language):
    book = PdfReader(DOWNLOADS[language] / handouts.book_handout_name(language))
    starts = {item.title: book.get_destination_page_number(item) for item in book.outline}
    pages = handouts.book_pages(language)
    assert "instructor_guide" not in pages, "the teachers' guide is not for students"
    titles = [handouts.page_title(site.HTML_DIR / language / f"{name}.html") for name in pages]
    assert list(starts) == titles, "one bookmark per page, in reading order"
    assert list(starts.values()) == sorted(starts.values())
    ends = [*list(starts.values())[1:], len(book.pages)]
    for name, title, end in zip(pages, titles, ends):
        if name in handouts.notebook_pages(language):
            chapter = PdfReader(DOWNLOADS[language] / handouts.handout_name(name, language))
            start = starts[title]
            assert end - start == len(chapter.pages), f"{name}: not the same pages as its own handout"
            assert book.pages[start].extract_text() == chapter.pages[0].extract_text()
    assert book.metadata.title == titles[0]
