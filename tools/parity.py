"""Prove that the Spanish and English editions teach the same thing, cell by cell.

For every pair book/es/X and book/en/X (the same file names in both folders):
- both exist;
- notebooks have the same number, order and type of cells, and the same tags;
- code cells are the same program token for token once comments and string
  literals are set aside (identifiers, numbers, operators and calls identical);
- every Markdown cell is written in its edition's language (lingua), except
  cells listed, with a reason, in tools/parity_allowlist.txt;
- no translation is stale: each English cell records the fingerprint of the
  Spanish cell it was translated from (``metadata.translation.source``); when
  the Spanish cell changes, the check names the English cell to update.
  After updating it, record the new fingerprint with
  ``python -m tools.parity --mark-translated book/en/X.ipynb CELL [CELL ...]``
- Markdown pages link to the same targets, as many times each.

Usage: python -m tools.parity [--root BOOK_DIR]        (exit 1 on any problem)
       python -m tools.parity --mark-translated NOTEBOOK [CELL_INDEX ...]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import tokenize
from functools import lru_cache
from pathlib import Path

import nbformat

from tools.notebook_files import BOOK_DIR, canonical_text, report, write_text_atomically
from tools.spellcheck import prose_of

SOURCE, TRANSLATION = "es", "en"
ALLOWLIST = Path(__file__).with_name("parity_allowlist.txt")
IGNORED_TOKENS = {tokenize.COMMENT, tokenize.STRING, tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING}
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
# Below this many letters of prose a language guess is not trustworthy.
MIN_LETTERS_FOR_DETECTION = 12


def fingerprint(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def program_tokens(source: str) -> list[tuple[str, str]]:
    """The code's tokens without comments and string literals."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(tokenize.tok_name[t.type], t.string) for t in tokens if t.type not in IGNORED_TOKENS]


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


def tags(cell) -> list[str]:
    return list(cell.metadata.get("tags", []))


def first_difference(a: list, b: list) -> str:
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"token {index + 1}: {x[1]!r} (es) vs {y[1]!r} (en)"
    return f"{len(a)} tokens (es) vs {len(b)} tokens (en)"


def check_notebook_pair(spanish: Path, english: Path, allowlist: set[str]) -> list[str]:
    es_nb = nbformat.read(spanish, as_version=4)
    en_nb = nbformat.read(english, as_version=4)
    name = english.name
    problems = []
    es_cells, en_cells = es_nb.cells, en_nb.cells
    if len(es_cells) != len(en_cells):
        problems.append(f"{english}: {len(en_cells)} cells, but {spanish} has {len(es_cells)}")
    for index, (es_cell, en_cell) in enumerate(zip(es_cells, en_cells)):
        where = f"{english} cell {index}"
        if es_cell.cell_type != en_cell.cell_type:
            problems.append(f"{where}: is {en_cell.cell_type}, the Spanish cell is {es_cell.cell_type}")
            break  # everything after a shifted cell would be noise
        if tags(es_cell) != tags(en_cell):
            problems.append(f"{where}: tags {tags(en_cell)} differ from the Spanish {tags(es_cell)}")
        if es_cell.cell_type == "code":
            try:
                es_tokens, en_tokens = program_tokens(es_cell.source), program_tokens(en_cell.source)
            except (tokenize.TokenError, SyntaxError, IndentationError) as error:
                problems.append(f"{where}: cannot tokenize ({error})")
                continue
            if es_tokens != en_tokens:
                problems.append(
                    f"{where}: not the same program as the Spanish cell; {first_difference(es_tokens, en_tokens)}"
                )
        elif es_cell.cell_type == "markdown":
            exempt = f"{name}#{en_cell.get('id')}" in allowlist
            for cell, language, path in ((es_cell, SOURCE, spanish), (en_cell, TRANSLATION, english)):
                found = None if exempt else detected_language(cell.source)
                if found is not None and found != language:
                    problems.append(
                        f"{path} cell {index}: Markdown reads as '{found}', expected '{language}': {cell.source[:60]!r}"
                    )
        recorded = en_cell.metadata.get("translation", {}).get("source")
        if recorded != fingerprint(es_cell.source):
            problems.append(
                f"{where}: stale translation: the Spanish cell changed since this cell "
                f"was translated (update it, then `python -m tools.parity "
                f"--mark-translated {english} {index}`)"
            )
    return problems


def check_page_pair(spanish: Path, english: Path) -> list[str]:
    es_text, en_text = spanish.read_text(encoding="utf-8"), english.read_text(encoding="utf-8")
    problems = []
    # Same targets, same number of times (a glossary is sorted differently per language).
    if sorted(LINK_TARGET.findall(es_text)) != sorted(LINK_TARGET.findall(en_text)):
        problems.append(f"{english}: does not link to the same targets as {spanish}")
    for text, language, path in ((es_text, SOURCE, spanish), (en_text, TRANSLATION, english)):
        found = detected_language(text)
        if found is not None and found != language:
            problems.append(f"{path}: reads as '{found}', expected '{language}'")
    return problems


def edition_files(root: Path, language: str) -> set[str]:
    folder = root / language
    return {p.name for p in folder.iterdir() if p.suffix in (".ipynb", ".md")} if folder.exists() else set()


def check(root: Path = BOOK_DIR) -> list[str]:
    allowlist = load_allowlist()
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
            problems += check_page_pair(es_path, en_path)
    return problems


def mark_translated(english: Path, cells: list[int]) -> None:
    """Record that English cells now translate the current Spanish cells."""
    spanish = english.parent.parent / SOURCE / english.name
    es_nb = nbformat.read(spanish, as_version=4)
    en_nb = nbformat.read(english, as_version=4)
    for index in cells or range(len(en_nb.cells)):
        en_nb.cells[index].metadata["translation"] = {"source": fingerprint(es_nb.cells[index].source)}
    write_text_atomically(english, canonical_text(en_nb))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=BOOK_DIR)
    parser.add_argument("--mark-translated", type=Path, metavar="NOTEBOOK")
    parser.add_argument("cells", nargs="*", type=int, help="cell indexes (default: all)")
    args = parser.parse_args(argv)
    if args.mark_translated:
        mark_translated(args.mark_translated, args.cells)
        return 0
    problems = check(args.root)
    return report(problems, f"parity: {len(edition_files(args.root, SOURCE))} pairs, 0 problems")


if __name__ == "__main__":
    raise SystemExit(main())
