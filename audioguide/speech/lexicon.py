"""Pronunciation lexicons: a word → what the engine is given (a respelling, or ``[[phonemes]]``).

The built-in medical lexicon of each language (``languages/<code>/lexicon.toml``) and a clinic's
own lexicon files are read into :class:`Lexicon`; its type lives here, apart from the reading
rules and the languages, because both use it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from ..errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


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
