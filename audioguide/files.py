"""Writing files so that a reader never sees half of one: temporary name, then rename."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".tmp-"


def temp_path_for(path: Path) -> Path:
    """A hidden name beside ``path`` with the same extension, so tools still know the format."""
    return path.with_name(f"{TEMP_PREFIX}{path.name}")


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


def remove_temporaries(folder: Path) -> None:
    """Remove what an interrupted build left behind."""
    for leftover in folder.glob(f"{TEMP_PREFIX}*"):
        leftover.unlink(missing_ok=True)
