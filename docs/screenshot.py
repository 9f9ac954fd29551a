"""Render docs/workbench.png, the README's picture of the workbench: a real server in a temporary
folder, the reference guide added and built with eSpeak NG, the page at 1280 pixels in Debian's Chromium.

    python docs/screenshot.py            # writes docs/workbench.png
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "tests" / "fixtures" / "documents" / "typed.docx"


def serve(output: Path) -> str:
    import uvicorn

    from audioguide.web import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(output), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}"


def main(target: Path = ROOT / "docs" / "workbench.png", width: int = 1280, height: int = 2000) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        base = serve(Path(folder))
        chromium = playwright.chromium
        browser = chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(base + "/")
        page.set_input_files("#file", str(GUIDE))
        page.click("#upload-form button")
        page.wait_for_selector("#proof h4")
        page.select_option("#engine", "espeak")
        page.click("#build")
        page.wait_for_selector("#results a", timeout=120_000)
        page.fill("#word", "Advil")
        page.fill("#sounds-like", "ad-vill")
        page.click("#lexicon-form button[type=submit]")
        page.wait_for_selector("#lexicon li")
        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*(Path(arg) for arg in sys.argv[1:2]))
