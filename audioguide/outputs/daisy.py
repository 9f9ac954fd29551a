"""The DAISY 2.02 talking book, for the players low-vision listeners carry (Victor Reader Stream, NLS players).

A full-text, full-audio book ("audioFullText"): ``ncc.html``, the navigation centre, holds the
book's metadata and every heading, each linking to its place in a SMIL file; one SMIL 1.0 file per
chapter plays the chapter's MP3 sentence by sentence, each sentence pointing at its element in
``content.html``, the page text. DAISY 2.02 has no validator to install; the tests check its rules
(every reference resolves, clips lie within their audio and add up to ``ncc:totalTime``, headings
never skip a level).
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

from lxml import etree
from lxml.builder import ElementMaker
from mutagen.mp3 import MP3, BitrateMode

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
    open_audio,
    outline,
    page_elements,
    played_spans,
    timecount,
    write_book,
)

#: The book's folder in the package.
FOLDER = "daisy"
NCC = "ncc.html"
CONTENT = "content.html"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
XHTML_DOCTYPE = (
    b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
)
SMIL_DOCTYPE = b'<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">\n'


def write_daisy(book: Book, folder: Path) -> list[str]:
    """Write ``book`` as a DAISY 2.02 book in ``folder``; return the names of the files written.

    The book is made in a temporary folder beside ``folder`` and swapped in when complete. A book
    identical to the one already there is left alone (its files keep their time stamps, so a copy
    to a player finds nothing new) and nothing is returned. The chapter MP3s are hard-linked
    where the file system allows it, else copied.
    """
    check_book(book)
    for chapter in book.chapters:
        _check_mp3(chapter.audio)
    temp = temp_path_for(folder)
    try:
        shutil.rmtree(temp, ignore_errors=True)
        temp.mkdir(parents=True)
        written = _write_files(book, temp)
        if _same_files(temp, folder, written):
            return []
        _swap_in(temp, folder)
        return written
    except OSError as error:
        raise OutputError(f"could not write the DAISY book in {folder}: {error.strerror or error}") from error
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _check_mp3(path: Path) -> None:
    audio = open_audio(path)
    if not isinstance(audio, MP3):
        raise InputError(f"the chapter audio {path} is not MP3, the only audio DAISY 2.02 players play")
    if audio.info is not None and audio.info.bitrate_mode in (BitrateMode.VBR, BitrateMode.ABR):
        raise InputError(f"the chapter audio {path} has a variable bit rate; DAISY 2.02 players need a constant one")


def _names(book: Book) -> list[tuple[str, str]]:
    """Each chapter's SMIL and MP3 file names: short, lower-case ASCII, as old players want."""
    width = max(2, len(str(len(book.chapters))))
    return [(f"part{index:0{width}d}.smil", f"part{index:0{width}d}.mp3") for index in range(1, len(book.chapters) + 1)]


def _write_files(book: Book, folder: Path) -> list[str]:
    names = _names(book)
    files = {NCC: _ncc(book, names), CONTENT: _content(book)}
    elapsed = 0
    for chapter, (smil, sound) in zip(book.chapters, names, strict=True):
        files[smil] = _smil(book, chapter, sound, elapsed)
        elapsed += milliseconds(chapter.seconds)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    for chapter, (_, sound) in zip(book.chapters, names, strict=True):
        try:
            os.link(chapter.audio, folder / sound)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(chapter.audio, folder / sound)
    return [*files, *(sound for _, sound in names)]


def _same_files(new: Path, old: Path, names: list[str]) -> bool:
    if not old.is_dir() or sorted(path.name for path in old.iterdir()) != sorted(names):
        return False
    return all(filecmp.cmp(new / name, old / name, shallow=False) for name in names)


def _swap_in(new: Path, folder: Path) -> None:
    """Put the folder ``new`` in the place of ``folder``, the old book out of the way first."""
    if folder.exists():
        old = temp_path_for(folder.with_name(f"old-{folder.name}"))
        os.replace(folder, old)
        os.replace(new, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, folder)


def _document(root: etree._Element, doctype: bytes) -> bytes:
    return XML_DECLARATION + doctype + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _html(book: Book, head: list[etree._Element], body: list[etree._Element]) -> bytes:
    html = ElementMaker(namespace=XHTML_NS, nsmap={None: XHTML_NS})
    content_type = html.meta({"http-equiv": "Content-type", "content": "text/html; charset=utf-8"})
    document = html.html(html.head(content_type, html.title(book.title), *head), html.body(*body), lang=book.language)
    document.set(XML_LANG, book.language)
    return _document(document, XHTML_DOCTYPE)


