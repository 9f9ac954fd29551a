"""Markdown: headings are ``#`` lines, and markup (emphasis, links, bullets, code, tables, grid tables
drawn with "+---+" borders, HTML) is turned into plain phrases, because a listener must never hear
"asterisk", "pipe" or a tag name.

A web page saved as Markdown brings its site's menus along: lists of short links before the
guide's first words and after its last ones are left out (and the proof says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import ReadRequest, Script, read_text_guide
from .blocks import Block, BlockKind, outline, table_row, typed_table
from .html import BlockWalker

#: A tag of HTML (an element name, not a placeholder like "<patient name>"): markup, not words.
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
HTML_ELEMENTS = {
    "a", "abbr", "b", "bdi", "bdo", "big", "blockquote", "br", "center", "cite", "code", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "font", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "q", "s", "samp",
    "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "tt",
    "u", "ul", "var", "wbr", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "aside", "nav",
    "header", "footer", "figure", "figcaption", "caption", "colgroup", "col", "tfoot", "pre",
}  # fmt: skip
#: A link a site menu is made of: a few words.
MENU_LINK_WORDS = 4
#: A line of a site's footer that is not a link: its copyright notice.
COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)


@dataclass(frozen=True)
class _Parsed:
    block: Block
    menu: bool = False
    """Only short links (or a copyright line): a site's menu or footer, not the guide."""


def read_markdown(
    body: str, heading_re: re.Pattern | None, chapter_level: int | None
) -> tuple[str | None, list[Block]]:
    return outline(_without_site_menus(_markdown_blocks(body)), heading_re, chapter_level)


def _without_site_menus(parsed: list[_Parsed]) -> list[Block]:
    """Menus before the guide's first words and after its last ones, and headings over nothing else."""
    content = [i for i, p in enumerate(parsed) if not p.menu and p.block.kind is not BlockKind.HEADING]
    if not content:
        return [p.block for p in parsed]
    first, last = content[0], content[-1]
    kept: list[Block] = []
    left_out = 0
    for index, item in enumerate(parsed):
        under = [p for p in parsed[index + 1 :] if p.block.kind is not BlockKind.HEADING]
        heading_over_menus = item.block.kind is BlockKind.HEADING and index > last and bool(under)
        if (item.menu and (index < first or index > last)) or heading_over_menus:
            left_out += 1
            continue
        kept.append(item.block)
    if left_out:
        where = next(i for i, b in enumerate(kept) if b.kind is not BlockKind.HEADING)
        block = kept[where]
        reason = f"{left_out} lines of site menus and footer around the guide were left out"
        kept[where] = block.noted(reason)
    return kept


def _markdown_blocks(body: str) -> list[_Parsed]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(body)
    blocks: list[_Parsed] = []
    list_depth = 0
    row: list[str] = []
    header: list[str] = []
    in_head = False
    number = ""
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            # A numbered step keeps its number ("2. Tilt your head back"); a bullet is only markup.
            number = f"{token.info}{token.markup} " if token.info else ""
        elif kind == "heading_open":
            text, _ = _inline_text(tokens[index + 1])
            if text:
                blocks.append(_Parsed(Block(BlockKind.HEADING, text, level=int(token.tag[1]))))
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open" and (rows := _grid(token)):
            blocks.extend(_Parsed(row) for row in rows)
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            text, menu = _inline_text(token)
            if text:
                kind_of_block = BlockKind.ITEM if list_depth else BlockKind.PARAGRAPH
                blocks.append(_Parsed(Block(kind_of_block, number + text), menu))
                number = ""
        elif kind in ("fence", "code_block"):
            lines = [" ".join(line.split()) for line in token.content.split("\n")]
            blocks.extend(_Parsed(Block(BlockKind.ITEM, line)) for line in lines if line)
        elif kind == "html_block":
            blocks.extend(_Parsed(block) for block in _html_blocks(token.content))
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            row.append(_inline_text(token)[0])
        elif kind == "tr_close":
            if in_head:
                header = row
            elif any(row):
                blocks.append(_Parsed(table_row(BlockKind.ITEM, header, row)))
    return blocks


def _grid(token) -> list[Block] | None:
    """A table drawn with "+---+" borders (a grid table, which CommonMark reads as a paragraph), as rows."""
    lines = [line.strip() for line in token.content.split("\n") if line.strip()]
    return typed_table(lines) if lines and lines[0].startswith("+") else None


def _html_blocks(content: str) -> list[Block]:
    import lxml.html

    walker = BlockWalker()
    try:
        fragment = lxml.html.fragment_fromstring(content, create_parent="div")
    except Exception:  # lxml raises several kinds for what is not HTML; then it is the author's text
        return [Block(BlockKind.PARAGRAPH, " ".join(content.split()))]
    walker.walk(fragment)
    return walker.finish()


def _inline_text(token) -> tuple[str, bool]:
    """The words of an inline run, and whether it is only short links (a menu) or a copyright line."""
    pieces = []
    in_link = 0
    link_words = []
    loose_words = 0
    for child in token.children or []:
        if child.type == "link_open":
            in_link += 1
            link_words.append(0)
        elif child.type == "link_close":
            in_link -= 1
        if child.type in ("text", "code_inline", "image"):
            content = child.content or ""
            pieces.append(content)
            words = len(re.findall(r"\w+", content))
            if in_link:
                link_words[-1] += words
            else:
                loose_words += words
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif child.type == "html_inline":
            found = HTML_TAG.fullmatch(child.content)
            if found and found.group(1).lower() in HTML_ELEMENTS:
                pieces.append(", " if found.group(1).lower() == "br" else " ")
            else:
                pieces.append(child.content)
    text = re.sub(r"([.!?;:,])\s*,", r"\1", " ".join("".join(pieces).split()).replace(" ,", ",")).strip(", ")
    menu = bool(link_words) and not loose_words and all(0 < n <= MENU_LINK_WORDS for n in link_words)
    return text, menu or bool(COPYRIGHT.match(text) and len(text.split()) <= 12)


class MarkdownReader:
    name = "Markdown"
    suffixes = (".md", ".markdown", ".mdown")

    def recognises(self, data: bytes) -> bool:
        return False  # Markdown is text: only its name says it is Markdown

    def read(self, data: bytes, request: ReadRequest) -> Script:
        def parse(body: str) -> tuple[str | None, list[Block]]:
            return read_markdown(body, request.heading_re, request.chapter_level)

        return read_text_guide(data, request, parse, BlockKind.HEADING)
