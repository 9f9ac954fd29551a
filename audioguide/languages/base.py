"""What a language gives the rest of audioguide: its reading rules, its words, its lexicon, its voices."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from types import ModuleType

from ..speech.lexicon import Lexicon, parse_lexicon

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


@dataclass(frozen=True)
class Language:
    """One language's folder: ``reading.py`` (speech preparation), ``words.toml`` (every word a
    listener hears or a reader sees besides the guide's own) and ``lexicon.toml``."""

    code: str
    """The primary language subtag: "en", "es"."""
    name: str
    """The language's name in itself: "English", "español"."""
    package: str
    """The Python package of the language's folder."""
    voices: dict[str, dict[str, str]]
    """Engine name → (language tag → the voice of that engine that reads it; "" the default). An
    engine the language names no voice for chooses one of its own that speaks the language."""
    month_first: tuple[str, ...] = ()
    """Tags whose numeric dates give the month first (03/15/2026); others give the day first."""
    sentence_code: str = "en"
    """The sentence splitter's language."""

    @cached_property
    def reading(self) -> ModuleType:
        from importlib import import_module

        return import_module(f"{self.package}.reading")

    @cached_property
    def words(self) -> dict[str, str]:
        text = resources.files(self.package).joinpath("words.toml").read_text(encoding="utf-8")
        return tomllib.loads(text)

    @cached_property
    def said_as_words(self) -> frozenset[str]:
        """Capitals the language's listeners hear as a word, not letters ("NICE", "COVID").

        The rule for a word in capitals is one: letters if it is an initialism, a word if it is a
        common word ("STOP") or on this list (``said_as_words`` in words.toml): the list is the only
        exception, and it is written down."""
        return frozenset(self.words.get("said_as_words", "").split())

    def say(self, key: str, **fields) -> str:
        """One of the language's phrases, its fields filled in: ``say("part_of", number=1, total=6)``."""
        return self.words[key].format(**fields)

    def lexicon(self) -> Lexicon:
        return _lexicon(self.package)

    def day_first(self, tag: str) -> bool:
        return normal_tag(tag) not in self.month_first

    @property
    def known_tags(self) -> list[str]:
        """The regional tags the language's voices are named for ("en-gb", "es-mx")."""
        return sorted({tag for named in self.voices.values() for tag in named if tag})

    @property
    def calibration_text(self) -> str:
        """Prose a voice's loudness is measured on: the language's own, as a chapter of it sounds."""
        return self.words["calibration"]


@cache
def word_counts(code: str) -> dict[str, int]:
    """How often each word of a language occurs, from pyspellchecker's word lists (loaded when needed)."""
    import gzip
    import json

    data = resources.files("spellchecker").joinpath("resources").joinpath(f"{code}.json.gz").read_bytes()
    return json.loads(gzip.decompress(data))


#: How often a word must occur in its language's word list to be a word when written in capitals
#: ("STOP", "CALL") rather than an initialism ("ER", "VIH"): short words must be commoner.
COMMON_WORD_SHORT = 10_000
COMMON_WORD_LONG = 1_000


def is_common_word(word: str, code: str) -> bool:
    """Whether ``word`` (letters only) is a common word of the language ``code``."""
    if len(word) < 2 or not word.isalpha():
        return False  # "CD20" is letters and a number: no word list is loaded to say so
    count = word_counts(code).get(word.lower().replace("’", "'"), 0)
    return count >= (COMMON_WORD_SHORT if len(word) <= 3 else COMMON_WORD_LONG)


def is_known_word(word: str, code: str) -> bool:
    """Whether ``word`` is in the language's word list at all (however rare): "deficiency", not "pdq"."""
    return word_counts(code).get(word.lower(), 0) > 0


def normal_tag(tag: str) -> str:
    return tag.strip().lower().replace("_", "-")


_lexicons: dict[str, Lexicon] = {}


def _lexicon(package: str) -> Lexicon:
    if package not in _lexicons:
        text = resources.files(package).joinpath("lexicon.toml").read_text(encoding="utf-8")
        _lexicons[package] = parse_lexicon(text, "built-in lexicon")
    return _lexicons[package]
