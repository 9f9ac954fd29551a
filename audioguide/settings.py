"""Settings of a build: what someone asked for (:class:`Request`), resolved once into what a build
uses (:class:`Settings`), with the reasons for the defaults.

:func:`resolve` is the only place a default is applied or a range checked: the command line, a
script's front matter and the workbench all go through it, so each setting has one range and one
message. Every choice is a ``str`` enum, spelled the same way on the command line, in the manifest
and in front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from .engines import FALLBACK_ENGINE, Catalogue
from .errors import InputError, VoiceError
from .languages import AUTO, CODES, DEFAULT, get_language, normal_tag, primary
from .read.front_matter import FrontMatter
from .speech.prepare import Pauses

#: Words per minute that patients follow comfortably: slower than espeak's 175 and than most
#: narrators (about 160), because listeners are often tired, older, or on medication.
DEFAULT_RATE = 155
#: Words per minute of the ``slow`` preset, for older listeners and hard-of-hearing patients.
SLOW_RATE = 130
#: Rates every engine speaks clearly (eSpeak NG silently clamps outside them: point 5 of
#: engines/espeak/renderer.py).
MIN_RATE, MAX_RATE = 80, 450
#: Integrated loudness of every file, in LUFS: the usual target for spoken-word podcasts.
TARGET_LUFS = -16.0
#: Highest true peak allowed after normalisation, in dBTP, so lossy encoders do not clip.
TARGET_TRUE_PEAK = -1.5
#: Bitrates a lossy encoder is given: "64k" and the like, from 8 to 320 kb/s.
_BITRATE = re.compile(r"([1-9]\d{0,2})k")


class AudioFormat(str, Enum):
    """A container and codec for the rendered audio (everything else about it: :data:`FORMATS`)."""

    MP3 = "mp3"
    OGG = "ogg"
    OPUS = "opus"
    M4A = "m4a"
    M4B = "m4b"
    FLAC = "flac"
    WAV = "wav"

    @property
    def info(self) -> FormatInfo:
        return FORMATS[self]

    @property
    def extension(self) -> str:
        return self.value

    @property
    def chapter_extension(self) -> str:
        """An audiobook app shows each .m4b as a book of its own: chapter files stay .m4a."""
        return "m4a" if self is AudioFormat.M4B else self.value

    def sample_rate(self, engine_rate: int) -> int:
        """Output sample rate: the engine's own, since resampling adds nothing a listener hears
        and a higher rate doubles the encoder's work. Opus takes only 48 kHz (and a few lower
        rates); MP3 takes only the MPEG rates, and 22,050 Hz (MPEG-2) plays on every MP3 player."""
        if self is AudioFormat.OPUS:
            return 48000
        rates = self.info.sample_rates
        return 44100 if rates and engine_rate not in rates else engine_rate


class TagKind(str, Enum):
    """How a container carries its tags."""

    ID3 = "id3"
    """ID3v2.3 frames, which every old player and Windows read (MP3, and WAV's id3 chunk)."""
    VORBIS = "vorbis"
    """Vorbis comments (Ogg, Opus, FLAC), chapter marks as CHAPTERnnn comments."""
    MP4 = "mp4"
    """iTunes atoms (M4A, M4B), chapter marks as chapter atoms."""


@dataclass(frozen=True)
class FormatInfo:
    """Everything audioguide does differently for one audio format."""

    label: str
    """What a person is shown."""
    codec: str
    """ffmpeg's encoder."""
    muxer: str
    """ffmpeg's container writer."""
    tags: TagKind
    join_by_copy: bool
    """Files join packet for packet without decoding. FLAC keeps the first file's length in its
    header when copied, and Ogg pages carry positions: those are re-encoded. MP3 is joined frame
    for frame, without ffmpeg (build/audio.py)."""
    lossless: bool
    """Takes no bitrate."""
    default_bitrate: str
    """Mono speech sounds clean at this rate; "" for lossless formats."""
    zip_stored: bool
    """A ZIP stores it as it is: deflating compressed audio saves nothing, and speech samples
    little, for the time it takes to pack and unpack."""
    sample_rates: frozenset[int] = frozenset()
    """The only rates the format takes; empty for any (Opus always gets 48 kHz, its own)."""


_MPEG_RATES = frozenset({8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000})

#: One row a format: the command line's choices, the encoder, the join, the tags, the ZIP.
FORMATS: Mapping[AudioFormat, FormatInfo] = {
    AudioFormat.MP3: FormatInfo("MP3 (plays everywhere)", "libmp3lame", "mp3", TagKind.ID3, False, False, "64k",
                                True, _MPEG_RATES),
    AudioFormat.OGG: FormatInfo("Ogg Vorbis", "libvorbis", "ogg", TagKind.VORBIS, False, False, "64k", True),
    AudioFormat.OPUS: FormatInfo("Opus (smallest)", "libopus", "ogg", TagKind.VORBIS, False, False, "48k", True),
    AudioFormat.M4A: FormatInfo("M4A (AAC)", "aac", "ipod", TagKind.MP4, True, False, "64k", True),
    AudioFormat.M4B: FormatInfo("M4B audiobook", "aac", "ipod", TagKind.MP4, True, False, "64k", True),
    AudioFormat.FLAC: FormatInfo("FLAC (lossless)", "flac", "flac", TagKind.VORBIS, False, True, "", True),
    AudioFormat.WAV: FormatInfo("WAV (uncompressed)", "pcm_s16le", "wav", TagKind.ID3, True, True, "", True),
}  # fmt: skip


class Preset(str, Enum):
    """Listener presets: how fast the voice speaks and how long it pauses."""

    STANDARD = "standard"
    SLOW = "slow"

    @property
    def rate(self) -> int:
        return SLOW_RATE if self is Preset.SLOW else DEFAULT_RATE

    @property
    def pauses(self) -> Pauses:
        return Pauses.slow() if self is Preset.SLOW else Pauses()


class LanguageSource(str, Enum):
    """Who decided the guide's language."""

    GIVEN = "given"
    """The person building it (``--language``, the workbench's setting)."""
    SCRIPT = "script"
    """The script's front matter."""
    TEXT = "text"
    """Told from the text, since nobody said."""


@dataclass(frozen=True)
class Request:
    """What someone asked for, on the command line or the workbench: None is "not asked"."""

    engine: str | None = None
    """Text-to-speech engine by name (see ``audioguide voices --engine``)."""
    voice: str | None = None
    """A voice of the engine: an id, a name, a language tag, or a voice file."""
    rate: int | None = None
    """Words per minute."""
    preset: str | None = None
    """Listener preset: standard or slow."""
    audio_format: str | None = None
    """Container and codec of every audio file of the package."""
    bitrate: str | None = None
    """Encoder bitrate such as ``64k``."""
    language: str | None = None
    """The guide's language tag ("en-US", "en-GB", "es", "es-MX"), or "auto" to read each part in its own."""
    lexicons: tuple[Path, ...] = ()
    """Clinic lexicon files, applied after the built-in medical lexicon (later files win)."""
    contents: bool = False
    """Add a spoken table of contents, ``00-contents``, before the chapters."""
    epub: bool = True
    """Make the EPUB 3 talking book (``--no-epub`` leaves it out)."""
    daisy: bool = False
    """Make the DAISY 2.02 talking book for talking-book players (``--daisy``)."""


@dataclass(frozen=True)
class Speaker:
    """Who reads a language's parts."""

    voice: str
    """The engine's voice id."""
    language: str
    """The language tag the parts (and the package) are marked with: the guide's own where it
    names a region ("en-GB"), else the voice's ("en-us")."""


@dataclass(frozen=True)
class Settings:
    """Everything that decides what a build renders and writes, resolved: nothing left to default."""

    engine: str
    """The engine that reads the guide."""
    speakers: Mapping[str, Speaker]
    """Language code → who reads the parts in that language: the guide's own language always, and
    with 'language: auto' each other language the engine has a voice for."""
    language: str
    """The guide's language tag, as given or told from its text."""
    language_source: LanguageSource
    each_part: bool
    """'language: auto': each part is read in the language its text is in."""
    rate: int
    """Words per minute."""
    preset: Preset
    pauses: Pauses
    audio_format: AudioFormat
    bitrate: str
    """Encoder bitrate such as ``64k``; "" for lossless formats."""
    lexicons: tuple[Path, ...]
    """Clinic lexicon files, the script's first, applied in order over the language's own."""
    contents: bool
    """A spoken table of contents, ``00-contents``, before the chapters."""
    epub: bool
    """An EPUB 3 talking book, ``<guide-slug>.epub``, in the package."""
    daisy: bool
    """A DAISY 2.02 talking book, ``daisy/``, in the package."""
    notes: tuple[str, ...] = field(default=())
    """What the person building should know about how these were chosen (a fallback voice)."""

    @property
    def speaker(self) -> Speaker:
        """Who reads the guide: its language's voice."""
        return self.speakers[primary(self.language)]

    @property
    def voice(self) -> str:
        return self.speaker.voice

    @property
    def language_note(self) -> str:
        """Which language the guide is read in, and how that was decided: shown by build and proof."""
        name = get_language(self.language).name
        return f"{name}, told from its text" if self.language_source is LanguageSource.TEXT else name


def resolve(
    request: Request,
    script: FrontMatter,
    installed: Sequence[Catalogue],
    *,
    text_language: Callable[[], str | None] = lambda: None,
    where: str = "the guide",
) -> Settings:
    """The settings of a build: ``request`` first, then the script's front matter, then defaults.

    ``installed`` are the engines' catalogues; ``text_language`` tells the guide's language from
    its text (asked only when neither the request nor the script says); ``where`` names the script
    in messages about its front matter.
    """
    tag, source = _language(request, script, text_language)
    each_part = tag.lower() == AUTO
    if each_part:
        tag = text_language() or DEFAULT
    language = get_language(tag)  # a clear error for a language audioguide does not speak
    preset = _preset(request, script, where)
    rate = _rate(request, script, preset, where)
    audio_format = _format(request.audio_format)
    engines = {catalogue.name: catalogue for catalogue in installed}
    wanted_voice = request.voice or script.voice
    wanted_engine = request.engine or script.engine
    notes: list[str] = []
    if wanted_engine:
        engine = _named_engine(wanted_engine, engines)
    else:
        engine = _default_engine(tag, wanted_voice, engines, notes)
    main = _speaker(engine, tag, wanted_voice)
    speakers = {language.code: main}
    if each_part:
        for code in CODES:
            voice = engine.voice_for(code, get_language(code).voices.get(engine.name, {}))
            if code != language.code and voice is not None:
                speakers[code] = Speaker(voice, _marked(code, engine.language_of(voice)))
    return Settings(
        engine=engine.name,
        speakers=speakers,
        language=tag,
        language_source=source,
        each_part=each_part,
        rate=rate,
        preset=preset,
        pauses=preset.pauses,
        audio_format=audio_format,
        bitrate=_bitrate(request.bitrate, audio_format),
        lexicons=((script.lexicon,) if script.lexicon else ()) + tuple(request.lexicons),
        contents=request.contents,
        epub=request.epub,
        daisy=request.daisy,
        notes=tuple(notes),
    )


def _language(
    request: Request, script: FrontMatter, text_language: Callable[[], str | None]
) -> tuple[str, LanguageSource]:
    if request.language:
        return request.language, LanguageSource.GIVEN
    if script.language:
        return script.language, LanguageSource.SCRIPT
    return text_language() or DEFAULT, LanguageSource.TEXT


def _preset(request: Request, script: FrontMatter, where: str) -> Preset:
    if request.preset:
        return _checked_preset(request.preset, f"preset {request.preset}")
    if script.preset:
        return _checked_preset(script.preset, f"{where}: front matter 'preset: {script.preset}'")
    return Preset.STANDARD


def _checked_preset(value: str, said: str) -> Preset:
    try:
        return Preset(value.lower())
    except ValueError:
        raise InputError(f"{said}: choose {' or '.join(p.value for p in Preset)}") from None


def _rate(request: Request, script: FrontMatter, preset: Preset, where: str) -> int:
    if request.rate is not None:
        return _checked_rate(request.rate, f"rate {request.rate}")
    if script.rate is not None:
        return _checked_rate(script.rate, f"{where}: front matter 'rate: {script.rate}'")
    return preset.rate


def _checked_rate(rate: int, said: str) -> int:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise InputError(f"{said}: give words per minute from {MIN_RATE} to {MAX_RATE}, e.g. 150")
    return rate


def _format(value: str | None) -> AudioFormat:
    if not value:
        return AudioFormat.MP3
    try:
        return AudioFormat(value.lower())
    except ValueError:
        choices = ", ".join(f.value for f in AudioFormat)
        raise InputError(f"format {value}: choose one of {choices}") from None


def _bitrate(value: str | None, audio_format: AudioFormat) -> str:
    info = audio_format.info
    if info.lossless:
        return ""
    if not value:
        return info.default_bitrate
    found = _BITRATE.fullmatch(value.strip().lower())
    if not found or not 8 <= int(found.group(1)) <= 320:
        raise InputError(f"bitrate {value}: give kilobits a second from 8k to 320k, e.g. 64k")
    return found.group(0)


def _named_engine(name: str, engines: Mapping[str, Catalogue]) -> Catalogue:
    if name not in engines:
        raise InputError(f"engine {name}: no such engine; choose one of {', '.join(engines)}")
    engine = engines[name]
    missing = engine.missing()
    if missing:
        raise InputError(missing)
    return engine


def _default_engine(tag: str, voice: str | None, engines: Mapping[str, Catalogue], notes: list[str]) -> Catalogue:
    """The natural voice where it is installed and speaks the guide's language (or the voice named),
    else eSpeak NG; a natural voice passed over for the language is said so."""
    language = get_language(tag)
    candidates = sorted(
        (engine for engine in engines.values() if not engine.missing()), key=lambda engine: not engine.natural
    )
    for engine in candidates:
        if voice is not None:
            try:
                engine.resolve_voice(voice)
            except (VoiceError, InputError):
                continue
            return engine
        if engine.voice_for(tag, language.voices.get(engine.name, {})) is not None:
            return engine
        if engine.natural:
            fallback = engines[FALLBACK_ENGINE].label
            notes.append(f"no natural voice for {language.name} is installed; reading with {fallback}")
    return engines[FALLBACK_ENGINE]


def _speaker(engine: Catalogue, tag: str, wanted: str | None) -> Speaker:
    """The voice that reads the guide's language; a voice of another language is refused, since it
    would read every word wrongly."""
    language = get_language(tag)
    if wanted:
        voice = engine.resolve_voice(wanted)
    else:
        found = engine.voice_for(tag, language.voices.get(engine.name, {}))
        if found is None:
            raise VoiceError(
                f"{engine.label} has no voice for {language.name} ({tag}); install one, or choose another engine"
            )
        voice = found
    spoken = engine.language_of(voice)
    if primary(spoken) != language.code:
        raise InputError(
            f"the voice {voice} speaks {spoken}, but the guide is in {language.name} ({tag}); "
            f"choose a voice of its language (audioguide voices --language {language.code}), or give the language"
        )
    return Speaker(voice, _marked(tag, spoken))


def _marked(tag: str, spoken: str) -> str:
    """The package is marked with the voice's own tag ("en-us") unless the guide named its own region."""
    return tag if "-" in normal_tag(tag) else spoken
