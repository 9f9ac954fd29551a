"""Incremental and parallel builds: what is rendered again, and what is not (not timed)."""

import json
import shutil

import pytest

from audioguide.build.audio import duration

from .conftest import FIXTURES, parse_vtt, require_piper, run

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow


def build(script, out, *args):
    engine = () if "--engine" in args else ("--engine", "espeak")
    result = run("build", script, "-o", out, *args, *engine)
    assert result.exit_code == 0, result.output
    return result.output


def snapshot(folder):
    """Each file's identity and modification time: what a rewrite would change."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture
def guide(tmp_path):
    script = tmp_path / "leaflet.txt"
    shutil.copy(FIXTURES / "leaflet.txt", script)
    return script


def test_a_rebuild_with_nothing_changed_renders_and_rewrites_nothing(guide, tmp_path):
    build(guide, tmp_path / "out")
    folder = tmp_path / "out" / "leaflet"
    before = snapshot(folder)
    output = build(guide, tmp_path / "out")
    assert "nothing changed, nothing rendered" in output
    assert snapshot(folder) == before


def test_lost_caption_files_are_written_again_and_nothing_else(guide, tmp_path):
    build(guide, tmp_path / "out")
    folder = tmp_path / "out" / "leaflet"
    kept = {name: (folder / name).read_bytes() for name in ("02-before-you-come-in.vtt", "02-before-you-come-in.srt")}
    before = snapshot(folder)
    for name in kept:
        (folder / name).unlink()
    output = build(guide, tmp_path / "out")
    assert "0 rendered, 2 files written" in output
    assert {name: (folder / name).read_bytes() for name in kept} == kept
    after = snapshot(folder)
    assert {name for name in after if after[name] != before.get(name)} == set(kept)


def test_a_chapter_file_tagged_again_by_a_player_stays_out_of_the_full_length_file(guide, tmp_path):
    from mutagen.id3 import ID3, TXXX

    from audioguide.build.audio import run_ffmpeg

    build(guide, tmp_path / "out")
    folder = tmp_path / "out" / "leaflet"
    # A player saves its own, longer tag into a copy that replaces the chapter file.
    retagged = folder / "02-before-you-come-in.mp3"
    data = retagged.read_bytes()
    retagged.unlink()
    retagged.write_bytes(data)
    tag = ID3(retagged)
    tag.add(TXXX(desc="player", text=["Rated five stars by a media player " * 20]))
    tag.save(retagged)
    guide.write_text(guide.read_text(encoding="utf-8").replace("thirty minutes", "forty minutes"), encoding="utf-8")
    assert "1 rendered" in build(guide, tmp_path / "out")
    full = folder / "leaflet-full.mp3"
    assert b"Rated five stars" not in full.read_bytes()
    assert run_ffmpeg("-v", "error", "-i", str(full), "-f", "null", "-").strip() == ""


def test_editing_one_chapter_renders_exactly_that_chapter(guide, tmp_path):
    build(guide, tmp_path / "out")
    folder = tmp_path / "out" / "leaflet"
    before = snapshot(folder)
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("about thirty minutes", "about forty minutes"), encoding="utf-8")
    output = build(guide, tmp_path / "out")
    assert "1 rendered" in output
    after = snapshot(folder)
    changed = {name for name in after if after[name] != before.get(name)}
    # The playlist changes only if the chapter's length in whole seconds did.
    assert changed - {"leaflet.m3u8"} == {
        "03-during-the-infusion.mp3",
        "03-during-the-infusion.srt",
        "03-during-the-infusion.vtt",
        "leaflet-full.mp3",
        "leaflet-full.srt",
        "leaflet-full.vtt",
        "index.html",
        "manifest.json",
        "transcript.html",
        "transcript.txt",
        "leaflet.epub",  # one file, with every chapter's text and audio
    }
    cues = parse_vtt((folder / "03-during-the-infusion.vtt").read_text(encoding="utf-8"))
    assert any("about forty minutes" in text for _, _, text in cues)


def test_changing_the_voice_renders_every_chapter_and_force_does_too(guide, tmp_path):
    build(guide, tmp_path / "out")
    assert "4 rendered" in build(guide, tmp_path / "out", "--voice", "en-gb")
    manifest = json.loads((tmp_path / "out" / "leaflet" / "manifest.json").read_text())
    assert manifest["settings"]["voice"] == "gmw/en"
    assert "4 rendered" in build(guide, tmp_path / "out", "--voice", "en-gb", "--force")
    # Going back to the first voice takes every chapter from the cache.
    assert "0 rendered" in build(guide, tmp_path / "out")


def test_two_jobs_give_the_same_package_as_one(guide, tmp_path):
    build(guide, tmp_path / "one", "--jobs", "1")
    build(guide, tmp_path / "two", "--jobs", "2")
    one, two = tmp_path / "one" / "leaflet", tmp_path / "two" / "leaflet"
    assert sorted(p.name for p in one.iterdir()) == sorted(p.name for p in two.iterdir())
    first, second = (json.loads((f / "manifest.json").read_text()) for f in (one, two))
    assert [c["title"] for c in first["chapters"]] == [c["title"] for c in second["chapters"]]
    for a, b in zip(first["chapters"], second["chapters"], strict=True):
        assert abs(a["duration_seconds"] - b["duration_seconds"]) < 0.1
        cues_a = parse_vtt((one / a["captions"]["vtt"]).read_text(encoding="utf-8"))
        cues_b = parse_vtt((two / b["captions"]["vtt"]).read_text(encoding="utf-8"))
        assert [t for _, _, t in cues_a] == [t for _, _, t in cues_b]
    assert (one / "transcript.html").read_text() == (two / "transcript.html").read_text()
    assert abs(duration(one / "leaflet-full.mp3") - duration(two / "leaflet-full.mp3")) < 0.3


def test_the_cache_never_serves_a_half_written_entry(guide, tmp_path):
    from audioguide.build.cache import Cache

    build(guide, tmp_path / "out")
    cache = Cache(tmp_path / "out" / ".audioguide-cache")
    records = sorted(cache.root.glob("*/*.json"))
    assert len(records) == 4
    # An interrupted build leaves audio without its record: that is no entry.
    records[0].unlink()
    # A truncated audio file no longer matches its record: that is no entry either.
    audio = records[1].with_suffix(".mp3")
    audio.write_bytes(audio.read_bytes()[:1000])
    assert cache.get(records[1].stem, "mp3") is None
    shutil.rmtree(tmp_path / "out" / "leaflet")
    assert "2 rendered" in build(guide, tmp_path / "out")
    for chapter in json.loads((tmp_path / "out" / "leaflet" / "manifest.json").read_text())["chapters"]:
        assert duration(tmp_path / "out" / "leaflet" / chapter["file"]) > 5


def test_a_lexicon_entry_renders_only_the_chapters_whose_speech_it_changes(guide, tmp_path):
    build(guide, tmp_path / "out")
    unused = tmp_path / "unused.toml"
    unused.write_text('rituximab = "rih-TOOK-sih-mab"\n', encoding="utf-8")
    # Every chapter's speech is prepared again (the lexicon is new), none of it differs.
    assert "0 rendered" in build(guide, tmp_path / "out", "--lexicon", unused)
    used = tmp_path / "used.toml"
    used.write_text('headache = "hed ake"\n', encoding="utf-8")
    assert "1 rendered" in build(guide, tmp_path / "out", "--lexicon", used)
    # The chapter's own speech went to the engine: its captions still show the page's word.
    cues = parse_vtt((tmp_path / "out" / "leaflet" / "04-after-you-go-home.vtt").read_text(encoding="utf-8"))
    assert any("headache" in text for _, _, text in cues)


def test_a_rebuild_prepares_speech_only_for_what_changed(guide, tmp_path):
    from audioguide.build.cache import Cache

    build(guide, tmp_path / "out")
    cache = Cache(tmp_path / "out" / ".audioguide-cache")
    prepared = set(cache.root.glob("*/*.speech"))
    assert len(prepared) == 4
    build(guide, tmp_path / "out")
    assert set(cache.root.glob("*/*.speech")) == prepared
    guide.write_text(guide.read_text(encoding="utf-8").replace("thirty minutes,", "forty minutes,"), encoding="utf-8")
    build(guide, tmp_path / "out")
    assert len(set(cache.root.glob("*/*.speech")) - prepared) == 1


def test_a_voice_is_calibrated_once_and_a_damaged_calibration_is_redone(guide, tmp_path):
    from audioguide.build.audio import measure_loudness

    build(guide, tmp_path / "out")
    levels = list((tmp_path / "out" / ".audioguide-cache").glob("*/*.level"))
    assert len(levels) == 1
    calibrated = levels[0].stat().st_mtime_ns
    # Every chapter rendered again by fresh workers, none of which calibrates the voice again.
    assert "4 rendered" in build(guide, tmp_path / "out", "--force")
    assert levels[0].stat().st_mtime_ns == calibrated
    levels[0].write_text("{not json", encoding="utf-8")
    build(guide, tmp_path / "out", "--force")
    json.loads(levels[0].read_text(encoding="utf-8"))
    loudness = measure_loudness(tmp_path / "out" / "leaflet" / "02-before-you-come-in.mp3")
    assert -17 <= loudness.integrated <= -15


@pytest.mark.parametrize("engine", ["espeak", "piper"])
def test_a_chapter_unlike_its_voices_calibration_is_brought_to_the_target_level(guide, tmp_path, engine):
    # A calibration 3 dB too soft: every chapter misses the target on its first encode and is
    # encoded again with its gain corrected (eSpeak NG speaks it again; Piper's samples are kept).
    from audioguide.build.audio import measure_loudness

    if engine == "piper":
        require_piper()
    build(guide, tmp_path / "out", "--engine", engine)
    (level,) = (tmp_path / "out" / ".audioguide-cache").glob("*/*.level")
    record = json.loads(level.read_text(encoding="utf-8"))
    level.write_text(json.dumps({**record, "gain": record["gain"] - 3}), encoding="utf-8")
    build(guide, tmp_path / "out", "--engine", engine, "--force")
    folder = tmp_path / "out" / "leaflet"
    for chapter in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["chapters"]:
        heard = measure_loudness(folder / chapter["file"])
        assert -17 <= heard.integrated <= -15 and heard.true_peak <= -1.0, chapter["file"]
        assert abs(duration(folder / chapter["file"]) - chapter["duration_seconds"]) < 0.01
    assert not list((tmp_path / "out").rglob(".tmp-*"))  # the kept samples went with the encode


GUIDE_WITH_AUTHOR = """---
title: Eye Care
author: Riverside Clinic
---
## Drops

