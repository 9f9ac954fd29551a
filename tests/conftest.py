"""Shared fixtures: real builds with the real engine, and helpers that listen to the result."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from audioguide.audio import decode_to_wav, duration, measure_loudness
from audioguide.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = ROOT / "scripts" / "sjogrens-iv-therapy.txt"


def run(*args: str, **kwargs):
    """Invoke the CLI as a user would; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


def require_tool(name: str) -> str:
    """A system tool a test drives: skipped on a bare laptop, required in CI (which installs it)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return path


@dataclass
class Listening:
    """What a listener gets from an audio file, measured on its decoded samples."""

    seconds: float
    rms_dbfs: float
    lufs: float
    true_peak: float
    speech_seconds: float


def listen(path: Path, tmp_path: Path) -> Listening:
    from pydub import AudioSegment
    from pydub.silence import detect_nonsilent

    from audioguide.audio import ffmpeg_exe

    AudioSegment.converter = ffmpeg_exe()  # the wheel's ffmpeg: there is none on the system
    wav = tmp_path / f"{path.stem}.decoded.wav"
    decode_to_wav(path, wav, sample_rate=22050)
    segment = AudioSegment.from_wav(wav)
    loud = measure_loudness(path)
    voiced = detect_nonsilent(segment, min_silence_len=300, silence_thresh=segment.dBFS - 25)
    return Listening(
        seconds=duration(path),
        rms_dbfs=segment.dBFS,
        lufs=loud.integrated,
        true_peak=loud.true_peak,
        speech_seconds=sum(end - start for start, end in voiced) / 1000,
    )


@pytest.fixture(scope="session")
def reference_package(tmp_path_factory) -> Path:
    """The reference guide built once, as 'audioguide build' would build it."""
    out = tmp_path_factory.mktemp("out")
    result = run("build", REFERENCE, "-o", out)
    assert result.exit_code == 0, result.output
    return out / "sjogrens-iv-therapy"


@pytest.fixture(scope="session")
def home_package(tmp_path_factory) -> Path:
    """A second, longer guide with more chapters, in Markdown, with a spoken contents track."""
    out = tmp_path_factory.mktemp("home")
    result = run("build", FIXTURES / "home-infusion.md", "-o", out, "--contents")
    assert result.exit_code == 0, result.output
    return out / "home-infusion"


def ffmpeg_chapters(path: Path) -> list[tuple[float, float, str]]:
    """Chapters as libavformat (the library behind ffprobe -show_chapters) reads them."""
    import re
    import subprocess

    from audioguide.audio import ffmpeg_exe

    log = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr
    found = re.findall(r"Chapter #\d+:\d+: start ([\d.]+), end ([\d.]+)\s+Metadata:\s+title\s+: (.*)", log)
    return [(float(start), float(end), title.strip()) for start, end, title in found]


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    def seconds(stamp: str) -> float:
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest.replace(",", "."))

    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.splitlines()
        start, end = lines[1].split(" --> ")
        cues.append((seconds(start), seconds(end), "\n".join(lines[2:])))
    return cues
