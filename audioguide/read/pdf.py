"""PDF documents: a tagged PDF is read by its structure tree, any other by its layout.

A tagged PDF (what Word, Acrobat, LibreOffice and Chrome write) names its headings, paragraphs,
lists, tables and pictures in a structure tree, and marks its running headers, footers and page
numbers as artifacts: it is read by that tree, and only the text the tree reaches is read. The tree
is turned into the HTML that means the same, so lists, tables and pictures are read exactly as the
web page and Word readers read them. Chrome tags a site's header, menus and footer as plain groups:
they are known by their links, as on a web page; and a page a browser printed is read, as a saved
page without ``<main>``, from its title to the end of the group that holds it and most of the text
after it (what follows is the site's: related links, a feedback box, "Last updated", the footer).

Any other PDF is read by its layout (pdfminer.six): headings by their type size and weight, running
headers, footers, page numbers and rotated text (side tabs, watermarks) left out, a heading wrapped
over two lines kept one, words hyphenated at line ends joined, two columns read one after the other.

Either way the title is the one the document shows (its lone first top-level heading, or in a layout
the first heading, alone in the largest type), else its metadata's (without the site's name a browser
adds), else its file name. A PDF without text (a scan) is refused: it needs OCR first.
"""

from __future__ import annotations

import html
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from ..errors import InputError
from .base import ReadRequest, Script, metadata_title, page_and_site
from .blocks import (
    BULLET,
    LIST_ITEM,
    SENTENCE_END,
    Block,
    BlockKind,
    looks_like_heading,
    same_words,
    starts_chapter,
)
from .html import (
    HEADINGS,
    BlockWalker,
    described,
    is_card,
    keep_around_title,
    link_share,
    parse,
    script_from_blocks,
    title_heading,
)
from .plain import list_items

#: Type this much larger than the body's marks a heading.
LARGER = 1.15
#: Running headers and footers live in this share of the page at its top and bottom.
MARGIN = 0.09
#: A box wider than this share of the page spans its columns.
SPANNING = 0.55
#: A page number as printers set it, in the languages audioguide speaks: "3", "- 3 -", "Page 3 of 8", "pg. 3",
#: "Página 3 de 8" (numbers already written as "#").
PAGE_NUMBER = re.compile(
    r"^(?:(?:page|pg\.?|p\.|p[aá]gina|p[aá]g\.)\s*)?[-–—(]?\s*#\s*[-–—)]?(?:\s*(?:of|de|/)\s*#)?$", re.IGNORECASE
)
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
GUESSED = "heading found by its type size and weight in the PDF: check it starts a part"
PICTURE = "a picture, read as the description the PDF gives it (its alt text): check it says what the listener needs"
#: Where a line of a tagged PDF's text ends; words hyphenated there are joined once their block is whole.
LINE_END = "\ue000"
#: What the parser said of a damaged file is cut to this length: the line says what to do.
REASON_MAX_CHARS = 60
#: A line that ends in a soft hyphen, and the hyphen a browser draws for it where it breaks a word there.
SOFT_HYPHEN_END = re.compile("\u00ad[-‐]?$")
HYPHEN_END = re.compile(r"(\w+)[-‐]$")
#: A word broken at a hyphen keeps it when its language writes it as one word this many times more rarely.
RARER_AS_ONE = 100
#: A gap this share of the type size between two characters is a space between words.
WORD_GAP = 0.2
#: A structure tree that reaches less than this share of the text on the pages is not the document.
TREE_COVERS = 0.5
#: Heading structure types and their levels (a plain H is as deep as the sections around it).
HEADING_TYPES = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6, "Title": 1}
#: Structure types (after the PDF's role map) read as the HTML elements that mean the same.
BLOCK_TAGS = {
    "P": "p", "Caption": "caption", "BlockQuote": "blockquote", "Table": "table", "THead": "thead",
    "TBody": "tbody", "TFoot": "tfoot", "TR": "tr", "TH": "th", "TD": "td",
}  # fmt: skip
#: HTML elements whose content is text, not blocks.
TEXT_TAGS = {"p", "th", "td", "caption"}
#: What a browser writes as a PDF's creator or producer when it prints a page.
BROWSER = re.compile(r"Mozilla/|Chrom(?:e|ium)|Firefox|Skia/PDF|Edg/", re.IGNORECASE)


