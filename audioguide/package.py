"""Building a guide package: chapters rendered, encoded, tagged, joined, captioned and described.

Layout of ``<output>/<guide-slug>/``:

- ``NN-<chapter-slug>.<ext>`` per chapter (and ``00-contents.<ext>`` with ``--contents``), each
  with ``.vtt`` and ``.srt`` captions;
- ``<guide-slug>-full.<ext>``, the whole guide with chapter marks, and its captions;
- ``<guide-slug>.m3u8``, ``transcript.html``, ``transcript.txt`` and ``manifest.json``.

Every file is written under a temporary name and renamed when complete, so a reader never finds
half a file where a finished one should be.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .audio import Loudness, Mark, duration, encode_normalised, join, render_wav
from .captions import Cue, chapter_cues, shifted, srt, vtt
from .chapters import Chapter, Guide, split_chapters
from .engine import Engine, get_engine
from .errors import InputError, OutputError
from .files import atomic_path, remove_temporaries, write_text_atomic
from .normalize import Lexicon, load_lexicon
from .playlist import Entry, m3u8
from .script import read_script
from .settings import AudioFormat, BuildSettings, Preset
from .speech import Utterance, prepare_chapter, prepare_contents
from .tags import VORBIS_COMMENTS, Tags, ffmpeg_metadata, write_tags
from .transcript import transcript_html, transcript_text

MANIFEST = "manifest.json"
CONTENTS_TITLE = "Contents"


@dataclass(frozen=True)
class Progress:
    guide: str
    done: int
    total: int
    chapter: str


ProgressCallback = Callable[[Progress], None]


@dataclass
class Track:
    """One rendered audio file of the package, with what it says and when."""

    number: int
    title: str
    file: str
    seconds: float
    loudness: Loudness
    cues: list[Cue]
    chapter: Chapter | None = None
    """The chapter it reads; None for the spoken contents."""

    @property
    def stem(self) -> str:
        return Path(self.file).stem


@dataclass
class BuildResult:
    guide: Guide
    settings: BuildSettings
    voice: str
    language: str
    folder: Path
    chapters: list[Track]
    contents: Track | None
    full_file: str
    full_seconds: float

    @property
    def playlist(self) -> Path:
        return self.folder / f"{self.guide.slug}.m3u8"

    @property
    def seconds(self) -> float:
        return sum(track.seconds for track in self.chapters)

    @property
    def starts(self) -> list[float]:
        """Where each chapter starts in the full-length file."""
        starts, position = [], 0.0
        for track in self.chapters:
            starts.append(position)
            position += track.seconds
        return starts


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
    renderer = _Renderer(engine, guide, settings, language, folder)
    total = len(guide.chapters)
    with tempfile.TemporaryDirectory(prefix=".audioguide-", dir=folder) as work:
        renderer.work = Path(work)
        chapters = []
        for chapter in guide.chapters:
            name = f"{chapter.number:02d}-{chapter.slug}.{settings.audio_format.chapter_extension}"
            utterances = prepare_chapter(guide, chapter, settings.pauses, lexicon)
            chapters.append(renderer.track(chapter.number, chapter.title, name, utterances, chapter))
            if progress:
                progress(Progress(guide.title, chapter.number, total, chapter.title))
        contents = _render_contents(renderer, chapters, lexicon) if settings.contents else None
        full_file, full_seconds = renderer.full_file(chapters)
    result = BuildResult(guide, settings, voice, language, folder, chapters, contents, full_file, full_seconds)
    _write_texts(result)
    _write_manifest(result)
    return result


class _Renderer:
    """Renders, encodes and tags the audio files of one package."""

    def __init__(self, engine: Engine, guide: Guide, settings: BuildSettings, language: str, folder: Path):
        self.engine, self.guide, self.settings = engine, guide, settings
        self.language, self.folder = language, folder
        self.work = folder

    @property
    def audio_format(self) -> AudioFormat:
        return self.settings.audio_format

    def tags(self, title: str, track: int | None) -> Tags:
        total = len(self.guide.chapters)
        return Tags(title, self.guide.title, track, total, self.language, self.guide.script.meta.author)

    def track(self, number: int, title: str, name: str, utterances: list[Utterance], chapter: Chapter | None) -> Track:
        wav = self.work / f"{Path(name).stem}.wav"
        timings = render_wav(self.engine, utterances, wav)
        with atomic_path(self.folder / name) as temp:
            loudness = encode_normalised(wav, temp, self.audio_format, self.settings.effective_bitrate)
            write_tags(temp, self.audio_format, self.tags(title, number))
            seconds = duration(temp)
        wav.unlink()
        return Track(number, title, name, seconds, loudness, chapter_cues(utterances, timings), chapter)

    def full_file(self, chapters: list[Track]) -> tuple[str, float]:
        """Join the chapter files into one, with a chapter mark where each begins."""
        name = f"{self.guide.slug}-full.{self.audio_format.extension}"
        marks, position = [], 0.0
        for track in chapters:
            marks.append(Mark(track.title, position, position + track.seconds))
            position += track.seconds
        with atomic_path(self.folder / name) as temp:
            parts = [self.folder / track.file for track in chapters]
            tags = self.tags(self.guide.title, None)
            join(
                parts, temp, self.audio_format, self.settings.effective_bitrate, marks, ffmpeg_metadata(tags), self.work
            )
            if self.audio_format in VORBIS_COMMENTS:
                write_tags(temp, self.audio_format, tags, marks)
            seconds = duration(temp)
        return name, seconds


def _render_contents(renderer: _Renderer, chapters: list[Track], lexicon: Lexicon) -> Track:
    """The optional spoken table of contents: the guide's title and its parts with their lengths."""
    settings = renderer.settings
    utterances = prepare_contents(renderer.guide, [t.seconds for t in chapters], settings.pauses, lexicon)
    name = f"00-contents.{settings.audio_format.chapter_extension}"
    return renderer.track(0, CONTENTS_TITLE, name, utterances, None)


