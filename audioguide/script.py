"""Reading a guide script: bytes on disk to a title, front matter and a list of text blocks.

Two shapes are read. Plain text: paragraphs are separated by blank lines (hard-wrapped lines are
joined), a heading is a short line of its own without sentence punctuation at its end, and the
first heading is the guide's title. Markdown (``.md``, ``.markdown``): headings are ``#`` lines,
and markup (emphasis, links, bullets, code, tables) is turned into plain phrases, because a
listener must never hear "asterisk" or "pipe".

Both may start with front matter between ``---`` lines: ``key: value`` pairs for ``title``,
``author`` (or ``clinic``), ``language``, ``voice``, ``rate``, ``preset`` and ``lexicon``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from .errors import InputError

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
#: A line longer than this is prose, not a heading.
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 16
SENTENCE_END = tuple(".!?,;:…")
#: Book-style headings: "CHAPTER I.", "Chapter 12: The Return", "PART TWO".
BOOK_HEADING = re.compile(
    r"^(chapter|part|book|section|appendix|lesson|unit)\s+"
    r"([0-9]+|[ivxlcdm]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
    r"[.:]?(\s*[-–—:.]?\s*\S.*)?$",
    re.IGNORECASE,
)
_FORMATTING_TAG = re.compile(
    r"</?(?:b|i|em|strong|u|s|br|span|sup|sub|small|mark|abbr|a|font)(?:\s[^<>]*)?/?>", re.IGNORECASE
)
LIST_ITEM = re.compile(r"^\s*(?:[-*•◦‣▪–]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+(?=\S)")
#: Bullets are markup; the numbers and letters of a numbered list are words a listener needs.
BULLET = re.compile(r"^\s*[-*•◦‣▪–]\s+(?=\S)")
FRONT_MATTER_KEYS = {"title", "author", "clinic", "language", "engine", "voice", "rate", "preset", "lexicon"}
#: Magic numbers of files people pick up by mistake instead of the text export.
BINARY_SIGNATURES = (
    (b"%PDF", "a PDF document", "open it, copy the text into a plain .txt file"),
    (b"PK\x03\x04", "a Word (.docx) or other zipped document", 'save it as "Plain Text (.txt)"'),
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) document", 'save it as "Plain Text (.txt)"'),
    (b"{\\rtf", "an RTF document", 'save it as "Plain Text (.txt)"'),
    (b"\x89PNG", "a PNG image", "give the text of the guide, not a picture of it"),
    (b"\xff\xd8\xff", "a JPEG image", "give the text of the guide, not a picture of it"),
    (b"GIF8", "a GIF image", "give the text of the guide, not a picture of it"),
)


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"


@dataclass(frozen=True)
class Block:
    """One unit of the page: a heading, a paragraph or a list item, as plain text."""

    kind: BlockKind
    text: str
    level: int = 0
    """Heading level: 1 is the guide title, 2 a chapter; 0 for other blocks."""


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    author: str | None = None
    language: str | None = None
    engine: str | None = None
    voice: str | None = None
    rate: int | None = None
    preset: str | None = None
    lexicon: Path | None = None


@dataclass
class Script:
    """A guide script as read from disk, before it is split into chapters."""

    path: Path
    title: str
    blocks: list[Block]
    meta: FrontMatter = field(default_factory=FrontMatter)
    markdown: bool = False
    title_in_text: bool = False
    """Whether the title is a line of the text (rather than front matter or the file name)."""
    guessed_encoding: str | None = None
    """The encoding the file was read in when it had to be guessed; None when it was certain."""

    @property
    def encoding_notice(self) -> str | None:
        """One line telling the user which encoding was guessed, so a wrong guess can be overridden."""
        if self.guessed_encoding is None:
            return None
        name = ENCODING_NAMES.get(self.guessed_encoding, self.guessed_encoding)
        return (
            f"{self.path}: read as {name} (the file does not say its encoding); if letters look wrong, give --encoding"
        )


def read_script(
    path: Path,
    *,
    encoding: str | None = None,
    heading: str | None = None,
    chapter_level: int | None = None,
) -> Script:
    """Read a script file into blocks; raise :class:`InputError` for anything unusable."""
    path = Path(path)
    decoded = decode(_read_bytes(path), path, encoding)
    text = normalise_text(decoded.text)
    meta, body = split_front_matter(text, path)
    if not body.strip():
        raise InputError(f"{path}: the script has no text; write the guide into it and try again")
    heading_re = _compile_heading(heading)
    is_markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    if is_markdown:
        title, blocks = _read_markdown(body, heading_re, chapter_level)
    else:
        title, blocks = _read_plain(body, heading_re)
    if title is not None and meta.title:
        # The front matter names the guide: the line the text offered as its title is body text.
        blocks.insert(0, Block(BlockKind.HEADING if is_markdown else BlockKind.PARAGRAPH, title, level=3))
        title = None
    return Script(
        path=path,
        title=meta.title or title or _title_from_filename(path),
        blocks=blocks,
        meta=meta,
        markdown=is_markdown,
        title_in_text=title is not None,
        guessed_encoding=decoded.guessed,
    )


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file; check the name, or run 'ls scripts/' to see the guides")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a script file inside it, e.g. {path}/guide.txt")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror}); check its permissions") from None


@dataclass(frozen=True)
class Decoded:
    text: str
    guessed: str | None = None
    """The encoding used when it had to be guessed (no byte order mark, not UTF-8); else None."""


def decode(data: bytes, path: Path, encoding: str | None = None) -> Decoded:
    """Bytes to text: the given encoding, else a BOM, else UTF-8, else a guessed legacy encoding.

    A guess never loses a character: a reading with a replacement character or a control
    character where a letter was is refused, with the advice to give ``--encoding``.
    """
    if encoding:
        try:
            return Decoded(data.decode(encoding))
        except LookupError:
            raise InputError(f"--encoding {encoding}: unknown encoding; try utf-8, cp1252 or latin-1") from None
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: not valid {encoding} at byte {error.start}; try another --encoding") from None
    for signature, what, fix in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{path} looks like {what}, not a text script; {fix} and build that")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec))
            except UnicodeDecodeError:
                break
    nuls = data.count(b"\x00")
    if nuls > len(data) // 10:
        # UTF-16 without a byte order mark: every other byte of Latin text is zero.
        odd = data[1::2].count(b"\x00")
        codec = "utf-16-le" if odd > nuls * 0.9 else "utf-16-be" if nuls - odd > nuls * 0.9 else None
        try:
            if codec:
                return Decoded(data.decode(codec), guessed=codec)
        except UnicodeDecodeError:
            pass
        raise InputError(f"{path} looks like a binary file, not a text script; save the guide as plain text")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        invalid = len(data.decode("utf-8", "replace")) - len(data.decode("utf-8", "ignore"))
        if len(_UTF8_SEQUENCE.findall(data)) > invalid:
            line = data[: error.start].count(b"\n") + 1
            raise InputError(
                f"{path}: UTF-8 text with a stray byte on line {line} (byte {error.start}); "
                "fix or delete that character, or give --encoding"
            ) from None
    codec, text = _guess_legacy(data)
    # A replacement character, or a C1 control where a byte stood for a letter, is a lost letter.
    if text is None or any(ch == "\ufffd" or "\x80" <= ch <= "\x9f" for ch in text):
        raise InputError(
            f"{path}: the text encoding could not be recognised without losing letters; "
            "save it as UTF-8, or give --encoding (e.g. --encoding cp1252)"
        )
    return Decoded(text, guessed=codec)


def _guess_legacy(data: bytes) -> tuple[str, str | None]:
    """The likeliest legacy reading of ``data``: a Western single-byte one when its letters look
    like a Western text's, else what charset-normalizer detects.

    Detectors read a mostly English text with a few accented letters as anything (cp932 took
    "Sjögren" for "Sjren"), and every single-byte Western encoding decodes every text: the
    candidates are scored by how many of their non-ASCII characters are ones Western texts use.
    """
    candidates = []
    for rank, codec in enumerate(_WESTERN):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        foreign = [ch for ch in text if ord(ch) > 127]
        usual = sum(ch in _WESTERN_CHARACTERS for ch in foreign)
        letters = sum(ch.isalpha() for ch in text) or 1
        # A Western text is mostly ASCII letters; a Cyrillic or Greek one read as Western is not.
        if len(foreign) <= 0.2 * letters and usual >= 0.8 * len(foreign):
            candidates.append((usual - len(foreign), -rank, codec, text))
    if candidates:
        _, _, codec, text = max(candidates)
        return codec, text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return (best.encoding, str(best)) if best is not None else ("", None)


#: A multi-byte UTF-8 character: legacy texts hardly ever hold one by chance.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: Legacy encodings of Western texts, the likeliest first: Word and Outlook on Western Windows
#: write Windows-1252; older Macs wrote Mac Roman.
_WESTERN = ("cp1252", "mac_roman", "latin_1")
#: Letters and signs of English, Spanish, French, German, Portuguese and Italian texts, and the
#: typography word processors put in them.
_WESTERN_CHARACTERS = frozenset(
    "áéíóúýàèìòùâêîôûäëïöüÿçñãõåæøœßÁÉÍÓÚÝÀÈÌÒÙÂÊÎÔÛÄËÏÖÜŸÇÑÃÕÅÆØŒ"
    "‘’‚“”„–—…•·°±×÷µ§¶©®™€£¥¢¿¡«»‹›†‡‰ªº¹²³¼½¾\u00a0\u00ad"
)
ENCODING_NAMES = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman", "latin_1": "Latin-1 (ISO 8859-1)"}


def normalise_text(text: str) -> str:
    """Unify line ends and drop invisible control characters (kept: newlines and tabs)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.lstrip("\ufeff")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf") or ch == "\u00ad"
    ).replace("\u00ad", "")


