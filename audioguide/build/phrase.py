"""``audioguide say``: one phrase through the same speech stage and engine as a guide.

The phrase is rendered in a worker process, as a guide's chapters are: this process loads no
engine (see ``audioguide/engines/base.py``). A long-running process (the workbench) keeps that
worker (:class:`~.workers.KeptWorkers`), so a phrase after the first is spoken without loading the
engine and the voice again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..engines import catalogue, catalogues
from ..errors import EngineError, InputError
from ..files import atomic_path
from ..languages import get_language
from ..read.front_matter import FrontMatter
from ..settings import AudioFormat, Request, resolve
from ..speech.normalize import load_lexicon
from ..speech.prepare import Utterance, prepare_phrase
from .audio import render_encoded, voice_level
from .cache import Cache
from .render import warm_up as warm_up_track
from .run import lexicon_ipa
from .workers import KeptWorkers, WorkerPool

#: Seconds one phrase may take, engine start included.
TIME_LIMIT = 120.0
#: What a phrase's worker runs.
RENDER_PHRASE = "audioguide.build.phrase:render_phrase"


@dataclass(frozen=True)
class PhraseJob:
    utterances: list[Utterance]
    target: Path
    audio_format: AudioFormat
    bitrate: str
    engine: str
    voice: str
    rate: int
    phonemes: dict[str, str]
    calibration: str


def say_phrase(
    text: str, target: Path, request: Request, cache: Path | None = None, kept: KeptWorkers | None = None
) -> list[Utterance]:
    """Render ``text`` to ``target`` (format from its extension); return what was spoken.

    ``cache`` is a build cache whose converted lexicon phonemes a natural voice may reuse; ``kept``
    are workers kept between phrases (else one is started for this phrase, and stopped).
    """
    if not text.strip():
        raise InputError('nothing to say; give a phrase, e.g. audioguide say "IV therapy" -o iv.wav')
    audio_format = _format_of(target)
    target = Path(target).resolve()
    if not target.parent.is_dir():
        raise InputError(f"{target.parent} does not exist; create the folder or choose another -o")
    settings = resolve(request, FrontMatter(), catalogues())
    language = settings.speaker.language
    lexicon = load_lexicon(settings.lexicons, language)
    utterances = prepare_phrase(text, settings.pauses, lexicon, language)
    ipa_voice = catalogue(settings.engine).lexicon_ipa_voice(settings.voice)
    mnemonics = tuple(sorted(lexicon.phoneme_strings()))
    phonemes = lexicon_ipa(mnemonics, ipa_voice, Cache(cache) if cache else None) if ipa_voice and mnemonics else {}
    job = PhraseJob(
        utterances, target, audio_format, audio_format.info.default_bitrate, settings.engine, settings.voice,
        settings.rate, phonemes, get_language(language).calibration_text,
    )  # fmt: skip
    if kept is not None:
        outcome = kept.run(settings.engine, job)
    else:
        with WorkerPool(RENDER_PHRASE, 1, lambda _: TIME_LIMIT) as pool:
            outcome = next(pool.run([job]))
    if outcome.error is not None:
        raise EngineError(f"could not say the phrase: {outcome.error}")
    return utterances


def render_phrase(job: PhraseJob) -> None:
    """In a worker: speak the phrase into its file."""
    from ..engines import get_renderer

    engine = get_renderer(job.engine)
    engine.configure(job.voice, job.rate, phonemes=job.phonemes)
    with atomic_path(job.target) as temp:
        level = voice_level(engine, job.calibration)
        render_encoded(engine, job.utterances, temp, job.audio_format, job.bitrate, level)


def warm_up(engine: str) -> None:
    """What a phrase needs, loaded before it comes (see ``workers.py``): what a track needs."""
    warm_up_track(engine)


def _format_of(target: Path) -> AudioFormat:
    try:
        return AudioFormat(Path(target).suffix.lower().lstrip("."))
    except ValueError:
        known = ", ".join(f".{f.value}" for f in AudioFormat)
        raise InputError(f"-o {target}: end the file name with one of {known}") from None
