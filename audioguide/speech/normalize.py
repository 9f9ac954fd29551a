"""Page text to the words a careful narrator would say.

One left-to-right pass over the text: a single pattern finds the next token that needs saying
differently (a web address, a phone number, a dose, a range, an abbreviation, an initialism, a
lexicon word, a symbol), its handler returns the words to say, and the text between tokens passes
unchanged. Nothing is deleted: every token becomes words, so no part of the guide is dropped.
Each replacement is recorded as a :class:`Change`, which ``audioguide proof`` shows a clinician.

The pattern and its handlers are the guide's language's (``languages/<code>/reading.py``); the
pass, the lexicons and the tidying that every language shares are here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..languages import get_language
from .lexicon import Lexicon, parse_lexicon
from .rules import Change, Context, Flag, plain_forms, unfilled_parts


def builtin_lexicon(language: str = "en-US") -> Lexicon:
    """The medical lexicon that comes with the guide's language."""
    return get_language(language).lexicon()


def load_lexicon(paths: Iterable[Path], language: str = "en-US") -> Lexicon:
    """The language's built-in medical lexicon with each clinic lexicon file laid over it, in order."""
    lexicon = builtin_lexicon(language)
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise InputError(f"lexicon {path}: cannot read it ({error.strerror}); check the path") from None
        except UnicodeDecodeError:
            raise InputError(f"lexicon {path}: not UTF-8 text; save it as UTF-8") from None
        lexicon = lexicon.merged(parse_lexicon(text, f"lexicon {path}"))
    return lexicon


#: Pictographs (emoji and their joiners) are decoration on a page; read aloud they are noise.
_PICTOGRAPHS = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d\u2b50\u2b55\u2705\u274c]")
SPEECH_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "…": "...", "\u00a0": " "})


#: Tokens that are pauses (a dash, a bar between words, a bracket): heard as silence, not recorded as changes.
PAUSES = {"dash", "separator", "bracket"}


@dataclass(frozen=True)
class Spoken:
    text: str
    """Exactly what the engine is given."""
    changes: list[Change]
    """Every token said differently from how the page writes it."""
    marked: str
    """The spoken text with each change shown as ``[original → spoken]``, for proofing."""


def speak(text: str, lexicon: Lexicon | None = None, language: str = "en-US") -> Spoken:
    """The spoken form of ``text`` in ``language`` (a tag: "en-US", "es"), with every change made to it."""
    spoken_in = get_language(language)
    rules = spoken_in.reading
    lexicon = lexicon if lexicon is not None else spoken_in.lexicon()
    # Trademark signs are for lawyers, not listeners: "Advil®" is "Advil".
    text = " ".join(re.sub("[®™℠]", " ", plain_forms(text)).split()).replace("[[", "[ [")
    context = Context(text, lexicon, is_shouting(text), spoken_in.day_first(language), language)
    pieces: list[str] = []
    marked: list[str] = []
    changes: list[Change] = []
    position = 0
    for match in rules.TOKEN.finditer(text):
        pieces.append(text[position : match.start()])
        marked.append(text[position : match.start()])
        original = match.group(0)
        kind = (
            match.lastgroup
            if match.lastgroup in rules.HANDLERS
            else next(name for name in rules.HANDLERS if match.group(name) is not None)
        )
        spoken = rules.HANDLERS[kind](match, context)
        if original.endswith(".") and match.end() == len(text) and not spoken.endswith("."):
            # The token's full stop also ended the sentence: keep it for the falling tone.
            spoken += "."
        if kind not in PAUSES and spoken.translate(SPEECH_PUNCTUATION) != original.translate(SPEECH_PUNCTUATION):
            changes.append(Change(original.strip(), spoken.strip()))
            marked.append(f" [{original.strip()} → {spoken.strip()}] ")
        else:
            marked.append(spoken)
        pieces.append(spoken)
        position = match.end()
    pieces.append(text[position:])
    marked.append(text[position:])
    return Spoken(_tidy("".join(pieces)), changes, _tidy("".join(marked)))


def flags(page: str, lexicon: Lexicon, language: str = "en-US") -> list[Flag]:
    """What in ``page`` may still be said wrongly, for a clinician to check before handing out."""
    spoken_in = get_language(language)
    text = " ".join(plain_forms(page).split())
    context = Context(text, lexicon, is_shouting(text), spoken_in.day_first(language), language)
    unfilled = [Flag(part, NOT_FILLED_IN) for part in unfilled_parts(text)]
    return unfilled + spoken_in.reading.flags(text, context, language)


NOT_FILLED_IN = "not filled in: a part of a template to complete before handing out (the listener hears “blank”)"


def _tidy(text: str) -> str:
    text = " ".join(_PICTOGRAPHS.sub(" ", _asides(text)).translate(SPEECH_PUNCTUATION).split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def is_shouting(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(text.split()) >= 3 and len(letters) >= 8 and sum(ch.isupper() for ch in letters) > 0.7 * len(letters)


def _asides(text: str) -> str:
    """Parentheses become the pauses a narrator makes around an aside."""
    text = re.sub(r"(?<=[^\W\d_])\(s\)", "s", text)
    text = re.sub(r"\s*\(\s*", ", ", text)
    text = re.sub(r"\s*\)\s*(?=[.,;:!?])", "", text)
    text = re.sub(r"\s*\)\s*", ", ", text)
    text = re.sub(r"^,\s*", "", text)
    text = re.sub(r",\s*([.,;:!?])", r"\1", text)
    return text
