"""Captions: a cue per sentence, timed by the engine's own word events, in WebVTT and SRT.

Cue text is the page text (what the patient reads), never the respelled spoken text. A sentence
too long for two lines of about 42 characters is cut at a clause, or else between words, and
each part gets its own cue, timed from the engine's event for the part's first word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Characters a caption line holds comfortably on a phone held upright (BBC and Netflix use 37–42).
LINE_CHARS = 42
CUE_CHARS = 2 * LINE_CHARS
_SHORTEST_CUE = 0.3
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—]\s)")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


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


@lru_cache(maxsize=4096)
def two_lines(text: str, width: int = LINE_CHARS) -> str:
    """Break a cue into at most two lines, as even as the words allow.

    Cached: every cue is written four times (chapter and full-length file, WebVTT and SRT).
    """
    if len(text) <= width:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    middle = len(text) / 2
    cut = min(spaces, key=lambda i: (max(i, len(text) - i - 1) > width, abs(i - middle)))
    return f"{text[:cut]}\n{text[cut + 1 :]}"


def _timestamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _escape_vtt(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_srt(text: str) -> str:
    # SRT has no escapes, and players read <i>, <b> and <font> in it as markup: angle brackets
    # become look-alike quotation marks that display the same and mean nothing.
    return text.replace("<", "‹").replace(">", "›")


def vtt_header(language: str = "en") -> str:
    return f"WEBVTT\nKind: captions\nLanguage: {language}\n"


def vtt_cue(number: int, cue: Cue) -> str:
    """One cue, with the blank line that separates it from what comes before."""
    timing = f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}"
    return f"\n{number}\n{timing}\n{_escape_vtt(two_lines(cue.text))}\n"


def srt_cue(number: int, cue: Cue) -> str:
    """One cue, with the blank line that separates it from the one before (the first has none)."""
    separator = "" if number == 1 else "\n"
    timing = f"{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}"
    return f"{separator}{number}\n{timing}\n{_escape_srt(two_lines(cue.text))}\n"


def vtt(cues: list[Cue], language: str = "en") -> str:
    return vtt_header(language) + "".join(vtt_cue(number, cue) for number, cue in enumerate(cues, start=1))


def srt(cues: list[Cue]) -> str:
    return "".join(srt_cue(number, cue) for number, cue in enumerate(cues, start=1))


def chapter_cues(utterances, timings) -> list[Cue]:
    """A cue per caption part of every utterance, from the engine's word events.

    A part starts when the engine starts its first word; it ends when the next part starts, or,
    for the last part of a sentence, when the sentence's speech ends (its pause is not captioned).
    """
    cues: list[Cue] = []
    for utterance, timing in zip(utterances, timings, strict=True):
        starts = []
        for index, (_, offset) in enumerate(utterance.fragments):
            if index == 0:
                starts.append(timing.start)
                continue
            heard = next((w.seconds for w in timing.words if w.offset >= offset), None)
            if heard is None:
                share = offset / max(len(utterance.spoken), 1)
                heard = timing.start + share * (timing.end - timing.start)
            starts.append(max(heard, starts[-1]))
        # Speech too short to time (a line of emoji, which is not spoken) still gets a moment on
        # screen, inside the pause that follows it.
        ends = [*starts[1:], max(timing.end, starts[-1] + _SHORTEST_CUE)]
        cues.extend(
            Cue(start, end, text) for (text, _), start, end in zip(utterance.fragments, starts, ends, strict=True)
        )
    return cues


def shifted(cues: list[Cue], offset: float) -> list[Cue]:
    return [Cue(cue.start + offset, cue.end + offset, cue.text) for cue in cues]
