"""The blocks every reader produces, and the rules they share for headings, lists and tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import cache

#: A line longer than this is prose, not a heading.
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 16
SENTENCE_END = tuple(".!?,;:…")
#: A sentence ending inside a line: a heading is never two sentences.
SENTENCE_INSIDE = re.compile(r"[.!?…]\s+\S")
#: Marks a site puts beside a heading to link to it ("Symptoms¶", "Dosage #", "🔗 Dosage"): never its words.
PERMALINK_MARK = re.compile(
    r"\s*(?:[#¶🔗]|\b(?:permalink|link to this (?:section|heading)|enlace permanente)\b)\s*$"
    r"|^\s*[#¶🔗]\s*(?=\S)",
    re.IGNORECASE,
)
#: A line that dates the page or names its authors ("Updated 20 January 2025", "Page last reviewed: 2 May
#: 2024", "Actualizado: 21 de marzo de 2014", "By Jane Smith, RN", "Autores: ..."): it belongs to the title
#: block, and is never a heading of its own, whatever its type.
DATELINE = re.compile(
    r"^(?:(?:page\s+)?last\s+(?:updated|reviewed|modified)|updated|published|reviewed|revised|posted|"
    r"next\s+review(?:\s+due)?|(?:última\s+)?(?:actualizaci[oó]n|revisi[oó]n)|actualizado|publicado|revisado)"
    r"\b\s*:?\s*(?:on\s+|el\s+)?(?:\S+\s+){0,2}?\S*\d",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?i:(?:written\s+)?by|por)\s+(?:Dr\.?\s+)?[A-ZÁÉÍÓÚÑ][\w.'’-]*\s+[A-ZÁÉÍÓÚÑ]|^(?i:authors?|autor(?:es|as?)?)\s*:"
)
#: A line that only draws: a rule ("* * *", "-----", "====="), or a border of a table typed in text
#: ("+------+-----+", "|---|:--:|"). Never words a listener needs.
RULE = re.compile(r"^[\s*_~•·=+|:#-]*[*_~•·=+-]{3,}[\s*_~•·=+|:#-]*$|^(?:\*\s*){3,}$")
LIST_ITEM = re.compile(r"^\s*(?:[-*•◦‣▪–]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+(?=\S)")
#: Bullets are markup; the numbers and letters of a numbered list are words a listener needs.
BULLET = re.compile(r"^\s*[-*•◦‣▪–]\s+(?=\S)")


@cache
def book_heading() -> re.Pattern:
    """Book-style headings in any language audioguide speaks: "CHAPTER I.", "Chapter 12: The
    Return", "PART TWO", "Capítulo 3"; each language names its parts and numbers in its words."""
    from ..languages import all_languages

    def alternation(key: str) -> str:
        words = {word for language in all_languages() for word in language.words[key].split()}
        return "|".join(sorted(words, key=len, reverse=True))

    return re.compile(
        rf"^({alternation('book_parts')})\s+([0-9]+|[ivxlcdm]+|{alternation('book_numbers')})\b"
        r"[.:]?(\s*[-–—:.]?\s*\S.*)?$",
        re.IGNORECASE,
    )


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"


@dataclass(frozen=True)
class Block:
    """One unit of the page: a heading, a paragraph or a list item, as plain text."""

    kind: BlockKind
    text: str
    level: int = 0
    """Heading level: 1 is the guide title, 2 a chapter; 0 for other blocks."""
    doubt: str = ""
    """What the reader could not read with confidence here, for ``proof`` to show; empty if nothing."""
    cells: tuple[tuple[str, str], ...] = ()
    """A table row's (column header, cell) pairs, for a book that shows the table; its ``text`` is the
    row as it is read aloud."""

    def noted(self, *reasons: str) -> Block:
        """The same block with ``reasons`` added to its doubt."""
        return replace(self, doubt="; ".join(r for r in (self.doubt, *reasons) if r))


def starts_chapter(block: Block) -> bool:
    """Whether a block is a chapter heading (level 2; level 1 only where a document's headings were not placed)."""
    return block.kind is BlockKind.HEADING and block.level <= 2


def looks_like_heading(line: str) -> bool:
    """A short line of its own without sentence punctuation at its end, or a question of one sentence:
    patient guides are often written as questions and answers ("How does it work?")."""
    line = line.strip()
    if not line or len(line) > HEADING_MAX_CHARS or len(line.split()) > HEADING_MAX_WORDS:
        return False
    if not any(ch.isalpha() for ch in line) or LIST_ITEM.match(line) or is_title_line(line):
        return False
    if line.endswith("?"):
        return not SENTENCE_INSIDE.search(line)
    return not line.endswith(SENTENCE_END) or bool(book_heading().match(line))


def is_title_line(line: str) -> bool:
    """A line that dates the page or names its authors: part of the title block, never a heading."""
    return bool(DATELINE.match(line) or BYLINE.match(line))


def heading_text(text: str) -> str:
    """A heading's words without the permalink marks a site puts beside it."""
    while (stripped := PERMALINK_MARK.sub("", text)) != text:
        text = stripped
    return text.strip()


