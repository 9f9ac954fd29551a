"""What a reader is given and what it gives back, and the steps every text-based format shares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import InputError
from .blocks import Block, BlockKind, same_words
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
    title_from_file_name: bool = False
    """Whether the document names no title (no heading shows one, no metadata gives one), so the title
    was made from the file name: the proof and the build say so."""


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
        # The front matter names the guide (a clinic's own setting, as its voice and rate are): the line the
        # text offered as its title is body text, unless it says the same (a static site's page repeats it).
        if not same_words(title, meta.title):
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
        title=meta.title or title or title_from_filename(path, blocks),
        blocks=blocks,
        meta=meta,
        title_in_text=title is not None,
        notices=[notice for notice in notices if notice],
        title_from_file_name=not (meta.title or title),
    )


#: Titles that name nothing: what an application writes as a document's title when its author gave none.
NO_TITLE = re.compile(
    r"^(?:untitled|document\d*|microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|pdf|odt|rtf|txt|html?|indd|pages))$",
    re.IGNORECASE,
)
#: Between a page's title and its site's name in a document title: "Dry eye - NHS", "Flu | CDC", "Eyes: NIDDK".
SEPARATOR = re.compile(r"\s+[-–—|·•]\s+|:\s+")
#: Words a site's name may have in lower case: "American Academy of Ophthalmology".
NAME_LINKS = {"of", "and", "for", "the", "on", "&", "de", "la", "del", "y"}
SITE_NAME_MAX_WORDS = 4
#: Between two words of a file name's title that the text spells with words between them ("cancer primario"
#: in the name, "cáncer de origen primario" in the text), no more than this many words.
NAME_GAP_WORDS = 2


def metadata_title(title: str) -> str:
    """A title a document's metadata gives, "" for one that names nothing ("untitled", "Document1")."""
    title = " ".join(title.split())
    return "" if NO_TITLE.match(title) else title


def page_and_site(title: str) -> tuple[str, str | None]:
    """A document title split into the page's title and the site's name a site or a browser put after it, if
    any: "Dry eye - NHS" is "Dry eye" on the site "NHS"."""
    parts = SEPARATOR.split(title)
    if len(parts) < 2:
        return title, None
    site = parts[-1]
    words = site.split()
    named = len(words) <= SITE_NAME_MAX_WORDS and all(
        word[:1].isupper() or word[:1].isdigit() or word.lower() in NAME_LINKS for word in words
    )
    if not named:
        return title, None
    return title[: title.rindex(site)].rstrip(" -–—|·•:"), site


def names_title(heading: str, document_title: str) -> bool:
    """Whether a heading names a document's title: all of it, the page's part without the site's name, or
    its first part ("Dry eye" over "Dry eye - Illnesses & conditions | NHS inform")."""
    page, _ = page_and_site(document_title)
    return (
        same_words(heading, document_title)
        or same_words(heading, page)
        or any(same_words(document_title[: found.start()], heading) for found in SEPARATOR.finditer(document_title))
    )


def title_from_filename(path: Path, blocks: Sequence[Block] = ()) -> str:
    """The title a file's name gives: its words as the text spells them (a name like "nci-es-cancer-primario"
    is the topic written without accents or capitals, often after a publisher's or a language's tag), else
    as the name has them."""
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    spelled = _as_spelled_in(words.split(), " ".join(block.text for block in blocks))
    title = spelled or words
    return title[:1].upper() + title[1:] if title else "Guide"


def _as_spelled_in(name: list[str], text: str) -> str | None:
    """The first span of ``text`` holding the most of ``name``'s words in order (at least two, and half of
    them), with at most :data:`NAME_GAP_WORDS` words between two of them; None if there is none."""
    tokens = list(re.finditer(r"\w+", text))
    folded = [_folded(token.group()) for token in tokens]
    wanted = [_folded(word) for word in name]
    best: tuple[int, int, int] | None = None  # (words matched, first token, last token)
    for start, word in enumerate(folded):
        if word not in wanted:
            continue
        matched, at, last = 1, wanted.index(word) + 1, start
        for index in range(start + 1, min(len(folded), start + 1 + (NAME_GAP_WORDS + 1) * len(wanted))):
            if at < len(wanted) and folded[index] == wanted[at]:
                matched, at, last = matched + 1, at + 1, index
            elif index - last > NAME_GAP_WORDS:
                break
        if best is None or matched > best[0]:
            best = (matched, start, last)
    if best is None or best[0] < max(2, (len(wanted) + 1) // 2):
        return None
    return text[tokens[best[1]].start() : tokens[best[2]].end()]


def _folded(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(ch))
