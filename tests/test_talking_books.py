"""The talking books: an EPUB 3 with media overlays and a DAISY 2.02 book, checked by the standard
validators (EPUBCheck, DAISY Ace) and opened as a reading system and a DAISY player open them."""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import imageio_ffmpeg
import pytest
from lxml import etree

from audioguide.errors import InputError
from audioguide.outputs.book import Book, reading_order
from audioguide.outputs.daisy import write_daisy
from audioguide.outputs.epub import ACTIVE_CLASS, PLAYING_CLASS, write_epub

from .talking_books import (
    ENGLISH_WORDS,
    NS,
    ChapterPlan,
    OpenedEpub,
    ace,
    check_daisy,
    clock_seconds,
    element_text,
    english_book,
    epubcheck,
    make_book,
    spanish_book,
)

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "epub-chapter.png"
#: Set to write SCREENSHOT from the screenshot test (the picture the README shows).
WRITE_SCREENSHOT = "AUDIOGUIDE_WRITE_SCREENSHOT"
EPUBS = ["english", "spanish", "m4a"]
DAISIES = ["english", "spanish"]
#: The five entities XML itself defines; any other named entity is fatal to EPUBCheck.
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Book]:
    """The English guide (three chapters, sub-headings, both kinds of list, a table), the Spanish one, and
    the English one with M4A audio."""
    folder = tmp_path_factory.mktemp("books")
    return {
        "english": english_book(folder / "english"),
        "spanish": spanish_book(folder / "spanish"),
        "m4a": english_book(folder / "m4a", suffix=".m4a"),
    }


