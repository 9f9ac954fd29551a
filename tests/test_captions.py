"""Captions: a cue per sentence, timed by the engine, that match the pauses a listener hears."""

import itertools
import re

import pytest

from audioguide.build.audio import decode_to_wav, duration
from audioguide.outputs.captions import Cue, srt, two_lines, vtt
from audioguide.read import read_script
from audioguide.read.chapters import split_chapters
from audioguide.speech.fragments import caption_fragments

from .conftest import FIXTURES, REFERENCE, parse_vtt

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow

WORD = re.compile(r"[\w’'-]+")


def words(text):
    return WORD.findall(text)


def page_words(guide, chapter, total):
    """What the chapter file says, as the page writes it: announcement, then the text."""
    announced = ([guide.title] if chapter.number == 1 else []) + [f"Part {chapter.number} of {total}.", chapter.title]
    return words(" ".join(announced + [block.text for block in chapter.blocks]))


def silences(path, tmp_path):
    from pydub import AudioSegment
    from pydub.silence import detect_silence

    decode_to_wav(path, tmp_path / "heard.wav", 22050)
    audio = AudioSegment.from_wav(tmp_path / "heard.wav")
    return [(a / 1000, b / 1000) for a, b in detect_silence(audio, min_silence_len=300, silence_thresh=-50)]


def near_silence(moment, quiet, tolerance=0.15):
    return any(start - tolerance <= moment <= end + tolerance for start, end in quiet)


def check_package_captions(folder, guide, tmp_path):
    total = len(guide.chapters)
    for chapter in guide.chapters:
        audio = next(folder.glob(f"{chapter.number:02d}-*.mp3"))
        cues = parse_vtt(audio.with_suffix(".vtt").read_text(encoding="utf-8"))
        length = duration(audio)
        # Monotonic, non-overlapping, inside the audio.
        for (start, end, _), (next_start, _, _) in itertools.pairwise(cues):
            assert start < end <= next_start
        assert cues[0][0] >= 0 and cues[-1][1] <= length
        # Every word of the page, in order: nothing dropped, nothing respelled.
        cue_text = " ".join(text for _, _, text in cues)
        assert words(cue_text.replace("&amp;", "&")) == page_words(guide, chapter, total)
        assert "[[" not in cue_text
        # At most two lines of about 42 characters.
        for _, _, text in cues:
            assert len(text.splitlines()) <= 2 and all(len(line) <= 48 for line in text.splitlines()), text
        # A boundary between sentences falls in a pause of the audio itself.
        quiet = silences(audio, tmp_path)
        for (_, end, _), (next_start, _, _) in itertools.pairwise(cues):
            if next_start - end > 0.2:  # a sentence ended here (clause parts follow each other at once)
                assert near_silence(end, quiet), (chapter.title, end)
                assert near_silence(next_start, quiet), (chapter.title, next_start)


def test_reference_captions_follow_the_audio(reference_package, tmp_path):
    check_package_captions(reference_package, split_chapters(read_script(REFERENCE)), tmp_path)


def test_longer_guide_captions_follow_the_audio(home_package, tmp_path):
    check_package_captions(home_package, split_chapters(read_script(FIXTURES / "home-infusion.md")), tmp_path)


def test_srt_says_the_same_as_vtt(reference_package):
    for vtt_file in reference_package.glob("*.vtt"):
        srt_text = vtt_file.with_suffix(".srt").read_text(encoding="utf-8")
        vtt_cues = parse_vtt(vtt_file.read_text(encoding="utf-8"))
        srt_cues = parse_vtt("SRT\n\n" + srt_text)
        assert [(round(a, 3), round(b, 3), t) for a, b, t in srt_cues] == [
            (round(a, 3), round(b, 3), t) for a, b, t in vtt_cues
        ]
        assert re.search(r"^00:00:0\d,\d{3} --> ", srt_text, re.M)


def test_full_file_captions_are_the_chapter_captions_shifted_by_each_start(reference_package):
    import json

    manifest = json.loads((reference_package / "manifest.json").read_text())
    full = parse_vtt((reference_package / "sjogrens-iv-therapy-full.vtt").read_text(encoding="utf-8"))
    expected = []
    for chapter in manifest["chapters"]:
        cues = parse_vtt((reference_package / chapter["captions"]["vtt"]).read_text(encoding="utf-8"))
        expected += [(a + chapter["start_seconds"], b + chapter["start_seconds"], t) for a, b, t in cues]
    assert len(full) == len(expected)
    assert all(
        abs(a - x) < 0.002 and abs(b - y) < 0.002 and t == z
        for (a, b, t), (x, y, z) in zip(full, expected, strict=True)
    )
    assert full[-1][1] <= duration(reference_package / "sjogrens-iv-therapy-full.mp3")


@pytest.mark.parametrize(
    "sentence",
    [
        "Short sentence.",
        "Intravenous Immunoglobulin (IVIg) is one class of therapy used, particularly when the condition involves the peripheral nervous system, such as sensory ataxic neuropathy or painful small fiber neuropathy.",
        "A sentence with no clause marks at all that simply goes on and on about the infusion chair and the blanket and the snacks and the nurse who checks the pump every fifteen minutes",
        "x" * 120,
    ],
)
def test_caption_fragments_keep_every_character_and_fit_two_lines(sentence):
    parts = caption_fragments(sentence)
    assert " ".join(parts) == sentence
    assert all(len(part) <= 84 for part in parts if " " in part)


def test_cue_text_is_escaped_for_each_format():
    cue = [Cue(0, 1.5, "<b>Tom & Jerry</b> --> next")]
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; --&gt; next" in vtt(cue)
    assert "‹b›Tom & Jerry‹/b› --› next" in srt(cue)
    assert "<" not in srt(cue).split("\n", 2)[2]


def test_two_lines_are_balanced():
    assert two_lines("Part 2 of 4.") == "Part 2 of 4."
    first, second = two_lines("IV treatments for Sjögren’s Syndrome function as powerful immunomodulators,").split("\n")
    assert len(first) <= 42 and len(second) <= 42