class PdfReader:
    name = "PDF document"
    suffixes = (".pdf",)

    def recognises(self, data: bytes) -> bool:
        return b"%PDF-" in data[:1024]

    def read(self, data: bytes, request: ReadRequest) -> Script:
        parsed = _parse(data, request.path)
        if parsed.tagged is None:
            assert parsed.layout is not None  # a PDF without a structure tree is read by its layout
            blocks = _laid_out_blocks(parsed.layout, request.path)
        else:
            blocks = parsed.tagged
        title, blocks = _titled(blocks, parsed.title, parsed.printed_by_browser)
        script = script_from_blocks(
            request, blocks, fallback_title=title, language=parsed.language, left_out=parsed.left_out
        )
        if parsed.tagged is None:
            script.blocks = _wrapped_headings_joined(script.blocks)
        return script


@dataclass
class _Layout:
    boxes: list[list[_Line]]
    """Text boxes in reading order, each a list of lines."""
    empty_pages: list[int]


@dataclass
class _Parsed:
    """What a PDF holds: its title and language, and its text by its tree, or else by its layout."""

    title: str
    """The title its metadata gives, "" if none (or one that names nothing: "untitled", "Document1")."""
    language: str | None
    printed_by_browser: bool = False
    tagged: list[Block] | None = None
    layout: _Layout | None = None
    left_out: list[str] = field(default_factory=list)


def _parse(data: bytes, path: Path) -> _Parsed:
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    from . import pdf_content

    try:
        with pdf_content.open_pdf(data) as pdf:
            made_by = f"{pdf.metadata.get('Creator', '')} {pdf.metadata.get('Producer', '')}"
            title = next(filter(None, map(metadata_title, pdf_content.document_titles(pdf))), "")
            parsed = _Parsed(title, pdf_content.document_language(pdf), bool(BROWSER.search(made_by)))
            printed_title = title if parsed.printed_by_browser else None
            tagged = _read_tree(pdf, path, printed_title) if "StructTreeRoot" in pdf.doc.catalog else None
            if tagged is not None:
                parsed.tagged, parsed.left_out = tagged
            else:
                parsed.layout = _layout(pdf)
            return parsed
    except Exception as error:  # a damaged file can fail anywhere in the parser, with any error
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, PDFEncryptionError):
            raise InputError(
                f"{path}: the PDF is locked with a password; save an unlocked copy and build that"
            ) from None
        reason = str(cause) or type(cause).__name__
        reason = reason if len(reason) <= REASON_MAX_CHARS else reason[: REASON_MAX_CHARS - 1] + "…"
        raise InputError(f"{path}: a damaged PDF ({reason}); save it again or export the text") from None


# A tagged PDF, by its structure tree.


def _read_tree(pdf, path: Path, printed_title: str | None) -> tuple[list[Block], list[str]] | None:
    """The blocks of a tagged PDF and what was left out as page chrome; None if it has no usable tree.
    ``printed_title`` is the metadata's title of a page a browser printed (None for any other PDF): the
    page is read from its title, as a saved page that marks no ``<main>``."""
    from . import pdf_content

    glyphs: dict[tuple[int, int], list] = {}
    on_pages = 0
    for page in pdf.pages:
        for glyph in pdf_content.page_glyphs(pdf, page):
            on_pages += bool(glyph.text.strip())
            if glyph.mcid is not None:
                glyphs.setdefault((glyph.page, glyph.mcid), []).append(glyph)
    if not glyphs:
        return None
    try:
        tree = pdf_content.StructTree(pdf)
    except pdf_content.StructTreeMissing:
        return None
    except (AssertionError, KeyError, TypeError, ValueError, AttributeError):
        return None  # a tree pdfplumber cannot follow: the layout reads the pages
    reader = _TreeReader(tree, glyphs)
    markup = reader.markup()
    if reader.reached < TREE_COVERS * on_pages:
        return None  # a tree of a few parts (a form's fields, a logo), not of the document
    body = parse(markup, path).find("body")
    left_out = _without_link_boxes(body)
    if printed_title is not None:
        title = title_heading(body, printed_title)
        if title is not None:
            left_out += keep_around_title(body, title)
    walker = BlockWalker()
    walker.walk(body)
    whole_text = " ".join(reader.texts).replace(LINE_END, " ")
    blocks = []
    for block in walker.finish():
        text = _joined(block.text, whole_text)
        if text:
            block = replace(block, text=text)
            pictured = any(alt in text for alt in reader.pictures)
            blocks.append(block.noted(PICTURE) if pictured else block)
    return blocks, left_out


