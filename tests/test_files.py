"""A package's text files: replaced only when their text changes, never left half-written."""

import os

import pytest

from audioguide.files import TEMP_PREFIX, changed_file

OLD = "WEBVTT\n\n" + "".join(f"{n}\n00:00:{n:02d}.000 --> 00:00:{n + 1:02d}.000\nLine {n}\n\n" for n in range(60))


def write(path, pieces):
    written = []
    with changed_file(path, written) as out:
        for piece in pieces:
            out.write(piece)
    return written


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.fixture
def old(tmp_path):
    path = tmp_path / "part.vtt"
    path.write_text(OLD, encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    return path


def test_the_same_text_leaves_the_file_and_its_time_stamp_alone(old):
    # Written a line at a time, as captions are, and in pieces of any size.
    assert write(old, OLD.splitlines(keepends=True)) == []
    assert write(old, [OLD[:7], OLD[7:100_000]]) == []
    assert old.stat().st_mtime_ns == 1_000_000_000
    assert leftovers(old.parent) == []


@pytest.mark.parametrize(
    "new",
    [
        OLD.replace("Line 0\n", "Line zero\n"),  # differs near the start
        OLD.replace("Line 59\n", "Line 5 9\n"),  # differs near the end
        OLD + "60\n00:01:00.000 --> 00:01:01.000\nOne more\n\n",  # goes on further
        OLD[: len(OLD) // 2],  # stops short
        "",  # empty
        OLD.replace("Line 30", "Línea 30") * 40,  # longer than a block, and not ASCII
    ],
    ids=["start", "end", "longer", "shorter", "empty", "long"],
)
def test_a_different_text_replaces_the_file_whole(old, new):
    assert write(old, new.splitlines(keepends=True)) == ["part.vtt"]
    assert old.read_text(encoding="utf-8") == new
    assert leftovers(old.parent) == []


def test_a_long_text_that_differs_far_in_keeps_what_came_before(tmp_path):
    # The first blocks agree, so they are copied from the old file once the difference comes.
    path = tmp_path / "guide-full.vtt"
    path.write_text(OLD * 60, encoding="utf-8")
    new = OLD * 59 + OLD.replace("Line 59\n", "Line fifty-nine\n")
    assert write(path, new.splitlines(keepends=True)) == ["guide-full.vtt"]
    assert path.read_text(encoding="utf-8") == new


def test_a_new_file_is_written(tmp_path):
    path = tmp_path / "transcript.txt"
    assert write(path, ["Before your infusion\n", "Drink water.\n"]) == ["transcript.txt"]
    assert path.read_text(encoding="utf-8") == "Before your infusion\nDrink water.\n"


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(old):
    written = []
    with pytest.raises(OSError), changed_file(old, written) as out:
        out.write("WEBVTT\n\nSomething else entirely\n" * 5000)
        raise OSError("disk full")
    assert written == []
    assert old.read_text(encoding="utf-8") == OLD
    assert leftovers(old.parent) == []
