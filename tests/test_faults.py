"""Faults: an engine that hangs or crashes, a build killed mid-way, two builds at once."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from audioguide.build.audio import duration

from .conftest import FIXTURES, REFERENCE, run
from .fakes import CRASH, HANG

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow


@pytest.fixture
def faulty(monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIOGUIDE_ENGINE", "tests.fakes:FaultyEngine")
    monkeypatch.setenv("FAULT_LOG", str(tmp_path / "attempts.log"))
    return tmp_path / "attempts.log"


def leaflet_with(tmp_path, marker):
    script = tmp_path / "leaflet.txt"
    text = (FIXTURES / "leaflet.txt").read_text(encoding="utf-8")
    script.write_text(text.replace("A nurse will place", f"A nurse ({marker}) will place"), encoding="utf-8")
    return script


@pytest.mark.parametrize("marker", [HANG, CRASH])
def test_a_chapter_whose_engine_fails_twice_is_reported_by_name(faulty, tmp_path, marker):
    script = leaflet_with(tmp_path, marker)
    result = run("build", script, "-o", tmp_path / "out", "--chapter-timeout", "3", "--engine", "espeak")
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "could not render 'Your Iron Infusion: During the Infusion'" in message
    assert "running the build again retries only these" in message
    assert faulty.read_text().count("attempt") == 2  # tried once more, then given up
    # No package was assembled from an incomplete set, but the other chapters are saved.
    assert not (tmp_path / "out" / "leaflet").exists()
    assert len(list((tmp_path / "out" / ".audioguide-cache").glob("*/*.json"))) == 3


@pytest.mark.parametrize("marker", [HANG, CRASH])
def test_a_chapter_that_fails_once_is_retried_and_the_build_completes(faulty, monkeypatch, tmp_path, marker):
    monkeypatch.setenv("FAULT_ONCE", "1")
    script = leaflet_with(tmp_path, marker)
    result = run("build", script, "-o", tmp_path / "out", "--chapter-timeout", "3", "--engine", "espeak")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "leaflet" / "manifest.json").read_text())
    assert len(manifest["chapters"]) == 4
    assert all(duration(tmp_path / "out" / "leaflet" / c["file"]) > 5 for c in manifest["chapters"])


def test_a_failed_rebuild_leaves_the_last_good_package_untouched(faulty, tmp_path, monkeypatch):
    script = leaflet_with(tmp_path, "nothing")
    monkeypatch.delenv("AUDIOGUIDE_ENGINE")
    assert run("build", script, "-o", tmp_path / "out", "--engine", "espeak").exit_code == 0
    folder = tmp_path / "out" / "leaflet"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setenv("AUDIOGUIDE_ENGINE", "tests.fakes:FaultyEngine")
    script.write_text(script.read_text().replace("nothing", HANG), encoding="utf-8")
    assert run("build", script, "-o", tmp_path / "out", "--chapter-timeout", "3", "--engine", "espeak").exit_code == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_workers_are_spawned_so_an_engine_in_the_parent_does_no_harm(tmp_path):
    # Defect 4: forking after an engine exists hangs the child.
    from audioguide.engines import get_renderer

    get_renderer("espeak").synthesize("The parent has an engine.")
    shutil.copy(FIXTURES / "no-headings.txt", tmp_path)
    result = run(
        "build",
        tmp_path / "no-headings.txt",
        "-o",
        tmp_path / "out",
        "--jobs",
        "2",
        "--chapter-timeout",
        "60",
        "--engine",
        "espeak",
    )
    assert result.exit_code == 0
    assert os.path.getsize(tmp_path / "out" / "no-headings" / "01-no-headings.mp3") > 10000


def start_build(script, out, *args):
    import subprocess
    import sys

    engine = () if "--engine" in args else ("--engine", "espeak")
    command = [sys.executable, "-m", "audioguide", "build", str(script), "-o", str(out), *args, *engine]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, seconds=60):
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def test_a_build_killed_mid_way_is_completed_by_the_next_one(tmp_path):
    import signal

    script = tmp_path / "home-infusion.md"
    shutil.copy(FIXTURES / "home-infusion.md", script)
    out = tmp_path / "out"
    build = start_build(script, out, "--jobs", "1")
    wait_for(lambda: len(list((out / ".audioguide-cache").glob("*/*.json"))) >= 2)
    build.send_signal(signal.SIGKILL)
    build.wait()
    result = run("build", script, "-o", out, "--engine", "espeak")
    assert result.exit_code == 0, result.output
    folder = out / "home-infusion"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["chapters"]) == 7
    for chapter in manifest["chapters"]:
        assert abs(duration(folder / chapter["file"]) - chapter["duration_seconds"]) < 0.01
    leftovers = [p for p in out.rglob(".tmp-*")]
    assert leftovers == []
    # Each chapter of the killed build that had finished was kept, not rendered again.
    assert "rendered" in result.output and "7 rendered" not in result.output


def children_of(pid):
    """Processes whose parent is ``pid``, from /proc (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_stop_the_moment_their_build_is_killed(tmp_path):
    # An orphaned worker would finish its chapter into the cache while the next build renders
    # the same chapter; what it wrote could then be mixed with what the next build wrote.
    import signal

    out = tmp_path / "out"
    build = start_build(REFERENCE, out, "--jobs", "1")
    cache = out / ".audioguide-cache"
    wait_for(lambda: list(cache.glob("*/.tmp-*.mp3")))  # a chapter is being rendered
    workers = children_of(build.pid)
    build.send_signal(signal.SIGKILL)
    records = set(cache.glob("*/*.json"))
    build.wait()
    wait_for(lambda: not any(alive(pid) for pid in workers), seconds=5)
    time.sleep(0.5)  # what an orphan's encoder still had would be written by now
    assert workers and set(cache.glob("*/*.json")) == records


def test_two_builds_into_one_folder_cannot_interleave(tmp_path):
    script = tmp_path / "home-infusion.md"
    shutil.copy(FIXTURES / "home-infusion.md", script)
    out = tmp_path / "out"
    first = start_build(script, out, "--jobs", "1")
    wait_for(lambda: (out / ".audioguide-cache").exists())
    second = run("build", FIXTURES / "leaflet.txt", "-o", out, "--engine", "espeak")
    assert second.exit_code == 1
    assert second.stderr.strip() == (
        f"Error: another audioguide build is writing to {out}; wait for it to finish, or choose another -o"
    )
    assert first.wait(timeout=120) == 0
    assert not (out / "leaflet").exists()
    assert run("build", FIXTURES / "leaflet.txt", "-o", out, "--engine", "espeak").exit_code == 0


def test_ctrl_c_stops_quickly_with_a_short_message(tmp_path):
    import signal
    import time

    script = tmp_path / "home-infusion.md"
    shutil.copy(FIXTURES / "home-infusion.md", script)
    build = start_build(script, tmp_path / "out", "--jobs", "1")
    wait_for(lambda: (tmp_path / "out" / ".audioguide-cache").exists())
    interrupted = time.monotonic()
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=30)
    assert time.monotonic() - interrupted < 5
    assert build.returncode == 130
    assert stderr.strip().splitlines() == [
        "Interrupted: finished files are kept; run the same command again to complete it."
    ]


def test_a_full_disk_is_one_clear_line(tmp_path, monkeypatch):
    # A disk cannot be filled on demand here: the write that would fail is made to fail as it would.
    import contextlib
    import errno

    import audioguide.outputs.base

    @contextlib.contextmanager
    def full(path, written):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
        yield

    monkeypatch.setattr(audioguide.outputs.base, "changed_file", full)
    result = run("build", FIXTURES / "no-headings.txt", "-o", tmp_path / "out", "--engine", "espeak")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: cannot write {tmp_path / 'out' / 'no-headings'}")
    assert "No space left on device; free some space or choose another folder with -o" in result.stderr


def test_an_output_folder_that_cannot_be_made_is_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("build", FIXTURES / "no-headings.txt", "-o", blocker / "out", "--engine", "espeak")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: cannot write to {blocker / 'out' / '.audioguide-cache'} (Not a directory); choose another folder with -o"
    )
