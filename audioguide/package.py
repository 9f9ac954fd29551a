"""Building guide packages: plan every track, render what the cache lacks, then assemble.

Layout of ``<output>/<guide-slug>/``:

- ``NN-<chapter-slug>.<ext>`` per chapter (and ``00-contents.<ext>``, named in the guide's language,
  with ``--contents``), each with ``.vtt`` and ``.srt`` captions;
- ``<guide-slug>-full.<ext>``, the whole guide with chapter marks, and its captions;
- ``<guide-slug>.m3u8``, ``transcript.html``, ``transcript.txt`` and ``manifest.json``.

Tracks render in ``spawn`` worker processes that several guides share (:mod:`.workers`), into a
content-addressed cache (:mod:`.cache`) in the output folder, so a rebuild renders only what
changed. A package is assembled only once every track it needs is ready; until then the last
complete package stays as it was. Every file is written under a temporary name and renamed when
complete, and a file whose content would not change is not written at all.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .audio import Mark, duration, join
from .cache import CACHE_FOLDER, Cache, RenderedTrack
from .captions import shifted, srt, srt_cue, vtt, vtt_cue, vtt_header
from .chapters import Chapter, Guide, slugify, split_chapters
from .engines import DEFAULT_ENGINE, get_engine
from .errors import BuildFailed, InputError, OutputError
from .files import atomic_path, changed_file, exclusive, remove_dead_temporaries
from .languages import AUTO, DEFAULT, detect_language, get_language, primary
from .normalize import Lexicon, load_lexicon
from .player import player_html
from .playlist import Entry, m3u8
from .read import read_script
from .render import TrackJob, source_digest
from .settings import BuildSettings, Preset
from .speech import ChapterScript, ContentsScript
from .tags import VORBIS_COMMENTS, Tags, write_tags
from .transcript import listening_guide, transcript_html, transcript_text
from .workers import RENDER_TRACK, PoolsByEngine

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Progress:
    guide: str
    done: int
    total: int
    chapter: str
    seconds_left: float | None
    """Estimated from the words rendered so far; None until something has been rendered."""


ProgressCallback = Callable[[Progress], None]


@dataclass
class Track:
    """One audio file of a package: its job (what it says and how) and, once rendered, its audio."""

    number: int
    title: str
    file: str
    job: TrackJob
    chapter: Chapter | None = None
    """The chapter it reads; None for the spoken contents."""
    rendered: RenderedTrack | None = None

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    @property
    def seconds(self) -> float:
        return self.rendered.seconds


@dataclass(frozen=True)
class Speaker:
    """A voice ready to read a language's parts."""

    voice: str
    language: str
    """The language tag the parts (and the package) are marked with."""
    lexicon: Lexicon
    identity: dict
    """The engine's identity for the cache and the manifest (its versions, the voice's model)."""
    phonemes: dict[str, str]
    """The lexicon's phoneme strings in the engine's alphabet, where it has its own."""


@dataclass
class Plan:
    """A guide, read and prepared: everything needed to render and assemble its package."""

    guide: Guide
    settings: BuildSettings
    main: Speaker
    """Who reads the guide: its language's voice."""
    folder: Path
    cache: Path
    threads: int
    chapters: list[Track] = field(default_factory=list)
    contents: Track | None = None
    speakers: dict[str, Speaker] = field(default_factory=dict)
    """Voices of the parts in other languages ('language: auto'), by language code."""

    @property
    def language(self) -> str:
        return self.main.language

    def speaker(self, tag: str | None) -> Speaker:
        if not tag:
            return self.main
        return self.speakers.get(get_language(tag).code, self.main)

    def tags(self, title: str, number: int | None, language: str | None = None) -> Tags:
        """Tags of one of the guide's files; ``number`` None for the full-length file; ``language``
        the file's own, where a part is in another language than the guide."""
        guide = self.guide
        spoken_in = language or self.language
        return Tags(title, guide.title, number, len(guide.chapters), spoken_in, guide.script.meta.author)


def chapter_marks(chapters: list[Track]) -> list[Mark]:
    """Where each chapter starts and ends in the full-length file: one after another."""
    marks, position = [], 0.0
    for track in chapters:
        marks.append(Mark(track.title, position, position + track.rendered.span.seconds))
        position += track.rendered.span.seconds
    return marks


