"""Listener presets: slower speech and longer pauses, with an explicit rate still winning."""

import json

import pytest

from audioguide.build.audio import duration

from .conftest import FIXTURES, run

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow


def build(tmp_path, name, *args):
    out = tmp_path / name
    result = run("build", FIXTURES / "leaflet.txt", "-o", out, *args, "--engine", "espeak")
    assert result.exit_code == 0, result.output
    folder = out / "leaflet"
    manifest = json.loads((folder / "manifest.json").read_text())
    return manifest, sum(duration(folder / c["file"]) for c in manifest["chapters"])


def test_slow_preset_speaks_slower_with_longer_pauses_and_rate_still_wins(tmp_path):
    standard, standard_seconds = build(tmp_path, "standard")
    slow, slow_seconds = build(tmp_path, "slow", "--preset", "slow")
    fast_slow, _ = build(tmp_path, "rate", "--preset", "slow", "--rate", "170")
    assert (standard["settings"]["rate"], standard["settings"]["preset"]) == (155, "standard")
    assert (slow["settings"]["rate"], slow["settings"]["preset"]) == (130, "slow")
    assert fast_slow["settings"]["rate"] == 170
    # 155 → 130 words a minute is 19% longer speech, and the pauses grow on top of that.
    assert slow_seconds > standard_seconds * 1.2
