"""Reading a chapter's outputs and prose, for the tests that check quoted numbers.

Each ``tests/test_*_claims.py`` file proves, for one chapter, that every number
its prose quotes from an output was updated with that output, in both editions.
Cells are found by their id, which the two editions share. A missing edition or
cell is a failure, never a skip.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from tools.common.layout import BOOK_DIR, LANGUAGES

_cache: dict[tuple[str, str], Chapter] = {}


class Chapter:
    """One edition of a chapter: outputs and prose of its cells, by cell id."""

    def __init__(self, language: str, name: str):
        self.language = language
        self.notebook = nbformat.read(BOOK_DIR / language / name, as_version=4)  # raises if missing
        self.cells = {cell.get("id"): cell for cell in self.notebook.cells}

    def cell(self, cell_id: str, kind: str):
        cell = self.cells.get(cell_id)
        assert cell is not None, f"{self.language}: no cell with id {cell_id}"
        assert cell.cell_type == kind, f"{self.language}: cell {cell_id} is not {kind}"
        return cell

    def output(self, cell_id: str) -> str:
        cell = self.cell(cell_id, "code")
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert text, f"{self.language}: code cell {cell_id} printed nothing; run `make outputs`"
        return text

    def prose(self, cell_id: str) -> str:
        """A Markdown cell, with every run of whitespace (line breaks included) as one space."""
        return " ".join(self.cell(cell_id, "markdown").source.split())

    def alt(self, cell_id: str) -> str:
        return self.cell(cell_id, "code").metadata["mystnb"]["image"]["alt"]

    def all_prose(self) -> str:
        return " ".join(" ".join(c.source.split()) for c in self.notebook.cells if c.cell_type == "markdown")

    def number(self, value: str) -> str:
        """A number printed by the code, as this edition's prose writes it.

        Spanish: decimal comma, a space before %, thousands grouped by a space from 10 000 on.
        English: decimal point, no space before %, thousands grouped by a comma.
        """
        percent = value.endswith("%")
        digits = value.rstrip("%")
        whole, _, decimals = digits.partition(".")
        if self.language == "es":
            grouped = f"{int(whole):,}".replace(",", " ") if len(whole) > 4 else whole
            text = grouped + ("," + decimals if decimals else "")
            return text + (" %" if percent else "")
        grouped = f"{int(whole):,}"
        return grouped + ("." + decimals if decimals else "") + ("%" if percent else "")


def chapter(language: str, name: str) -> Chapter:
    """The edition ``language`` of chapter ``name`` (e.g. "05_quickstart.ipynb"), read once per run."""
    if (language, name) not in _cache:
        _cache[(language, name)] = Chapter(language, name)
    return _cache[(language, name)]


def editions(name: str) -> dict[str, object]:
    """The fixed list of editions of a chapter: a missing file fails, it does not drop out."""
    return {language: BOOK_DIR / language / name for language in LANGUAGES}


def search(pattern: str, text: str, what: str) -> re.Match:
    match = re.search(pattern, text)
    assert match, f"{what}: pattern {pattern!r} not found in output:\n{text}"
    return match


def assert_quoted(ch: Chapter, cell_id: str, phrases: dict[str, str]) -> None:
    """The Markdown cell contains this edition's phrase (numbers already in its format)."""
    phrase = phrases[ch.language]
    prose = ch.prose(cell_id)
    assert phrase in prose, f"{ch.language}: cell {cell_id} should say {phrase!r}; it says:\n{prose}"


def claims_tests(name: str, claims: list) -> tuple:
    """The two tests of a chapter's claims file: both editions exist, and every claim holds in each."""
    paths = editions(name)

    def test_both_editions_exist():
        missing = [str(path) for path in paths.values() if not path.is_file()]
        assert not missing, f"missing editions of {name}: {missing}"

    @pytest.mark.parametrize("language", paths)
    @pytest.mark.parametrize("claim", claims, ids=lambda claim: claim.__name__.removeprefix("claim_"))
    def test_prose_quotes_the_outputs(claim, language):
        claim(chapter(language, name))

    return test_both_editions_exist, test_prose_quotes_the_outputs
