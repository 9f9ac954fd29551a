"""A talking book as the book writers take it: page text in sentences, each timed in its chapter's audio.

The EPUB 3 and DAISY 2.02 writers read only these types, so a build (or a test) hands them a
:class:`Book` and nothing else. :func:`check_book` turns what no reading system could follow
(ids a player cannot point at, sentences out of order or past the end of their audio) into an
:class:`InputError` before a single file is written. :func:`played_spans` (which audio each
sentence is heard with), :func:`heading_ranks` and :func:`page_elements` (the page markup) are
decisions both books must make the same way, so they are made here once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import mutagen
from lxml import etree
from lxml.builder import ElementMaker

from .. import __version__
from ..build.keys import code_digest, digest
from ..build.types import BuildResult, Heard, Track
from ..engines import catalogue
from ..errors import InputError
from ..languages import get_language
from ..read import Block, BlockKind
from ..settings import AudioFormat
from ..speech.prepare import ANNOUNCEMENT
from .base import PackageFiles

BLOCK_KINDS = ("heading", "paragraph", "item", "row")
#: What an id in both books may look like: DAISY 2.02 (HTML 4 and SMIL 1.0) wants a letter first,
#: and ASCII keeps every player's parser happy.
ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")
#: The form EPUB requires for dcterms:modified.
MODIFIED_PATTERN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
XHTML_NS = "http://www.w3.org/1999/xhtml"
_XHTML = ElementMaker(namespace=XHTML_NS, nsmap={None: XHTML_NS})


@dataclass(frozen=True)
class Clip:
    id: str
    """The id of the element that holds this text in the book's pages: a letter first, unique in the book."""
    text: str
    """The page text (a sentence, or a whole table row as it is read), never the respelled spoken text."""
    begin: float
    """Where the text starts being heard in its chapter's audio file, in seconds."""
    end: float
    """Where the text stops being heard, in seconds."""


@dataclass(frozen=True)
class BookBlock:
    kind: str
    """"heading", "paragraph", "item" (of a list) or "row" (of a table)."""
    level: int
    """A heading's level: 2 is the chapter's own heading level, so sub-headings are 3 to 6; 0 for other blocks."""
    clips: tuple[Clip, ...]
    """The block's sentences in reading order; a table row has exactly one, the row as it is read."""
    cells: tuple[tuple[str, str], ...] = ()
    """A table row's (column header, cell text) pairs. Consecutive rows with the same headers make one table."""
    number: str = ""
    """A numbered list item's number as written ("1.", "a)"); "" for a bulleted item. No clip repeats it."""


@dataclass(frozen=True)
class BookChapter:
    number: int
    """The chapter's number, counted from 1, as the announcement says it."""
    title: str
    """The chapter's title as on the page."""
    heading: Clip
    """The announcement and title ("Part 2 of 6. Living with dry eyes."), heard first; its text is the title
    as on the page and its id is the chapter heading's."""
    blocks: tuple[BookBlock, ...]
    """The chapter's page text after its heading, in reading order."""
    audio: Path
    """The chapter's audio file: MP3, or AAC in an M4A file (the EPUB takes either; DAISY only MP3)."""
    seconds: float
    """The audio file's real duration, in seconds."""


@dataclass(frozen=True)
class Book:
    title: str
    """The guide's title."""
    author: str
    """Who wrote the guide; may be ""."""
    language: str
    """The book's BCP 47 language tag ("en-US", "es")."""
    identifier: str
    """A stable identifier, the same for every build of this guide ("urn:uuid:...")."""
    modified: str
    """When the book last changed, as "2026-12-07T10:00:00Z": given by the caller, so that a rebuild that
    changes nothing writes the same bytes."""
    narrator: str
    """The voice that reads the book ("eSpeak NG (en-us)")."""
    chapters: tuple[BookChapter, ...]
    """The chapters in playing order."""
    words: dict[str, str]
    """The book's interface words in its language: "contents", "landmarks", "start", "part_of" (with
    {number} and {total}) and "accessibility_summary" (see :data:`audioguide.outputs.epub.WORDS`)."""
    publisher: str = ""
    """Who hands the book out (the clinic); DAISY 2.02 requires a publisher, and the author stands in
    for a missing one."""
    generator: str = "audioguide"
    """The program (and version) that made the book, which DAISY 2.02 records."""
    certified_by: str = ""
    """Who evaluated the book against EPUB Accessibility 1.1 (WCAG 2.2 AA). The specification lets a
    book claim conformance only with the evaluator's name, so "" makes no claim."""


