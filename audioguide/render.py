"""Rendering one audio file of a package: a script → speech → loudness-normalised, tagged file.

A :class:`TrackJob` holds everything the rendering depends on and nothing of the rest of the
guide, so a worker process can run it with nothing else to go on, and sending it costs little
however long the guide. The worker prepares the speech itself, names the result by the digest
of that speech and of every setting that shapes its audio (:func:`track_key`), and renders it
into the build cache only if the cache lacks it: a lexicon entry that changes one chapter's
speech re-renders that chapter alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache, cached_property
from pathlib import Path

from . import __version__
from .audio import ffmpeg_exe, joined_span, render_encoded, voice_level
from .cache import Cache, RenderedTrack
from .captions import chapter_cues
from .engines import get_engine
from .files import atomic_path
from .normalize import Lexicon
from .settings import AudioFormat, Pauses
from .speech import ChapterScript, ContentsScript, Utterance, load_reading_rules
from .tags import Tags, write_tags

#: Seconds a worker may take for a track before it is stopped: generous, since the engine
#: renders about a thousand times faster than real time and encoding a few hundred times.
TIME_LIMIT_BASE = 120.0
TIME_LIMIT_PER_WORD = 0.02


@dataclass(frozen=True)
class TrackJob:
    label: str
    """The track's title, for progress and error messages."""
    script: ChapterScript | ContentsScript
    pauses: Pauses
    lexicon: Lexicon
    engine: str
    """The engine's name; a worker renders with one engine only."""
    identity: dict
    """What distinguishes the engine's audio: its versions and the voice model (see the engines)."""
    voice: str
    rate: int
    audio_format: AudioFormat
    bitrate: str | None
    tags: Tags
    cache: Path
    """The build cache's folder, where the finished file goes."""
    force: bool = False
    """Render even if the cache has the track."""
    threads: int = 1
    """Cores the engine may use, so that workers × threads stay within the machine's cores."""
    phonemes: dict = field(default_factory=dict)
    """The lexicon's phoneme strings in the engine's own alphabet, where it differs."""

    @property
    def words(self) -> int:
        return self.script.words

    @cached_property
    def script_key(self) -> str:
        """A digest of what the track says before speech preparation: the cache knows its speech by it."""
        return _digest({"code": source_digest("captions", "normalize", "speech"), "script": self.script,
                        "pauses": self.pauses, "lexicon": self.lexicon})  # fmt: skip

    def key(self, speech: str) -> str:
        """The track's key once its speech (by digest) is known: what decides the file's bytes and captions."""
        recipe = {
            "code": source_digest("audio", f"engines.{self.engine}", "render", "tags"),
            "engine": self.identity,
            "phonemes": self.phonemes,
            "voice": self.voice,
            "rate": self.rate,
            "format": self.audio_format.value,
            "bitrate": self.bitrate,
            "tags": self.tags,
            "speech": speech,
        }
        return _digest(recipe)

    @property
    def time_limit(self) -> float:
        return TIME_LIMIT_BASE + TIME_LIMIT_PER_WORD * self.words


def speech_key(utterances: list[Utterance]) -> str:
    """A digest of exactly what the engine is given, and the captions' page text."""
    return _digest([[u.spoken, u.pause_ms, u.fragments] for u in utterances])


def render_track(job: TrackJob) -> RenderedTrack:
    """Prepare a track's speech; render, normalise, encode and tag it into the cache, unless it is there."""
    cache = Cache(job.cache)
    utterances = job.script.utterances(job.pauses, job.lexicon)
    speech = speech_key(utterances)
    cache.remember_speech(job.script_key, speech)
    key = job.key(speech)
    extension = job.audio_format.chapter_extension
    found = None if job.force else cache.get(key, extension)
    if found is not None:
        return found
    engine = get_engine(job.engine)
    engine.configure(job.voice, job.rate, threads=job.threads, phonemes=job.phonemes)
    level_key = _digest({"code": source_digest("audio", f"engines.{job.engine}"), "engine": job.identity,
                         "voice": job.voice, "rate": job.rate})  # fmt: skip
    level = cache.level(level_key)
    if level is None:
        level = voice_level(engine)
        cache.remember_level(level_key, level)
    target = cache.audio_path(key, extension)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temp:
        timings, loudness, seconds = render_encoded(engine, utterances, temp, job.audio_format, job.bitrate, level)
        write_tags(temp, job.audio_format, job.tags)
        span = joined_span(temp, job.audio_format, seconds)
    return cache.put(key, extension, seconds, span, loudness, chapter_cues(utterances, timings))


def warm_up(engine: str) -> None:
    """What a worker's first track needs, loaded while the build still reads the guide (see :mod:`.workers`)."""
    get_engine(engine)
    load_reading_rules()
    ffmpeg_exe()  # found and checked once per process, by running it


def _digest(data) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fields(value) -> dict:
    """A dataclass as JSON sees it: what ``dataclasses.asdict`` gives, without its deep copies
    (a plan's keys are made before any chapter can be rendered, so their cost is a rebuild's)."""
    if is_dataclass(value):
        return {item.name: getattr(value, item.name) for item in fields(value)}
    raise TypeError(f"{type(value).__name__} is not JSON")


@cache
def source_digest(*modules: str) -> str:
    """The version and the source of the modules that make something the cache keeps: an
    installation from a newer commit of the same version must not be served what an older made."""
    digest = hashlib.sha256(__version__.encode())
    for name in modules:
        # Without source beside the module (a frozen build), the version stands for it.
        with contextlib.suppress(OSError, TypeError):
            digest.update(Path(importlib.import_module(f"audioguide.{name}").__file__).read_bytes())
    return digest.hexdigest()
