"""Captions: a cue per sentence, timed by the engine's own word events, in WebVTT and SRT.

Cue text is the page text (what the patient reads), never the respelled spoken text. A sentence
too long for two lines of about 42 characters is cut at a clause, or else between words, and
each part gets its own cue, timed from the engine's event for the part's first word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..build.keys import code_digest, digest
from ..build.types import BuildResult, Heard, Track
from ..speech.fragments import LINE_CHARS
from ..speech.prepare import Utterance
from .base import PackageFiles


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


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


def track_cues(utterances: list[Utterance], heard: list[Heard]) -> list[Cue]:
    """A cue per caption part of every utterance of a track: its page text, when it is heard."""
    return [
        Cue(start, end, text)
        for utterance, timing in zip(utterances, heard, strict=True)
        for (text, _), (start, end) in zip(utterance.fragments, timing.parts, strict=True)
    ]


def shifted(cues: list[Cue], offset: float) -> list[Cue]:
    return [Cue(cue.start + offset, cue.end + offset, cue.text) for cue in cues]


class Captions:
    """``NN-chapter.vtt`` and ``.srt`` for each track, and for the full-length file.

    A track's own caption files are written again only when what they are made of changed (its
    audio's timing, its page text, their language, this module) or one was lost; the full-length
    file's are streamed through whole, a track at a time, so memory stays flat however long the guide.
    """

    name = "captions"
    alongside = False

    def files(self, result: BuildResult) -> list[str]:
        full = Path(result.full_file).stem
        return [name for track in result.tracks for name in caption_files(track)] + [f"{full}.vtt", f"{full}.srt"]

    def write(self, result: BuildResult, files: PackageFiles) -> dict:
        language = result.language.split("-")[0]
        made: dict[str, str] = {}
        full = Path(result.full_file).stem
        with files.text(f"{full}.vtt") as full_vtt, files.text(f"{full}.srt") as full_srt:
            full_vtt.write(vtt_header(language))
            number = 0
            starts: dict[int, float] = dict(zip(map(id, result.chapters), result.starts, strict=True))
            records = result.records
            for track in result.tracks:
                cues = track_cues(records.utterances(track.job.speech_key), records.heard(track.audio.key))
                vtt_name, srt_name = caption_files(track)
                made[track.file] = _made_of(track, language)
                same = files.previous.get(track.file) == made[track.file]
                if files.force or files.missing(vtt_name, srt_name) or not same:
                    with files.text(vtt_name) as out:
                        out.write(vtt(cues, language))
                    with files.text(srt_name) as out:
                        out.write(srt(cues))
                if id(track) in starts:  # the spoken contents is not in the full-length file
                    for cue in shifted(cues, starts[id(track)]):
                        number += 1
                        full_vtt.write(vtt_cue(number, cue))
                        full_srt.write(srt_cue(number, cue))
        return made


def caption_files(track: Track) -> tuple[str, str]:
    return f"{track.stem}.vtt", f"{track.stem}.srt"


def _made_of(track: Track, language: str) -> str:
    """What a track's caption files are made of."""
    return digest([track.audio.key, track.job.speech_key, language, code_digest("audioguide.outputs.captions")])


OUTPUT = Captions()
