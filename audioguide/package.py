"""Building a guide package: chapters rendered, encoded, tagged, listed and described.

Layout of ``<output>/<guide-slug>/``: ``NN-<chapter-slug>.<ext>`` per chapter, the playlist
``<guide-slug>.m3u8`` and ``manifest.json``. Every file is written under a temporary name and
renamed when complete, so a reader never finds half a file where a finished one should be.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .audio import Loudness, UtteranceTiming, duration, encode_normalised, render_wav
from .chapters import Chapter, Guide, split_chapters
from .engine import Engine, get_engine
from .errors import InputError, OutputError
from .files import atomic_path, remove_temporaries, write_text_atomic
from .normalize import load_lexicon
from .playlist import Entry, m3u8
from .script import read_script
from .settings import BuildSettings, Preset
from .speech import Utterance, prepare_chapter
from .tags import Tags, write_tags

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Progress:
    guide: str
    done: int
    total: int
    chapter: str


ProgressCallback = Callable[[Progress], None]


@dataclass
class ChapterAudio:
    chapter: Chapter
    file: str
    seconds: float
    loudness: Loudness
    utterances: list[Utterance]
    timings: list[UtteranceTiming]


@dataclass
class BuildResult:
    guide: Guide
    settings: BuildSettings
    voice: str
    folder: Path
    chapters: list[ChapterAudio]

    @property
    def playlist(self) -> Path:
        return self.folder / f"{self.guide.slug}.m3u8"

    @property
    def seconds(self) -> float:
        return sum(chapter.seconds for chapter in self.chapters)


def load_guide(script_path: Path, settings: BuildSettings, encoding: str | None = None) -> tuple[Guide, BuildSettings]:
    """Read and split a script; settings not given explicitly come from its front matter."""
    script = read_script(script_path, encoding=encoding, heading=settings.heading, chapter_level=settings.chapter_level)
    meta = script.meta
    preset = settings.preset
    if preset is None and meta.preset:
        try:
            preset = Preset(meta.preset)
        except ValueError:
            raise InputError(f"{script_path}: front matter 'preset: {meta.preset}' must be standard or slow") from None
    merged = replace(
        settings,
        voice=settings.voice or meta.voice or meta.language,
        rate=settings.rate if settings.rate is not None else meta.rate,
        preset=preset,
        lexicons=((meta.lexicon,) if meta.lexicon else ()) + settings.lexicons,
    )
    return split_chapters(script), merged


def build_guide(
    script_path: Path,
    output_root: Path,
    settings: BuildSettings,
    *,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    engine: Engine | None = None,
) -> BuildResult:
    guide, settings = load_guide(script_path, settings, encoding)
    lexicon = load_lexicon(settings.lexicons)
    engine = engine or get_engine()
    voice = engine.configure(settings.voice, settings.effective_rate)
    folder = _prepare_folder(Path(output_root) / guide.slug)
    language = guide.script.meta.language or _voice_language(engine, voice)
    total = len(guide.chapters)
    results = []
    with tempfile.TemporaryDirectory(prefix=".audioguide-", dir=folder) as work:
        for chapter in guide.chapters:
            utterances = prepare_chapter(guide, chapter, settings.pauses, lexicon)
            wav = Path(work) / f"{chapter.number:02d}.wav"
            timings = render_wav(engine, utterances, wav)
            name = f"{chapter.number:02d}-{chapter.slug}.{settings.audio_format.extension}"
            with atomic_path(folder / name) as temp:
                loudness = encode_normalised(wav, temp, settings.audio_format, settings.effective_bitrate)
                tags = Tags(chapter.title, guide.title, chapter.number, total, language, guide.script.meta.author)
                write_tags(temp, settings.audio_format, tags)
                seconds = duration(temp)
            wav.unlink()
            results.append(ChapterAudio(chapter, name, seconds, loudness, utterances, timings))
            if progress:
                progress(Progress(guide.title, chapter.number, total, chapter.title))
    result = BuildResult(guide, settings, voice, folder, results)
    write_text_atomic(result.playlist, m3u8(guide.title, [Entry(c.file, c.seconds, c.chapter.title) for c in results]))
    _write_manifest(result, language)
    return result


def _prepare_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_temporaries(folder)
    except OSError as error:
        raise OutputError(f"cannot write to {folder} ({error.strerror}); choose another folder with -o") from None
    return folder


def _voice_language(engine: Engine, voice_id: str) -> str:
    for voice in engine.voices():
        if voice.id == voice_id and voice.languages:
            return voice.languages[0]
    return "en"


def _write_manifest(result: BuildResult, language: str) -> None:
    guide, settings = result.guide, result.settings
    previous = _read_manifest(result.folder)
    files = [c.file for c in result.chapters] + [result.playlist.name]
    manifest = {
        "tool": "audioguide",
        "version": __version__,
        "guide": {
            "title": guide.title,
            "slug": guide.slug,
            "source": guide.script.path.name,
            "source_sha256": hashlib.sha256(guide.script.path.read_bytes()).hexdigest(),
            "author": guide.script.meta.author,
            "language": language,
            "words": guide.words,
        },
        "settings": {
            "voice": result.voice,
            "rate": settings.effective_rate,
            "preset": settings.effective_preset.value,
            "format": settings.audio_format.value,
            "bitrate": settings.effective_bitrate,
            "lexicons": [str(path) for path in settings.lexicons],
        },
        "chapters": [
            {
                "number": c.chapter.number,
                "title": c.chapter.title,
                "file": c.file,
                "duration_seconds": round(c.seconds, 3),
                "words": c.chapter.words,
                "loudness_lufs": c.loudness.integrated,
                "true_peak_dbtp": c.loudness.true_peak,
            }
            for c in result.chapters
        ],
        "duration_seconds": round(result.seconds, 3),
        "playlist": result.playlist.name,
        "files": [*files, MANIFEST],
    }
    for stale in set(previous.get("files", [])) - set(manifest["files"]):
        (result.folder / Path(stale).name).unlink(missing_ok=True)
    write_text_atomic(result.folder / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
