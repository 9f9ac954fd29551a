"""The EPUB 3 talking book: the guide's pages in large print, each sentence highlighted as it is read.

One XHTML page per chapter holds the page text (never the respelled spoken text), every sentence
an element with an id; one SMIL media overlay per chapter plays the chapter's own audio file
sentence by sentence (EPUB 3.3 Media Overlays), so Thorium, Apple Books and EasyReader show and
highlight each sentence as it is heard and move through the book by heading.

The book is written with lxml (which escapes every character and never writes a named entity such
as ``&nbsp;``, which EPUBCheck refuses) and :mod:`zipfile`, not an EPUB library: none that was
considered writes media overlays, and a book must come out byte for byte the same from the same
input, which needs fixed zip entry times, order and attributes. ``mimetype`` is the first entry,
stored; the audio is stored too (it does not compress), so readers can seek in it.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import zipfile
from pathlib import Path

from lxml import etree
from lxml.builder import ElementMaker

from ..build.types import BuildResult
from ..errors import InputError, OutputError
from ..files import temp_path_for
from ..settings import AudioFormat
from .base import PackageFiles
from .book import (
    XHTML_NS,
    Book,
    BookChapter,
    book_audio,
    check_book,
    clock,
    milliseconds,
    modified_time,
    outline,
    page_elements,
    played_spans,
    timecount,
    write_book,
)

#: The interface words a book needs in its language (:attr:`Book.words`).
WORDS = ("contents", "landmarks", "start", "part_of", "accessibility_summary")
#: The classes a reading system puts on the sentence being read, and on the page while it plays. These
#: are the names Readium (Thorium) uses when a book names none, so older readers highlight the same.
ACTIVE_CLASS = "-epub-media-overlay-active"
PLAYING_CLASS = "-epub-media-overlay-playing"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
#: What the book offers (schema.org accessibilityFeature). Not "largePrint": that names a fixed large
#: type, and this book's type is as large as the reader makes it ("displayTransformability").
FEATURES = (
    "synchronizedAudioText",
    "structuralNavigation",
    "tableOfContents",
    "readingOrder",
    "displayTransformability",
)

OPS_NS = "http://www.idpf.org/2007/ops"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
SMIL_NS = "http://www.w3.org/ns/SMIL"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS_NS}}}type"

ROOT = "EPUB"
PACKAGE_DOCUMENT = "package.opf"
NAV_DOCUMENT = "nav.xhtml"
STYLESHEET = "style.css"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

#: Large print that gives way to the reader: sizes in em and no colour on the text or the page, so a
#: reading app's own font, size, spacing and theme win; light and dark schemes; the sentence being read
#: marked with the system's own highlight colours where the reading system has them.
STYLE = f"""@charset "utf-8";
:root {{ color-scheme: light dark; }}
body {{ font-family: Verdana, "Atkinson Hyperlegible", "DejaVu Sans", Tahoma, sans-serif; font-size: 1.35em;
  line-height: 1.6; margin: 0 0.5em; overflow-wrap: break-word; text-align: start; hyphens: manual; }}