def _ncc(book: Book, names: list[tuple[str, str]]) -> bytes:
    """The navigation centre: the book's metadata, then its title and every heading, each a link into a SMIL.

    DAISY 2.02 wants the book's title first, as ``h1 class="title"``; with no audio of its own, it
    leads where the book starts, to the first chapter's heading, which has its own entry after it.
    """
    html = ElementMaker(namespace=XHTML_NS)
    first_smil = names[0][0]
    title_link = html.a(book.title, href=f"{first_smil}#par-{book.chapters[0].heading.id}")
    entries = [html.h1(title_link, {"class": "title", "id": "book-title"})]
    depth = 1
    for chapter, (smil, _) in zip(book.chapters, names, strict=True):
        for rank, target, text in outline(chapter):
            entries.append(html(f"h{rank}", html.a(text, href=f"{smil}#par-{target}"), id=f"ncc-{target}"))
            depth = max(depth, rank)
    day = modified_time(book).date().isoformat()
    metadata = {
        "dc:title": book.title,
        "dc:creator": book.author or book.publisher or book.generator,
        "dc:publisher": book.publisher or book.author or book.generator,
        "dc:date": day,
        "dc:format": "Daisy 2.02",
        "dc:identifier": book.identifier,
        "dc:language": book.language,
        "ncc:charset": "utf-8",
        "ncc:generator": book.generator,
        "ncc:producedDate": day,
        "ncc:multimediaType": "audioFullText",
        "ncc:narrator": book.narrator,
        "ncc:totalTime": clock(sum(milliseconds(chapter.seconds) for chapter in book.chapters)),
        "ncc:tocItems": str(len(entries)),
        "ncc:depth": str(depth),
        "ncc:files": str(2 + 2 * len(book.chapters)),
        # A guide made from a document, not a printed book: no print pages, notes or sidebars.
        "ncc:maxPageNormal": "0",
        "ncc:pageNormal": "0",
        "ncc:pageFront": "0",
        "ncc:pageSpecial": "0",
        "ncc:footnotes": "0",
        "ncc:sidebars": "0",
        "ncc:prodNotes": "0",
        "ncc:setInfo": "1 of 1",
    }
    dates = ("dc:date", "ncc:producedDate")
    head = [
        html.meta(name=name, content=value, **({"scheme": "yyyy-mm-dd"} if name in dates else {}))
        for name, value in metadata.items()
    ]
    return _html(book, head, entries)


def _content(book: Book) -> bytes:
    """The page text of every chapter, the sentences the SMIL files point at."""
    html = ElementMaker(namespace=XHTML_NS)
    body = [html.h1(book.title, {"class": "title"})]
    for chapter in book.chapters:
        body += page_elements(chapter)
    # Numbered items show their numbers as written ("a)"), so the list's own markers would repeat them.
    return _html(book, [html.style("ol.numbered { list-style-type: none; }", type="text/css")], body)


def _smil(book: Book, chapter: BookChapter, sound: str, elapsed: int) -> bytes:
    """One chapter's SMIL 1.0 file: a ``par`` per sentence, its text in content.html, its clip of the MP3."""
    smil = ElementMaker()
    duration = milliseconds(chapter.seconds)
    sequence = smil.seq(dur=timecount(duration))
    for clip, begin, end in played_spans(chapter):
        text = smil.text(src=f"{CONTENT}#{clip.id}", id=f"text-{clip.id}")
        clip_times = {"clip-begin": f"npt={timecount(begin)}", "clip-end": f"npt={timecount(end)}"}
        audio = smil.audio(clip_times, src=sound, id=f"audio-{clip.id}")
        sequence.append(smil.par(text, audio, endsync="last", id=f"par-{clip.id}"))
    metadata = {
        "dc:format": "Daisy 2.02",
        "dc:title": chapter.title,
        "dc:identifier": book.identifier,
        "ncc:generator": book.generator,
        "ncc:totalElapsedTime": clock(elapsed),
        "ncc:timeInThisSmil": clock(duration),
    }
    head = smil.head(*(smil.meta(name=name, content=value) for name, value in metadata.items()))
    head.append(smil.layout(smil.region(id="txtView")))
    return _document(smil.smil(head, smil.body(sequence)), SMIL_DOCTYPE)


class Daisy:
    """``daisy/``: the DAISY 2.02 book that talking-book players read (with ``--daisy``)."""

    name = "daisy"
    alongside = True

    def files(self, result: BuildResult) -> list[str]:
        return [FOLDER] if result.settings.daisy else []

    def write(self, result: BuildResult, files: PackageFiles) -> dict:
        if not result.settings.daisy:
            return {}
        return write_book(result, files, FOLDER, write_daisy, book_audio(result, (AudioFormat.MP3,)), __name__)


OUTPUT = Daisy()
