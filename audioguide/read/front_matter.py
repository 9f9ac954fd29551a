"""Front matter: ``key: value`` lines between ``---`` lines at the top of a text or Markdown guide.

Static sites and notes apps write keys of their own (``url``, ``layout``, ``date``, ``tags``);
those are ignored with one warning line, never refused, since the guide under them is fine. Some
sites name the heading shown over the page apart from its ``title`` (VA.gov's ``heading:``, with
``title:`` often left empty): what the page shows is its title.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

KEYS = ("title", "heading", "author", "clinic", "language", "engine", "voice", "rate", "preset", "lexicon")


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    author: str | None = None
    """The clinic or author named in the tags and on the player page (``clinic:`` says the same)."""
    language: str | None = None
    engine: str | None = None
    voice: str | None = None
    rate: int | None = None
    preset: str | None = None
    lexicon: Path | None = None
    ignored: tuple[str, ...] = ()
    """Keys the front matter had that audioguide does not read."""

    def ignored_notice(self, path: Path) -> str | None:
        """One line naming the keys that were ignored, with the known key a typo was likely meant as."""
        if not self.ignored:
            return None
        guesses = [
            f"'{key}' (did you mean '{close[0]}'?)"
            if (close := difflib.get_close_matches(key, KEYS, n=1, cutoff=0.8))
            else key
            for key in self.ignored
        ]
        return f"{path}: front matter {', '.join(guesses)} ignored; audioguide reads {', '.join(KEYS)}"


def split_front_matter(text: str, path: Path) -> tuple[FrontMatter, str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(), text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return FrontMatter(), text
    values: dict[str, str] = {}
    ignored: list[str] = []
    for line in lines[1:end]:
        if not line.strip() or line.lstrip().startswith("#") or line[:1] in (" ", "\t", "-"):
            continue  # blank, a comment, or the rest of a YAML list or block under the key before
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key in KEYS:
            values["author" if key == "clinic" else key] = value.strip().strip("\"'")
        elif key not in ignored:
            ignored.append(key)
    meta = FrontMatter(
        title=values.get("heading") or values.get("title") or None,
        author=values.get("author") or None,
        language=values.get("language") or None,
        engine=values.get("engine") or None,
        voice=values.get("voice") or None,
        rate=_rate(values.get("rate"), path),
        preset=values.get("preset") or None,
        lexicon=(path.parent / values["lexicon"]) if values.get("lexicon") else None,
        ignored=tuple(ignored),
    )
    return meta, "\n".join(lines[end + 1 :])


def _rate(value: str | None, path: Path) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise InputError(f"{path}: front matter 'rate: {value}' must be words per minute, e.g. 'rate: 150'")
    return int(value)
