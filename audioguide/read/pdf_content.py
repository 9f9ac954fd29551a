"""What pdfminer.six and pdfplumber give of a PDF, made fit for reading it aloud.

Kept apart from :mod:`.pdf` so that reading a text or Word guide never loads them. Two gaps in
what the libraries give are filled here, both found in the PDFs Chromium prints:

* pdfplumber tags each character with the innermost marked content only, so after a nested span
  ends (Chromium wraps every ligature and soft hyphen in one) the characters that follow lose their
  marked-content id. :class:`TaggedText` keeps the whole stack.
* pdfplumber's structure tree lists an element's marked content apart from its child elements, and
  gives every marked-content id the element's own page. But text and links interleave in a
  paragraph, and Chromium marks a paragraph that runs over a page break with ids on each page it
  runs over. :class:`StructTree` keeps each element's content as the PDF orders it, pages included.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

import pdfplumber
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTPage
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.structure import PDFStructElement, PDFStructTree, StructTreeMissing
from pdfplumber.utils import decode_text

__all__ = ["Glyph", "StructTree", "StructTreeMissing", "layout", "open_pdf", "page_glyphs", "spelled_out"]

# The parsers log what they repair in a damaged file, which Python prints on stderr; the person
# building a guide needs the one line the reader gives instead.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

#: Ligature characters some fonts map their joined glyphs to ("ﬁ"), spelled out.
LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}


#: What pdfminer writes for a glyph its font maps to no character ("(cid:127)"): nothing a listener could hear.
UNMAPPED = re.compile(r"\(cid:\d+\)")
#: Such a glyph opening a line, before its words, is a list's bullet drawn from a symbol font.
UNMAPPED_BULLET = re.compile(r"^(\s*)\(cid:\d+\)(?=\s)")


def spelled_out(text: str) -> str:
    """A line's text as its words: ligatures spelled out, glyphs of no character left out (or read as the
    bullet they stand for)."""
    text = "".join(LIGATURES.get(ch, ch) for ch in text)
    return UNMAPPED.sub("", UNMAPPED_BULLET.sub(r"\1•", text))


class Glyph(NamedTuple):
    """A character drawn on a page: the text it stands for, the marked content it is in, where it is."""

    page: int
    mcid: int | None
    x0: float
    x1: float
    baseline: float
    size: float
    text: str


def open_pdf(data: bytes):
    return pdfplumber.open(io.BytesIO(data))


def document_titles(pdf) -> Iterator[str]:
    """The titles the document gives itself: its info dictionary's, then its XMP metadata's dc:title."""
    title = pdf.metadata.get("Title")
    if isinstance(title, str):
        yield title
    yield _xmp_title(resolve1(pdf.doc.catalog.get("Metadata")))


def _xmp_title(stream) -> str:
    from lxml import etree

    if not isinstance(stream, PDFStream):
        return ""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(stream.get_data(), parser)
    except (etree.XMLSyntaxError, ValueError):
        return ""
    if root is None:
        return ""
    titles = root.xpath(
        "//dc:title//rdf:li/text()",
        namespaces={"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    )
    return str(titles[0]) if titles else ""


def document_language(pdf) -> str | None:
    language = resolve1(pdf.doc.catalog.get("Lang"))
    if not isinstance(language, (bytes, str)):
        return None
    return decode_text(language).strip() or None


class _Marks:
    """The marked content a page draws in, as a stack: whether it is an artifact (a running header,
    footer or page number, a browser's printed date and address), its marked-content id (MCID), and
    the /ActualText that stands for its glyphs (Chromium draws "fl" as one glyph, and a soft hyphen
    as a hyphen glyph whose actual text is U+00AD)."""

    marks: list[dict]
    artifact: bool
    mcid: int | None
    span: dict | None

    def begin_tag(self, tag, props=None) -> None:
        props = resolve1(props)
        props = props if isinstance(props, dict) else {}
        actual = resolve1(props.get("ActualText"))
        mcid = resolve1(props.get("MCID"))
        self.marks.append(
            {
                "artifact": tag.name == "Artifact",
                "mcid": mcid if isinstance(mcid, int) else None,
                "actual": decode_text(actual) if isinstance(actual, (bytes, str)) else None,
            }
        )
        self._take_stock()

    def end_tag(self) -> None:
        if self.marks:
            self.marks.pop()
        self._take_stock()

    def _take_stock(self) -> None:
        # Once a tag, not once a character: a page draws thousands of characters in a few hundred tags.
        self.artifact = any(mark["artifact"] for mark in self.marks)
        self.mcid = next((mark["mcid"] for mark in reversed(self.marks) if mark["mcid"] is not None), None)
        self.span = next((mark for mark in reversed(self.marks) if mark["actual"] is not None), None)

    def actual_text(self) -> str | None:
        """The text the span drawn in stands for: given once, with its first glyph; None outside such a span."""
        if self.span is None:
            return None
        text, self.span["actual"] = self.span["actual"], ""
        return text


class TaggedText(_Marks, PDFTextDevice):
    """A page's characters with their marked-content ids, artifacts left out.

    pdfplumber tags characters too, but with the innermost marked content only: after a nested span
    ends, the characters that follow lose their id. And a character's text, place and size are all a
    reader needs: pdfminer's layout objects would cost more than the page's parsing.
    """

    def __init__(self, pdf, page_number: int) -> None:
        super().__init__(pdf.rsrcmgr)
        self.page_number = page_number
        self.marks: list[dict] = []
        self.glyphs: list[Glyph] = []
        self._take_stock()

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        advance = font.char_width(cid) * fontsize * scaling  # as pdfminer's LTChar advances
        if self.artifact:
            return advance
        text = self.actual_text()
        if text is None:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = ""  # a glyph the font maps to no letter: nothing a listener could hear
            text = LIGATURES.get(text, text)
        a, _b, _c, d, e, f = matrix
        self.glyphs.append(
            Glyph(self.page_number, self.mcid, e, e + advance * a, f + rise * d, abs(fontsize * d), text)
        )
        return advance


class LaidOut(_Marks, PDFPageAggregator):
    """A page's text boxes and lines as pdfminer's layout analysis finds them, without artifacts and
    without rotated characters (side tabs, watermarks)."""

    def __init__(self, pdf, page_number: int) -> None:
        super().__init__(pdf.rsrcmgr, pageno=page_number, laparams=LAParams())
        self.marks = []
        self._take_stock()

    def render_char(self, *args, **kwargs) -> float:
        advance = super().render_char(*args, **kwargs)
        drawn = self.cur_item._objs  # pdfminer hands out the character it made only through its container
        last = drawn[-1]
        if self.artifact or (isinstance(last, LTChar) and _rotated(last)):
            drawn.pop()
        return advance


def _rotated(char: LTChar) -> bool:
    a, b, _c, d, _e, _f = char.matrix
    return a <= 0 or d <= 0 or abs(b) > 0.1 * abs(a)


def page_glyphs(pdf, page) -> list[Glyph]:
    """Every character of a page but its artifacts', in the order they are drawn."""
    device = TaggedText(pdf, page.page_number)
    PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    return device.glyphs


def layout(pdf, page) -> LTPage:
    device = LaidOut(pdf, page.page_number)
    PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    return device.get_result()


class StructTree(PDFStructTree):
    """pdfplumber's structure tree, each element keeping its content (/K) in the order the PDF gives."""

    def __init__(self, pdf) -> None:
        self.by_object: dict[int, PDFStructElement] = {}
        super().__init__(pdf)

    def _make_element(self, obj):
        # pdfplumber resolves each element's dictionary once (pdfminer caches objects), so the
        # dictionary's identity names the element wherever its parent refers to it.
        element, kids = super()._make_element(obj)
        element.kids = kids
        self.by_object[id(obj)] = element
        return element, kids

    def top(self) -> list[PDFStructElement]:
        return [element for _, element in self.contents(self.root.get("K"), None) if element is not None]

    def contents(self, kids, page: int | None) -> Iterator[tuple[tuple[int, int] | None, PDFStructElement | None]]:
        """An element's content in order: ``((page, mcid), None)`` for marked content, ``(None, child)``
        for a child element. Marked content in a form's own stream (/Stm) has ids of that stream's, not
        the page's, and is not given."""
        entries = kids if isinstance(kids, list) else [kids]
        for entry in entries:
            obj = resolve1(entry)
            if isinstance(obj, int):
                if page is not None:
                    yield (page, obj), None
            elif isinstance(obj, dict) and "MCID" in obj:
                on, mcid = self.page_of(obj) or page, resolve1(obj["MCID"])
                if on is not None and "Stm" not in obj and isinstance(mcid, int):
                    yield (on, mcid), None
            elif isinstance(obj, dict) and id(obj) in self.by_object:
                yield None, self.by_object[id(obj)]

    def element_contents(self, element: PDFStructElement, page: int | None):
        """An element's content; marked content without a page of its own is on its element's page, or its parent's."""
        return self.contents(getattr(element, "kids", []), element.page_number or page)

    def page_of(self, obj: dict) -> int | None:
        page = obj.get("Pg")
        return self.page_dict.get(getattr(page, "objid", None)) if self.page_dict else None
