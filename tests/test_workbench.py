"""The workbench's JSON API, its errors and its defences, through Starlette's test client."""

import io
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.testclient import TestClient

from audioguide.web import create_app, is_loopback

from .conftest import FIXTURES, listen

DOCUMENTS = FIXTURES / "documents"
SITE = "http://127.0.0.1:8000"
OWN = {"origin": SITE}
GUIDE = "# Eye Care\n\n## Drops\n\nUse the drops 4 times a day.\n\n## At Night\n\nUse the gel at night.\n"


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(tmp_path / "out", max_upload=1024 * 1024), base_url=SITE) as client:
        yield client


def add_text(client, text=GUIDE, name="eye-care.md"):
    response = client.post("/api/guides", json={"text": text, "name": name}, headers=OWN)
    assert response.status_code == 201, response.text
    return response.json()


def one_line(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and "\n" not in body["error"] and "Traceback" not in body["error"]
    return body["error"]


def test_a_document_is_added_from_a_file_or_pasted_text_and_listed(client):
    with open(DOCUMENTS / "typed.docx", "rb") as docx:
        upload = client.post("/api/guides", files={"file": ("Leaflet (final).docx", docx)}, headers=OWN)
    assert upload.status_code == 201, upload.text
    word = upload.json()
    assert word["title"] == "Rituximab Infusion at Home" and word["chapters"] == 3 and word["slug"] == "leaflet-final"
    pasted = add_text(client)
    assert pasted["title"] == "Eye Care" and pasted["chapters"] == 2
    listed = client.get("/api/guides").json()
    assert [guide["id"] for guide in listed] == [pasted["id"], word["id"]]
    assert all(guide["built"] is None and guide["job"] is None for guide in listed)


def test_documents_added_at_one_moment_under_one_name_each_get_a_folder_of_their_own(tmp_path):
    # Requests run on threads of their own: without a name reserved while its document is
    # read, two uploads of "eye-care.md" were both given "eye-care", one package folder.
    from audioguide.web.workbench import Workbench

    bench = Workbench(tmp_path / "out")
    with ThreadPoolExecutor(6) as pool:
        added = list(pool.map(lambda _: bench.add(GUIDE.encode(), "eye-care.md"), range(6)))
    assert sorted(guide["slug"] for guide in added) == sorted(["eye-care", *(f"eye-care-{n}" for n in range(2, 7))])
    assert len({guide["id"] for guide in bench.guides()}) == 6


def test_chapters_and_proof_are_what_the_commands_print(client, tmp_path):
    from .conftest import run

    guide = add_text(client)
    script = tmp_path / "eye-care.md"
    script.write_text(GUIDE, encoding="utf-8")
    assert client.get(f"/api/guides/{guide['id']}/chapters").json() == json.loads(
        run("chapters", script, "--json").stdout
    )
    assert client.get(f"/api/guides/{guide['id']}/proof").json() == json.loads(run("proof", script, "--json").stdout)


def test_a_word_added_to_the_clinic_lexicon_changes_the_proof(client):
    guide = add_text(client, "# Care\n\n## Drops\n\nAsk Nurse Siobhan about Xiidra drops.\n")
    before = client.get(f"/api/guides/{guide['id']}/proof").json()[0]["spoken"]
    assert "Xiidra" in before
    added = client.post("/api/lexicon", json={"word": "Xiidra", "sounds_like": "zye-dra"}, headers=OWN)
    assert added.status_code == 201
    after = client.get(f"/api/guides/{guide['id']}/proof").json()[0]
    assert "zye-dra drops" in after["spoken"] and {"original": "Xiidra", "spoken": "zye-dra"} in after["changes"]
    assert "give one word" in one_line(
        client.post("/api/lexicon", json={"word": "two words", "sounds_like": "x"}, headers=OWN), 400
    )
    assert "sounds" in one_line(
        client.post("/api/lexicon", json={"word": "Xiidra", "sounds_like": ""}, headers=OWN), 400
    )


@pytest.mark.parametrize(
    "request_args, status, message",
    [
        ({"json": {"name": "x"}}, 400, 'send {"text"'),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "not valid JSON"),
        ({"content": b"hello", "headers": {"content-type": "text/plain"}}, 400, "multipart upload named 'file'"),
        ({"json": {"text": "   ", "name": "x"}}, 400, "the document is empty"),
        ({"files": {"file": ("scan.pdf", (DOCUMENTS / "scanned.pdf").read_bytes())}}, 400, "run OCR on it first"),
        ({"files": {"other": ("a.txt", b"Care\n\nRest.")}}, 400, "a file field named 'file'"),
        ({"files": {"file": ("big.txt", b"word " * 300_000)}}, 413, "larger than 1 MB"),
    ],
)
def test_bad_documents_are_one_clear_json_line(client, request_args, status, message):
    headers = {**OWN, **request_args.pop("headers", {})}
    assert message in one_line(client.post("/api/guides", headers=headers, **request_args), status)
    assert client.get("/api/guides").json() == []  # nothing of a refused document is kept


