"""The clinic bundle: a package as one ZIP to copy to a stick, attach, or put on a web page.

Only the files the package's manifest lists go in, each under the package's own folder name, so
the ZIP unpacks into one folder whose player works from there.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from ..errors import InputError
from ..files import atomic_path
from ..settings import AudioFormat

#: Files a ZIP stores as they are (see the formats' table); an EPUB is a ZIP of its own already.
_STORED_SUFFIXES = {f".{e}" for f in AudioFormat if f.info.zip_stored for e in (f.extension, f.chapter_extension)} | {
    ".epub"
}


def bundle(folder: Path, part: str | None = None) -> Path:
    """Write ``<folder>/../<slug>.zip`` from a built package folder; return its path. With ``part``,
    one file or folder of the package only (its DAISY book, ``daisy``), under the same names."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        names = [Path(name).name for name in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(f"{folder} is not a guide package; give a folder made by 'audioguide build'") from None
    if part is not None:
        if part not in names:
            raise InputError(f"{folder} was built without {part}; build it again with it")
        names = [part]
    missing = [name for name in names if not (folder / name).exists()]
    if missing:
        raise InputError(f"{folder} is missing {missing[0]}; run 'audioguide build' again to complete it")
    target = bundle_path(folder, part)
    with atomic_path(target) as temp, zipfile.ZipFile(temp, "w") as archive:
        for path in _files(folder, names):
            name = path.relative_to(folder).as_posix()
            stored = path.suffix.lower() in _STORED_SUFFIXES
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.write(path, f"{folder.name}/{name}", compress_type=method)
    return target


def bundle_path(folder: Path, part: str | None = None) -> Path:
    """Where :func:`bundle` writes: a package's slug never holds a dot, so a part's ZIP is never
    another package's."""
    return folder.parent / (f"{folder.name}.{part}.zip" if part else f"{folder.name}.zip")


def _files(folder: Path, names: list[str]) -> list[Path]:
    """The package's files in the manifest's order, a folder's (a DAISY book's) in name order.

    A link is refused: the ZIP goes to patients and onto web pages, and a link would put a file
    from elsewhere on the computer into it.
    """
    found = []
    for name in names:
        path = folder / name
        folder_files = path.is_dir() and not path.is_symlink()
        files = sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()) if folder_files else [path]
        for file in files:
            if file.is_symlink():
                raise InputError(
                    f"{file} is a link, not a file of the package; remove it and run 'audioguide build' again"
                )
        found += files
    return found