class _TreeReader:
    """A tagged PDF's structure tree, as the HTML that means the same, in the tree's order."""

    def __init__(self, tree, glyphs: dict[tuple[int, int], list]) -> None:
        self.tree = tree
        self.glyphs = glyphs
        self.last = None
        """The character written last, to tell whether the next one starts a word or a line."""
        self.reached = 0
        self.texts: list[str] = []
        self.pictures: set[str] = set()
        self._seen: set[int] = set()

    def markup(self) -> str:
        return "<html><body>" + "".join(self.element(e, None, inline=False) for e in self.tree.top()) + "</body></html>"

    def element(self, element, page: int | None, inline: bool, sections: int = 0) -> str:
        if id(element) in self._seen:
            return ""  # a tree that refers to an element twice (or loops) reads it once
        self._seen.add(id(element))
        kind = element.type
        if kind == "Artifact":
            return ""
        if kind in ("Figure", "Formula"):
            return self.picture(element, page, inline, sections)
        if kind in HEADING_TYPES or kind == "H":
            level = HEADING_TYPES.get(kind) or min(max(sections, 1), 6)
            return self.wrap(f"h{level}", element, page, True, sections)
        if kind in ("LI", "TOCI"):
            return self.item(element, page, sections)
        if kind == "Link":
            return self.wrap("a", element, page, True, sections)
        if kind in ("L", "TOC"):
            return self.wrap("ul", element, page, False, sections)
        if inline:
            return self.wrap("span", element, page, True, sections)
        if kind in BLOCK_TAGS:
            tag = BLOCK_TAGS[kind]
            return self.wrap(tag, element, page, tag in TEXT_TAGS, sections, _cell_span(element))
        holds_elements = any(child is not None for _, child in self.tree.element_contents(element, page))
        return self.wrap("div" if holds_elements else "span", element, page, False, sections + (kind == "Sect"))

    def wrap(self, tag: str, element, page: int | None, inline: bool, sections: int, attributes: str = "") -> str:
        if tag not in ("span", "a"):
            self.last = None  # a block starts on a line of its own
        return f"<{tag}{attributes}>{self.content(element, page, inline, sections)}</{tag}>"

    def content(self, element, page: int | None, inline: bool, sections: int) -> str:
        page = element.page_number or page
        parts = []
        for marked, child in self.tree.element_contents(element, page):
            if marked is not None:
                parts.append(html.escape(self.text(marked), quote=False))
            else:
                parts.append(self.element(child, page, inline, sections))
        return "".join(parts)

    def item(self, element, page: int | None, sections: int) -> str:
        """A list item: its label kept if it is a number or letter, dropped if it is a bullet."""
        self.last = None
        page = element.page_number or page
        label, body = "", []
        for marked, child in self.tree.element_contents(element, page):
            if marked is not None:
                body.append(html.escape(self.text(marked), quote=False))
            elif child.type == "Lbl":
                label = self.content(child, page, True, sections)
            else:
                body.append(self.element(child, page, child.type not in ("L", "TOC"), sections))
        if BULLET.match(f"{label.strip()} item"):
            label = ""
        return f"<li>{label}{''.join(body)}</li>"

    def picture(self, element, page: int | None, inline: bool, sections: int) -> str:
        """A picture is read as its description; one without a description is read by the text drawn in it,
        and one without either is left to the walker, which says in the proof that it was not read."""
        alt = " ".join((element.alt_text or element.actual_text or "").split())
        if alt:
            self.pictures.add(alt)
            return f" <span>{html.escape(alt)}</span> " if inline else f"<p>{html.escape(alt)}</p>"
        reached = self.reached
        drawn = self.wrap("span" if inline else "div", element, page, inline, sections)
        return drawn if self.reached > reached else "<img>"

    def text(self, marked: tuple[int, int]) -> str:
        """The text of one piece of marked content, the line ends in it marked; each piece is read once."""
        pieces = []
        for glyph in self.glyphs.pop(marked, ()):
            pieces.append(_separator(self.last, glyph) + glyph.text)
            self.last = glyph
            self.reached += bool(glyph.text.strip())
        text = "".join(pieces)
        self.texts.append(text)
        return text


