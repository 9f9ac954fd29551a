"""Splitting a script into chapters at its chapter headings, as a listener can use them.

Text before the first chapter heading becomes an "Introduction" chapter, unless it is only the lines
of a title block (a date, a label, a byline: "Updated 20 January 2025"), which are read at the start
of the first chapter instead; a script without chapter headings is one chapter named after the guide.
Every block of the script lands in exactly one chapter, in order: nothing of the guide is dropped.

Before that, as every script is read, :func:`listenable` places its chapter headings where a listener
can use them: no chapter is empty (a chapter heading right under another is the first line of that
chapter), and a chapter longer than about 15 minutes that has sub-headings is split at them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from ..languages import detect_language, get_language
from .base import Script
from .blocks import SENTENCE_END, Block, BlockKind, is_title_line, starts_chapter

#: Chapter slugs are cut at this many characters so paths stay short on USB sticks and CDs.
SLUG_MAX_CHARS = 40
#: Names Windows refuses as files, whatever their extension.
WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
WORD = re.compile(r"\w+(?:['’.-]\w+)*")
#: A chapter longer than this is split at its sub-headings: about 15 minutes at the default 155 words a
#: minute, and a patient skipping through a long infusion needs places to come back to.
LONG_CHAPTER_WORDS = 2300
#: A title block (a date, a label above or under the title, a byline) is a few short lines.
TITLE_BLOCK_MAX_LINES = 4
TITLE_BLOCK_LINE_MAX_WORDS = 8


@dataclass
class Chapter:
    number: int
    title: str
    blocks: list[Block] = field(default_factory=list)
    slug: str = ""
    language: str = ""
    """The part's own language tag when the guide reads each part in its own ('language: auto')."""
    heading_doubt: str = ""
    """What the reader was unsure of about the heading that starts this chapter."""
    title_block: int = 0
    """How many of the first chapter's first blocks are the guide's title block (a date, a label, a byline
    that stood between the title and this chapter's heading): they are read with the title."""

    @property
    def words(self) -> int:
        return sum(count_words(block.text) for block in self.blocks)

    def estimated_seconds(self, rate: int) -> float:
        """Speaking time of the chapter's words (and its title) at ``rate`` words per minute."""
        return round((self.words + count_words(self.title)) * 60.0 / rate, 1)


@dataclass
class Guide:
    """A script split into chapters: what a build renders."""

    title: str
    slug: str
    chapters: list[Chapter]
    script: Script
    language: str = ""
    """The guide's language tag, as given or as detected."""
    left_out: list[Chapter] = field(default_factory=list)
    """Parts of the document the person building left out (``edits.py``), numbered as in the document."""

    @property
    def words(self) -> int:
        return sum(chapter.words for chapter in self.chapters)


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def split_chapters(script: Script, language: str | None = None, *, each_part: bool = False) -> Guide:
    """The script's chapters; ``language`` names the "Introduction"; with ``each_part`` every chapter
    is marked with the language its text is in."""
    introduction = get_language(language or script.meta.language).say("introduction")
    chapters: list[Chapter] = []
    current: Chapter | None = None
    blocks = script.blocks
    opening = next((i for i, block in enumerate(blocks) if starts_chapter(block)), len(blocks))
    title_block = blocks[:opening] if opening < len(blocks) and _is_title_block(blocks[:opening]) else []
    for block in blocks[len(title_block) :]:
        if starts_chapter(block):
            current = Chapter(number=len(chapters) + 1, title=block.text, heading_doubt=block.doubt)
            chapters.append(current)
            continue
        if current is None:
            current = Chapter(number=1, title=introduction)
            chapters.append(current)
        current.blocks.append(block)
    if not chapters:
        chapters.append(Chapter(number=1, title=script.title))
    elif len(chapters) == 1 and chapters[0].title == introduction:
        chapters[0].title = script.title
    # The title block is read with the title, which the first chapter announces.
    chapters[0].blocks[:0] = title_block
    chapters[0].title_block = len(title_block)
    if each_part:
        for chapter in chapters:
            words = " ".join([chapter.title, *(block.text for block in chapter.blocks)])
            chapter.language = detect_language(words) or language or ""
    assign_slugs(chapters)
    return Guide(
        title=script.title, slug=guide_slug(script.path.stem), chapters=chapters, script=script, language=language or ""
    )


