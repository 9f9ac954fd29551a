"""The build cache's keys: each holds exactly what changes what it names, and nothing else.

- The **speech key** names what a track's page text becomes as speech: the page text (the chapter,
  and what its announcement says of the guide), the lexicon, the pauses, and the code and data
  that prepare speech (``speech/``, the language's folder of rules, words and lexicon, and the
  versions of the libraries they use).
- The **audio key** names a track's audio: what the engine is given (the spoken text and pauses,
  never the page text), the engine's identity, the voice, the rate, the format, the bitrate, the
  calibration text the voice's loudness is set on, and :data:`RENDER_VERSION`. Tags, captions and
  the manifest are not in it: they are applied to the placed file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from functools import cache
from importlib import metadata, resources
from importlib.util import find_spec
from pathlib import Path

from .. import __version__
from ..languages import get_language
from ..speech.lexicon import Lexicon
from ..speech.prepare import ChapterScript, ContentsScript, Pauses
from .types import TrackJob

#: The version of how audio is rendered, normalised and encoded (``build/audio.py``,
#: ``build/render.py`` and the renderers): raise it with any change there that changes the audio
#: a listener gets, so every cached track is rendered anew. An engine's own upgrade needs no
#: raise: its versions are in its identity.
RENDER_VERSION = 1
#: Libraries whose output is part of the prepared speech.
_SPEECH_LIBRARIES = ("num2words", "pysbd", "pyspellchecker")


def speech_key(script: ChapterScript | ContentsScript, pauses: Pauses, lexicon: Lexicon) -> str:
    """What a track says before speech preparation: the cache knows its prepared speech by it."""
    code = speech_code(get_language(script.language).package)
    return digest({"code": code, "script": script, "pauses": pauses, "lexicon": lexicon})


def spoken_digest(spoken: list[tuple[str, int, tuple[int, ...]]], timed_by_marks: bool) -> str:
    """A digest of exactly what the engine is given: each utterance's spoken text and pause, and
    where its caption parts begin where the engine speaks them one at a time."""
    return digest([[text, pause, list(starts) if timed_by_marks else []] for text, pause, starts in spoken])


def audio_key(job: TrackJob, spoken: str) -> str:
    """The track's audio once its spoken text (by :func:`spoken_digest`) is known."""
    return digest(
        {
            "render": RENDER_VERSION,
            "spoken": spoken,
            "engine": job.identity,
            "voice": job.voice,
            "rate": job.rate,
            "format": job.audio_format.value,
            "bitrate": job.bitrate,
            "calibration": job.calibration,
        }
    )


def level_key(job: TrackJob) -> str:
    """A voice's loudness calibration: the voice at its rate, measured on the calibration text."""
    return digest(
        {
            "render": RENDER_VERSION,
            "engine": job.identity,
            "voice": job.voice,
            "rate": job.rate,
            "calibration": job.calibration,
        }
    )


def digest(data) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fields(value) -> dict | str:
    """A dataclass as JSON sees it: what ``dataclasses.asdict`` gives, without its deep copies
    (a plan's keys are made before any chapter can be rendered, so their cost is a rebuild's); a
    path as its text."""
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: getattr(value, item.name) for item in fields(value)}
    if isinstance(value, Path):
        return value.as_posix()
    raise TypeError(f"{type(value).__name__} is not JSON")


@cache
def speech_code(language_package: str) -> str:
    """A digest of what prepares speech in a language (:func:`speech_sources`) and the versions of
    the libraries it uses."""
    return source_digest(
        speech_sources(language_package), [f"{name} {metadata.version(name)}" for name in _SPEECH_LIBRARIES]
    )


def speech_sources(language_package: str) -> list[Path]:
    """audioguide's speech code, the language base, and the language's folder (rules, words, lexicon)."""
    return [
        *_package_files("audioguide.speech"),
        *_package_files("audioguide.languages", recursive=False),
        *_package_files(language_package),
    ]


@cache
def code_digest(*modules: str) -> str:
    """A digest of the source of modules of audioguide (the captions' writer, say)."""
    files = []
    for name in modules:
        spec = find_spec(name)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    return source_digest(files, [])


def source_digest(files: list[Path], versions: list[str]) -> str:
    """The files' contents (in a fixed order) and the versions given. Without source beside the
    modules (a frozen build), audioguide's version stands for it."""
    hasher = hashlib.sha256("\n".join(versions).encode())
    if not files:
        hasher.update(__version__.encode())
    for path in sorted(files, key=lambda path: path.as_posix()):
        hasher.update(path.as_posix().rsplit("audioguide/", 1)[-1].encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _package_files(package: str, recursive: bool = True) -> list[Path]:
    """The source and data files of a package (``.py`` and ``.toml``), without compiled caches."""
    root = Path(str(resources.files(package)))
    found = root.rglob("*") if recursive else root.glob("*")
    return [path for path in found if path.is_file() and path.suffix in (".py", ".toml")]
