"""Audio: utterances to a WAV file, and ffmpeg (from the imageio-ffmpeg wheel) for the rest.

Chapter audio is streamed to disk as it is rendered, so memory does not grow with chapter length.
Loudness is measured with ffmpeg's ``ebur128`` filter (ITU-R BS.1770) and corrected in the same
pass that encodes, so every file of a package plays at the same level.
"""

from __future__ import annotations

import re
import subprocess
import wave
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .engine import Engine
from .errors import EncodeError
from .settings import TARGET_LUFS, TARGET_TRUE_PEAK, AudioFormat
from .speech import Utterance

_MUXERS = {
    AudioFormat.MP3: "mp3",
    AudioFormat.OGG: "ogg",
    AudioFormat.OPUS: "ogg",
    AudioFormat.M4A: "ipod",
    AudioFormat.M4B: "ipod",
    AudioFormat.FLAC: "flac",
    AudioFormat.WAV: "wav",
}


_LOUDNESS_ATTEMPTS = 3
_LOUDNESS_TOLERANCE = 0.5
_PEAK_MARGIN = 1.0


@dataclass(frozen=True)
class WordTiming:
    offset: int
    """Index of the word in the utterance's spoken text."""
    seconds: float
    """Start of the word in the chapter audio."""


@dataclass(frozen=True)
class UtteranceTiming:
    start: float
    """When the utterance's audio starts in the chapter, in seconds."""
    end: float
    """When its speech ends (its pause follows)."""
    words: tuple[WordTiming, ...]


@dataclass(frozen=True)
class Loudness:
    integrated: float
    """Integrated loudness, LUFS."""
    true_peak: float
    """True peak, dBTP."""


