"""Speed and memory of audioguide builds, as ratios against a baseline measured in the same run.

    python benchmarks/run.py            # all figures (the 100,000-word build takes a few minutes)
    python benchmarks/run.py --quick    # without the 100,000-word memory figure

Baseline: the same engine rendering the same spoken text at the same rate to one WAV, and one
ffmpeg encode of that WAV to the same format: the least work that yields the same audio.
Builds run as a user runs them (``audioguide build`` in a fresh process); the rebuild figures
are medians of three rebuilds.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audioguide.audio import encode, ffmpeg_exe  # noqa: E402
from audioguide.chapters import split_chapters  # noqa: E402
from audioguide.engine import get_engine  # noqa: E402
from audioguide.normalize import load_lexicon  # noqa: E402
from audioguide.script import read_script  # noqa: E402
from audioguide.settings import DEFAULT_RATE, AudioFormat, Pauses  # noqa: E402
from audioguide.speech import prepare_chapter  # noqa: E402

WORDS_PER_CHAPTER = 500
TARGETS = {
    "cold build, 1 job ÷ baseline": 1.3,
    "cold build, 2 jobs ÷ baseline": 0.8,
    "rebuild, nothing changed ÷ cold build": 0.03,
}


def make_guide(path: Path, words: int) -> Path:
    """A guide of about ``words`` words in chapters of about 500, from the reference guide's prose."""
    reference = read_script(ROOT / "scripts" / "sjogrens-iv-therapy.txt")
    paragraphs = [b.text for b in reference.blocks if b.kind.value == "paragraph"]
    lines = [f"Benchmark Guide of {words} Words", ""]
    written, chapter, index = 0, 0, 0
    while written < words:
        chapter += 1
        lines += [f"Part {chapter} Notes", ""]
        in_chapter = 0
        while in_chapter < WORDS_PER_CHAPTER and written < words:
            paragraph = paragraphs[index % len(paragraphs)]
            index += 1
            lines += [paragraph, ""]
            in_chapter += len(paragraph.split())
            written += len(paragraph.split())
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def baseline_seconds(script: Path, work: Path) -> float:
    """Render the guide's spoken text with the engine to one WAV, encode it once."""
    guide = split_chapters(read_script(script))
    lexicon = load_lexicon([])
    text = " ".join(u.spoken for chapter in guide.chapters for u in prepare_chapter(guide, chapter, Pauses(), lexicon))
    engine = get_engine()
    engine.configure(None, DEFAULT_RATE)
    started = time.perf_counter()
    speech = engine.synthesize(text)
    with wave.open(str(work / "baseline.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(speech.sample_rate)
        out.writeframes(speech.pcm)
    encode(work / "baseline.wav", work / "baseline.mp3", AudioFormat.MP3, AudioFormat.MP3.default_bitrate, "anull")
    return time.perf_counter() - started


def timed_build(script: Path, out: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "audioguide", "build", str(script), "-o", str(out), *args], check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def peak_rss_mb(script: Path, out: Path) -> float:
    """Largest resident set of any process of the build (the command, its workers, ffmpeg)."""
    probe = (
        "import resource, subprocess, sys;"
        f"subprocess.run([sys.executable, '-m', 'audioguide', 'build', {str(script)!r}, '-o', {str(out)!r}],"
        " check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return int(result.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-word memory figure")
    options = parser.parse_args()
    ffmpeg_exe()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="audioguide-bench-") as temp:
        work = Path(temp)
        script = make_guide(work / "guide-10k.txt", 10_000)
        chapters = len(split_chapters(read_script(script)).chapters)
        baseline = baseline_seconds(script, work)
        cold_one = timed_build(script, work / "one", "--jobs", "1")
        cold_two = timed_build(script, work / "two", "--jobs", "2")
        # Rebuilds take a second or two: each figure is the median of three, to steady it.
        unchanged = statistics.median(timed_build(script, work / "one", "--jobs", "1") for _ in range(3))
        text = script.read_text(encoding="utf-8")
        edits = []
        for number in ("One", "Two", "Three"):
            added = f"Part 3 Notes\n\n{number} sentence was added here.\n\n"
            script.write_text(text.replace("Part 3 Notes\n\n", added, 1), encoding="utf-8")
            edits.append(timed_build(script, work / "one", "--jobs", "1"))
        one_edit = statistics.median(edits)
        figures["baseline seconds (10,000 words)"] = baseline
        figures["cold build, 1 job ÷ baseline"] = cold_one / baseline
        figures["cold build, 2 jobs ÷ baseline"] = cold_two / baseline
        figures["rebuild, nothing changed ÷ cold build"] = unchanged / cold_one
        figures["rebuild, one chapter edited ÷ cold build"] = one_edit / cold_one
        TARGETS["rebuild, one chapter edited ÷ cold build"] = 1.5 / chapters
        sizes = [1_000, 10_000] + ([] if options.quick else [100_000])
        for words in sizes:
            guide = make_guide(work / f"rss-{words}.txt", words)
            figures[f"peak RSS MB, {words:,} words"] = peak_rss_mb(guide, work / f"rss-{words}")
            shutil.rmtree(work / f"rss-{words}", ignore_errors=True)
        if not options.quick:
            TARGETS["peak RSS MB, 100,000 words"] = 300
            figures["peak RSS, 100,000 ÷ 10,000 words"] = (
                figures["peak RSS MB, 100,000 words"] / figures["peak RSS MB, 10,000 words"]
            )
            TARGETS["peak RSS, 100,000 ÷ 10,000 words"] = 1.2
    print(f"10,000-word guide in {chapters} chapters; machine: {resource.getpagesize()}-byte pages, "
          f"{__import__('os').cpu_count()} cores")  # fmt: skip
    for name, value in figures.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("  ok" if value <= target else "  MISSED") + f" (target ≤ {target:.3g})"
        print(f"{name:45} {value:8.3f}{verdict}")
    (ROOT / "benchmarks" / "latest.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