Take 5 mg of the drops twice a day.

## Rest

Rest your eyes often, and blink.

## Help

Call the clinic if your eyes hurt.
"""


def test_changing_only_the_author_re_tags_the_files_and_renders_nothing(tmp_path):
    from mutagen.id3 import ID3

    script = tmp_path / "eye-care.md"
    script.write_text(GUIDE_WITH_AUTHOR, encoding="utf-8")
    build(script, tmp_path / "out")
    folder = tmp_path / "out" / "eye-care"
    captions = {p.name: p.stat().st_mtime_ns for p in folder.glob("0*.vtt")}
    script.write_text(GUIDE_WITH_AUTHOR.replace("Riverside Clinic", "Lakeside Clinic"), encoding="utf-8")
    output = build(script, tmp_path / "out")
    assert "0 rendered, 3 re-tagged" in output
    for name in ("01-drops.mp3", "02-rest.mp3", "03-help.mp3", "eye-care-full.mp3"):
        assert str(ID3(folder / name)["TPE1"]) == "Lakeside Clinic", name
    # The audio and the captions are what they were: the captions were not even written again.
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("0*.vtt")} == captions
    assert "nothing changed, nothing rendered" in build(script, tmp_path / "out")


@pytest.fixture
def own_copy(tmp_path):
    """audioguide copied where a test may change its language files, as a developer edits a clone
    installed with pip install -e; builds of it run in processes of their own."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    copy = tmp_path / "clone"
    shutil.copytree(ROOT / "audioguide", copy / "audioguide", ignore=shutil.ignore_patterns("__pycache__"))

    def build_with_copy(script, out):
        result = subprocess.run(
            [sys.executable, "-m", "audioguide", "build", str(script), "-o", str(out), "--engine", "espeak"],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(copy)}, cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    return copy / "audioguide", build_with_copy


