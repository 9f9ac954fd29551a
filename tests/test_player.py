"""The offline player page and the clinic bundle, in a real browser (Debian's Chromium)."""

import json
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import REFERENCE, WCAG_22_AA, Visit, parse_vtt, run

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow


@pytest.fixture
def visit(browser, reference_package):
    opened = []

    def open_page(folder=reference_package, **context):
        page = Visit(browser, (folder / "index.html").as_uri(), **context)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_22_aa_violations(visit, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = visit(color_scheme=scheme)
    results = Axe().run(page.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_plays_skips_by_keyboard_changes_speed_and_shows_captions(visit, reference_package):
    page = visit()
    audio = "document.getElementById('audio')"
    page.page.click("#play")
    page.wait_until(f"{audio}.currentTime > 0.5")
    assert page.page.inner_text("#now-title") == "Part 1 of 4: Introduction"
    first_caption = page.page.inner_text("#captions")
    first_cue = parse_vtt((reference_package / "01-introduction.vtt").read_text(encoding="utf-8"))[0][2]
    assert first_caption == first_cue == "IV Therapy for Sjögren’s\nSyndrome: What to Expect"
    page.page.focus("body")
    page.page.keyboard.press("n")
    page.wait_until(
        f"{audio}.src.endsWith('02-specific-types-of-intravenous-treatments.mp3') && {audio}.currentTime > 0.3"
    )
    assert page.page.inner_text("#now-title") == "Part 2 of 4: Specific Types of Intravenous Treatments"
    assert page.page.inner_text("#status") == "Now playing Part 2 of 4: Specific Types of Intravenous Treatments"
    page.page.keyboard.press("ArrowRight")
    page.page.keyboard.press("ArrowRight")
    page.wait_until(f"{audio}.currentTime > 30")
    # Read in the same moment the caption shows: between sentences (in the pauses) it is blank.
    caption = page.page.wait_for_function(
        "document.getElementById('captions').innerText || null", timeout=10_000
    ).json_value()
    vtt = (reference_package / "02-specific-types-of-intravenous-treatments.vtt").read_text(encoding="utf-8")
    assert caption and caption != first_caption and caption.split("\n")[0] in vtt
    page.page.select_option("#speed", "1.5")
    assert page.value(f"{audio}.playbackRate") == 1.5
    page.page.keyboard.press("-")
    assert page.value(f"{audio}.playbackRate") == 1.25
    page.page.keyboard.press("c")
    assert page.value("document.getElementById('captions').hidden") is True
    assert page.errors == []


def test_makes_no_request_outside_the_package(visit, reference_package):
    page = visit()
    page.page.click("#play")
    page.wait_until("document.getElementById('audio').currentTime > 0.2")
    page.page.click("text=Part 3: The Logistics of Infusion Sessions")
    page.wait_until("document.getElementById('audio').src.includes('03-')")
    folder = reference_package.as_uri() + "/"
    assert page.requests and all(url.startswith(folder) for url in page.requests), page.requests


def test_resumes_where_the_listener_stopped(visit):
    page = visit()
    audio = "document.getElementById('audio')"
    page.page.click("text=Part 2: Specific Types of Intravenous Treatments")
    page.wait_until(f"{audio}.currentTime > 1.5")
    page.page.click("#play")  # pause
    page.wait_until(f"{audio}.paused")
    page.page.reload()  # leaving the page saves the place
    page.wait_until(f"{audio}.src.includes('02-')")
    assert page.page.inner_text("#now-title") == "Part 2 of 4: Specific Types of Intravenous Treatments"
    assert page.page.inner_text("#status").startswith("Ready to resume Part 2 of 4")
    page.page.click("#play")
    page.wait_until(f"{audio}.currentTime > 1.5")


def test_continues_into_the_next_chapter(visit):
    page = visit()
    audio = "document.getElementById('audio')"
    page.page.click("#play")
    page.wait_until(f"{audio}.currentTime > 0.2")
    page.value(f"{audio}.currentTime = {audio}.duration - 0.5")
    page.wait_until(f"{audio}.src.includes('02-') && {audio}.currentTime > 0.2")
    assert page.value(f"{audio}.paused") is False  # it plays on, nobody pressed a key
    assert page.value(f"decodeURI({audio}.src).split('/').pop()") == "02-specific-types-of-intravenous-treatments.mp3"


def test_large_targets_and_reflow_on_a_320_pixel_screen(visit):
    page = visit(viewport={"width": 320, "height": 640})
    assert page.value("document.documentElement.scrollWidth") <= 320
    sizes = page.value(
        "[...document.querySelectorAll('button, select')].map(e => {const r = e.getBoundingClientRect();"
        " return [e.textContent.trim(), r.width, r.height]})"
    )
    assert sizes and all(width >= 44 and height >= 44 for _, width, height in sizes), sizes
    zoomed = visit(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    zoomed.value("document.body.style.zoom = '400%'")
    assert zoomed.value("document.documentElement.scrollWidth <= window.innerWidth * 1.01")


def test_without_javascript_every_chapter_is_a_plain_player(visit):
    page = visit(java_script_enabled=False)
    players = page.value("[...document.querySelectorAll('audio[controls]')].map(a => a.getAttribute('src'))")
    assert players == [
        "01-introduction.mp3",
        "02-specific-types-of-intravenous-treatments.mp3",
        "03-the-logistics-of-infusion-sessions.mp3",
        "04-anticipating-results-and-potential-side.mp3",
    ]
    assert page.page.is_visible("audio[src='01-introduction.mp3']")
    assert page.page.get_attribute("text=Read the whole guide in large print", "href") == "transcript.html"


def test_titles_from_the_guide_are_text_and_run_nothing(visit, tmp_path):
    script = tmp_path / "hostile.md"
    script.write_text(
        # Front matter is taken as it is written; in the text, HTML is markup and <script> is not HTML.
        "---\ntitle: <img src=x onerror=alert(1)>\n---\n## <script>alert(2)</script> & more\n\nBody. </script><b>x</b>\n",
        encoding="utf-8",
    )
    assert run("build", script, "-o", tmp_path / "out", "--engine", "espeak").exit_code == 0
    page = visit(tmp_path / "out" / "hostile")
    page.page.click("#play")
    page.wait_until("document.getElementById('audio').currentTime > 0.3")
    time.sleep(0.5)
    assert page.dialogs == [] and page.errors == []
    assert page.page.inner_text("h1") == "<img src=x onerror=alert(1)>"
    assert "<script>alert(2)</script> & more" in page.page.inner_text("#now-title")


def test_the_clinic_bundle_unpacks_elsewhere_and_plays(browser, tmp_path):
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--zip", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    archive = tmp_path / "out" / "sjogrens-iv-therapy.zip"
    manifest = json.loads((tmp_path / "out" / "sjogrens-iv-therapy" / "manifest.json").read_text())
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
        assert sorted(names) == sorted(f"sjogrens-iv-therapy/{name}" for name in manifest["files"])
        assert "sjogrens-iv-therapy/README.txt" in names and "sjogrens-iv-therapy/index.html" in names
        assert all(not Path(name).is_absolute() and ".." not in Path(name).parts for name in names)
        elsewhere = tmp_path / "another-machine"
        bundle.extractall(elsewhere)
    readme = (elsewhere / "sjogrens-iv-therapy" / "README.txt").read_text(encoding="utf-8")
    assert readme.startswith("HOW TO LISTEN TO: IV THERAPY FOR SJÖGREN’S SYNDROME: WHAT TO EXPECT")
    page = Visit(browser, (elsewhere / "sjogrens-iv-therapy" / "index.html").as_uri())
    try:
        page.page.click("#play")
        page.wait_until("document.getElementById('audio').currentTime > 0.3")
        assert all(url.startswith((elsewhere / "sjogrens-iv-therapy").as_uri()) for url in page.requests)
    finally:
        page.close()
    again = run("bundle", tmp_path / "out" / "sjogrens-iv-therapy")
    assert again.exit_code == 0 and again.output.strip() == str(archive)
    assert run("bundle", tmp_path).exit_code == 2
