"""Audio: utterances to encoded, loudness-normalised files, with ffmpeg from the imageio-ffmpeg wheel.

A chapter is rendered and encoded in one pass: the engine's samples go straight into ffmpeg,
which limits their peaks, sets their loudness and encodes them, measuring (ITU-R BS.1770, its
``ebur128`` filter) what it encodes on the way. Nothing holds a chapter's audio in memory or
writes it to disk unencoded, so cost and memory stay flat whatever the chapter's length.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import IO, BinaryIO

from ..engines import Renderer
from ..errors import EncodeError
from ..files import temp_dir_prefix, temp_path_for
from ..outputs.tags import Tags, ffmpeg_metadata, id3_tag_with_chapters
from ..settings import TARGET_LUFS, TARGET_TRUE_PEAK, AudioFormat, TagKind
from ..speech.prepare import Utterance
from .types import JoinedSpan, Loudness, Mark

_LOUDNESS_ATTEMPTS = 3
#: Encoders pad the ends of a stream a little; a file further off than this lost audio.
_LENGTH_TOLERANCE = 0.2
#: A file further than this from the target loudness is encoded again with its gain corrected.
_LOUDNESS_TOLERANCE = 0.5
#: Room in the pipe into ffmpeg: 1 MiB, the most an unprivileged process may ask for on Linux.
_PIPE_BYTES = 1 << 20
#: The lowest limit ffmpeg's limiter takes (1/16, in dBFS); a lower one stops ffmpeg.
_LIMIT_FLOOR = -24.0
#: A correction never takes more than this many dB of gain for one dB of loudness.
_LEAST_SLOPE = 0.2


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
class Level:
    """How one voice's speech is brought to the target: a gain, then a peak limiter."""

    gain: float
    """Gain in dB."""
    ceiling: float
    """Limiter ceiling in dBFS after the gain. The limiter comes last, so a chapter whose gain
    is corrected (it was louder or softer than the calibration) still keeps its peaks under it."""

    @property
    def chain(self) -> str:
        return f"volume={self.gain:.2f}dB,{_limiter(self.ceiling)}"


def render_encoded(
    engine: Renderer,
    utterances: list[Utterance],
    target: Path,
    audio_format: AudioFormat,
    bitrate: str,
    level: Level,
) -> tuple[list[UtteranceTiming], Loudness, float]:
    """Speak the utterances, with their pauses, into an encoded file at the target loudness.

    Returns when each utterance is heard, the loudness measured, and the file's length.

    The level comes from calibrating the voice (:func:`voice_level`); the pass measures what it
    encodes, and a chapter whose speech is unlike the calibration (further than half a LU from
    the target) is encoded again with its gain corrected. An engine that speaks far faster than
    the encoder encodes speaks it again; a slower one's samples are kept in a temporary file
    beside the target on the way, and encoded again from there.
    """
    rate = engine.sample_rate
    samples = None if engine.cheap_to_repeat else temp_path_for(target.with_suffix(".pcm"))
    tried: tuple[float, float] | None = None
    try:
        with open(samples, "w+b") if samples else contextlib.nullcontext() as kept:
            for attempt in range(_LOUDNESS_ATTEMPTS):
                with _Pipe(_encode_args(audio_format, bitrate, level.chain, target, rate), rate, 1) as pipe:
                    if attempt == 0 or kept is None:
                        timings = _speak_into(engine, utterances, pipe, kept)
                    else:
                        kept.seek(0)
                        while block := kept.read(1 << 20):
                            pipe.write(block)
                measured = pipe.result[0]
                miss = TARGET_LUFS - measured.integrated
                if measured.integrated == float("-inf") or abs(miss) <= _LOUDNESS_TOLERANCE:
                    break
                # The limiter after the gain takes back part of what the gain adds: from the
                # second correction on, it follows how the loudness answered the last one.
                slope = 1.0
                if tried is not None and level.gain != tried[0]:
                    slope = max(_LEAST_SLOPE, (measured.integrated - tried[1]) / (level.gain - tried[0]))
                tried = (level.gain, measured.integrated)
                level = replace(level, gain=level.gain + miss / slope)
    finally:
        if samples:
            samples.unlink(missing_ok=True)
    written, seconds = pipe.samples / engine.sample_rate, duration(target)
    if abs(seconds - written) > _LENGTH_TOLERANCE:
        raise EncodeError(f"{target.name} came out {seconds:.1f} s long instead of {written:.1f} s")
    return timings, measured, seconds


