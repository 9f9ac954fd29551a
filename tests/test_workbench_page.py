"""The workbench page in a real browser, at a desktop's 1280 pixels and a phone's 390 (and 320): from
a Word file to a played chapter and a downloaded ZIP, and what a nurse meets on the way: errors in
view, progress from the first second, settings kept, a voice list, guides, words and parts managed,
a proof she can scan, Stop, and axe-core finding no WCAG 2.2 AA violation in any state reached."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile

import mutagen
import pytest

from .conftest import FIXTURES, REFERENCE, WCAG_22_AA, Visit

#: Every test here starts a server and a browser.
pytestmark = pytest.mark.slow
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from audioguide.web import create_app

    port = free_port()
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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def visit(browser, server, width):
    # The page's policy forbids eval, which Playwright's waits use: the test's context bypasses it.
    return Visit(browser, server[0], accept_downloads=True, bypass_csp=True, viewport={"width": width, "height": 900})


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def page(request, browser, server):
    opened = visit(browser, server, request.param)
    opened.width = request.param
    yield opened
    opened.close()


def accessible(page):
    """No WCAG 2.2 AA violation, and nothing pushes the page sideways."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    assert page.value("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


def api(server, method, path, body=None):
    base = server[0].rstrip("/")
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"content-type": "application/json", "origin": base}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response) if response.status != 204 else None


def paste(page, name, text):
    """Add ``text`` as a document and wait until it is the guide opened (its title and proof shown,
    not those of a guide opened before it)."""
    title = text.split("\n", 1)[0].lstrip("# ").strip()
    page.page.fill("#paste-name", name)
    page.page.fill("#paste-text", text)
    page.page.click("#paste-form button[type=submit]")
    page.page.wait_for_function(
        f"document.getElementById('guide-title').textContent.includes({json.dumps(title)})"
        " && !!document.querySelector('#proof h4')"
    )


def in_view(page, selector):
    return page.value(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth; })()"
    )


def record(page, selector):
    """Every text an element shows from now on, as the page shows it (no change missed between two reads)."""
    page.value(
        f"window.seen = []; new MutationObserver(() => window.seen.push(document.querySelector({selector!r}).textContent))"
        f".observe(document.querySelector({selector!r}), {{childList: true, characterData: true, subtree: true}})"
    )


