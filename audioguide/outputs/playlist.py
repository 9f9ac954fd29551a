"""Extended M3U playlists (``.m3u8``: UTF-8, relative paths) that phones, VLC and mpv play."""

from __future__ import annotations

from dataclasses import dataclass

from ..build.types import BuildResult
from .base import PackageFiles


@dataclass(frozen=True)
class Entry:
    path: str
    """Relative to the playlist, with forward slashes."""
    seconds: float
    title: str


def one_line(text: str) -> str:
    """A title on one line: a line break in a title must not start a playlist entry of its own."""
    return " ".join(text.split())


def m3u8(title: str, entries: list[Entry]) -> str:
    lines = ["#EXTM3U", f"#PLAYLIST:{one_line(title)}"]
    for entry in entries:
        lines.append(f"#EXTINF:{round(entry.seconds)},{one_line(entry.title)}")
        lines.append(entry.path)
    return "\n".join(lines) + "\n"


class Playlist:
    """``<guide-slug>.m3u8``: the tracks in playing order, with their lengths and titles."""

    name = "playlist"
    alongside = False

    def files(self, result: BuildResult) -> list[str]:
        return [result.playlist.name]

    def write(self, result: BuildResult, files: PackageFiles) -> dict:
        entries = [Entry(track.file, track.seconds, track.title) for track in result.tracks]
        with files.text(result.playlist.name) as out:
            out.write(m3u8(result.guide.title, entries))
        return {}


OUTPUT = Playlist()
