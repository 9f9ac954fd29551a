"""Caption-sized parts of a sentence: each is timed on its own, so a caption shows it as it is heard.

A sentence too long for two caption lines of about 42 characters is cut at a clause, or else
between words. Speech preparation records where each part's words start in the spoken text, and
an engine without word events renders each part on its own to time it.
"""

from __future__ import annotations

import re

#: Characters a caption line holds comfortably on a phone held upright (BBC and Netflix use 37–42).
LINE_CHARS = 42
CUE_CHARS = 2 * LINE_CHARS
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—]\s)")


def caption_fragments(sentence: str, limit: int = CUE_CHARS) -> list[str]:
    """``sentence`` in consecutive parts of at most ``limit`` characters, cut at clauses if it can.

    The parts joined with single spaces give back the sentence (with its spaces folded).
    """
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return [sentence]
    clauses = [c for c in _CLAUSE_END.split(sentence) if c]
    fragments: list[str] = []
    for clause in clauses:
        for part in _split_words(clause, limit):
            if fragments and len(fragments[-1]) + 1 + len(part) <= limit:
                fragments[-1] = f"{fragments[-1]} {part}"
            else:
                fragments.append(part)
    return fragments


def _split_words(text: str, limit: int) -> list[str]:
    """Cut a clause longer than ``limit`` into balanced runs of words."""
    if len(text) <= limit:
        return [text]
    words = text.split(" ")
    parts = -(-len(text) // limit)
    target = len(text) / parts
    runs: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and (len(candidate) > limit or len(current) >= target):
            runs.append(current)
            current = word
        else:
            current = candidate
    runs.append(current)
    return runs
