"""What a build plans and what it hands the outputs: the types the package's writers (``outputs/``)
may import without importing the builder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from ..read.chapters import Chapter, Guide
from ..settings import AudioFormat, Settings
from ..speech.lexicon import Lexicon
from ..speech.prepare import ChapterScript, ContentsScript, Pauses, Utterance


class Phase(str, Enum):
    """What a build is doing, in the order it does it."""

    READING = "reading"
    """Reading the documents and planning their parts."""
    LOADING = "loading"
    """Starting the workers, which load the engine and the voice."""
    SPEAKING = "speaking"
    """The parts the cache lacks are being spoken."""
    JOINING = "joining"
    """Joining the full-length file while the captions, player and other files are written."""


@dataclass(frozen=True)
class Progress:
    """Where a build is: sent to its caller at each phase and as each part is ready."""

    guide: str
    """The title of the guide the update is about (the first guide's, before a part is ready)."""
    phase: Phase
    done: int
    """Parts ready, from the cache or spoken by this build."""
    total: int
    """Parts of every guide being built: known once they are read, before anything is spoken."""
    chapter: str = ""
    """The title of the part that has just become ready; empty when the update is about a phase."""
    seconds_left: float | None = None
    """Estimated from the words left and the engine's measured speed on this machine; None when
    nothing is known of its speed yet."""
    speaking: tuple[int, ...] = ()
    """The numbers of the parts being spoken now."""


@dataclass(frozen=True)
class Loudness:
    integrated: float
    """Integrated loudness, LUFS."""
    true_peak: float
    """Peak, dBFS (true peak where measured as such)."""


@dataclass(frozen=True)
class JoinedSpan:
    """What a file contributes once joined to others (see ``build/audio.py``: ``joined_span``)."""

    seconds: float
    """How long it plays there: where the next file's chapter mark goes."""
    audio_start: int = 0
    """Where its audio begins in the file (an MP3's info frame comes first)."""


@dataclass(frozen=True)
class Mark:
    """A chapter mark in a joined file."""

    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Heard:
    """When one utterance of a track is heard in the track's audio, in seconds."""

    start: float
    end: float
    """When its speech ends (its pause follows)."""
    parts: tuple[tuple[float, float], ...]
    """When each of its caption parts starts and ends."""


@dataclass(frozen=True)
class RenderedTrack:
    """A track's audio in the cache: what the package needs of it."""

    key: str
    """Its audio's cache key (``build/keys.py``)."""
    seconds: float
    span: JoinedSpan
    """How long it plays in the full-length file, and where its audio begins."""
    loudness: Loudness
    fresh: bool = False
    """Rendered by this build rather than found in the cache."""


@dataclass(frozen=True)
class TrackJob:
    """Everything a worker needs to prepare and render one track, and nothing of the rest of the
    guide: sending it costs little however long the guide."""

    label: str
    """The track's title, for progress and error messages."""
    script: ChapterScript | ContentsScript
    pauses: Pauses
    lexicon: Lexicon
    speech_key: str
    """The key the cache knows its prepared speech by."""
    engine: str
    """The engine's name; a worker renders with one engine only."""
    identity: dict
    """What distinguishes the engine's audio: its versions and the voice's model."""
    timed_by_marks: bool
    """The engine speaks each caption part on its own: where they begin is part of the audio."""
    voice: str
    rate: int
    audio_format: AudioFormat
    bitrate: str
    calibration: str
    """The text the voice's loudness is calibrated on, in the track's language."""
    cache: Path
    """The build cache's folder, where the finished audio goes."""
    force: bool = False
    """Render even if the cache has the track."""
    threads: int = 1
    """Cores the engine may use, so that workers × threads stay within the machine's cores."""
    phonemes: dict[str, str] = field(default_factory=dict)
    """The lexicon's phoneme strings in the engine's own alphabet, where it differs."""

    @property
    def words(self) -> int:
        return self.script.words


@dataclass
class Track:
    """One audio file of a package: its job (what it says and how) and, once rendered, its audio."""

    number: int
    title: str
    file: str
    job: TrackJob
    language: str
    """The language tag the file is marked with."""
    chapter: Chapter | None = None
    """The chapter it reads; None for the spoken contents."""
    rendered: RenderedTrack | None = None

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    @property
    def audio(self) -> RenderedTrack:
        """Its audio, once the build has it (from the cache or a worker)."""
        if self.rendered is None:
            raise RuntimeError(f"{self.file} has no audio yet")
        return self.rendered

    @property
    def seconds(self) -> float:
        return self.audio.seconds


@dataclass
class Plan:
    """A guide, read and prepared: everything needed to render and assemble its package."""

    guide: Guide
    settings: Settings
    identity: dict
    """The engine's identity for the guide's voice: its versions and the voice's model."""
    folder: Path
    chapters: list[Track] = field(default_factory=list)
    contents: Track | None = None

    @property
    def tracks(self) -> list[Track]:
        """The package's audio files in playing order."""
        return ([self.contents] if self.contents else []) + self.chapters


class TrackRecords(Protocol):
    """What a track said and when: the build cache keeps them, the outputs read them a track at a time."""

    def utterances(self, speech_key: str) -> list[Utterance]:
        """A track's utterances as speech preparation made them (page text and spoken text)."""
        ...

    def heard(self, audio_key: str) -> list[Heard]:
        """When each of a track's utterances is heard in its audio."""
        ...

    def mp3(self, audio_key: str, extension: str) -> Path:
        """A track's audio (in the format of ``extension``) as a constant-bit-rate MP3, for a book whose
        players take nothing else; made once and kept."""
        ...


@dataclass
class BuildResult:
    """A package being assembled, then built: what the outputs write from, and what the faces report."""

    plan: Plan
    records: TrackRecords
    full_file: str
    """The whole guide's file name."""
    full_seconds: float = 0.0
    """How long the full-length file plays: known once it is joined (the texts written meanwhile need it not)."""
    rendered: int = 0
    """How many tracks this build rendered (the rest came from the cache)."""
    retagged: int = 0
    """How many audio files only had their tags changed."""
    written: list[str] = field(default_factory=list)
    """The files of the package this build wrote; empty when nothing had changed."""

    @property
    def guide(self) -> Guide:
        return self.plan.guide

    @property
    def settings(self) -> Settings:
        return self.plan.settings

    @property
    def folder(self) -> Path:
        return self.plan.folder

    @property
    def chapters(self) -> list[Track]:
        return self.plan.chapters

    @property
    def contents(self) -> Track | None:
        return self.plan.contents

    @property
    def tracks(self) -> list[Track]:
        return self.plan.tracks

    @property
    def language(self) -> str:
        """The tag the package is marked with."""
        return self.settings.speaker.language

    @property
    def playlist(self) -> Path:
        return self.folder / f"{self.guide.slug}.m3u8"

    @property
    def seconds(self) -> float:
        return sum(track.seconds for track in self.chapters)

    @property
    def marks(self) -> list[Mark]:
        """Where each chapter starts and ends in the full-length file: one after another."""
        marks, position = [], 0.0
        for track in self.chapters:
            span = track.audio.span.seconds
            marks.append(Mark(track.title, position, position + span))
            position += span
        return marks

    @property
    def starts(self) -> list[float]:
        """Where each chapter starts in the full-length file."""
        return [mark.start for mark in self.marks]
