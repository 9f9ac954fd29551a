"""Faults: an engine that hangs or crashes, a build killed mid-way, two builds at once."""

import json
import os
import shutil

import pytest

from audioguide.audio import duration

from .conftest import FIXTURES, run
from .fakes import CRASH, HANG


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
    result = run("build", script, "-o", tmp_path / "out", "--chapter-timeout", "3")
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
    result = run("build", script, "-o", tmp_path / "out", "--chapter-timeout", "3")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "leaflet" / "manifest.json").read_text())
    assert len(manifest["chapters"]) == 4
    assert all(duration(tmp_path / "out" / "leaflet" / c["file"]) > 5 for c in manifest["chapters"])


def test_a_failed_rebuild_leaves_the_last_good_package_untouched(faulty, tmp_path, monkeypatch):
    script = leaflet_with(tmp_path, "nothing")
    monkeypatch.delenv("AUDIOGUIDE_ENGINE")
    assert run("build", script, "-o", tmp_path / "out").exit_code == 0
    folder = tmp_path / "out" / "leaflet"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setenv("AUDIOGUIDE_ENGINE", "tests.fakes:FaultyEngine")
    script.write_text(script.read_text().replace("nothing", HANG), encoding="utf-8")
    assert run("build", script, "-o", tmp_path / "out", "--chapter-timeout", "3").exit_code == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_workers_are_spawned_so_an_engine_in_the_parent_does_no_harm(tmp_path):
    # Defect 4: forking after an engine exists hangs the child.
    from audioguide.engine import get_engine

    get_engine().synthesize("The parent has an engine.")
    shutil.copy(FIXTURES / "no-headings.txt", tmp_path)
    result = run(
        "build", tmp_path / "no-headings.txt", "-o", tmp_path / "out", "--jobs", "2", "--chapter-timeout", "60"
    )
    assert result.exit_code == 0
    assert os.path.getsize(tmp_path / "out" / "no-headings" / "01-no-headings.mp3") > 10000
