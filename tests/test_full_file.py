"""One full-length file with chapter marks that ordinary players show."""

import json

import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from audioguide.build.audio import duration, measure_loudness

from .conftest import REFERENCE, ffmpeg_chapters, run

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow

TITLES = [
    "Introduction",
    "Specific Types of Intravenous Treatments",
    "The Logistics of Infusion Sessions",
    "Anticipating Results and Potential Side Effects",
]


def chapter_starts(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    starts, position = [], 0.0
    for chapter in manifest["chapters"]:
        starts.append(position)
        position += duration(folder / chapter["file"])
    return starts, position, manifest


def envelope(segment, step_ms=10):
    return [segment[i : i + step_ms].rms for i in range(0, len(segment) - step_ms, step_ms)]


def best_offset_ms(reference, searched, max_ms=400, step_ms=10):
    """Where in ``searched`` (ms from its start) the loudness envelope of ``reference`` fits best."""
    ref, found = envelope(reference, step_ms), envelope(searched, step_ms)
    score = {
        shift: sum(abs(a - b) for a, b in zip(ref, found[shift:], strict=False)) for shift in range(max_ms // step_ms)
    }
    return min(score, key=score.get) * step_ms


def test_full_mp3_has_chapter_frames_in_order_under_a_table_of_contents(reference_package):
    full = reference_package / "sjogrens-iv-therapy-full.mp3"
    starts, _, _ = chapter_starts(reference_package)
    tags = ID3(full)
    assert tags.version[:2] == (2, 3)
    toc = tags.getall("CTOC")[0]
    assert toc.flags & 3 == 3  # top level, ordered
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    # Players that ignore the table of contents list the chapter frames in the file's order.
    assert list(chaps) == toc.child_element_ids
    ordered = [chaps[element] for element in toc.child_element_ids]
    assert [str(c.sub_frames["TIT2"]) for c in ordered] == TITLES
    for chap, start in zip(ordered, starts, strict=True):
        assert abs(chap.start_time / 1000 - start) <= 0.05
    assert [c.end_time for c in ordered[:-1]] == [c.start_time for c in ordered[1:]]
    assert str(tags["TIT2"]) == "IV Therapy for Sjögren’s Syndrome: What to Expect"
    assert str(tags["TCON"]) == "Speech"


def test_libavformat_lists_the_chapters_with_titles_and_start_times(reference_package):
    listed = ffmpeg_chapters(reference_package / "sjogrens-iv-therapy-full.mp3")
    starts, total, _ = chapter_starts(reference_package)
    assert [title for _, _, title in listed] == TITLES
    assert all(abs(start - expected) <= 0.05 for (start, _, _), expected in zip(listed, starts, strict=True))
    assert abs(listed[-1][1] - total) <= 0.05


def test_full_file_is_the_chapters_in_order_at_the_same_level(reference_package, tmp_path):
    from pydub import AudioSegment

    from audioguide.build.audio import decode_to_wav

    full = reference_package / "sjogrens-iv-therapy-full.mp3"
    starts, total, manifest = chapter_starts(reference_package)
    assert abs(duration(full) - total) < 0.2
    loudness = measure_loudness(full)
    assert -17 <= loudness.integrated <= -15 and loudness.true_peak <= -1.0
    decode_to_wav(full, tmp_path / "full.wav", 22050)
    whole = AudioSegment.from_wav(tmp_path / "full.wav")
    for chapter, start in zip(manifest["chapters"], starts, strict=True):
        assert abs(chapter["start_seconds"] - start) < 0.01
        decode_to_wav(reference_package / chapter["file"], tmp_path / "part.wav", 22050)
        opening = AudioSegment.from_wav(tmp_path / "part.wav")[:4000]
        lead = min(200, round(start * 1000))
        window = whole[round(start * 1000) - lead : round(start * 1000) + 4400]
        # The chapter's own opening is heard where its mark says, within 50 ms.
        assert abs(best_offset_ms(opening, window) - lead) <= 50, chapter["title"]


@pytest.fixture(scope="module")
def m4b_package(tmp_path_factory):
    out = tmp_path_factory.mktemp("m4b")
    result = run("build", REFERENCE, "-o", out, "--format", "m4b", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    return out / "sjogrens-iv-therapy"


def test_m4b_is_an_audiobook_with_chapter_atoms(m4b_package):
    full = m4b_package / "sjogrens-iv-therapy-full.m4b"
    starts, total, manifest = chapter_starts(m4b_package)
    assert manifest["chapters"][0]["file"] == "01-introduction.m4a"
    chapters = list(MP4(full).chapters)
    assert [c.title for c in chapters] == TITLES
    assert all(abs(c.start - s) <= 0.05 for c, s in zip(chapters, starts, strict=True))
    listed = ffmpeg_chapters(full)
    assert [title for _, _, title in listed] == TITLES
    assert all(abs(start - s) <= 0.05 for (start, _, _), s in zip(listed, starts, strict=True))
    assert MP4(full)["\xa9alb"] == ["IV Therapy for Sjögren’s Syndrome: What to Expect"]
    assert abs(duration(full) - total) < 0.3


def test_the_longer_guide_has_all_its_chapters_marked(home_package):
    full = home_package / "home-infusion-full.mp3"
    listed = ffmpeg_chapters(full)
    manifest = json.loads((home_package / "manifest.json").read_text())
    assert [t for _, _, t in listed] == [c["title"] for c in manifest["chapters"]]
    assert len(listed) == 7
    assert [round(s, 1) for s, _, _ in listed] == [round(c["start_seconds"], 1) for c in manifest["chapters"]]


def test_spoken_contents_track_comes_first_and_names_the_parts(home_package):
    lines = (home_package / "home-infusion.m3u8").read_text(encoding="utf-8").splitlines()
    assert lines[2].endswith(",Contents") and lines[3] == "00-contents.mp3"
    manifest = json.loads((home_package / "manifest.json").read_text())
    assert manifest["contents"]["file"] == "00-contents.mp3"
    captions = (home_package / "00-contents.vtt").read_text(encoding="utf-8")
    assert "This guide has 7 parts" in captions
    assert "Part 5: Giving the Infusion, about" in " ".join(captions.split())
    assert 15 < duration(home_package / "00-contents.mp3") < 60
    # The contents are a track of their own, not a chapter of the full-length file.
    assert ffmpeg_chapters(home_package / "home-infusion-full.mp3")[0][2] == "Introduction"


def test_the_joined_mp3_decodes_cleanly_for_as_long_as_its_marks_say(reference_package, tmp_path):
    import wave

    from audioguide.build.audio import decode_to_wav, run_ffmpeg

    full = reference_package / "sjogrens-iv-therapy-full.mp3"
    # Left-over tags or info frames of the parts would show up here as damaged frames.
    assert run_ffmpeg("-v", "error", "-i", str(full), "-f", "null", "-").strip() == ""
    decode_to_wav(full, tmp_path / "full.wav")
    with wave.open(str(tmp_path / "full.wav")) as decoded:
        heard = decoded.getnframes() / decoded.getframerate()
    last_end = ffmpeg_chapters(full)[-1][1]
    assert abs(heard - last_end) <= 0.05
