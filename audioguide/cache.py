"""The build cache: rendered tracks stored by the digest of everything that made them.

An entry is its audio file plus a small JSON record (duration, loudness, captions) written
after the audio is complete, both by rename: an entry without its record does not exist, so an
interrupted build never leaves a half-written entry to be served later.

Two small indexes spare a rebuild the work of preparing speech and calibrating voices again:
what each chapter's page text became as speech (by digest), and each voice's loudness level.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from .audio import JoinedSpan, Level, Loudness
from .captions import Cue
from .files import atomic_path, write_text_atomic

CACHE_FOLDER = ".audioguide-cache"


@dataclass(frozen=True)
class RenderedTrack:
    """A track in the cache: what the package needs of it (its captions stay on disk until written)."""

    key: str
    seconds: float
    span: JoinedSpan
    """How long it plays in the full-length file, and where its audio begins."""
    loudness: Loudness
    fresh: bool = False
    """Rendered by this build rather than found in the cache."""


class Cache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def audio_path(self, key: str, extension: str) -> Path:
        return self._path(key, extension)

    def _path(self, key: str, kind: str) -> Path:
        return self.root / key[:2] / f"{key}.{kind}"

    def _read(self, key: str, kind: str) -> dict | None:
        try:
            return json.loads(self._path(key, kind).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write(self, key: str, kind: str, data: dict) -> None:
        path = self._path(key, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(data, ensure_ascii=False))

    def get(self, key: str, extension: str) -> RenderedTrack | None:
        data = self._read(key, "json")
        try:
            if data is None or self.audio_path(key, extension).stat().st_size != data["size"]:
                return None
            span = JoinedSpan(float(data["span"]), int(data["audio_start"]))
            return RenderedTrack(key, float(data["seconds"]), span, Loudness(*data["loudness"]))
        except (OSError, KeyError, TypeError):
            return None

    def cues(self, key: str) -> list[Cue]:
        data = self._read(key, "json") or {}
        return [Cue(float(start), float(end), str(text)) for start, end, text in data.get("cues", [])]

    def put(
        self, key: str, extension: str, seconds: float, span: JoinedSpan, loudness: Loudness, cues: list[Cue]
    ) -> RenderedTrack:
        """Record a rendered track whose audio is complete at :meth:`audio_path`."""
        record = {
            "seconds": seconds,
            "span": span.seconds,
            "audio_start": span.audio_start,
            "loudness": [loudness.integrated, loudness.true_peak],
            "cues": [[c.start, c.end, c.text] for c in cues],
            "size": self.audio_path(key, extension).stat().st_size,
        }
        self._write(key, "json", record)
        return RenderedTrack(key, seconds, span, loudness, fresh=True)

    def speech(self, script_key: str) -> str | None:
        """The digest of the speech a script was prepared into, if a build has prepared it."""
        data = self._read(script_key, "speech")
        return data.get("speech") if isinstance(data, dict) else None

    def remember_speech(self, script_key: str, speech_key: str) -> None:
        self._write(script_key, "speech", {"speech": speech_key})

    def level(self, key: str) -> Level | None:
        data = self._read(key, "level")
        try:
            return Level(float(data["gain"]), float(data["ceiling"]))
        except (KeyError, TypeError):
            return None

    def remember_level(self, key: str, level: Level) -> None:
        self._write(key, "level", asdict(level))

    def place(self, key: str, extension: str, destination: Path) -> None:
        """Put an entry's audio at ``destination``: a hard link where the file system allows one."""
        source = self.audio_path(key, extension)
        with atomic_path(destination) as temp:
            try:
                os.link(source, temp)
            except OSError:
                shutil.copyfile(source, temp)
