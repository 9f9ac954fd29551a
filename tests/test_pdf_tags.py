"""PDFs as clinics get them: pages printed from a browser (tagged PDFs, read by their structure
tree), and a handout with no tags (read by its layout). Each is split at the headings its author
gave, with every word of its body and none of its page chrome, running lines or side tabs."""

import json
import re

import pdfplumber
import pytest

from audioguide.read import BlockKind, read_script
from audioguide.read.base import page_and_site

from .conftest import run
from .document_content import (
    HANDOUT_CHAPTERS,
    HANDOUT_HEADER,
    HANDOUT_SIDE_TAB,
    HANDOUT_WATERMARK,
    PRINTED_CHAPTERS,
    PRINTED_CHROME,
    PRINTED_LONG,
    PRINTED_PICTURE,
    PRINTED_SITE,
    PRINTED_TITLE,
    WRAPPED_CHAPTERS,
    WRAPPED_SITE,
    WRAPPED_TITLE,
    XMP_TITLE,
)
from .test_documents import DOCUMENTS, all_text, chapters_of, labelled_rows

PRINTED = DOCUMENTS / "printed-page.pdf"
WRAPPED = DOCUMENTS / "wrapped-heading.pdf"
HANDOUT = DOCUMENTS / "dry-eye-handout.pdf"


def raw_pages(path):
    """Every piece of text on each page, as a tool that ignores tags sees it: chrome and all."""
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() for page in pdf.pages], "StructTreeRoot" in pdf.doc.catalog


def printed_chapters():
    """The printed page's chapters as a reader must give them: sub-headings and the picture's
    description as lines of their chapter, numbered items with their numbers, bulleted ones
    without their bullets, table rows labelled by the header row."""
    chapters = []
    for title, parts in PRINTED_CHAPTERS:
        texts = []
        for kind, content in parts:
            if kind in ("p", "h3", "img"):
                texts.append(content)
            elif kind == "ol":
                texts += [f"{n}. {item}" for n, item in enumerate(content, start=1)]
            elif kind == "ul":
                texts += content
            else:
                texts += labelled_rows(content)
        chapters.append((title, texts))
    return chapters


def test_a_page_printed_by_chromium_is_read_by_its_tags_with_every_word_and_no_chrome():
    pages, tagged = raw_pages(PRINTED)
    on_pages = [" ".join(page.split()) for page in pages]
    # The fixture is what a user gets: a tagged PDF with the site's chrome and the browser's date,
    # title, address and page numbers printed in its margins, and a paragraph over a page break.
    assert tagged and len(pages) == 3
    assert "You are here" in on_pages[0] and "Privacy policy" in on_pages[-1]
    assert re.search(r"\d+/\d+/\d+, \d+:\d+ [AP]M", on_pages[0]) and "1/3" in on_pages[0] and "le:///" in on_pages[0]
    assert f"{PRINTED_TITLE} | {PRINTED_SITE}" in on_pages[0]
    assert "Tears are not only water." in on_pages[0] and PRINTED_LONG not in on_pages[0]
    assert "from the first drop to the last." in on_pages[1]

    guide, chapters = chapters_of(PRINTED)
    assert guide.title == PRINTED_TITLE  # the document's title, without the site's name after it
    # Exactly the page's h2s, each with every word of its body in order: the paragraph over the
    # page break is one paragraph, its ligatures ("film", "first") spelled out.
    assert chapters == printed_chapters()
    text = all_text(guide)
    for chrome in PRINTED_CHROME:
        assert chrome not in text
    assert not re.search(r"\d+/\d+|\b[AP]M\b", text)  # the browser's date and page numbers ("1/3")


def test_lists_tables_and_pictures_of_a_tagged_pdf_are_read_as_in_every_format():
    script = read_script(PRINTED)
    kinds = {block.text: block.kind for block in script.blocks}
    assert kinds["2. Pack your drops, your glasses and a soft cloth."] is BlockKind.ITEM
    assert kinds["Ask the nurse for a warm compress."] is BlockKind.ITEM  # its bullet is markup, not a word
    assert kinds["Drops: Lubricating gel; How often: At bedtime; Why: To protect the eye overnight"] is BlockKind.ITEM
    rows = json.loads(run("proof", PRINTED, "--json").stdout)
    flags = [flag for row in rows for flag in row["flags"]]
    # The picture is read as its description, and the proof says so; so is the chrome left out.
    pictured = [flag["text"] for flag in flags if "alt text" in flag["reason"]]
    assert len(pictured) == 1 and PRINTED_PICTURE.startswith(pictured[0].rstrip("…"))
    left_out = next(flag["reason"] for flag in flags if "page chrome" in flag["reason"])
    assert "Skip to content" in left_out and "Conditions" in left_out and "© 2026" in left_out


