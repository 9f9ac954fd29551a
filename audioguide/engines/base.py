"""What the rest of audioguide needs from a text-to-speech engine, in two parts.

- A :class:`Catalogue` says what the engine offers (its voices and their languages, its identity
  for the build cache, whether it is installed) without loading anything native: any process
  may use one, the command that plans a build and the workbench's server among them.
- A :class:`Renderer` speaks: it loads the engine's native code into its process, and runs only
  in worker processes (``build/workers.py``), one engine a process.

Two engines' native libraries must never meet in one process: eSpeak NG loaded for pyttsx3 (with
``RTLD_GLOBAL``) takes the place of the eSpeak NG built into Piper, and the process dies on
Piper's first phonemization. :func:`claim_native` enforces one engine per process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


class Catalogue(Protocol):
    """What an engine offers, known without loading it."""

    name: str
    """What ``--engine`` takes: "espeak"."""
    label: str
    """What a person is shown: "eSpeak NG"."""
    about: str
    """What it is, in a few words: "built in", "a natural voice"."""
    natural: bool
    """A natural voice: chosen by default where it is installed and speaks the guide's language."""
    renderer: str
    """The renderer's class, as "module:Class": imported only by a worker of this engine."""
    timed_by_marks: bool
    """Whether the renderer times caption parts by speaking each on its own: where a sentence is cut
    into parts then shapes its audio, and belongs in the audio's cache key."""

    def missing(self) -> str | None:
        """Why the engine cannot be used on this machine (and how to install it); None if it can."""
        ...

    def voices(self) -> list[Voice]: ...

    def resolve_voice(self, wanted: str) -> str:
        """The id of the voice ``wanted`` names (an id, a name, a language tag, or a file);
        :class:`~audioguide.errors.VoiceError` if there is none."""
        ...

    def voice_for(self, tag: str, named: Mapping[str, str]) -> str | None:
        """The voice that reads a language tag: the one the language names for this engine
        (``named``: tag → voice, "" the language's default) where installed, else the engine's
        own choice for the tag; None when no voice of this engine speaks the language."""
        ...

    def language_of(self, voice: str) -> str:
        """The language tag a voice speaks, e.g. en-us."""
        ...

    def identity(self, voice: str) -> dict:
        """What distinguishes this engine's audio in the build cache: its versions and the voice's model."""
        ...

    def lexicon_ipa_voice(self, voice: str) -> str | None:
        """The eSpeak NG voice whose IPA this engine takes for the lexicon's phoneme mnemonics;
        None when it takes the mnemonics as they are."""
        ...


class Renderer(Protocol):
    """A text-to-speech engine loaded into this process: it speaks."""

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

    def configure(self, voice: str, rate: int, *, threads: int = 1, phonemes: Mapping[str, str] | None = None) -> str:
        """Select a voice and a rate in words per minute; return the voice id in use.

        ``threads`` is how many cores the engine may use; ``phonemes`` maps the lexicon's
        ``[[eSpeak NG mnemonics]]`` to what this engine takes instead
        (:meth:`Catalogue.lexicon_ipa_voice`).
        """
        ...

    def synthesize(self, text: str, marks: Sequence[int] = ()) -> Speech:
        """Render ``text``; ``marks`` are offsets in it whose start the caller needs timed exactly."""
        ...

    def phonemes(self, text: str) -> str:
        """The phonemes the engine speaks for ``text``, words separated by spaces, for checking."""
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