def test_from_a_word_file_to_a_played_chapter_and_a_downloaded_zip(page, server, tmp_path):
    p = page.page
    accessible(page)
    assert all(url.startswith(server[0]) for url in page.requests)
    # Keyboard alone: the file input and its button are reached and used without a pointer.
    p.set_input_files("#file", str(FIXTURES / "documents" / "typed.docx"))
    p.focus("#file")
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.textContent") == "Add the document"
    p.keyboard.press("Enter")
    p.wait_for_selector("#proof h4")
    assert p.inner_text("#guide-title") == "Rituximab Infusion at Home"
    assert p.locator("#parts li").count() == 3
    # The proof: paragraphs as on the page, each change marked once a part, the announcement unmarked.
    marks = p.locator("#proof mark").all_inner_texts()
    assert "by mouth" in marks and "twice" in marks and "Rituximab" in marks
    assert "[[" not in p.inner_text("#proof") and "no heading style" in p.inner_text("#proof")
    assert p.locator("#proof .announcement mark").count() == 0
    for part in p.locator("#proof .proof-part").all():
        assert part.inner_text().count("(as the lexicon says it)") <= len(set(part.locator("mark").all_inner_texts()))
    accessible(page)
    p.select_option("#engine", "espeak")  # heard and built with eSpeak NG: the natural voice is 20 times slower
    # "Hear the sentence" of a flag says the sentence it is in.
    p.click("#proof .flags button:has-text('Hear the sentence')")
    p.wait_for_function("document.querySelector('#proof .inline-status').textContent.startsWith('Playing')")
    # Fix a word: hear it, add it, and see the proof and the clinic lexicon again.
    p.fill("#word", "Advil")
    p.fill("#sounds-like", "ad-vill")
    p.click("#hear")
    p.wait_for_function("document.getElementById('lexicon-status').textContent.startsWith('Playing')")
    p.click("#lexicon-form button[type=submit]")
    # The status first: the proof may say "ad-vill" already (the other width's run added the word).
    p.wait_for_function("document.getElementById('lexicon-status').textContent.includes('Added “Advil”')")
    p.wait_for_function("document.getElementById('proof').textContent.includes('ad-vill')")
    p.wait_for_selector("#lexicon li:has-text('Advil')")
    # Build with the keyboard: focus moves to the progress, the disabled button looks disabled.
    p.select_option("#preset", "slow" if page.width == 1280 else "standard")
    enabled = p.evaluate("getComputedStyle(document.getElementById('build')).backgroundColor")
    record(page, "#progress-text")
    p.focus("#build")
    p.keyboard.press("Enter")
    assert p.evaluate("document.activeElement.id") == "build-progress"
    assert p.is_disabled("#build") and p.is_visible("#stop")
    assert p.evaluate("getComputedStyle(document.getElementById('build')).backgroundColor") != enabled
    accessible(page)
    p.wait_for_function("window.seen.some(line => line.startsWith('Built'))", timeout=120_000)
    seen = page.value("window.seen")
    assert "Built: all 3 parts." in seen and any("of 3 parts ready" in line for line in seen), seen
    assert p.get_attribute("#progress", "value") == "3"
    assert p.evaluate("document.activeElement.id") == "build-progress"
    assert not p.is_disabled("#build") and not p.is_visible("#stop")
    accessible(page)
    # A fresh page finds the guide's settings kept.
    fresh = visit(page.context.browser, server, page.width)
    try:
        fresh.page.click("#guides li:has-text('Rituximab') button:has-text('Open')")
        fresh.page.wait_for_selector("#proof h4")
        assert fresh.page.input_value("#engine") == "espeak"
        assert fresh.page.input_value("#preset") == ("slow" if page.width == 1280 else "standard")
        assert "Kept from its last build" in fresh.page.inner_text("#reads-with")
    finally:
        fresh.close()
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
    accessible(page)
    p.click("text=Back to the workbench")
    p.wait_for_selector("#guides li")
    assert page.errors == []


def test_an_error_is_shown_beside_its_button_in_the_users_words(page, tmp_path):
    p = page.page
    disguised = tmp_path / "setup.docx"
    disguised.write_bytes(b"PK\x03\x04 this is no Word document")
    p.set_input_files("#file", str(disguised))
    p.click("#upload-form button")
    p.wait_for_function("document.getElementById('add-status').classList.contains('error')")
    message = p.inner_text("#add-status")
    assert message.startswith("Could not add setup.docx: ") and "/" not in message and "workbench" not in message
    assert p.evaluate("document.activeElement.id") == "add-status" and in_view(page, "#add-status")
    accessible(page)
    # The next action clears the error.
    paste(page, "clears", f"# Clears at {page.width}\n\n## One\n\nRest today.\n")
    assert "error" not in p.get_attribute("#add-status", "class") and "Added" in p.inner_text("#add-status")