@pytest.fixture(scope="module")
def epubs(books, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("epubs")
    for name, book in books.items():
        write_epub(book, folder / f"{name}.epub")
    return {name: folder / f"{name}.epub" for name in books}


@pytest.fixture(scope="module")
def daisies(books, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("daisy")
    for name in DAISIES:
        written = write_daisy(books[name], folder / name)
        assert written[:2] == ["ncc.html", "content.html"]
        assert sorted(written) == sorted(path.name for path in (folder / name).iterdir())
    return {name: folder / name for name in DAISIES}


# -- the standard validators -----------------------------------------------------------------------


# The English books that packages hold are validated by tests/test_books.py: the books here are those
# only these tests make (Spanish, and AAC audio).
@pytest.mark.slow
@pytest.mark.parametrize("name", ["spanish", "m4a"])
def test_epubcheck_reports_no_error_and_no_warning(epubs, name):
    assert epubcheck(epubs[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["spanish"])
def test_ace_finds_no_serious_or_critical_violation(epubs, name, tmp_path):
    violations = ace(epubs[name], tmp_path / "ace")
    assert [v for v in violations if v.impact in ("serious", "critical")] == []
    for violation in violations:  # none today: say so if some appear
        warnings.warn(
            f"Ace, {violation.impact}: {violation.rule} in {violation.where}: {violation.description}", stacklevel=1
        )


# -- the EPUB as a reading system opens it ---------------------------------------------------------


@pytest.mark.parametrize("name", EPUBS)
def test_every_sentence_is_inside_exactly_one_synchronised_element(books, epubs, name):
    book, epub = books[name], OpenedEpub(epubs[name])
    pages = dict(epub.pages())
    clips = {clip.id: clip for chapter in book.chapters for clip in reading_order(chapter)}
    rows = {block.clips[0].id: block for chapter in book.chapters for block in chapter.blocks if block.kind == "row"}
    for (href, page), chapter in zip(pages.items(), book.chapters, strict=True):
        synchronised = {element.get("id"): element for element in page.iter() if element.get("id") in clips}
        assert list(synchronised) == [clip.id for clip in reading_order(chapter)], href
        for clip_id, element in synchronised.items():
            if clip_id in rows:
                assert [element_text(cell) for cell in element] == [cell for _, cell in rows[clip_id].cells]
            else:
                assert element_text(element) == clips[clip_id].text
            assert not any(inner.get("id") in clips for inner in element.iterdescendants())
        # Page text outside every synchronised element: only list numbers and table headers, which are read
        # with their item or row.
        section = page.find(".//x:section", NS)
        for element in section.iter():
            inside = any(node.get("id") in clips for node in element.iterancestors()) or element.get("id") in clips
            if (element.text or "").strip() and not inside:
                assert element.get("class") == "number" or etree.QName(element).localname == "th", element_text(element)
            parent = element.getparent()
            parent_inside = any(node.get("id") in clips for node in parent.iterancestors()) or parent.get("id") in clips
            assert not (element.tail or "").strip() or parent_inside, element.tail
    ids = [element.get("id") for _, page in pages.items() for element in page.iter() if element.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", EPUBS)
def test_overlays_play_every_sentence_in_reading_order_within_its_audio(books, epubs, name):
    book, epub = books[name], OpenedEpub(epubs[name])
    total = 0.0
    for page_item, chapter in zip(epub.spine, book.chapters, strict=True):
        pars = epub.overlay(page_item)
        page_path = epub.path_of(page_item.get("href"))
        page = epub.xml(page_path)
        document_order = [element.get("id") for element in page.iter() if element.get("id")]
        assert [par.fragment for par in pars] == [clip.id for clip in reading_order(chapter)]
        assert [par.fragment for par in pars] == [i for i in document_order if i in {p.fragment for p in pars}]
        assert etree.QName(page.xpath("//*[@id=$id]", id=pars[0].fragment)[0]).localname == "h1"
        assert {par.document for par in pars} == {page_path}
        assert len({par.audio for par in pars}) == 1
        seconds = epub.audio_seconds(pars[0].audio)
        assert pars[0].begin == 0
        assert pars[-1].end == pytest.approx(chapter.seconds, abs=0.0005)
        assert pars[-1].end <= seconds + 0.0005
        for par, following in itertools.pairwise(pars):
            assert par.begin < par.end == following.begin  # no gap cuts a pause, no overlap
        for par, clip in zip(pars, reading_order(chapter), strict=True):
            assert par.begin <= clip.begin and clip.end <= par.end + 0.0005  # each sentence heard inside its own
        played = sum(par.end - par.begin for par in pars)
        overlay_id = page_item.get("media-overlay")
        assert clock_seconds(epub.metadata("media:duration", f"#{overlay_id}")[0]) == pytest.approx(played, abs=0.001)
        total += played
    assert clock_seconds(epub.metadata("media:duration")[0]) == pytest.approx(total, abs=0.001)


@pytest.mark.parametrize("name", EPUBS)
def test_navigation_lists_every_chapter_in_playing_order(books, epubs, name):
    book, epub = books[name], OpenedEpub(epubs[name])
    nav_item = next(item for item in epub.items.values() if "nav" in (item.get("properties") or "").split())
    assert nav_item not in epub.spine
    nav = epub.xml(epub.path_of(nav_item.get("href")))
    toc = next(n for n in nav.iterfind(".//x:nav", NS) if n.get(f"{{{NS['epub']}}}type") == "toc")
    chapters = toc.findall("x:ol/x:li/x:a", NS)
    assert [a.get("href") for a in chapters] == [item.get("href") for item in epub.spine]
    assert [a.text for a in chapters] == [chapter.title for chapter in book.chapters]
    pages = dict(epub.pages())
    for link in toc.iterfind(".//x:a", NS):
        href, _, fragment = link.get("href").partition("#")
        assert href in pages and (not fragment or pages[href].xpath("//*[@id=$id]", id=fragment)), link.get("href")
    landmarks = next(n for n in nav.iterfind(".//x:nav", NS) if n.get(f"{{{NS['epub']}}}type") == "landmarks")
    assert [a.get("href") for a in landmarks.iterfind(".//x:a", NS)] == [epub.spine[0].get("href")]
    if name == "english":
        nested = [a.text for a in toc.findall("x:ol/x:li", NS)[1].find("x:ol", NS).iterfind(".//x:a", NS)]
        assert nested == ["Before the drip starts", "Medicines and doses", "During the drip"]


@pytest.mark.parametrize("name", EPUBS)
def test_every_document_says_its_language_and_holds_no_named_entity(books, epubs, name):
    book = books[name]
    with zipfile.ZipFile(epubs[name]) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
        assert archive.read("mimetype") == b"application/epub+zip"
        for entry in archive.infolist():
            if not entry.filename.endswith((".xhtml", ".opf", ".smil")):
                continue
            raw = archive.read(entry).decode("utf-8")
            entities = set(re.findall(r"&([A-Za-z][A-Za-z0-9]*);", raw)) - XML_ENTITIES
            assert not entities, f"{entry.filename}: &{'; &'.join(entities)};"
            root = etree.fromstring(raw.encode("utf-8"))
            if entry.filename.endswith(".xhtml"):
                assert root.get("lang") == root.get("{http://www.w3.org/XML/1998/namespace}lang") == book.language
            elif entry.filename.endswith(".opf"):
                assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == book.language


def test_accessibility_metadata_and_the_highlight_the_overlays_name(books, epubs):
    epub = OpenedEpub(epubs["english"])
    assert epub.metadata("schema:accessMode") == ["textual", "auditory"]
    assert epub.metadata("schema:accessModeSufficient") == ["textual", "auditory"]
    assert {"synchronizedAudioText", "structuralNavigation", "tableOfContents"} <= set(
        epub.metadata("schema:accessibilityFeature")
    )
    assert epub.metadata("schema:accessibilityHazard") == ["none"]
    assert epub.metadata("schema:accessibilitySummary") == [books["english"].words["accessibility_summary"]]
    assert epub.metadata("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert epub.metadata("a11y:certifiedBy", "#conformance") == [books["english"].certified_by]
    assert epub.metadata("media:narrator") == ["eSpeak NG (en-us)"]
    # EPUBCheck does not notice an active class without a rule: the stylesheet must have one.
    assert epub.metadata("media:active-class") == [ACTIVE_CLASS]
    assert epub.metadata("media:playback-active-class") == [PLAYING_CLASS]
    style = epub.zip.read("EPUB/style.css").decode("utf-8")
    assert f".{ACTIVE_CLASS} {{" in style and f".{PLAYING_CLASS} .{ACTIVE_CLASS}" in style
    assert "prefers-color-scheme: dark" in style
    assert not re.search(r"\d(px|pt)\b", style) and "!important" not in style
    # A book nobody evaluated claims no conformance (the specification wants the evaluator's name).
    unclaimed = OpenedEpub(epubs["spanish"])
    assert (
        unclaimed.metadata("dcterms:conformsTo") == [] and unclaimed.metadata("a11y:certifiedBy", "#conformance") == []
    )


def test_the_same_book_gives_the_same_bytes_and_leaves_an_unchanged_file_alone(books, tmp_path):
    book = books["english"]
    first, second = tmp_path / "first.epub", tmp_path / "second" / "guide.epub"
    second.parent.mkdir()
    write_epub(book, first)
    write_epub(book, second)
    assert first.read_bytes() == second.read_bytes()
    os.utime(first, (1_000_000_000, 1_000_000_000))
    write_epub(book, first)
    assert first.stat().st_mtime == 1_000_000_000
    write_epub(dataclasses.replace(book, modified="2026-12-08T09:30:00Z"), first)
    assert first.stat().st_mtime != 1_000_000_000 and first.read_bytes() != second.read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["first.epub", "second"]  # no temporary left


# -- the DAISY book --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DAISIES)
def test_daisy_book_keeps_the_rules_players_rely_on(daisies, name):
    assert check_daisy(daisies[name]) == []


def test_daisy_book_lists_the_title_first_then_every_heading(books, daisies):
    ncc = etree.parse(str(daisies["english"] / "ncc.html")).getroot()
    headings = [(etree.QName(h).localname, element_text(h)) for h in ncc.find("x:body", NS)]
    assert headings == [
        ("h1", books["english"].title),
        ("h1", "Introduction"),
        ("h1", "Your infusion day"),
        ("h2", "Before the drip starts"),
        ("h3", "Medicines and doses"),
        ("h2", "During the drip"),
        ("h1", "After you go home"),
    ]
    smil = (daisies["english"] / "part01.smil").read_text(encoding="utf-8")
    assert 'clip-begin="npt=0.000s"' in smil and "xmlns" not in smil


def test_daisy_rebuild_that_changes_nothing_writes_nothing(books, tmp_path):
    folder = tmp_path / "daisy"
    assert write_daisy(books["spanish"], folder)
    for path in folder.iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert write_daisy(books["spanish"], folder) == []
    assert {path.stat().st_mtime for path in folder.iterdir()} == {1_000_000_000}
    changed = dataclasses.replace(books["spanish"], title="Terapia intravenosa")
    assert "ncc.html" in write_daisy(changed, folder)
    assert check_daisy(folder) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["daisy"]


def _edit(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


BREAKAGES = {
    "text-reference": ("part02.smil", ("content.html#s2-2", "content.html#nowhere"), "is not an element"),
    "clip-past-audio": ("part03.smil", ('clip-end="npt=7.', 'clip-end="npt=97.'), "after part03.mp3"),
    "overlapping-clips": ("part02.smil", ('clip-begin="npt=3.', 'clip-begin="npt=1.'), "before the one before"),
    "ncc-link": ("ncc.html", ("part02.smil#par-h2-1", "part02.smil#par-missing"), "leads nowhere"),
    "metadata": ("ncc.html", ('<meta name="dc:publisher"', '<meta name="dc:rights"'), "dc:publisher is missing"),
    "total-time": ("ncc.html", ('"ncc:totalTime" content="00:00:', '"ncc:totalTime" content="00:01:'), "totalTime"),
    "id": ("content.html", ('id="s1-2"', 'id="2s1"'), "does not start with a letter"),
}


@pytest.mark.parametrize("name", [*BREAKAGES, "skipped-level"])
def test_the_daisy_check_finds_what_breaks_a_book(daisies, tmp_path, name):
    """The checker itself: each breakage of a good book is reported."""
    folder = tmp_path / "daisy"
    shutil.copytree(daisies["english"], folder)
    if name == "skipped-level":
        _edit(folder / "ncc.html", ("<h3 ", "<h5 "), ("</h3>", "</h5>"))
        expected = "is h5 after h2"
    else:
        file_name, replacement, expected = BREAKAGES[name]
        _edit(folder / file_name, replacement)
    problems = check_daisy(folder)
    assert any(expected in problem for problem in problems), problems


def test_daisy_refuses_audio_its_players_cannot_play(books, tmp_path):
    with pytest.raises(InputError, match="is not MP3"):
        write_daisy(books["m4a"], tmp_path / "daisy")
    variable = tmp_path / "variable.mp3"
    tone = ["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=22050:duration=30", "-ac", "1"]
    encoder = ["-c:a", "libmp3lame", "-q:a", "5"]
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", *tone, *encoder, str(variable)], check=True)
    book = books["english"]
    chapters = (dataclasses.replace(book.chapters[0], audio=variable), *book.chapters[1:])
    with pytest.raises(InputError, match="variable bit rate"):
        write_daisy(dataclasses.replace(book, chapters=chapters), tmp_path / "daisy")
    assert not (tmp_path / "daisy").exists()


# -- bad input -------------------------------------------------------------------------------------


def _with_clip(book: Book, chapter_index: int, block_index: int, **changes) -> Book:
    """``book`` with the first clip of one block changed."""
    chapter = book.chapters[chapter_index]
    block = chapter.blocks[block_index]
    block = dataclasses.replace(block, clips=(dataclasses.replace(block.clips[0], **changes), *block.clips[1:]))
    blocks = (*chapter.blocks[:block_index], block, *chapter.blocks[block_index + 1 :])
    chapters = list(book.chapters)
    chapters[chapter_index] = dataclasses.replace(chapter, blocks=blocks)
    return dataclasses.replace(book, chapters=tuple(chapters))


BAD_BOOKS = {
    "duplicate-id": (lambda book: _with_clip(book, 1, 1, id="h1-1"), "used twice"),
    "id-starts-with-a-digit": (lambda book: _with_clip(book, 1, 1, id="3a"), "must be a letter"),
    "clips-out-of-order": (lambda book: _with_clip(book, 1, 1, begin=0.5, end=0.9), "before the one before it ends"),
    "clip-past-the-audio": (lambda book: _with_clip(book, 2, 2, end=500.0), "after its audio"),
    "empty-text": (lambda book: _with_clip(book, 0, 0, text=" "), "has no text"),
    "modified-time": (lambda book: dataclasses.replace(book, modified="7 December 2026"), "not like 2026-12-07"),
    "no-chapters": (lambda book: dataclasses.replace(book, chapters=()), "has no chapters"),
}


@pytest.mark.parametrize("writer", [write_epub, write_daisy], ids=["epub", "daisy"])
@pytest.mark.parametrize("name", list(BAD_BOOKS))
def test_bad_input_is_refused_in_one_clear_line_and_writes_nothing(books, tmp_path, writer, name):
    breakage, message = BAD_BOOKS[name]
    target = tmp_path / ("guide.epub" if writer is write_epub else "daisy")
    with pytest.raises(InputError, match=message) as refused:
        writer(breakage(books["english"]), target)
    assert "\n" not in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_epub_needs_its_interface_words_and_readable_audio(books, tmp_path):
    book = books["english"]
    words = {key: value for key, value in book.words.items() if key != "landmarks"}
    with pytest.raises(InputError, match="lack landmarks"):
        write_epub(dataclasses.replace(book, words=words), tmp_path / "guide.epub")
    not_audio = tmp_path / "notes.mp3"
    not_audio.write_text("not audio", encoding="utf-8")
    chapters = (dataclasses.replace(book.chapters[0], audio=not_audio), *book.chapters[1:])
    with pytest.raises(InputError, match="neither MP3 nor M4A"):
        write_epub(dataclasses.replace(book, chapters=chapters), tmp_path / "guide.epub")
    assert not (tmp_path / "guide.epub").exists()


def test_headings_never_skip_a_level_even_where_the_guide_did(tmp_path):
    plans = [ChapterPlan("Only part", [("heading", 5, "Deep"), ("paragraph", ["Text."]), ("heading", 3, "Back")])]
    book = make_book(tmp_path / "audio", plans, title="Skips", language="en", words=ENGLISH_WORDS)
    write_epub(book, tmp_path / "skips.epub")
    write_daisy(book, tmp_path / "daisy")
    assert check_daisy(tmp_path / "daisy") == []
    page = OpenedEpub(tmp_path / "skips.epub").pages()[0][1]
    content = etree.parse(str(tmp_path / "daisy" / "content.html")).getroot()
    for document, expected in ((page, ["h1", "h2", "h2"]), (content, ["h1", "h1", "h2", "h2"])):
        names = [etree.QName(element).localname for element in document.iter(etree.Element)]
        assert [name for name in names if re.fullmatch(r"h[1-6]", name)] == expected


# -- the page in a browser -------------------------------------------------------------------------


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.slow
def test_a_chapter_in_large_print_with_the_sentence_being_read_highlighted(browser, epubs, tmp_path):
    """Chromium shows a chapter at a phone's width (390 px) with the active class on one sentence, in the
    light and dark schemes; with AUDIOGUIDE_WRITE_SCREENSHOT=1 the light one is saved as docs/epub-chapter.png."""
    with zipfile.ZipFile(epubs["english"]) as archive:
        archive.extractall(tmp_path / "book")
    page_url = (tmp_path / "book" / "EPUB" / "part-02.xhtml").as_uri()
    for scheme in ("light", "dark"):
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, color_scheme=scheme, device_scale_factor=2
        )
        page = context.new_page()
        page.goto(page_url)
        page.evaluate(
            f"""() => {{
                document.documentElement.classList.add('{PLAYING_CLASS}');
                document.getElementById('s2-5').classList.add('{ACTIVE_CLASS}');
            }}"""
        )
        looks = page.evaluate(
            """() => {
                const style = (id) => getComputedStyle(id ? document.getElementById(id) : document.body);
                const body = style(), active = style('s2-5'), other = style('s2-6');
                return {fontSize: parseFloat(body.fontSize), lineHeight: parseFloat(body.lineHeight),
                        activeBackground: active.backgroundColor, activeColor: active.color,
                        otherBackground: other.backgroundColor, width: document.documentElement.scrollWidth};
            }"""
        )
        assert looks["fontSize"] >= 20 and looks["lineHeight"] >= 1.5 * looks["fontSize"]
        assert looks["width"] <= 390, "the page scrolls sideways at a phone's width"
        assert looks["otherBackground"] == "rgba(0, 0, 0, 0)" != looks["activeBackground"]
        assert _contrast(looks["activeColor"], looks["activeBackground"]) >= 7
        if scheme == "light":
            path = tmp_path / "epub-chapter.png"
            page.screenshot(path=str(path), full_page=True)
            if os.environ.get(WRITE_SCREENSHOT):
                SCREENSHOT.parent.mkdir(exist_ok=True)
                shutil.copyfile(path, SCREENSHOT)
        context.close()
