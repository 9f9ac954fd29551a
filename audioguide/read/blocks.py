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


def looks_like_heading(line: str) -> bool:
    """A short line of its own without sentence punctuation at its end."""
    line = line.strip()
    if not line or len(line) > HEADING_MAX_CHARS or len(line.split()) > HEADING_MAX_WORDS:
        return False
    if not any(ch.isalpha() for ch in line) or LIST_ITEM.match(line):
        return False
    return not line.endswith(SENTENCE_END) or bool(book_heading().match(line))


def join_lines(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        # A word broken across lines by a hyphen ("moisture-" / "producing") stays one word.
        text += line if re.search(r"\w-$", text) else " " + line
    return text


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
    blocks: list[Block], heading_re: re.Pattern | None, chapter_level: int | None, title: str | None = None
) -> tuple[str | None, list[Block]]:
    """Headings of any depth (1 to 6, as a document marks them) to the guide's title and chapters.

    A lone first level-1 heading is the title (unless the document gave one already); chapters are
    the shallowest remaining level, or ``chapter_level``, or the headings ``heading_re`` finds.
    """
    blocks = list(blocks)
    headings = [b for b in blocks if b.kind is BlockKind.HEADING]
    level_ones = [b for b in headings if b.level == 1]
    if title is None and len(level_ones) == 1 and headings[0] is level_ones[0] and chapter_level != 1:
        title = level_ones[0].text
        blocks.remove(level_ones[0])
        headings.remove(level_ones[0])
    if chapter_level is None:
        chapter_level = min((b.level for b in headings), default=2)
    placed = []
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            is_chapter = bool(heading_re.search(block.text)) if heading_re else block.level <= chapter_level
            block = Block(BlockKind.HEADING, block.text, level=2 if is_chapter else 3, doubt=block.doubt)
        placed.append(block)
    return title, placed
