"""What a language gives the rest of audioguide: its reading rules, its words, its lexicon, its voices."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from types import ModuleType

from ..normalize import Lexicon, parse_lexicon

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
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
    voices: dict[str, str]
    """Language tag → the eSpeak NG voice that speaks it; "" is the default."""
    month_first: tuple[str, ...] = ()
    """Tags whose numeric dates give the month first (03/15/2026); others give the day first."""
    sentence_code: str = "en"
    """The sentence splitter's language."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags people write → the tag the package is marked with ("es-mx" → "es-MX")."""

    @cached_property
    def reading(self) -> ModuleType:
        from importlib import import_module

        return import_module(f"{self.package}.reading")

    @cached_property
    def words(self) -> dict[str, str]:
        text = resources.files(self.package).joinpath("words.toml").read_text(encoding="utf-8")
        return tomllib.loads(text)

    def say(self, key: str, **fields) -> str:
        """One of the language's phrases, its fields filled in: ``say("part_of", number=1, total=6)``."""
        return self.words[key].format(**fields)

    def lexicon(self) -> Lexicon:
        return _lexicon(self.package)

    def day_first(self, tag: str) -> bool:
        return normal_tag(tag) not in self.month_first

    def voice_for(self, tag: str) -> str:
        """The eSpeak NG voice for a language tag: its region's where there is one, else the default."""
        tag = normal_tag(tag)
        return self.voices.get(tag) or self.voices[""]


@cache
def word_counts(code: str) -> dict[str, int]:
    """How often each word of a language occurs, from pyspellchecker's word lists (loaded when needed)."""
    import gzip
    import json

    data = resources.files("spellchecker").joinpath("resources", f"{code}.json.gz").read_bytes()
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


def normal_tag(tag: str) -> str:
    return tag.strip().lower().replace("_", "-")


_lexicons: dict[str, Lexicon] = {}


def _lexicon(package: str) -> Lexicon:
    if package not in _lexicons:
        text = resources.files(package).joinpath("lexicon.toml").read_text(encoding="utf-8")
        _lexicons[package] = parse_lexicon(text, "built-in lexicon")
    return _lexicons[package]