def check_book(book: Book) -> None:
    """Raise :class:`InputError` for anything in ``book`` that would make a book players cannot follow."""
    if not book.chapters:
        raise InputError(f"the book {book.title!r} has no chapters")
    modified_time(book)
    seen_ids: set[str] = set()
    for chapter in book.chapters:
        where = f"chapter {chapter.number} ({chapter.title})"
        for block in chapter.blocks:
            _check_block(block, where)
        for clip in reading_order(chapter):
            if not ID_PATTERN.match(clip.id):
                raise InputError(f"{where}: the id {clip.id!r} must be a letter then letters, digits, '-', '_' or '.'")
            if not clip.text.strip():
                raise InputError(f"{where}: the clip {clip.id!r} has no text")
            if clip.id in seen_ids:
                raise InputError(f"{where}: the id {clip.id!r} is used twice in the book")
            seen_ids.add(clip.id)
        played_spans(chapter)  # raises for timings out of order or past the audio


def modified_time(book: Book) -> datetime:
    """:attr:`Book.modified` as a time; zip files (and so EPUB) hold none before 1980."""
    try:
        moment = datetime.strptime(book.modified, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        moment = None
    if moment is None or not MODIFIED_PATTERN.match(book.modified) or moment.year < 1980:
        raise InputError(f"the book's modified time {book.modified!r} is not like 2026-12-07T10:00:00Z")
    return moment


def _check_block(block: BookBlock, where: str) -> None:
    if block.kind not in BLOCK_KINDS:
        raise InputError(f"{where}: a block of kind {block.kind!r} is not one of {', '.join(BLOCK_KINDS)}")
    if not block.clips:
        raise InputError(f"{where}: a {block.kind} has no text")
    if not (3 <= block.level <= 6 if block.kind == "heading" else block.level == 0):
        raise InputError(f"{where}: a {block.kind} has level {block.level}; sub-headings have 3 to 6, others 0")
    if block.kind == "row" and (len(block.clips) != 1 or not block.cells):
        raise InputError(f"{where}: a table row needs its cells and exactly one clip (the row as it is read)")
    if block.kind != "row" and block.cells:
        raise InputError(f"{where}: a {block.kind} has table cells; only rows have them")
    if block.kind != "item" and block.number:
        raise InputError(f"{where}: a {block.kind} has a list number; only list items have them")


def open_audio(path: Path) -> mutagen.FileType | None:
    """The chapter audio file as mutagen reads it, or None if it is no audio mutagen knows."""
    if not path.is_file():
        raise InputError(f"the chapter audio {path} is missing")
    try:
        return mutagen.File(path)
    except mutagen.MutagenError:
        return None


def reading_order(chapter: BookChapter) -> list[Clip]:
    """The chapter's clips as they are heard: its heading, then every block's in order."""
    return [chapter.heading, *(clip for block in chapter.blocks for clip in block.clips)]


def milliseconds(seconds: float) -> int:
    return round(seconds * 1000)


def played_spans(chapter: BookChapter) -> list[tuple[Clip, int, int]]:
    """Each clip with the stretch of the chapter's audio played for it, in milliseconds.

    Reading systems and DAISY players play what the clips cover and may skip what lies between
    them, so clips timed tightly around each sentence could cut the narrator's pauses. Each clip therefore
    runs on until the next one begins (the first from the start of the file, the last to its
    end): the whole file plays, each sentence is highlighted from its first word until the next
    sentence starts, and every chapter's clips add up to its audio's duration exactly.
    """
    clips = reading_order(chapter)
    where = f"chapter {chapter.number} ({chapter.title})"
    total = milliseconds(chapter.seconds)
    previous_end = 0
    for clip in clips:
        begin, end = milliseconds(clip.begin), milliseconds(clip.end)
        if not 0 <= begin < end:
            raise InputError(f"{where}: the clip {clip.id!r} runs from {clip.begin:.3f} s to {clip.end:.3f} s")
        if begin < previous_end:
            raise InputError(
                f"{where}: the clip {clip.id!r} starts at {clip.begin:.3f} s, before the one before it ends"
            )
        if end > total:
            raise InputError(
                f"{where}: the clip {clip.id!r} ends at {clip.end:.3f} s, after its audio ({chapter.seconds:.3f} s)"
            )
        previous_end = end
    starts = [0] + [milliseconds(clip.begin) for clip in clips[1:]]
    return [(clip, start, stop) for clip, start, stop in zip(clips, starts, [*starts[1:], total], strict=True)]


def heading_ranks(chapter: BookChapter) -> list[int]:
    """The HTML heading rank (2 to 6) of each block, 0 for blocks that are not headings.

    The chapter's own heading is ``h1``; a sub-heading is one rank below its level, and never
    more than one rank below the heading before it, so no book skips a level even where the
    guide did (a level-4 heading straight after the chapter's).
    """
    ranks = []
    previous = 1
    for block in chapter.blocks:
        if block.kind == "heading":
            previous = min(block.level - 1, previous + 1)
            ranks.append(previous)
        else:
            ranks.append(0)
    return ranks


def outline(chapter: BookChapter) -> list[tuple[int, str, str]]:
    """The chapter's headings as (rank, id of the first clip, text): its own heading (rank 1), then its sub-headings."""
    return [(1, chapter.heading.id, chapter.title)] + [
        (rank, block.clips[0].id, page_text(block))
        for block, rank in zip(chapter.blocks, heading_ranks(chapter), strict=True)
        if rank
    ]


def page_text(block: BookBlock) -> str:
    """The block's text as a reader sees it, its sentences joined by spaces."""
    return " ".join(clip.text for clip in block.clips)


def clock(ms: int) -> str:
    """A duration as a SMIL full clock value, "01:02:03.456", which EPUB and DAISY 2.02 both read."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def timecount(ms: int) -> str:
    """A time as a SMIL timecount in seconds, "12.345s": always a full stop, whatever the locale."""
    return f"{ms // 1000}.{ms % 1000:03d}s"


def page_elements(chapter: BookChapter) -> list[etree._Element]:
    """The chapter's page as XHTML elements, the same in both books: its heading as ``h1``, then its blocks.

    Every clip is one element with the clip's id: the heading element of a heading read as one
    sentence, the ``tr`` of a table row, else a ``span`` per sentence inside its ``p``, ``li`` or
    heading. Consecutive items make a list (numbered ones an ``ol`` that shows their numbers as
    written, "a)" included), consecutive rows with the same headers a table.
    """
    elements = [_XHTML.h1(chapter.heading.text, id=chapter.heading.id)]
    group_key: tuple | None = None
    container: etree._Element | None = None
    for block, rank in zip(chapter.blocks, heading_ranks(chapter), strict=True):
        key = _group_key(block)
        if key != group_key:
            group_key = key
            container = _start_group(block, elements) if key else None
        if block.kind == "heading":
            elements.append(_with_sentences(_XHTML(f"h{rank}"), block, own_id=len(block.clips) == 1))
        elif block.kind == "paragraph":
            elements.append(_with_sentences(_XHTML.p(), block))
        elif block.kind == "item":
            assert container is not None  # an item or a row always starts or continues its group
            item = _XHTML.li(_XHTML.span(block.number, {"class": "number"}), " ") if block.number else _XHTML.li()
            container.append(_with_sentences(item, block))
        else:
            assert container is not None
            row = _XHTML.tr(*(_XHTML.td(cell) for _, cell in block.cells), id=block.clips[0].id)
            container.append(row)
    return elements


def _group_key(block: BookBlock) -> tuple | None:
    if block.kind == "item":
        return ("numbered" if block.number else "bulleted",)
    if block.kind == "row":
        return ("table", *(header for header, _ in block.cells))
    return None


def _start_group(block: BookBlock, elements: list[etree._Element]) -> etree._Element:
    """Begin the list or table that ``block`` opens; return the element its items or rows go in."""
    if block.kind == "item":
        group = _XHTML.ol({"class": "numbered"}) if block.number else _XHTML.ul()
        elements.append(group)
        return group
    body = _XHTML.tbody()
    header_row = _XHTML.tr(*(_XHTML.th(header, scope="col") for header, _ in block.cells))
    elements.append(_XHTML.table(_XHTML.thead(header_row), body))
    return body


def _with_sentences(element: etree._Element, block: BookBlock, own_id: bool = False) -> etree._Element:
    """``element`` holding the block's sentences: as its own text and id, or a ``span`` each."""
    if own_id:
        element.set("id", block.clips[0].id)
        element.text = block.clips[0].text
        return element
    for index, clip in enumerate(block.clips):
        if index:
            element[-1].tail = " "
        element.append(_XHTML.span(clip.text, id=clip.id))
    return element


#: A numbered list item's number as the page writes it ("1.", "(2)", "a)"): shown beside the item, not in a clip.
_ITEM_NUMBER = re.compile(r"^(\(?\d{1,3}[.)]|\(?[a-z][.)])\s+(?=\S)")


def book_of(result: BuildResult, audio: Callable[[Track], Path]) -> Book:
    """The talking book of a built guide: each chapter's page text in sentences, timed by when each is
    heard in ``audio(track)``, the chapter's audio file for the book (``modified`` is the caller's)."""
    settings, guide = result.settings, result.guide
    words = get_language(result.language)
    engine = catalogue(settings.engine)
    chapters = tuple(_chapter(result, track, audio(track)) for track in result.chapters)
    author = guide.script.meta.author or ""
    return Book(
        title=guide.title,
        author=author,
        language=result.language,
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'audioguide:{guide.slug}')}",
        modified="",
        narrator=f"{engine.label} ({settings.voice.rsplit('/', 1)[-1]})",
        chapters=chapters,
        words={
            "contents": words.say("contents"),
            "landmarks": words.say("book_landmarks"),
            "start": words.say("book_start"),
            "part_of": words.words["book_part_of"],
            "accessibility_summary": words.say("book_summary"),
        },
        publisher=author,
        generator=f"audioguide {__version__}",
        certified_by="audioguide",
    )


