"""Engines that fail on demand: the real eSpeak NG cannot be made to hang or crash at will.

Selected with the AUDIOGUIDE_ENGINE variable, which spawned workers inherit. A chapter fails
when its text contains a marker word; FAULT_LOG names a file where every faulty attempt is
counted, and with FAULT_ONCE set only the first attempt fails.
"""

import os
import signal
import time
from pathlib import Path

from audioguide.engine import EspeakEngine

HANG = "hangnow"
CRASH = "crashnow"


class FaultyEngine(EspeakEngine):
    def synthesize(self, text):
        for marker, fault in ((HANG, _hang), (CRASH, _crash)):
            if marker in text and self._should_fail():
                fault()
        return super().synthesize(text)

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
