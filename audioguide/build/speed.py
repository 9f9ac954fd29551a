"""How fast an engine speaks on this machine, measured as builds go, and a build's time left from it.

The measure is kept in the build cache (``speeds.json``) per engine and voice: the words one worker
speaks and encodes a second, and how long its workers take to load. A build's first estimate comes
from it, before anything is spoken; each part that is ready corrects it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from time import monotonic

from ..files import write_text_atomic

SPEEDS_FILE = "speeds.json"
#: How many words of speech the kept measure counts as, against what this build measures: enough
#: that one short part does not overturn it, few enough that a slower machine is learnt in a build.
KEPT_WORDS = 300
#: A part being spoken is never thought nearly done: its worker may be slower than the measure.
LEAST_LEFT = 0.1


@dataclass(frozen=True)
class Speed:
    words_per_second: float
    """Words one worker speaks, and encodes, a second."""
    load_seconds: float
    """From starting the workers until the first has loaded the engine."""


class Speeds:
    """The speeds measured on this machine, by engine and voice, in a folder (the build cache)."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / SPEEDS_FILE

    def _all(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, engine: str, voice: str) -> Speed | None:
        try:
            found = self._all()[f"{engine} {voice}"]
            return Speed(float(found["words_per_second"]), float(found["load_seconds"]))
        except (KeyError, TypeError, ValueError):
            return None

    def remember(self, engine: str, voice: str, speed: Speed) -> None:
        data = {**self._all(), f"{engine} {voice}": asdict(speed)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.path, json.dumps(data, indent=1, sort_keys=True))


class TimeLeft:
    """A build's time left: its workers' loading, then its words at the measured speed, with the
    parts being spoken counted by how long they have been at it.

    ``words`` are the parts' lengths, by an id of each; ``workers`` how many speak at once.
    """

    def __init__(
        self, words: dict[int, int], workers: int, kept: Speed | None, clock: Callable[[], float] = monotonic
    ) -> None:
        self._words, self._workers, self._kept, self._clock = words, max(1, min(workers, len(words))), kept, clock
        self._loading_since = clock()
        self._ready_at: float | None = None
        self._started: dict[int, float] = {}
        self._spoken_words = 0
        self._spoken_seconds = 0.0

    def ready(self) -> None:
        if self._ready_at is None:
            self._ready_at = self._clock()

    def started(self, part: int) -> None:
        self._started[part] = self._clock()

    def finished(self, part: int) -> None:
        began = self._started.pop(part, None)
        words = self._words.pop(part, 0)
        if began is not None:
            self._spoken_words += words
            self._spoken_seconds += max(1e-3, self._clock() - max(began, self._ready_at or began))

    @property
    def loading(self) -> bool:
        return self._ready_at is None

    def speed(self) -> Speed | None:
        """The speed measured so far, the kept measure counted in; None if nothing is known yet."""
        kept = self._kept
        load = (self._ready_at - self._loading_since) if self._ready_at is not None else None
        if kept is None and not self._spoken_words:
            return None
        if kept is None:
            rate = self._spoken_words / self._spoken_seconds
        else:
            words = KEPT_WORDS + self._spoken_words
            rate = words / (KEPT_WORDS / kept.words_per_second + self._spoken_seconds)
        return Speed(rate, load if load is not None else kept.load_seconds if kept else 0.0)

    def seconds_left(self) -> float | None:
        speed = self.speed()
        if speed is None or (self.loading and self._kept is None):
            return None
        now = self._clock()
        load_left = max(0.0, speed.load_seconds - (now - self._loading_since)) if self.loading else 0.0
        rate = speed.words_per_second
        speaking = [
            max(LEAST_LEFT * words, words - rate * max(0.0, now - max(self._started[part], self._ready_at or now)))
            for part, words in self._words.items()
            if part in self._started
        ]
        queued = sum(words for part, words in self._words.items() if part not in self._started)
        # Parts are not split between workers: the longest one being spoken may outlast the rest.
        together = (sum(speaking) + queued) / (self._workers * rate)
        return load_left + max([together, *(words / rate for words in speaking)])
