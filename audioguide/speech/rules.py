"""What every language's reading rules share: the context a rule sees, what it reports, and the
readings that are the same in each language (a Roman numeral, a word from the lexicon, a phone
number digit by digit, a word in capitals).

A language's rules (``languages/<code>/reading.py``) build on these; the pass that applies them
is :mod:`.normalize`.
"""

from __future__ import annotations

import re
import unicodedata
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
    language: str = ""
    """The language tag the text is read in ("en-GB", "es-MX"): some regions write numbers their own way."""


# --- characters in disguise, and marks that are not words ----------------------------------------

#: Look-alikes of the signs the rules read, as leaflets (and the fonts of word processors) write them.
_LOOK_ALIKES = str.maketrans({
    "℃": "°C", "℉": "°F", "˚": "°", "≦": "≤", "≧": "≥", "⩽": "≤", "⩾": "≥", "〜": "~", "～": "~", "∼": "~",
    "⁄": "/", "∕": "/", "−": "-", "‐": "-", "‑": "-", "‒": "-", "➔": "→", "➜": "→", "⟶": "→", "⇒": "→",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
})  # fmt: skip
#: Compatibility forms (fullwidth letters, digits and signs; ligatures; superscript and vulgar-fraction
#: digits) that NFKC turns into the plain characters a listener would hear.
_COMPATIBLE = re.compile(
    "[\uff01-\uff5e\ufb00-\ufb06\u00b2\u00b3\u00b9\u2070-\u209f\u00bc-\u00be\u2150-\u215e\u2460-\u24ff\u2776-\u2793]"
)
#: A power of ten written with a superscript ("10⁹/L"), kept a power when NFKC makes its digits plain.
_POWER_OF_TEN = re.compile("(?<![\\d.,])10([\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+)")


def plain_forms(text: str) -> str:
    """``text`` with its characters in disguise made plain: ``＜ ５ ｍｌ`` is ``< 5 ml``, ``39º C`` and
    ``38 ℃`` are degrees, ``〜`` is ``~``, ``½`` is ``1/2`` (after a whole number, a space before it)."""
    text = re.sub(r"(?<=\d)\s?[º˚○]\s?(?=[CF]\b)", " °", text)
    text = re.sub(r"(?<=\d)○", "°", text)
    text = re.sub(r"(?<=\S)(?=[\u00bc-\u00be\u2150-\u215e])", " ", text)
    text = _POWER_OF_TEN.sub(lambda match: "10^" + unicodedata.normalize("NFKC", match.group(1)), text)
    text = _COMPATIBLE.sub(lambda match: unicodedata.normalize("NFKC", match.group(0)), text)
    return text.translate(_LOOK_ALIKES)


#: A part of a template left to fill in: words in brackets ("[Patient name]", never numbers, which are
#: references: "[PMID: 26389306]"; and a few words, no clause: "[o de venta libre (OTC, …)]" is an
#: editor's aside, read as it is), "<date>", "{{dose}}", and a line or a row of dots to write on.
UNFILLED = re.compile(
    r"\[(?![^\]]*\d)[^\]\[(),;.]{1,60}\]|<[A-Za-z][^<>]{0,40}>|\{\{[^{}]{1,40}\}\}|_{3,}|\.{5,}|…{2,}"
)

#: Token groups every language reads the same way, tried before the language's own: a reference to
#: a source ("[1-5]", "(3)." at a sentence's end, "deficiency¹"), a part of a template left to fill in
#: ("[Patient name]", "<MM/DD/YYYY>", "{{dose}}"), and marks that are layout, not words.
SHARED_TOKENS = [
    # A citation: numbers in brackets after a word or a sentence, or in parentheses before its end,
    # or a superscript number left glued to a word or a full stop.
    r"(?P<citation>(?:(?<=[^\s\d])|^)\[\d{1,3}(?:\s?[-–,]\s?\d{1,3})*\]"
    r"|(?:\s|^)\(\d{1,3}(?:\s?[-–,]\s?\d{1,3})*\)(?=\s*[.;:]?\s*$|\s*[.;])"
    r"|(?<=[a-z]{3})\d{1,3}(?:[-–,]\d{1,3})*(?=[\s.,;:)]|$)|(?<=[a-z][.,])\d{1,3}(?:[-–]\d{1,3})?(?=\s|$))",
    rf"(?P<template>{UNFILLED.pattern})",
    r"(?P<mark>[*†‡¶※•●○◯▪■□☐☑✓✔✗✘➢►▸◆◇◦])",
    # A bar or a middle dot between words separates them, as in a table row or a menu: a pause.
    r"(?P<separator>\s?[|¦·]\s?)",
    # A bracket that holds no reference and no blank holds an aside, as parentheses do.
    r"(?P<bracket>[\[\]])",
]


def unfilled_parts(text: str) -> list[str]:
    """The parts of a template in ``text`` left for someone to fill in: "[Patient name]", "____"."""
    return [match.group(0) for match in UNFILLED.finditer(" ".join(plain_forms(text).split()))]


#: What a voice is given besides letters, digits and spaces, knowing what to do with it: a pause,
#: a question's tone, a contraction. Anything else it would skip or spell out, so the proof lists it.
ENGINE_PUNCTUATION = frozenset(".,;:!?¿¡'\"-")


def unread_signs(spoken: str) -> list[Flag]:
    """The signs left in ``spoken`` that no rule turned into words: each with the words around it."""
    found: dict[str, Flag] = {}
    for match in re.finditer(r"[^\w\s]", re.sub(r"\[\[[^\]]*\]\]", lambda p: " " * len(p.group(0)), spoken)):
        sign = match.group(0)
        if sign in ENGINE_PUNCTUATION or sign in found:
            continue
        found[sign] = Flag(
            _words_around(spoken, match.start(), match.end()),
            f"“{sign}” ({_name(sign)}) is not read: the voice may skip it or say its name; write it in words",
        )
    return list(found.values())


