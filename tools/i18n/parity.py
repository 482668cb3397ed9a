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
- twin code cells print the same numbers, booleans and words (stream text and
  text/plain results, in order; see outputs.py), once the timings masked by
  tests/nbval_sanitize.cfg and Keras's "- 4s - 2ms/step" segments are set
  aside; "0,976" and "0.976" count as the same number, so a Spanish literal may
  use a decimal comma, but -0.5 and 0.5, 1e-05 and 1e05 do not; True -> False
  fails, while printed text that the code translates is set aside;
- twin Markdown cells and alt texts quote the same numbers, each read with its
  language's separators (Spanish 0,001, $0{,}001$ and 70 000; English 0.001,
  $0.001$ and 70,000) and with its sign (−0,5 is -0.5, not 0.5) and exponent;
  code spans and math count too, link targets do not; twin Markdown cells have
  headings at the same levels, in order (## against ### fails);
- every Markdown cell and alt text is written in its edition's language
  (lingua), as a whole and sentence by sentence, so that one short sentence
  in the other language inside a paragraph is found (language.py), except
  cells listed, with a reason, in tools/i18n/parity_allowlist.txt;
- no side moved alone: each English cell records, in
  ``metadata.translation = {"es": ..., "en": ...}``, the fingerprints of both
  cells' translatable text (the Markdown; a code cell's comments and string
  literals; alt text; solution prompts) when the pair was last marked
  translated. A change to either side is reported with the side that moved.
  Code that changes identically on both sides needs no new mark (the program
  comparison covers it). A pair where only one side moved is marked again
  only with a reason (``--reason``: say why the other side needs no change,
  e.g. a typo), stored in the record as ``"reason"`` so that review and
  ``git log -p`` show it; the check's own suggestion for such a pair is to
  update the other side, or that form.

Markdown pages (index.md, glossary.md, instructor_guide.md), block by block:
each page is split at its headings; a section's prose is one block, each table
row is a block and each glossary entry is a block (entries are paired by term,
"Exactitud (*accuracy*)" with "Accuracy (*exactitud*)", since each language
sorts its own). Twin pages have the same headings (count and levels), the same
rows per section (with as many columns) and the same entries; twin blocks quote
the same numbers and link to the same targets; each page, and each of its
sentences, reads as its language. Blocks are numbered in the English page's
order, which is what --mark-translated takes. A page block's record may carry
the same ``"reason"`` as a cell's.

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
  python -m tools.i18n.parity [--root BOOK_DIR]                      check (exit 1 on any problem)
  python -m tools.i18n.parity --mark-translated FILE INDEX [INDEX ...]
        record that these English cells (notebook) or blocks (page) translate
        their Spanish twins now; the check prints the indexes
  python -m tools.i18n.parity --mark-translated FILE --all           every cell or block of FILE
  python -m tools.i18n.parity --mark-translated --all [--root DIR]   the whole book, once, after review
  ... --reason "TEXT"   also mark pairs where only one side changed since their last mark
FILE may name either edition. Without INDEX or --all nothing is marked (an
error, exit 2), and a file whose cells or blocks do not pair up is not marked.
A pair where only one side changed since its last mark is not marked without
--reason (an error, exit 2, and nothing is written): update the other side
first, or say why it needs no change. Mark only what you reviewed: the mark
means "these two sides say the same".
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.common.checks import report
from tools.common.layout import BOOK_DIR
from tools.i18n.language import load_allowlist
from tools.i18n.notebook_pairs import check_notebook_pair, mark_notebook
from tools.i18n.page_pairs import check_page_pair, mark_page
from tools.i18n.records import SOURCE, TRANSLATION, Marked, MarkError, clean_reason, load_page_records


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


def mark_translated(
    path: Path, indexes: list[int] | None = None, every: bool = False, reason: str | None = None
) -> Marked:
    """Record that the English cells (or page blocks) at ``indexes`` translate their Spanish twins.

    ``every=True`` marks the whole file instead. Naming neither is an error: a mark
    means "reviewed", and a forgotten argument must not mark a whole file. A pair
    where only one side changed since its last mark is refused unless ``reason``
    says why the other side needs no change; the reason is stored with the record.
    Returns how many cells or blocks were marked, and which took the reason.
    """
    reason = clean_reason(reason)
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
    return marker(english, spanish, None if every else sorted(set(indexes)), reason)


def marked_message(path: Path, marked: Marked, reason: str | None) -> str:
    message = f"marked {marked.count} of {path} as translated"
    if marked.with_reason:
        what = "cell" if path.suffix == ".ipynb" else "block"
        message += f"; the reason {reason!r} is recorded for {what} {', '.join(map(str, marked.with_reason))}"
    elif reason:
        message += "; no pair had only one side changed, so the reason was not needed and is not recorded"
    return message


def mark_book(root: Path = BOOK_DIR, reason: str | None = None) -> list[str]:
    """Mark every cell and block of the whole book; return what could not be marked."""
    failures = []
    for name in sorted(edition_files(root, SOURCE) & edition_files(root, TRANSLATION)):
        try:
            marked = mark_translated(root / TRANSLATION / name, every=True, reason=reason)
            print(marked_message(root / TRANSLATION / name, marked, reason))
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
    parser.add_argument(
        "--reason",
        metavar="TEXT",
        help="with --mark-translated: why pairs where only one side changed need no change on the other",
    )
    parser.add_argument("indexes", nargs="*", type=int, help="cell (notebook) or block (page) indexes to mark")
    args = parser.parse_args(argv)
    if args.mark_translated is None:
        if args.indexes or args.all or args.reason is not None:
            parser.error("indexes, --all and --reason only go with --mark-translated")
        problems = check(args.root)
        return report(problems, f"parity: {len(edition_files(args.root, SOURCE))} pairs, 0 problems")
    try:
        args.reason = clean_reason(args.reason)
        if args.mark_translated == "":
            if not args.all or args.indexes:
                raise MarkError(
                    "--mark-translated needs a FILE and the indexes you reviewed, or --all "
                    "(with or without a FILE; without one it marks the whole book)"
                )
            failures = mark_book(args.root, args.reason)
            for failure in failures:
                print(failure)
            return 1 if failures else 0
        marked = mark_translated(Path(args.mark_translated), args.indexes, args.all, args.reason)
    except MarkError as error:
        print(f"error: {error}")
        return 2
    print(marked_message(Path(args.mark_translated), marked, args.reason))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
