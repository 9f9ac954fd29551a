"""The large-print transcript: the whole guide, readable on a phone and printable."""

import html
import re

from audioguide.chapters import split_chapters
from audioguide.script import read_script

from .conftest import REFERENCE, run


def test_transcript_html_has_every_chapter_and_paragraph_in_order(reference_package):
    page = (reference_package / "transcript.html").read_text(encoding="utf-8")
    guide = split_chapters(read_script(REFERENCE))
    assert '<html lang="en-us">' in page and 'name="viewport"' in page
    assert "<h1>IV Therapy for Sjögren’s Syndrome: What to Expect</h1>" in page
    headings = re.findall(r"<h2 id=\"part-\d\">(.*?)</h2>", page)
    assert headings == [f"Part {c.number}: {c.title}" for c in guide.chapters]
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.split("</nav>")[1]))
    position = 0
    for chapter in guide.chapters:
        for block in chapter.blocks:
            found = " ".join(text.split()).find(block.text, position)
            assert found >= position, block.text[:40]
            position = found
    assert "http" not in page  # nothing fetched from anywhere


def test_transcript_is_large_print_and_high_contrast(reference_package):
    page = (reference_package / "transcript.html").read_text(encoding="utf-8")
    assert "html { font-size: 125%; }" in page
    assert "prefers-color-scheme: dark" in page and "@media print" in page
    assert "line-height: 1.7" in page


def test_transcript_text_has_every_paragraph(reference_package):
    text = (reference_package / "transcript.txt").read_text(encoding="utf-8")
    for chapter in split_chapters(read_script(REFERENCE)).chapters:
        assert f"Part {chapter.number}: {chapter.title}" in text
        assert all(block.text in text for block in chapter.blocks)


def test_titles_with_markup_are_escaped_in_the_transcript(tmp_path):
    script = tmp_path / "hostile.md"
    script.write_text(
        "# Care <script>alert(1)</script>\n\n## <img src=x onerror=alert(1)>\n\nRest & drink.\n", encoding="utf-8"
    )
    assert run("build", script, "-o", tmp_path / "out").exit_code == 0
    page = (tmp_path / "out" / "hostile" / "transcript.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "Rest &amp; drink." in page
