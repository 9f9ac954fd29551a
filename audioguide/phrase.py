"""``audioguide say``: one phrase through the same speech stage and engine as a guide.

The phrase is rendered in a worker process, as a guide's chapters are: an engine's native code
then never meets another engine's in this process (see ``audioguide/engines/base.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .audio import render_encoded, voice_level
from .engines import DEFAULT_ENGINE, get_engine
from .errors import EngineError, InputError
from .files import atomic_path
from .languages import DEFAULT, get_language
from .normalize import load_lexicon
from .settings import AudioFormat, BuildSettings
from .speech import Utterance, prepare_phrase
from .workers import WorkerPool

#: Seconds one phrase may take, engine start included.
TIME_LIMIT = 120.0


@dataclass(frozen=True)
class PhraseJob:
    utterances: list[Utterance]
    target: Path
    audio_format: AudioFormat
    bitrate: str | None
    engine: str
    voice: str
    rate: int
    phonemes: dict


def say_phrase(text: str, target: Path, settings: BuildSettings) -> list[Utterance]:
    """Render ``text`` to ``target`` (format from its extension); return what was spoken."""
    if not text.strip():
        raise InputError('nothing to say; give a phrase, e.g. audioguide say "IV therapy" -o iv.wav')
    audio_format = _format_of(target)
    target = Path(target).resolve()
    if not target.parent.is_dir():
        raise InputError(f"{target.parent} does not exist; create the folder or choose another -o")
    tag = settings.language or DEFAULT
    lexicon = load_lexicon(settings.lexicons, tag)
    utterances = prepare_phrase(text, settings.pauses, lexicon, tag)
    name = settings.engine or DEFAULT_ENGINE
    engine = get_engine(name)
    voice = engine.choose(settings.voice or get_language(tag).voice_for(tag), settings.effective_rate)
    job = PhraseJob(
        utterances, target, audio_format, settings.bitrate or audio_format.default_bitrate, name, voice,
        settings.effective_rate, engine.phoneme_table(lexicon.phoneme_strings(), voice),
    )  # fmt: skip
    with WorkerPool("audioguide.phrase:render_phrase", 1, lambda _: TIME_LIMIT) as pool:
        outcome = next(pool.run([job]))
    if outcome.error is not None:
        raise EngineError(f"could not say the phrase: {outcome.error}")
    return utterances


def render_phrase(job: PhraseJob) -> None:
    """In a worker: speak the phrase into its file."""
    engine = get_engine(job.engine)
    engine.configure(job.voice, job.rate, phonemes=job.phonemes)
    with atomic_path(job.target) as temp:
        render_encoded(engine, job.utterances, temp, job.audio_format, job.bitrate, voice_level(engine))


def _format_of(target: Path) -> AudioFormat:
    try:
        return AudioFormat(Path(target).suffix.lower().lstrip("."))
    except ValueError:
        known = ", ".join(f".{f.value}" for f in AudioFormat)
        raise InputError(f"-o {target}: end the file name with one of {known}") from None