def _chapter(result: BuildResult, track: Track, audio: Path) -> BookChapter:
    chapter = track.chapter
    assert chapter is not None  # the book holds the guide's chapters, never the spoken contents
    utterances = result.records.utterances(track.job.speech_key)
    heard = result.records.heard(track.audio.key)
    timed = list(zip(utterances, heard, strict=True))
    announced = [when for utterance, when in timed if utterance.block == ANNOUNCEMENT]
    prefix = f"c{chapter.number}"
    heading = Clip(f"{prefix}-h", chapter.title, announced[0].start, announced[-1].end)
    blocks = []
    for index, block in enumerate(chapter.blocks):
        sentences = [(utterance.page, when) for utterance, when in timed if utterance.block == index]
        blocks.append(_book_block(block, sentences, f"{prefix}-b{index}"))
    return BookChapter(chapter.number, chapter.title, heading, tuple(blocks), audio, track.seconds)


def _book_block(block: Block, sentences: list[tuple[str, Heard]], prefix: str) -> BookBlock:
    if block.cells:
        # A row is one element of the page: read as one clip, from its first sentence to its last.
        clip = Clip(f"{prefix}-s0", block.text, sentences[0][1].start, sentences[-1][1].end)
        return BookBlock("row", 0, (clip,), cells=block.cells)
    number = ""
    if block.kind is BlockKind.ITEM and (found := _ITEM_NUMBER.match(sentences[0][0])):
        number = found.group(1)
        sentences[0] = (sentences[0][0][found.end() :], sentences[0][1])
    clips = tuple(Clip(f"{prefix}-s{n}", text, when.start, when.end) for n, (text, when) in enumerate(sentences))
    return BookBlock(block.kind.value, block.level if block.kind is BlockKind.HEADING else 0, clips, number=number)


