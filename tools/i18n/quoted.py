"""What twin texts must quote alike: numbers (each language with its separators), links, glossary terms."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from tools.i18n.records import SOURCE, TRANSLATION
from tools.notebooks.files import sanitize_patterns

LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
# A link to a glossary entry: {term}`shown text <Entry>` (the entry is named per language).
GLOSSARY_ROLE = re.compile(r"\{term\}`")

CODE_OR_MATH = re.compile(r"^(```|~~~).*?^\1|\$\$.*?\$\$|(?<!\\)\$[^$\n]+\$|`[^`\n]+`", re.S | re.M)
NOT_NUMBERS = re.compile(
    r"\]\([^)\s]*\)"  # link targets (compared as links)
    r"|<https?://[^>]+>|https?://\S+"  # URLs
    r"|<[^>\n]+>"  # HTML tags
    r"|^\(\S+\)=\s*$",  # MyST targets "(name)="
    re.M,
)
# Spanish groups thousands with a (non-breaking, thin) space; English with a comma.
SPANISH_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)(?:,\d+)?")
ENGLISH_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?!\d|,\d)(?:\.\d+)?")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Keras's step timing, also at the end of a line (nbval's pattern wants a " -" after it).
KERAS_TIMING = re.compile(r"- \d+s - \d+(?:\.\d+)?(?:ms|us|µs|s)/step\b")


def prose_numbers(text: str, language: str) -> Counter:
    """The numbers quoted in Markdown, as values: "0,5" (es) and "0.5" (en) are both 0.5."""
    numbers: Counter = Counter()
    code = []

    def set_code_aside(match):
        code.append(match.group())
        return " "

    prose = NOT_NUMBERS.sub(" ", CODE_OR_MATH.sub(set_code_aside, text))
    # In code and math dots are decimal points, in both editions; Spanish math
    # writes its decimal comma as {,} ($0{,}5$).
    for number in NUMBER.findall(NOT_NUMBERS.sub(" ", " ".join(code).replace("{,}", "."))):
        numbers.update(number.split(","))  # [1,2] in code is two numbers
    grouped = SPANISH_GROUPED if language == SOURCE else ENGLISH_GROUPED
    decimal_comma = "." if language == SOURCE else ""  # Spanish 1 234,5 = English 1,234.5
    numbers.update(re.sub(r"[ \u00a0\u202f]", "", n).replace(",", decimal_comma) for n in grouped.findall(prose))
    prose = grouped.sub(" ", prose)
    for number in NUMBER.findall(prose):
        if language == SOURCE:
            number = number.replace(",", ".")  # decimal comma; dots stay (Python 3.11)
        numbers.update(number.split(","))  # an English "1,2" without a space is two numbers
    return numbers


def numbers_difference(es_text: str, en_text: str) -> str | None:
    es_numbers, en_numbers = prose_numbers(es_text, SOURCE), prose_numbers(en_text, TRANSLATION)
    if es_numbers == en_numbers:
        return None
    only_es = sorted((es_numbers - en_numbers).elements())
    only_en = sorted((en_numbers - es_numbers).elements())
    return f"numbers differ: only in the Spanish {only_es or 'nothing'}, only in the English {only_en or 'nothing'}"


@lru_cache(maxsize=1)
def timing_patterns() -> tuple:
    return (*sanitize_patterns(), (KERAS_TIMING, "- TIME"))


def output_numbers(cell) -> list[tuple[str, str]]:
    """(number, its line) for every number the cell printed, timings left out."""
    chunks = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            chunks.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            chunks.append(output.get("data", {}).get("text/plain", ""))
    text = ANSI_ESCAPE.sub("", "\n".join(chunks))
    for pattern, replacement in timing_patterns():
        text = pattern.sub(replacement, text)
    return [(number.replace(",", "."), line.strip()) for line in text.splitlines() for number in NUMBER.findall(line)]


def outputs_difference(es_cell, en_cell) -> str | None:
    es_numbers, en_numbers = output_numbers(es_cell), output_numbers(en_cell)
    if [n for n, _ in es_numbers] == [n for n, _ in en_numbers]:
        return None
    for index in range(max(len(es_numbers), len(en_numbers))):
        es_item = es_numbers[index] if index < len(es_numbers) else ("nothing", "")
        en_item = en_numbers[index] if index < len(en_numbers) else ("nothing", "")
        if es_item[0] != en_item[0]:
            return (
                f"printed number {index + 1}: {es_item[0]!r} (es) vs {en_item[0]!r} (en), "
                f"in {es_item[1][:60]!r} (es) / {en_item[1][:60]!r} (en)"
            )
    return None
