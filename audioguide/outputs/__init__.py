"""What a package holds besides its audio, each an output (``base.py``) in a module of its own.

:data:`OUTPUTS` lists them in the order they are written (the player page reads the captions'
files); the manifest (``manifest.py``) lists every file they make. Adding one is a module with an
``OUTPUT`` and one line here.
"""

from __future__ import annotations

from importlib import import_module

from .base import Output

#: The outputs' modules, in writing order.
OUTPUTS = ("captions", "playlist", "transcript", "readme", "player", "epub", "daisy")


def outputs() -> list[Output]:
    return [import_module(f"{__name__}.{name}").OUTPUT for name in OUTPUTS]
