"""Web pages saved from a browser, and the HTML that Word documents and Markdown are turned into.

Only the page's main content is read: ``<main>`` (or the one ``<article>``) when the page marks it,
else the part of the page around its title (the group holding its ``<h1>`` and most of the text
after it), and never its navigation, site header and footer, cookie banners, breadcrumbs, share
buttons, sidebars of related links, cards promoting other pages, scripts, styles or pictures.
``<h1>`` is the title (a caption inside it, "- Brand names: ...", is read as a line under it); the
shallowest heading level under it starts chapters. Lists keep their numbers; tables are read row by
row, several lines or items in one cell with a pause between them. A line break in the page's source
is a space; only a ``<br>`` (a line break the page shows) is a pause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .base import ReadRequest, Script, names_title, page_and_site, title_from_filename
from .blocks import BULLET, LIST_ITEM, Block, BlockKind, outline, read_as_lines, table_row
from .chrome import without_contents_list
from .decode import decode
from .front_matter import FrontMatter

HEADINGS = {f"h{n}": n for n in range(1, 7)}
#: Elements that end the line of text before them and start a new one.
BLOCK_TAGS = {
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html", "legend", "li", "main",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
#: Never text a listener needs: code, styling, controls and embedded things.
NOT_TEXT = {
    "applet", "audio", "button", "canvas", "datalist", "embed", "head", "iframe", "input", "link", "map", "math",
    "meta", "noscript", "object", "option", "script", "select", "style", "svg", "template", "textarea", "title",
    "video",
}  # fmt: skip
#: Embedded things that may hold what the page says: the proof says they were not read.
EMBEDDED = {"audio": "a sound clip", "video": "a video", "iframe": "an embedded page", "object": "an embedded object",
            "embed": "an embedded object", "canvas": "a drawing", "math": "a formula"}  # fmt: skip
#: Parts of a page around its content, whatever the site calls them.
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar", "toolbar"}
CHROME_NAME = re.compile(
    r"cookie|consent|gdpr|breadcrumb|share|sharing|social|skip-?link|skip-?to|newsletter|subscribe|advert|"
    r"print-?button|back-?to-?top|site-?header|site-?footer|global-?header|global-?footer|masthead|menu",
    re.IGNORECASE,
)
#: Names of boxes that are chrome when they are mostly links (a list of related pages).
LINK_BOX_NAME = re.compile(r"related|see-?also|sidebar|more-?(?:on|in|from)|popular|trending|promo", re.IGNORECASE)
#: A box with a heading that is all one link, and this few words, is a card promoting another page.
CARD_MAX_WORDS = 40
#: What a site shows inside a heading that is not the heading's words: a caption or label above or under
#: it (GOV.UK's "Guidance", nhs.uk's "- Brand names: ...").
CAPTION_NAME = re.compile(r"caption|subtitle|sub-?heading|tagline|strapline|kicker|eyebrow|context", re.IGNORECASE)
#: More words than this above a page's title are not its site's header (the page marks no <main>): they are read.
SITE_HEADER_MAX_WORDS = 80
#: Where a page shows a line break (``<br>``), told apart from the line ends of its source, which are spaces.
LINE_BREAK = "\ue001"
#: The charset a page declares in its first bytes.
DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.-]+)", re.IGNORECASE)
#: Browsers read pages declared as Latin-1 or ASCII as Windows-1252, and so must we.
WEB_CHARSETS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                "ascii": "cp1252"}  # fmt: skip


@dataclass
class Page:
    """A page's text as blocks (headings at the depth the page gives them) and what it says of itself."""

    blocks: list[Block]
    title: str | None = None
    """The page's ``<title>``, as a fallback name when it has no ``<h1>``."""
    language: str | None = None
    left_out: list[str] = field(default_factory=list)
    """Page chrome that was not read, for the proof."""


def read_page(data: bytes, path: Path, encoding: str | None = None) -> Page:
    """A saved web page's main content."""
    text = decode_page(data, path, encoding)
    root = parse(text, path)
    language = root.get("lang") or root.get("xml:lang") or None
    head_title = " ".join((root.findtext(".//title") or "").split()) or None
    page_title = page_and_site(head_title)[0] if head_title else None
    marked = marked_main(root)
    main = marked if marked is not None else _body(root)
    left_out = remove_chrome(main)
    if marked is None:
        title = title_heading(main, head_title or "")
        if title is not None:
            left_out += keep_around_title(main, title)
    walker = BlockWalker()
    walker.walk(main)
    return Page(walker.finish(), page_title, language, left_out)


def decode_page(data: bytes, path: Path, encoding: str | None) -> str:
    if encoding is None and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = DECLARED_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii").lower()
            try:
                return decode(data, path, WEB_CHARSETS.get(name, name)).text
            except InputError:
                pass  # a page that lies about its charset is read as if it had not declared one
    return decode(data, path, encoding).text