@pytest.mark.parametrize("width", [320, 390])
def test_guides_are_cards_and_nothing_scrolls_sideways_on_a_phone(browser, server, width):
    title = f"Hydroxychloroquine and Keratoconjunctivitis Sicca at {width}"
    guide = api(server, "POST", "/api/guides", {"text": f"# {title}\n\n## Methylprednisolone\n\nRest.\n", "name": "l"})
    job = api(server, "POST", f"/api/guides/{guide['id']}/build", {"engine": "espeak"})["job"]
    page = visit(browser, server, width)
    try:
        p = page.page
        p.wait_for_selector(f"#guides li.card:has-text('{title}')")
        accessible(page)
        box = p.locator("#file").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert p.evaluate("getComputedStyle(document.body).hyphens") == "auto"
        deadline = time.monotonic() + 120
        while api(server, "GET", f"/api/jobs/{job}")["state"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        p.click(f"#guides li:has-text('{title}') button:has-text('Open')")
        p.wait_for_selector("#proof h4")
        accessible(page)
        # The player's title: its long words whole on their lines, never broken inside.
        p.goto(f"{server[0]}packages/{guide['slug']}/index.html")
        broken = p.evaluate(
            """(() => { const node = document.querySelector('h1').firstChild, found = [];
            for (const match of node.textContent.matchAll(/\\S+/g)) {
              const range = document.createRange(); range.setStart(node, match.index);
              range.setEnd(node, match.index + match[0].length);
              if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) found.push(match[0]);
            } return found; })()"""
        )
        assert broken == []
        assert p.get_attribute("text=Back to the workbench", "href") == "/"
        accessible(page)
    finally:
        page.close()


def test_a_guide_is_deleted_after_a_confirm_step(page, server):
    p = page.page
    paste(page, "to-delete", f"# Delete Me {page.width}\n\n## One\n\nRest.\n")
    card = f"#guides li:has-text('Delete Me {page.width}')"
    p.click(f"{card} > .buttons button.danger")  # "Delete"
    assert p.is_visible(f"{card} .confirm") and p.evaluate("document.activeElement.tagName") == "P"
    accessible(page)
    p.click(f"{card} .confirm button:not(.danger)")  # "Keep it"
    assert not p.is_visible(f"{card} .confirm")
    p.click(f"{card} > .buttons button.danger")
    p.click(f"{card} .confirm button.danger")  # "Delete it"
    p.wait_for_selector(card, state="detached")
    assert "Deleted “Delete Me" in p.inner_text("#guides-status") and not p.is_visible("#guide")
    assert all(g["title"] != f"Delete Me {page.width}" for g in api(server, "GET", "/api/guides"))


def test_the_clinic_lexicon_is_listed_heard_changed_and_removed(page, server):
    p = page.page
    word = f"Xiidra{page.width // 10}"
    paste(page, "words", f"# Words {page.width}\n\n## Drops\n\nAsk about {word} drops and XQZ.\n")
    # A flag's "Fix this word" fills the form.
    p.click("#proof .flags li:has-text('XQZ') button:has-text('Fix this word')")
    assert p.input_value("#word") == "XQZ" and p.evaluate("document.activeElement.id") == "sounds-like"
    p.fill("#word", word)
    p.fill("#sounds-like", "zye-dra")
    p.click("#lexicon-form button[type=submit]")
    entry = f"#lexicon li:has-text('{word}')"
    p.wait_for_selector(entry)
    assert "zye-dra" in p.inner_text(entry)
    p.select_option("#engine", "espeak")
    accessible(page)
    p.evaluate("document.getElementById('say-audio').removeAttribute('src')")
    p.click(f"{entry} button:has-text('Hear')")
    p.wait_for_function("document.getElementById('lexicon-status').textContent.startsWith('Playing')")
    assert p.evaluate("document.getElementById('say-audio').src.startsWith('blob:')")
    p.click(f"{entry} button:has-text('Change')")
    assert p.input_value("#word") == word and p.input_value("#sounds-like") == "zye-dra"
    p.fill("#sounds-like", "ZYE-druh")
    p.click("#lexicon-form button[type=submit]")
    p.wait_for_function("document.querySelector(\"#lexicon\").textContent.includes('ZYE-druh')")
    p.wait_for_function("document.getElementById('proof').textContent.includes('ZYE-druh')")
    p.click(f"{entry} button:has-text('Remove')")
    p.wait_for_selector(entry, state="detached")
    p.wait_for_function(f"document.getElementById('proof').textContent.includes('{word} drops')")
    accessible(page)


def test_opening_a_guide_loads_the_voice_that_will_read_it_before_it_is_asked(browser, tmp_path):
    # A workbench of its own, in a process of its own: no other test has warmed an engine there,
    # and its stopping stops only its own workers.
    port = free_port()
    command = [sys.executable, "-m", "audioguide", "serve", "--no-browser", "--port", str(port), "-o", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    fresh = (f"http://127.0.0.1:{port}/", tmp_path)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                engines = api(fresh, "GET", "/api/choices")["engines"]
                break
            except OSError:
                assert time.monotonic() < deadline, "the workbench did not start"
                time.sleep(0.2)
        assert not any(engine["warm"] for engine in engines)
        page = visit(browser, fresh, 1280)
        paste(page, "warm", "# Warm Voice\n\n## Drops\n\nUse the drops twice a day.\n")
        guide = api(fresh, "GET", "/api/guides")[0]
        reader = api(fresh, "GET", f"/api/guides/{guide['id']}")["reads_with"]["engine"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            warm = {engine["name"]: engine["warm"] for engine in api(fresh, "GET", "/api/choices")["engines"]}
            if warm[reader]:
                break
            time.sleep(0.2)
        # Only the engine that reads the guide: a natural voice's worker holds some 400 MB.
        assert [name for name, ready in warm.items() if ready] == [reader]
        accessible(page)
        page.close()
    finally:
        process.terminate()
        process.wait(30)


def test_a_voice_is_chosen_from_a_list_and_heard(page, server):
    p = page.page
    paste(page, "voices", f"# Voices {page.width}\n\n## Drops\n\nUse the drops twice a day.\n")
    p.select_option("#engine", "espeak")
    p.wait_for_selector("#voice option[value='gmw/en-us']", state="attached")
    options = p.locator("#voice option").all_inner_texts()
    assert options[0].startswith("The usual voice") and all("(en" in option for option in options[1:])
    p.select_option("#voice", "gmw/en-gb-x-rp")
    assert "22050 Hz" in p.inner_text("#voice-about") or "en-gb-x-rp" in p.inner_text("#voice-about")
    p.click("#hear-voice")
    p.wait_for_function("document.getElementById('voice-status').textContent.startsWith('Playing a sample')")
    accessible(page)
    p.select_option("#engine", "espeak")


def test_parts_left_out_and_renamed_follow_into_the_package(page, server):
    p = page.page
    name = f"parts-{page.width}"
    paste(
        page,
        name,
        f"# Parts {page.width}\n\n## Drops\n\nUse the drops.\n\n## Our other clinics\n\nWe have three.\n\n## At Night\n\nUse the gel.\n",
    )
    p.click("#parts li:nth-child(2) button:has-text('Leave out')")
    p.wait_for_function("document.getElementById('parts-status').textContent.includes('left out')")
    assert p.evaluate("document.activeElement.textContent").startswith("Put back")
    p.click("#parts li:nth-child(3) button:has-text('Rename')")
    p.fill("#rename-3", "Your night routine")
    p.keyboard.press("Enter")
    p.wait_for_function("document.getElementById('parts-status').textContent.includes('Your night routine')")
    # The proof comes again after each change: waited for, as it is after the rename.
    p.wait_for_function("document.getElementById('proof').textContent.includes('Part 2: Your night routine')")
    assert "Left out: Our other clinics" in p.inner_text("#proof")
    accessible(page)
    p.select_option("#engine", "espeak")
    p.click("#build")
    p.wait_for_function("document.getElementById('progress-text').textContent.startsWith('Built')", timeout=120_000)
    package = server[1] / name
    assert sorted(path.name for path in package.glob("0*.mp3")) == ["01-drops.mp3", "02-your-night-routine.mp3"]
    assert str(mutagen.File(package / "02-your-night-routine.mp3")["TIT2"]) == "Your night routine"
    p.goto(f"{server[0]}packages/{name}/index.html")
    assert "Your night routine" in p.inner_text("body") and "useful" not in p.inner_text("body")


def test_the_talking_books_and_the_language_are_chosen_kept_and_downloaded(page, server, tmp_path):
    p = page.page
    name = f"books-{page.width}"
    paste(page, name, f"# Books {page.width}\n\n## Drops\n\nUse the drops.\n\n## At Night\n\nUse the gel.\n")
    # Nothing asked yet: as resolving decides, the EPUB and no DAISY book, the language told from the text.
    assert p.is_checked("#epub") and not p.is_checked("#daisy") and p.input_value("#language") == ""
    accessible(page)
    p.select_option("#engine", "espeak")
    # The voices listed are those of the language chosen.
    p.select_option("#language", "es")
    p.wait_for_selector("#voice option[value='roa/es']", state="attached")
    p.select_option("#language", "en-GB")
    p.wait_for_selector("#voice option[value='gmw/en-gb-x-rp']", state="attached")
    p.focus("#daisy")
    p.keyboard.press("Space")
    assert p.is_checked("#daisy")
    p.click("#build")
    p.wait_for_function("document.getElementById('progress-text').textContent.startsWith('Built')", timeout=120_000)
    p.wait_for_selector("#results a:has-text('DAISY book (ZIP)')")
    package = server[1] / name
    assert json.loads((package / "manifest.json").read_text(encoding="utf-8"))["guide"]["language"] == "en-GB"
    # The keyboard reaches every download in turn, and takes one.
    p.focus("#results a:has-text('Listen in the player')")
    reached = []
    for _ in range(3):
        p.keyboard.press("Tab")
        reached.append(p.evaluate("document.activeElement.textContent"))
    assert reached == ["Download the ZIP for a USB stick", "Talking book (EPUB)", "DAISY book (ZIP)"]
    accessible(page)
    with p.expect_download() as daisy:
        p.keyboard.press("Enter")
    daisy.value.save_as(tmp_path / "daisy.zip")
    assert f"{name}/daisy/ncc.html" in zipfile.ZipFile(tmp_path / "daisy.zip").namelist()
    with p.expect_download() as epub:
        p.click("text=Talking book (EPUB)")
    assert epub.value.suggested_filename == f"{name}.epub"
    epub.value.save_as(tmp_path / "book.epub")
    assert (tmp_path / "book.epub").read_bytes() == (package / f"{name}.epub").read_bytes()
    # A fresh page finds the books and the language kept, and offers the books again.
    fresh = visit(page.context.browser, server, page.width)
    try:
        fresh.page.click(f"#guides li:has-text('Books {page.width}') button:has-text('Open')")
        fresh.page.wait_for_selector("#results a:has-text('DAISY book (ZIP)')")
        assert fresh.page.is_checked("#epub") and fresh.page.is_checked("#daisy")
        assert fresh.page.input_value("#language") == "en-GB"
    finally:
        fresh.close()
    assert page.errors == []


def test_a_reopened_page_shows_every_running_build_and_stops_one(page, server):
    p = page.page
    # A long guide, so that its build is still running when the page is opened and Stop pressed.
    body = REFERENCE.read_text(encoding="utf-8")
    text = f"Long guide {page.width}\n\n" + "\n\n".join(body.replace("Sjögren", f"Sjögren {n}") for n in range(6))
    guide = api(server, "POST", "/api/guides", {"text": text, "name": f"long-{page.width}.txt"})
    job = api(server, "POST", f"/api/guides/{guide['id']}/build", {"engine": "espeak"})["job"]
    p.reload()
    card = f"#guides li:has-text('Long guide {page.width}')"
    p.wait_for_selector(f"{card} progress:visible")
    p.wait_for_selector(f"{card} .card-build p:has-text('parts ready')")
    accessible(page)
    p.click(f"{card} button:has-text('Stop the build')")
    p.wait_for_selector(f"{card} .card-build p:has-text('Stopped: the last package is as it was')")
    assert api(server, "GET", f"/api/jobs/{job}")["state"] == "stopped"
    assert p.is_visible(f"{card} button:has-text('Build again')")
    assert not (server[1] / guide["slug"] / "manifest.json").exists()  # nothing was half written
    accessible(page)
