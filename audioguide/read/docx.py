"""Word documents (.docx), read through mammoth's HTML, the way the web page reader reads a page.

Headings come from Word's heading styles, the title from the Title style (else the first heading,
else the title in the document's properties). Where the typist used no heading styles, short lines
of their own in bold or larger type are taken as headings; where the headings of one level are all
questions (a leaflet of questions and answers), a question typed in bold without a style is one of
them (the proof says which were guessed). Lists keep their numbers, tables are read row by row,
footnotes are read at the end of their chapter, and headers, footers and page numbers are not read.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter

from ..errors import InputError
from ..languages import DEFAULT, Language, detect_language, get_language
from .base import ReadRequest, Script, metadata_title
from .blocks import Block, BlockKind, looks_like_heading
from .html import BlockWalker, parse, script_from_blocks

#: A .docx unpacked larger than this is no leaflet: a zip bomb, or not a guide.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: Type this much larger than the body's (or bold at any size) marks a line as a heading.
LARGER = 1.15
#: Word's body text size when a document does not say (points).
WORD_DEFAULT_SIZE = 11
GUESSED = "heading found by its bold or larger type (Word gave it no heading style): check it starts a part"


class DocxReader:
    name = "Word document"
    suffixes = (".docx",)

    def recognises(self, data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            return "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return False

    def read(self, data: bytes, request: ReadRequest) -> Script:
        path = request.path
        _refuse_bombs(data, path)
        html, guessed = _to_html(data, path)
        root = parse(f"<html><body>{html}</body></html>", path)
        # Notes are announced in the document's language ("Note 1", "Nota 1").
        words = get_language(detect_language(root.text_content()) or DEFAULT)
        notes = _take_notes(root, words)
        walker = BlockWalker()
        walker.walk(root.find("body"))
        blocks = walker.finish()
        referring = {note: blocks[index] for note, index in walker.note_refs.items() if index < len(blocks)}
        blocks = [block.noted(GUESSED) if block.text in guessed else block for block in blocks]
        script = script_from_blocks(request, blocks, fallback_title=_core_title(data))
        script.blocks = _notes_at_chapter_ends(script.blocks, notes, referring)
        return script


def _refuse_bombs(data: bytes, path) -> None:
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise InputError(f"{path}: a damaged Word document; open it in Word and save it again") from None
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise InputError(f"{path}: unpacks to more than {MAX_UNPACKED_BYTES >> 20} MB, far beyond any leaflet; refused")


def _to_html(data: bytes, path) -> tuple[str, set[str]]:
    from xml.parsers.expat import ExpatError

    import mammoth
    from mammoth import documents

    guessed: set[str] = set()

    def transform(document):
        styled = [p for p in document.children if isinstance(p, documents.Paragraph)]
        if any(_style(p).startswith("heading") or _style(p) == "title" for p in styled):
            levels = _typed_questions(styled)
        else:
            levels = _typed_heading_levels(styled)
        guessed.update(_paragraph_text(p) for p in styled if id(p) in levels)
        children = [
            child.copy(style_name=f"Heading {levels[id(child)]}") if id(child) in levels else child
            for child in document.children
        ]
        return document.copy(children=children)

    try:
        with_title = b'w:val="Title"' in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
        # With a Title paragraph, Word's Heading 1 is a chapter, one level under the title.
        shift = 1 if with_title else 0
        style_map = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p:fresh\n" + "".join(
            f"p[style-name='Heading {n}'] => h{min(n + shift, 6)}:fresh\n" for n in range(1, 7)
        )
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=style_map, transform_document=transform)
    except (KeyError, ValueError, zipfile.BadZipFile, AttributeError, ExpatError) as error:
        raise InputError(f"{path}: this Word document could not be read ({error}); save it again from Word") from None
    return result.value, guessed


def _style(paragraph) -> str:
    return (paragraph.style_name or paragraph.style_id or "").lower()


def _paragraph_text(paragraph) -> str:
    from mammoth import documents

    pieces = []

    def visit(element) -> None:
        if isinstance(element, documents.Text):
            pieces.append(element.value)
        for child in getattr(element, "children", ()):
            visit(child)

    visit(paragraph)
    return " ".join("".join(pieces).split())


def _runs(paragraph) -> list:
    from mammoth import documents

    found = []

    def visit(element) -> None:
        if isinstance(element, documents.Run):
            if _paragraph_text(element):
                found.append(element)
            return
        for child in getattr(element, "children", ()):
            visit(child)

    visit(paragraph)
    return found


def _typed_heading_levels(paragraphs: list) -> dict[int, int]:
    """Headings a typist made with bold or larger type: ``id`` of the paragraph → level (1 is the title)."""
    sizes: Counter[float] = Counter()
    for paragraph in paragraphs:
        for run in _runs(paragraph):
            sizes[run.font_size or WORD_DEFAULT_SIZE] += len(_paragraph_text(run))
    body = sizes.most_common(1)[0][0] if sizes else WORD_DEFAULT_SIZE
    candidates: dict[int, float] = {}
    for paragraph in paragraphs:
        runs = _runs(paragraph)
        text = _paragraph_text(paragraph)
        if not runs or paragraph.numbering is not None or not looks_like_heading(text):
            continue
        size = max(run.font_size or body for run in runs)
        larger = size >= body * LARGER
        if larger or all(run.is_bold for run in runs):
            candidates[id(paragraph)] = size if larger else body
    ranks = sorted(set(candidates.values()), reverse=True)
    levels = {key: min(2 + ranks.index(size), 6) for key, size in candidates.items()}
    first = next((id(p) for p in paragraphs if _paragraph_text(p)), None)
    if first in candidates and list(candidates.values()).count(candidates[first]) == 1 and len(ranks) > 1:
        levels[first] = 1  # the first line, in the largest type and alone in it, is the title
    return levels


def _typed_questions(paragraphs: list) -> dict[int, int]:
    """Questions typed in bold without a style, in a document whose headings of one level are all questions:
    ``id`` of the paragraph → that level (Word's heading number; the shallowest such level)."""
    by_level: dict[int, list[str]] = {}
    for paragraph in paragraphs:
        style = _style(paragraph)
        if style.startswith("heading ") and style[8:].isdigit():
            by_level.setdefault(int(style[8:]), []).append(_paragraph_text(paragraph))
    questions = [level for level, texts in sorted(by_level.items()) if all(t.endswith("?") for t in texts)]
    if not questions:
        return {}
    return {
        id(paragraph): questions[0]
        for paragraph in paragraphs
        if not _style(paragraph).startswith(("heading", "title"))
        and paragraph.numbering is None
        and (runs := _runs(paragraph))
        and all(run.is_bold for run in runs)
        and (text := _paragraph_text(paragraph)).endswith("?")
        and looks_like_heading(text)
    }


def _core_title(data: bytes) -> str | None:
    """The title in the document's properties (File > Info in Word), None if it gives none that names it."""
    from lxml import etree

    try:
        core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")
        root = etree.fromstring(core, etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    title = root.findtext("{http://purl.org/dc/elements/1.1/}title") or ""
    return metadata_title(title) or None


def _take_notes(root, words: Language) -> dict[str, Block]:
    """Footnotes and endnotes out of the page, as blocks; each reference in the text says its number."""
    notes: dict[str, Block] = {}
    for number, item in enumerate(root.xpath("//li[starts-with(@id, 'footnote-') or starts-with(@id, 'endnote-')]")):
        for back in item.xpath(".//a[starts-with(@href, '#footnote-ref-') or starts-with(@href, '#endnote-ref-')]"):
            back.drop_tree()
        text = " ".join(item.text_content().split())
        notes[item.get("id")] = Block(BlockKind.PARAGRAPH, words.say("note", number=number + 1, text=text))
        parent = item.getparent()
        item.drop_tree()
        if parent is not None and not len(parent):
            parent.drop_tree()
    references = root.xpath("//a[starts-with(@href, '#footnote-') or starts-with(@href, '#endnote-')]")
    for number, ref in enumerate(references):
        ref.text = f" ({words.say('see_note', number=number + 1)})"
    return notes


def _notes_at_chapter_ends(blocks: list[Block], notes: dict[str, Block], referring: dict[str, Block]) -> list[Block]:
    """Each note after the last block of the chapter whose text refers to it."""
    if not notes:
        return blocks
    placed: list[Block] = []
    waiting: list[Block] = []
    by_block: dict[int, list[Block]] = {}
    for note_id, note in notes.items():
        block = referring.get(note_id)
        by_block.setdefault(id(block), []).append(note)
    unplaced = [note for key, group in by_block.items() for note in group if key not in {id(b) for b in blocks}]
    for block in blocks:
        if block.kind is BlockKind.HEADING and block.level <= 2:
            placed.extend(waiting)
            waiting = []
        placed.append(block)
        waiting.extend(by_block.get(id(block), []))
    return placed + waiting + unplaced
