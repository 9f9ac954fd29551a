"""``README.txt``: how to listen, for the patient, in the guide's language."""

from __future__ import annotations

from ..build.types import BuildResult
from ..languages import get_language
from .base import PackageFiles


def listening_guide(title: str, full_file: str, playlist: str, language: str) -> str:
    """README.txt for the patient: how to listen, in short lines and plain words."""
    return get_language(language).say("how_to_listen", title=title.upper(), full_file=full_file, playlist=playlist)


class Readme:
    name = "readme"
    alongside = False

    def files(self, result: BuildResult) -> list[str]:
        return ["README.txt"]

    def write(self, result: BuildResult, files: PackageFiles) -> dict:
        words = get_language(result.language)
        with files.text("README.txt") as out:
            out.write(listening_guide(result.guide.title, result.full_file, result.playlist.name, result.language))
            if result.settings.epub:
                out.write(words.say("how_to_listen_book", epub=f"{result.guide.slug}.epub"))
            if result.settings.daisy:
                out.write(words.say("how_to_listen_daisy"))
        return {}


OUTPUT = Readme()
