"""``manifest.json``: what was built, from what, with which engine, voice and settings; and what the
next build needs to know to write only what changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import __version__
from ..build.types import BuildResult
from .base import PackageFiles

MANIFEST = "manifest.json"


def read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_manifest(
    result: BuildResult, files: PackageFiles, audio: list[dict], full: dict, outputs: dict[str, tuple[list[str], dict]]
) -> dict:
    """The manifest of a package whose ``audio`` files (track file, audio key, tags key), ``full``
    file (file, key) and ``outputs`` (name → their files and state) are written; return it."""
    guide, settings = result.guide, result.settings
    full_stem = Path(result.full_file).stem
    package_files = [entry["file"] for entry in audio] + [result.full_file]
    package_files += [name for names, _ in outputs.values() for name in names] + [MANIFEST]
    manifest = {
        "tool": "audioguide",
        "version": __version__,
        "guide": {
            "title": guide.title,
            "slug": guide.slug,
            "source": guide.script.path.name,
            "source_sha256": hashlib.sha256(guide.script.path.read_bytes()).hexdigest(),
            "author": guide.script.meta.author,
            "language": result.language,
            "words": guide.words,
        },
        "settings": {
            "engine": settings.engine,
            "engine_version": result.plan.identity.get("version"),
            "voice": settings.voice,
            "rate": settings.rate,
            "preset": settings.preset.value,
            "format": settings.audio_format.value,
            "bitrate": settings.bitrate or None,
            # By name only: a path would tell whoever gets the package where the clinic keeps its files.
            "lexicons": [Path(path).name for path in settings.lexicons],
            "contents": settings.contents,
        },
        "chapters": [
            {
                "number": track.number,
                "title": track.title,
                "file": track.file,
                "duration_seconds": round(track.seconds, 3),
                "start_seconds": round(start, 3),
                "words": track.chapter.words if track.chapter else 0,
                "loudness_lufs": track.audio.loudness.integrated,
                "true_peak_dbtp": track.audio.loudness.true_peak,
                "captions": {"vtt": f"{track.stem}.vtt", "srt": f"{track.stem}.srt"},
            }
            for track, start in zip(result.chapters, result.starts, strict=True)
        ],
        # Numbered as in the document: whoever gets the package can tell what it does not hold.
        "left_out": [{"number": chapter.number, "title": chapter.title} for chapter in guide.left_out],
        "contents": None
        if result.contents is None
        else {
            "file": result.contents.file,
            "duration_seconds": round(result.contents.seconds, 3),
            "captions": {"vtt": f"{result.contents.stem}.vtt", "srt": f"{result.contents.stem}.srt"},
        },
        "full": {
            **full,
            "duration_seconds": round(result.full_seconds, 3),
            "captions": {"vtt": f"{full_stem}.vtt", "srt": f"{full_stem}.srt"},
        },
        "duration_seconds": round(result.seconds, 3),
        "playlist": result.playlist.name,
        "transcript": {"html": "transcript.html", "text": "transcript.txt"},
        "player": "index.html",
        "tracks": audio,
        "outputs": {name: state for name, (_, state) in outputs.items()},
        "files": package_files,
    }
    with files.text(MANIFEST) as out:
        json.dump(manifest, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return manifest