h1, h2, h3, h4, h5, h6 {{ line-height: 1.3; margin: 1.3em 0 0.6em; }}
h1 {{ font-size: 1.6em; margin-top: 0.6em; }}
h2 {{ font-size: 1.35em; }}
h3 {{ font-size: 1.2em; }}
h4, h5, h6 {{ font-size: 1.1em; }}
p, li {{ margin: 0 0 0.9em; }}
ol, ul {{ margin: 0 0 1em; padding-inline-start: 1.4em; }}
ol.numbered {{ list-style: none; padding-inline-start: 0; }}
.number {{ font-weight: bold; }}
table {{ border-collapse: collapse; width: 100%; margin: 0 0 1.2em; }}
th, td {{ border: 0.08em solid; padding: 0.35em 0.45em; text-align: start; vertical-align: top; }}
td {{ overflow-wrap: anywhere; hyphens: auto; }}
nav ol {{ list-style: none; padding-inline-start: 1em; }}
nav > ol {{ padding-inline-start: 0; }}
.{ACTIVE_CLASS} {{ background-color: #ffe14d; color: #000; background-color: Mark; color: MarkText;
  border-radius: 0.2em; box-shadow: 0 0 0 0.15em #ffe14d; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; }}
.{PLAYING_CLASS} .{ACTIVE_CLASS} {{ text-decoration: underline 0.1em; text-underline-offset: 0.25em; }}
@media (prefers-color-scheme: dark) {{
  /* A yellow block glares on a dark page for eyes that are sensitive to light: dark amber instead. */
  .{ACTIVE_CLASS} {{ background-color: #4a3b00; color: #fff; box-shadow: 0 0 0 0.15em #4a3b00;
    outline: 0.1em solid #ffd23f; }}
}}
@media (forced-colors: active) {{
  .{ACTIVE_CLASS} {{ background-color: Highlight; color: HighlightText; box-shadow: none; }}
}}
"""


def write_epub(book: Book, target: Path) -> None:
    """Write ``book`` as an EPUB 3 talking book at ``target``; an identical book already there is left alone.

    The book is written beside ``target`` under a temporary name and renamed over it when complete,
    so a reader never opens half a book, and a rebuild that changes nothing keeps the file (and its
    time stamp) as it was.
    """
    check_book(book)
    missing = [word for word in WORDS if not book.words.get(word)]
    if missing:
        raise InputError(f"the book's interface words lack {', '.join(missing)}")
    try:
        book.words["part_of"].format(number=1, total=1)
    except (KeyError, IndexError, ValueError):
        raise InputError(
            f"the book's words: part_of {book.words['part_of']!r} takes {{number}} and {{total}}"
        ) from None
    audio = [_audio_kind(chapter.audio) for chapter in book.chapters]
    temp = temp_path_for(target)
    try:
        _write_zip(book, audio, temp)
        if target.is_file() and filecmp.cmp(temp, target, shallow=False):
            return
        os.replace(temp, target)
    except OSError as error:
        raise OutputError(f"could not write the EPUB {target}: {error.strerror or error}") from error
    finally:
        temp.unlink(missing_ok=True)


def _audio_kind(path: Path) -> tuple[str, str]:
    """The media type and file extension of a chapter's audio, told from its first bytes, not its name
    (an MP3 starts with its tags or a frame's sync bits, an MP4 with its ``ftyp`` box)."""
    with open(path, "rb") as audio:
        start = audio.read(12)
    if start.startswith(b"ID3") or (len(start) > 1 and start[0] == 0xFF and start[1] & 0xE0 == 0xE0):
        return "audio/mpeg", ".mp3"
    if start[4:8] == b"ftyp":
        return "audio/mp4", ".m4a"
    raise InputError(f"the chapter audio {path} is neither MP3 nor M4A, the audio EPUB readers play")


def _names(book: Book, audio: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Each chapter's page, overlay and audio file names inside the EPUB folder."""
    width = max(2, len(str(len(book.chapters))))
    names = []
    for index, (_, extension) in enumerate(audio, start=1):
        stem = f"part-{index:0{width}d}"
        names.append((f"{stem}.xhtml", f"{stem}.smil", f"audio/{stem}{extension}"))
    return names


def _write_zip(book: Book, audio: list[tuple[str, str]], path: Path) -> None:
    names = _names(book, audio)
    when = modified_time(book)
    moment = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(path, "w") as archive:

        def add(name: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED) -> None:
            archive.writestr(_entry(name, moment, compress), data)

        add("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        add("META-INF/container.xml", _container())
        add(f"{ROOT}/{PACKAGE_DOCUMENT}", _package_document(book, names, audio))
        add(f"{ROOT}/{NAV_DOCUMENT}", _nav_document(book, names))
        add(f"{ROOT}/{STYLESHEET}", STYLE.encode("utf-8"))
        for chapter, (page, overlay, sound) in zip(book.chapters, names, strict=True):
            add(f"{ROOT}/{page}", _page(book, chapter))
            add(f"{ROOT}/{overlay}", _overlay(chapter, page, sound))
            entry = _entry(f"{ROOT}/{sound}", moment, zipfile.ZIP_STORED)
            entry.file_size = chapter.audio.stat().st_size
            with open(chapter.audio, "rb") as source, archive.open(entry, "w") as out:
                shutil.copyfileobj(source, out, 1 << 20)


def _entry(name: str, moment: tuple[int, int, int, int, int, int], compress: int) -> zipfile.ZipInfo:
    """A zip entry whose every field comes from the book, never from the clock or the platform."""
    entry = zipfile.ZipInfo(name, date_time=moment)
    entry.compress_type = compress
    entry.create_system = 3
    entry.external_attr = 0o100644 << 16
    return entry


def _xml(root: etree._Element, doctype: bytes = b"") -> bytes:
    return XML_DECLARATION + doctype + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _container() -> bytes:
    maker = ElementMaker(namespace=CONTAINER_NS, nsmap={None: CONTAINER_NS})
    root_file = maker.rootfile(
        {"full-path": f"{ROOT}/{PACKAGE_DOCUMENT}", "media-type": "application/oebps-package+xml"}
    )
    return _xml(maker.container(maker.rootfiles(root_file), version="1.0"))


def _package_document(book: Book, names: list[tuple[str, str, str]], audio: list[tuple[str, str]]) -> bytes:
    opf = ElementMaker(namespace=OPF_NS, nsmap={None: OPF_NS, "dc": DC_NS})
    dc = ElementMaker(namespace=DC_NS)
    durations = [milliseconds(chapter.seconds) for chapter in book.chapters]
    metadata = opf.metadata(
        dc.identifier(book.identifier, id="book-id"),
        dc.title(book.title),
        dc.language(book.language),
    )
    if book.author:
        metadata.append(dc.creator(book.author))
    if book.publisher:
        metadata.append(dc.publisher(book.publisher))

    def meta(prop: str, value: str, **attributes: str) -> None:
        metadata.append(opf.meta(value, property=prop, **attributes))

    meta("dcterms:modified", book.modified)
    meta("media:duration", clock(sum(durations)))
    for index, duration in enumerate(durations, start=1):
        meta("media:duration", clock(duration), refines=f"#overlay-{index}")
    meta("media:narrator", book.narrator)
    meta("media:active-class", ACTIVE_CLASS)
    meta("media:playback-active-class", PLAYING_CLASS)
    for mode in ("textual", "auditory"):
        meta("schema:accessMode", mode)
    # Every word is on the page and every word is read aloud: either alone is enough.
    for mode in ("textual", "auditory"):
        meta("schema:accessModeSufficient", mode)
    for feature in FEATURES:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", book.words["accessibility_summary"])
    if book.certified_by:
        meta("dcterms:conformsTo", CONFORMANCE, id="conformance")
        meta("a11y:certifiedBy", book.certified_by, refines="#conformance")

    manifest = opf.manifest(
        opf.item(id="nav", href=NAV_DOCUMENT, properties="nav", **{"media-type": "application/xhtml+xml"}),
        opf.item(id="style", href=STYLESHEET, **{"media-type": "text/css"}),
    )
    spine = opf.spine()
    for index, ((page, overlay, sound), (media_type, _)) in enumerate(zip(names, audio, strict=True), start=1):
        page_types = {"media-type": "application/xhtml+xml", "media-overlay": f"overlay-{index}"}
        manifest.append(opf.item(page_types, id=f"page-{index}", href=page))
        manifest.append(opf.item(id=f"overlay-{index}", href=overlay, **{"media-type": "application/smil+xml"}))
        manifest.append(opf.item(id=f"audio-{index}", href=sound, **{"media-type": media_type}))
        spine.append(opf.itemref(idref=f"page-{index}"))
    package = opf.package(metadata, manifest, spine, version="3.0", **{"unique-identifier": "book-id"})
    package.set(XML_LANG, book.language)
    return _xml(package)


def _xhtml_document(book: Book, title: str, *body: etree._Element) -> bytes:
    html = ElementMaker(namespace=XHTML_NS, nsmap={None: XHTML_NS, "epub": OPS_NS})
    document = html.html(
        html.head(
            html.meta(charset="utf-8"),
            html.title(title),
            html.link(rel="stylesheet", type="text/css", href=STYLESHEET),
        ),
        html.body(*body),
        lang=book.language,
    )
    document.set(XML_LANG, book.language)
    return _xml(document, b"<!DOCTYPE html>\n")


def _page(book: Book, chapter: BookChapter) -> bytes:
    html = ElementMaker(namespace=XHTML_NS)
    part = book.words["part_of"].format(number=chapter.number, total=len(book.chapters))
    section = html.section(*page_elements(chapter), role="doc-chapter", **{"aria-labelledby": chapter.heading.id})
    section.set(EPUB_TYPE, "chapter")
    return _xhtml_document(book, f"{part}: {chapter.title}", section)


def _overlay(chapter: BookChapter, page: str, sound: str) -> bytes:
    smil = ElementMaker(namespace=SMIL_NS, nsmap={None: SMIL_NS, "epub": OPS_NS})
    body = smil.body(**{f"{{{OPS_NS}}}textref": page})
    for clip, begin, end in played_spans(chapter):
        body.append(
            smil.par(
                smil.text(src=f"{page}#{clip.id}"),
                smil.audio(src=sound, clipBegin=timecount(begin), clipEnd=timecount(end)),
                id=f"par-{clip.id}",
            )
        )
    return _xml(smil.smil(body, version="3.0"))


def _nav_document(book: Book, names: list[tuple[str, str, str]]) -> bytes:
    """The table of contents: every chapter in playing order, its sub-headings nested under it.

    The landmarks name only where the book starts: a link to the navigation document itself is
    refused by EPUBCheck, as that document is not in the reading order.
    """
    html = ElementMaker(namespace=XHTML_NS)
    contents = html.ol()
    for chapter, (page, _, _) in zip(book.chapters, names, strict=True):
        # Ranks never skip, so an entry's parent is the latest entry one rank above it.
        latest: dict[int, etree._Element] = {}
        for rank, target, text in outline(chapter):
            item = html.li(html.a(text, href=page if rank == 1 else f"{page}#{target}"))
            if rank == 1:
                contents.append(item)
            else:
                parent = latest[rank - 1]
                children = parent.find(f"{{{XHTML_NS}}}ol")
                if children is None:
                    children = etree.SubElement(parent, f"{{{XHTML_NS}}}ol")
                children.append(item)
            latest[rank] = item
    toc = html.nav(html.h2(book.words["contents"], id="contents"), contents, id="toc", role="doc-toc")
    toc.set("aria-labelledby", "contents")
    toc.set(EPUB_TYPE, "toc")
    start = html.a(book.words["start"], href=names[0][0])
    start.set(EPUB_TYPE, "bodymatter")
    landmarks = html.nav(html.h2(book.words["landmarks"]), html.ol(html.li(start)), hidden="hidden")
    landmarks.set(EPUB_TYPE, "landmarks")
    heading = [html.h1(book.title)]
    if book.author:
        heading.append(html.p(book.author))
    return _xhtml_document(book, book.title, *heading, toc, landmarks)


class Epub:
    """``<guide-slug>.epub``: the talking book reading apps open (``--no-epub`` leaves it out)."""

    name = "epub"
    alongside = True

    def files(self, result: BuildResult) -> list[str]:
        return [f"{result.guide.slug}.epub"] if result.settings.epub else []

    def write(self, result: BuildResult, files: PackageFiles) -> dict:
        if not result.settings.epub:
            return {}
        audio = book_audio(result, (AudioFormat.MP3, AudioFormat.M4A, AudioFormat.M4B))
        return write_book(result, files, f"{result.guide.slug}.epub", write_epub, audio, __name__)


OUTPUT = Epub()