def _speak_into(
    engine: Renderer, utterances: list[Utterance], pipe: _Pipe, kept: BinaryIO | None
) -> list[UtteranceTiming]:
    timings = []
    samples = 0
    rate = engine.sample_rate
    for utterance in utterances:
        # Each caption part's start is needed: an engine without word events times them so.
        speech = engine.synthesize(utterance.spoken, [offset for _, offset in utterance.fragments[1:]])
        words = tuple(WordTiming(w.offset, (samples + w.sample) / rate) for w in speech.words)
        timings.append(UtteranceTiming(samples / rate, (samples + speech.samples) / rate, words))
        silence = b"\0\0" * int(rate * utterance.pause_ms / 1000)
        for pcm in (speech.pcm, silence):
            pipe.write(pcm)
            if kept is not None:
                kept.write(pcm)
        pause = len(silence) // 2
        samples += speech.samples + pause
    return timings


_LEVELS: dict[tuple[str, str, int, str], Level] = {}


def voice_level(engine: Renderer, calibration: str) -> Level:
    """The limiter and gain that bring this voice's speech to the target (cached per voice and rate).

    Speech from the engine peaks far above its loudness (about 20 dB), so reaching -16 LUFS
    under the peak ceiling takes a limiter, and the limiter lowers the loudness it works on. A
    limiter at a threshold relative to the source commutes with gain, so a calibration text is
    measured as it is, then after limiting at two trial thresholds set from that measurement;
    the threshold that leaves the wanted peak-to-loudness ratio is interpolated from them, and
    the gain follows from it. ``calibration`` is prose in the language the voice reads.
    """
    key = (engine.name, engine.voice, engine.rate, calibration)
    if key not in _LEVELS:
        pcm = engine.synthesize(calibration).pcm
        (raw,) = _measure_limited(pcm, engine.sample_rate, [None])
        ceiling = TARGET_TRUE_PEAK - engine.peak_margin
        wanted_ratio = ceiling - TARGET_LUFS
        excess = raw.true_peak - raw.integrated - wanted_ratio
        if excess <= 0:
            _LEVELS[key] = Level(TARGET_LUFS - raw.integrated, ceiling)
        else:
            # Limiting lowers the loudness it works on too, so the threshold that leaves the
            # wanted ratio lies beyond the excess: two probes, at one and two times it, bracket it.
            probes = [max(_LIMIT_FLOOR, raw.true_peak - times * excess) for times in (1, 2)]
            limited = _measure_limited(pcm, engine.sample_rate, probes)
            threshold, loudness = _interpolate_threshold(list(zip(probes, limited, strict=True)), wanted_ratio)
            gain = TARGET_LUFS - loudness
            # A limiter at a threshold of the source is one at the threshold plus the gain after it.
            _LEVELS[key] = Level(gain, min(ceiling, threshold + gain))
    return _LEVELS[key]


