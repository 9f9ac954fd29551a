"""Assembling a package from its tracks' audio: place and tag each file, join the full-length file,
and let each output write what changed; the manifest last.

Every file is written under a temporary name and renamed when complete, and a file whose content
would not change is not written at all: a rebuild that changed only the guide's author re-tags the
audio files and renders nothing.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import OutputError
from ..files import atomic_path
from ..outputs import outputs
from ..outputs.base import Output, PackageFiles
from ..outputs.manifest import read_manifest, write_manifest
from ..outputs.tags import Tags, write_tags
from ..settings import TagKind
from .audio import duration, join
from .cache import Cache
from .keys import digest
from .types import BuildResult, Plan, Track


def assemble(plan: Plan, cache: Cache, force: bool) -> BuildResult:
    folder = _prepare_folder(plan.folder)
    previous = read_manifest(folder)
    audio_format = plan.settings.audio_format
    result = BuildResult(plan, cache, f"{plan.guide.slug}-full.{audio_format.extension}")
    placed = {entry.get("file"): entry for entry in previous.get("tracks", []) if isinstance(entry, dict)}
    audio = []
    for track in plan.tracks:
        tags = track_tags(plan, track)
        entry = {"file": track.file, "key": track.audio.key, "tags": digest(tags)}
        before = {} if force or not (folder / track.file).exists() else placed.get(track.file, {})
        if before.get("key") != entry["key"] or before.get("tags") != entry["tags"]:
            _place(cache, track, folder / track.file, tags)
            result.written.append(track.file)
            if before.get("key") == entry["key"]:
                result.retagged += 1
        audio.append(entry)
    result.rendered = sum(track.audio.fresh for track in plan.tracks)
    full_tags = track_tags(plan, None)
    full = {"file": result.full_file, "key": _full_key(result, full_tags)}
    target = folder / result.full_file
    rejoin = force or previous.get("full", {}).get("key") != full["key"] or not target.exists()
    # Joining is mostly the kernel's work, copying: the texts are written meanwhile.
    joining = _Background(_join_full, result, cache, target, full_tags) if rejoin else None
    try:
        made = _write_outputs(result, previous, force)
    finally:
        if joining:
            joining.join()  # never still writing once the build has let go of the folder
    if joining:
        result.full_seconds = joining.result()
        result.written.append(result.full_file)
    else:
        # As the join measured it: mutagen's estimate from the file's headers may differ in the last digit.
        result.full_seconds = previous.get("full", {}).get("duration_seconds") or duration(target)
    files = PackageFiles(folder, result.written, {}, force)
    manifest = write_manifest(result, files, audio, full, made)
    for stale in set(previous.get("files", [])) - set(manifest["files"]):
        _remove(folder / Path(stale).name)
    return result


def track_tags(plan: Plan, track: Track | None) -> Tags:
    """Tags of one of the guide's files; None for the full-length file."""
    guide = plan.guide
    title = track.title if track else guide.title
    number = track.number if track else None
    language = track.language if track else plan.settings.speaker.language
    return Tags(title, guide.title, number, len(guide.chapters), language, guide.script.meta.author)


def _place(cache: Cache, track: Track, target: Path, tags: Tags) -> None:
    """The track's audio from the cache, tagged, at ``target``."""
    audio_format = track.job.audio_format
    with atomic_path(target) as temp:
        cache.copy_audio(track.audio.key, audio_format.chapter_extension, temp)
        write_tags(temp, audio_format, tags)


def _write_outputs(result: BuildResult, previous: dict, force: bool) -> dict[str, tuple[list[str], dict]]:
    """Each output's files (written where they changed) and what it records for the next build."""
    states = previous.get("outputs", {}) if isinstance(previous.get("outputs"), dict) else {}

    def write(chosen: list[Output]) -> dict[str, tuple[list[str], dict]]:
        made = {}
        for output in chosen:
            files = PackageFiles(result.folder, result.written, states.get(output.name, {}), force)
            made[output.name] = (output.files(result), output.write(result, files))
        return made

    every = outputs()
    # The talking books copy every chapter's audio: the disk does that while the texts are written.
    books = _Background(write, [output for output in every if output.alongside])
    try:
        made = write([output for output in every if not output.alongside])
    finally:
        books.join()
    made.update(books.result())
    return {output.name: made[output.name] for output in every}


def _full_key(result: BuildResult, tags: Tags) -> str:
    """What the full-length file is made of: the chapters' audio, their marks, its format and its tags."""
    settings = result.settings
    parts = [track.audio.key for track in result.chapters]
    marks = [mark.title for mark in result.marks]
    return digest([parts, marks, settings.audio_format.value, settings.bitrate, tags])


def _join_full(result: BuildResult, cache: Cache, target: Path, tags: Tags) -> float:
    """Join the chapters' audio into one file, with a chapter mark where each begins; return its length.

    The audio is taken from the cache, where it is as rendered, not from the package's chapter
    files, which a media player may have tagged again since.
    """
    audio_format = result.settings.audio_format
    marks = result.marks
    with atomic_path(target) as temp:
        extension = audio_format.chapter_extension
        parts = [(cache.audio_path(track.audio.key, extension), track.audio.span) for track in result.chapters]
        seconds = join(parts, temp, audio_format, result.settings.bitrate, marks, tags)
        if audio_format.info.tags is TagKind.VORBIS:
            write_tags(temp, audio_format, tags, marks)
    return seconds


def _remove(path: Path) -> None:
    """A file or folder the package no longer has (a DAISY book no longer asked for)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _prepare_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot write to {folder} ({error.strerror}); choose another folder with -o") from None
    return folder


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
