"""Turning page text into the words a careful narrator would say (filled in by issue 3)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    original: str
    spoken: str


@dataclass(frozen=True)
class Lexicon:
    entries: dict[str, str]


def speak(text: str, lexicon: Lexicon) -> tuple[str, list[Change]]:
    spoken = re.sub(r"\s+", " ", text).strip()
    return spoken, []


def load_lexicon(paths) -> Lexicon:
    return Lexicon(entries={})
