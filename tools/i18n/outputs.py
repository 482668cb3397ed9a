"""What twin code cells print: the same numbers (with their signs), booleans and words, translations aside.

Both cells run the same program (program.py proves it), so they print the same
thing except where the program prints translatable text: string literals, and
values built from them in other cells (a list of class names). The stream text
and text/plain results are read in order, once the timings masked by
tests/nbval_sanitize.cfg and Keras's "- 4s - 2ms/step" segments are set aside.

- Numbers, in order, with their minus signs and exponents: "0,976" and "0.976"
  are the same number (a Spanish literal may use a decimal comma); -0.5 and 0.5,
  1e-05 and 1e05 are not.
- Words, in order, once each cell's own string literals are cut out of its
  output (an f-string's literal parts too) and every word that occurs in a
  literal or comment anywhere in either edition of the notebook is set aside:
  what is left comes from the program and the libraries ("Dense", "float32",
  "Epoch"), the same in both editions. True, False, None, nan and inf are
  always compared unless they were cut out with a literal ("True:" printed as a
  label), so True -> False fails while a translated print does not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tools.i18n.program import translatable_code
from tools.i18n.quoted import NUMBER, normalized
from tools.notebooks.files import sanitize_patterns

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Keras's step timing, also at the end of a line (nbval's pattern wants a " -" after it).
KERAS_TIMING = re.compile(r"- \d+s - \d+(?:\.\d+)?(?:ms|us|µs|s)/step\b")
WORD = re.compile(r"[^\W\d_]+")
VALUES = {"True", "False", "None", "nan", "inf"}  # printed values that are words


@lru_cache(maxsize=1)
def timing_patterns() -> tuple:
    return (*sanitize_patterns(), (KERAS_TIMING, "- TIME"))


def printed_text(cell) -> str:
    chunks = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            chunks.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            chunks.append(output.get("data", {}).get("text/plain", ""))
    text = ANSI_ESCAPE.sub("", "\n".join(chunks))
    for pattern, replacement in timing_patterns():
        text = pattern.sub(replacement, text)
    return text


def literals_and_comments(source: str) -> list[str]:
    code = translatable_code(source)
    return [*code.get("strings", []), *code.get("comments", []), code.get("unparsed", "")]


def translated_words(notebooks) -> set[str]:
    """Every word (casefolded) of every string literal and comment in these notebooks."""
    words = set()
    for notebook in notebooks:
        for cell in notebook.cells:
            if cell.cell_type == "code":
                for text in literals_and_comments(cell.source):
                    words.update(word.casefold() for word in WORD.findall(text))
    return words


def without_literals(text: str, source: str) -> str:
    """The printed text with the cell's own string literals (those with a letter) cut out."""
    literals = {s for s in translatable_code(source).get("strings", []) if WORD.search(s)}
    for literal in sorted(literals, key=len, reverse=True):
        start = r"(?<!\w)" if literal[0].isalnum() else ""
        end = r"(?!\w)" if literal[-1].isalnum() else ""
        text = re.sub(start + re.escape(literal) + end, " ", text)
    return text


def printed_numbers(text: str) -> list[tuple[str, str]]:
    """(number, its line) for every number printed, signs and exponents kept."""
    return [
        (normalized(number.replace(",", ".")), line.strip())
        for line in text.splitlines()
        for number in NUMBER.findall(line)
    ]


def printed_words(text: str, source: str, translated: set[str]) -> list[tuple[str, str]]:
    """(word, its line) for the words the program itself printed, see the module docstring."""
    words = []
    for line in without_literals(text, source).splitlines():
        for word in WORD.findall(NUMBER.sub(" ", line)):
            if word in VALUES or word.casefold() not in translated:
                words.append((word, line.strip()))
    return words


def first_difference(what: str, es_items: list, en_items: list) -> str | None:
    for index in range(max(len(es_items), len(en_items))):
        es_item = es_items[index] if index < len(es_items) else ("nothing", "")
        en_item = en_items[index] if index < len(en_items) else ("nothing", "")
        if es_item[0] != en_item[0]:
            return (
                f"printed {what} {index + 1}: {es_item[0]!r} (es) vs {en_item[0]!r} (en), "
                f"in {es_item[1][:60]!r} (es) / {en_item[1][:60]!r} (en)"
            )
    return None


def outputs_difference(es_cell, en_cell, translated: set[str]) -> str | None:
    """The first printed number or word that differs, or None.

    ``translated`` is translated_words() of both editions of the notebook.
    """
    es_text, en_text = printed_text(es_cell), printed_text(en_cell)
    found = first_difference("number", printed_numbers(es_text), printed_numbers(en_text))
    return found or first_difference(
        "word", printed_words(es_text, es_cell.source, translated), printed_words(en_text, en_cell.source, translated)
    )