def _words_around(text: str, start: int, end: int, reach: int = 30) -> str:
    """A few whole words either side of ``text[start:end]``."""
    words = text[max(0, start - reach) : end + reach].split()
    return " ".join(words[1 if start > reach else 0 : -1 if end + reach < len(text) else None])


def _name(sign: str) -> str:
    return unicodedata.name(sign, f"U+{ord(sign):04X}").lower()


def address_word(part: str, common: Callable[[str], bool], words: set[str]) -> str:
    """A word of a web address: words run together ("ClinicalTrials") as words; a short name that is
    not a word of the language ("va", "nhs", "uk", "cdc"), one in capitals ("VA") or one with no vowel
    ("pdq", "html") as letters; ``words`` are parts said as words whatever their length ("gov", "www")."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", part)
    if len(parts) > 1:
        return " ".join(address_word(word, common, words) for word in parts)
    lower = part.lower()
    if lower in words or not part.isalpha():
        return part
    short_name = len(part) <= 3 and not common(lower)
    if (part.isupper() and len(part) >= 2) or short_name or not set(lower) & set("aeiouyáéíóú"):
        return "-".join(part.upper())  # "iv" in an address is letters too, not four
    return part


def not_spoken(match: re.Match, _: Context) -> str:
    """A citation or a mark of layout: the listener hears nothing (the proof shows what was left out)."""
    return " "


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


def year_span(match: re.Match) -> tuple[int, int]:
    """The years of a span whose second is cut short: "2020-21" is 2020 and 2021, "1999-00" 1999 and 2000."""
    first_year = int(match.group("first_year"))
    second_year = first_year // 100 * 100 + int(match.group("second_year"))
    return first_year, second_year + 100 if second_year < first_year else second_year


def digit_groups(phone: str, digits: Callable[[str], str], plus: str) -> str:
    """A phone number digit by digit, in the groups it is written in: a listener can write it down."""
    groups = re.findall(r"\+?\d+", phone)
    return ", ".join((f"{plus} " if group.startswith("+") else "") + digits(group) for group in groups)


#: A number spelled in part as a word, as a service advertises it: "1-800-4-CANCER", "877-222-VETS".
VANITY_PHONE = (
    r"(?<![\w.,+-])(?:1[\s.-])?\d{3}[\s.-]\d{1,3}[\s.-][A-Z]{3,7}(?![\w-])"
    r"|(?<![\w.,+-])\d{4,6}\s[A-Z]{4,7}\b(?=\s\()"
)


def vanity_phone(phone: str, digits: Callable[[str], str], plus: str) -> str:
    """A number with a word in it ("1-877-222-VETS"): its digits in their groups, then the word."""
    found = re.fullmatch(r"(.*?)[\s.-]?([A-Z]+)", phone)
    assert found is not None  # the token ends with its word
    number, word = found.groups()
    return f"{digit_groups(number, digits, plus)}, {word.lower()}"


def parenthesis(match: re.Match, _: Context) -> str:
    """A bracket around an aside is read as a parenthesis: a pause either side."""
    return " (" if match.group(0) == "[" else ") "


def pause(match: re.Match, _: Context) -> str:
    """A dash between words is a pause."""
    return ", "


def symbol_words(symbols: dict[str, str]) -> Callable[[re.Match, Context], str]:
    """The handler that says each symbol as its word in ``symbols``."""

    def say(match: re.Match, _: Context) -> str:
        return f" {symbols[match.group(0)]} "

    return say


def plain_word(
    word: str,
    start: int,
    context: Context,
    *,
    roman_context: set[str],
    number: Callable[[int], str],
    initialism: Callable[[str], str | None],
    common: Callable[[str], bool],
    said_as_words: frozenset[str],
) -> str | None:
    """A word as every language reads it: a Roman numeral after a word like "type" as its number,
    a lexicon entry as its respelling, capitals as a word when the text shouts, the word is a
    common one ("STOP") or the language lists it as said as a word ("NICE", "COVID"), a name run
    together from words as those words ("eBenefits", "MenB"), else as letters if it is an
    initialism; None when the word is as written. ``start`` is where the word is in ``context.text``."""
    if is_roman(word) and previous_word(context.text, start).lower() in roman_context:
        return number(roman_value(word))
    respelled = lexicon_word(word, context.lexicon)
    if respelled is not None:
        return respelled
    if context.shouting and word.isupper() and (common(word) or not initialism(word)):
        return word.lower()  # a sentence in capitals: its words are words, its initialisms still letters
    if word.upper() in said_as_words and (word.isupper() or word.islower()):
        return word.lower()
    joined = RUN_TOGETHER.fullmatch(word)
    if joined:
        # A product's name run together ("eBenefits", "milConnect") or a name with a letter ("HepB"): its parts.
        return " ".join(part for part in joined.groups() if part)
    spelled = initialism(word)
    if spelled and word.isupper() and common(word):
        return word.lower()  # a word in capitals for emphasis ("STOP", "CALL"), not letters to spell
    return spelled


#: A word run together from a short lower-case prefix and a capitalised word, or from a word and a
#: capital letter: "eBenefits", "milConnect", "MenB", "HepB".
RUN_TOGETHER = re.compile(r"([a-z]{1,4})([A-Z][a-z]{2,})|([A-Z][a-z]{2,})([A-Z])")


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
