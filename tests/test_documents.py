"""Real clinic documents: Word (styled and typed by hand), a saved web page, PDF (text and scan),
a static site's Markdown and a plain-text book, each split where an editor would split it, with
no word of the body lost and nothing of the page chrome read."""

import json
import re
import zipfile

import pytest

from audioguide.read import READERS, read_script
from audioguide.read.chapters import split_chapters

from .conftest import FIXTURES, listen, run
from .document_content import CHAPTERS, CHROME, FOOTNOTE, TITLE

DOCUMENTS = FIXTURES / "documents"


def labelled_rows(rows):
    header, *body = rows
    return ["; ".join(f"{name}: {cell}" for name, cell in zip(header, row, strict=True)) for row in body]


def expected_chapters(tables, numbered_items=True):
    """Each chapter's block texts as a reader must give them: tables either labelled by their
    header ("Drug: Rituximab; …", from documents that mark tables) or as lines (from PDF)."""
    chapters = []
    for title, parts in CHAPTERS:
        texts = []
        for kind, content in parts:
            if kind == "p":
                texts.append(content)
            elif kind == "ol":
                texts += [f"{n}. {item}" if numbered_items else item for n, item in enumerate(content, start=1)]
            elif kind == "ul":
                texts += content
            else:
                texts += labelled_rows(content) if tables == "labelled" else [" ".join(row) for row in content]
        chapters.append((title, texts))
    return chapters


def chapters_of(path):
    guide = split_chapters(read_script(path))
    return guide, [(chapter.title, [block.text for block in chapter.blocks]) for chapter in guide.chapters]


def all_text(guide):
    return "\n".join([guide.title] + [c.title + "\n" + "\n".join(b.text for b in c.blocks) for c in guide.chapters])


@pytest.mark.parametrize("name", ["styled.docx", "typed.docx", "saved-page.html", "leaflet.pdf"])
def test_a_document_is_split_where_an_editor_would_with_every_word_and_no_chrome(name):
    guide, chapters = chapters_of(DOCUMENTS / name)
    assert guide.title == TITLE
    expected = expected_chapters("lines" if name.endswith(".pdf") else "labelled")
    if name == "styled.docx":
        # The footnote is read at the end of the chapter whose table refers to it.
        texts = expected[1][1]
        texts[texts.index("Drug: Methylprednisolone; Dose: 100 mg; Route: IV push")] = (
            "Drug: Methylprednisolone (see note 1); Dose: 100 mg; Route: IV push"
        )
        texts.append(f"Note 1: {FOOTNOTE}")
    assert chapters == expected
    for chrome in CHROME:
        assert chrome not in all_text(guide)


def test_word_headings_and_lists_come_from_styles_or_from_how_they_were_typed():
    styled = read_script(DOCUMENTS / "styled.docx")
    typed = read_script(DOCUMENTS / "typed.docx")
    assert not any(block.doubt for block in styled.blocks)
    # Bold lines typed without a heading style are headings, and the proof says they were guessed.
    guessed = [block.text for block in typed.blocks if "no heading style" in block.doubt]
    assert guessed == [title for title, _ in CHAPTERS]
    # A bullet typed by hand is markup; a typed number is a word the listener needs.
    items = [block.text for block in typed.blocks if block.kind.value == "item"]
    assert "Take Advil® for aches if your doctor agrees." in items and "2. Wear a loose shirt." in items
    # Bold words inside a sentence do not make it a heading.
    assert any(block.text.startswith("STOP the infusion") and block.kind.value == "paragraph" for block in typed.blocks)


def test_headers_footers_and_page_numbers_of_a_word_file_are_not_read():
    with zipfile.ZipFile(DOCUMENTS / "typed.docx") as docx:
        parts = " ".join(docx.read(name).decode() for name in docx.namelist() if "header" in name or "footer" in name)
    assert "Home Infusion Service" in parts and "PAGE" in parts  # the fixture does have them
    rows = json.loads(run("proof", DOCUMENTS / "typed.docx", "--json").stdout)
    spoken = " ".join(row["spoken"] for row in rows)
    assert "Home Infusion Service" not in spoken and "Patient Leaflet" not in spoken and "Page" not in spoken


