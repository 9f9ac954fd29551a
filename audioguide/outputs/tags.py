"""Tags of the audio files, written with mutagen in the form each container expects.

MP3 (and WAV) get ID3v2.3 frames, which every old player and Windows read; Ogg, Opus and FLAC
get Vorbis comments; M4A/M4B get iTunes atoms.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..languages import get_language
from ..settings import AudioFormat, TagKind

#: ID3's TLAN wants ISO 639-2 codes; eSpeak NG voices name their language in ISO 639-1.
ISO_639_2 = {
    "en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "nl": "nld", "pt": "por",
    "pl": "pol", "sv": "swe", "da": "dan", "nb": "nob", "no": "nor", "fi": "fin", "cs": "ces",
    "el": "ell", "tr": "tur", "ru": "rus", "uk": "ukr", "ar": "ara", "he": "heb", "hi": "hin",
    "zh": "zho", "ja": "jpn", "ko": "kor", "vi": "vie", "cy": "cym", "ga": "gle",
}  # fmt: skip


@dataclass(frozen=True)
class Tags:
    title: str
    album: str
    track: int | None
    """Track number, or None for the full-length file."""
    total: int
    language: str
    """ISO 639-1 code, such as ``en``."""
    artist: str | None = None

    @property
    def genre(self) -> str:
        """Spoken word, in the guide's language: players show it."""
        return get_language(self.language).say("genre")


def language_code_639_2(language: str) -> str:
    base = language.split("-")[0].lower()
    return ISO_639_2.get(base, base)


def write_tags(path: Path, audio_format: AudioFormat, tags: Tags, marks=()) -> None:
    """Tag a file; ``marks`` (chapter marks of a joined file) are written for Vorbis comments only:
    the other containers get theirs where the joined file is made (``build/audio.py``)."""
    kind = audio_format.info.tags
    if kind is TagKind.ID3:
        _write_id3(path, audio_format, tags)
    elif kind is TagKind.VORBIS:
        _write_vorbis(path, tags, marks)
    else:
        _write_mp4(path, tags)


def _write_id3(path: Path, audio_format: AudioFormat, tags: Tags) -> None:
    from mutagen import id3

    if audio_format is AudioFormat.WAV:
        from mutagen.wave import WAVE

        audio = WAVE(str(path))
        if audio.tags is None:
            audio.add_tags()
        for frame in _id3_frames(tags):
            audio.tags.add(frame)  # type: ignore[attr-defined]  # added just above
        audio.save(v2_version=3)
        return
    try:
        frames = id3.ID3(str(path))
    except id3.ID3NoHeaderError:
        frames = id3.ID3()
    for frame in _id3_frames(tags):
        frames.add(frame)
    frames.save(str(path), v2_version=3)


def _id3_frames(tags: Tags) -> list:
    from mutagen import id3

    frames = [
        id3.TIT2(encoding=id3.Encoding.UTF16, text=tags.title),
        id3.TALB(encoding=id3.Encoding.UTF16, text=tags.album),
        id3.TCON(encoding=id3.Encoding.LATIN1, text=tags.genre),
        id3.TLAN(encoding=id3.Encoding.LATIN1, text=language_code_639_2(tags.language)),
    ]
    if tags.track is not None:
        frames.append(id3.TRCK(encoding=id3.Encoding.LATIN1, text=f"{tags.track}/{tags.total}"))
    if tags.artist:
        frames.append(id3.TPE1(encoding=id3.Encoding.UTF16, text=tags.artist))
    return frames


def id3_tag_with_chapters(tags: Tags, marks) -> bytes:
    """An ID3v2.3 tag of ``tags`` and chapter ``marks``: a ``CHAP`` frame per mark, in playing
    order, under a ``CTOC`` table of contents (the ID3v2 Chapter Frame Addendum).

    mutagen writes every frame, but saving them together it orders them by size, and players
    list chapters in the order of their frames: each frame is saved on its own, and the frames
    are joined in order under the tag's header.
    """
    from mutagen import id3

    elements = [f"ch{number}" for number in range(len(marks))]
    frames = _id3_frames(tags)
    frames.append(
        id3.CTOC(
            element_id="toc", flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
            child_element_ids=elements, sub_frames=[],
        )
    )  # fmt: skip
    frames += [
        id3.CHAP(
            element_id=element, start_time=round(mark.start * 1000), end_time=round(mark.end * 1000),
            # No byte offsets: players place chapters by their times.
            start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,
            sub_frames=[id3.TIT2(encoding=id3.Encoding.UTF16, text=mark.title)],
        )
        for element, mark in zip(elements, marks, strict=True)
    ]  # fmt: skip
    body = b"".join(_saved_alone(frame) for frame in frames)
    # The header: "ID3", version 2.3.0, no flags, and the size in four 7-bit bytes.
    size = bytes((len(body) >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + size + body


_ID3_HEADER = 10


def _saved_alone(frame) -> bytes:
    """A frame as mutagen writes it into an ID3v2.3 tag: the tag of that frame alone, without its header."""
    from io import BytesIO

    from mutagen import id3

    tag = id3.ID3()
    tag.add(frame)
    out = BytesIO()
    tag.save(out, v2_version=3, padding=lambda info: 0)
    return out.getvalue()[_ID3_HEADER:]


def _write_mp4(path: Path, tags: Tags) -> None:
    from mutagen.mp4 import MP4, MP4FreeForm

    audio = MP4(str(path))
    audio["\xa9nam"] = [tags.title]
    audio["\xa9alb"] = [tags.album]
    if tags.track is not None:
        audio["trkn"] = [(tags.track, tags.total)]
    audio["\xa9gen"] = [tags.genre]
    audio["----:com.apple.iTunes:LANGUAGE"] = [MP4FreeForm(tags.language.encode("utf-8"))]
    if tags.artist:
        audio["\xa9ART"] = [tags.artist]
    audio.save()


def _write_vorbis(path: Path, tags: Tags, marks) -> None:
    import mutagen

    audio = mutagen.File(str(path))
    audio.delete()
    values = {"title": tags.title, "album": tags.album, "genre": tags.genre, "language": tags.language}
    if tags.track is not None:
        values.update(tracknumber=str(tags.track), tracktotal=str(tags.total))
    if tags.artist:
        values["artist"] = tags.artist
    # Chapter marks as the CHAPTERnnn comments that Ogg and FLAC players read.
    for number, mark in enumerate(marks, start=1):
        values[f"chapter{number:03d}"] = _timestamp(mark.start)
        values[f"chapter{number:03d}name"] = mark.title
    for key, value in values.items():
        audio[key] = [value]
    audio.save()


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def ffmpeg_metadata(tags: Tags) -> dict[str, str]:
    """The same tags as ffmpeg metadata keys, for files that ffmpeg writes whole."""
    values = {
        "title": tags.title,
        "album": tags.album,
        "genre": tags.genre,
        "language": language_code_639_2(tags.language),
    }
    if tags.artist:
        values["artist"] = tags.artist
    return values
