"""The workbench page in a real browser: a Word file to a played chapter and a downloaded ZIP."""

import socket
import threading
import time
import zipfile

import pytest

from .conftest import FIXTURES, WCAG_22_AA, Visit

#: Every test here starts a server and a browser.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from audioguide.web import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    output = tmp_path_factory.mktemp("workbench")
    config = uvicorn.Config(create_app(output), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the workbench did not start"
    yield f"http://127.0.0.1:{port}/", output
    running.should_exit = True
    thread.join(10)


@pytest.fixture
def page(browser, server):
    # The page's policy forbids eval, which Playwright's waits use: the test's context bypasses it.
    opened = Visit(browser, server[0], accept_downloads=True, bypass_csp=True)
    yield opened
    opened.close()


def test_the_page_has_no_wcag_22_aa_violations_and_fetches_nothing_from_outside(page, server):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    assert all(url.startswith(server[0]) for url in page.requests)


def test_from_a_word_file_to_a_played_chapter_and_a_downloaded_zip(page, server, tmp_path):
    p = page.page
    # Keyboard alone: the file input and its button are reached and used without a pointer.
    p.set_input_files("#file", str(FIXTURES / "documents" / "typed.docx"))
    p.focus("#file")
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.textContent") == "Add the document"
    p.keyboard.press("Enter")
    p.wait_for_selector("#chapters li")
    assert p.inner_text("#guide-title") == "Rituximab Infusion at Home"
    assert p.locator("#chapters li").count() == 3
    marks = p.locator("#proof mark").all_inner_texts()
    assert "by mouth" in marks and "twice" in marks and "Rituximab (as the lexicon says it)" in marks
    assert "[[" not in p.inner_text("#proof")
    assert "no heading style" in p.inner_text("#proof")
    # Fix a word: hear it, add it, and see the proof again.
    p.fill("#word", "Advil")
    p.fill("#sounds-like", "ad-vill")
    p.click("#hear")
    p.wait_for_function("document.getElementById('say-audio').src.startsWith('blob:')")
    p.click("#lexicon-form button[type=submit]")
    p.wait_for_function("document.getElementById('proof').textContent.includes('ad-vill')")
    assert "Added Advil" in p.inner_text("#status")
    # Build, watching the progress bar move.
    p.select_option("#preset", "slow")
    p.click("#build")
    p.wait_for_function("document.getElementById('progress-text').textContent.length > 0")
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        # One read per turn: the build can finish between two reads of the line.
        line = p.inner_text("#progress-text")
        seen.add(line)
        if line.startswith("Built"):
            break
        time.sleep(0.1)
    assert "Built: all 3 parts." in seen
    assert p.get_attribute("#progress", "value") == "3"
    # Listen in the built player, and download the ZIP for the USB stick.
    p.wait_for_selector("#results a")
    with p.expect_download() as download:
        p.click("text=Download the ZIP for a USB stick")
    saved = tmp_path / "guide.zip"
    download.value.save_as(saved)
    assert "typed/01-before-your-infusion.mp3" in zipfile.ZipFile(saved).namelist()
    p.click("text=Listen in the player")
    p.wait_for_selector("#play")
    p.click("#play")
    p.wait_for_function("document.getElementById('audio').currentTime > 0.3")
    assert page.errors == []


def test_a_build_survives_closing_the_tab(browser, server):
    first = Visit(browser, server[0], bypass_csp=True)
    first.page.fill("#paste-name", "short-guide")
    first.page.fill("#paste-text", "# Short\n\n## One\n\nRest today.\n\n## Two\n\nDrink water.\n")
    first.page.click("#paste-form button[type=submit]")
    first.page.wait_for_selector("#chapters li")
    first.page.click("#build")
    first.close()  # the tab closes while the build runs
    second = Visit(browser, server[0], bypass_csp=True)
    try:
        second.page.click("text=Open Short")
        second.page.wait_for_function(
            "document.getElementById('progress-text').textContent.startsWith('Built')", timeout=120_000
        )
        second.page.wait_for_selector("#results a")  # the links come once the list of guides is read again
        assert second.page.inner_text("#results").startswith("Listen in the player")
    finally:
        second.close()
