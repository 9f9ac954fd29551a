"""Engines that fail on demand: a real engine cannot be made to hang or crash at will.

Selected with the AUDIOGUIDE_ENGINE variable, which spawned workers inherit. A chapter fails
when its text contains a marker word; FAULT_LOG names a file where every faulty attempt is
counted, and with FAULT_ONCE set only the first attempt fails.
"""

import importlib
import os
import signal
import time
from pathlib import Path

from audioguide.engines import FALLBACK_ENGINE, catalogue

HANG = "hangnow"
CRASH = "crashnow"


class FaultyEngine:
    """The default engine, through the engine interface, but for texts with a marker word."""

    def __init__(self):
        module, _, name = catalogue(FALLBACK_ENGINE).renderer.partition(":")
        self._real = getattr(importlib.import_module(module), name)()
        self.name = self._real.name

    def __getattr__(self, attribute):
        # voice, rate, sample_rate and the interface's other methods: the real engine's.
        return getattr(self._real, attribute)

    def synthesize(self, text, marks=()):
        for marker, fault in ((HANG, _hang), (CRASH, _crash)):
            if marker in text and self._should_fail():
                fault()
        return self._real.synthesize(text, marks)

    @staticmethod
    def _should_fail() -> bool:
        log = Path(os.environ["FAULT_LOG"])
        attempts = log.read_text().count("\n") if log.exists() else 0
        with log.open("a") as out:
            out.write("attempt\n")
        return not (os.environ.get("FAULT_ONCE") and attempts >= 1)


def _hang():
    time.sleep(3600)


def _crash():
    os.kill(os.getpid(), signal.SIGSEGV)


def piper_phonemes(task):
    """In a worker of its own: the IPA phonemes the Piper voice model is given for each text."""
    from audioguide.engines import get_renderer

    texts, table = task
    engine = get_renderer("piper")
    engine.configure("en_US-joe-medium", 155, phonemes=table)
    return [engine.phonemes(text) for text in texts]
