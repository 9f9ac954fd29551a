"""``audioguide say``: one phrase through the same speech stage and engine as a guide."""

from __future__ import annotations

from pathlib import Path

from .audio import render_encoded, voice_level
from .engine import Engine, get_engine
from .errors import InputError
from .files import atomic_path
from .normalize import load_lexicon
from .settings import AudioFormat, BuildSettings
from .speech import Utterance, prepare_phrase


def say_phrase(text: str, target: Path, settings: BuildSettings, engine: Engine | None = None) -> list[Utterance]:
    """Render ``text`` to ``target`` (format from its extension); return what was spoken."""
    if not text.strip():
        raise InputError('nothing to say; give a phrase, e.g. audioguide say "IV therapy" -o iv.wav')
    audio_format = _format_of(target)
    utterances = prepare_phrase(text, settings.pauses, load_lexicon(settings.lexicons))
    engine = engine or get_engine()
    engine.configure(settings.voice, settings.effective_rate)
    target = Path(target)
    if not target.parent.is_dir():
        raise InputError(f"{target.parent} does not exist; create the folder or choose another -o")
    with atomic_path(target) as temp:
        bitrate = settings.bitrate or audio_format.default_bitrate
        render_encoded(engine, utterances, temp, audio_format, bitrate, voice_level(engine))
    return utterances


def _format_of(target: Path) -> AudioFormat:
    try:
        return AudioFormat(Path(target).suffix.lower().lstrip("."))
    except ValueError:
        known = ", ".join(f".{f.value}" for f in AudioFormat)
        raise InputError(f"-o {target}: end the file name with one of {known}") from None