def test_a_changed_word_or_reading_rule_renders_exactly_the_chapters_whose_speech_it_changes(tmp_path, own_copy):
    package, build_with_copy = own_copy
    script = tmp_path / "eye-care.md"
    script.write_text(GUIDE_WITH_AUTHOR, encoding="utf-8")
    assert "3 rendered" in build_with_copy(script, tmp_path / "out")
    words = package / "languages" / "en" / "words.toml"
    words.write_text(words.read_text(encoding="utf-8").replace('part_of = "Part {number} of {total}."',
                                                               'part_of = "Section {number} of {total}."'),
                     encoding="utf-8")  # fmt: skip
    assert "3 rendered" in build_with_copy(script, tmp_path / "out")
    rules = package / "languages" / "en" / "reading.py"
    text = rules.read_text(encoding="utf-8")
    assert '"mg": ("milligram", "milligrams"),' in text
    rules.write_text(text.replace('"mg": ("milligram", "milligrams"),', '"mg": ("milligramme", "milligrammes"),'),
                     encoding="utf-8")  # fmt: skip
    # Only the chapter that says "5 mg" sounds different.
    assert "1 rendered" in build_with_copy(script, tmp_path / "out")
    assert "nothing changed, nothing rendered" in build_with_copy(script, tmp_path / "out")
