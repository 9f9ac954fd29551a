"""Writing files so that a reader never sees half of one, and one build at a time per folder."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError

#: Every temporary file or folder audioguide makes starts with this, so that what an interrupted
#: build left behind is recognised and removed by the next one.
TEMP_PREFIX = ".tmp-"
LOCK_FILE = ".audioguide.lock"


def temp_path_for(path: Path) -> Path:
    """A hidden name beside ``path`` with the same extension, so tools still know the format.

    The process id keeps two writers of one file (a build's worker, and an orphan of a build
    that was killed) from ever writing into the same temporary file.
    """
    return path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{path.name}")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``, on failure it is removed."""
    temp = temp_path_for(path)
    try:
        yield temp
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")


@contextmanager
def changed_file(path: Path, written: list[str]) -> Iterator[TextWriter]:
    """A text file to write; it replaces ``path`` only if it differs, and is then added to ``written``.

    A file whose content would not change keeps its time stamp, so a rebuild that changes
    nothing writes nothing (and copies to a USB stick find nothing new).
    """
    out = TextWriter(path)
    try:
        yield out
        if out.finish():
            written.append(path.name)
    finally:
        out.discard()


class TextWriter:
    """Text written here is compared, as it comes, with the file already at ``path``.

    Nothing is written to disk while the two agree: a temporary file is begun at the first
    difference (with the agreeing part copied from the old file), so the many files of a
    rebuild that come out the same cost no file of their own, and memory stays flat. Text is
    compared a block at a time: captions come a line at a time.
    """

    _BLOCK = 1 << 16

    def __init__(self, path: Path):
        self._path = path
        self._temp = temp_path_for(path)
        try:
            self._old: BinaryIO | None = open(path, "rb")  # noqa: SIM115 (closed by discard)
        except FileNotFoundError:
            self._old = None
        self._agreed = 0
        self._new: BinaryIO | None = None if self._old else open(self._temp, "wb")  # noqa: SIM115
        self._held: list[str] = []
        self._held_size = 0

    def write(self, text: str) -> int:
        self._held.append(text)
        self._held_size += len(text)
        if self._held_size >= self._BLOCK:
            self._compare_held()
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def finish(self) -> bool:
        """Put the new text in place if it differs from the old; say whether it did."""
        self._compare_held()
        new = self._new
        if new is None:
            old = self._agreeing()
            if old is not None and old.read(1) == b"":
                return False
            new = self._begin_temp()  # the old file went on further
        new.close()
        if self._old is not None:
            self._old.close()  # Windows replaces no file that is open
        os.replace(self._temp, self._path)
        return True

    def discard(self) -> None:
        for file in (self._old, self._new):
            if file is not None:
                file.close()
        self._temp.unlink(missing_ok=True)

    def _agreeing(self) -> BinaryIO | None:
        """The old file, while everything written so far agrees with it; None once a new one is begun."""
        return self._old if self._new is None else None

    def _compare_held(self) -> None:
        data = "".join(self._held).encode("utf-8")
        self._held, self._held_size = [], 0
        old = self._agreeing()
        if old is not None and old.read(len(data)) == data:
            self._agreed += len(data)
            return
        (self._new or self._begin_temp()).write(data)

    def _begin_temp(self) -> BinaryIO:
        new = self._new = open(self._temp, "wb")  # noqa: SIM115
        if self._old is not None:
            self._old.seek(0)
            left = self._agreed
            while left:
                block = self._old.read(min(left, 1 << 20))
                new.write(block)
                left -= len(block)
        return new


def temp_dir_prefix() -> str:
    """The prefix of a temporary folder of this process (for :mod:`tempfile`)."""
    return f"{TEMP_PREFIX}{os.getpid()}-"


#: How deep below an output folder temporaries are made: a package's files, the cache's
#: entries (one level of sub-folders), and a package's join folder.
_TEMP_DEPTH = 3


def remove_dead_temporaries(root: Path) -> None:
    """Remove what a writer that is no longer running left anywhere under ``root``.

    Every temporary name carries its writer's process id, so a build removes what a killed or
    crashed build (or a worker of one) left, and never what a running build is writing.
    """
    pending = [(Path(root), 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(TEMP_PREFIX):
                if not _writer_alive(entry.name):
                    _remove(Path(entry.path), entry.is_dir(follow_symlinks=False))
            elif depth + 1 < _TEMP_DEPTH and entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), depth + 1))


def _writer_alive(name: str) -> bool:
    writer = name[len(TEMP_PREFIX) :].partition("-")[0]
    if not writer.isdigit():
        return False  # a name without a writer comes from an older version
    pid = int(writer)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except OSError:
        return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A process that has exited but not been reaped writes nothing more."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _remove(path: Path, is_folder: bool) -> None:
    if is_folder:
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def exclusive(folder: Path, named: Path) -> Iterator[None]:
    """Hold ``folder`` for one build: a second build at the same time stops, naming ``named``."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a+b") as handle:
        if not _try_lock(handle):
            raise OutputError(
                f"another audioguide build is writing to {named}; wait for it to finish, or choose another -o"
            )
        try:
            yield
        finally:
            _unlock(handle)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(handle) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
