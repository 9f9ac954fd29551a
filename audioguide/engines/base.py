"""What the rest of audioguide needs from a text-to-speech engine, and nothing more.

An engine renders text to mono 16-bit PCM at its own sample rate and says when each word (or
each piece the caller asked to be timed) starts. Everything that belongs to one engine lives in
its module: its voices and how to find and check them, its speed model, its sample rate, its
phoneme alphabet, its timings and its identity for the build cache.

Two engines' native libraries must never meet in one process: eSpeak NG loaded for pyttsx3 (with
``RTLD_GLOBAL``) takes the place of the eSpeak NG built into Piper, and the process dies on
Piper's first phonemization. :func:`claim_native` enforces one engine per process; builds and
``say`` render in worker processes, one engine each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..errors import EngineError

_BYTES_PER_SAMPLE = 2


@dataclass(frozen=True)
class Voice:
    id: str
    """What ``--voice`` takes to choose it."""
    name: str
    languages: tuple[str, ...]
    gender: str | None = None
    sample_rate: int | None = None
    licence: str | None = None
    """The voice's licence and origin, where its package says."""


@dataclass(frozen=True)
class WordMark:
    """Where the engine started speaking one word (or timed piece) of the text it was given."""

    offset: int
    """Index of the word's first character in the text."""
    length: int
    """Length of the word in characters."""
    sample: int
    """Sample index, in the returned audio, at which the word starts."""


@dataclass
class Speech:
    """Audio of one call to an engine: mono signed 16-bit PCM, with the start of every timed word."""

    pcm: bytes
    sample_rate: int
    words: list[WordMark]

    @property
    def samples(self) -> int:
        return len(self.pcm) // _BYTES_PER_SAMPLE

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate


class Engine(Protocol):
    """A text-to-speech engine. Listing and choosing voices loads nothing heavy; the first
    :meth:`configure` loads the engine's native code into this process."""

    name: str
    sample_rate: int
    voice: str
    """The voice id in use, as :meth:`configure` returned it."""
    rate: int
    """The rate in use, in words per minute."""
    peak_margin: float
    """dB between the limited sample peak and the true-peak ceiling that this engine's speech
    needs: its inter-sample peaks and the lossy encoder's overshoot, measured."""
    cheap_to_repeat: bool
    """Speaking a chapter again costs less than keeping its samples on disk for a second encode,
    and gives the same audio."""

    def voices(self) -> list[Voice]: ...

    def resolve_voice(self, wanted: str | None) -> str:
        """The id of the voice ``wanted`` names (None: the engine's default); :class:`VoiceError` if none."""
        ...

    def choose(self, voice: str | None, rate: int) -> str:
        """Check a voice and a rate as cheaply as the engine allows; return the voice id."""
        ...

    def language_of(self, voice: str) -> str:
        """The language code of a voice, e.g. en-us."""
        ...

    def configure(
        self, voice: str | None, rate: int, *, threads: int = 1, phonemes: dict[str, str] | None = None
    ) -> str:
        """Select a voice and a rate in words per minute; return the voice id in use.

        ``threads`` is how many cores the engine may use; ``phonemes`` maps the lexicon's
        ``[[eSpeak NG mnemonics]]`` to what this engine takes instead (see :meth:`phoneme_table`).
        """
        ...

    def synthesize(self, text: str, marks: Sequence[int] = ()) -> Speech:
        """Render ``text``; ``marks`` are offsets in it whose start the caller needs timed exactly."""
        ...

    def phonemes(self, text: str) -> str:
        """The phonemes the engine speaks for ``text``, words separated by spaces, for checking."""
        ...

    def identity(self, voice: str) -> dict:
        """What distinguishes this engine's audio in the build cache: its versions and the voice's model."""
        ...

    def phoneme_table(self, mnemonics: set[str], voice: str) -> dict[str, str]:
        """How this engine is given each lexicon phoneme string (eSpeak NG mnemonics); {} when as they are."""
        ...


_native: str | None = None


def claim_native(name: str) -> None:
    """Record that engine ``name`` loads its native code into this process; refuse a second engine."""
    global _native
    if _native not in (None, name):
        raise EngineError(
            f"the {name} engine cannot run in a process where the {_native} engine has run; "
            "audioguide renders each engine in a worker process of its own"
        )
    _native = name


def native_engine() -> str | None:
    """The engine whose native code this process has loaded, if any."""
    return _native
