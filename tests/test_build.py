"""A built package, judged by what a listener and their player get."""

import json
import shutil

import mutagen
import pytest
from mutagen.id3 import ID3

from audioguide.build.audio import duration

from .conftest import FIXTURES, listen, require_tool, run

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow

CHAPTER_FILES = [
    "01-introduction.mp3",
    "02-specific-types-of-intravenous-treatments.mp3",
    "03-the-logistics-of-infusion-sessions.mp3",
    "04-anticipating-results-and-potential-side.mp3",
]
CHAPTER_TITLES = [
    "Introduction",
    "Specific Types of Intravenous Treatments",
    "The Logistics of Infusion Sessions",
    "Anticipating Results and Potential Side Effects",
]
GUIDE_TITLE = "IV Therapy for Sjögren’s Syndrome: What to Expect"
CHAPTER_WORDS = [92, 273, 285, 270]


def read_playlist(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = []
    for info, file in zip(lines[2::2], lines[3::2], strict=True):
        seconds, title = info.removeprefix("#EXTINF:").split(",", 1)
        entries.append((file, int(seconds), title))
    return lines[:2], entries


def test_package_has_the_layout_of_the_product_brief(reference_package):
    names = sorted(p.name for p in reference_package.iterdir())
    captions = [f.replace(".mp3", ext) for f in CHAPTER_FILES for ext in (".vtt", ".srt")]
    full = ["sjogrens-iv-therapy-full.mp3", "sjogrens-iv-therapy-full.vtt", "sjogrens-iv-therapy-full.srt"]
    texts = [
        "sjogrens-iv-therapy.m3u8",
        "manifest.json",
        "transcript.html",
        "transcript.txt",
        "index.html",
        "README.txt",
        "sjogrens-iv-therapy.epub",
    ]
    assert names == sorted([*CHAPTER_FILES, *captions, *full, *texts])


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_each_chapter_is_clear_level_speech_of_the_right_length(reference_package, tmp_path, number):
    heard = listen(reference_package / CHAPTER_FILES[number - 1], tmp_path)
    words = CHAPTER_WORDS[number - 1]
    # 155 words a minute plus the announcement and pauses: never a truncated or empty render.
    assert words / 155 * 60 * 0.9 < heard.seconds < words / 155 * 60 * 1.6 + 20
    assert heard.speech_seconds > 0.6 * heard.seconds
    assert -17.0 <= heard.lufs <= -15.0
    assert heard.true_peak <= -1.0
    assert heard.rms_dbfs > -30


def test_chapters_are_within_one_lu_of_each_other(reference_package):
    manifest = json.loads((reference_package / "manifest.json").read_text())
    levels = [c["loudness_lufs"] for c in manifest["chapters"]]
    assert max(levels) - min(levels) <= 1.0


def test_chapter_files_are_tagged_for_players(reference_package):
    for number, (name, title) in enumerate(zip(CHAPTER_FILES, CHAPTER_TITLES, strict=True), start=1):
        tags = ID3(reference_package / name)
        assert tags.version[:2] == (2, 3)
        assert str(tags["TIT2"]) == title
        assert str(tags["TALB"]) == GUIDE_TITLE
        assert str(tags["TRCK"]) == f"{number}/4"
        assert str(tags["TCON"]) == "Speech"
        assert str(tags["TLAN"]) == "eng"
        assert "TPE1" not in tags  # no author given, no artist invented
        info = mutagen.File(reference_package / name).info
        assert (info.sample_rate, info.channels) == (22050, 1)  # the engine's own rate


def test_playlist_lists_every_chapter_with_its_real_duration(reference_package):
    header, entries = read_playlist(reference_package / "sjogrens-iv-therapy.m3u8")
    assert header == ["#EXTM3U", f"#PLAYLIST:{GUIDE_TITLE}"]
    assert [e[0] for e in entries] == CHAPTER_FILES
    assert [e[2] for e in entries] == CHAPTER_TITLES
    for file, seconds, _ in entries:
        assert abs(seconds - duration(reference_package / file)) <= 0.5


def test_a_real_player_plays_the_playlist_end_to_end(reference_package, tmp_path):
    mpv = require_tool("mpv")
    import subprocess

    played = tmp_path / "played.raw"
    subprocess.run(
        [mpv, "--no-config", "--no-video", "--really-quiet", "--ao=pcm", f"--ao-pcm-file={played}",
         "--ao-pcm-waveheader=no", "--audio-format=s16", "--audio-channels=mono", "--audio-samplerate=44100",
         str(reference_package / "sjogrens-iv-therapy.m3u8")],
        check=True, timeout=120,
    )  # fmt: skip
    played_seconds = played.stat().st_size / 2 / 44100
    expected = sum(duration(reference_package / name) for name in CHAPTER_FILES)
    assert abs(played_seconds - expected) < 1.0


def test_manifest_records_guide_chapters_files_and_settings(reference_package):
    manifest = json.loads((reference_package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["guide"]["title"] == GUIDE_TITLE
    assert manifest["guide"]["source"] == "sjogrens-iv-therapy.txt"
    engine = manifest["settings"]["engine"]
    assert engine in reference_package.parent.name  # the build asked for this engine
    voice, version = {
        "espeak": ("gmw/en-us", "pyttsx3 2.99, espeakng-loader"),
        "piper": ("en_US-joe-medium", "piper-tts"),
    }[engine]
    assert manifest["settings"].pop("engine_version").startswith(version)
    assert manifest["settings"] == {
        "engine": engine,
        "voice": voice,
        "rate": 155,
        "preset": "standard",
        "format": "mp3",
        "bitrate": "64k",
        "lexicons": [],
        "contents": False,
    }
    assert [c["file"] for c in manifest["chapters"]] == CHAPTER_FILES
    assert [c["words"] for c in manifest["chapters"]] == CHAPTER_WORDS
    for chapter in manifest["chapters"]:
        assert abs(chapter["duration_seconds"] - duration(reference_package / chapter["file"])) < 0.01
    assert manifest["version"]
    assert set(manifest["files"]) == {p.name for p in reference_package.iterdir()}


@pytest.mark.parametrize(
    "audio_format, sample_rate",
    [("ogg", 22050), ("opus", 48000), ("m4a", 22050), ("flac", 22050), ("wav", 22050)],
)
def test_every_format_decodes_and_carries_tags(tmp_path, audio_format, sample_rate):
    result = run("build", FIXTURES / "care-plan.md", "-o", tmp_path, "--format", audio_format, "--engine", "espeak")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "care-plan"
    files = sorted(folder.glob(f"0*.{audio_format}"))
    assert [f.name for f in files] == [
        f"01-introduction.{audio_format}",
        f"02-looking-after-your-eyes.{audio_format}",
        f"03-medicines.{audio_format}",
        f"04-getting-help.{audio_format}",
    ]
    heard = listen(files[2], tmp_path)
    assert heard.seconds > 10 and heard.speech_seconds > 0.5 * heard.seconds
    assert -17.0 <= heard.lufs <= -15.0
    audio = mutagen.File(files[2], easy=True)
    # Opus headers carry no rate: it always plays at 48 kHz.
    assert getattr(audio.info, "sample_rate", 48000) == sample_rate
    if audio_format != "wav":
        assert audio["title"] == ["Medicines"]
        assert audio["album"] == ["Living With Dry Eyes"]
        assert audio["artist"] == ["Riverside Rheumatology Clinic"]
        assert audio["genre"] == ["Speech"]
    else:
        tags = mutagen.File(files[2]).tags
        assert str(tags["TIT2"]) == "Medicines" and str(tags["TPE1"]) == "Riverside Rheumatology Clinic"


def test_build_without_arguments_builds_every_script_into_output(tmp_path, monkeypatch):
    (tmp_path / "scripts").mkdir()
    shutil.copy(FIXTURES / "no-headings.txt", tmp_path / "scripts")
    shutil.copy(FIXTURES / "book.txt", tmp_path / "scripts")
    monkeypatch.chdir(tmp_path)
    result = run("build", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [".audioguide-cache", "book", "no-headings"]
    assert (tmp_path / "output" / "book" / "01-chapter-i-the-first-visit.mp3").is_file()  # its byline is no chapter


def test_build_without_arguments_builds_a_word_file_alone_in_scripts(tmp_path, monkeypatch):
    # Every format a reader reads is a guide: a clinic's scripts folder may hold only Word files.
    (tmp_path / "scripts").mkdir()
    shutil.copy(FIXTURES / "documents" / "styled.docx", tmp_path / "scripts" / "infusion.docx")
    (tmp_path / "scripts" / "notes.odt").write_bytes(b"not a guide")
    monkeypatch.chdir(tmp_path)
    result = run("build", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [".audioguide-cache", "infusion"]
    assert "3 chapters" in result.output and "read by eSpeak NG gmw/en-us" in result.output


def test_an_empty_scripts_folder_names_the_formats_it_looks_for(tmp_path, monkeypatch):
    (tmp_path / "scripts").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: ./scripts holds no guide (.docx, .htm, .html, .markdown, .md, .mdown, .pdf, .text, .txt, .xhtml); "
        "add one or name a script to build"
    )


def test_build_is_quiet_when_piped_and_shows_progress_when_verbose(tmp_path):
    quiet = run("build", FIXTURES / "no-headings.txt", "-o", tmp_path, "--engine", "espeak")
    assert quiet.stderr == ""
    assert quiet.stdout.strip().startswith(str(tmp_path / "no-headings"))
    assert "Audio saved" not in quiet.stdout  # pyttsx3's own print never leaks (defect 5)
    verbose = run("build", FIXTURES / "leaflet.txt", "-o", tmp_path, "--verbose", "--engine", "espeak")
    lines = verbose.stderr.splitlines()
    assert next(line.split("]")[0] for line in lines).startswith("[1/4, about ")
    assert lines[-1].startswith("[4/4, about 0:00 left] Your Iron Infusion: ")
    assert sorted(line.split("] ", 1)[1] for line in lines) == [
        f"Your Iron Infusion: {title}"
        for title in sorted(["Introduction", "Before You Come In", "During the Infusion", "After You Go Home"])
    ]


def test_rebuild_with_fewer_chapters_removes_the_files_of_the_old_ones(tmp_path):
    script = tmp_path / "guide.txt"
    script.write_text((FIXTURES / "leaflet.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert run("build", script, "-o", tmp_path / "out", "--engine", "espeak").exit_code == 0
    script.write_text("Your Iron Infusion\n\nOnly one paragraph now.\n", encoding="utf-8")
    assert run("build", script, "-o", tmp_path / "out", "--engine", "espeak").exit_code == 0
    names = sorted(p.name for p in (tmp_path / "out" / "guide").iterdir())
    assert [n for n in names if n.startswith("0")] == [
        "01-your-iron-infusion.mp3",
        "01-your-iron-infusion.srt",
        "01-your-iron-infusion.vtt",
    ]
