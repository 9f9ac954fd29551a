"""Piper speaking: the renderer, which only a worker process loads (it imports piper-tts, GPL-3.0).

- Speed model: Piper's ``length_scale`` stretches speech; ``--rate`` words per minute becomes
  the voice's natural rate divided by the rate asked for (:data:`NATURAL_WPM`, measured).
- Phoneme alphabet: IPA inside ``[[ ]]``. The lexicon's eSpeak NG mnemonics come converted to IPA
  by eSpeak NG itself, in an eSpeak NG worker of their own (``engines/espeak/renderer.py``:
  ``lexicon_ipa``), since this process must not load the other eSpeak NG.
- Timings: Piper reports no word events, so a sentence is rendered a caption piece at a time
  and each piece's start is exact.
- Sample rate: the voice's own (22,050 Hz for medium voices).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ...errors import EngineError, InputError, VoiceError
from ..base import Speech, WordMark, claim_native
from . import CATALOGUE, INSTALL_HINT, model_path, voice_config

#: Words per minute of en_US-joe-medium at length_scale 1, measured on the reference guide:
#: 961 words in 375 s of speech, pauses excluded (153.6).
NATURAL_WPM = 154.0
_PHONEME_BLOCK = re.compile(r"\[\[([^\]]*)\]\]")


class PiperRenderer:
    name = "piper"
    #: A natural voice's speech has more high-frequency energy than a formant synthesiser's: its
    #: true peaks after MP3 encoding came 1.0–2.2 dB above the limited sample peak.
    peak_margin = 2.5
    #: About twenty times faster than real time (slower than the encoder), and never twice the same.
    cheap_to_repeat = False

    def __init__(self) -> None:
        self.voice, self.rate, self.sample_rate = "", 0, 0
        self._model: Any = None
        self._length_scale = 1.0
        self._phonemes: dict[str, str] = {}

    def configure(self, voice: str, rate: int, *, threads: int = 1, phonemes: Mapping[str, str] | None = None) -> str:
        voice_id = CATALOGUE.resolve_voice(voice)
        if voice_id != self.voice or self._model is None:
            self._model = _load(model_path(voice_id), threads)
            self.sample_rate = self._model.config.sample_rate
        self.voice, self.rate = voice_id, rate
        self._length_scale = NATURAL_WPM / rate
        self._phonemes = dict(phonemes or {})
        return voice_id

    def synthesize(self, text: str, marks: Sequence[int] = ()) -> Speech:
        """Each piece between ``marks`` is rendered on its own, so its start is exactly known."""
        cuts = [0, *sorted(m for m in marks if 0 < m < len(text)), len(text)]
        pcm: list[bytes] = []
        words: list[WordMark] = []
        samples = 0
        for start, end in itertools.pairwise(cuts):
            piece = text[start:end].strip()
            if not piece:
                continue
            audio = self._render(piece)
            words.append(WordMark(start, end - start, samples))
            pcm.append(audio)
            samples += len(audio) // 2
        if any(ch.isalnum() for ch in text) and not samples:
            raise EngineError(f"Piper gave no audio for {text[:40]!r}; the chapter will be rendered again")
        return Speech(b"".join(pcm), self.sample_rate, words)

    def _render(self, text: str) -> bytes:
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=self._length_scale, normalize_audio=False)
        chunks = self._model.synthesize(self._in_ipa(text), syn_config=config)
        return b"".join(chunk.audio_int16_bytes for chunk in chunks)

    def _in_ipa(self, text: str) -> str:
        def ipa(match: re.Match) -> str:
            mnemonics = match.group(1)
            if mnemonics not in self._phonemes:
                raise EngineError(f"no IPA for the lexicon phonemes [[{mnemonics}]]; build the guide again")
            return f"[[{self._phonemes[mnemonics]}]]"

        return _PHONEME_BLOCK.sub(ipa, text)

    def phonemes(self, text: str) -> str:
        """The IPA phonemes the voice model is given for ``text``, words separated by spaces."""
        sentences = self._model.phonemize(self._in_ipa(text))
        spoken = "".join("".join(sentence) for sentence in sentences)
        spoken = re.sub(r"[.,;:!?]", " ", unicodedata.normalize("NFC", spoken))
        return " ".join(spoken.split())


def _load(model: Path, threads: int):
    claim_native("piper")
    config = voice_config(str(model))
    try:
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    options = onnxruntime.SessionOptions()
    # Workers × threads stay within the cores: two workers of one thread each on two cores.
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as error:  # ONNX Runtime raises its own exception types for a damaged model
        raise VoiceError(f"{model}: not a usable Piper voice ({str(error).splitlines()[0][:120]})") from None
    return PiperVoice(config=PiperConfig.from_dict(config), session=session)