def render_wav(engine: Engine, utterances: list[Utterance], path: Path) -> list[UtteranceTiming]:
    """Speak each utterance and its pause into a mono 16-bit WAV; return when each was heard."""
    timings = []
    samples = 0
    rate = engine.sample_rate
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for utterance in utterances:
            speech = engine.synthesize(utterance.spoken)
            words = tuple(WordTiming(w.offset, (samples + w.sample) / rate) for w in speech.words)
            timings.append(UtteranceTiming(samples / rate, (samples + speech.samples) / rate, words))
            pause = int(rate * utterance.pause_ms / 1000)
            out.writeframes(speech.pcm)
            out.writeframes(b"\0\0" * pause)
            samples += speech.samples + pause
    return timings


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(*args: str) -> str:
    """Run ffmpeg quietly; return its log (stderr), raise :class:`EncodeError` with its last word."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise EncodeError(f"ffmpeg failed: {last}")
    return result.stderr


def measure_loudness(path: Path) -> Loudness:
    log = run_ffmpeg("-i", str(path), "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-")
    summary = log[log.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not integrated or not peak:
        raise EncodeError(f"could not measure the loudness of {path.name}")
    return Loudness(float(integrated.group(1)), float(peak.group(1)))


def encode_normalised(source: Path, target: Path, audio_format: AudioFormat, bitrate: str | None) -> Loudness:
    """Encode ``source`` at the target loudness; return the loudness measured on the result.

    A limiter keeps the true peak under the ceiling, and costs some loudness where it works, so
    the result is measured and, where it misses the target by more than half a LU, encoded again
    with the gain corrected (rarely more than once).
    """
    measured = measure_loudness(source)
    if measured.integrated == float("-inf"):
        encode(source, target, audio_format, bitrate, "anull")
        return measured
    gain = TARGET_LUFS - measured.integrated
    for _ in range(_LOUDNESS_ATTEMPTS):
        encode(source, target, audio_format, bitrate, _gain_and_limit(gain, measured.true_peak))
        result = measure_loudness(target)
        miss = TARGET_LUFS - result.integrated
        if abs(miss) <= _LOUDNESS_TOLERANCE:
            break
        gain += miss
    return result


def _gain_and_limit(gain: float, true_peak: float) -> str:
    chain = f"volume={gain:.2f}dB"
    if true_peak + gain > TARGET_TRUE_PEAK - _PEAK_MARGIN:
        # alimiter limits sample peaks; the margin keeps inter-sample (true) peaks and the
        # encoder's overshoot under the ceiling.
        limit = 10 ** ((TARGET_TRUE_PEAK - _PEAK_MARGIN) / 20)
        chain += f",alimiter=limit={limit:.4f}:level=false:attack=1:release=50"
    return chain


def encode(source: Path, target: Path, audio_format: AudioFormat, bitrate: str | None, audio_filter: str) -> None:
    """Encode ``source`` to ``target`` (mono, the format's sample rate), applying ``audio_filter``."""
    args = ["-i", str(source), "-vn", "-af", audio_filter, "-ac", "1", "-ar", str(audio_format.sample_rate)]
    args += ["-c:a", audio_format.codec]
    if bitrate and not audio_format.lossless:
        args += ["-b:a", bitrate]
    if audio_format in (AudioFormat.M4A, AudioFormat.M4B):
        args += ["-movflags", "+faststart"]
    args += ["-map_metadata", "-1", "-f", _MUXERS[audio_format], str(target)]
    run_ffmpeg(*args)


def decode_to_wav(source: Path, target: Path, sample_rate: int | None = None) -> None:
    """Decode any audio file to 16-bit mono WAV (for checks and analysis)."""
    args = ["-i", str(source), "-ac", "1"]
    if sample_rate:
        args += ["-ar", str(sample_rate)]
    run_ffmpeg(*args, "-c:a", "pcm_s16le", "-f", "wav", str(target))


def duration(path: Path) -> float:
    """Playing time of an audio file in seconds, read from its headers by mutagen."""
    import mutagen

    info = mutagen.File(str(path))
    if info is None or info.info is None:
        raise EncodeError(f"{path.name} is not a readable audio file")
    return float(info.info.length)


@dataclass(frozen=True)
class Mark:
    """A chapter mark in a joined file."""

    title: str
    start: float
    end: float


#: Formats whose files join packet for packet without decoding. FLAC keeps the first file's
#: length in its header when copied, and Ogg pages carry positions: those are re-encoded.
_JOIN_BY_COPY = {AudioFormat.MP3, AudioFormat.M4A, AudioFormat.M4B, AudioFormat.WAV}


def join(
    parts: list[Path],
    target: Path,
    audio_format: AudioFormat,
    bitrate: str | None,
    marks: list[Mark],
    tags: dict[str, str],
    work: Path,
) -> None:
    """Join ``parts`` into ``target`` in order (ffmpeg's concat demuxer), with chapter ``marks``.

    ffmpeg writes the marks and ``tags`` of MP3 and MP4 in each container's own form, in order:
    ID3v2 ``CHAP`` frames under a ``CTOC`` table of contents for MP3 (the ID3v2 Chapter Frame
    Addendum; mutagen would reorder the CHAP frames by size when it saves, and players list
    chapters in file order), chapter atoms for MP4. Vorbis comments (Ogg, Opus, FLAC) are
    written by :func:`audioguide.tags.write_tags` afterwards.
    """
    listing = work / "join.txt"
    listing.write_text("".join(f"file '{_concat_quote(p)}'\n" for p in parts), encoding="utf-8")
    metadata = work / "chapters.txt"
    metadata.write_text(_ffmetadata(tags, marks), encoding="utf-8")
    args = ["-f", "concat", "-safe", "0", "-i", str(listing), "-f", "ffmetadata", "-i", str(metadata)]
    args += ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
    if audio_format is AudioFormat.MP3:
        args += ["-id3v2_version", "3"]
    if audio_format in _JOIN_BY_COPY:
        args += ["-c", "copy"]
    else:
        args += ["-c:a", audio_format.codec, "-ar", str(audio_format.sample_rate)]
        if bitrate:
            args += ["-b:a", bitrate]
    if audio_format in (AudioFormat.M4A, AudioFormat.M4B):
        args += ["-movflags", "+faststart"]
    run_ffmpeg(*args, "-f", _MUXERS[audio_format], str(target))


def _concat_quote(path: Path) -> str:
    return str(path.resolve()).replace("'", "'\\''")


def _ffmetadata(tags: dict[str, str], marks: list[Mark]) -> str:
    def escape(value: str) -> str:
        return re.sub(r"([=;#\\\n])", r"\\\1", " ".join(value.split()))

    lines = [";FFMETADATA1", *(f"{key}={escape(value)}" for key, value in tags.items())]
    for mark in marks:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(mark.start * 1000)}", f"END={round(mark.end * 1000)}"]
        lines.append(f"title={escape(mark.title)}")
    return "\n".join(lines) + "\n"