@dataclass
class BuildResult:
    guide: Guide
    settings: BuildSettings
    engine_identity: dict
    voice: str
    language: str
    folder: Path
    chapters: list[Track]
    contents: Track | None
    full_file: str
    full_seconds: float
    """How long the full-length file plays: known once it is joined (the texts written meanwhile need it not)."""
    rendered: int
    """How many tracks this build rendered (the rest came from the cache)."""
    written: list[str]
    """The files of the package this build wrote; empty when nothing had changed."""

    @property
    def playlist(self) -> Path:
        return self.folder / f"{self.guide.slug}.m3u8"

    @property
    def seconds(self) -> float:
        return sum(track.seconds for track in self.chapters)

    @property
    def captions_language(self) -> str:
        """The language code the caption files are marked with."""
        return self.language.split("-")[0]

    @property
    def starts(self) -> list[float]:
        """Where each chapter starts in the full-length file."""
        return [mark.start for mark in chapter_marks(self.chapters)]


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
    tag = settings.language or meta.language
    each_part = tag is not None and tag.lower() == AUTO
    if tag is None or each_part:
        tag = detect_language(" ".join(block.text for block in script.blocks)) or DEFAULT
    language = get_language(tag)
    merged = replace(
        settings,
        engine=settings.engine or meta.engine or DEFAULT_ENGINE,
        voice=settings.voice or meta.voice or language.voice_for(tag),
        rate=settings.rate if settings.rate is not None else meta.rate,
        preset=preset,
        lexicons=((meta.lexicon,) if meta.lexicon else ()) + settings.lexicons,
        language=tag,
    )
    guide = split_chapters(script, tag, each_part=each_part)
    guide.language_detected = not (settings.language or meta.language)
    return guide, merged


