"""The build cache: tracks' audio stored by the digest of everything that made it (``build/keys.py``).

An audio entry is its (untagged) audio file plus a small JSON record (duration, loudness, when
each utterance is heard) written after the audio is complete, both by rename: an entry without
its record does not exist, so an interrupted build never leaves a half-written entry to be served
later.

Small records beside them spare a rebuild work: what each track's page text became as speech
(by speech key), each voice's loudness calibration, and the lexicon's phonemes in IPA for an
engine that takes IPA.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

from ..files import atomic_path, write_text_atomic
from ..speech.prepare import Utterance
from .audio import Level, transcode_to_mp3
from .types import Heard, JoinedSpan, Loudness, RenderedTrack

CACHE_FOLDER = ".audioguide-cache"


class Cache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def audio_path(self, key: str, extension: str) -> Path:
        return self._path(key, extension)

    def _path(self, key: str, kind: str) -> Path:
        return self.root / key[:2] / f"{key}.{kind}"

    def _read(self, key: str, kind: str) -> dict | None:
        try:
            data = json.loads(self._path(key, kind).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write(self, key: str, kind: str, data: dict) -> None:
        path = self._path(key, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(data, ensure_ascii=False))

    # --- audio ----------------------------------------------------------------------------------

    def get(self, key: str, extension: str) -> RenderedTrack | None:
        data = self._read(key, "json")
        try:
            if data is None or self.audio_path(key, extension).stat().st_size != data["size"]:
                return None
            span = JoinedSpan(float(data["span"]), int(data["audio_start"]))
            return RenderedTrack(key, float(data["seconds"]), span, Loudness(*data["loudness"]))
        except (OSError, KeyError, TypeError):
            return None

    def put(
        self, key: str, extension: str, seconds: float, span: JoinedSpan, loudness: Loudness, heard: list[Heard]
    ) -> RenderedTrack:
        """Record a rendered track whose audio is complete at :meth:`audio_path`."""
        record = {
            "seconds": seconds,
            "span": span.seconds,
            "audio_start": span.audio_start,
            "loudness": [loudness.integrated, loudness.true_peak],
            "heard": [[h.start, h.end, [list(part) for part in h.parts]] for h in heard],
            "size": self.audio_path(key, extension).stat().st_size,
        }
        self._write(key, "json", record)
        return RenderedTrack(key, seconds, span, loudness, fresh=True)

    def heard(self, audio_key: str) -> list[Heard]:
        data = self._read(audio_key, "json") or {}
        return [
            Heard(float(start), float(end), tuple((float(a), float(b)) for a, b in parts))
            for start, end, parts in data.get("heard", [])
        ]

    def mp3(self, audio_key: str, extension: str) -> Path:
        target = self._path(audio_key, "book.mp3")
        if not target.exists():
            with atomic_path(target) as temp:
                transcode_to_mp3(self.audio_path(audio_key, extension), temp)
        return target

    def copy_audio(self, key: str, extension: str, destination: Path) -> None:
        """A copy of an entry's audio at ``destination``, to be tagged there (the entry stays untagged)."""
        shutil.copyfile(self.audio_path(key, extension), destination)

    # --- speech -----------------------------------------------------------------------------------

    def spoken(self, speech_key: str) -> str | None:
        """The digest of the spoken text a track's page text was prepared into, if a build prepared it."""
        data = self._read(speech_key, "speech")
        return data.get("spoken") if data else None

    def utterances(self, speech_key: str) -> list[Utterance]:
        data = self._read(speech_key, "speech") or {}
        return [
            Utterance(page, spoken, pause, fragments=[(text, offset) for text, offset in fragments], block=block)
            for page, spoken, pause, fragments, block in data.get("utterances", [])
        ]

    def remember_speech(self, speech_key: str, spoken: str, utterances: list[Utterance]) -> None:
        records = [[u.page, u.spoken, u.pause_ms, [list(f) for f in u.fragments], u.block] for u in utterances]
        self._write(speech_key, "speech", {"spoken": spoken, "utterances": records})

    # --- a voice's calibration, a lexicon's phonemes --------------------------------------------

    def level(self, key: str) -> Level | None:
        data = self._read(key, "level")
        try:
            return Level(float(data["gain"]), float(data["ceiling"])) if data else None
        except (KeyError, TypeError, ValueError):
            return None

    def remember_level(self, key: str, level: Level) -> None:
        self._write(key, "level", asdict(level))

    def phonemes(self, key: str) -> dict[str, str] | None:
        data = self._read(key, "ipa")
        return {str(k): str(v) for k, v in data.items()} if data is not None else None

    def remember_phonemes(self, key: str, table: dict[str, str]) -> None:
        self._write(key, "ipa", table)