def test_a_pdf_has_its_running_lines_dropped_its_hyphenated_words_joined_and_its_columns_in_order():
    from pdfminer.high_level import extract_text

    raw = extract_text(DOCUMENTS / "leaflet.pdf")
    assert raw.count("Home Infusion Service - Patient Leaflet") == 3 and "Page 2 of 3" in raw
    broken = [line for line in raw.splitlines() if re.search(r"[a-z]-$", line)]
    assert broken, "the fixture has a word hyphenated at a line end"
    guide, chapters = chapters_of(DOCUMENTS / "leaflet.pdf")
    text = all_text(guide)
    for line in broken:
        assert line.rstrip("-") not in text.split()  # no half word is left
    # Page 2 runs in two columns: the left one is read to its end before the right one starts.
    during = chapters[1][1]
    assert during[0].startswith("The infusion takes") and during[0].endswith("by mouth at home.")
    assert during[-1].startswith("STOP the infusion")
    assert "Page" not in text and "Patient Leaflet" not in text


def test_a_scanned_pdf_is_refused_with_one_line_saying_it_needs_ocr(tmp_path):
    for command in (["chapters", DOCUMENTS / "scanned.pdf"], ["build", DOCUMENTS / "scanned.pdf", "-o", tmp_path]):
        result = run(*command)
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "PDF without text" in lines[0] and "OCR" in lines[0]
    assert not any(tmp_path.iterdir())


def test_a_document_is_recognised_by_what_it_holds_not_its_name(tmp_path):
    misnamed = tmp_path / "leaflet.txt"
    misnamed.write_bytes((DOCUMENTS / "leaflet.pdf").read_bytes())
    assert read_script(misnamed).title == TITLE
    assert {reader.name for reader in READERS} == {
        "plain text",
        "Markdown",
        "web page",
        "Word document",
        "PDF document",
    }


def test_a_saved_web_page_reads_only_its_main_content_in_its_declared_charset():
    page = (DOCUMENTS / "saved-page.html").read_bytes()
    assert b'charset="windows-1252"' in page and "Advil®".encode("cp1252") in page
    script = read_script(DOCUMENTS / "saved-page.html")
    assert script.meta.language == "en-US"
    assert any(block.text == "Take Advil® for aches if your doctor agrees." for block in script.blocks)
    # What was left out inside the content is said in the proof.
    assert "social-share" in script.blocks[0].doubt