def _cell_span(element) -> str:
    spans = [
        f' {name.lower()}="{int(value)}"'
        for name, value in ((n, element.attributes.get(n)) for n in ("ColSpan", "RowSpan"))
        if isinstance(value, (int, float)) and value > 1
    ]
    return "".join(spans)


def _separator(before, glyph) -> str:
    """What stands between two characters: nothing, a space (a gap between words) or a line end."""
    if before is None:
        return ""
    size = max(before.size, glyph.size)
    if before.page != glyph.page or abs(before.baseline - glyph.baseline) > size / 2:
        return LINE_END
    if glyph.x0 - before.x1 > size * WORD_GAP and not before.text.endswith(" ") and glyph.text[:1] != " ":
        return " "
    return ""


def _joined(text: str, whole_text: str) -> str:
    """A block's lines as one text, words hyphenated at line ends joined."""
    lines = [" ".join(line.split()) for line in text.split(LINE_END)]
    lines = [line for line in lines if line]
    return " ".join(_unhyphenated(lines, whole_text)).replace("\u00ad", "") if lines else ""


def _without_link_boxes(body) -> list[str]:
    """Take out groups that are mostly links and hold no heading (a site's menus, breadcrumbs, footer), and
    cards promoting other pages; say what each was. A PDF's tree does not say which group is a header or a
    menu (Chrome tags them all as plain groups), so they are known by their links, as the web page reader
    knows a page's header; a group with a heading of its own ("Useful websites") is part of the guide."""
    taken = []
    dropped: set = set()
    for box in list(body.iter("div", "span", "a")):
        if box.tag != "div" and box.getparent().tag != "body":
            continue  # a link in a paragraph or a group is read with it, or left out with it
        if any(ancestor in dropped for ancestor in box.iterancestors()):
            continue
        words = " ".join(box.itertext()).split()
        links = link_share(box) >= 0.5 and not any(e.tag in HEADINGS for e in box.iter())
        if words and (links or (box.tag == "div" and is_card(box))):
            taken.append(described(words))
            dropped.add(box)
            box.drop_tree()
    return taken


# The title and the site's name.


def _titled(blocks: list[Block], metadata_title: str, printed_by_browser: bool) -> tuple[str | None, list[Block]]:
    """The title the document's metadata gives, without the site's name a browser adds to a page's title
    (None if it gives none), and its blocks without a heading that names that site above the page's title.
    The title the document shows, its lone first level-1 heading, comes first (:func:`.blocks.outline`)."""
    title, site = page_and_site(metadata_title) if printed_by_browser else (metadata_title, None)
    if blocks and site and blocks[0].kind is BlockKind.HEADING and same_words(blocks[0].text, site):
        blocks = blocks[1:]  # the site's name above the page's title
    return title or None, blocks


# Any other PDF, by its layout.


@dataclass(frozen=True)
class _Line:
    page: int
    text: str
    size: float
    bold: bool
    top: float
    """Distance from the top of the page, as a share of its height."""


