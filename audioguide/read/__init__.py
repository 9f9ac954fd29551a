"""Reading a guide: a file on disk to a title, settings and a list of text blocks.

One reader a format, each in its own module behind :class:`~.base.Reader`: plain text, Markdown,
web pages, Word documents and PDF. A reader is chosen by what the file holds (a PDF called
``guide.txt`` is still a PDF), and else by its name. Every reader gives the same blocks, so
chapters, proof and build work on every format alike.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .base import Reader, ReadRequest, Script
from .blocks import Block, BlockKind
from .chapters import listenable
from .chrome import without_chrome
from .decode import normalise_text
from .docx import DocxReader
from .html import HtmlReader
from .markdown import MarkdownReader
from .pdf import PdfReader
from .plain import TextReader

__all__ = [
    "READERS", "SUFFIXES", "Block", "BlockKind", "Reader", "Script", "normalise_text", "read_script", "reader_for",
]  # fmt: skip

#: What the proof says of a title made from the file's name.
FILE_NAME_TITLE = "title taken from the file name (the document names none): check it, or give the document a title"
#: The readers, those that recognise their format by content first.
READERS: tuple[Reader, ...] = (PdfReader(), DocxReader(), HtmlReader(), MarkdownReader(), TextReader())
#: The file names of guides: what ``audioguide build`` looks for in ``./scripts``.
SUFFIXES = frozenset(suffix for reader in READERS for suffix in reader.suffixes)


def reader_for(path: Path, data: bytes) -> Reader:
    """The reader for a file: the one that recognises its content, else the one its suffix names."""
    for reader in READERS:
        if reader.recognises(data):
            return reader
    suffix = path.suffix.lower()
    return next((reader for reader in READERS if suffix in reader.suffixes), READERS[-1])


def read_script(
    path: Path,
    *,
    encoding: str | None = None,
    heading: str | None = None,
    chapter_level: int | None = None,
) -> Script:
    """Read a script file into blocks; raise :class:`InputError` for anything unusable."""
    path = Path(path)
    data = _read_bytes(path)
    request = ReadRequest(path, encoding, _compile_heading(heading), chapter_level)
    return _checked(reader_for(path, data).read(data, request))


def _checked(script: Script) -> Script:
    """A script without the page chrome every format may carry, its chapter headings where a listener can
    use them, and a title made from the file's name flagged for the proof."""
    blocks, left_out = without_chrome(script.blocks)
    if script.blocks and not blocks:
        raise InputError(f"{script.path}: no text found in it besides page chrome; check it is the guide")
    if left_out:
        blocks[0] = blocks[0].noted("not read, as page chrome: " + ", ".join(left_out))
    if script.title_from_file_name and blocks:
        blocks[0] = blocks[0].noted(FILE_NAME_TITLE)
    script.blocks = listenable(blocks)
    return script


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file; check the name, or run 'ls scripts/' to see the guides")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a script file inside it, e.g. {path}/guide.txt")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror}); check its permissions") from None


def _compile_heading(pattern: str | None) -> re.Pattern | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as error:
        raise InputError(
            f"--heading {pattern!r} is not a valid pattern ({error}); e.g. --heading '^Step \\d+'"
        ) from None
