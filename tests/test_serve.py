"""``audioguide serve`` as a nurse starts it: a line with the address, a page, and Ctrl-C to stop."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .conftest import REFERENCE, run

pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(tmp_path, *args):
    process = subprocess.Popen(
        [sys.executable, "-m", "audioguide", "serve", "--no-browser", "-o", str(tmp_path / "out"), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    first = process.stdout.readline()
    return process, first


def get(url, headers=None):
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_prints_its_address_serves_the_page_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    process, first = start(tmp_path, "--port", str(port))
    try:
        assert first.startswith(f"audioguide workbench: http://127.0.0.1:{port}/  (packages go to ")
        status, page = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "audioguide workbench" in page
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    assert "Traceback" not in process.stderr.read()


def test_away_from_loopback_the_printed_link_holds_the_token(tmp_path):
    port = free_port()
    process, first = start(tmp_path, "--host", "0.0.0.0", "--port", str(port))
    try:
        token = re.search(r"\?token=([\w-]+)", first).group(1)
        assert get(f"http://127.0.0.1:{port}/api/guides")[0] == 401
        assert get(f"http://127.0.0.1:{port}/api/guides", {"x-audioguide-token": token}) == (200, "[]")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def test_a_port_in_use_is_one_clear_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--no-browser", "--port", port, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "choose another --port" in result.stderr


def alive(pid):
    """Running, not merely a zombie waiting for a parent that is gone to collect it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def post(base, path, body):
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method="POST",
        headers={"content-type": "application/json", "origin": base},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def workers_of(pid):
    listed = subprocess.run(["ps", "-ww", "--ppid", str(pid), "-o", "pid=,args="], capture_output=True, text=True)
    return [int(line.split()[0]) for line in listed.stdout.splitlines() if "spawn_main" in line]


def wait_for_job(base, job, states, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = json.loads(get(f"{base}/api/jobs/{job}")[1])
        if state["state"] in states:
            return state
        time.sleep(0.1)
    raise AssertionError(f"the build never reached {states}")


def test_ctrl_c_during_a_build_stops_its_workers_and_leaves_the_last_package_as_it_was(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process, _ = start(tmp_path, "--port", str(port))
    try:
        assert get(f"{base}/")[0] == 200  # listening
        guide = post(base, "/api/guides", {"text": REFERENCE.read_text(encoding="utf-8"), "name": "reference.txt"})
        first = post(base, f"/api/guides/{guide['id']}/build", {"engine": "espeak"})
        assert wait_for_job(base, first["job"], ("done", "failed"))["state"] == "done"
        package = tmp_path / "out" / "reference"
        before = {path.name: path.read_bytes() for path in package.iterdir()}
        second = post(base, f"/api/guides/{guide['id']}/build", {"rate": 120, "engine": "espeak"})
        wait_for_job(base, second["job"], ("running",))
        # Polled, not slept on: on a busy host the workers start well after the build does.
        deadline = time.monotonic() + 60
        while not (children := workers_of(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert children, "the build has workers"
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=15)
    assert code == 0 and "Traceback" not in process.stderr.read()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in children)
    assert {path.name: path.read_bytes() for path in package.iterdir()} == before
    # Started again, the workbench shows the build it cut off as interrupted, to run again.
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process, _ = start(tmp_path, "--port", str(port))
    try:
        status, body = get(f"{base}/api/jobs/{second['job']}")
        assert status == 200 and json.loads(body)["state"] == "interrupted"
        listed = json.loads(get(f"{base}/api/guides")[1])[0]
        assert listed["build"]["state"] == "interrupted" and listed["job"] is None
        again = post(base, f"/api/guides/{guide['id']}/build", {})
        assert wait_for_job(base, again["job"], ("done", "failed"))["state"] == "done"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