def split_front_matter(text: str, path: Path) -> tuple[FrontMatter, str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(), text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return FrontMatter(), text
    values: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in FRONT_MATTER_KEYS:
            known = ", ".join(sorted(FRONT_MATTER_KEYS))
            raise InputError(f"{path}, line {number}: front matter takes 'key: value' with a key of {known}")
        values["author" if key == "clinic" else key] = value.strip().strip("\"'")
    meta = FrontMatter(
        title=values.get("title") or None,
        author=values.get("author") or None,
        language=values.get("language") or None,
        engine=values.get("engine") or None,
        voice=values.get("voice") or None,
        rate=_front_matter_rate(values.get("rate"), path),
        preset=values.get("preset") or None,
        lexicon=(path.parent / values["lexicon"]) if values.get("lexicon") else None,
    )
    return meta, "\n".join(lines[end + 1 :])


def _front_matter_rate(value: str | None, path: Path) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise InputError(f"{path}: front matter 'rate: {value}' must be words per minute, e.g. 'rate: 150'")
    return int(value)


def _compile_heading(pattern: str | None) -> re.Pattern | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as error:
        raise InputError(
            f"--heading {pattern!r} is not a valid pattern ({error}); e.g. --heading '^Step \\d+'"
        ) from None


def _title_from_filename(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else "Guide"


def looks_like_heading(line: str) -> bool:
    """A short line of its own without sentence punctuation at its end."""
    line = line.strip()
    if not line or len(line) > HEADING_MAX_CHARS or len(line.split()) > HEADING_MAX_WORDS:
        return False
    if not any(ch.isalpha() for ch in line) or LIST_ITEM.match(line):
        return False
    return not line.endswith(SENTENCE_END) or bool(BOOK_HEADING.match(line))


# --- plain text -------------------------------------------------------------------------------


def _read_plain(body: str, heading_re: re.Pattern | None) -> tuple[str | None, list[Block]]:
    raw_blocks = [block.split("\n") for block in re.split(r"\n[ \t]*\n", body)]
    raw_blocks = [[line.strip() for line in lines if line.strip()] for lines in raw_blocks]
    raw_blocks = [lines for lines in raw_blocks if lines]
    if heading_re is not None:
        # A user's pattern finds headings anywhere, even inside a block of lines.
        raw_blocks = [part for lines in raw_blocks for part in _split_at(lines, heading_re)]

    def is_chapter(lines: list[str]) -> bool:
        if len(lines) != 1:
            return False
        if heading_re is not None:
            return bool(heading_re.search(lines[0]))
        if book_style:
            return bool(BOOK_HEADING.match(lines[0]))
        return looks_like_heading(lines[0])

    book_style = heading_re is None and any(len(b) == 1 and BOOK_HEADING.match(b[0]) for b in raw_blocks)
    title = None
    blocks: list[Block] = []
    for lines in raw_blocks:
        if (
            title is None
            and not blocks
            and len(lines) == 1
            and looks_like_heading(lines[0])
            and not (is_chapter(lines) and (heading_re is not None or book_style))
        ):
            title = lines[0]
            continue
        if is_chapter(lines):
            text = lines[0].rstrip(".") if book_style else lines[0]
            blocks.append(Block(BlockKind.HEADING, text, level=2))
        elif all(LIST_ITEM.match(line) for line in lines) or _is_list(lines):
            blocks.extend(Block(BlockKind.ITEM, item) for item in _list_items(lines))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, _join_lines(lines)))
    if book_style:
        blocks = _merge_book_subtitles(blocks)
    return title, blocks