def test_a_file_is_checked_by_its_content_and_its_name_never_becomes_a_path(client, tmp_path):
    pdf = (DOCUMENTS / "leaflet.pdf").read_bytes()
    response = client.post("/api/guides", files={"file": ("../../etc/passwd.txt", pdf)}, headers=OWN)
    assert response.status_code == 201
    guide = response.json()
    assert guide["title"] == "Rituximab Infusion at Home" and guide["slug"] == "passwd"
    kept = list((tmp_path / "out" / ".audioguide-workbench" / "guides" / guide["id"]).iterdir())
    assert sorted(p.name for p in kept) == ["guide.json", "passwd.pdf"]
    assert not (tmp_path / "etc").exists()


def test_a_zip_bomb_and_billion_laughs_in_a_word_file_are_refused_and_the_server_goes_on(client):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("word/document.xml", "<a/>")
        docx.writestr("word/media/huge.bin", b"\0" * (300 * 1024 * 1024))
    assert "far beyond any leaflet" in one_line(
        client.post("/api/guides", files={"file": ("bomb.docx", bomb.getvalue())}, headers=OWN), 400
    )
    laughs = io.BytesIO()
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    with zipfile.ZipFile(laughs, "w") as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        docx.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "ha">{entities}]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>",
        )
    started = time.monotonic()
    message = one_line(client.post("/api/guides", files={"file": ("laughs.docx", laughs.getvalue())}, headers=OWN), 400)
    assert "could not be read" in message and time.monotonic() - started < 10
    assert add_text(client)["chapters"] == 2  # and the server keeps serving


def test_a_post_from_another_page_is_refused(client):
    evil = {"origin": "http://evil.example"}
    assert "only the workbench's own page" in one_line(
        client.post("/api/guides", json={"text": GUIDE}, headers=evil), 403
    )
    referer = {"referer": "http://127.0.0.1:9999/attack.html"}
    assert one_line(client.post("/api/lexicon", json={"word": "a", "sounds_like": "b"}, headers=referer), 403)
    assert one_line(client.post("/api/lexicon", json={"word": "a", "sounds_like": "b"}), 403)  # no origin at all
    own_referer = {"referer": f"{SITE}/"}
    assert client.post("/api/guides", json={"text": GUIDE, "name": "x"}, headers=own_referer).status_code == 201


