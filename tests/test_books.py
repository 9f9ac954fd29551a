"""The talking books of built packages: the EPUB every package has and the DAISY book of ``--daisy``,
validated by the standard tools and opened as a reader's app and a talking-book player would."""

import itertools
import json
import shutil
import zipfile

import pytest

from audioguide.build.audio import duration

from .conftest import FIXTURES, parse_vtt, run
from .talking_books import OpenedEpub, ace, check_daisy, element_text, epubcheck

#: Every test here renders audio or runs a validator.
pytestmark = pytest.mark.slow


def epub_of(package):
    return package / f"{package.name}.epub"


def test_the_reference_guides_epub_is_valid_and_accessible(reference_package, tmp_path):
    # EPUBCheck and DAISY Ace, the standard validators, for each engine's package.
    book = epub_of(reference_package)
    assert [m for m in epubcheck(book) if m.severity in ("FATAL", "ERROR")] == []
    assert [v for v in ace(book, tmp_path / "ace") if v.impact in ("serious", "critical")] == []


def test_every_sentence_is_highlighted_once_in_reading_order_while_it_is_heard(reference_package):
    book = OpenedEpub(epub_of(reference_package))
    manifest = json.loads((reference_package / "manifest.json").read_text(encoding="utf-8"))
    pages = book.pages()
    assert len(pages) == len(manifest["chapters"])  # the spoken contents is audio only
    for (href, page), item, chapter in zip(pages, book.spine, manifest["chapters"], strict=True):
        pars = book.overlay(item)
        ids = [element.get("id") for element in page.iter() if element.get("id")]
        # In the page's order, each once: the announcement's clip points at the chapter heading.
        assert [p.fragment for p in pars] == [i for i in ids if i in {p.fragment for p in pars}]
        assert len({p.fragment for p in pars}) == len(pars)
        assert element_text(page.find(f".//*[@id='{pars[0].fragment}']")) == chapter["title"]
        # Clips in order, within the chapter's real audio, and each caption cue heard inside one of them.
        heard = book.audio_seconds(pars[0].audio)
        assert abs(heard - chapter["duration_seconds"]) < 0.1
        assert all(a.end <= b.begin + 0.001 for a, b in itertools.pairwise(pars))
        assert pars[-1].end <= heard + 0.01
        cues = parse_vtt((reference_package / chapter["captions"]["vtt"]).read_text(encoding="utf-8"))
        for start, end, text in cues:
            assert any(p.begin - 0.002 <= start and end <= p.end + 0.002 for p in pars), (href, text)
    # Every sentence of the page text is in the book: the transcript's words, all of them, in order.
    text = " ".join(element_text(page.find(".//{*}body")) for _, page in pages)
    transcript = (reference_package / "transcript.txt").read_text(encoding="utf-8")
    for paragraph in transcript.split("\n\n")[3:]:
        if paragraph.strip() and not paragraph.startswith("Part "):
            assert " ".join(paragraph.split()) in text


def test_the_books_navigation_lists_every_chapter_in_playing_order(reference_package):
    book = OpenedEpub(epub_of(reference_package))
    nav_item = next(item for item in book.items.values() if "nav" in (item.get("properties") or "").split())
    nav = book.xml(book.path_of(nav_item.get("href")))
    toc = nav.find(".//{*}nav[@id='toc']")
    titles = [element_text(link) for link in toc.iterfind(".//{*}a")]
    manifest = json.loads((reference_package / "manifest.json").read_text(encoding="utf-8"))
    assert titles[: len(manifest["chapters"])] == [c["title"] for c in manifest["chapters"]]
    assert book.metadata("media:duration")[0] and book.metadata("media:active-class") == ["-epub-media-overlay-active"]


@pytest.fixture(scope="module")
def word_guide_package(tmp_path_factory):
    """A Word guide with a table and a footnote, built with its DAISY book."""
    out = tmp_path_factory.mktemp("word")
    result = run("build", FIXTURES / "documents" / "styled.docx", "-o", out, "--daisy", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    return out / "styled"


def test_a_word_guide_with_a_table_and_a_footnote_makes_valid_books(word_guide_package, tmp_path):
    book = epub_of(word_guide_package)
    assert [m for m in epubcheck(book) if m.severity in ("FATAL", "ERROR")] == []
    assert [v for v in ace(book, tmp_path / "ace") if v.impact in ("serious", "critical")] == []
    assert check_daisy(word_guide_package / "daisy") == []
    opened = OpenedEpub(book)
    pages = [page for _, page in opened.pages()]
    tables = [table for page in pages for table in page.iterfind(".//{*}table")]
    assert tables, "the guide's table is a table in the book"
    headers = [element_text(th) for th in tables[0].iterfind(".//{*}th")]
    assert headers == ["Drug", "Dose", "Route"]
    assert any("Note 1:" in element_text(page.find(".//{*}body")) for page in pages)


def test_the_daisy_book_plays_the_package_audio_and_readme_says_how_to_copy_it(word_guide_package):
    daisy = word_guide_package / "daisy"
    manifest = json.loads((word_guide_package / "manifest.json").read_text(encoding="utf-8"))
    parts = sorted(daisy.glob("part*.mp3"))
    assert [round(duration(p), 2) for p in parts] == [round(c["duration_seconds"], 2) for c in manifest["chapters"]]
    assert "daisy" in manifest["files"] and f"{word_guide_package.name}.epub" in manifest["files"]
    readme = (word_guide_package / "README.txt").read_text(encoding="utf-8")
    assert "$VRDTB" in readme and "Thorium Reader" in readme and "styled.epub" in readme
    player = (word_guide_package / "index.html").read_text(encoding="utf-8")
    assert 'href="styled.epub"' in player


def test_the_zip_holds_both_books(word_guide_package):
    result = run("bundle", word_guide_package)
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(word_guide_package.parent / "styled.zip").namelist()
    assert "styled/styled.epub" in names and "styled/daisy/ncc.html" in names and "styled/daisy/part01.mp3" in names


def test_a_rebuild_rewrites_a_book_only_when_it_changed_and_leaves_out_what_is_no_longer_asked(tmp_path):
    script = tmp_path / "care-plan.md"
    shutil.copy(FIXTURES / "care-plan.md", script)
    out = tmp_path / "out"

    def build(*args):
        result = run("build", script, "-o", out, "--engine", "espeak", "--daisy", *args)
        assert result.exit_code == 0, result.output
        return result.output

    build()
    folder = out / "care-plan"
    book, ncc = folder / "care-plan.epub", folder / "daisy" / "ncc.html"
    stamps = (book.stat().st_mtime_ns, ncc.stat().st_mtime_ns)
    assert "nothing changed, nothing rendered" in build()
    assert (book.stat().st_mtime_ns, ncc.stat().st_mtime_ns) == stamps
    text = script.read_text(encoding="utf-8")
    script.write_text(
        text.replace("Use a thicker gel before you sleep.", "Use a thick gel before you sleep."), encoding="utf-8"
    )
    assert "1 rendered" in build()
    assert book.stat().st_mtime_ns != stamps[0] and ncc.stat().st_mtime_ns != stamps[1]
    assert OpenedEpub(book).metadata("dcterms:modified")
    run("build", script, "-o", out, "--engine", "espeak", "--no-epub")
    assert not book.exists() and not (folder / "daisy").exists()
    assert "care-plan.epub" not in (folder / "index.html").read_text(encoding="utf-8")
