"""Splitting a script into chapters at its chapter headings.

Text before the first chapter heading becomes an "Introduction" chapter; a script without
chapter headings is one chapter named after the guide. Every block of the script lands in
exactly one chapter, in order: nothing of the guide is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..languages import detect_language, get_language
from .base import Script
from .blocks import Block, BlockKind

#: Chapter slugs are cut at this many characters so paths stay short on USB sticks and CDs.
SLUG_MAX_CHARS = 40
#: Names Windows refuses as files, whatever their extension.
WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
WORD = re.compile(r"\w+(?:['’.-]\w+)*")


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
    for block in script.blocks:
        if block.kind is BlockKind.HEADING and block.level <= 2:
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
    if each_part:
        for chapter in chapters:
            words = " ".join([chapter.title, *(block.text for block in chapter.blocks)])
            chapter.language = detect_language(words) or language or ""
    assign_slugs(chapters)
    return Guide(
        title=script.title, slug=guide_slug(script.path.stem), chapters=chapters, script=script, language=language or ""
    )


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
