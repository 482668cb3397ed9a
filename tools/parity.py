"""Prove that the Spanish and English editions say and compute the same thing.

Spanish (book/es) is the original; English (book/en) is its twin, with the same
file names. For every pair:

Notebooks, cell by cell:
- the same number, order and type of cells (a copied notebook keeps its cell
  ids, so a cell added on one side is named by them), and the same tags;
- the same ``mystnb`` metadata once its text is set aside; alt text
  (``mystnb.image.alt``) and solution prompts (``mystnb.code_prompt_show`` and
  ``code_prompt_hide``) are present on both sides or on neither;
- code cells are the same program: both are parsed with ``ast`` (IPython magics
  through IPython's own transformer, their arguments kept as code) and compared
  with the text of string literals blanked; comments are not in the tree. The
  expressions of f-strings, their conversions and format specs stay code, so
  ``f"{acc.max():.3f}"`` vs ``f"{acc.min():.3f}"`` fails on every Python from
  3.11 on. The first differing node is named with its line;
- twin code cells print the same numbers (stream text and text/plain results,
  in order), once the timings masked by tests/nbval_sanitize.cfg and Keras's
  "- 4s - 2ms/step" segments are set aside; "0,976" and "0.976" count as the
  same number, so a Spanish literal may use a decimal comma;
- twin Markdown cells and alt texts quote the same numbers, each read with its
  language's separators (Spanish 0,001, $0{,}001$ and 70 000; English 0.001,
  $0.001$ and 70,000); code spans and math count too, link targets do not;
- every Markdown cell is written in its edition's language (lingua), except
  cells listed, with a reason, in tools/parity_allowlist.txt;
- no side moved alone: each English cell records, in
  ``metadata.translation = {"es": ..., "en": ...}``, the fingerprints of both
  cells' translatable text (the Markdown; a code cell's comments and string
  literals; alt text; solution prompts) when the pair was last marked
  translated. A change to either side is reported with the side that moved.
  Code that changes identically on both sides needs no new mark (the program
  comparison covers it).

Markdown pages (index.md, glossary.md, instructor_guide.md), block by block:
each page is split at its headings; a section's prose is one block, each table
row is a block and each glossary entry is a block (entries are paired by term,
"Exactitud (*accuracy*)" with "Accuracy (*exactitud*)", since each language
sorts its own). Twin pages have the same headings (count and levels), the same
rows per section (with as many columns) and the same entries; twin blocks quote
the same numbers and link to the same targets; each page reads as its language. Blocks are numbered
in the English page's order, which is what --mark-translated takes.

Where the page record lives, and why: Markdown has no per-block metadata, and
fingerprints in the pages themselves (front matter, HTML comments) would sit in
the text that authors edit and the spell checkers read. So the fingerprints of
page blocks live in one sidecar next to the editions, BOOK_DIR/translations.json
(outside book/es and book/en, so neither the site build nor the spell check nor
nbval reads it). It holds, per page, the recorded (Spanish, English) fingerprint
pairs, content-addressed rather than by position: inserting a table row or a
glossary term in both editions leaves every other block's record valid, and a
block whose pair is not recorded is named with the side that moved (the side
whose fingerprint is still on record did not).

Usage:
  python -m tools.parity [--root BOOK_DIR]                      check (exit 1 on any problem)
  python -m tools.parity --mark-translated FILE INDEX [INDEX ...]
        record that these English cells (notebook) or blocks (page) translate
        their Spanish twins now; the check prints the indexes
  python -m tools.parity --mark-translated FILE --all           every cell or block of FILE
  python -m tools.parity --mark-translated --all [--root DIR]   the whole book, once, after review
FILE may name either edition. Without INDEX or --all nothing is marked (an
error, exit 2), and a file whose cells or blocks do not pair up is not marked.
Mark only what you reviewed: the mark means "these two sides say the same".
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import re
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

from tools.notebook_files import BOOK_DIR, canonical_text, report, sanitize_patterns, write_text_atomically
from tools.spellcheck import prose_of

SOURCE, TRANSLATION = "es", "en"
SIDE_NAME = {SOURCE: "Spanish", TRANSLATION: "English"}
ALLOWLIST = Path(__file__).with_name("parity_allowlist.txt")
PAGE_RECORD = "translations.json"  # in the book root, next to es/ and en/
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
# A link to a glossary entry: {term}`shown text <Entry>` (the entry is named per language).
GLOSSARY_ROLE = re.compile(r"\{term\}`")
# Below this many letters of prose a language guess is not trustworthy.
MIN_LETTERS_FOR_DETECTION = 12
COMMAND = "python -m tools.parity --mark-translated"


class MarkError(ValueError):
    """--mark-translated was asked something it must not do."""


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------
# Code: the same program, compared as syntax trees


TEXT_NODES = tuple(t for t in (ast.JoinedStr, getattr(ast, "TemplateStr", None)) if t)
FORMATTED_NODES = tuple(t for t in (ast.FormattedValue, getattr(ast, "Interpolation", None)) if t)
IGNORED_FIELDS = {"kind", "type_comment"}  # the u"" prefix and type comments are not the program
MAGIC_METHODS = {"run_line_magic", "run_cell_magic", "system", "getoutput"}
# Cell magics whose body is Python: the body is compared as code (comments and strings may differ).
PYTHON_CELL_MAGIC = re.compile(r"\s*%%(time|timeit|capture|prun)\b(.*)")


def is_text(node) -> bool:
    """A string literal or f-string: its literal text may be translated."""
    return isinstance(node, TEXT_NODES) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def is_magic_call(node) -> bool:
    """``get_ipython().run_line_magic(...)``, as IPython writes ``%magic``, ``!cmd``..."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in MAGIC_METHODS
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "get_ipython"
    )