def parse(text: str, path: Path):
    import lxml.html
    from lxml.etree import ParserError

    # An XML declaration in a text string makes lxml refuse it; the text is decoded already.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        return lxml.html.document_fromstring(text)
    except (ParserError, ValueError):
        raise InputError(f"{path}: no web page text could be read from it; open it in a browser to check") from None


def marked_main(root):
    """The element the page marks as holding what it is about (``<main>``, or its one ``<article>``); None if
    it marks none."""
    for query in ("//main", "//*[@role='main']", "//article"):
        found = root.xpath(query)
        if len(found) == 1 or (found and query != "//article"):
            return found[0]
    return None


def _body(root):
    body = root.find("body")
    return body if body is not None else root


def title_heading(container, document_title: str):
    """The page's title: the ``<h1>`` that names the ``document_title`` (its ``<title>``, or a PDF's), else its
    only ``<h1>``, else the second of two where the first opens the page (the site's name); None if it has
    none of these."""
    level_ones = list(container.iter("h1"))
    for heading in level_ones:
        if document_title and names_title(heading.text_content(), document_title):
            return heading
    if len(level_ones) == 1:
        return level_ones[0]
    if len(level_ones) == 2 and not _words_before(container, level_ones[0]):
        return level_ones[1]
    return None


def keep_around_title(container, title) -> list[str]:
    """Take out of a page that marks no ``<main>`` what its site shows around the page (a printed page
    marks none either): what stands above its title (a site's header, menus, breadcrumbs; unless it is
    long enough to be the page's own text), and what follows the group that holds the title and most of
    the text after it (related links, a feedback box, "Last updated", the footer). Say what each was."""
    taken = []
    before = _words_before(container, title)
    if 0 < len(before) <= SITE_HEADER_MAX_WORDS:
        node = title
        while node is not container:
            parent = node.getparent()
            parent.text = None
            for sibling in list(node.itersiblings(preceding=True)):
                parent.remove(sibling)  # its tail, text before the title, goes with it
            node = parent
        taken.append(f"the site's header, {described(before)}")
    after_title = len(_words_from(container, title))
    group = title.getparent()
    while group is not container and 2 * len(_words_from(group, title)) <= after_title:
        group = group.getparent()
    after: list[str] = []
    node = group
    while node is not container:
        after += _words(node.tail or "")
        node.tail = None
        for sibling in list(node.itersiblings()):
            after += _words(" ".join(sibling.itertext())) + _words(sibling.tail or "")
            node.getparent().remove(sibling)
        node = node.getparent()
    if after:
        taken.append(f"what follows the page, {described(after)}")
    return taken


def _words_before(container, start) -> list[str]:
    """The words of ``container`` before the element ``start``."""
    return [word for text in _texts(container, start, before=True) for word in _words(text)]


def _words_from(container, start) -> list[str]:
    """The words of ``container`` from the element ``start`` on."""
    return [word for text in _texts(container, start, before=False) for word in _words(text)]


def _texts(element, start, before: bool):
    """The texts of ``element`` in reading order, those before the element ``start`` or those from it on."""
    reached = False

    def visit(node):
        nonlocal reached
        if node is start:
            reached = True
        if isinstance(node.tag, str) and reached is not before:
            yield node.text or ""
        for child in node:
            yield from visit(child)
            if reached is not before:
                yield child.tail or ""

    yield from visit(element)


def described(words: list[str]) -> str:
    """Words left out, as the proof names them: their start and their number."""
    return f"“{' '.join(words[:5])}{'…' if len(words) > 5 else ''}” ({len(words)} words)"


def is_card(element) -> bool:
    """A card promoting another page: a small box whose heading is all one link ("Approaching retirement"
    over a picture and a line of teaser). A heading linking within the page (``#...``) is its own permalink."""
    headings = [e for e in element.iter() if isinstance(e.tag, str) and e.tag.lower() in HEADINGS]
    if not headings or len(_words(element.text_content())) > CARD_MAX_WORDS:
        return False
    return all(
        (links := [a for a in heading.iter("a") if not (a.get("href") or "").startswith("#")])
        and sum(len(_words(a.text_content())) for a in links) >= len(_words(heading.text_content()))
        for heading in headings
    )


def remove_chrome(element) -> list[str]:
    """Take the page's chrome out of ``element``; return a short description of each part taken."""
    taken = []
    for candidate in list(element.iter()):
        if not isinstance(candidate.tag, str) or candidate.getparent() is None:
            continue
        if _is_chrome(candidate):
            words = len(candidate.text_content().split())
            if words:
                name = candidate.get("aria-label") or candidate.get("id") or candidate.get("class") or candidate.tag
                taken.append(f"{' '.join(name.split()[:3])} ({words} words)")
            candidate.drop_tree()
    return taken


