"""``manifest.json`` says what the package holds and, of the document, what it does not."""

import json

from audioguide.build.plan import load_guide, plan_guide
from audioguide.build.types import BuildResult, JoinedSpan, Loudness, RenderedTrack
from audioguide.outputs.base import PackageFiles
from audioguide.outputs.manifest import write_manifest
from audioguide.read.edits import PartEdit
from audioguide.settings import Request

GUIDE = (
    "# Care\n\n## Drops\n\nUse the drops.\n\n## Our other clinics\n\nWe have three.\n\n"
    "## At Night\n\nUse the gel.\n\n## Travel\n\nTake the drops with you.\n"
)


def manifest_of(tmp_path, edits):
    """The manifest of the guide planned with ``edits``, its tracks given audio as a build would."""
    script = tmp_path / "care.md"
    script.write_text(GUIDE, encoding="utf-8")
    guide, settings = load_guide(script, Request(engine="espeak"), edits=edits)
    plan = plan_guide(guide, settings, tmp_path / "out", tmp_path / "cache", 1)
    for track in plan.tracks:
        track.rendered = RenderedTrack(f"key-{track.number}", 2.0, JoinedSpan(2.0), Loudness(-16.0, -2.0))
    plan.folder.mkdir(parents=True)
    result = BuildResult(plan, None, "care-full.mp3")
    files = PackageFiles(plan.folder, [], {}, False)
    audio = [{"file": track.file, "key": track.audio.key, "tags": ""} for track in plan.tracks]
    written = write_manifest(result, files, audio, {"file": "care-full.mp3", "key": "full"}, {})
    assert json.loads((plan.folder / "manifest.json").read_text(encoding="utf-8")) == written
    return written


def test_the_manifest_lists_the_parts_left_out_by_their_number_and_title_in_the_document(tmp_path):
    edits = [PartEdit(2, "Our other clinics", left_out=True), PartEdit(4, "Travel", left_out=True)]
    manifest = manifest_of(tmp_path, edits)
    assert manifest["left_out"] == [{"number": 2, "title": "Our other clinics"}, {"number": 4, "title": "Travel"}]
    assert [(c["number"], c["title"]) for c in manifest["chapters"]] == [(1, "Drops"), (2, "At Night")]


def test_a_package_of_every_part_says_nothing_was_left_out(tmp_path):
    manifest = manifest_of(tmp_path, [PartEdit(3, "At Night", new_title="Your night routine")])
    assert manifest["left_out"] == []
    titles = [c["title"] for c in manifest["chapters"]]
    assert titles == ["Drops", "Our other clinics", "Your night routine", "Travel"]
