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


def all_handouts(language: str) -> list[Path]:
    return [
        DOWNLOADS[language] / handouts.handout_name(name, language) for name in handouts.notebook_pages(language)
    ] + [DOWNLOADS[language] / handouts.book_handout_name(language)]


def link_targets(path: Path) -> list[str]:
    """The URI of every link annotation in the PDF (links inside the document have none)."""
    targets = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action.get_object():
                targets.append(str(action.get_object()["/URI"]))
    return targets


@pytest.mark.parametrize("language", LANGUAGES)
def test_handout_links_lead_to_the_published_site_not_the_print_server(site_build, language):
    local = re.compile(r"^\w+://(127\.0\.0\.1|localhost|\[::1\])[:/]")
    published = site.base_url()
    to_the_site = 0
    for path in all_handouts(language):
        targets = link_targets(path)
        assert [target for target in targets if local.match(target)] == [], f"{path.name} links to the print server"
        assert not [target for target in targets if not re.match(r"^(https?|mailto):", target)], path.name
        to_the_site += sum(target.startswith(f"{published}{language}/") for target in targets)
    assert to_the_site, f"no link of the {language} handouts leads to the published edition {published}{language}/"


def summary_cases() -> list[tuple[str, str]]:
    """The chapters that print a ``model.summary()`` table (Keras's "Layer (type)" header)."""
    return [(language, name) for language, name in notebook_cases() if "Layer (type)" in output_text_of(language, name)]


def output_text_of(language: str, name: str) -> str:
    notebook = nbformat.read(BOOK_DIR / language / f"{name}.ipynb", as_version=4)
    return "\n".join(output_text(cell) for cell in notebook.cells if not is_solution(cell))


def test_some_chapter_prints_a_summary_table():
    assert summary_cases(), "no chapter prints model.summary(): the table test below checks nothing"


@pytest.mark.parametrize(("language", "name"), summary_cases())
def test_model_summary_tables_stay_tables(site_build, language, name):
    """Each row of a summary prints on one line: the header keeps "Param #" beside "Layer (type)"."""
    lines = pdf_text(DOWNLOADS[language] / handouts.handout_name(name, language)).splitlines()
    headers = [line for line in lines if "Layer (type)" in line]
    expected = output_text_of(language, name).count("Layer (type)")
    assert len(headers) >= expected, "summary tables missing from the handout"
    assert all("Param #" in line for line in headers), f"a summary's columns wrap onto other lines: {headers}"


def leading_spaces(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def wrapped_code_lines(language: str, name: str) -> list[tuple[str, int, int]]:
    """(code line, column of its first printed line, column of its continuation) for each wrapped code line.

    pypdf's layout mode keeps each printed line's horizontal position as leading spaces,
    so a continuation printed under a hanging indent starts further right than its line.
    """
    path = DOWNLOADS[language] / handouts.handout_name(name, language)
    printed = [
        line for page in PdfReader(path).pages for line in page.extract_text(extraction_mode="layout").split("\n")
    ]
    notebook = nbformat.read(BOOK_DIR / language / f"{name}.ipynb", as_version=4)
    lines = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code" and not is_solution(cell)
        for line in cell.source.splitlines()
    ]
    code = {letters_and_digits(line): line for line in lines if len(letters_and_digits(line)) >= DISTINCTIVE}
    whole_lines = {letters_and_digits(line) for line in lines}
    found = []
    for first, second in zip(printed, printed[1:]):
        start, rest = letters_and_digits(first), letters_and_digits(second)
        # A printed line that is a whole code line (or a wrapped heading) is no wrapped code line.
        if len(start) < DISTINCTIVE // 2 or not rest or start in whole_lines:
            continue
        for whole, line in code.items():
            if (
                whole != start
                and whole.startswith(start)
                and whole[len(start) :].startswith(rest[:8])
                and " ".join(line.split()).startswith(" ".join(first.split()))
            ):
                found.append((line, leading_spaces(first), leading_spaces(second)))
                break
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_wrapped_code_lines_keep_a_hanging_indent(site_build, language):
    wrapped = {name: wrapped_code_lines(language, name) for name in handouts.notebook_pages(language)}
    assert any(wrapped.values()), "no wrapped code line in the handouts: the test checks nothing"
    flush = [(name, line) for name, lines in wrapped.items() for line, first, rest in lines if rest <= first]
    assert flush == [], "wrapped code lines continue at or left of their own start (Python's indentation hidden)"


# "Unfold the solution" and its kin: nothing unfolds on paper.
UNFOLD = re.compile(
    r"\b(despleg\w*|despliega\w*|abrir|abre|mostrar) la soluci[oó]n|\b(expand\w*|open\w*|unfold\w*|show) the solution",
    re.I,
)


def pages_without_own_handout(language: str) -> str:
    """The text of the whole-book PDF's pages that no chapter handout holds (landing page, glossary)."""
    book = PdfReader(DOWNLOADS[language] / handouts.book_handout_name(language))
    starts = [book.get_destination_page_number(item) for item in book.outline]
    ends = [*starts[1:], len(book.pages)]
    own = set(handouts.notebook_pages(language))
    ranges = [(start, end) for name, start, end in zip(handouts.book_pages(language), starts, ends) if name not in own]
    assert ranges, "the book has no page besides the chapters: the check below reads nothing"
    return "\n".join(book.pages[number].extract_text() for start, end in ranges for number in range(start, end))


@pytest.mark.parametrize("language", LANGUAGES)
def test_handouts_never_ask_to_unfold_a_solution(site_build, language):
    """Nothing unfolds on paper. The whole book is its chapters' handouts plus the pages read here."""
    texts = {
        handouts.handout_name(name, language): pdf_text(DOWNLOADS[language] / handouts.handout_name(name, language))
        for name in handouts.notebook_pages(language)
    }
    texts[handouts.book_handout_name(language)] = pages_without_own_handout(language)
    for name, text in texts.items():
        assert UNFOLD.findall(" ".join(text.split())) == [], (
            f'{name} asks the reader to unfold a solution: wrap that sentence in <span class="screen-only">'
        )