def read_as_lines(lines: list[str]) -> str:
    """Lines shown one under another (a label and its text, the items of a list in one table cell) as
    one text, with a pause where a line ends without punctuation: "Fatigue, Hair loss, Skin changes"."""
    joined = ""
    for line in (" ".join(line.split()) for line in lines):
        if not line:
            continue
        if joined:
            joined += " " if joined.endswith((".", "!", "?", ",", ";", ":")) else ", "
        joined += line
    return joined


def join_lines(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        # A word broken across lines by a hyphen ("moisture-" / "producing") stays one word.
        text += line if re.search(r"\w-$", text) else " " + line
    return text


def typed_table(lines: list[str]) -> list[Block] | None:
    """The rows of a table typed in text, with bars between its cells (a Markdown table pasted as text, a
    grid drawn with "+---+" borders), each read as "Header: cell; Header: cell"; None if ``lines`` are
    not such a table. The header is the first row when a border is drawn under it; a grid's row may run
    over several lines between two borders."""
    borders = [bool(RULE.match(line)) for line in lines]
    rows = [line for line, border in zip(lines, borders, strict=True) if not border]
    framed = all(row.startswith("|") and row.endswith("|") for row in rows)
    if not rows or not all("|" in row for row in rows) or not (framed or any(borders)):
        return None
    groups: list[list[list[str]]] = [[]]
    under_border: list[bool] = []
    for line, border in zip(lines, borders, strict=True):
        if border:
            if groups[-1]:
                under_border.append(True)
                groups.append([])
        else:
            groups[-1].append([cell.strip() for cell in line.strip().strip("|").split("|")])
    under_border.append(False)
    if lines[0].startswith("+") and borders[0]:
        table = [_grid_row(group) for group in groups if group]
        has_header = len(table) > 1
    else:
        table = [cells for group in groups for cells in group]
        has_header = len(table) > 1 and len(groups[0]) == 1 and under_border[0]
    header = table.pop(0) if has_header else []
    width = max(len(row) for row in table) if table else 0
    return [table_row(BlockKind.ITEM if width > 1 else BlockKind.PARAGRAPH, header, row) for row in table]


def _grid_row(lines: list[list[str]]) -> list[str]:
    """A row of a grid over several lines: each cell's words run on from line to line."""
    width = max(len(cells) for cells in lines)
    return [" ".join(cells[i] for cells in lines if i < len(cells) and cells[i]) for i in range(width)]


def table_row(kind: BlockKind, header: list[str], row: list[str]) -> Block:
    """A table row: read aloud as :func:`table_row_text`, its cells kept for a book that shows the table."""
    cells = tuple((header[index] if index < len(header) else "", cell) for index, cell in enumerate(row))
    return Block(kind, table_row_text(header, row), cells=cells)


def table_row_text(header: list[str], row: list[str]) -> str:
    """A table row read as "Header: cell; Header: cell", the way a person reads a table aloud."""
    parts = []
    for index, cell in enumerate(row):
        if not cell:
            continue
        name = header[index] if index < len(header) else ""
        parts.append(f"{name}: {cell}" if name and name != cell else cell)
    return "; ".join(parts)


def outline(
    blocks: list[Block], heading_re: re.Pattern | None, chapter_level: int | None
) -> tuple[str | None, list[Block]]:
    """Headings of any depth (1 to 6, as a document marks them) to the title the document shows and chapters.

    A lone first level-1 heading is the title; so is the second of two level-1 headings that open the
    document with nothing between them, the first being the site's name (a page saved or printed with its
    masthead), which is left out. Chapters are the shallowest remaining level, or ``chapter_level``, or the
    headings ``heading_re`` finds; deeper headings keep their depth under their chapter (3 for the next level
    down, and so on, to 6). Headings lose permalink marks.
    """
    blocks = [replace(b, text=heading_text(b.text)) if b.kind is BlockKind.HEADING else b for b in blocks]
    blocks = [b for b in blocks if b.text]
    headings = [b for b in blocks if b.kind is BlockKind.HEADING]
    level_ones = [b for b in headings if b.level == 1]
    title: str | None = None
    site_name: Block | None = None
    if (
        chapter_level != 1
        and len(level_ones) == 2
        and blocks[:2] == level_ones
        and not same_words(level_ones[0].text, level_ones[1].text)
    ):
        site_name = level_ones[0]
        blocks.remove(site_name)
        headings.remove(site_name)
        level_ones.remove(site_name)
    if len(level_ones) == 1 and headings[0] is level_ones[0] and chapter_level != 1:
        title = level_ones[0].text
        blocks.remove(level_ones[0])
        headings.remove(level_ones[0])
    if chapter_level is None:
        chapter_level = min((b.level for b in headings), default=2)
    placed = []
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            is_chapter = bool(heading_re.search(block.text)) if heading_re else block.level <= chapter_level
            depth = 0 if heading_re else max(0, block.level - chapter_level - 1)
            block = replace(block, level=2 if is_chapter else min(3 + depth, 6))
        placed.append(block)
    if site_name is not None and placed:
        placed[0] = placed[0].noted(f"not read, as the site's name above the page's title: “{site_name.text}”")
    return title, placed


def same_words(one: str, other: str) -> bool:
    return re.findall(r"\w+", one.casefold()) == re.findall(r"\w+", other.casefold())