def test_a_page_declared_latin_1_is_read_as_browsers_read_it(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(
        b'<html><head><meta charset="iso-8859-1"></head><body><h1>Eye Care</h1><h2>Drops</h2>'
        b"<p>Don\x92t rub your eyes, Sj\xf6gren\x92s or not.</p></body></html>"
    )
    script = read_script(page)
    assert script.title == "Eye Care"
    assert script.blocks[-1].text == "Don’t rub your eyes, Sjögren’s or not."


def test_a_web_page_without_main_keeps_its_article_and_drops_its_menus(tmp_path):
    page = tmp_path / "page.htm"
    page.write_text(
        "<html><head><title>Dry Eyes | Clinic</title></head><body>"
        "<div id='menu'><a href='/'>Home</a> <a href='/a'>About</a></div>"
        "<div class='content'><h2>Drops</h2><p>Use drops four times a day.<br>Keep them cold.</p>"
        "<img src='x.png' alt='A chart of the drop schedule'>"
        "<aside class='related'><h3>More</h3><a href='/x'>Lupus</a> <a href='/y'>Arthritis</a></aside></div>"
        "<footer><a href='/p'>Privacy</a> <a href='/t'>Terms</a></footer></body></html>",
        encoding="utf-8",
    )
    script = read_script(page)
    assert script.title == "Dry Eyes"
    assert [block.text for block in script.blocks] == ["Drops", "Use drops four times a day. Keep them cold."]
    assert "A chart of the drop schedule" in script.blocks[-1].doubt  # a picture is not read, and proof says so


def test_markdown_of_a_static_site_warns_about_its_keys_and_leaves_out_its_menus(tmp_path):
    path = DOCUMENTS / "static-site.md"
    result = run("chapters", path, "--json")
    assert result.exit_code == 0
    warning = result.stderr.strip().splitlines()
    assert len(warning) == 1
    assert "layout, date, url, tags, 'voise' (did you mean 'voice'?) ignored" in warning[0]
    rows = json.loads(result.stdout)
    assert [row["title"] for row in rows] == ["Introduction", "Rinses", "When to Call"]
    guide = split_chapters(read_script(path))
    text = all_text(guide)
    for menu in ("Home", "Guides", "Contact us", "Privacy", "Cookies", "Accessibility", "© 2026"):
        assert menu not in text
    assert guide.chapters[0].blocks[0].text == (
        "Dry mouth is common with Sjögren’s syndrome. Sip water often and keep your lips moist. Sugar-free gum helps too."
    )
    assert "site menus" in guide.chapters[0].blocks[0].doubt
    # HTML inside Markdown is read as what it means: a table by its rows, entities as their signs.
    assert [b.text for b in guide.chapters[1].blocks][1:] == [
        "Rinse: Salt water; How often: After meals",
        "Rinse: Fluoride, 0.05%; How often: At bedtime",
    ]
    assert "38°C. Biotène® gel can soothe the soreness & the dryness." in guide.chapters[2].blocks[0].text
    spoken = json.loads(run("proof", path, "--json").stdout)[2]["spoken"]
    assert "thirty-eight degrees Celsius" in spoken and "soreness and the dryness" in spoken
    assert not re.search(
        r"\b(?:deg|reg|amp|td|tr|br)\b", " ".join(r["spoken"] for r in json.loads(run("proof", path, "--json").stdout))
    )


def test_html_tags_inside_markdown_paragraphs_are_never_read_as_words(tmp_path):
    doc = tmp_path / "guide.md"
    doc.write_text(
        "# Guide\n\n## Part\n\nLine one<br>line two, <b>bold</b> and <span class='x'>kept</span> &amp; "
        "a <patient name> placeholder.\n",
        encoding="utf-8",
    )
    block = read_script(doc).blocks[-1]
    assert block.text == "Line one, line two, bold and kept & a <patient name> placeholder."


def test_a_plain_text_book_skips_its_contents_list_and_its_picture_lines_for_the_title():
    guide, chapters = chapters_of(DOCUMENTS / "book-with-contents.txt")
    assert guide.title == "The Patient's Companion"
    assert [title for title, _ in chapters] == [
        "Introduction",
        "CHAPTER I. The First Visit",
        "CHAPTER II. Coming Back",
        "CHAPTER III. What the Tests Mean",
    ]
    introduction = chapters[0][1]
    assert introduction[0] == "[Illustration: The clinic's front door]"
    assert introduction[-3:] == [
        "CHAPTER I. The First Visit",
        "CHAPTER II. Coming Back",
        "CHAPTER III. What the Tests Mean",
    ]
    assert chapters[1][1] == [
        "The first visit to the clinic is often the hardest one. You will meet the team and answer many questions."
    ]


def test_unknown_front_matter_keys_are_a_warning_in_build_too(tmp_path):
    doc = tmp_path / "guide.md"
    doc.write_text("---\nlayout: page\nvoise: en-gb\n---\n# Guide\n\nRest well.\n", encoding="utf-8")
    result = run("proof", doc)
    assert result.exit_code == 0
    assert "front matter layout, 'voise' (did you mean 'voice'?) ignored" in result.stderr


def test_a_zip_bomb_dressed_as_a_word_file_is_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("word/document.xml", "<a/>")
        docx.writestr("word/media/huge.bin", b"\0" * (300 * 1024 * 1024))
    result = run("chapters", bomb)
    assert result.exit_code == 2 and "far beyond any leaflet" in result.stderr


def test_proof_flags_what_each_format_could_not_read_with_confidence():
    typed = json.loads(run("proof", DOCUMENTS / "typed.docx", "--json").stdout)
    assert all(any("no heading style" in flag["reason"] for flag in row["flags"]) for row in typed)
    pdf = json.loads(run("proof", DOCUMENTS / "leaflet.pdf", "--json").stdout)
    assert all(any("type size and weight" in flag["reason"] for flag in row["flags"]) for row in pdf)
    page = json.loads(run("proof", DOCUMENTS / "saved-page.html", "--json").stdout)
    assert any("page chrome" in flag["reason"] for flag in page[0]["flags"])
    styled = json.loads(run("proof", DOCUMENTS / "styled.docx", "--json").stdout)
    assert not any("heading" in flag["reason"] for row in styled for flag in row["flags"])


@pytest.mark.slow
def test_a_word_document_builds_into_a_package_that_speaks_each_chapter(tmp_path):
    result = run("build", DOCUMENTS / "typed.docx", "-o", tmp_path, "--engine", "espeak")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "typed").glob("0*.mp3"))
    assert [f.name for f in files] == [
        "01-before-your-infusion.mp3",
        "02-during-the-infusion.mp3",
        "03-after-you-go-home.mp3",
    ]
    for file in files:
        heard = listen(file, tmp_path)
        assert heard.seconds > 10 and heard.speech_seconds > 0.6 * heard.seconds