def python_source(source: str) -> str:
    """The cell as plain Python: IPython magics become the calls IPython makes."""
    first, _, body = source.partition("\n")
    if match := PYTHON_CELL_MAGIC.fullmatch(first):
        return f"get_ipython().run_cell_magic({match[1]!r}, {match[2].strip()!r}, '')\n" + python_source(body)
    try:
        ast.parse(source)
        return source
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)


def program_tree(source: str) -> ast.Module:
    return ast.parse(python_source(source))


def formatted_values(node) -> list:
    """What is code in a string literal: the replacement fields of an f-string."""
    return [v for v in getattr(node, "values", []) if isinstance(v, FORMATTED_NODES)]


def without_empty_text(values: list) -> list:
    # Python 3.12 adds empty Constant parts to some format specs; 3.11 does not.
    return [v for v in values if not (isinstance(v, ast.Constant) and v.value == "")]


def differing_nodes(es, en, es_owner=None, en_owner=None, strict=False):
    """The first place where two trees differ, as (es node, en node), or None.

    A node is None where one side has nothing (an extra statement, argument...).
    With ``strict`` (format specs, magic arguments) string text is code too.
    """
    if isinstance(es, list) or isinstance(en, list):
        if not (isinstance(es, list) and isinstance(en, list)):
            return es_owner, en_owner
        if strict:
            es, en = without_empty_text(es), without_empty_text(en)
        for x, y in zip(es, en):
            found = differing_nodes(x, y, es_owner, en_owner, strict)
            if found:
                return found
        if len(es) != len(en):
            extra = es[len(en)] if len(es) > len(en) else en[len(es)]
            if not isinstance(extra, ast.AST):
                return es_owner, en_owner
            return (extra, None) if len(es) > len(en) else (None, extra)
        return None
    if isinstance(es, ast.AST) and isinstance(en, ast.AST):
        if not strict and is_text(es) and is_text(en):
            return differing_nodes(formatted_values(es), formatted_values(en), es, en)
        if type(es) is not type(en):
            return es, en
        strict = strict or is_magic_call(es)
        for name in es._fields:
            if name in IGNORED_FIELDS:
                continue
            keep_text = strict or (isinstance(es, FORMATTED_NODES) and name == "format_spec")
            found = differing_nodes(getattr(es, name, None), getattr(en, name, None), es, en, keep_text)
            if found:
                return found
        return None
    if isinstance(es, ast.AST) or isinstance(en, ast.AST) or type(es) is not type(en) or es != en:
        return es_owner, en_owner
    return None


def snippet(node) -> str:
    if node is None:
        return "nothing"
    try:
        text = str(node.value) if isinstance(node, ast.Constant) else ast.unparse(node)
    except Exception:  # a fragment that does not unparse on its own
        text = ast.dump(node)
    text = " ".join(text.split())
    return repr(text if len(text) <= 70 else text[:67] + "...")


def describe_difference(es_node, en_node) -> str:
    lines = [getattr(n, "lineno", None) for n in (es_node, en_node)]
    if lines[0] == lines[1] or None in lines:
        line = next((n for n in lines if n is not None), None)
        where = f"line {line}" if line else "first difference"
    else:
        where = f"line {lines[0]} (es) / {lines[1]} (en)"
    return f"{where}: {snippet(es_node)} (es) vs {snippet(en_node)} (en)"


