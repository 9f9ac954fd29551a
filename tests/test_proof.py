"""`audioguide proof` and `audioguide say`: what a clinician checks before handing a guide out."""

import json
import re

import mutagen
import pytest

from audioguide.build.audio import measure_loudness
from audioguide.read import read_script
from audioguide.read.chapters import split_chapters

from .conftest import REFERENCE, listen, run


def test_proof_json_lists_each_chapter_with_exact_spoken_text_and_changes():
    rows = json.loads(run("proof", REFERENCE, "--json").stdout)
    assert [r["title"] for r in rows][1] == "Specific Types of Intravenous Treatments"
    first = rows[0]
    assert first["spoken"].splitlines()[:3] == [
        "I-V Therapy for [[S'oUgrInz]] Syndrome: What to Expect.",
        "Part one of four.",
        "Introduction.",
    ]
    assert {"original": "IV", "spoken": "I-V"} in first["changes"]
    assert {"original": "SS", "spoken": "S-S"} in first["changes"]
    second = rows[1]
    assert {"original": "IVIg", "spoken": "I-V-I-G"} in second["changes"]
    assert {"original": "CD20", "spoken": "C-D twenty"} in second["changes"]
    assert [{"text": f["text"], "reason": f["reason"]} for f in second["flags"]] == [
        {"text": "CD20", "reason": "spelled as letters (C-D twenty); add it to a lexicon if it is said as a word"}
    ]
    # Nothing of the page is lost: undoing every change listed gives back every word of the page, in order.
    guide = split_chapters(read_script(REFERENCE))
    for row, chapter in zip(rows, guide.chapters, strict=True):
        page = words(" ".join(block.text for block in chapter.blocks))
        assert undo_changes(row)[-len(page) :] == page


def words(text):
    return re.findall(r"\w+", text.lower())


def undo_changes(row):
    """The words of a chapter's page text, rebuilt from its spoken text and its list of changes."""
    spoken, rebuilt, position = row["spoken"], [], 0
    for change in row["changes"]:
        found = spoken.find(change["spoken"], position)
        assert found >= position, change
        rebuilt += [spoken[position:found], change["original"]]
        position = found + len(change["spoken"])
    return words("".join([*rebuilt, spoken[position:]]))


def test_proof_text_marks_every_change_readably():
    output = run("proof", REFERENCE).output
    assert (
        output.splitlines()[0]
        == "IV Therapy for Sjögren’s Syndrome: What to Expect  (read in English, told from its text)"
    )
    assert "== Part 3 of 4: The Logistics of Infusion Sessions" in output
    assert "[Sjögren's → SHOW-grin's] Syndrome, [SS → S-S], is a chronic" in output
    assert "[methylprednisolone → meth-il-pred-NISS-uh-lone]" in output
    assert "! CD20: spelled as letters" in output


@pytest.mark.slow
def test_say_renders_a_phrase_through_the_same_stage(tmp_path):
    target = tmp_path / "check.mp3"
    result = run("say", "Take 5 mg of rituximab IV at 9am.", "-o", target, "--engine", "espeak")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Take [5 mg → five milligrams] of [rituximab → rih-TUCK-sih-mab] [IV → I-V] at [9am. → nine A-M.]"
    )
    heard = listen(target, tmp_path)
    assert 2.5 < heard.seconds < 8
    assert heard.speech_seconds > 0.6 * heard.seconds
    assert -17 <= measure_loudness(target).integrated <= -15
    assert mutagen.File(target).info.sample_rate == 22050


@pytest.mark.slow
def test_say_format_follows_the_file_name_and_bad_names_are_one_line(tmp_path):
    assert run("say", "Hello", "-o", tmp_path / "hello.ogg", "--engine", "espeak").exit_code == 0
    assert mutagen.File(tmp_path / "hello.ogg").info.length > 0.3
    bad = run("say", "Hello", "-o", tmp_path / "hello.txt", "--engine", "espeak")
    assert bad.exit_code == 2 and "end the file name with one of .mp3" in bad.stderr
    assert not (tmp_path / "hello.txt").exists()
    empty = run("say", "   ", "-o", tmp_path / "x.wav", "--engine", "espeak")
    assert empty.exit_code == 2 and "nothing to say" in empty.stderr
