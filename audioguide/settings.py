"""Settings of a build, with the reasons for their defaults.

Every choice is a ``str`` enum so that the command line, the manifest and the front matter of a
script all spell it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

#: Voice used when neither the command line nor the script names one or a language.
DEFAULT_VOICE = "en-us"
#: Words per minute that patients follow comfortably: slower than espeak's 175 and than most
#: narrators (about 160), because listeners are often tired, older, or on medication.
DEFAULT_RATE = 155
#: Words per minute of the ``slow`` preset, for older listeners and hard-of-hearing patients.
SLOW_RATE = 130
#: Rates every engine accepts (eSpeak NG silently clamps outside them: point 5 of engines/espeak.py).
MIN_RATE, MAX_RATE = 80, 450
#: Integrated loudness of every file, in LUFS: the usual target for spoken-word podcasts.
TARGET_LUFS = -16.0
#: Highest true peak allowed after normalisation, in dBTP, so lossy encoders do not clip.
TARGET_TRUE_PEAK = -1.5


class AudioFormat(str, Enum):
    """A container and codec for the rendered audio."""

    MP3 = "mp3"
    OGG = "ogg"
    OPUS = "opus"
    M4A = "m4a"
    M4B = "m4b"
    FLAC = "flac"
    WAV = "wav"

    @property
    def extension(self) -> str:
        return self.value

    @property
    def chapter_extension(self) -> str:
        """An audiobook app shows each .m4b as a book of its own: chapter files stay .m4a."""
        return "m4a" if self is AudioFormat.M4B else self.value

    @property
    def codec(self) -> str:
        return _CODECS[self]

    def sample_rate(self, engine_rate: int) -> int:
        """Output sample rate: the engine's own, since resampling adds nothing a listener hears
        and a higher rate doubles the encoder's work. Opus takes only 48 kHz (and a few lower
        rates); MP3 takes only the MPEG rates, and 22,050 Hz (MPEG-2) plays on every MP3 player."""
        if self is AudioFormat.OPUS:
            return 48000
        if self is AudioFormat.MP3 and engine_rate not in _MPEG_RATES:
            return 44100
        return engine_rate

    @property
    def lossless(self) -> bool:
        return self in (AudioFormat.FLAC, AudioFormat.WAV)

    @property
    def default_bitrate(self) -> str | None:
        """Mono speech sounds clean at these rates; lossless formats take none."""
        if self.lossless:
            return None
        return "48k" if self is AudioFormat.OPUS else "64k"


_MPEG_RATES = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000}
_CODECS = {
    AudioFormat.MP3: "libmp3lame",
    AudioFormat.OGG: "libvorbis",
    AudioFormat.OPUS: "libopus",
    AudioFormat.M4A: "aac",
    AudioFormat.M4B: "aac",
    AudioFormat.FLAC: "flac",
    AudioFormat.WAV: "pcm_s16le",
}


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


@dataclass(frozen=True)
class Pauses:
    """Silences inserted between spoken pieces, in milliseconds."""

    sentence: int = 450
    """After each sentence: eSpeak NG adds none of its own at the end of an utterance."""
    item: int = 650
    """After each list item, so items are heard as separate points."""
    paragraph: int = 1000
    """Between paragraphs: the listener's cue that a new thought begins."""
    heading: int = 1000
    """After a heading inside a chapter."""
    announcement: int = 1500
    """After the chapter announcement ("Part 2 of 4. ..."), before the chapter's text."""

    @classmethod
    def slow(cls) -> Pauses:
        return cls(sentence=700, item=1000, paragraph=1600, heading=1500, announcement=2200)


@dataclass(frozen=True)
class BuildSettings:
    """Everything that decides what a build renders and writes."""

    engine: str | None = None
    """Text-to-speech engine by name (see ``audioguide voices --engine``); None: the script's, else the default."""
    voice: str | None = None
    """Voice of the engine (see ``audioguide voices``); None takes the script's, else its language's default."""
    rate: int | None = None
    """Words per minute; None takes the preset's rate."""
    preset: Preset | None = None
    """Listener preset: rate and pause lengths; None takes the script's, else ``standard``."""
    audio_format: AudioFormat = AudioFormat.MP3
    """Container and codec of every audio file of the package."""
    bitrate: str | None = None
    """Encoder bitrate such as ``64k``; None takes the format's default."""
    language: str | None = None
    """The guide's language tag ("en-US", "en-GB", "es", "es-MX"), or "auto" to read each part in its
    own; None takes the script's, else the language its text is in."""
    lexicons: tuple[Path, ...] = field(default_factory=tuple)
    """Clinic lexicon files, applied after the built-in medical lexicon (later files win)."""
    heading: str | None = None
    """A regular expression: lines matching it are chapter headings (overrides detection)."""
    chapter_level: int | None = None
    """Markdown heading level that starts a chapter; None detects it."""
    contents: bool = False
    """Add a spoken table of contents, ``00-contents``, before the chapters."""

    @property
    def effective_preset(self) -> Preset:
        return self.preset or Preset.STANDARD

    @property
    def effective_rate(self) -> int:
        return self.rate if self.rate is not None else self.effective_preset.rate

    @property
    def effective_bitrate(self) -> str | None:
        return self.bitrate or self.audio_format.default_bitrate

    @property
    def pauses(self) -> Pauses:
        return self.effective_preset.pauses
