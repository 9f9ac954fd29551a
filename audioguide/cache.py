"""The build cache: rendered tracks stored by the digest of everything that made them.

An entry is its audio file plus a small JSON record (duration, loudness, captions) written
after the audio is complete, both by rename: an entry without its record does not exist, so an
interrupted build never leaves a half-written entry to be served later.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .files import atomic_path, remove_temporaries, write_text_atomic
from .render import RenderedTrack, TrackJob

CACHE_FOLDER = ".audioguide-cache"


class Cache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def remove_temporaries(self) -> None:
        """Remove what an interrupted render left in the cache (never an entry: those are whole)."""
        for folder in self.root.glob("*/"):
            remove_temporaries(folder)

    def audio_path(self, key: str, extension: str) -> Path:
        return self.root / key[:2] / f"{key}.{extension}"

    def _record_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, extension: str) -> RenderedTrack | None:
        audio, record = self.audio_path(key, extension), self._record_path(key)
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            if audio.stat().st_size != data["size"]:
                return None
            return RenderedTrack.from_json(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, job: TrackJob, rendered: RenderedTrack) -> None:
        record = {**rendered.to_json(), "size": job.target.stat().st_size}
        write_text_atomic(self._record_path(job.key), json.dumps(record, ensure_ascii=False))

    def place(self, key: str, extension: str, destination: Path) -> None:
        """Put an entry's audio at ``destination``: a hard link where the file system allows one."""
        source = self.audio_path(key, extension)
        with atomic_path(destination) as temp:
            try:
                os.link(source, temp)
            except OSError:
                shutil.copyfile(source, temp)
