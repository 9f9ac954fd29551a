"""Text-to-speech engines behind one small interface.

:class:`EspeakEngine` drives eSpeak NG through pyttsx3, with the eSpeak NG library and data of
the ``espeakng-loader`` wheel, so nothing needs a system install. pyttsx3 2.99's espeak driver has
defects on Linux (DEVELOPERS.md); this module designs around each of them:

1. ``runAndWait()`` returns before the audio is written, because espeak renders on its own
   thread: after pyttsx3 has set the library up, we re-initialise eSpeak NG in its *synchronous*
   mode, so ``espeak_Synth`` returns only when every sample has been delivered to us.
2. Only the last ``save_to_file`` before ``runAndWait`` is rendered: we never queue; every call to
   :meth:`EspeakEngine.synthesize` renders exactly its own text and returns its audio.
3. The driver collects audio with ``bytes +=`` (quadratic) and one long call crashes eSpeak NG:
   our callback appends to a list, and text is rendered in pieces of at most
   :data:`MAX_PIECE_CHARS` characters, cut at sentence, clause or word boundaries.
4. Forking after an engine exists hangs the child: the engine is created lazily, once per process,
   and parallel builds use ``spawn`` workers that create their own.
5. The driver prints "Audio saved to …" and ignores bad voices and rates: our callback prints
   nothing, and voices and rates are validated against the engine's own voice list and range.
6. Word timings come from eSpeak NG's own word events (their sample position), not estimates.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from .errors import EngineError, VoiceError
from .settings import DEFAULT_VOICE, MAX_RATE, MIN_RATE

#: eSpeak NG crashed (SIGSEGV) on one call of 14,000+ characters; pieces stay far below that.
MAX_PIECE_CHARS = 1000
_EVENT_LIST_TERMINATED, _EVENT_WORD = 0, 1
_BYTES_PER_SAMPLE = 2


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None = None


@dataclass(frozen=True)
class WordMark:
    """Where the engine started speaking one word of the text it was given."""

    offset: int
    """Index of the word's first character in the text."""
    length: int
    """Length of the word in characters."""
    sample: int
    """Sample index, in the returned audio, at which the word starts."""


@dataclass
class Speech:
    """Audio of one call to an engine: mono signed 16-bit PCM, with the start of every word."""

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
    """What the rest of audioguide needs from a text-to-speech engine."""

    sample_rate: int

    def voices(self) -> list[Voice]: ...

    def configure(self, voice: str | None, rate: int) -> str:
        """Select a voice and a rate in words per minute; return the voice id in use."""
        ...

    def synthesize(self, text: str) -> Speech: ...

    def phonemes(self, text: str) -> str:
        """The engine's phoneme reading of ``text`` (what it would say), for proofing."""
        ...


