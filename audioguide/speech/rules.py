"""What every language's reading rules share: the context a rule sees, what it reports, and the
readings that are the same in each language (a Roman numeral, a word from the lexicon, a phone
number digit by digit, a word in capitals).

A language's rules (``languages/<code>/reading.py``) build on these; the pass that applies them
is :mod:`.normalize`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .lexicon import Lexicon, lexicon_word


@dataclass(frozen=True)
class Change:
    original: str
    spoken: str


@dataclass(frozen=True)
class Flag:
    """Something in the text the engine may still say wrongly: for a clinician to check."""

    text: str
    reason: str


@dataclass
class Context:
    """What a reading rule may look at besides its own match."""

    text: str
    lexicon: Lexicon
    shouting: bool
    day_first: bool


def first(pattern: str, text: str) -> str:
    """The first match of ``pattern`` in ``text``: a part a token's own pattern guarantees is there."""
    found = re.search(pattern, text)
    if found is None:
        raise ValueError(f"{text!r} has no {pattern!r}")
    return found.group(0)


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
