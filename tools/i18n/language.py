"""Each Markdown cell, and each of its sentences, reads as its edition's language (lingua).

A whole text is judged by lingua's detect_language_of; a short sentence in the
other language inside a long paragraph does not move that verdict, so each
sentence is judged too (foreign_sentences). lingua's own
detect_multiple_languages_of was tried first: on this book's Markdown cells it
puts 90 pieces of three words or more in the wrong language, pieces made of
names and code ("TensorFlow, JAX o PyTorch."), so it cannot tell a list of
names from a sentence. A sentence here is what is left of the prose between
". ", "? ", "! " (and paragraph, list-item and table-cell breaks), with the
names of tools/i18n/wordlists/common.txt left out; it counts only with at
least SENTENCE_MIN_WORDS words and SENTENCE_MIN_LETTERS letters, and fails only
when lingua gives the other language SENTENCE_CONFIDENCE or more. On the book,
the highest such confidence for a sentence in its own language is below 0.7;
a three-word Spanish sentence ("Cuidado con esto.") scores 0.98.
Cells listed in parity_allowlist.txt are exempt from both.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from tools.i18n.spellcheck import OTHER_LANGUAGE, load_wordlist, prose_of

ALLOWLIST = Path(__file__).with_name("parity_allowlist.txt")
# Below this many letters of prose a language guess is not trustworthy.
MIN_LETTERS_FOR_DETECTION = 12
SENTENCE_MIN_WORDS = 3
SENTENCE_MIN_LETTERS = 10
SENTENCE_CONFIDENCE = 0.8
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n\s*(?:[-+*]|\d+\.)\s|\|")  # blank lines, list items, table cells
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-záéíóúñü\s])")  # not before a lowercase word ("p. ej. la")
WORD = re.compile(r"[^\W\d_]+")
NAMES = {"SPANISH": "es", "ENGLISH": "en"}


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
    return NAMES.get(language.name) if language else None


@lru_cache(maxsize=1)
def shared_names() -> frozenset[str]:
    return frozenset(load_wordlist("common"))


def sentences(markdown: str) -> list[str]:
    """The prose sentences of a Markdown text, each on one line."""
    prose, _foreign = prose_of(markdown)
    prose = re.sub(r"[#*_>]", " ", prose)
    found = []
    for paragraph in PARAGRAPH_BREAK.split(prose):
        found += [" ".join(s.split()) for s in SENTENCE_END.split(" ".join(paragraph.split()))]
    return [s for s in found if s]


def foreign_sentences(markdown: str, language: str) -> list[str]:
    """The sentences that lingua reads, with confidence, as the other language than ``language``."""
    names = shared_names()
    found = []
    for sentence in sentences(markdown):
        words = [w for w in WORD.findall(sentence) if w not in names]
        if len(words) < SENTENCE_MIN_WORDS or sum(map(len, words)) < SENTENCE_MIN_LETTERS:
            continue
        for value in detector().compute_language_confidence_values(" ".join(words)):
            if NAMES.get(value.language.name) not in (language, None) and value.value >= SENTENCE_CONFIDENCE:
                found.append(sentence)
    return found


def load_allowlist() -> set[str]:
    """Entries "FILE#CELL_ID  # reason": Markdown cells exempt from language detection."""
    entries = set()
    if ALLOWLIST.exists():
        for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
            entry = line.split("  #", 1)[0].strip()
            if entry and not entry.startswith("#"):
                entries.add(entry)
    return entries


def wrong_language(text: str, language: str, where: str) -> list[str]:
    """``text`` read in the wrong language, as a whole or one sentence of it; each problem starts with ``where``."""
    found = detected_language(text)
    if found is not None and found != language:
        return [f"{where} reads as '{found}', expected '{language}': {text[:60]!r}"]
    other = OTHER_LANGUAGE[language]
    return [
        f"{where}: a sentence reads as '{other}', expected '{language}': {sentence[:80]!r}"
        for sentence in foreign_sentences(text, language)
    ]