def _split_at(lines: list[str], heading_re: re.Pattern) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for line in lines:
        if heading_re.search(line):
            parts.extend([[line], []])
        else:
            parts[-1].append(line)
    return [part for part in parts if part]


def _is_list(lines: list[str]) -> bool:
    return bool(LIST_ITEM.match(lines[0])) and sum(bool(LIST_ITEM.match(x)) for x in lines) >= 2


def _list_items(lines: list[str]) -> list[str]:
    items: list[list[str]] = []
    for line in lines:
        if LIST_ITEM.match(line) or not items:
            items.append([BULLET.sub("", line, count=1).strip()])
        else:
            items[-1].append(line)
    return [_join_lines(item) for item in items]


def _join_lines(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        # A word broken across lines by a hyphen ("moisture-" / "producing") stays one word.
        text += line if re.search(r"\w-$", text) else " " + line
    return text


def _merge_book_subtitles(blocks: list[Block]) -> list[Block]:
    """ "CHAPTER I." followed by a short title line becomes "CHAPTER I. The Title"."""
    merged: list[Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.kind is BlockKind.HEADING
            and block.kind is BlockKind.PARAGRAPH
            and looks_like_heading(block.text)
            and BOOK_HEADING.match(previous.text)
            and BOOK_HEADING.match(previous.text).group(3) is None
        ):
            merged[-1] = Block(BlockKind.HEADING, f"{previous.text}. {block.text}", level=2)
        else:
            merged.append(block)
    return merged


# --- Markdown ---------------------------------------------------------------------------------


def _read_markdown(
    body: str, heading_re: re.Pattern | None, chapter_level: int | None
) -> tuple[str | None, list[Block]]:
    parsed = _markdown_blocks(body)
    headings = [b for b in parsed if b.kind is BlockKind.HEADING]
    title = None
    level_ones = [b for b in headings if b.level == 1]
    if len(level_ones) == 1 and headings[0] is level_ones[0] and chapter_level != 1:
        title = level_ones[0].text
        parsed.remove(level_ones[0])
        headings.remove(level_ones[0])
    if chapter_level is None:
        chapter_level = min((b.level for b in headings), default=2)
    blocks = []
    for block in parsed:
        if block.kind is BlockKind.HEADING:
            is_chapter = bool(heading_re.search(block.text)) if heading_re else block.level == chapter_level
            if block.level < chapter_level and not heading_re:
                is_chapter = True
            block = Block(BlockKind.HEADING, block.text, level=2 if is_chapter else 3)
        blocks.append(block)
    return title, blocks


def _markdown_blocks(body: str) -> list[Block]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(body)
    blocks: list[Block] = []
    list_depth = 0
    row: list[str] = []
    header: list[str] = []
    in_head = False
    number = ""
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            # A numbered step keeps its number ("2. Tilt your head back"); a bullet is only markup.
            number = f"{token.info}{token.markup} " if token.info else ""
        elif kind == "heading_open":
            text = _inline_text(tokens[index + 1])
            if text:
                blocks.append(Block(BlockKind.HEADING, text, level=int(token.tag[1])))
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            text = _inline_text(token)
            if text:
                blocks.append(Block(BlockKind.ITEM if list_depth else BlockKind.PARAGRAPH, number + text))
                number = ""
        elif kind in ("fence", "code_block", "html_block"):
            content = _FORMATTING_TAG.sub(" ", token.content) if kind == "html_block" else token.content
            lines = [" ".join(line.split()) for line in content.split("\n")]
            blocks.extend(Block(BlockKind.ITEM, line) for line in lines if line)
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            row.append(_inline_text(token))
        elif kind == "tr_close":
            if in_head:
                header = row
            elif any(row):
                blocks.append(Block(BlockKind.ITEM, _table_row_text(header, row)))
    return blocks


def _table_row_text(header: list[str], row: list[str]) -> str:
    """A table row read as "Header: cell; Header: cell", the way a person reads a table aloud."""
    parts = []
    for index, cell in enumerate(row):
        if not cell:
            continue
        name = header[index] if index < len(header) else ""
        parts.append(f"{name}: {cell}" if name else cell)
    return "; ".join(parts)


def _inline_text(token) -> str:
    pieces = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif child.type == "image":
            pieces.append(child.content or "")
        elif child.type == "html_inline":
            # Formatting tags are markup; anything else is text the author wrote and is kept.
            pieces.append(" " if _FORMATTING_TAG.fullmatch(child.content) else child.content)
    return " ".join("".join(pieces).split())