def token_difference(es_source: str, en_source: str) -> str | None:
    """For cells that are not Python (both fail to parse): tokens without comments and strings."""
    ignored = {tokenize.COMMENT, tokenize.STRING, tokenize.NL, tokenize.NEWLINE}

    def tokens(source):
        return [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in ignored]

    es_tokens, en_tokens = tokens(es_source), tokens(en_source)
    for index, (x, y) in enumerate(zip(es_tokens, en_tokens)):
        if x != y:
            return f"neither cell parses; token {index + 1}: {x!r} (es) vs {y!r} (en)"
    if len(es_tokens) != len(en_tokens):
        return f"neither cell parses; {len(es_tokens)} tokens (es) vs {len(en_tokens)} (en)"
    return None


def program_difference(es_source: str, en_source: str) -> str | None:
    """None if both cells are the same program, else a readable first difference."""
    trees = []
    for side, source in ((SOURCE, es_source), (TRANSLATION, en_source)):
        try:
            trees.append(program_tree(source))
        except SyntaxError as error:
            trees.append(f"the {SIDE_NAME[side]} cell does not parse ({error.msg}, line {error.lineno})")
    es_tree, en_tree = trees
    if isinstance(es_tree, str) and isinstance(en_tree, str):
        try:
            return token_difference(es_source, en_source)
        except (tokenize.TokenError, SyntaxError):
            return None if es_source == en_source else f"{es_tree}; {en_tree}"
    if isinstance(es_tree, str) or isinstance(en_tree, str):
        return es_tree if isinstance(es_tree, str) else en_tree
    found = differing_nodes(es_tree.body, en_tree.body, es_tree, en_tree)
    return describe_difference(*found) if found else None


def literal_texts(node, out: list[str], strict: bool = False) -> list[str]:
    """The translatable text of string literals, in source order (not format specs)."""
    if isinstance(node, list):
        for item in node:
            literal_texts(item, out, strict)
    elif isinstance(node, ast.AST):
        if not strict and isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
            out.append(node.value)
        strict = strict or is_magic_call(node)
        for name in node._fields:
            keep = strict or (isinstance(node, FORMATTED_NODES) and name == "format_spec")
            literal_texts(getattr(node, name, None), out, keep)
    return out


def translatable_code(source: str) -> dict:
    """A code cell's comments and string literals: what a translator changes."""
    try:
        python = python_source(source)
        tree = ast.parse(python)
        tokens = tokenize.generate_tokens(io.StringIO(python).readline)
        comments = [t.string for t in tokens if t.type == tokenize.COMMENT]
    except (SyntaxError, tokenize.TokenError):
        return {"unparsed": source}
    return {"strings": literal_texts(tree.body, []), "comments": comments}


# --------------------------------------------------------------------------
# Cells: translatable text, metadata, fingerprints


def mystnb(cell) -> dict:
    value = cell.metadata.get("mystnb", {})
    return value if isinstance(value, dict) else {}


def alt_text(cell) -> str:
    image = mystnb(cell).get("image", {})
    return (image.get("alt") or "").strip() if isinstance(image, dict) else ""


def solution_prompts(cell) -> dict[str, str]:
    return {k: v for k in ("code_prompt_show", "code_prompt_hide") if (v := mystnb(cell).get(k))}


def mystnb_without_text(cell) -> dict:
    """The mystnb metadata with its translatable values blanked: must be equal in both."""
    shape = json.loads(json.dumps(mystnb(cell)))
    for key in ("code_prompt_show", "code_prompt_hide"):
        if key in shape:
            shape[key] = "TEXT"
    if isinstance(shape.get("image"), dict) and "alt" in shape["image"]:
        shape["image"]["alt"] = "TEXT"
    return shape


def cell_fingerprint(cell) -> str:
    """Fingerprint of everything a translator touches in this cell."""
    text = translatable_code(cell.source) if cell.cell_type == "code" else {"markdown": cell.source}
    parts = {"type": cell.cell_type, "text": text, "alt": alt_text(cell), "prompts": solution_prompts(cell)}
    return fingerprint(json.dumps(parts, ensure_ascii=False, sort_keys=True))


def tags(cell) -> list[str]:
    return list(cell.metadata.get("tags", []))


# --------------------------------------------------------------------------
# Numbers: in prose (each language's separators) and in outputs

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


# --------------------------------------------------------------------------
# Language


@lru_cache(maxsize=1)
def detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.SPANISH, Language.ENGLISH).build()


def detected_language(markdown: str) -> str | None:
    """'es', 'en', or None when there is too little prose to tell."""
    prose, _foreign = prose_of(markdown)  # terms in the other language are set aside
    prose = re.sub(r"[#*_|>\-]", " ", prose)
    if sum(ch.isalpha() for ch in prose) < MIN_LETTERS_FOR_DETECTION:
        return None
    language = detector().detect_language_of(prose)
    return {"SPANISH": "es", "ENGLISH": "en"}.get(language.name) if language else None


