"""Rendering one audio file of a package: utterances → speech → loudness-normalised, tagged file.

A :class:`TrackJob` holds everything the rendering depends on, so its :attr:`TrackJob.key`
identifies the audio it produces: the build cache is keyed by it, and a worker process can run
it with nothing else to go on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

from . import __version__
from .audio import Loudness, render_encoded
from .captions import Cue, chapter_cues
from .engine import get_engine
from .files import atomic_path
from .settings import AudioFormat
from .speech import Utterance
from .tags import Tags, write_tags

#: Seconds a worker may take for a track before it is stopped: generous, since the engine
#: renders about a thousand times faster than real time and encoding a few hundred times.
TIME_LIMIT_BASE = 120.0
TIME_LIMIT_PER_WORD = 0.02


@dataclass(frozen=True)
class TrackJob:
    label: str
    """The track's title, for progress and error messages."""
    utterances: tuple[Utterance, ...]
    voice: str
    rate: int
    audio_format: AudioFormat
    bitrate: str | None
    tags: Tags
    target: Path
    """Where the finished file goes (an entry of the build cache)."""

    @property
    def words(self) -> int:
        return sum(len(u.spoken.split()) for u in self.utterances)

    @cached_property
    def key(self) -> str:
        """A digest of everything that decides the file's bytes and its captions."""
        recipe = {
            "tool": __version__,
            "engine": _engine_version(),
            "voice": self.voice,
            "rate": self.rate,
            "format": self.audio_format.value,
            "bitrate": self.bitrate,
            "tags": asdict(self.tags),
            "utterances": [[u.spoken, u.pause_ms, u.fragments] for u in self.utterances],
        }
        return hashlib.sha256(json.dumps(recipe, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    @property
    def time_limit(self) -> float:
        return TIME_LIMIT_BASE + TIME_LIMIT_PER_WORD * self.words


@dataclass(frozen=True)
class RenderedTrack:
    seconds: float
    loudness: Loudness
    cues: tuple[Cue, ...]

    def to_json(self) -> dict:
        return {
            "seconds": self.seconds,
            "loudness": [self.loudness.integrated, self.loudness.true_peak],
            "cues": [[c.start, c.end, c.text] for c in self.cues],
        }

    @classmethod
    def from_json(cls, data: dict) -> RenderedTrack:
        return cls(
            seconds=float(data["seconds"]),
            loudness=Loudness(*data["loudness"]),
            cues=tuple(Cue(float(a), float(b), str(t)) for a, b, t in data["cues"]),
        )


def render_track(job: TrackJob) -> RenderedTrack:
    """Render, normalise, encode and tag one track into ``job.target`` (written atomically)."""
    engine = get_engine()
    engine.configure(job.voice, job.rate)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(job.target) as temp:
        timings, loudness, seconds = render_encoded(engine, list(job.utterances), temp, job.audio_format, job.bitrate)
        write_tags(temp, job.audio_format, job.tags)
    return RenderedTrack(seconds, loudness, tuple(chapter_cues(job.utterances, timings)))


def _engine_version() -> str:
    from importlib.metadata import version

    return f"pyttsx3 {version('pyttsx3')}, espeakng-loader {version('espeakng-loader')}"
