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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@dataclass(frozen=True)
class Change:
    original: str
    spoken: str


@dataclass(frozen=True)
class Flag:
    """Something in the text the engine may still say wrongly: for a clinician to check."""

    text: str
    reason: str


# --- lexicons ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """Pronunciations: word → what the engine is given (a respelling, or ``[[phonemes]]``).

    Keys with a capital letter match only that spelling (``IV``, ``SS``); all-lower-case keys
    match any capitalisation (``rituximab``, ``Rituximab``, ``RITUXIMAB``).
    """

    exact: dict[str, str] = field(default_factory=dict)
    folded: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    """Phonemes → how they sound in letters, so a proof is readable by people who skip phonemes."""

    def readable(self, spoken: str) -> str:
        """``spoken`` with each ``[[phonemes]]`` shown as its ``sounds_like`` hint, where there is one."""

        def hint(match: re.Match) -> str:
            phonemes = match.group(1)
            if phonemes in self.hints:
                return self.hints[phonemes]
            for ending in ("Iz", "s", "z"):
                if phonemes.endswith(ending) and phonemes.removesuffix(ending) in self.hints:
                    return self.hints[phonemes.removesuffix(ending)] + "'s"
            return match.group(0)

        return re.sub(r"\[\[([^\]]+)\]\]", hint, spoken)

    def lookup(self, word: str) -> str | None:
        return self.exact.get(word) or self.folded.get(word.lower())

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with ``other``'s entries added; ``other`` wins where both have a word."""
        exact = {**self.exact, **other.exact}
        folded = {**self.folded, **other.folded}
        hints = {**self.hints, **other.hints}
        # A clinic's case-insensitive entry also overrides a built-in exact-case one.
        for key in other.folded:
            for variant in [k for k in exact if k.lower() == key and k not in other.exact]:
                del exact[variant]
        return Lexicon(exact, folded, hints)

    @classmethod
    def from_entries(cls, entries: dict[str, str], hints: dict[str, str] | None = None) -> Lexicon:
        exact = {k: v for k, v in entries.items() if k != k.lower()}
        folded = {k: v for k, v in entries.items() if k == k.lower()}
        return cls(exact, folded, hints or {})

    def __len__(self) -> int:
        return len(self.exact) + len(self.folded)

    def phoneme_strings(self) -> set[str]:
        """Every ``[[phonemes]]`` string speech preparation can give the engine: entries and their possessives."""
        found = set()
        for spoken in (*self.exact.values(), *self.folded.values()):
            if spoken.startswith("[[") and spoken.endswith("]]"):
                found |= {spoken[2:-2], possessive(spoken)[2:-2]}
        return found


def parse_lexicon(text: str, source: str) -> Lexicon:
    """Read a lexicon in TOML: ``word = "respelling"`` or ``word = { phonemes = "..." }``.

    A phoneme entry may add ``sounds_like = "rih-TUCK-sih-mab"``, shown by ``audioguide proof``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f'{source}: not valid TOML ({error}); write lines like: rituximab = "rih-tuck-sih-mab"'
        ) from None
    entries: dict[str, str] = {}
    hints: dict[str, str] = {}
    for word, value in data.items():
        if isinstance(value, dict) and isinstance(value.get("phonemes"), str) and set(value) <= _PHONEME_KEYS:
            phonemes = value["phonemes"].strip()
            if value.get("sounds_like"):
                hints[phonemes] = str(value["sounds_like"])
            value = f"[[{phonemes}]]" if phonemes else ""
        if not isinstance(value, str) or not value.strip() or not word.strip() or " " in word.strip():
            raise InputError(f'{source}: entry {word!r} must be one word = "respelling" or {{ phonemes = "..." }}')
        entries[word.strip()] = value.strip()
    return Lexicon.from_entries(entries, hints)


_PHONEME_KEYS = {"phonemes", "sounds_like"}


def builtin_lexicon(language: str = "en-US") -> Lexicon:
    """The medical lexicon that comes with the guide's language."""
    from .languages import get_language

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


# --- the pass ---------------------------------------------------------------------------------


