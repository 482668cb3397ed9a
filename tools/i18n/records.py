"""Translation records: the fingerprints of both sides of a pair when it was last marked translated.

Notebook cells keep theirs in the English cell's ``metadata.translation``;
Markdown page blocks, in BOOK_DIR/translations.json (see tools/i18n/parity.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import NamedTuple

from tools.common.files import write_text_atomically

SOURCE, TRANSLATION = "es", "en"
SIDE_NAME = {SOURCE: "Spanish", TRANSLATION: "English"}
PAGE_RECORD = "translations.json"  # in the book root, next to es/ and en/
COMMAND = "python -m tools.i18n.parity --mark-translated"


class MarkError(ValueError):
    """--mark-translated was asked something it must not do."""


class Marked(NamedTuple):
    """What --mark-translated did: how many cells or blocks, and which took the reason."""

    count: int
    with_reason: list[int]


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# A pair where only one side moved since its last mark: marking it needs a reason.
ONE_SIDED = (SOURCE, TRANSLATION, "crossed")
REASON_HINT = '--reason "why the other side needs no change"'


def stale_message(moved: str, what: str, english: Path, index: int) -> str:
    mark = f"`{COMMAND} {english} {index}`"
    with_reason = f"`{COMMAND} {english} {index} {REASON_HINT}`"
    if moved == SOURCE:
        return (
            f"stale translation: the Spanish {what} changed since the pair was marked translated "
            f"(update the English {what}, then {mark}; if the English needs no change, say why: {with_reason})"
        )
    if moved == TRANSLATION:
        return (
            f"stale translation: the English {what} changed since the pair was marked translated, "
            f"but the Spanish {what} did not (make the same change in Spanish, then {mark}; if the Spanish "
            f"needs no change, say why: {with_reason})"
        )
    if moved == "crossed":
        return (
            f"stale translation: the Spanish and the English {what} are each on record, but not as twins (was one side "
            f"reordered?); reorder the other side, or check that they say the same and {with_reason}"
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


def check_reason(english: Path, what: str, one_sided: dict[int, str], reason: str | None) -> None:
    """Refuse to mark pairs where only one side moved, unless the mark says why.

    ``one_sided`` maps each such index to the status that says which side moved.
    A mark that only records "reviewed" would let a one-sided edit through with no
    change on the other side; the reason is stored with the record for review.
    """
    if not one_sided or reason:
        return
    sides = {SOURCE: "the Spanish side", TRANSLATION: "the English side", "crossed": "the order on one side"}
    listed = "; ".join(f"{what} {index}: {sides[moved]}" for index, moved in sorted(one_sided.items()))
    raise MarkError(
        f"cannot mark {english}: only one side changed since the last mark ({listed}). Make the same change "
        f"on the other side, then mark it; if it truly needs none, give the reason (stored with the record): "
        f"`{COMMAND} {english} {' '.join(map(str, sorted(one_sided)))} {REASON_HINT}`"
    )


def clean_reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    reason = " ".join(reason.split())
    if not reason:
        raise MarkError('--reason needs a text that says why the other side needs no change, e.g. --reason "typo"')
    return reason


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
        '`python -m tools.i18n.parity --mark-translated`; see tools/i18n/parity.py.",',
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
