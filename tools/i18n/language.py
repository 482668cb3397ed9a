"""Each Markdown cell reads as its edition's language (lingua), unless parity_allowlist.txt exempts it."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from tools.i18n.spellcheck import prose_of

ALLOWLIST = Path(__file__).with_name("parity_allowlist.txt")
# Below this many letters of prose a language guess is not trustworthy.
MIN_LETTERS_FOR_DETECTION = 12


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
