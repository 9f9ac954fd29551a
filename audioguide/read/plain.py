"""Plain text: paragraphs are separated by blank lines (hard-wrapped lines are joined), a heading
is a short line of its own without sentence punctuation at its end (or a question; a line drawn
under it, "=====", is no word), and the first heading is the guide's title. Sections numbered
"1. About ibuprofen", "2. Key facts", each a line of its own with text between them, are headings
with their numbers. A table typed with bars between its cells is read row by row, its bars and
borders never. Books are read by their ``CHAPTER I.`` lines, and their contents list is not."""

from __future__ import annotations

import re

from .base import ReadRequest, Script, read_text_guide
from .blocks import (
    BULLET,
    LIST_ITEM,
    RULE,
    Block,
    BlockKind,
    book_heading,
    heading_text,
    join_lines,
    looks_like_heading,
    typed_table,
)

#: A picture's placeholder in a book's text ("[Illustration: The ward]"): never the guide's title.
PLACEHOLDER = re.compile(r"^\[[^\]]*\]$")
#: A numbered line: "2. Key facts".
NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")


def read_plain(body: str, heading_re: re.Pattern | None) -> tuple[str | None, list[Block]]:
    raw_blocks = [block.split("\n") for block in re.split(r"\n[ \t]*\n", body)]
    raw_blocks = [[line.strip() for line in lines if line.strip()] for lines in raw_blocks]
    # Rules drawn between parts or under a heading are no words (a typed table keeps its borders to be read).
    raw_blocks = [
        lines if typed_table(lines) else [line for line in lines if not RULE.match(line)] for lines in raw_blocks
    ]
    raw_blocks = [lines for lines in raw_blocks if lines]
    if heading_re is not None:
        # A user's pattern finds headings anywhere, even inside a block of lines.
        raw_blocks = [part for lines in raw_blocks for part in _split_at(lines, heading_re)]
    else:
        raw_blocks = [part for lines in raw_blocks for part in _split_book_heading(lines)]
    book_style = heading_re is None and any(len(b) == 1 and book_heading().match(b[0]) for b in raw_blocks)
    contents = _contents_lines(raw_blocks) if book_style else set()
    numbered = _numbered_sections(raw_blocks) if heading_re is None and not book_style else set()

    def is_chapter(index: int, lines: list[str]) -> bool:
        if len(lines) != 1 or index in contents:
            return False
        if heading_re is not None:
            return bool(heading_re.search(lines[0]))
        if book_style:
            return bool(book_heading().match(lines[0]))
        return index in numbered or looks_like_heading(lines[0])

    title = None
    blocks: list[Block] = []
    for index, lines in enumerate(raw_blocks):
        rows = typed_table(lines)
        if rows is not None:
            blocks.extend(rows)
        elif (
            title is None
            and all(PLACEHOLDER.match(block.text) for block in blocks)
            and len(lines) == 1
            and looks_like_heading(lines[0])
            and not PLACEHOLDER.match(lines[0])
            and not (is_chapter(index, lines) and (heading_re is not None or book_style))
        ):
            title = heading_text(lines[0])
        elif is_chapter(index, lines):
            text = heading_text(" ".join(lines[0].split()))
            blocks.append(Block(BlockKind.HEADING, text.rstrip(".") if book_style else text, level=2))
        elif index in contents or (len(lines) > 1 and all(book_heading().match(line) for line in lines)):
            blocks.extend(Block(BlockKind.ITEM, " ".join(line.split())) for line in lines)
        elif all(LIST_ITEM.match(line) for line in lines) or is_list(lines):
            blocks.extend(Block(BlockKind.ITEM, item) for item in list_items(lines))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, join_lines(lines)))
    if book_style:
        blocks = _merge_book_subtitles(blocks)
    return title, blocks


def _split_book_heading(lines: list[str]) -> list[list[str]]:
    """ "CHAPTER I." with its title, or its text, on the lines right under it: a heading of its own."""
    found = book_heading().match(lines[0])
    if len(lines) == 1 or found is None or found.group(3) is not None:
        return [lines]
    if looks_like_heading(lines[1]) and not LIST_ITEM.match(lines[1]):
        heading, rest = f"{lines[0].rstrip('.')}. {lines[1]}", lines[2:]
    else:
        heading, rest = lines[0], lines[1:]
    return [[heading], rest] if rest else [[heading]]


def _numbered_sections(raw_blocks: list[list[str]]) -> set[int]:
    """The blocks that are numbered section headings: lines of their own numbered 1, 2, 3... in order, each
    a heading but for its number, each with text under it (a list numbered item by item has none between)."""
    found = [
        (index, int(match.group(1)))
        for index, lines in enumerate(raw_blocks)
        if len(lines) == 1 and (match := NUMBERED.match(lines[0])) and looks_like_heading(match.group(2))
    ]
    if len(found) < 2 or [number for _, number in found] != list(range(1, len(found) + 1)):
        return set()
    ends = [index for index, _ in found[1:]] + [len(raw_blocks)]
    if any(end - index < 2 for (index, _), end in zip(found, ends, strict=True)):
        return set()
    return {index for index, _ in found}


def _contents_lines(raw_blocks: list[list[str]]) -> set[int]:
    """The blocks of a contents list: chapter lines that come again, each with its chapter, later."""
    labels = [
        (index, " ".join(found.group(1, 2)).lower())
        for index, lines in enumerate(raw_blocks)
        if len(lines) == 1 and (found := book_heading().match(lines[0]))
    ]
    if not labels:
        return set()
    first = labels[0][1]
    again = next((index for index, label in labels[1:] if label == first), None)
    return {index for index, _ in labels if again is not None and index < again}


def _split_at(lines: list[str], heading_re: re.Pattern) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for line in lines:
        if heading_re.search(line):
            parts.extend([[line], []])
        else:
            parts[-1].append(line)
    return [part for part in parts if part]


def is_list(lines: list[str]) -> bool:
    return bool(LIST_ITEM.match(lines[0])) and sum(bool(LIST_ITEM.match(x)) for x in lines) >= 2


def list_items(lines: list[str]) -> list[str]:
    items: list[list[str]] = []
    for line in lines:
        if LIST_ITEM.match(line) or not items:
            items.append([BULLET.sub("", line, count=1).strip()])
        else:
            items[-1].append(line)
    return [join_lines(item) for item in items]


def _merge_book_subtitles(blocks: list[Block]) -> list[Block]:
    """ "CHAPTER I." followed by a short title line becomes "CHAPTER I. The Title"."""
    merged: list[Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.kind is BlockKind.HEADING
            and block.kind is BlockKind.PARAGRAPH
            and looks_like_heading(block.text)
            and (book := book_heading().match(previous.text)) is not None
            and book.group(3) is None
        ):
            merged[-1] = Block(BlockKind.HEADING, f"{previous.text}. {block.text}", level=2)
        else:
            merged.append(block)
    return merged


class TextReader:
    name = "plain text"
    suffixes = (".txt", ".text")

    def recognises(self, data: bytes) -> bool:
        return False  # any text is plain text: this reader is chosen by name, or when no other is

    def read(self, data: bytes, request: ReadRequest) -> Script:
        return read_text_guide(data, request, lambda body: read_plain(body, request.heading_re), BlockKind.PARAGRAPH)
