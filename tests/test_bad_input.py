"""Input that is not what we expect: one clear line, the right exit code, nothing written."""

import io
import json
import os
import zipfile

import pytest

from audioguide.read import read_script
from audioguide.read.chapters import split_chapters

from .conftest import run

GUIDE = "Your Infusion\n\nCafé visits are fine. Don’t drive afterwards.\n\nAfter Care\n\nRest well.\n"
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        docx.writestr("word/document.xml", "<w:document><w:body><w:p>Your Infusion</w:p></w:body></w:document>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("guide.txt", GUIDE)
    return buffer.getvalue()


def one_line_error(result, code=2):
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("guide.pdf", MINIMAL_PDF, "a PDF without text (a scan or a picture of the pages); run OCR on it first"),
        ("guide.docx", docx_bytes(), "this Word document could not be read (unbound prefix"),
        ("guide.txt", docx_bytes(), "this Word document could not be read"),
        (
            "guide.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200),
            'looks like an old Word (.doc) document; open it in Word and save it as "Word Document (.docx)"',
        ),
        ("archive.zip", zip_bytes(), "looks like a zipped file that is not a Word document"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "looks like a JPEG image"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "looks like a PNG image"),
        ("data.bin", b"abc\x00\x01\x02def" * 10, "looks like a binary file"),
        ("empty.txt", b"", "the script has no text"),
        ("blank.txt", b"  \n\t\n   \r\n", "the script has no text"),
        ("bom-only.txt", b"\xef\xbb\xbf", "the script has no text"),
    ],
)
def test_files_that_are_not_scripts(tmp_path, name, content, message):
    script = tmp_path / name
    script.write_bytes(content)
    for command in (["chapters", script], ["build", script, "-o", tmp_path / "out"]):
        line = one_line_error(run(*command))
        assert message in line and str(script) in line
    assert not (tmp_path / "out").exists() or not any(
        p.name != ".audioguide.lock" for p in (tmp_path / "out").iterdir()
    )


def test_missing_paths_and_folders(tmp_path):
    line = one_line_error(run("chapters", tmp_path / "nope.txt"))
    assert "no such file; check the name" in line
    line = one_line_error(run("build", tmp_path, "-o", tmp_path / "out", "--engine", "espeak"))
    assert "is a folder; give a script file inside it" in line


def test_an_unreadable_file(tmp_path, monkeypatch):
    script = tmp_path / "locked.txt"
    script.write_text(GUIDE, encoding="utf-8")
    if os.geteuid() == 0:  # root reads files whatever their mode: make the read fail as it would
        from pathlib import Path

        def refuse(self):
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "read_bytes", refuse)
    else:
        script.chmod(0)
    line = one_line_error(run("chapters", script))
    assert "cannot read the file (Permission denied); check its permissions" in line