def _is_chrome(element) -> bool:
    tag = element.tag.lower()
    role = (element.get("role") or "").lower()
    names = f"{element.get('id') or ''} {element.get('class') or ''} {element.get('aria-label') or ''}"
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if re.search(r"display\s*:\s*none", element.get("style") or ""):
        return True
    if tag == "nav" or role in CHROME_ROLES - {"complementary"} or CHROME_NAME.search(names):
        return tag not in ("body", "html", "main", "article") and not _holds_headings(element)
    if tag in ("div", "aside", "section") and is_card(element):
        return True
    if tag == "aside" or role == "complementary" or LINK_BOX_NAME.search(names):
        return link_share(element) >= 0.5
    if tag in ("header", "footer"):
        return link_share(element) >= 0.5 and not _holds_headings(element)
    return False


def _holds_headings(element) -> bool:
    """A box with the page's own <h1> is content, whatever its class says."""
    return any(isinstance(e.tag, str) and e.tag.lower() == "h1" for e in element.iter())


def link_share(element) -> float:
    """The share of an element's words that are links; separators between links ("›", "|") are no words."""
    words = len(_words(element.text_content()))
    linked = sum(len(_words(a.text_content())) for a in element.iter("a"))
    return linked / words if words else 1.0


def _words(text: str) -> list[str]:
    return [word for word in text.split() if any(ch.isalnum() for ch in word)]


