"""The large-print transcript: the whole guide, readable on a phone and printable."""

import html
import re

import pytest

from audioguide.read import read_script
from audioguide.read.chapters import split_chapters

from .conftest import REFERENCE, Visit, run

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow


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


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_transcript_is_large_print_and_high_contrast_in_a_browser(browser, reference_package, scheme):
    page = Visit(browser, (reference_package / "transcript.html").as_uri(), color_scheme=scheme)
    try:
        style = page.value(
            "(() => { const s = getComputedStyle(document.querySelector('main p') || document.querySelector('p'));"
            " const b = getComputedStyle(document.body);"
            " return [parseFloat(s.fontSize), parseFloat(s.lineHeight), s.color, b.backgroundColor]; })()"
        )
        font_px, line_px, colour, background = style
        assert font_px >= 20  # large print: at least 15 pt
        assert line_px >= 1.5 * font_px
        assert contrast(colour, background) >= 7  # WCAG AAA for body text
        assert page.value("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        page.close()


def test_transcript_text_has_every_paragraph(reference_package):
    text = (reference_package / "transcript.txt").read_text(encoding="utf-8")
    for chapter in split_chapters(read_script(REFERENCE)).chapters:
        assert f"Part {chapter.number}: {chapter.title}" in text
        assert all(block.text in text for block in chapter.blocks)


def test_titles_with_markup_are_escaped_in_the_transcript(tmp_path):
    script = tmp_path / "hostile.md"
    # Front matter is taken as it is written; in the text, HTML is markup and <script> is not HTML.
    script.write_text(
        "---\ntitle: Care <img src=x onerror=alert(1)>\n---\n## <script>alert(1)</script>\n\nRest & drink.\n",
        encoding="utf-8",
    )
    assert run("build", script, "-o", tmp_path / "out", "--engine", "espeak").exit_code == 0
    page = (tmp_path / "out" / "hostile" / "transcript.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "Rest &amp; drink." in page
