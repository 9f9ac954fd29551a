"""eSpeak NG through pyttsx3, speaking: the renderer, which only a worker process loads.

:class:`EspeakRenderer` drives eSpeak NG through pyttsx3, with the eSpeak NG library and data of
the ``espeakng-loader`` wheel, so nothing needs a system install. pyttsx3 2.99's espeak driver has
defects on Linux, each measured here and pinned by a test in ``tests/test_engine.py``; this module
designs around each of them:

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
   nothing, and the voice and rate set are read back from eSpeak NG.
6. Word timings come from eSpeak NG's own word events (their sample position), not estimates.
7. After a few dozen voice loads with nothing spoken between them, eSpeak NG drops the first word
   of the next utterance: a voice already loaded is not loaded again, and each load is followed
   by a spoken word.
8. eSpeak NG keeps one state per process (voice, rate, where its audio goes). Four threads
   choosing voices at once refused voices it has ("no voice 'es'") or corrupted its heap and
   aborted the process: the workbench's request and build threads take turns in it.

Speed model: eSpeak NG's own words per minute. Phoneme alphabet: eSpeak NG mnemonics in
``[[ ]]``, which is how the lexicon writes them. Sample rate: 22,050 Hz.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import re
import tempfile
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache, wraps
from pathlib import Path
from typing import cast

from ...errors import EngineError, VoiceError
from ..base import Speech, WordMark, claim_native
from . import CATALOGUE

#: eSpeak NG crashed (SIGSEGV) on one call of 14,000+ characters; pieces stay far below that.
MAX_PIECE_CHARS = 1000
_EVENT_LIST_TERMINATED, _EVENT_WORD, _EVENT_PHONEME = 0, 1, 7
#: Initialize option bit that makes eSpeak NG report each phoneme it speaks.
_PHONEME_EVENTS = 1
#: Pause "phonemes" in eSpeak NG's event stream; not sounds of the word.
_PAUSES = {"_", "_:", "_!", "_^_", "||", "|"}
_BYTES_PER_SAMPLE = 2
#: espeak_SetPhonemeTrace options: phoneme names, in the International Phonetic Alphabet.
_TRACE_PHONEMES, _TRACE_IPA = 0x01, 0x02
#: Characters at the end of a piece that may carry no word event (closing punctuation, symbols).
_SLACK = 12
#: Held by whichever thread of this process is calling into eSpeak NG (point 8): every method
#: that calls the library takes it; the others reach the library only through those.
_TURN = threading.RLock()


def _one_thread_at_a_time(method):
    @wraps(method)
    def taking_turns(*args, **kwargs):
        with _TURN:
            return method(*args, **kwargs)

    return taking_turns


class EspeakRenderer:
    """eSpeak NG through pyttsx3, rendering synchronously into memory."""

    name = "espeak"
    #: Measured on the reference guide: true peaks 0.4–0.9 dB above the limited sample peak.
    peak_margin = 1.0
    #: A thousand times faster than real time, and the same samples every time.
    cheap_to_repeat = True

    def __init__(self) -> None:
        claim_native(self.name)
        _load_pyttsx3()
        from pyttsx3.drivers import _espeak

        self._espeak = _espeak
        # pyttsx3 started eSpeak NG in its asynchronous mode and queued its own voice, rate and
        # volume there; eSpeak NG's thread would apply them whenever it got to them, even in
        # the middle of our first chapter (seen under load as a chapter spoken at rate 200).
        # Let that thread finish before switching to synchronous mode (point 1 above).
        _espeak.Synchronize()
        self.sample_rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0, None, _PHONEME_EVENTS)
        if self.sample_rate <= 0:
            raise EngineError("eSpeak NG could not start; reinstall audioguide with its dependencies")
        self._chunks: list[bytes] = []
        self._words: list[tuple[int, int, int]] = []
        self._phonemes: list[str] | None = None
        self.voice, self.rate = "", 0
        self._event_id_offset = _espeak.EVENT.id.offset
        # pyttsx3 binds espeak_GetParameter without its second argument ("current"), so what it
        # returns depends on a stray register: the default (175) or the value set. Bind it whole.
        self._get_parameter = _espeak.dll.espeak_GetParameter
        self._get_parameter.restype = ctypes.c_int
        self._get_parameter.argtypes = [ctypes.c_int, ctypes.c_int]
        _espeak.SetSynthCallback(self._on_synth)

    @_one_thread_at_a_time
    def configure(self, voice: str, rate: int, *, threads: int = 1, phonemes: Mapping[str, str] | None = None) -> str:
        # eSpeak NG renders on one core, and takes the lexicon's mnemonics as they are.
        voice_id = CATALOGUE.resolve_voice(voice)
        # pyttsx3's setProperty only queues the change for runAndWait(), which we never call
        # (point 1), so the settings go to eSpeak NG directly and are read back to be sure.
        espeak = self._espeak
        load = not self._current_voice_is(voice_id)
        if load and (espeak.SetVoiceByName(voice_id.encode("utf-8")) != 0 or not self._current_voice_is(voice_id)):
            raise VoiceError(f"voice {voice!r} could not be loaded; pick one from 'audioguide voices'")
        espeak.SetParameter(espeak.RATE, rate, 0)
        if self._current_rate() != rate:
            raise VoiceError(f"--rate {rate} was not accepted by the engine; try 150")
        self.voice, self.rate = voice_id, rate
        if load:
            # After a few dozen voice loads with nothing spoken between them, eSpeak NG dropped
            # the first word of the next utterance ("I-V" heard as "V"). Speaking a word after
            # each load (and not loading a voice already loaded) keeps that from happening.
            self._synthesize_piece("Ready.")
        return voice_id

    def _current_rate(self) -> int:
        return self._get_parameter(self._espeak.RATE, 1)

    def _current_voice_is(self, voice_id: str) -> bool:
        current = self._espeak.GetCurrentVoice()
        identifier = current.contents.identifier if current else None
        return identifier is not None and identifier.decode("utf-8").lower() == voice_id

    @_one_thread_at_a_time
    def synthesize(self, text: str, marks: Sequence[int] = ()) -> Speech:
        # Every word is timed by the engine's own events: no mark needs a piece of its own.
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
        if self.rate and self._current_rate() != self.rate:
            raise EngineError(f"eSpeak NG changed its rate to {self._current_rate()} by itself; rendering again")
        self._chunks, self._words = [], []
        # PHONEMES lets a lexicon give exact pronunciations as [[phoneme mnemonics]].
        flags = self._espeak.CHARS_UTF8 | self._espeak.PHONEMES
        status = self._espeak.Synth(text.encode("utf-8"), flags=flags)
        if status != 0:
            raise EngineError(f"eSpeak NG refused to render {text[:40]!r} (status {status})")
        self._espeak.Synchronize()
        pcm, words = b"".join(self._chunks), self._words
        # Defect 1 returned renders that were empty or cut short: never pass one on silently.
        spoken_to = words[-1][0] + words[-1][1] if words else 0
        # Word events inside [[phonemes]] point nowhere useful: the check ends where they begin.
        checked = re.sub(r"\[\[[^\]]*\]\][\s.,;:!?'\")\]]*$", "", text).rstrip(" .!?\"')]")
        if any(ch.isalnum() for ch in text) and (not pcm or spoken_to < len(checked) - _SLACK):
            raise EngineError(f"eSpeak NG stopped early in {text[:40]!r}; the chapter will be rendered again")
        return pcm, words

    def _on_synth(self, wav, samples: int, events) -> int:
        if samples > 0:
            self._chunks.append(ctypes.string_at(wav, samples * _BYTES_PER_SAMPLE))
        index = 0
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == _EVENT_WORD:
                # text_position is 1-based, in characters of the UTF-8 text.
                self._words.append((event.text_position - 1, event.length, event.sample))
                if self._phonemes is not None:
                    self._phonemes.append(" ")
            elif event.type == _EVENT_PHONEME and self._phonemes is not None:
                # The union's 8 bytes hold the phoneme's name, zero-terminated unless all 8 are used.
                name = ctypes.string_at(ctypes.addressof(event) + self._event_id_offset, 8).split(b"\0")[0]
                self._phonemes.append(name.decode("utf-8", "replace"))
            index += 1
        return 0

    @_one_thread_at_a_time
    def phonemes(self, text: str) -> str:
        """The phonemes eSpeak NG actually speaks for ``text``, words separated by spaces.

        Read from the engine's own phoneme events while it renders, so lexicon entries given as
        ``[[phonemes]]`` and respellings are checked the same way, exactly as a listener hears them.
        """
        self._phonemes = []
        try:
            for _, piece in split_bounded(text, MAX_PIECE_CHARS):
                self._synthesize_piece(piece)
            spoken = "".join(p for p in self._phonemes if p not in _PAUSES)
        finally:
            self._phonemes = None
        return " ".join(spoken.split())

    @_one_thread_at_a_time
    def ipa(self, mnemonics: str, voice: str) -> str:
        """eSpeak NG phoneme mnemonics as the International Phonetic Alphabet, as eSpeak NG itself
        reads and writes them (its phoneme trace while it speaks them)."""
        libc = _libc()
        trace = self._espeak.dll.espeak_SetPhonemeTrace
        trace.argtypes = [ctypes.c_int, ctypes.c_void_p]
        previous = self.voice
        self.configure(voice, self.rate or 175)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "trace.txt"
            stream = libc.fopen(str(path).encode(), b"w")
            if not stream:
                raise EngineError("could not open a file for eSpeak NG's phoneme trace")
            trace(_TRACE_PHONEMES | _TRACE_IPA, stream)
            try:
                self._synthesize_piece(f"[[{mnemonics}]]")
            finally:
                trace(0, None)
                libc.fclose(stream)
            ipa = path.read_text(encoding="utf-8", errors="replace")
        if previous and previous != self.voice:
            self.configure(previous, self.rate)
        return " ".join(ipa.split())


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


@lru_cache(maxsize=1)
def _load_pyttsx3():
    """Make the wheel's eSpeak NG findable and start pyttsx3's espeak driver (once per process)."""
    import espeakng_loader

    # Without the data path, eSpeak NG exits the whole process with code 1 and no message.
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    # pyttsx3 dlopens "libespeak-ng.so.1" by name; loading the wheel's copy globally first
    # makes that name resolve to it, with no system library needed.
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    import pyttsx3

    try:
        engine = pyttsx3.init("espeak")
    except (RuntimeError, OSError) as error:
        raise EngineError(f"eSpeak NG could not start ({error}); reinstall audioguide") from None
    # pyttsx3's driver proxy cleans up in __del__ with module globals that are gone at
    # interpreter shutdown, and says so on stderr: let it go while they still exist.
    atexit.register(setattr, engine, "proxy", None)
    return engine


@lru_cache(maxsize=1)
def _libc():
    """The C library's fopen and fclose, for the FILE* eSpeak NG writes its phoneme trace to."""
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    return libc


def lexicon_ipa(task: tuple[tuple[str, ...], str]) -> dict[str, str]:
    """In an eSpeak NG worker: each lexicon phoneme string (mnemonics) in IPA, as eSpeak NG's voice
    ``voice`` speaks it, for an engine that takes IPA (Piper, which must not load this eSpeak NG)."""
    import unicodedata

    from .. import get_renderer

    mnemonics, voice = task
    renderer = cast(EspeakRenderer, get_renderer("espeak"))
    return {m: unicodedata.normalize("NFD", renderer.ipa(m, voice)) for m in mnemonics}