def _layout(pdf) -> _Layout:
    from pdfminer.layout import LTChar, LTTextBox

    from . import pdf_content

    boxes: list[list[_Line]] = []
    empty_pages = []
    for page in pdf.pages:
        laid_out = pdf_content.layout(pdf, page)
        found = [element for element in laid_out if isinstance(element, LTTextBox) and element.get_text().strip()]
        if not found:
            empty_pages.append(page.page_number)
        for box in _reading_order(found, laid_out.width):
            lines = []
            for line in box:
                chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                text = " ".join(pdf_content.spelled_out(line.get_text()).split())
                if not chars or not text:
                    continue
                size = statistics.median(round(c.size * 2) / 2 for c in chars)
                bold = sum(bool(BOLD_FONT.search(c.fontname)) for c in chars) > len(chars) / 2
                top = (laid_out.height - line.y1) / laid_out.height
                lines.append(_Line(page.page_number, text, size, bold, top))
            boxes.append(lines)
    return _Layout(boxes, empty_pages)


def _laid_out_blocks(layout: _Layout, path: Path) -> list[Block]:
    if not any(layout.boxes):
        raise InputError(
            f"{path}: a PDF without text (a scan or a picture of the pages); run OCR on it first "
            "(most scanners' software can save a searchable PDF) and build that"
        )
    lines = _without_running_lines([line for box in layout.boxes for line in box])
    kept = {id(line) for line in lines}
    blocks = _blocks([[line for line in box if id(line) in kept] for box in layout.boxes])
    if layout.empty_pages:
        pages = ", ".join(map(str, layout.empty_pages))
        blocks[0] = blocks[0].noted(f"page {pages} of the PDF has no text (a scanned page?) and is not read")
    return blocks


def _reading_order(boxes: list, width: float) -> list:
    """Top to bottom; where a page runs in two columns, the left one before the right one."""
    bands: list[list] = []
    current: list = []
    for box in sorted(boxes, key=lambda b: -b.y1):
        if box.width > SPANNING * width:
            if current:
                bands.append(current)
                current = []
            bands.append([box])
        else:
            current.append(box)
    if current:
        bands.append(current)
    middle = width / 2
    return [box for band in bands for box in sorted(band, key=lambda b: (b.x0 >= middle, -b.y1))]