class BlockWalker:
    """Walks HTML elements in reading order, gathering text into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._kind = BlockKind.PARAGRAPH
        self._prefix = ""
        self._doubts: list[str] = []
        self.note_refs: dict[str, int] = {}
        """A footnote's id → the index of the block whose text refers to it."""

    def finish(self) -> list[Block]:
        self._flush()
        if self._doubts and self.blocks:
            last = self.blocks[-1]
            self.blocks[-1] = last.noted(*self._doubts)
        return self.blocks

    def doubt(self, reason: str) -> None:
        self._doubts.append(reason)

    def walk(self, element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag:  # a comment or processing instruction: only the text after it counts
            self._text(element.tail)
            return
        if tag in NOT_TEXT:
            if tag in EMBEDDED:
                self.doubt(f"{EMBEDDED[tag]} on the page is not read")
        elif tag == "br":
            self._buffer.append(LINE_BREAK)
        elif tag == "pre":
            # Preformatted text shows its line ends.
            self._flush()
            self._text(element.text_content().replace("\n", LINE_BREAK))
            self._flush()
        elif tag == "img":
            alt = " ".join((element.get("alt") or "").split())
            # alt="" marks a picture as decoration; one without alt may hold anything.
            if alt or element.get("alt") is None:
                what = f"a picture ({alt!r})" if alt else "a picture"
                self.doubt(f"{what} is not read; if it says something the listener needs, write it in the text")
        elif tag == "hr":
            self._flush()
        elif tag in HEADINGS:
            self._flush()
            captions = [" ".join(self.text_of(e).split()) for e in _captions(element)]
            text = " ".join(self.text_of(element).split())
            if text:
                self._add(Block(BlockKind.HEADING, text, level=HEADINGS[tag]))
            for caption in filter(None, (caption.strip(" -–—|:") for caption in captions)):
                self._add(Block(BlockKind.PARAGRAPH, caption))
        elif tag == "table":
            self._flush()
            self._table(element)
        elif tag in ("ul", "ol"):
            self._flush()
            self._list(element, numbered=tag == "ol")
        elif tag == "a" and (element.get("href") or "").startswith(("#footnote-", "#endnote-")):
            self.note_refs[element.get("href")[1:]] = len(self.blocks)
            self._text(element.text_content())
        else:
            block = tag in BLOCK_TAGS
            if block:
                self._flush()
            self._text(element.text)
            for child in element:
                self.walk(child)
            if block:
                self._flush()
        self._text(element.tail)

    def text_of(self, element) -> str:
        """All the text an element shows, lines kept apart."""
        inner = BlockWalker()
        inner._text(element.text)
        for child in element:
            inner.walk(child)
        self._doubts.extend(inner._doubts)
        self.note_refs.update(dict.fromkeys(inner.note_refs, len(self.blocks)))
        # Paragraphs or list items inside one element (a table cell) are lines read with a pause between them.
        return read_as_lines([block.text for block in inner.finish()])

    def _text(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def _flush(self) -> None:
        text = _lines("".join(self._buffer))
        self._buffer = []
        if text:
            kind = self._kind
            if kind is BlockKind.PARAGRAPH and LIST_ITEM.match(text):
                # A list typed by hand ("• Rest", "2. Drink"): its bullet is markup, its number words.
                kind, text = BlockKind.ITEM, BULLET.sub("", text, count=1)
            self._add(Block(kind, self._prefix + text))
            self._prefix = ""

    def _add(self, block: Block) -> None:
        if self._doubts:
            block = block.noted(*self._doubts)
            self._doubts = []
        self.blocks.append(block)

    def _list(self, element, numbered: bool) -> None:
        number = int(element.get("start") or 1) if (element.get("start") or "1").isdigit() else 1
        outer_kind, outer_prefix = self._kind, self._prefix
        self._text(element.text if element.text and element.text.strip() else None)
        for child in element:
            if isinstance(child.tag, str) and child.tag.lower() == "li":
                self._flush()
                self._kind = BlockKind.ITEM
                self._prefix = f"{number}. " if numbered else ""
                number += 1
                self._text(child.text)
                for grandchild in child:
                    self.walk(grandchild)
                self._flush()
                self._text(child.tail)
            else:
                self.walk(child)
        self._flush()
        self._kind, self._prefix = outer_kind, outer_prefix

    def _table(self, table) -> None:
        rows = [
            [cell for cell in row if _tag(cell) in ("td", "th")]
            for row in table.iter("tr")
            if _owner_table(row) is table
        ]
        rows = [row for row in rows if any(cell.text_content().strip() for cell in row)]
        caption = table.find("caption")
        if caption is not None and caption.text_content().strip():
            self._add(Block(BlockKind.PARAGRAPH, " ".join(caption.text_content().split())))
        if not rows:
            return
        width = max(len(row) for row in rows)
        header: list[str] = []
        first = [" ".join(cell.text_content().split()) for cell in rows[0]]
        if (
            len(rows) > 1
            and width > 1
            and (all(_tag(cell) == "th" for cell in rows[0]) or all(len(text.split()) <= 6 for text in first))
        ):
            header = [" ".join(self.text_of(cell).split()) for cell in rows[0]]
            rows = rows[1:]
        if any(cell.get("colspan") or cell.get("rowspan") for row in rows for cell in row):
            self.doubt("a table with merged cells, read row by row: check the order makes sense")
        for row in rows:
            # Text is read cell by cell as its row's block is added, so a note refers to that block.
            texts = [" ".join(self.text_of(cell).split()) for cell in row]
            self._add(table_row(BlockKind.ITEM if width > 1 else BlockKind.PARAGRAPH, header, texts))


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _owner_table(row):
    parent = row.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _lines(text: str) -> str:
    """Lines broken with <br> read as one text, with a pause where a line ended without punctuation."""
    return read_as_lines(text.split(LINE_BREAK))


def _captions(heading) -> list:
    """The captions inside a heading, taken out of it (the text after each stays in the heading)."""
    found = [e for e in heading.iter() if e is not heading and isinstance(e.tag, str) and _is_caption(e)]
    for caption in found:
        caption.drop_tree()
    return found


def _is_caption(element) -> bool:
    return element.tag.lower() == "small" or bool(CAPTION_NAME.search(element.get("class") or ""))


class HtmlReader:
    name = "web page"
    suffixes = (".html", ".htm", ".xhtml")

    def recognises(self, data: bytes) -> bool:
        start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        return start.startswith((b"<!doctype html", b"<html"))

    def read(self, data: bytes, request: ReadRequest) -> Script:
        page = read_page(data, request.path, request.encoding)
        return script_from_blocks(
            request, page.blocks, fallback_title=page.title, language=page.language, left_out=page.left_out
        )


def script_from_blocks(
    request: ReadRequest,
    blocks: list[Block],
    *,
    fallback_title: str | None = None,
    language: str | None = None,
    left_out: tuple[str, ...] | list[str] = (),
) -> Script:
    """The script of a document read as HTML: its headings placed, its title found (the title it shows, else
    ``fallback_title``, what its metadata gives), its contents list and what was left out said."""
    if not any(block.text.strip() for block in blocks):
        raise InputError(f"{request.path}: no text found in it; check it is the guide, or save the text as .txt")
    blocks, contents = without_contents_list(blocks)
    title, blocks = outline(blocks, request.heading_re, request.chapter_level)
    left_out = [*left_out, *contents]
    if left_out and blocks:
        reason = "not read, as page chrome: " + ", ".join(left_out[:6]) + (" and more" if len(left_out) > 6 else "")
        first = blocks[0]
        blocks[0] = first.noted(reason)
    named = title or fallback_title
    script = Script(
        path=request.path,
        title=named or title_from_filename(request.path, blocks),
        blocks=blocks,
        meta=FrontMatter(language=language),
        title_in_text=title is not None,
        title_from_file_name=not named,
    )
    if not named:
        # A clinic's document is expected to name itself (a text script named by its file is ordinary): say so
        # before a build, as well as in the proof.
        script.notices.append(f"{request.path}: the document names no title, so it is called “{script.title}”")
    return script
