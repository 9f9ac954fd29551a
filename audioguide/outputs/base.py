"""What an output of the package is: files written from a built guide, each only when it changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..build.types import BuildResult
from ..files import TextWriter, changed_file


@dataclass
class PackageFiles:
    """Where an output writes: the package's folder, with what the last build recorded of it."""

    folder: Path
    written: list[str]
    """The files this build wrote so far; each output adds its own."""
    previous: dict
    """What this output recorded in the last build's manifest (its ``state``), or {}."""
    force: bool
    """Write every file again, as if nothing had been written before."""

    def text(self, name: str) -> AbstractContextManager[TextWriter]:
        """A text file to write; it replaces the one in place only if it differs."""
        return changed_file(self.folder / name, self.written)

    def missing(self, *names: str) -> bool:
        return any(not (self.folder / name).exists() for name in names)


class Output(Protocol):
    """One part of the package besides its audio: captions, the playlist, the transcript, a book."""

    name: str
    """Its name in the manifest."""
    alongside: bool
    """It reads only the built result and the placed audio, never another output's files, so it is
    written alongside the others (a talking book: mostly copying the audio, which the disk does)."""

    def files(self, result: BuildResult) -> list[str]:
        """The files it makes in the package folder (a folder of its own counts as one name)."""
        ...

    def write(self, result: BuildResult, files: PackageFiles) -> dict:
        """Write what changed; return what the next build needs to know of it (its ``state``)."""
        ...


def lines(texts: Iterator[str]) -> Iterator[str]:
    return (f"{text}\n" for text in texts)