class EspeakEngine:
    """eSpeak NG through pyttsx3, rendering synchronously into memory."""

    def __init__(self) -> None:
        self._pyttsx3 = _load_pyttsx3()
        from pyttsx3.drivers import _espeak

        self._espeak = _espeak
        # See point 1 of the module docstring: synchronous mode, no render thread to race.
        self.sample_rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0)
        if self.sample_rate <= 0:
            raise EngineError("eSpeak NG could not start; reinstall audioguide with its dependencies")
        self._chunks: list[bytes] = []
        self._words: list[tuple[int, int, int]] = []
        _espeak.SetSynthCallback(self._on_synth)
        self._voice_ids = {voice.id for voice in self.voices()}
        self._text_to_phonemes = _bind_text_to_phonemes()

    def voices(self) -> list[Voice]:
        return [
            Voice(
                id=voice.id,
                name=voice.name,
                languages=tuple(voice.languages or ()),
                gender=voice.gender,
            )
            for voice in self._pyttsx3.getProperty("voices")
        ]

    def configure(self, voice: str | None, rate: int) -> str:
        voice_id = self.resolve_voice(voice or DEFAULT_VOICE)
        if not MIN_RATE <= rate <= MAX_RATE:
            raise VoiceError(f"--rate {rate}: the engine speaks {MIN_RATE} to {MAX_RATE} words per minute; try 150")
        try:
            self._pyttsx3.setProperty("voice", voice_id)
        except ValueError:
            raise VoiceError(f"voice {voice!r} could not be loaded; pick one from 'audioguide voices'") from None
        self._pyttsx3.setProperty("rate", rate)
        return voice_id

    def resolve_voice(self, wanted: str) -> str:
        """A voice id from an id, a language code or a name, as 'audioguide voices' lists them."""
        wanted_key = wanted.strip().lower().replace("_", "-")
        voices = self.voices()
        for matches in (
            lambda v: v.id == wanted_key,
            lambda v: v.id.rsplit("/", 1)[-1] == wanted_key,
            lambda v: v.name.lower() == wanted_key,
            lambda v: wanted_key in (lang.lower() for lang in v.languages),
        ):
            found = [v for v in voices if matches(v)]
            if found:
                return found[0].id
        raise VoiceError(f"no voice {wanted!r}; run 'audioguide voices' to see the voices you can use")

    def synthesize(self, text: str) -> Speech:
        pieces = split_bounded(text, MAX_PIECE_CHARS)
        pcm: list[bytes] = []
        words: list[WordMark] = []
        samples = 0
        for start, piece in pieces:
            piece_pcm, piece_words = self._synthesize_piece(piece)
            words.extend(WordMark(start + offset, length, samples + sample) for offset, length, sample in piece_words)
            pcm.append(piece_pcm)
            samples += len(piece_pcm) // _BYTES_PER_SAMPLE
        return Speech(pcm=b"".join(pcm), sample_rate=self.sample_rate, words=words)

    def _synthesize_piece(self, text: str) -> tuple[bytes, list[tuple[int, int, int]]]:
        self._chunks, self._words = [], []
        status = self._espeak.Synth(text.encode("utf-8"), flags=self._espeak.CHARS_UTF8)
        if status != 0:
            raise EngineError(f"eSpeak NG refused to render {text[:40]!r} (status {status})")
        self._espeak.Synchronize()
        return b"".join(self._chunks), self._words

    def _on_synth(self, wav, samples: int, events) -> int:
        if samples > 0:
            self._chunks.append(ctypes.string_at(wav, samples * _BYTES_PER_SAMPLE))
        index = 0
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == _EVENT_WORD:
                # text_position is 1-based, in characters of the UTF-8 text.
                self._words.append((event.text_position - 1, event.length, event.sample))
            index += 1
        return 0

    def phonemes(self, text: str) -> str:
        return self._text_to_phonemes(text)


def split_bounded(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut ``text`` into (offset, piece) pairs of at most ``limit`` characters.

    Cuts fall after a sentence end if one is near, else after a clause mark, else at a space;
    a run of ``limit`` characters without a space is cut where it stands.
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = _last_match_end(r"[.!?…]['\")\]]*\s", window) or _last_match_end(r"[,;:–—)]\s", window)
        if not cut or cut < limit // 3:
            cut = window.rfind(" ") + 1 or limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    if start < len(text) or not pieces:
        pieces.append((start, text[start:]))
    return pieces


def _last_match_end(pattern: str, text: str) -> int:
    last = 0
    for match in re.finditer(pattern, text):
        last = match.end()
    return last


_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load_pyttsx3():
    """Make the wheel's eSpeak NG findable and start pyttsx3's espeak driver (once per process)."""
    with _LOAD_LOCK:
        import espeakng_loader

        # Without the data path, eSpeak NG exits the whole process with code 1 and no message.
        os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
        # pyttsx3 dlopens "libespeak-ng.so.1" by name; loading the wheel's copy globally first
        # makes that name resolve to it, with no system library needed.
        ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
        import pyttsx3

        try:
            return pyttsx3.init("espeak")
        except (RuntimeError, OSError) as error:
            raise EngineError(f"eSpeak NG could not start ({error}); reinstall audioguide") from None


def _bind_text_to_phonemes():
    import espeakng_loader

    library = ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    function = library.espeak_TextToPhonemes
    function.restype = ctypes.c_char_p
    function.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
    chars_utf8, ascii_phonemes = 1, 0

    def text_to_phonemes(text: str) -> str:
        buffer = ctypes.create_string_buffer(text.encode("utf-8"))
        pointer = ctypes.c_void_p(ctypes.addressof(buffer))
        clauses = []
        # Each call reads one clause and advances the pointer; NULL means the text is done.
        while pointer.value:
            result = function(ctypes.byref(pointer), chars_utf8, ascii_phonemes)
            if result:
                clauses.append(result.decode("utf-8", "replace").strip())
        return " ".join(clause for clause in clauses if clause)

    return text_to_phonemes


_ENGINE: EspeakEngine | None = None


def get_engine() -> EspeakEngine:
    """The process's engine: eSpeak NG can be initialised only once per process."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = EspeakEngine()
    return _ENGINE