def _without_running_lines(lines: list[_Line]) -> list[_Line]:
    """Page numbers, and lines in the margins that come again on other pages, are not the guide; nor, in a
    document of one page (where nothing can come again), lines in the margins in type smaller than its text."""

    def shape(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    in_margin = [line for line in lines if line.top < MARGIN or line.top > 1 - MARGIN]
    pages_with = Counter(text for text, _ in {(shape(line), line.page) for line in in_margin})
    running = {text for text, count in pages_with.items() if count >= 2}
    if len({line.page for line in lines}) == 1:
        body = _body_size(lines)
        running |= {shape(line) for line in in_margin if line.size < body}
    return [
        line
        for line in lines
        if not (PAGE_NUMBER.match(shape(line)) and (line.top < MARGIN or line.top > 1 - MARGIN))
        and not (shape(line) in running and (line.top < MARGIN or line.top > 1 - MARGIN))
    ]


def _body_size(lines: list[_Line]) -> float:
    """The size of the type most of the text is set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0]


def _blocks(boxes: list[list[_Line]]) -> list[Block]:
    """Blocks of text boxes: a heading is a line (or lines, wrapped) in larger type, or a box of its own in bold
    type no smaller than the text's (bold table headers and notes in small type are no headings). The first
    heading, alone in the largest type, is the title."""
    lines = [line for box in boxes for line in box]
    body = _body_size(lines)
    heading_sizes = sorted({line.size for line in lines if line.size >= body * LARGER}, reverse=True)
    whole_text = " ".join(line.text for line in lines)
    blocks: list[Block] = []
    for box in boxes:
        paragraph: list[_Line] = []
        # Lines in one type, one after another, are one heading: a heading wrapped over two lines stays one.
        for (size, bold), same_type in groupby(box, key=lambda line: (line.size, line.bold)):
            run = list(same_type)
            text = " ".join(_unhyphenated([line.text for line in run], whole_text))
            larger = size >= body * LARGER
            if looks_like_heading(text) and (larger or (bold and size >= body and len(run) == len(box))):
                _add_paragraph(blocks, paragraph, whole_text)
                paragraph = []
                level = 2 + heading_sizes.index(size) if larger else 2 + len(heading_sizes)
                blocks.append(Block(BlockKind.HEADING, text, level=min(level, 6), doubt=GUESSED))
            else:
                paragraph.extend(run)
        _add_paragraph(blocks, paragraph, whole_text)
    first = next((i for i, b in enumerate(blocks) if b.kind is BlockKind.HEADING), None)
    largest = [b for b in blocks if b.kind is BlockKind.HEADING and b.level == 2]
    if first is not None and largest == [blocks[first]] and len(heading_sizes) > 1:
        blocks[first] = Block(BlockKind.HEADING, blocks[first].text, level=1)  # the one line in the largest type
    return blocks


def _add_paragraph(blocks: list[Block], lines: list[_Line], whole_text: str) -> None:
    if not lines:
        return
    texts = [line.text for line in lines]
    text = " ".join(_unhyphenated(texts, whole_text))
    previous = blocks[-1] if blocks else None
    if (
        previous is not None
        and previous.kind in (BlockKind.PARAGRAPH, BlockKind.ITEM)
        and not previous.text.endswith(SENTENCE_END)
        and text[:1].islower()
    ):
        # A sentence or a list item that runs on over a line, page or column break, perhaps in a word
        # hyphenated there: a layout often makes each line of a list a box of its own.
        blocks[-1] = replace(previous, text=" ".join(_unhyphenated([previous.text, text], whole_text)))
    elif LIST_ITEM.match(texts[0]):
        # A box that starts with a bullet or a number is a list; lines without one continue their item.
        blocks.extend(Block(BlockKind.ITEM, item) for item in list_items(_unhyphenated(texts, whole_text)))
    else:
        blocks.append(Block(BlockKind.PARAGRAPH, text))


def _unhyphenated(texts: list[str], whole_text: str) -> list[str]:
    """Lines with words broken at their ends by a hyphen put back together.

    A word broken at a soft hyphen joins without it. A lower-case continuation joins without the
    hyphen ("medi-" "cation"), unless the hyphen is the word's own ("follow-up", "preservative-free").
    """
    joined = [texts[0]]
    for text in texts[1:]:
        soft = SOFT_HYPHEN_END.search(joined[-1])
        before = HYPHEN_END.search(joined[-1])
        after = re.match(r"([a-z]\w*)", text)
        if soft:
            joined[-1] = joined[-1][: soft.start()] + text
        elif before and after and not LIST_ITEM.match(text):
            keep = _hyphen_is_the_words(before.group(1), after.group(1), whole_text)
            joined[-1] = joined[-1][: before.end(1)] + ("-" if keep else "") + text
        else:
            joined.append(text)
    return joined


def _hyphen_is_the_words(before: str, after: str, whole_text: str) -> bool:
    """Whether a word broken at a hyphen at a line end keeps it: the document writes it so elsewhere, or
    its language writes both halves as words far more often than the two as one ("preservativefree")."""
    if f"{before}-{after}" in whole_text.replace(f"{before}- {after}", ""):
        return True
    counts = _word_counts(whole_text)
    halves = min(counts.get(before.lower(), 0), counts.get(after.lower(), 0))
    return counts.get(f"{before}{after}".lower(), 0) * RARER_AS_ONE < halves


@lru_cache(maxsize=4)
def _word_counts(whole_text: str) -> dict[str, int]:
    from ..languages import DEFAULT, detect_language
    from ..languages.base import word_counts

    return word_counts(detect_language(whole_text) or DEFAULT)


def _wrapped_headings_joined(blocks: list[Block]) -> list[Block]:
    """A guessed chapter heading right above another is one heading with it: a heading the layout wrapped
    over two boxes. (Any other heading over nothing is placed by :func:`.chapters.listenable`.)"""
    merged: list[Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if starts_chapter(block) and previous is not None and starts_chapter(previous):
            merged[-1] = replace(previous, text=f"{previous.text} {block.text}")
        else:
            merged.append(block)
    return merged
