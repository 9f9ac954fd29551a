"""PDF documents with a text layer, read with pdfminer.six's layout analysis.

Headings are found by their size and weight, running headers, footers and page numbers are
removed, words hyphenated at line ends are joined, and two columns are read one after the other.
A PDF without text (a scan) is refused: it needs OCR first.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace

from ..errors import InputError
from .base import ReadRequest, Script
from .blocks import LIST_ITEM, SENTENCE_END, Block, BlockKind, looks_like_heading
from .html import script_from_blocks
from .plain import is_list, list_items

#: Type this much larger than the body's marks a heading.
LARGER = 1.15
#: Running headers and footers live in this share of the page at its top and bottom.
MARGIN = 0.09
#: A box wider than this share of the page spans its columns.
SPANNING = 0.55
PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—(]?\s*#\s*[-–—)]?(?:\s*(?:of|/)\s*#)?$", re.IGNORECASE)
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
GUESSED = "heading found by its type size and weight in the PDF: check it starts a part"


@dataclass(frozen=True)
class _Line:
    page: int
    text: str
    size: float
    bold: bool
    top: float
    """Distance from the top of the page, as a share of its height."""
    alone: bool
    """The only line of its text box."""


class PdfReader:
    name = "PDF document"
    suffixes = (".pdf",)

    def recognises(self, data: bytes) -> bool:
        return b"%PDF-" in data[:1024]

    def read(self, data: bytes, request: ReadRequest) -> Script:
        boxes, empty_pages, pages = _layout(data, request.path)
        if not any(boxes):
            raise InputError(
                f"{request.path}: a PDF without text (a scan or a picture of the pages); run OCR on it first "
                "(most scanners' software can save a searchable PDF) and build that"
            )
        lines = _without_running_lines([line for box in boxes for line in box], pages)
        kept = {id(line) for line in lines}
        blocks = _blocks([[line for line in box if id(line) in kept] for box in boxes])
        if empty_pages:
            first = blocks[0]
            doubt = f"page {', '.join(map(str, empty_pages))} of the PDF has no text (a scanned page?) and is not read"
            blocks[0] = first.noted(doubt)
        return script_from_blocks(request, blocks)


def _layout(data: bytes, path) -> tuple[list[list[_Line]], list[int], int]:
    """Text boxes in reading order, each a list of lines; the pages without text; the page count."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextBox
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    boxes: list[list[_Line]] = []
    empty_pages = []
    page_count = 0
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), start=1):
            page_count = number
            found = [element for element in page if isinstance(element, LTTextBox) and element.get_text().strip()]
            if not found:
                empty_pages.append(number)
            for box in _reading_order(found, page.width):
                lines = []
                for line in box:
                    chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                    text = " ".join(line.get_text().split())
                    if not chars or not text:
                        continue
                    size = statistics.median(round(c.size * 2) / 2 for c in chars)
                    bold = sum(bool(BOLD_FONT.search(c.fontname)) for c in chars) > len(chars) / 2
                    top = (page.height - line.y1) / page.height
                    lines.append(_Line(number, text, size, bold, top, alone=False))
                if len(lines) == 1:
                    lines = [replace(lines[0], alone=True)]
                boxes.append(lines)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{path}: the PDF is locked with a password; save an unlocked copy and build that") from None
    except (PDFSyntaxError, PSException, ValueError, TypeError, KeyError) as error:
        raise InputError(f"{path}: a damaged PDF ({error}); save it again or export the text") from None
    return boxes, empty_pages, page_count


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


def _without_running_lines(lines: list[_Line], pages: int) -> list[_Line]:
    """Page numbers, and lines in the margins that come again on other pages, are not the guide."""

    def shape(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    in_margin = [line for line in lines if line.top < MARGIN or line.top > 1 - MARGIN]
    pages_with = Counter(text for text, _ in {(shape(line), line.page) for line in in_margin})
    running = {text for text, count in pages_with.items() if count >= 2}
    return [
        line
        for line in lines
        if not (PAGE_NUMBER.match(shape(line)) and (line.top < MARGIN or line.top > 1 - MARGIN))
        and not (shape(line) in running and (line.top < MARGIN or line.top > 1 - MARGIN))
    ]


def _blocks(boxes: list[list[_Line]]) -> list[Block]:
    lines = [line for box in boxes for line in box]
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted({line.size for line in lines if line.size >= body * LARGER}, reverse=True)
    whole_text = " ".join(line.text for line in lines)
    blocks: list[Block] = []
    for box in boxes:
        paragraph: list[_Line] = []
        for line in box:
            larger = line.size >= body * LARGER
            if looks_like_heading(line.text) and (larger or (line.bold and line.alone)):
                _add_paragraph(blocks, paragraph, whole_text)
                paragraph = []
                level = 2 + heading_sizes.index(line.size) if larger else 2 + len(heading_sizes)
                blocks.append(Block(BlockKind.HEADING, line.text, level=min(level, 6), doubt=GUESSED))
            else:
                paragraph.append(line)
        _add_paragraph(blocks, paragraph, whole_text)
    first = next((b for b in blocks if b.kind is BlockKind.HEADING), None)
    largest = [b for b in blocks if b.kind is BlockKind.HEADING and b.level == 2]
    if first is not None and first is blocks[0] and len(largest) == 1 and len(heading_sizes) > 1:
        blocks[0] = Block(BlockKind.HEADING, first.text, level=1)  # the one line in the largest type: the title
    return blocks


def _add_paragraph(blocks: list[Block], lines: list[_Line], whole_text: str) -> None:
    if not lines:
        return
    texts = [line.text for line in lines]
    if all(LIST_ITEM.match(text) for text in texts) or is_list(texts):
        blocks.extend(Block(BlockKind.ITEM, item) for item in list_items(_unhyphenated(texts, whole_text)))
        return
    text = " ".join(_unhyphenated(texts, whole_text))
    previous = blocks[-1] if blocks else None
    if (
        previous is not None
        and previous.kind is BlockKind.PARAGRAPH
        and not previous.text.endswith(SENTENCE_END)
        and text[:1].islower()
    ):
        # A sentence that runs on over a page or column break.
        blocks[-1] = Block(BlockKind.PARAGRAPH, f"{previous.text} {text}")
    else:
        blocks.append(Block(BlockKind.PARAGRAPH, text))


def _unhyphenated(texts: list[str], whole_text: str) -> list[str]:
    """Lines with words broken at their ends by a hyphen put back together.

    A lower-case continuation joins without the hyphen ("medi-" "cation"), unless the document
    writes that word with its hyphen elsewhere ("follow-up").
    """
    joined = [texts[0]]
    for text in texts[1:]:
        before = re.search(r"(\w+)-$", joined[-1])
        after = re.match(r"([a-z]\w*)", text)
        if before and after and not LIST_ITEM.match(text):
            hyphenated = f"{before.group(1)}-{after.group(1)}"
            keep = hyphenated in whole_text.replace(f"{before.group(1)}- {after.group(1)}", "")
            joined[-1] = joined[-1][:-1] + ("-" if keep else "") + text
        else:
            joined.append(text)
    return joined