def _write_texts(result: BuildResult) -> None:
    """Captions, transcripts and the playlist: everything of the package that is text."""
    folder, language = result.folder, result.language.split("-")[0]
    tracks = ([result.contents] if result.contents else []) + result.chapters
    for track in tracks:
        write_text_atomic(folder / f"{track.stem}.vtt", vtt(track.cues, language))
        write_text_atomic(folder / f"{track.stem}.srt", srt(track.cues))
    full_cues = [
        cue for start, track in zip(result.starts, result.chapters, strict=True) for cue in shifted(track.cues, start)
    ]
    full_stem = Path(result.full_file).stem
    write_text_atomic(folder / f"{full_stem}.vtt", vtt(full_cues, language))
    write_text_atomic(folder / f"{full_stem}.srt", srt(full_cues))
    write_text_atomic(folder / "transcript.html", transcript_html(result.guide, result.language))
    write_text_atomic(folder / "transcript.txt", transcript_text(result.guide))
    entries = [Entry(t.file, t.seconds, t.title) for t in tracks]
    write_text_atomic(result.playlist, m3u8(result.guide.title, entries))


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


def _captions(track: Track) -> dict[str, str]:
    return {"vtt": f"{track.stem}.vtt", "srt": f"{track.stem}.srt"}


def _write_manifest(result: BuildResult) -> None:
    guide, settings = result.guide, result.settings
    previous = _read_manifest(result.folder)
    tracks = ([result.contents] if result.contents else []) + result.chapters
    full_stem = Path(result.full_file).stem
    files = [name for t in tracks for name in (t.file, *_captions(t).values())]
    files += [result.full_file, f"{full_stem}.vtt", f"{full_stem}.srt"]
    files += [result.playlist.name, "transcript.html", "transcript.txt", MANIFEST]
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
            "voice": result.voice,
            "rate": settings.effective_rate,
            "preset": settings.effective_preset.value,
            "format": settings.audio_format.value,
            "bitrate": settings.effective_bitrate,
            "lexicons": [str(path) for path in settings.lexicons],
            "contents": settings.contents,
        },
        "chapters": [
            {
                "number": track.number,
                "title": track.title,
                "file": track.file,
                "duration_seconds": round(track.seconds, 3),
                "start_seconds": round(start, 3),
                "words": track.chapter.words,
                "loudness_lufs": track.loudness.integrated,
                "true_peak_dbtp": track.loudness.true_peak,
                "captions": _captions(track),
            }
            for track, start in zip(result.chapters, result.starts, strict=True)
        ],
        "contents": None
        if result.contents is None
        else {
            "file": result.contents.file,
            "duration_seconds": round(result.contents.seconds, 3),
            "captions": _captions(result.contents),
        },
        "full": {
            "file": result.full_file,
            "duration_seconds": round(result.full_seconds, 3),
            "captions": {"vtt": f"{full_stem}.vtt", "srt": f"{full_stem}.srt"},
        },
        "duration_seconds": round(result.seconds, 3),
        "playlist": result.playlist.name,
        "transcript": {"html": "transcript.html", "text": "transcript.txt"},
        "files": files,
    }
    for stale in set(previous.get("files", [])) - set(files):
        (result.folder / Path(stale).name).unlink(missing_ok=True)
    write_text_atomic(result.folder / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
