"""Twin notebooks, cell by cell: structure, tags, metadata, program, outputs, quoted numbers, records."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from tools.common.files import write_text_atomically
from tools.i18n.language import wrong_language
from tools.i18n.outputs import outputs_difference, translated_words
from tools.i18n.program import program_difference, translatable_code
from tools.i18n.quoted import GLOSSARY_ROLE, LINK_TARGET, headings_difference, numbers_difference
from tools.i18n.records import (
    COMMAND,
    ONE_SIDED,
    SOURCE,
    TRANSLATION,
    Marked,
    MarkError,
    check_reason,
    fingerprint,
    notebook_record_status,
    stale_message,
)
from tools.notebooks.files import canonical_text


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


def check_cell_pair(es_cell, en_cell, where: str, translated: set[str]) -> list[str]:
    """Everything twin cells must share; ``translated`` is outputs.translated_words of the pair."""
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
        if found := outputs_difference(es_cell, en_cell, translated):
            problems.append(f"{where}: output differs from the Spanish cell's: {found}")
    elif es_cell.cell_type == "markdown":
        if found := numbers_difference(es_cell.source, en_cell.source):
            problems.append(f"{where}: {found}")
        if found := headings_difference(es_cell.source, en_cell.source):
            problems.append(f"{where}: {found}")
        es_links, en_links = sorted(LINK_TARGET.findall(es_cell.source)), sorted(LINK_TARGET.findall(en_cell.source))
        if es_links != en_links:
            problems.append(f"{where}: links to {en_links}, the Spanish cell to {es_links}")
        es_terms, en_terms = len(GLOSSARY_ROLE.findall(es_cell.source)), len(GLOSSARY_ROLE.findall(en_cell.source))
        if es_terms != en_terms:
            problems.append(f"{where}: links {en_terms} glossary terms, the Spanish cell {es_terms}")
    return problems


def language_problems(cell, language: str) -> list[str]:
    """A Markdown cell, and its alt text, in the wrong language: as a whole, or one sentence of it."""
    problems = []
    texts = [("Markdown", cell.source)] if cell.cell_type == "markdown" else []
    for what, text in [*texts, ("alt text", alt_text(cell))]:
        problems += wrong_language(text, language, what)
    return problems


def check_notebook_pair(spanish: Path, english: Path, allowlist: set[str]) -> list[str]:
    es_nb = nbformat.read(spanish, as_version=4)
    en_nb = nbformat.read(english, as_version=4)
    problems = structure_problems(es_nb, en_nb, spanish, english)
    unrecorded, stale = [], []
    paired = paired_cells(es_nb, en_nb)
    translated = translated_words([es_nb, en_nb])
    for index, (es_cell, en_cell) in enumerate(zip(es_nb.cells[:paired], en_nb.cells[:paired])):
        where = f"{english} cell {index}"
        problems += check_cell_pair(es_cell, en_cell, where, translated)
        if f"{english.name}#{en_cell.get('id')}" not in allowlist:
            for cell, language, path in ((es_cell, SOURCE, spanish), (en_cell, TRANSLATION, english)):
                problems += [f"{path} cell {index}: {p}" for p in language_problems(cell, language)]
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


def mark_notebook(english: Path, spanish: Path, indexes: list[int] | None, reason: str | None = None) -> Marked:
    """Record the pairs at ``indexes`` (all if None): how many, and which took ``reason``.

    A pair where only one side moved since its last mark is refused without a
    reason (see records.check_reason); an up-to-date record is kept as it is.
    """
    es_nb = nbformat.read(spanish, as_version=4)
    en_nb = nbformat.read(english, as_version=4)
    if structure := structure_problems(es_nb, en_nb, spanish, english):
        raise MarkError(f"cannot mark {english}: the cells do not pair up: {structure[0]}")
    chosen = range(len(en_nb.cells)) if indexes is None else indexes
    for index in chosen:
        if not 0 <= index < len(en_nb.cells):
            raise MarkError(f"{english} has no cell {index} (it has cells 0 to {len(en_nb.cells) - 1})")
    records, one_sided = {}, {}
    for index in chosen:
        es_cell, en_cell = es_nb.cells[index], en_nb.cells[index]
        es_fp, en_fp = cell_fingerprint(es_cell), cell_fingerprint(en_cell)
        moved = notebook_record_status(en_cell, es_fp, en_fp)
        if moved in ONE_SIDED:
            one_sided[index] = moved
        if moved is not None:
            records[index] = {SOURCE: es_fp, TRANSLATION: en_fp}
    check_reason(english, "cell", one_sided, reason)
    for index, record in records.items():
        if index in one_sided:
            record["reason"] = reason
        en_nb.cells[index].metadata["translation"] = record
    if records:
        write_text_atomically(english, canonical_text(en_nb))
    return Marked(len(chosen), sorted(one_sided))
