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

#: Files a ZIP stores as they are (see the formats' table).
_STORED_SUFFIXES = {f".{e}" for f in AudioFormat if f.info.zip_stored for e in (f.extension, f.chapter_extension)}


def bundle(folder: Path) -> Path:
    """Write ``<folder>/../<slug>.zip`` from a built package folder; return its path."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        names = [Path(name).name for name in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(f"{folder} is not a guide package; give a folder made by 'audioguide build'") from None
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise InputError(f"{folder} is missing {missing[0]}; run 'audioguide build' again to complete it")
    target = folder.parent / f"{folder.name}.zip"
    with atomic_path(target) as temp, zipfile.ZipFile(temp, "w") as archive:
        for name in names:
            stored = Path(name).suffix.lower() in _STORED_SUFFIXES
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.write(folder / name, f"{folder.name}/{name}", compress_type=method)
    return target