def load_allowlist() -> set[str]:
    """Entries "FILE#CELL_ID  # reason": Markdown cells exempt from language detection."""
    entries = set()
    if ALLOWLIST.exists():
        for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
            entry = line.split("  #", 1)[0].strip()
            if entry and not entry.startswith("#"):
                entries.add(entry)
    return entries


# --------------------------------------------------------------------------
# Records: which pair of fingerprints was last marked translated


def stale_message(moved: str, what: str, english: Path, index: int) -> str:
    mark = f"`{COMMAND} {english} {index}`"
    if moved == SOURCE:
        return (
            f"stale translation: the Spanish {what} changed since the pair was marked translated "
            f"(update the English {what}, then {mark})"
        )
    if moved == TRANSLATION:
        return (
            f"stale translation: the English {what} changed since the pair was marked translated, "
            f"but the Spanish {what} did not (make the same change in Spanish, or check that none is "
            f"needed, then {mark})"
        )
    if moved == "crossed":
        return (
            f"stale translation: the Spanish and the English {what} are each on record, but not as twins (was one side "
            f"reordered?); check that they say the same, then {mark}"
        )
    if moved == "unknown":
        return (
            f"neither side is on record: a new {what}, or both sides changed since the pair was marked "
            f"translated (check that they say the same, then {mark})"
        )
    if moved == "both":
        return (
            f"stale translation: both the Spanish and the English {what} changed since the pair was marked "
            f"translated (check that they say the same, then {mark})"
        )
    return f"not marked translated (review it, then {mark})"


def notebook_record_status(en_cell, es_fp: str, en_fp: str) -> str | None:
    """None if up to date; else which side moved: 'es', 'en', 'both', 'legacy' or 'none'."""
    record = en_cell.metadata.get("translation", {})
    if not isinstance(record, dict) or not {"es", "en"} <= set(record):
        return "legacy" if isinstance(record, dict) and "source" in record else "none"
    es_moved, en_moved = record["es"] != es_fp, record["en"] != en_fp
    if es_moved and en_moved:
        return "both"
    return SOURCE if es_moved else TRANSLATION if en_moved else None


def page_record_status(pairs: list[dict], es_fp: str, en_fp: str) -> str | None:
    """Content-addressed: None if this very pair is on record, else which side moved."""
    if any(p["es"] == es_fp and p["en"] == en_fp for p in pairs):
        return None
    es_known = any(p["es"] == es_fp for p in pairs)
    en_known = any(p["en"] == en_fp for p in pairs)
    if es_known and en_known:
        return "crossed"  # each side is on record, but not as these twins (e.g. rows swapped on one side)
    if es_known:
        return TRANSLATION
    if en_known:
        return SOURCE
    return "unknown" if pairs else "none"


def load_page_records(root: Path) -> dict[str, list[dict]]:
    path = root / PAGE_RECORD
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("pages", {})