def book_audio(result: BuildResult, takes: tuple[AudioFormat, ...]) -> Callable[[Track], Path]:
    """Each chapter's audio for a book: the package's own chapter file where the book ``takes`` its
    format, else an MP3 made from it (a constant bit rate, as every book's players want)."""
    audio_format = result.settings.audio_format
    if audio_format in takes:
        return lambda track: result.folder / track.file
    return lambda track: result.records.mp3(track.audio.key, audio_format.chapter_extension)


def write_book(
    result: BuildResult,
    files: PackageFiles,
    name: str,
    write: Callable[[Book, Path], object],
    audio: Callable[[Track], Path],
    writer: str,
) -> dict:
    """Write a talking book at ``name`` with ``write`` when what it is made of changed (its text, its
    timing, its audio, the writer's code, given as the module ``writer``), else leave it as it is.

    Its ``modified`` date is when its content last changed: a rebuild that changes nothing writes
    nothing, and a book that did change says so to the reading apps that keep their place in it.
    """
    book = book_of(result, audio)
    audio_keys = [track.audio.key for track in result.chapters]
    made_of = digest([book, audio_keys, code_digest(writer, "audioguide.outputs.book")])
    if not files.force and files.previous.get("made_of") == made_of and not files.missing(name):
        return files.previous
    modified = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    write(replace(book, modified=modified), files.folder / name)
    files.written.append(name)
    return {"made_of": made_of, "modified": modified}