class _Pipe:
    """An ffmpeg reading the engine's raw samples on its input; ``result`` holds its measurements."""

    def __init__(self, args: list[str], sample_rate: int, measurements: int):
        self.args, self.sample_rate, self.measurements = args, sample_rate, measurements
        self.result: list[Loudness] = []
        self.samples = 0

    def __enter__(self) -> _Pipe:
        command = [ffmpeg_exe(), "-hide_banner", "-nostats", "-y"]
        command += ["-f", "s16le", "-ar", str(self.sample_rate), "-ac", "1", "-i", "pipe:0", *self.args]
        # The log goes to a file: a full stderr pipe would stall ffmpeg, and then us.
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log)
        self._stdin: IO[bytes] = self._process.stdin  # type: ignore[assignment]  # a pipe, as asked
        _widen(self._stdin)
        return self

    def write(self, pcm: bytes) -> None:
        self.samples += len(pcm) // 2
        try:
            self._stdin.write(pcm)
        except BrokenPipeError:
            raise EncodeError(f"ffmpeg stopped: {self._last_words()}") from None

    def _log_text(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def _last_words(self) -> str:
        lines = self._log_text().strip().splitlines()
        return lines[-1] if lines else "no message"

    def __exit__(self, exc_type, *_) -> None:
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        if exc_type is not None:
            self._process.kill()
        code = self._process.wait()
        try:
            if exc_type is None:
                if code != 0:
                    raise EncodeError(f"ffmpeg failed: {self._last_words()}")
                self.result = _summaries(self._log_text(), self.measurements)
        finally:
            self._log.close()


def _measure_limited(pcm: bytes, sample_rate: int, thresholds: Sequence[float | None]) -> list[Loudness]:
    """Loudness and peak of ``pcm`` as it is (None) or limited at each threshold, in one pass."""
    graph = f"asplit={len(thresholds)}{''.join(f'[s{i}]' for i in range(len(thresholds)))};"
    # A filter graph needs an output: the first measurement's goes to ffmpeg's null muxer.
    graph += ";".join(
        f"[s{i}]{'' if t is None else _limiter(t) + ','}ebur128=peak=sample:framelog=quiet"
        f"{'[out]' if i == 0 else ',anullsink'}"
        for i, t in enumerate(thresholds)
    )
    with _Pipe(["-filter_complex", graph, "-map", "[out]", "-f", "null", "-"], sample_rate, len(thresholds)) as pipe:
        pipe.write(pcm)
    return pipe.result


def _widen(pipe) -> None:
    """Give the pipe into ffmpeg room for a sentence or more of samples (Linux; elsewhere as it is).

    With the default 64 KiB, writing a sentence blocks until ffmpeg has encoded most of it, and
    ffmpeg then waits while the engine speaks the next: the two took turns, and a chapter took
    as long as speaking it plus encoding it. With room for about 24 seconds of speech, the
    engine speaks the next sentence while ffmpeg encodes the last.
    """
    # Windows and macOS have no such call, and a system maximum may be lower: the default stays.
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _limiter(threshold: float) -> str:
    return f"alimiter=limit={10 ** (threshold / 20):.5f}:level=false:attack=1:release=50"


def _encode_args(audio_format: AudioFormat, bitrate: str, chain: str, target: Path, rate: int) -> list[str]:
    """Through ``chain`` into the encoder, measuring what goes into it on the way."""
    graph = f"[0:a]{chain},asplit=2[encode][measure];[measure]ebur128=peak=sample:framelog=quiet,anullsink"
    # A build runs an encoder per core already: filter threads of its own would only contend.
    args = ["-filter_complex_threads", "1", "-filter_complex", graph, "-map", "[encode]"]
    args += _codec_args(audio_format, bitrate, rate)
    return [*args, "-f", audio_format.info.muxer, str(target)]


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


def _interpolate_threshold(probes: list[tuple[float, Loudness]], wanted_ratio: float) -> tuple[float, float]:
    """The limiter threshold (dBFS) whose result has ``wanted_ratio`` of peak to loudness."""
    (low, low_loud), (high, high_loud) = probes
    low_ratio, high_ratio = low - low_loud.integrated, high - high_loud.integrated
    share = (wanted_ratio - low_ratio) / (high_ratio - low_ratio) if high_ratio != low_ratio else 0.0
    threshold = low + share * (high - low)
    loudness = low_loud.integrated + share * (high_loud.integrated - low_loud.integrated)
    return threshold, loudness


def _summaries(log: str, count: int) -> list[Loudness]:
    """ebur128 summaries from an ffmpeg log, in the order the filters were declared."""
    found = {}
    for match in re.finditer(
        r"\[Parsed_ebur128_(\d+) @ [^\]]*\] Summary:.*?I:\s+(-?[\d.]+|-inf) LUFS.*?Peak:\s+(-?[\d.]+|-inf) dBFS",
        log,
        re.S,
    ):
        found[int(match.group(1))] = Loudness(float(match.group(2)), float(match.group(3)))
    if len(found) != count:
        raise EncodeError("could not measure the loudness of the audio")
    return [found[key] for key in sorted(found)]


def _codec_args(audio_format: AudioFormat, bitrate: str, rate: int) -> list[str]:
    """Mono at ``rate`` Hz (the engine's), or the nearest rate the format takes."""
    args = ["-ac", "1", "-ar", str(audio_format.sample_rate(rate)), "-c:a", audio_format.info.codec]
    if bitrate:
        args += ["-b:a", bitrate]
    if audio_format is AudioFormat.MP3:
        # LAME's fast mode (-q 7) encodes in half the time of its default (-q 3), and the
        # decoded speech is as close to the source (24.6 dB signal-to-noise against 20.1 dB,
        # measured on an hour of the reference guide at 64 kb/s): the default's psychoacoustic
        # noise shaping buys music a little, and speech nothing.
        args += ["-compression_level", "7"]
    if audio_format.info.tags is TagKind.MP4:
        args += ["-movflags", "+faststart"]
    return [*args, "-map_metadata", "-1"]


def transcode_to_mp3(source: Path, target: Path) -> None:
    """An audio file as MP3 at a constant bit rate, at the nearest MPEG rate to its own (for a book's players)."""
    import mutagen

    mp3 = AudioFormat.MP3
    info = mutagen.File(str(source))
    if info is None or info.info is None:
        raise EncodeError(f"{source.name} is not a readable audio file")
    # Opus is always decoded at 48 kHz (mutagen gives it no rate of its own).
    rate = mp3.sample_rate(int(getattr(info.info, "sample_rate", 48000)))
    args = ["-i", str(source), "-map", "0:a", *_codec_args(mp3, mp3.info.default_bitrate, rate)]
    run_ffmpeg(*args, "-f", mp3.info.muxer, str(target))


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


def joined_span(path: Path, audio_format: AudioFormat, seconds: float) -> JoinedSpan:
    """How long a file plays once joined to others, and where its audio begins.

    MP3 files are joined frame for frame, so each keeps the encoder's delay and padding (a few
    hundredths of a second) that its own length leaves out; an MP3 encoded at a constant
    bitrate plays for exactly its audio bytes at that bitrate.
    """
    if audio_format is not AudioFormat.MP3:
        return JoinedSpan(seconds)
    start, bits_per_second = _mp3_audio(path)
    return JoinedSpan((path.stat().st_size - start) * 8 / bits_per_second, start)


def _mp3_audio(path: Path) -> tuple[int, int]:
    """Where an MP3 file's audio frames begin (after its ID3v2 tag and the encoder's info frame), and their bitrate."""
    from mutagen.id3 import ID3, ID3NoHeaderError
    from mutagen.mp3 import HeaderNotFoundError, MPEGFrame

    try:
        offset = ID3(path).size
    except ID3NoHeaderError:
        offset = 0
    try:
        with open(path, "rb") as file:
            file.seek(offset)
            first = MPEGFrame(file)
            if first.sketchy:  # no Xing/LAME info frame: this frame is audio
                return first.frame_offset, first.bitrate
            return file.tell(), MPEGFrame(file).bitrate
    except HeaderNotFoundError:
        raise EncodeError(f"{path.name} is not a readable MP3 file") from None


def join(
    parts: list[tuple[Path, JoinedSpan]],
    target: Path,
    audio_format: AudioFormat,
    bitrate: str,
    marks: list[Mark],
    tags: Tags,
) -> float:
    """Join ``parts`` into ``target`` in order, with chapter ``marks``; return how long it plays.

    MP3 is joined frame for frame (:func:`_join_mp3`), and plays for its parts' spans; the other
    formats are joined through ffmpeg's concat demuxer.

    MP3 gets its tags and marks from :func:`audioguide.outputs.tags.id3_tag_with_chapters`; ffmpeg
    writes those of MP4 as chapter atoms. Vorbis comments (Ogg, Opus, FLAC) are written by
    :func:`audioguide.outputs.tags.write_tags` afterwards.
    """
    if audio_format is AudioFormat.MP3:
        _join_mp3(parts, target, id3_tag_with_chapters(tags, marks))
        return sum(span.seconds for _, span in parts)
    with tempfile.TemporaryDirectory(prefix=f"{temp_dir_prefix()}join-", dir=target.parent) as folder:
        work = Path(folder)
        metadata = work / "chapters.txt"
        metadata.write_text(_ffmetadata(ffmpeg_metadata(tags), marks), encoding="utf-8")
        # Each part's length (its mark) places the next part: without it ffmpeg overlaps the
        # parts by their encoder padding and drops the packets that collide.
        listing = work / "join.txt"
        listing.write_text(
            "".join(
                f"file '{_concat_quote(part)}'\nduration {mark.end - mark.start:.6f}\n"
                for (part, _), mark in zip(parts, marks, strict=True)
            ),
            encoding="utf-8",
        )
        args = ["-f", "concat", "-safe", "0", "-i", str(listing), "-f", "ffmetadata", "-i", str(metadata)]
        args += ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
        if audio_format.info.join_by_copy:
            args += ["-c", "copy"]
        else:
            # The parts are at the format's rate already: the join keeps it.
            args += ["-c:a", audio_format.info.codec]
            if bitrate:
                args += ["-b:a", bitrate]
        if audio_format.info.tags is TagKind.MP4:
            args += ["-movflags", "+faststart"]
        run_ffmpeg(*args, "-f", audio_format.info.muxer, str(target))
    return duration(target)


def _join_mp3(parts: list[tuple[Path, JoinedSpan]], target: Path, tag: bytes) -> None:
    """The parts' audio frames one after another, under ``tag``.

    The frames are copied byte for byte, which for a guide of several hours takes a fraction of
    the time ffmpeg takes to re-mux them. A constant-bitrate stream needs no info frame of its
    own: players read its length from its size.
    """
    size = len(tag) + sum(part.stat().st_size - span.audio_start for part, span in parts)
    with open(target, "wb") as out:
        # ext4 allocates the blocks of a file written lazily when the file replaces another, and
        # the replacing waits for it: reserved now, they cost the last step of a build nothing.
        with contextlib.suppress(AttributeError, OSError):  # no such call, or a file system without it
            os.posix_fallocate(out.fileno(), 0, size)
        out.write(tag)
        for part, span in parts:
            with open(part, "rb") as audio:
                _copy_from(audio, span.audio_start, out)


def _copy_from(source, offset: int, target) -> None:
    """Append ``source`` from ``offset`` on to ``target``: in the kernel where the system allows."""
    size = os.fstat(source.fileno()).st_size
    target.flush()
    try:
        while offset < size:
            sent = os.sendfile(target.fileno(), source.fileno(), offset, size - offset)
            if sent == 0:
                break
            offset += sent
    except (AttributeError, OSError):  # no sendfile, or one that only writes to sockets (macOS)
        source.seek(offset)
        shutil.copyfileobj(source, target, 1 << 20)


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
