"""Rendering one track in a worker: its script → speech → loudness-normalised audio, in the cache.

A :class:`~.types.TrackJob` holds everything the rendering depends on and nothing of the rest
of the guide, so a worker process can run it with nothing else to go on. The worker prepares the
speech itself, names the audio by its key (``build/keys.py``), and renders it into the build
cache only if the cache lacks it: a lexicon entry that changes one chapter's speech re-renders
that chapter alone. The audio in the cache is untagged: tags are the placed file's.
"""

from __future__ import annotations

from ..engines import get_renderer
from ..files import atomic_path
from ..speech.prepare import Utterance, load_reading_rules
from .audio import UtteranceTiming, ffmpeg_exe, joined_span, render_encoded, voice_level
from .cache import Cache
from .keys import audio_key, level_key, spoken_digest
from .types import Heard, RenderedTrack, TrackJob

#: Seconds a worker may take for a track before it is stopped: generous, since the engine
#: renders about a thousand times faster than real time and encoding a few hundred times.
TIME_LIMIT_BASE = 120.0
TIME_LIMIT_PER_WORD = 0.02
#: The shortest time a caption part is shown: speech too short to time (a line of emoji, which is
#: not spoken) still gets a moment on screen, inside the pause that follows it.
SHORTEST_PART = 0.3


def time_limit(job: TrackJob) -> float:
    return TIME_LIMIT_BASE + TIME_LIMIT_PER_WORD * job.words


def spoken_of(job: TrackJob, utterances: list[Utterance]) -> str:
    """The digest of what the engine is given for these utterances (see ``build/keys.py``)."""
    spoken = [(u.spoken, u.pause_ms, tuple(offset for _, offset in u.fragments)) for u in utterances]
    return spoken_digest(spoken, job.timed_by_marks)


def render_track(job: TrackJob) -> RenderedTrack:
    """Prepare a track's speech; render, normalise and encode it into the cache, unless it is there."""
    cache = Cache(job.cache)
    utterances = job.script.utterances(job.pauses, job.lexicon)
    spoken = spoken_of(job, utterances)
    cache.remember_speech(job.speech_key, spoken, utterances)
    key = audio_key(job, spoken)
    extension = job.audio_format.chapter_extension
    found = None if job.force else cache.get(key, extension)
    if found is not None:
        return found
    engine = get_renderer(job.engine)
    engine.configure(job.voice, job.rate, threads=job.threads, phonemes=job.phonemes)
    level = cache.level(level_key(job))
    if level is None:
        level = voice_level(engine, job.calibration)
        cache.remember_level(level_key(job), level)
    target = cache.audio_path(key, extension)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temp:
        timings, loudness, seconds = render_encoded(engine, utterances, temp, job.audio_format, job.bitrate, level)
        span = joined_span(temp, job.audio_format, seconds)
    return cache.put(key, extension, seconds, span, loudness, heard(utterances, timings))


def heard(utterances: list[Utterance], timings: list[UtteranceTiming]) -> list[Heard]:
    """When each utterance and each of its caption parts is heard, from the engine's word events.

    A part starts when the engine starts its first word; it ends when the next part starts, or,
    for the last part of a sentence, when the sentence's speech ends (its pause is not captioned).
    """
    found = []
    for utterance, timing in zip(utterances, timings, strict=True):
        starts: list[float] = []
        for index, (_, offset) in enumerate(utterance.fragments):
            if index == 0:
                starts.append(timing.start)
                continue
            at = next((w.seconds for w in timing.words if w.offset >= offset), None)
            if at is None:
                share = offset / max(len(utterance.spoken), 1)
                at = timing.start + share * (timing.end - timing.start)
            starts.append(max(at, starts[-1]))
        ends = [*starts[1:], max(timing.end, starts[-1] + SHORTEST_PART)]
        found.append(Heard(timing.start, timing.end, tuple(zip(starts, ends, strict=True))))
    return found


def warm_up(engine: str) -> None:
    """What a worker's first track needs, loaded while the build still reads the guide (see ``workers.py``)."""
    get_renderer(engine)
    load_reading_rules()
    ffmpeg_exe()  # found and checked once per process, by running it
