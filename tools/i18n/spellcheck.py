"""Spell check the book's prose with hunspell (Debian's real dictionaries).

Checks every Markdown cell of every chapter and every Markdown page, in the
language of its folder (book/es -> es_ES, book/en -> en_US; book/index.md is
Spanish). What is not prose is left out: code, math, URLs and link targets,
HTML tags. A MyST role keeps only the text the reader sees:
{term}`época <Época (epoch)>` is checked as "época", never its target. Each
edition gives the other language's term in parentheses or italics
("exactitud (*accuracy*)", "Accuracy (*exactitud*)"), so a word there passes
if either dictionary knows it; elsewhere only the page's own counts.
Technical words that no dictionary has are listed, one per line, in
tools/i18n/wordlists/<language>.txt; names shared by both languages in common.txt.

Usage: python -m tools.i18n.spellcheck [FILE ...]   (exit 1 if any unknown word)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.common.layout import BOOK_DIR, REPO_ROOT, language_of

DICTIONARIES = {"es": "es_ES", "en": "en_US"}
# Each edition names the other language's term in italics or parentheses.
OTHER_LANGUAGE = {"es": "en", "en": "es"}
WORDLIST_DIR = Path(__file__).with_name("wordlists")

# Roles whose text is shown: "{term}`text <target>`" (any role with a target) and
# "{term}`Headword`". The target is not prose (the glossary headword, in either
# language); the shown text is, so it is kept before inline code is removed.
ROLE_WITH_TARGET = re.compile(r"\{[a-z:-]+\}`([^`<\n]*?)\s*<[^`>\n]+>`")
TERM_ROLE = re.compile(r"\{term\}`([^`\n]+)`")
NOT_PROSE = [
    re.compile(r"^(```|~~~).*?^\1", re.S | re.M),  # fenced code blocks
    re.compile(r"\$\$.*?\$\$", re.S),  # display math
    re.compile(r"(?<!\\)\$[^$\n]+\$"),  # inline math
    re.compile(r"`[^`\n]+`"),  # inline code
    re.compile(r"<https?://[^>]+>"),  # autolinks
    re.compile(r"https?://\S+"),  # bare URLs
    re.compile(r"<[^>\n]+>"),  # HTML tags
    re.compile(r"^\(\S+\)=\s*$", re.M),  # MyST targets "(name)="
    re.compile(r"^:{3,}.*$", re.M),  # MyST directive fences ":::{note}"
    re.compile(r"\{[a-z-]+\}"),  # MyST role names "{term}"
]
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # keep the text, drop the target
ITALIC_OR_PARENTHESES = re.compile(
    r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?![*\w])"  # *italic*
    r"|(?<![_\w])_(?!_)([^_\n]+?)_(?![_\w])"  # _italic_
    r"|\(([^()]+)\)"  # (parenthesized, may span lines)
)


@dataclass
class Finding:
    where: str
    words: list[str]


def prose_of(markdown: str) -> tuple[str, str]:
    """Split Markdown into (prose, italic or parenthesized text that may be foreign)."""
    text = ROLE_WITH_TARGET.sub(r"\1", markdown)
    text = TERM_ROLE.sub(r"\1", text)
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    text = LINK.sub(r" \1 ", text)
    maybe_foreign = " ".join("".join(groups) for groups in ITALIC_OR_PARENTHESES.findall(text))
    prose = ITALIC_OR_PARENTHESES.sub(" ", text)
    return prose, maybe_foreign


def load_wordlist(language: str) -> set[str]:
    words = set()
    for name in ("common.txt", f"{language}.txt"):
        path = WORDLIST_DIR / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    words.add(line)
    return words


def hunspell_unknown(text: str, language: str) -> list[str]:
    if not text.strip():
        return []
    result = subprocess.run(
        ["hunspell", "-d", DICTIONARIES[language], "-l"], input=text, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def unknown_words_in_each(markdowns: list[str], language: str) -> list[list[str]]:
    """The unknown words of each Markdown text, with three hunspell runs for the whole list.

    Whether hunspell knows a word does not depend on its neighbours, so the
    texts are checked together and each unknown word is then traced back to the
    texts that contain it (one process per text took most of the test's time).
    """
    split = [prose_of(markdown) for markdown in markdowns]
    prose_unknown = set(hunspell_unknown("\n".join(prose for prose, _ in split), language))
    foreign_unknown = set(hunspell_unknown("\n".join(foreign for _, foreign in split), language))
    if foreign_unknown:
        foreign_unknown = set(hunspell_unknown(" ".join(sorted(foreign_unknown)), OTHER_LANGUAGE[language]))
    accepted = load_wordlist(language) | load_wordlist(OTHER_LANGUAGE[language])
    # A listed word may also start a sentence or a glossary entry with a capital.
    accepted |= {word[:1].upper() + word[1:] for word in accepted}
    return [
        sorted(
            (
                {w for w in prose_unknown if contains_word(prose, w)}
                | {w for w in foreign_unknown if contains_word(foreign, w)}
            )
            - accepted
        )
        for prose, foreign in split
    ]


def contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def unknown_words(markdown: str, language: str) -> list[str]:
    return unknown_words_in_each([markdown], language)[0]


def markdown_units(path: Path):
    """Yield (location, Markdown text) for a notebook's Markdown cells or a page."""
    relative = path.resolve().relative_to(REPO_ROOT)
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "markdown":
                yield f"{relative} cell {index}", cell.source
    else:
        yield str(relative), path.read_text(encoding="utf-8")


def book_files() -> list[Path]:
    return sorted([*BOOK_DIR.glob("*.md"), *BOOK_DIR.glob("*/*.md"), *BOOK_DIR.glob("*/*.ipynb")])


def check(paths: list[Path]) -> list[Finding]:
    if shutil.which("hunspell") is None:
        raise SystemExit("hunspell is not installed: run `bash tools/install_system_deps.sh`.")
    findings = []
    for path in paths:
        units = list(markdown_units(path))
        for (where, _), words in zip(units, unknown_words_in_each([text for _, text in units], language_of(path))):
            if words:
                findings.append(Finding(where, words))
    return findings


def main(argv: list[str] | None = None) -> int:
    paths = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or book_files()
    findings = check(paths)
    for finding in findings:
        print(f"{finding.where}: unknown words: {', '.join(finding.words)}")
    if findings:
        print(
            "\nFix the typos. A correct technical term goes in tools/i18n/wordlists/<language>.txt; "
            "an English term inside Spanish prose goes in *italics*.",
            file=sys.stderr,
        )
        return 1
    print(f"spell check: {len(paths)} files, 0 unknown words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
