"""Text-to-speech engines, each a folder: its catalogue (``__init__.py``) and its renderer.

``espeak`` (eSpeak NG through pyttsx3) comes with audioguide; ``piper`` (a natural neural voice)
is an optional extra: ``pip install "audioguide[piper]"``. Adding an engine is a folder beside
them and one line in :data:`ENGINES`.
"""

from __future__ import annotations

import importlib
import os
import threading

from ..errors import InputError
from .base import Catalogue, Renderer, Speech, Voice, WordMark

__all__ = [
    "ENGINES", "FALLBACK_ENGINE", "Catalogue", "Renderer", "Speech", "Voice", "WordMark", "catalogue",
    "catalogues", "get_renderer",
]  # fmt: skip

#: Engine name → the module whose ``CATALOGUE`` describes it.
ENGINES = {
    "espeak": "audioguide.engines.espeak",
    "piper": "audioguide.engines.piper",
}
#: The engine every installation has: used where no natural voice speaks the guide's language.
FALLBACK_ENGINE = "espeak"
#: "module:callable" of a renderer to use in place of the fallback engine's: a test's faulty engine.
RENDERER_VARIABLE = "AUDIOGUIDE_ENGINE"

_renderers: dict[str, Renderer] = {}
#: Two threads asking at once get one renderer: eSpeak NG starts once per process.
_STARTING = threading.Lock()


def catalogue(name: str) -> Catalogue:
    """The catalogue of an engine by name; an unknown name is a clear error."""
    if name not in ENGINES:
        raise InputError(f"--engine {name}: no such engine; choose one of {', '.join(ENGINES)}")
    return importlib.import_module(ENGINES[name]).CATALOGUE


def catalogues() -> list[Catalogue]:
    return [catalogue(name) for name in ENGINES]


def get_renderer(name: str) -> Renderer:
    """This process's renderer of an engine (created once: eSpeak NG starts only once per process).

    Only a worker process calls this (``build/workers.py``): it loads the engine's native code.
    """
    with _STARTING:
        if name not in _renderers:
            choice = catalogue(name).renderer
            if name == FALLBACK_ENGINE and os.environ.get(RENDERER_VARIABLE):
                choice = os.environ[RENDERER_VARIABLE]
            module, _, attribute = choice.partition(":")
            _renderers[name] = getattr(importlib.import_module(module), attribute)()
        return _renderers[name]