@pytest.mark.parametrize(
    "encoded",
    [
        GUIDE.encode("utf-8-sig"),
        GUIDE.encode("utf-16"),  # with its BOM
        GUIDE.encode("utf-16-be").join([b"\xfe\xff", b""]),
        GUIDE.encode("cp1252"),
        GUIDE.replace("\n", "\r\n").encode("utf-8"),
        GUIDE.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf-8 BOM", "utf-16 LE BOM", "utf-16 BE BOM", "cp1252", "CRLF", "CR"],
)
def test_encodings_and_line_ends_read_the_same(tmp_path, encoded):
    script = tmp_path / "guide.txt"
    script.write_bytes(encoded)
    rows = json.loads(run("chapters", script, "--json").stdout)
    assert [r["title"] for r in rows] == ["Introduction", "After Care"]
    guide = split_chapters(read_script(script))
    assert guide.title == "Your Infusion"
    assert guide.chapters[0].blocks[0].text == "Café visits are fine. Don’t drive afterwards."


def test_a_wrong_encoding_option_is_one_line(tmp_path):
    script = tmp_path / "guide.txt"
    script.write_bytes(GUIDE.encode("utf-16"))
    assert "not valid ascii at byte 0; try another --encoding" in one_line_error(
        run("chapters", script, "--encoding", "ascii")
    )
    assert "unknown encoding" in one_line_error(run("chapters", script, "--encoding", "klingon-8"))


def test_control_characters_and_emoji(tmp_path):
    script = tmp_path / "guide.txt"
    script.write_text("Your Infusion\n\nRest\x07 well\x00 today 💊🙂. Drink water\u200b.\n", encoding="utf-8")
    result = json.loads(run("proof", script, "--json").stdout)
    spoken = result[0]["spoken"].splitlines()[-2:]
    assert spoken == ["Rest well today.", "Drink water."]
    assert read_script(script).blocks[0].text == "Rest well today 💊🙂. Drink water."


@pytest.mark.slow
def test_headings_without_body_text_and_duplicate_titles(tmp_path):
    script = tmp_path / "guide.md"
    script.write_text(
        "# Guide\n\n## Notes\n\n## Notes\n\nFirst notes.\n\n## Notes\n\nSecond notes.\n\n## Empty\n", encoding="utf-8"
    )
    rows = json.loads(run("chapters", script, "--json").stdout)
    # No chapter is empty: a heading right under another is its first line, and one at the end the last line
    # of the chapter before; two chapters of one title still get files of their own.
    assert [(r["title"], r["words"], r["file_slug"]) for r in rows] == [("Notes", 3, "notes"), ("Notes", 3, "notes-2")]
    result = run("build", script, "-o", tmp_path / "out", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out" / "guide").glob("0*.mp3"))
    assert names == ["01-notes.mp3", "02-notes-2.mp3"]


@pytest.mark.slow
def test_a_30000_character_paragraph_without_a_full_stop(tmp_path):
    vocabulary = ["rest", "drink", "water", "slowly", "nurse", "chair", "blanket", "quiet", "and"]
    words = [vocabulary[n % len(vocabulary)] for n in range(5100)]
    paragraph = " ".join(words)
    assert len(paragraph) > 30000
    script = tmp_path / "long.txt"
    script.write_text(f"Long Guide\n\n{paragraph}\n", encoding="utf-8")
    result = run("build", script, "-o", tmp_path / "out", "--engine", "espeak", "--no-epub")
    assert result.exit_code == 0, result.output
    from .conftest import parse_vtt

    cues = parse_vtt((tmp_path / "out" / "long" / "01-long-guide.vtt").read_text(encoding="utf-8"))
    assert " ".join(t for _, _, t in cues).split()[-5100:] == words
    assert all(len(line) <= 48 for _, _, t in cues for line in t.splitlines())


def test_500_chapters_are_numbered_so_they_sort_in_order(tmp_path):
    script = tmp_path / "many.md"
    script.write_text(
        "# Many\n\n" + "".join(f"## Step {n}\n\nDo step {n}.\n\n" for n in range(1, 501)), encoding="utf-8"
    )
    rows = json.loads(run("chapters", script, "--json").stdout)
    assert len(rows) == 500 and rows[-1]["title"] == "Step 500"
    from audioguide.build.plan import track_number

    guide = split_chapters(read_script(script))
    names = [f"{track_number(c.number, guide)}-{c.slug}" for c in guide.chapters]
    assert names[0] == "001-step-1" and names[-1] == "500-step-500"
    assert sorted(names) == names


@pytest.mark.slow
def test_file_names_from_hostile_titles_stay_inside_the_output(tmp_path):
    script = tmp_path / "con.md"
    script.write_text(
        "# Title\n\n## ../../etc/passwd\n\nA.\n\n## C:\\Windows\\System32\n\nB.\n\n## NUL\n\nC.\n\n"
        "## " + "Very long title " * 20 + "\n\nD.\n\n## 🙂🙂\n\nE.\n",
        encoding="utf-8",
    )
    result = run("build", script, "-o", tmp_path / "out", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "con-guide"  # CON is a reserved name on Windows
    names = sorted(p.name for p in folder.glob("0*.mp3"))
    assert names == [
        "01-etc-passwd.mp3",
        "02-c-windows-system32.mp3",
        "03-nul.mp3",
        "04-very-long-title-very-long-title-very.mp3",
        "05-chapter.mp3",
    ]
    outside = {p for p in tmp_path.rglob("*") if tmp_path / "out" not in p.parents and p != tmp_path / "out"}
    assert outside == {script}


def test_a_title_with_a_line_break_cannot_inject_a_playlist_entry():
    from audioguide.outputs.playlist import Entry, m3u8

    text = m3u8("Guide\n#EXTINF:1,evil", [Entry("01-a.mp3", 12.4, "Part\r\nevil.mp3\n#EXTINF:2,x")])
    assert text.splitlines() == [
        "#EXTM3U",
        "#PLAYLIST:Guide #EXTINF:1,evil",
        "#EXTINF:12,Part evil.mp3 #EXTINF:2,x",
        "01-a.mp3",
    ]


def test_two_scripts_that_would_share_a_package_folder(tmp_path):
    (tmp_path / "guide.txt").write_text(GUIDE, encoding="utf-8")
    (tmp_path / "guide.md").write_text("# Guide\n\nText.\n", encoding="utf-8")
    line = one_line_error(
        run("build", tmp_path / "guide.txt", tmp_path / "guide.md", "-o", tmp_path / "out", "--engine", "espeak")
    )
    assert "would both build into" in line and "rename one of them" in line
    assert not (tmp_path / "out").exists()
