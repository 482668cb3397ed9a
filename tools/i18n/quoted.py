"""What twin texts must quote alike: numbers (each language with its separators, with their signs and
exponents), links, glossary terms and heading levels."""

from __future__ import annotations

import re
from collections import Counter

from tools.i18n.records import SOURCE, TRANSLATION

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
# A minus sign (hyphen or U+2212) written against the digits is the number's own,
# unless it follows a word, a number or a closing bracket ("x-1", "2-3": a
# subtraction or a range). A plus sign is not kept: +5 and 5 are the same number.
SIGN = r"(?:(?<![\w.,)\]}])[-\u2212])?"
EXPONENT = r"(?:[eE][-+\u2212]?\d+)?"  # 1e-05 is not 1e05
# Spanish groups thousands with a (non-breaking, thin) space; English with a comma.
SPANISH_GROUPED = re.compile(r"(?<![\d.,])" + SIGN + r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)(?:,\d+)?")
ENGLISH_GROUPED = re.compile(r"(?<![\d.,])" + SIGN + r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?!\d|,\d)(?:\.\d+)?")
NUMBER = re.compile(SIGN + r"\d+(?:[.,]\d+)*" + EXPONENT)
HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)", re.M)


def normalized(number: str) -> str:
    """One spelling per value for the signs and exponent: U+2212 is "-", "1E+05" is "1e05"."""
    number = number.replace("\u2212", "-")
    return re.sub(r"[eE]\+?", "e", number)


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
        numbers.update(normalized(n) for n in number.split(","))  # [1,2] in code is two numbers
    grouped = SPANISH_GROUPED if language == SOURCE else ENGLISH_GROUPED
    decimal_comma = "." if language == SOURCE else ""  # Spanish 1 234,5 = English 1,234.5
    numbers.update(
        normalized(re.sub(r"[ \u00a0\u202f]", "", n).replace(",", decimal_comma)) for n in grouped.findall(prose)
    )
    prose = grouped.sub(" ", prose)
    for number in NUMBER.findall(prose):
        if language == SOURCE:
            number = number.replace(",", ".")  # decimal comma; dots stay (Python 3.11)
        numbers.update(normalized(n) for n in number.split(","))  # an English "1,2" without a space is two
    return numbers


def numbers_difference(es_text: str, en_text: str) -> str | None:
    es_numbers, en_numbers = prose_numbers(es_text, SOURCE), prose_numbers(en_text, TRANSLATION)
    if es_numbers == en_numbers:
        return None
    only_es = sorted((es_numbers - en_numbers).elements())
    only_en = sorted((en_numbers - es_numbers).elements())
    return f"numbers differ: only in the Spanish {only_es or 'nothing'}, only in the English {only_en or 'nothing'}"


def heading_levels(markdown: str) -> list[int]:
    """The levels of a Markdown text's ATX headings (## is 2), code and math set aside."""
    return [len(match) for match in HEADING.findall(CODE_OR_MATH.sub(" ", markdown))]


def headings_difference(es_text: str, en_text: str) -> str | None:
    es_levels, en_levels = heading_levels(es_text), heading_levels(en_text)
    if es_levels == en_levels:
        return None
    return f"headings at levels {en_levels}, the Spanish cell's at {es_levels}"