def build_guides(
    scripts: list[Path],
    output_root: Path,
    settings: BuildSettings,
    *,
    jobs: int | None = None,
    force: bool = False,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    time_limit: float | None = None,
    notice: Callable[[str], None] | None = None,
) -> list[BuildResult]:
    """Build a package for each script; the scripts' tracks share one pool of workers.

    ``time_limit`` is how long one track may take before its worker is stopped (and the track
    tried once more); by default it grows with the track's length. ``notice`` is given one line
    for each thing the user should know that is not an error (an encoding that was guessed).
    """
    # Workers may have been started elsewhere: every path they are given is absolute.
    output_root = Path(output_root).absolute()
    cache = Cache(output_root / CACHE_FOLDER)
    cores = os.cpu_count() or 1
    size = jobs or cores
    # Workers × engine threads within the cores: eSpeak NG uses one; Piper's ONNX Runtime more.
    threads = max(1, cores // size)
    try:
        with PoolsByEngine(RENDER_TRACK, size, lambda job: time_limit or job.time_limit) as pools:
            plans = [_plan(Path(script), output_root, settings, encoding, cache, threads) for script in scripts]
            for plan in plans:
                for line in plan.guide.script.notices if notice else ():
                    notice(line)
            _refuse_shared_folders(plans)
            # The lock lives in the cache folder, which every build into this output shares.
            with exclusive(cache.root, output_root):
                remove_dead_temporaries(output_root)
                _render(pools, cache, [t for p in plans for t in p.chapters], force, progress, plans)
                for plan in plans:
                    if plan.settings.contents:
                        plan.contents = _contents_track(plan)
                _render(pools, cache, [p.contents for p in plans if p.contents], force, None, plans)
                pools.release()
                results = [_assemble(plan, cache, force) for plan in plans]
                # A worker stopped for taking too long may have left its encoder's file behind.
                remove_dead_temporaries(output_root)
                return results
    except OSError as error:
        where = error.filename or output_root
        if error.errno == errno.ENOSPC:
            raise OutputError(
                f"cannot write {where}: {error.strerror}; free some space or choose another folder with -o"
            ) from None
        raise OutputError(f"cannot write to {where} ({error.strerror}); choose another folder with -o") from None


def _refuse_shared_folders(plans: list[Plan]) -> None:
    """Two scripts whose names make the same folder ("guide.txt", "guide.md") would overwrite each other."""
    seen: dict[Path, Path] = {}
    for plan in plans:
        other = seen.setdefault(plan.folder, plan.guide.script.path)
        if other != plan.guide.script.path:
            raise InputError(
                f"{other} and {plan.guide.script.path} would both build into {plan.folder}; rename one of them"
            )


def _plan(
    script_path: Path, output_root: Path, settings: BuildSettings, encoding: str | None, cache: Cache, threads: int
) -> Plan:
    guide, settings = load_guide(script_path, settings, encoding)
    engine = get_engine(settings.engine)
    main = _speaker(engine, settings, settings.voice, settings.language, script_path)
    plan = Plan(guide, settings, main, output_root / guide.slug, cache.root, threads)
    extension = settings.audio_format.chapter_extension
    for chapter in guide.chapters:
        if chapter.language and get_language(chapter.language).code != get_language(main.language).code:
            # 'language: auto': a part in another language is read by that language's voice.
            other = get_language(chapter.language)
            plan.speakers.setdefault(
                other.code, _speaker(engine, settings, other.voice_for(chapter.language), chapter.language, script_path)
            )
        name = f"{_track_number(chapter.number, guide)}-{chapter.slug}.{extension}"
        speaker = plan.speaker(chapter.language)
        script = ChapterScript(guide.title, len(guide.chapters), chapter, speaker.language)
        job = _job(plan, script, chapter.title, chapter.number)
        plan.chapters.append(Track(chapter.number, chapter.title, name, job, chapter))
    return plan


def _speaker(engine, settings: BuildSettings, wanted_voice: str | None, tag: str, script_path: Path) -> Speaker:
    """The voice, lexicon and language tag that read a language's parts; a voice of another
    language is refused, since it would read every word wrongly."""
    language = get_language(tag)
    voice = engine.choose(wanted_voice, settings.effective_rate)
    spoken = engine.language_of(voice)
    if primary(spoken) != language.code:
        raise InputError(
            f"{script_path}: the voice {voice} speaks {spoken}, but the guide is in {language.name} ({tag}); "
            f"choose a voice of its language ('audioguide voices --language {language.code}'), or give --language"
        )
    lexicon = load_lexicon(settings.lexicons, tag)
    # The package is marked with the voice's own tag ("en-us") unless the guide named its own.
    marked = tag if "-" in tag else spoken
    phonemes = engine.phoneme_table(lexicon.phoneme_strings(), voice)
    return Speaker(voice, marked, lexicon, engine.identity(voice), phonemes)


def _track_number(number: int, guide: Guide) -> str:
    """Zero-padded to the width of the last number, so file names sort in playing order."""
    return f"{number:0{max(2, len(str(len(guide.chapters))))}d}"


def _job(plan: Plan, script: ChapterScript | ContentsScript, title: str, number: int) -> TrackJob:
    settings = plan.settings
    speaker = plan.speaker(script.language)
    return TrackJob(
        label=f"{plan.guide.title}: {title}",
        script=script,
        pauses=settings.pauses,
        lexicon=speaker.lexicon,
        engine=settings.engine,
        identity=speaker.identity,
        voice=speaker.voice,
        rate=settings.effective_rate,
        audio_format=settings.audio_format,
        bitrate=settings.effective_bitrate,
        tags=plan.tags(title, number, speaker.language),
        cache=plan.cache,
        threads=plan.threads,
        phonemes=speaker.phonemes,
    )


def _contents_track(plan: Plan) -> Track:
    """The optional spoken table of contents: the guide's title and its parts with their lengths."""
    parts = tuple((t.number, t.title, t.seconds) for t in plan.chapters)
    script = ContentsScript(plan.guide.title, parts, plan.language)
    title = get_language(plan.language).say("contents")
    # The file is named in the guide's language, like its chapters: 00-contents, 00-indice.
    name = f"{_track_number(0, plan.guide)}-{slugify(title)}.{plan.settings.audio_format.chapter_extension}"
    return Track(0, title, name, _job(plan, script, title, 0))


def _render(pools: PoolsByEngine, cache: Cache, tracks: list[Track], force: bool, progress, plans) -> None:
    """Fill in every track's audio: from the cache, or by the pool (which prepares the speech).

    A track whose script was prepared by an earlier build is found by its speech's key without
    preparing it again; the others go to the workers, which render only what the cache lacks.
    """
    to_render: dict[str, list[Track]] = {}
    for track in tracks:
        job = track.job
        speech = None if force else cache.speech(job.script_key)
        track.rendered = cache.get(job.key(speech), job.audio_format.chapter_extension) if speech else None
        if track.rendered is None:
            to_render.setdefault(job.script_key, []).append(track)
    # Longest first: the last worker to finish is then busy with a short chapter, not a long one.
    jobs = sorted((replace(same[0].job, force=force) for same in to_render.values()), key=lambda job: -job.words)
    total_words = sum(job.words for job in jobs) or 1
    done_words, started, failures = 0, time.monotonic(), []
    for done, outcome in enumerate(pools.run(jobs, lambda job: job.engine), start=1):
        job = outcome.task
        if outcome.error is not None:
            failures.append(f"'{job.label}' ({outcome.error})")
            continue
        for track in to_render[job.script_key]:
            track.rendered = outcome.result
        done_words += job.words
        if progress:
            elapsed = time.monotonic() - started
            left = elapsed / done_words * (total_words - done_words) if done_words else None
            guide, _, title = job.label.partition(": ")
            progress(Progress(guide, done, len(jobs), title, left))
    if failures:
        untouched = ", ".join(str(p.folder) for p in plans)
        raise BuildFailed(
            f"could not render {'; '.join(failures)}; {untouched} left as it was; the other chapters are "
            "saved, so running the build again retries only these"
        )


def _assemble(plan: Plan, cache: Cache, force: bool) -> BuildResult:
    folder = _prepare_folder(plan.folder)
    previous = _read_manifest(folder)
    written: list[str] = []
    tracks = ([plan.contents] if plan.contents else []) + plan.chapters
    recorded = {entry.get("file"): entry.get("key") for entry in previous.get("tracks", [])}
    # Captions too are rewritten only when what they are made of changed (or were lost).
    captioned = {} if force else {entry.get("file"): entry.get("captions") for entry in previous.get("tracks", [])}
    for track in tracks:
        if force or recorded.get(track.file) != track.rendered.key or not (folder / track.file).exists():
            cache.place(track.rendered.key, plan.settings.audio_format.chapter_extension, folder / track.file)
            written.append(track.file)
    full_file = f"{plan.guide.slug}-full.{plan.settings.audio_format.extension}"
    full_key = _full_key(plan)
    rejoin = force or previous.get("full", {}).get("key") != full_key or not (folder / full_file).exists()
    result = BuildResult(
        plan.guide, plan.settings, plan.main.identity, plan.main.voice, plan.language, folder, plan.chapters,
        plan.contents, full_file, 0.0, sum(t.rendered.fresh for t in tracks), written,
    )  # fmt: skip
    # Joining is mostly the kernel's work, copying: the texts are written meanwhile.
    joining = _Background(_join_full, plan, cache, folder / full_file) if rejoin else None
    try:
        _write_texts(result, cache, captioned, written)
    finally:
        if joining:
            joining.join()  # never still writing once the build has let go of the folder
    if joining:
        result.full_seconds = joining.result()
        written.append(full_file)
    else:
        result.full_seconds = duration(folder / full_file)
    manifest = _manifest(result, full_key)
    for stale in set(previous.get("files", [])) - set(manifest["files"]):
        (folder / Path(stale).name).unlink(missing_ok=True)
    with changed_file(folder / MANIFEST, written) as out:
        json.dump(manifest, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return result


class _Background(threading.Thread):
    """``function(*args)`` run in a thread of its own; :meth:`result` waits, then returns or raises what it did.

    (``concurrent.futures`` would do as well, but importing it costs a one-chapter rebuild 0.01 s.)
    """

    def __init__(self, function: Callable, *args):
        super().__init__(daemon=True)
        self._call = (function, args)
        self._value = None
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        function, args = self._call
        try:
            self._value = function(*args)
        except BaseException as error:  # handed to the caller by result()
            self._error = error

    def result(self):
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


def _full_key(plan: Plan) -> str:
    parts = [track.rendered.key for track in plan.chapters] + [plan.settings.audio_format.value]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _join_full(plan: Plan, cache: Cache, target: Path) -> float:
    """Join the chapters' audio into one file, with a chapter mark where each begins; return its length.

    The audio is taken from the cache, where it is as rendered, not from the package's chapter
    files, which a media player may have tagged again since.
    """
    audio_format = plan.settings.audio_format
    marks = chapter_marks(plan.chapters)
    tags = plan.tags(plan.guide.title, None)
    with atomic_path(target) as temp:
        extension = audio_format.chapter_extension
        parts = [(cache.audio_path(track.rendered.key, extension), track.rendered.span) for track in plan.chapters]
        seconds = join(parts, temp, audio_format, plan.settings.effective_bitrate, marks, tags)
        if audio_format in VORBIS_COMMENTS:
            write_tags(temp, audio_format, tags, marks)
    return seconds


def _write_texts(result: BuildResult, cache: Cache, captioned: dict[str, str], written: list[str]) -> None:
    """Captions, transcripts and the playlist: everything of the package that is text.

    Written one file at a time, with the captions read from the cache a track at a time, so
    memory stays flat however long the guide. A track's own captions are left as they are where
    ``captioned`` (the last build's :func:`_captions_key` by file) says they were made the same way.
    """
    folder, language = result.folder, result.captions_language
    tracks = ([result.contents] if result.contents else []) + result.chapters
    full_stem = Path(result.full_file).stem
    with (
        changed_file(folder / f"{full_stem}.vtt", written) as full_vtt,
        changed_file(folder / f"{full_stem}.srt", written) as full_srt,
    ):
        full_vtt.write(vtt_header(language))
        number = 0
        placed = [(result.contents, None)] if result.contents else []
        for track, start in placed + list(zip(result.chapters, result.starts, strict=True)):
            cues = cache.cues(track.rendered.key)
            names = _captions(track)
            lost = not all((folder / name).exists() for name in names.values())
            if lost or captioned.get(track.file) != _captions_key(track, language):
                with changed_file(folder / names["vtt"], written) as out:
                    out.write(vtt(cues, language))
                with changed_file(folder / names["srt"], written) as out:
                    out.write(srt(cues))
            if start is not None:
                for cue in shifted(cues, start):
                    number += 1
                    full_vtt.write(vtt_cue(number, cue))
                    full_srt.write(srt_cue(number, cue))
    guide = result.guide
    player_tracks = [{"title": t.title, "file": t.file, "seconds": round(t.seconds, 3)} for t in tracks]
    captions = ((folder / f"{t.stem}.vtt").read_text(encoding="utf-8") for t in tracks)
    texts = {
        "index.html": lambda: player_html(
            guide.title, guide.script.meta.author, result.language, guide.slug, player_tracks, captions,
            result.full_file,
        ),
        "README.txt": lambda: [listening_guide(guide.title, result.full_file, result.playlist.name, result.language)],
        "transcript.html": lambda: _lines(transcript_html(guide, result.language)),
        "transcript.txt": lambda: _lines(transcript_text(guide, result.language)),
        result.playlist.name: lambda: [m3u8(guide.title, [Entry(t.file, t.seconds, t.title) for t in tracks])],
    }  # fmt: skip
    for name, pieces in texts.items():
        with changed_file(folder / name, written) as out:
            out.writelines(pieces())


def _lines(lines: Iterable[str]) -> Iterator[str]:
    return (f"{line}\n" for line in lines)


def _prepare_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot write to {folder} ({error.strerror}); choose another folder with -o") from None
    return folder


def _captions(track: Track) -> dict[str, str]:
    return {"vtt": f"{track.stem}.vtt", "srt": f"{track.stem}.srt"}


def _captions_key(track: Track, language: str) -> str:
    """What a track's caption files are made of: its audio's captions, their language and the code that writes them."""
    made_of = [track.rendered.key, language, source_digest("captions")]
    return hashlib.sha256("\n".join(made_of).encode()).hexdigest()


def _manifest(result: BuildResult, full_key: str) -> dict:
    guide, settings = result.guide, result.settings
    tracks = ([result.contents] if result.contents else []) + result.chapters
    full_stem = Path(result.full_file).stem
    files = [name for t in tracks for name in (t.file, *_captions(t).values())]
    files += [result.full_file, f"{full_stem}.vtt", f"{full_stem}.srt"]
    files += [result.playlist.name, "index.html", "README.txt", "transcript.html", "transcript.txt", MANIFEST]
    return {
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
            "engine_version": result.engine_identity.get("version"),
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
                "loudness_lufs": track.rendered.loudness.integrated,
                "true_peak_dbtp": track.rendered.loudness.true_peak,
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
            "key": full_key,
        },
        "duration_seconds": round(result.seconds, 3),
        "playlist": result.playlist.name,
        "transcript": {"html": "transcript.html", "text": "transcript.txt"},
        "player": "index.html",
        "tracks": [
            {"file": t.file, "key": t.rendered.key, "captions": _captions_key(t, result.captions_language)}
            for t in tracks
        ],
        "files": files,
    }


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
