"""What a reader is given and what it gives back, and the steps every text-based format shares."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import InputError
from .blocks import Block, BlockKind
from .decode import ENCODING_NAMES, decode, normalise_text
from .front_matter import FrontMatter, split_front_matter


@dataclass(frozen=True)
class ReadRequest:
    path: Path
    encoding: str | None = None
    """The text encoding the user gave (``--encoding``); None to detect it."""
    heading_re: re.Pattern | None = None
    """Headings the user named by pattern (``--heading``), overriding the format's own."""
    chapter_level: int | None = None
    """Which heading level starts chapters (``--chapter-level``); None for the shallowest."""


@dataclass
class Script:
    """A guide script as read from disk, before it is split into chapters."""

    path: Path
    title: str
    blocks: list[Block]
    meta: FrontMatter = field(default_factory=FrontMatter)
    title_in_text: bool = False
    """Whether the title is a line of the text (rather than front matter or the file name)."""
    notices: list[str] = field(default_factory=list)
    """Lines the user should see before a build: an encoding guessed, front matter keys ignored."""


class Reader(Protocol):
    name: str
    """What the format is called, as a user knows it: "Word document"."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The file name endings of the format, for a file whose content says nothing."""
        ...

    def recognises(self, data: bytes) -> bool:
        """Whether ``data`` is in this format, whatever the file is called."""

    def read(self, data: bytes, request: ReadRequest) -> Script: ...


def read_text_guide(
    data: bytes,
    request: ReadRequest,
    parse: Callable[[str], tuple[str | None, list[Block]]],
    title_block: BlockKind,
) -> Script:
    """A text-based guide: decoded, its front matter taken off, its body parsed by ``parse``."""
    path = request.path
    decoded = decode(data, path, request.encoding)
    meta, body = split_front_matter(normalise_text(decoded.text), path)
    if not body.strip():
        raise InputError(f"{path}: the script has no text; write the guide into it and try again")
    title, blocks = parse(body)
    if title is not None and meta.title:
        # The front matter names the guide: the line the text offered as its title is body text.
        blocks.insert(0, Block(title_block, title, level=3))
        title = None
    notices = [meta.ignored_notice(path)]
    if decoded.guessed is not None:
        name = ENCODING_NAMES.get(decoded.guessed, decoded.guessed)
        notices.append(
            f"{path}: read as {name} (the file does not say its encoding); if letters look wrong, give --encoding"
        )
    return Script(
        path=path,
        title=meta.title or title or title_from_filename(path),
        blocks=blocks,
        meta=meta,
        title_in_text=title is not None,
        notices=[notice for notice in notices if notice],
    )


def title_from_filename(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else "Guide"