@dataclass
class Context:
    """What a reading rule may look at besides its own match."""

    text: str
    lexicon: Lexicon
    shouting: bool
    day_first: bool


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
    from .languages import get_language

    spoken_in = get_language(language)
    rules = spoken_in.reading
    lexicon = lexicon if lexicon is not None else spoken_in.lexicon()
    # Trademark signs are for lawyers, not listeners: "Advil®" is "Advil".
    text = " ".join(re.sub("[®™℠]", "", text).split()).replace("[[", "[ [")
    context = Context(text, lexicon, is_shouting(text), spoken_in.day_first(language))
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
        if kind != "dash" and spoken.translate(SPEECH_PUNCTUATION) != original.translate(SPEECH_PUNCTUATION):
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
    from .languages import get_language

    spoken_in = get_language(language)
    text = " ".join(page.split())
    context = Context(text, lexicon, is_shouting(text), spoken_in.day_first(language))
    return spoken_in.reading.flags(text, context, language)


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


def lexicon_word(word: str, lexicon: Lexicon) -> str | None:
    found = lexicon.lookup(word)
    if found is not None:
        return found
    base, apostrophe, suffix = word.replace("’", "'").rpartition("'")
    if apostrophe and suffix.lower() == "s":
        found = lexicon.lookup(base) or lexicon.lookup(word[: len(base)])
        if found is not None:
            return possessive(found)
    return None


def possessive(spoken: str) -> str:
    """The possessive of a lexicon entry; inside phoneme brackets, as the sound it makes."""
    if not (spoken.startswith("[[") and spoken.endswith("]]")):
        return f"{spoken}'s"
    phonemes = spoken[2:-2]
    if phonemes.endswith(("s", "z", "S", "Z")):
        ending = "Iz"
    elif phonemes.endswith(("p", "t", "k", "f", "T")):
        ending = "s"
    else:
        ending = "z"
    return f"[[{phonemes}{ending}]]"


def previous_word(text: str, start: int) -> str:
    words = re.findall(r"[^\W\d_]+", text[:start])
    return words[-1] if words else ""


def is_roman(word: str) -> bool:
    return bool(re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", word)) and word != ""


ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(word: str) -> int:
    total = 0
    for index, letter in enumerate(word):
        value = ROMAN_VALUES[letter]
        following = ROMAN_VALUES[word[index + 1]] if index + 1 < len(word) else 0
        total += -value if value < following else value
    return total


# --- pieces every language's reading rules share ---------------------------------------------


def digit_groups(phone: str, digits: Callable[[str], str], plus: str) -> str:
    """A phone number digit by digit, in the groups it is written in: a listener can write it down."""
    groups = re.findall(r"\+?\d+", phone)
    return ", ".join((f"{plus} " if group.startswith("+") else "") + digits(group) for group in groups)


def pause(match: re.Match, _: Context) -> str:
    """A dash between words is a pause."""
    return ", "


def symbol_words(symbols: dict[str, str]) -> Callable[[re.Match, Context], str]:
    """The handler that says each symbol as its word in ``symbols``."""

    def say(match: re.Match, _: Context) -> str:
        return f" {symbols[match.group(0)]} "

    return say


def plain_word(
    match: re.Match,
    context: Context,
    *,
    roman_context: set[str],
    number: Callable[[int], str],
    initialism: Callable[[str], str | None],
    common: Callable[[str], bool],
) -> str | None:
    """A word as every language reads it: a Roman numeral after a word like "type" as its number,
    a lexicon entry as its respelling, capitals as a word when the text shouts or the word is a
    common one ("STOP"), else as letters if it is an initialism; None when the word is as written."""
    word = match.group(0)
    if is_roman(word) and previous_word(context.text, match.start()).lower() in roman_context:
        return number(roman_value(word))
    respelled = lexicon_word(word, context.lexicon)
    if respelled is not None:
        return respelled
    if context.shouting and word.isupper():
        return word.lower()
    spelled = initialism(word)
    if spelled and word.isupper() and common(word):
        return word.lower()  # a word in capitals for emphasis ("STOP", "CALL"), not letters to spell
    return spelled


def word_flag(
    word: str, context: Context, *, initialism: Callable[[str], str | None], common: Callable[[str], bool], vowels: set
) -> Flag | None:
    """What may be wrong with how a word is read, in a language's rules: letters spelled, or no vowels."""
    spelled = initialism(word)
    if spelled and not context.shouting and not is_roman(word) and not (word.isupper() and common(word)):
        return Flag(word, f"spelled as letters ({spelled}); add it to a lexicon if it is said as a word")
    if len(word) >= 2 and word.isalpha() and not vowels & set(word):
        return Flag(word, "no vowels: the engine will spell it out; write it in full or add it to a lexicon")
    return None