def _is_title_block(blocks: list[Block]) -> bool:
    """Whether the lines before the first chapter are only a title block: a few short lines that are no
    sentences (a label, a date) or that date the page or name its authors."""
    return 0 < len(blocks) <= TITLE_BLOCK_MAX_LINES and all(
        block.kind is BlockKind.PARAGRAPH
        and (
            is_title_line(block.text)
            or (len(block.text.split()) <= TITLE_BLOCK_LINE_MAX_WORDS and not block.text.endswith(SENTENCE_END))
        )
        for block in blocks
    )


def listenable(blocks: list[Block]) -> list[Block]:
    """A script's blocks with chapter headings a listener can use: none over no words, none over a part
    longer than :data:`LONG_CHAPTER_WORDS` that has sub-headings."""
    # Empty chapters go last: a long part that opens with a sub-heading leaves its own heading over nothing.
    return _without_empty_chapters(_long_parts_split(blocks))


def _without_empty_chapters(blocks: list[Block]) -> list[Block]:
    """No chapter of no words: a chapter heading right under another is the first line of that chapter (a
    sub-heading: a name or a link under a label, "Website" over "Centers for Disease Control"), and one at
    the very end is the last line of the chapter before."""
    placed: list[Block] = []
    for block in blocks:
        if starts_chapter(block) and placed and starts_chapter(placed[-1]):
            block = replace(block, level=3)
        placed.append(block)
    if len(placed) > 1 and starts_chapter(placed[-1]) and any(starts_chapter(b) for b in placed[:-1]):
        placed[-1] = replace(placed[-1], level=3)
    return placed


def _long_parts_split(blocks: list[Block]) -> list[Block]:
    """Each part over :data:`LONG_CHAPTER_WORDS` split at its shallowest sub-headings, which start chapters
    of their own (the part before the first of them keeps its heading), the deeper ones one level up with
    them; again while a part is long and has sub-headings."""
    blocks = list(blocks)
    start = 0
    while start < len(blocks):
        end = next((i for i in range(start + 1, len(blocks)) if starts_chapter(blocks[i])), len(blocks))
        part = range(start + starts_chapter(blocks[start]), end)
        levels = [blocks[i].level for i in part if blocks[i].kind is BlockKind.HEADING]
        if levels and sum(count_words(blocks[i].text) for i in part) > LONG_CHAPTER_WORDS:
            top = min(levels)
            for i in part:
                if blocks[i].kind is BlockKind.HEADING:
                    blocks[i] = replace(blocks[i], level=blocks[i].level - (top - 2))
            continue  # the same part again, now shorter
        start = end
    return blocks


def guide_slug(name: str) -> str:
    """The package folder's name: chapter files start with a number, but a folder must not be CON."""
    slug = slugify(name) or "guide"
    return f"{slug}-guide" if slug in WINDOWS_RESERVED else slug


def slugify(text: str, max_chars: int = SLUG_MAX_CHARS) -> str:
    """A file-name-safe, lower-case ASCII slug: no path separators, dots or spaces."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"['’]", "", ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_chars:
        slug = slug[:max_chars].rsplit("-", 1)[0] or slug[:max_chars]
    return slug


def assign_slugs(chapters: list[Chapter]) -> None:
    seen: set[str] = set()
    for chapter in chapters:
        base = slugify(chapter.title) or "chapter"
        slug, n = base, 2
        while slug in seen:
            slug, n = f"{base}-{n}", n + 1
        seen.add(slug)
        chapter.slug = slug