def test_a_heading_chromium_wraps_over_lines_is_one_chapter_and_broken_words_are_whole():
    pages, tagged = raw_pages(WRAPPED)
    lines = [line.strip() for page in pages for line in page.splitlines()]
    assert tagged
    # The fixture does wrap its headings, and breaks words at soft hyphens and at a hyphen of its own.
    for title, _ in WRAPPED_CHAPTERS:
        assert title not in lines and all(word in " ".join(lines) for word in title.split())
    assert any(line.endswith("Preservative-") for line in lines)
    assert any(re.search(r"inflam\W*$", line) for line in lines)
    assert WRAPPED_SITE in " ".join(lines)

    guide, chapters = chapters_of(WRAPPED)
    # The page names no title (Chromium writes its file name): the page's own h1 is the title, and
    # the site's name above it, a level-1 heading too, is not a chapter.
    assert guide.title == WRAPPED_TITLE
    assert chapters == [(title, [text for _, text in parts]) for title, parts in WRAPPED_CHAPTERS]
    assert WRAPPED_SITE not in all_text(guide)


def test_an_untagged_pdf_is_read_by_its_layout_without_running_lines_side_tabs_or_split_headings():
    pages, tagged = raw_pages(HANDOUT)
    assert not tagged
    with pdfplumber.open(HANDOUT) as pdf:
        turned = {c["text"] for page in pdf.pages for c in page.chars if abs(c["matrix"][1]) > 0.1}
    assert set(HANDOUT_SIDE_TAB.replace(" ", "")) | set(HANDOUT_WATERMARK) <= turned  # drawn on their sides
    lines = [line.strip() for page in pages for line in page.splitlines()]
    assert lines.count(HANDOUT_HEADER) == 2 and "Page 2 of 2" in lines
    broken = [line for line in lines if re.search(r"[a-z]-$", line)]
    assert broken, "the fixture has words hyphenated at line ends"
    assert HANDOUT_CHAPTERS[0][0] not in lines  # the first heading is wrapped over two lines

    guide, chapters = chapters_of(HANDOUT)
    # One heading for each wrapped one, and nothing of the header, footer, side tab or watermark.
    assert chapters == [(title, paragraphs) for title, paragraphs in HANDOUT_CHAPTERS]
    text = all_text(guide)
    for line in broken:
        assert line.split()[-1].rstrip("-") not in text.split()  # no half word is left
    # The PDF names no title (its maker wrote "untitled"): the file's name is the title, and the proof says so.
    assert guide.title == "Dry eye handout"
    rows = json.loads(run("proof", HANDOUT, "--json").stdout)
    assert any("title taken from the file name" in flag["reason"] for flag in rows[0]["flags"])


@pytest.mark.parametrize(
    ("title", "page", "site"),
    [
        ("Dry eye - NHS", "Dry eye", "NHS"),
        ("Flu Symptoms | CDC", "Flu Symptoms", "CDC"),
        ("Dry Eye – MedlinePlus", "Dry Eye", "MedlinePlus"),
        ("Dry Eye Disease: NIDDK", "Dry Eye Disease", "NIDDK"),
        (
            "Sjögren’s syndrome - Symptoms and causes - Mayo Clinic",
            "Sjögren’s syndrome - Symptoms and causes",
            "Mayo Clinic",
        ),
        # A tail that is no site's name is the title's own.
        ("Dry eyes: what to do at night", "Dry eyes: what to do at night", None),
        ("Dry eyes", "Dry eyes", None),
    ],
)
def test_a_site_name_after_a_page_title_is_told_from_the_title(title, page, site):
    assert page_and_site(title) == (page, site)


def test_a_title_given_only_in_xmp_metadata_is_the_guides_title():
    with pdfplumber.open(DOCUMENTS / "xmp-title.pdf") as pdf:
        assert pdf.metadata["Title"] == "untitled"  # what its maker writes when the author gives none
    script = read_script(DOCUMENTS / "xmp-title.pdf")
    assert script.title == XMP_TITLE and not script.notices
    assert [(block.text, block.doubt) for block in script.blocks] == [
        ("Put one drop in each eye four times a day.", "")
    ]


def damaged_copies(tmp_path):
    """The printed page cut short, with its cross-reference table overwritten, and as only a header."""
    data = PRINTED.read_bytes()
    noisy = bytearray(data)
    for at in range(len(data) - 3000, len(data), 13):
        noisy[at] = 0x5A
    copies = {"cut.pdf": data[: len(data) // 2], "noisy.pdf": bytes(noisy), "header.pdf": b"%PDF-1.7\n%%EOF\n"}
    for name, content in copies.items():
        (tmp_path / name).write_bytes(content)


@pytest.mark.parametrize("name", ["locked.pdf", "cut.pdf", "noisy.pdf", "header.pdf"])
def test_a_locked_or_damaged_pdf_is_refused_with_one_line(name, tmp_path):
    damaged_copies(tmp_path)
    result = run("chapters", DOCUMENTS / name if name == "locked.pdf" else tmp_path / name)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # nothing of what the parser logs as it gives up
    assert ("locked with a password" if name == "locked.pdf" else "damaged PDF") in lines[0]