def test_away_from_loopback_every_request_needs_the_token(tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    app = create_app(tmp_path / "out", token="s3cret")
    with TestClient(app, base_url=SITE) as client:
        assert "access token" in one_line(client.get("/"), 401)
        assert one_line(client.get("/api/guides"), 401)
        assert one_line(client.get("/api/guides", headers={"x-audioguide-token": "wrong"}), 401)
        assert client.get("/api/guides", headers={"x-audioguide-token": "s3cret"}).json() == []
        link = client.get("/?token=s3cret", follow_redirects=False)
        assert link.status_code == 303 and link.headers["location"] == "/"
        assert "audioguide_token=s3cret" in link.headers["set-cookie"] and "HttpOnly" in link.headers["set-cookie"]
        assert client.get("/").status_code == 200  # the cookie now carries the token


@pytest.mark.parametrize(
    "path",
    [
        "/packages/eye-care/..%2f..%2fguides",
        "/packages/eye-care/%2e%2e%2fmanifest.json",
        "/packages/..%2F.audioguide-workbench/clinic.toml",
        "/packages/.audioguide-cache/anything",
        "/packages/eye-care/.hidden",
        "/packages/eye-care//etc/passwd",
        "/packages/unknown/index.html",
        "/packages/eye-care/secret-link.txt",
        "/api/guides/../../etc/passwd/chapters",
        "/api/guides/not-an-id/chapters",
    ],
)
def test_no_url_reaches_outside_a_package_folder(client, tmp_path, path):
    add_text(client)
    package = tmp_path / "out" / "eye-care"
    package.mkdir(parents=True)
    (package / "index.html").write_text("player", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    (package / "secret-link.txt").symlink_to(outside)
    response = client.get(path)
    assert response.status_code == 404 and "secret" not in response.text
    assert client.get("/packages/eye-care/index.html").text == "player"


def test_building_settings_and_unknown_ids_are_clear_errors(client):
    guide = add_text(client)
    assert "rate" in one_line(client.post(f"/api/guides/{guide['id']}/build", json={"rate": "fast"}, headers=OWN), 400)
    assert "unknown setting colour" in one_line(
        client.post(f"/api/guides/{guide['id']}/build", json={"colour": "red"}, headers=OWN), 400
    )
    assert "no voice 'martian'" in one_line(
        client.post(f"/api/guides/{guide['id']}/build", json={"voice": "martian"}, headers=OWN), 400
    )
    assert "no such guide" in one_line(client.post("/api/guides/0123456789abcdef/build", json={}, headers=OWN), 404)
    assert "no such build" in one_line(client.get("/api/jobs/nothing"), 404)
    assert "not been built" in one_line(client.get(f"/api/guides/{guide['id']}/bundle.zip"), 404)
    assert "no such page" in one_line(client.get("/api/nothing"), 404)


def wait_for(client, job, seconds=120):
    deadline = time.monotonic() + seconds
    states = []
    while time.monotonic() < deadline:
        state = client.get(f"/api/jobs/{job}").json()
        states.append(state)
        if state["state"] in ("done", "failed"):
            return states
        time.sleep(0.2)
    raise AssertionError(f"the build did not finish: {states[-1]}")


@pytest.mark.slow
def test_a_build_runs_in_the_background_reports_progress_and_makes_a_package_and_zip(client, tmp_path):
    guide = add_text(client)
    started = client.post(f"/api/guides/{guide['id']}/build", json={"preset": "slow", "format": "mp3"}, headers=OWN)
    assert started.status_code == 202
    job = started.json()["job"]
    again = client.post(f"/api/guides/{guide['id']}/build", json={}, headers=OWN)
    assert "being built already" in one_line(again, 409)
    assert client.get("/api/guides").json()[0]["job"] == job  # a page opened later finds the build
    states = wait_for(client, job)
    assert states[-1] == {**states[-1], "state": "done", "done": 2, "total": 2, "error": None}
    listed = client.get("/api/guides").json()[0]
    assert listed["built"]["settings"]["preset"] == "slow" and listed["built"]["seconds"] > 3
    player = client.get(listed["built"]["player"])
    assert player.status_code == 200 and "<audio" in player.text
    chapter = client.get("/packages/eye-care/01-drops.mp3")
    assert chapter.headers["content-type"] == "audio/mpeg"
    (tmp_path / "drops.mp3").write_bytes(chapter.content)
    assert listen(tmp_path / "drops.mp3", tmp_path).speech_seconds > 1
    bundle = client.get(f"/api/guides/{guide['id']}/bundle.zip")
    assert bundle.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    assert "eye-care/index.html" in names and "eye-care/01-drops.mp3" in names


@pytest.mark.slow
def test_build_requests_at_one_moment_queue_one_build(tmp_path):
    from audioguide.settings import Request
    from audioguide.web.workbench import BuildRunning, Workbench

    bench = Workbench(tmp_path / "out")
    guide = bench.add(GUIDE.encode(), "eye-care.md")

    def ask(_):
        try:
            return bench.build(guide["id"], Request(engine="espeak")).id
        except BuildRunning:
            return None

    with ThreadPoolExecutor(4) as pool:
        jobs = [job for job in pool.map(ask, range(4)) if job]
    assert len(jobs) == 1 and list(bench.jobs) == jobs
    deadline = time.monotonic() + 120
    while bench.jobs[jobs[0]].state in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert bench.jobs[jobs[0]].state == "done"


@pytest.mark.slow
def test_say_returns_the_phrase_as_audio(client, tmp_path):
    response = client.post("/api/say", json={"text": "rituximab IV", "engine": "espeak"}, headers=OWN)
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    (tmp_path / "say.wav").write_bytes(response.content)
    heard = listen(tmp_path / "say.wav", tmp_path)
    assert heard.speech_seconds > 0.5
    assert "nothing to say" in one_line(client.post("/api/say", json={"text": " "}, headers=OWN), 400)


def test_a_build_that_cannot_work_is_refused_before_it_is_queued(client):
    guide = add_text(client)
    started = client.post(
        f"/api/guides/{guide['id']}/build", json={"engine": "piper", "voice": "/nope/x.onnx"}, headers=OWN
    )
    assert "x.onnx" in one_line(started, 400)
    assert client.get("/api/guides").json()[0]["job"] is None


@pytest.mark.slow
def test_a_workbench_that_stopped_does_not_stop_the_next_build(tmp_path):
    from .conftest import run

    with TestClient(create_app(tmp_path / "first"), base_url=SITE):
        pass  # started and stopped: its workers are stopped, and no more start for its builds
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    result = run("build", guide, "-o", tmp_path / "out", "--engine", "espeak")
    assert result.exit_code == 0 and "2 rendered" in result.stdout


def test_on_loopback_a_page_reaching_it_under_another_name_is_refused(tmp_path):
    """DNS rebinding: a site whose name points at 127.0.0.1 would pass an Origin check of its own."""
    with TestClient(create_app(tmp_path / "out"), base_url="http://evil.example:8000") as rebound:
        assert "only at its own address" in one_line(rebound.get("/api/guides"), 403)
        headers = {"origin": "http://evil.example:8000"}
        assert one_line(rebound.post("/api/guides", json={"text": GUIDE}, headers=headers), 403)
    with TestClient(create_app(tmp_path / "out"), base_url="http://localhost:8000") as local:
        assert local.get("/api/guides").status_code == 200
