"""Bytes to text: a byte order mark, UTF-8, or a legacy encoding guessed without losing a letter."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

#: Magic numbers of files people pick up by mistake, which no reader takes.
UNREADABLE_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) document", 'open it in Word and save it as "Word Document (.docx)"'),
    (b"{\\rtf", "an RTF document", 'open it in Word and save it as "Word Document (.docx)"'),
    (b"PK\x03\x04", "a zipped file that is not a Word document", "give the guide as .docx, .pdf, .html, .md or .txt"),
    (b"\x89PNG", "a PNG image", "give the text of the guide, not a picture of it"),
    (b"\xff\xd8\xff", "a JPEG image", "give the text of the guide, not a picture of it"),
    (b"GIF8", "a GIF image", "give the text of the guide, not a picture of it"),
)


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
    for signature, what, fix in UNREADABLE_SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{path} looks like {what}; {fix} and build that")
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
        wide = "utf-16-le" if odd > nuls * 0.9 else "utf-16-be" if nuls - odd > nuls * 0.9 else None
        try:
            if wide:
                return Decoded(data.decode(wide), guessed=wide)
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
    return _MAYBE_INVISIBLE.sub(_visible, text)


#: Every character but printable ASCII, newlines and tabs: the few that need a closer look.
_MAYBE_INVISIBLE = re.compile(r"[^\n\t\x20-\x7e]")


def _visible(match: re.Match) -> str:
    character = match.group()
    return "" if character == "\u00ad" or unicodedata.category(character) in ("Cc", "Cf") else character
