"""Twin Markdown pages (index, glossary, instructor guide), block by block: headings, rows, entries, records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tools.i18n.language import wrong_language
from tools.i18n.quoted import LINK_TARGET, numbers_difference
from tools.i18n.records import (
    COMMAND,
    ONE_SIDED,
    PAGE_RECORD,
    SOURCE,
    TRANSLATION,
    Marked,
    MarkError,
    check_reason,
    fingerprint,
    load_page_records,
    page_record_status,
    save_page_records,
    stale_message,
)

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
        problems += wrong_language(text, language, str(path))
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


def mark_page(english: Path, spanish: Path, indexes: list[int] | None, reason: str | None = None) -> Marked:
    """Record the blocks at ``indexes`` (all if None): how many, and which took ``reason``.

    A pair where only one side moved since its last mark is refused without a
    reason (see records.check_reason); an up-to-date record keeps its reason.
    """
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
    one_sided = {}
    for index in sorted(chosen):
        moved = page_record_status(old, *map(block_fingerprint, pairs[index]))
        if moved in ONE_SIDED:
            one_sided[index] = moved
    check_reason(english, "block", one_sided, reason)
    new: list[dict] = []
    for index, (es_block, en_block) in enumerate(pairs):
        es_fp, en_fp = block_fingerprint(es_block), block_fingerprint(en_block)
        on_record = [p for p in old if p[SOURCE] == es_fp and p[TRANSLATION] == en_fp]
        if on_record:  # up to date: keep its reason, refresh its label
            keep = [{**on_record[0], "block": en_block.label}]
        elif index in chosen:
            keep = [{SOURCE: es_fp, TRANSLATION: en_fp, "block": en_block.label}]
            if index in one_sided:
                keep[0]["reason"] = reason
        else:  # still stale: keep what tells which side moved
            keep = [p for p in old if p[SOURCE] == es_fp or p[TRANSLATION] == en_fp]
        new += [p for p in keep if p not in new]
    records[english.name] = new
    save_page_records(root, records)
    return Marked(len(chosen), sorted(one_sided))