def save_page_records(root: Path, pages: dict[str, list[dict]]) -> None:
    lines = [
        "{",
        ' "about": "Fingerprints (Spanish, English) of the blocks of the Markdown pages, written by '
        '`python -m tools.parity --mark-translated`; see tools/parity.py.",',
        ' "pages": {',
    ]
    names = sorted(pages)
    for n, name in enumerate(names):
        lines.append(f"  {json.dumps(name)}: [")
        entries = [json.dumps(entry, ensure_ascii=False) for entry in pages[name]]
        lines += [f"   {entry}," for entry in entries[:-1]] + [f"   {entry}" for entry in entries[-1:]]
        lines.append("  ]," if n < len(names) - 1 else "  ]")
    lines += [" }", "}"]
    write_text_atomically(root / PAGE_RECORD, "\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# Notebooks


def paired_cells(es_nb, en_nb) -> int:
    """How many leading cells pair up: up to the first change of type or, if a cell
    was added or removed on one side, up to the first different cell id (a copied
    notebook keeps its ids); everything after a shifted cell would be noise."""
    shifted = len(es_nb.cells) != len(en_nb.cells)
    for index, (es_cell, en_cell) in enumerate(zip(es_nb.cells, en_nb.cells)):
        if es_cell.cell_type != en_cell.cell_type or (shifted and es_cell.get("id") != en_cell.get("id")):
            return index
    return min(len(es_nb.cells), len(en_nb.cells))


def structure_problems(es_nb, en_nb, spanish: Path, english: Path) -> list[str]:
    problems = []
    es_cells, en_cells = es_nb.cells, en_nb.cells
    if len(es_cells) != len(en_cells):
        problem = f"{english}: {len(en_cells)} cells, but {spanish} has {len(es_cells)}"
        es_ids, en_ids = {c.get("id") for c in es_cells}, {c.get("id") for c in en_cells}
        only_es = [i for i, c in enumerate(es_cells) if c.get("id") not in en_ids]
        only_en = [i for i, c in enumerate(en_cells) if c.get("id") not in es_ids]
        if len(only_es) - len(only_en) == len(es_cells) - len(en_cells):  # the ids explain it
            for side, cells in (("Spanish", only_es), ("English", only_en)):
                if cells:
                    problem += f"; {side} cells with no twin (by cell id): {', '.join(map(str, cells))}"
        problems.append(problem)
    index = paired_cells(es_nb, en_nb)
    if index < min(len(es_cells), len(en_cells)) and es_cells[index].cell_type != en_cells[index].cell_type:
        problems.append(
            f"{english} cell {index}: is {en_cells[index].cell_type}, the Spanish cell is {es_cells[index].cell_type}"
        )
    return problems


def check_cell_pair(es_cell, en_cell, where: str) -> list[str]:
    problems = []
    if tags(es_cell) != tags(en_cell):
        problems.append(f"{where}: tags {tags(en_cell)} differ from the Spanish {tags(es_cell)}")
    es_alt, en_alt = alt_text(es_cell), alt_text(en_cell)
    if bool(es_alt) != bool(en_alt):
        problems.append(
            f"{where}: alt text (mystnb.image.alt): the Spanish cell has {'one' if es_alt else 'none'}, "
            f"the English cell has {'one' if en_alt else 'none'}"
        )
    es_prompts, en_prompts = sorted(solution_prompts(es_cell)), sorted(solution_prompts(en_cell))
    if es_prompts != en_prompts:
        problems.append(
            f"{where}: solution prompts: the Spanish cell has {es_prompts or 'none'}, "
            f"the English cell has {en_prompts or 'none'}"
        )
    if mystnb_without_text(es_cell) != mystnb_without_text(en_cell):
        problems.append(f"{where}: mystnb metadata differs from the Spanish cell's (beyond its text)")
    if es_alt and en_alt and (found := numbers_difference(es_alt, en_alt)):
        problems.append(f"{where}: alt text {found}")
    if es_cell.cell_type == "code":
        if found := program_difference(es_cell.source, en_cell.source):
            problems.append(f"{where}: not the same program as the Spanish cell; {found}")
        if found := outputs_difference(es_cell, en_cell):
            problems.append(f"{where}: output differs from the Spanish cell's: {found}")
    elif es_cell.cell_type == "markdown":
        if found := numbers_difference(es_cell.source, en_cell.source):
            problems.append(f"{where}: {found}")
        es_links, en_links = sorted(LINK_TARGET.findall(es_cell.source)), sorted(LINK_TARGET.findall(en_cell.source))
        if es_links != en_links:
            problems.append(f"{where}: links to {en_links}, the Spanish cell to {es_links}")
        es_terms, en_terms = len(GLOSSARY_ROLE.findall(es_cell.source)), len(GLOSSARY_ROLE.findall(en_cell.source))
        if es_terms != en_terms:
            problems.append(f"{where}: links {en_terms} glossary terms, the Spanish cell {es_terms}")
    return problems


def check_notebook_pair(spanish: Path, english: Path, allowlist: set[str]) -> list[str]:
    es_nb = nbformat.read(spanish, as_version=4)
    en_nb = nbformat.read(english, as_version=4)
    problems = structure_problems(es_nb, en_nb, spanish, english)
    unrecorded, stale = [], []
    paired = paired_cells(es_nb, en_nb)
    for index, (es_cell, en_cell) in enumerate(zip(es_nb.cells[:paired], en_nb.cells[:paired])):
        where = f"{english} cell {index}"
        problems += check_cell_pair(es_cell, en_cell, where)
        if es_cell.cell_type == "markdown":
            exempt = f"{english.name}#{en_cell.get('id')}" in allowlist
            for cell, language, path in ((es_cell, SOURCE, spanish), (en_cell, TRANSLATION, english)):
                found = None if exempt else detected_language(cell.source)
                if found is not None and found != language:
                    problems.append(
                        f"{path} cell {index}: Markdown reads as '{found}', expected '{language}': {cell.source[:60]!r}"
                    )
        moved = notebook_record_status(en_cell, cell_fingerprint(es_cell), cell_fingerprint(en_cell))
        if moved in ("none", "legacy"):
            unrecorded.append((index, moved))
        elif moved:
            stale.append(f"{where}: {stale_message(moved, 'cell', english, index)}")
    if unrecorded and len(unrecorded) == paired:
        old = " (only the old, Spanish-side record)" if any(m == "legacy" for _, m in unrecorded) else ""
        stale.append(
            f"{english}: no cell is marked translated{old}; after reviewing the whole pair, `{COMMAND} {english} --all`"
        )
    else:
        stale += [f"{english} cell {i}: {stale_message('none', 'cell', english, i)}" for i, _ in unrecorded]
    return problems + stale


def mark_notebook(english: Path, spanish: Path, indexes: list[int] | None) -> int:
    es_nb = nbformat.read(spanish, as_version=4)
    en_nb = nbformat.read(english, as_version=4)
    if structure := structure_problems(es_nb, en_nb, spanish, english):
        raise MarkError(f"cannot mark {english}: the cells do not pair up: {structure[0]}")
    chosen = range(len(en_nb.cells)) if indexes is None else indexes
    for index in chosen:
        if not 0 <= index < len(en_nb.cells):
            raise MarkError(f"{english} has no cell {index} (it has cells 0 to {len(en_nb.cells) - 1})")
    for index in chosen:
        es_cell, en_cell = es_nb.cells[index], en_nb.cells[index]
        en_cell.metadata["translation"] = {SOURCE: cell_fingerprint(es_cell), TRANSLATION: cell_fingerprint(en_cell)}
    write_text_atomically(english, canonical_text(en_nb))
    return len(chosen)


# --------------------------------------------------------------------------
# Markdown pages: sections, table rows, glossary entries

HEADING = re.compile(r"^(#{1,6})\s")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
GLOSSARY_OPEN = re.compile(r"^:{3,}\s*\{glossary\}")
COLON_FENCE_CLOSE = re.compile(r"^:{3,}\s*$")
TABLE_ROW = re.compile(r"^\s*\|")
TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?$")
GLOSSARY_TERM = re.compile(r"^(?P<term>\S.*?)\s*\(\*(?P<other>[^*]+)\*\)\s*$")


@dataclass
class Block:
    kind: str  # "text" (a section's prose), "row" (a table row) or "entry" (a glossary entry)
    label: str
    text: str
    term: str = ""  # glossary: the entry's term and the other language's term, lowercased
    other: str = ""

    def cells(self) -> int:
        return len(re.split(r"(?<!\\)\|", self.text.strip().strip("|"))) if self.kind == "row" else 0


@dataclass
class Section:
    level: int
    heading: str
    blocks: list[Block] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


def page_sections(text: str) -> list[Section]:
    """Split a page at its headings into prose, table rows and glossary entries."""
    sections: list[Section] = []
    section, prose, entry = Section(0, ""), [], []
    rows = 0

    def close_entry():
        if entry:
            body = "\n".join(entry).strip()
            match = GLOSSARY_TERM.match(entry[0].strip())
            term, other = (match["term"], match["other"]) if match else (entry[0].strip(), "")
            section.blocks.append(Block("entry", f"glossary entry {term!r}", body, term.lower(), other.lower()))
            entry.clear()

    def close_section():
        body = "\n".join(line.rstrip() for line in prose).strip()
        if body or section.blocks:
            place = f"under {section.heading!r}" if section.heading else "before the first heading"
            section.blocks.insert(0, Block("text", f"text {place}", body))
            for block in section.blocks[1:]:
                block.label = f"{block.label} {place}"
            sections.append(section)

    fence = None
    in_glossary = False
    for line in text.splitlines():
        stripped = line.strip()
        if fence:
            prose.append(line)
            fence = None if re.fullmatch(f"{re.escape(fence[0])}{{{len(fence)},}}", stripped) else fence
        elif in_glossary:
            if COLON_FENCE_CLOSE.match(stripped):
                close_entry()
                in_glossary = False
                prose.append(line)
            elif not stripped:
                close_entry()
            else:
                entry.append(line)
        elif match := FENCE.match(line):
            fence = match.group(1)
            prose.append(line)
        elif match := HEADING.match(line):
            close_section()
            section, prose, rows = Section(len(match.group(1)), stripped), [line], 0
        elif GLOSSARY_OPEN.match(stripped):
            in_glossary = True
            prose.append(line)
        elif TABLE_ROW.match(line):
            if not TABLE_RULE.match(line):
                rows += 1
                section.blocks.append(Block("row", f"table row {rows}", stripped))
        else:
            prose.append(line)
    close_entry()
    close_section()
    return sections


def pair_entries(es_entries: list[Block], en_entries: list[Block]) -> tuple[list[tuple[Block, Block]], list[str]]:
    """Twin glossary entries: "Exactitud (*accuracy*)" with "Accuracy (*exactitud*)"."""
    pairs, unpaired, free = [], [], list(es_entries)
    for en_entry in en_entries:
        strong = [e for e in free if e.term == en_entry.other and e.other == en_entry.term]
        crossed = [e for e in free if e.term == en_entry.other or e.other == en_entry.term]
        same = [e for e in free if e.term == en_entry.term]  # "XOR (*exclusive or*)", "XOR (*o exclusivo*)"
        twin = (strong or crossed or same or [None])[0]
        if twin is None:
            unpaired.append(f"the English {en_entry.label} has no Spanish twin")
        else:
            free.remove(twin)
            pairs.append((twin, en_entry))
    unpaired += [f"the Spanish {e.label} has no English twin" for e in free]
    return pairs, unpaired


def page_pairs(es_text: str, en_text: str) -> tuple[list[tuple[Block, Block]], list[str]]:
    """Twin blocks, in the English page's order, and what does not pair up."""
    es_sections, en_sections = page_sections(es_text), page_sections(en_text)
    es_levels, en_levels = [s.level for s in es_sections], [s.level for s in en_sections]
    if es_levels != en_levels:
        return [], [
            f"headings differ: {len(en_sections)} sections at levels {en_levels}, "
            f"the Spanish page has {len(es_sections)} at levels {es_levels}"
        ]
    pairs, problems = [], []
    for es_section, en_section in zip(es_sections, en_sections):
        pairs.append((es_section.blocks[0], en_section.blocks[0]))
        es_rows, en_rows = es_section.of_kind("row"), en_section.of_kind("row")
        if len(es_rows) == len(en_rows):
            pairs += zip(es_rows, en_rows)
        else:
            problems.append(
                f"{len(en_rows)} table rows under {en_section.heading!r}, "
                f"the Spanish section {es_section.heading!r} has {len(es_rows)}"
            )
        entry_pairs, unpaired = pair_entries(es_section.of_kind("entry"), en_section.of_kind("entry"))
        pairs += entry_pairs
        problems += unpaired
    order = {id(block): n for n, block in enumerate(b for s in en_sections for b in s.blocks)}
    return sorted(pairs, key=lambda pair: order[id(pair[1])]), problems


def block_fingerprint(block: Block) -> str:
    return fingerprint("\n".join(line.rstrip() for line in block.text.splitlines()).strip())


def check_page_pair(spanish: Path, english: Path, records: dict[str, list[dict]]) -> list[str]:
    es_text, en_text = spanish.read_text(encoding="utf-8"), english.read_text(encoding="utf-8")
    problems = []
    for text, language, path in ((es_text, SOURCE, spanish), (en_text, TRANSLATION, english)):
        found = detected_language(text)
        if found is not None and found != language:
            problems.append(f"{path}: reads as '{found}', expected '{language}'")
    pairs, unpaired = page_pairs(es_text, en_text)
    problems += [f"{english}: {problem}" for problem in unpaired]
    if not pairs:
        # Nothing pairs up: at least say whether the links agree, as a whole page.
        if sorted(LINK_TARGET.findall(es_text)) != sorted(LINK_TARGET.findall(en_text)):
            problems.append(f"{english}: does not link to the same targets as {spanish}")
        return problems
    recorded = records.get(english.name, [])
    stale = []
    for index, (es_block, en_block) in enumerate(pairs):
        where = f"{english} block {index} ({en_block.label})"
        if es_block.kind == "row" and es_block.cells() != en_block.cells():
            problems.append(f"{where}: {en_block.cells()} columns, the Spanish row has {es_block.cells()}")
        if found := numbers_difference(es_block.text, en_block.text):
            problems.append(f"{where}: {found}")
        es_links, en_links = sorted(LINK_TARGET.findall(es_block.text)), sorted(LINK_TARGET.findall(en_block.text))
        if es_links != en_links:
            problems.append(f"{where}: links to {en_links}, the Spanish {es_block.label} to {es_links}")
        if recorded:
            moved = page_record_status(recorded, block_fingerprint(es_block), block_fingerprint(en_block))
            if moved:
                stale.append(f"{where}: {stale_message(moved, es_block.kind, english, index)}")
    if not recorded:
        stale.append(
            f"{english}: no block is marked translated (no record in {english.parent.parent / PAGE_RECORD}); "
            f"after reviewing the whole pair, `{COMMAND} {english} --all`"
        )
    return problems + stale


def mark_page(english: Path, spanish: Path, indexes: list[int] | None) -> int:
    root = english.parent.parent
    pairs, unpaired = page_pairs(spanish.read_text(encoding="utf-8"), english.read_text(encoding="utf-8"))
    if unpaired or not pairs:
        raise MarkError(f"cannot mark {english}: the blocks do not pair up: {(unpaired or ['no blocks'])[0]}")
    chosen = set(range(len(pairs)) if indexes is None else indexes)
    for index in sorted(chosen):
        if not 0 <= index < len(pairs):
            raise MarkError(f"{english} has no block {index} (it has blocks 0 to {len(pairs) - 1})")
    records = load_page_records(root)
    old = records.get(english.name, [])
    new: list[dict] = []
    for index, (es_block, en_block) in enumerate(pairs):
        es_fp, en_fp = block_fingerprint(es_block), block_fingerprint(en_block)
        if index in chosen or page_record_status(old, es_fp, en_fp) is None:
            keep = [{SOURCE: es_fp, TRANSLATION: en_fp, "block": en_block.label}]
        else:  # still stale: keep what tells which side moved
            keep = [p for p in old if p[SOURCE] == es_fp or p[TRANSLATION] == en_fp]
        new += [p for p in keep if p not in new]
    records[english.name] = new
    save_page_records(root, records)
    return len(chosen)


# --------------------------------------------------------------------------
# The whole book


def edition_files(root: Path, language: str) -> set[str]:
    folder = root / language
    return {p.name for p in folder.iterdir() if p.suffix in (".ipynb", ".md")} if folder.exists() else set()


def shown(path: Path) -> Path:
    """The path as the reader typed it: relative to the working directory when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd())
    except ValueError:
        return Path(path)


def check(root: Path = BOOK_DIR) -> list[str]:
    root = shown(root)
    allowlist = load_allowlist()
    records = load_page_records(root)
    spanish, english = edition_files(root, SOURCE), edition_files(root, TRANSLATION)
    problems = [
        f"{root / TRANSLATION / n}: missing (translation of {root / SOURCE / n})" for n in sorted(spanish - english)
    ]
    problems += [
        f"{root / SOURCE / n}: missing (original of {root / TRANSLATION / n})" for n in sorted(english - spanish)
    ]
    for name in sorted(spanish & english):
        es_path, en_path = root / SOURCE / name, root / TRANSLATION / name
        if name.endswith(".ipynb"):
            problems += check_notebook_pair(es_path, en_path, allowlist)
        else:
            problems += check_page_pair(es_path, en_path, records)
    return problems


def mark_translated(path: Path, indexes: list[int] | None = None, every: bool = False) -> int:
    """Record that the English cells (or page blocks) at ``indexes`` translate their Spanish twins.

    ``every=True`` marks the whole file instead. Naming neither is an error: a mark
    means "reviewed", and a forgotten argument must not mark a whole file. Returns
    how many cells or blocks were marked.
    """
    if every == bool(indexes):
        raise MarkError(
            f"--mark-translated {path}: name the cells (notebook) or blocks (page) you reviewed, as "
            "the check prints them, e.g. `--mark-translated book/en/05_quickstart.ipynb 12 14`, or pass "
            "--all to mark every one of them (not both)"
        )
    path = Path(path)
    english = path.parent.parent / TRANSLATION / path.name
    spanish = path.parent.parent / SOURCE / path.name
    for twin in (english, spanish):
        if not twin.is_file():
            raise MarkError(f"--mark-translated {path}: {twin} does not exist")
    marker = mark_notebook if path.suffix == ".ipynb" else mark_page
    return marker(english, spanish, None if every else sorted(set(indexes)))


def mark_book(root: Path = BOOK_DIR) -> list[str]:
    """Mark every cell and block of the whole book; return what could not be marked."""
    failures = []
    for name in sorted(edition_files(root, SOURCE) & edition_files(root, TRANSLATION)):
        try:
            count = mark_translated(root / TRANSLATION / name, every=True)
            print(f"marked {root / TRANSLATION / name}: {count}")
        except MarkError as error:
            failures.append(str(error))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=__doc__.split("Usage:")[1],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument("--root", type=Path, default=BOOK_DIR, help="book folder holding es/ and en/ (check, --all)")
    parser.add_argument(
        "--mark-translated", nargs="?", const="", metavar="FILE", help="record reviewed translations of FILE"
    )
    parser.add_argument("--all", action="store_true", help="with --mark-translated: every cell or block")
    parser.add_argument("indexes", nargs="*", type=int, help="cell (notebook) or block (page) indexes to mark")
    args = parser.parse_args(argv)
    if args.mark_translated is None:
        if args.indexes or args.all:
            parser.error("indexes and --all only go with --mark-translated")
        problems = check(args.root)
        return report(problems, f"parity: {len(edition_files(args.root, SOURCE))} pairs, 0 problems")
    try:
        if args.mark_translated == "":
            if not args.all or args.indexes:
                raise MarkError(
                    "--mark-translated needs a FILE and the indexes you reviewed, or --all "
                    "(with or without a FILE; without one it marks the whole book)"
                )
            failures = mark_book(args.root)
            for failure in failures:
                print(failure)
            return 1 if failures else 0
        count = mark_translated(Path(args.mark_translated), args.indexes, args.all)
    except MarkError as error:
        print(f"error: {error}")
        return 2
    print(f"marked {count} of {args.mark_translated} as translated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
