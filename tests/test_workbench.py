"""The workbench's JSON API, its errors and its defences, through Starlette's test client."""

import io
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def worker_processes():
    """This test process's worker processes, by their process ids."""
    import os
    import subprocess

    listed = subprocess.run(
        ["ps", "-ww", "--ppid", str(os.getpid()), "-o", "pid=,args="], capture_output=True, text=True
    )
    return {int(line.split()[0]) for line in listed.stdout.splitlines() if "spawn_main" in line}


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
        added = list(pool.map(lambda n: bench.add(GUIDE.replace("4", str(n)).encode(), "eye-care.md")[0], range(6)))
    assert sorted(guide["slug"] for guide in added) == sorted(["eye-care", *(f"eye-care-{n}" for n in range(2, 7))])
    assert len({guide["id"] for guide in bench.guides()}) == 6


def test_the_same_document_added_again_opens_the_guide_already_there(client, tmp_path):
    first = add_text(client)
    again = client.post("/api/guides", json={"text": GUIDE, "name": "copy.md"}, headers=OWN)
    assert again.status_code == 200 and again.json()["existing"] is True and again.json()["id"] == first["id"]
    with open(DOCUMENTS / "typed.docx", "rb") as docx:
        word = client.post("/api/guides", files={"file": ("a.docx", docx.read())}, headers=OWN).json()
    with open(DOCUMENTS / "typed.docx", "rb") as docx:
        same = client.post("/api/guides", files={"file": ("b.docx", docx.read())}, headers=OWN).json()
    assert same["id"] == word["id"] and same["existing"] and not word["existing"]
    assert len(client.get("/api/guides").json()) == 2
    # At one moment, too: six uploads of one document are one guide.
    from audioguide.web.workbench import Workbench

    bench = Workbench(tmp_path / "other")
    with ThreadPoolExecutor(6) as pool:
        ids = set(pool.map(lambda _: bench.add(GUIDE.encode(), "eye-care.md")[0]["id"], range(6)))
    assert len(ids) == 1 and len(bench.guides()) == 1


def test_a_guide_is_deleted_and_its_package_stays_unless_asked(client, tmp_path):
    kept, gone = add_text(client), add_text(client, GUIDE + "\nMore.\n", "other.md")
    for guide in (kept, gone):
        package = tmp_path / "out" / guide["slug"]
        package.mkdir()
        (package / "manifest.json").write_text("{}", encoding="utf-8")
    assert client.delete(f"/api/guides/{kept['id']}", headers=OWN).status_code == 204
    assert client.delete(f"/api/guides/{gone['id']}?package=1", headers=OWN).status_code == 204
    assert client.get("/api/guides").json() == []
    assert (tmp_path / "out" / kept["slug"] / "manifest.json").exists()
    assert not (tmp_path / "out" / gone["slug"]).exists()
    assert not list((tmp_path / "out" / ".audioguide-workbench" / "guides").iterdir())
    assert "no such guide" in one_line(client.delete(f"/api/guides/{kept['id']}", headers=OWN), 404)
    assert one_line(client.delete(f"/api/guides/{gone['id']}", headers={"origin": "http://evil.example"}), 403)
    assert add_text(client)["id"] != kept["id"]  # added again, it is a new guide


def test_a_package_that_is_a_link_is_not_deleted_and_the_guide_stays(client, tmp_path):
    guide = add_text(client)
    elsewhere = tmp_path / "usb-stick" / "eye-care"
    elsewhere.mkdir(parents=True)
    (elsewhere / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "out" / guide["slug"]).symlink_to(elsewhere, target_is_directory=True)
    message = one_line(client.delete(f"/api/guides/{guide['id']}?package=1", headers=OWN), 400)
    assert "is a link to a folder elsewhere" in message and "Also delete its built audio package" in message
    assert str(tmp_path) not in message
    assert [g["id"] for g in client.get("/api/guides").json()] == [guide["id"]]  # nothing was deleted
    assert client.delete(f"/api/guides/{guide['id']}", headers=OWN).status_code == 204
    assert (elsewhere / "manifest.json").exists() and (tmp_path / "out" / guide["slug"]).is_symlink()


def test_the_clinic_lexicon_is_listed_changed_and_its_words_removed(client):
    guide = add_text(client, "# Care\n\n## Drops\n\nAsk about Xiidra and Restasis drops.\n")
    assert client.get("/api/lexicon").json() == []
    for word, sounds in (("Xiidra", "zye-dra"), ("Restasis", "reh-STAY-sis"), ("Xiidra", "ZYE-druh")):
        assert client.post("/api/lexicon", json={"word": word, "sounds_like": sounds}, headers=OWN).status_code == 201
    assert client.get("/api/lexicon").json() == [
        {"word": "Restasis", "sounds_like": "reh-STAY-sis"},
        {"word": "Xiidra", "sounds_like": "ZYE-druh"},
    ]
    assert client.delete("/api/lexicon/Xiidra", headers=OWN).status_code == 204
    assert [entry["word"] for entry in client.get("/api/lexicon").json()] == ["Restasis"]
    spoken = client.get(f"/api/guides/{guide['id']}/proof").json()[0]["spoken"]
    assert "Xiidra" in spoken and "reh-STAY-sis" in spoken
    assert "no such word" in one_line(client.delete("/api/lexicon/Xiidra", headers=OWN), 404)
    assert one_line(client.delete("/api/lexicon/Restasis"), 403)


PARTS = (
    "# Care\n\n## Drops\n\nUse the drops.\n\n## Our other clinics\n\nWe have three.\n\n## At Night\n\nUse the gel.\n"
)


def test_parts_are_left_out_or_renamed_and_the_proof_and_chapters_follow(client):
    guide = add_text(client, PARTS, "care.md")
    url = f"/api/guides/{guide['id']}"
    detail = client.post(f"{url}/parts/2", json={"title": "", "left_out": True}, headers=OWN).json()
    detail = client.post(f"{url}/parts/3", json={"title": "Your night routine", "left_out": False}, headers=OWN).json()
    assert [(p["number"], p["new_title"], p["left_out"]) for p in detail["parts"]] == [
        (1, "", False),
        (2, "", True),
        (3, "Your night routine", False),
    ]
    chapters = client.get(f"{url}/chapters").json()
    assert [(c["number"], c["title"], c["file_slug"]) for c in chapters] == [
        (1, "Drops", "drops"),
        (2, "Your night routine", "your-night-routine"),
    ]
    proof = client.get(f"{url}/proof").json()
    assert [(row["number"], row["title"], row["left_out"]) for row in proof] == [
        (1, "Drops", False),
        (2, "Our other clinics", True),
        (2, "Your night routine", False),
    ]
    assert "Part two of two." in proof[2]["spoken"] and "Your night routine." in proof[2]["spoken"]
    # Kept beside the document: a new server reads them again.
    assert client.get(url).json()["parts"] == detail["parts"]
    assert client.post(f"{url}/parts/1", json={"left_out": True}, headers=OWN).status_code == 200
    assert "every part is left out" in one_line(
        client.post(f"{url}/parts/3", json={"left_out": True}, headers=OWN), 400
    )
    client.post(f"{url}/parts/1", json={"left_out": False}, headers=OWN)
    assert "no part 9" in one_line(client.post(f"{url}/parts/9", json={"left_out": True}, headers=OWN), 400)
    back = client.post(f"{url}/parts/2", json={"title": "", "left_out": False}, headers=OWN).json()
    assert [p["left_out"] for p in back["parts"]] == [False, False, False]


def test_the_proof_shows_blocks_and_the_sentence_of_each_flag(client):
    text = "# Care\n\n## Drops\n\nTake the drops. Ask the RN about XQZ.\n\n- one drop\n- two drops\n"
    proof = client.get(f"/api/guides/{add_text(client, text)['id']}/proof").json()[0]
    kinds = [(u["kind"], u["block"]) for u in proof["utterances"]]
    assert kinds[:3] == [("announcement", None)] * 3  # the first part says the guide's title too
    assert kinds[3:] == [("paragraph", 0), ("paragraph", 0), ("item", 1), ("item", 2)]
    flag = next(f for f in proof["flags"] if f["text"] == "XQZ")
    assert flag["sentence"] == "Ask the RN about XQZ."


def test_voices_are_listed_by_engine_and_language(client):
    voices = client.get("/api/voices?engine=espeak&language=en").json()
    ids = [voice["id"] for voice in voices]
    assert "gmw/en-us" in ids and "gmw/en" in ids and all(v["languages"][0].startswith("en") for v in voices)
    assert set(voices[0]) == {"id", "name", "languages", "sample_rate", "licence"}
    assert "roa/es" in [voice["id"] for voice in client.get("/api/voices?engine=espeak&language=es").json()]
    assert "no such engine" in one_line(client.get("/api/voices?engine=martian"), 400)


def test_errors_name_the_file_as_it_was_added_and_no_server_path(client):
    message = one_line(
        client.post("/api/guides", files={"file": ("setup.docx", b"PK\x03\x04 not a zip")}, headers=OWN), 400
    )
    assert message.startswith("setup.docx: ") and ".audioguide-workbench" not in message and "/" not in message
    guide = add_text(client)
    wrong = one_line(
        client.post(f"/api/guides/{guide['id']}/build", json={"engine": "espeak", "voice": "martian"}, headers=OWN), 400
    )
    assert "audioguide voices" not in wrong and "choose a voice from the list" in wrong


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
        "/api/guides/..%2f..%2fsecret/book.epub",
        "/api/guides/not-an-id/daisy.zip",
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
    assert "not been built" in one_line(client.get(f"/api/guides/{guide['id']}/book.epub"), 404)
    assert "not been built" in one_line(client.get(f"/api/guides/{guide['id']}/daisy.zip"), 404)
    assert "no such page" in one_line(client.get("/api/nothing"), 404)


@pytest.mark.parametrize("value", ["yes", 1, "", [True]])
@pytest.mark.parametrize("setting", ["epub", "daisy"])
def test_a_talking_book_setting_that_is_not_true_or_false_is_one_clear_line(client, setting, value):
    guide = add_text(client)
    refused = client.post(f"/api/guides/{guide['id']}/build", json={setting: value}, headers=OWN)
    assert one_line(refused, 400) == f'{setting}: send true or false, e.g. {{"{setting}": true}}'
    detail = client.get(f"/api/guides/{guide['id']}").json()
    assert detail["settings"] == {} and detail["job"] is None  # nothing kept, nothing queued


def test_the_talking_books_asked_for_reach_the_request_and_the_others_are_resolved(client):
    from audioguide.settings import Request
    from audioguide.web.workbench import parse_request

    assert parse_request({"daisy": True, "epub": False}) == Request(epub=False, daisy=True)
    assert parse_request({"daisy": None}) == Request()
    # Not asked: what the guide is read with says what resolving decided (the EPUB, no DAISY book).
    reads = client.get(f"/api/guides/{add_text(client)['id']}").json()["reads_with"]
    assert (reads["epub"], reads["daisy"]) == (True, False)


def test_a_talking_book_is_served_only_as_its_last_build_listed_it_and_never_from_outside(client, tmp_path):
    guide = add_text(client)
    url = f"/api/guides/{guide['id']}"
    package = tmp_path / "out" / guide["slug"]
    (package / "daisy").mkdir(parents=True)
    (package / "daisy" / "ncc.html").write_text("<html/>", encoding="utf-8")
    (package / "eye-care.epub").write_bytes(b"PK book")
    listed = ["eye-care.epub", "daisy", "manifest.json"]
    (package / "manifest.json").write_text(json.dumps({"files": listed}), encoding="utf-8")
    assert client.get("/api/guides").json()[0]["built"]["books"] == ["epub", "daisy"]
    assert client.get(f"{url}/book.epub").content == b"PK book"
    zipped = zipfile.ZipFile(io.BytesIO(client.get(f"{url}/daisy.zip").content))
    assert zipped.namelist() == ["eye-care/daisy/ncc.html"]
    # A link planted in the package leads nowhere, whether it is the book or inside it.
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (package / "daisy" / "01.mp3").symlink_to(secret)
    for route in ("daisy.zip", "bundle.zip"):
        response = client.get(f"{url}/{route}")
        assert one_line(response, 404) == "no such file" and b"secret" not in response.content
    (package / "daisy" / "01.mp3").unlink()
    (package / "eye-care.epub").unlink()
    (package / "eye-care.epub").symlink_to(secret)
    assert one_line(client.get(f"{url}/book.epub"), 404) == "no such file"
    # A book the last build did not make is not offered, whatever is left in the folder.
    (package / "manifest.json").write_text(json.dumps({"files": ["manifest.json"]}), encoding="utf-8")
    assert client.get("/api/guides").json()[0]["built"]["books"] == []
    assert "made no DAISY book; tick it" in one_line(client.get(f"{url}/daisy.zip"), 404)
    assert "made no EPUB talking book" in one_line(client.get(f"{url}/book.epub"), 404)


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
    # The EPUB is made unless left out; the DAISY book only when asked.
    assert listed["built"]["books"] == ["epub"] and "eye-care/eye-care.epub" in names
    assert "made no DAISY book" in one_line(client.get(f"/api/guides/{guide['id']}/daisy.zip"), 404)


@pytest.mark.slow
def test_build_requests_at_one_moment_queue_one_build(tmp_path):
    from audioguide.web.workbench import BuildRunning, Workbench

    bench = Workbench(tmp_path / "out")
    guide, _ = bench.add(GUIDE.encode(), "eye-care.md")

    def ask(_):
        try:
            return bench.build(guide["id"], {"engine": "espeak"}).id
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


@pytest.mark.slow
def test_a_build_says_its_phases_from_the_start_and_estimates_from_the_measured_speed(tmp_path):
    from audioguide.build.run import build_guides
    from audioguide.build.types import Phase
    from audioguide.settings import Request

    from .conftest import REFERENCE

    def build(force):
        seen = []
        build_guides([REFERENCE], tmp_path / "out", Request(engine="espeak"), progress=seen.append, force=force)
        return seen

    first = build(False)
    assert first[0].phase is Phase.READING and first[-1].phase is Phase.JOINING
    phases = [update.phase for update in first]
    assert phases.index(Phase.LOADING) < phases.index(Phase.SPEAKING) < phases.index(Phase.JOINING)
    # The number of parts is known before anything is spoken, and never changes.
    assert {update.total for update in first[1:]} == {4}
    speaking = [update for update in first if update.phase is Phase.SPEAKING]
    assert [u.done for u in speaking if u.chapter] == [1, 2, 3, 4] and any(u.speaking for u in speaking)
    # The next build knows this machine's speed from the first second, and is corrected as it goes.
    again = build(True)
    loading = next(update for update in again if update.phase is Phase.LOADING)
    assert loading.seconds_left is not None and 0 < loading.seconds_left < 60
    assert (tmp_path / "out" / ".audioguide-cache" / "speeds.json").exists()
    # Nothing to speak: straight from reading to joining, every part ready.
    assert [update.phase for update in build(False)] == [Phase.READING, Phase.JOINING]


@pytest.mark.slow
def test_a_guide_keeps_its_settings_and_a_rebuild_from_a_fresh_page_uses_them(client):
    guide = add_text(client)
    started = client.post(
        f"/api/guides/{guide['id']}/build", json={"engine": "espeak", "rate": 140, "format": "ogg"}, headers=OWN
    )
    wait_for(client, started.json()["job"])
    detail = client.get(f"/api/guides/{guide['id']}").json()
    assert detail["settings"] == {"engine": "espeak", "rate": 140, "format": "ogg"}
    assert detail["reads_with"]["engine"] == "espeak" and detail["reads_with"]["rate"] == 140
    again = client.post(f"/api/guides/{guide['id']}/build", json={}, headers=OWN)  # "Build again": nothing sent
    assert wait_for(client, again.json()["job"])[-1]["state"] == "done"
    built = client.get("/api/guides").json()[0]["built"]["settings"]
    assert (built["engine"], built["rate"], built["format"]) == ("espeak", 140, "ogg")
    # What the page sends wins, and is kept: the natural voice asked for again is "" (the default).
    client.post(f"/api/guides/{guide['id']}/build", json={"engine": "", "rate": 150}, headers=OWN)
    assert client.get(f"/api/guides/{guide['id']}").json()["settings"] == {"rate": 150, "format": "ogg"}


@pytest.mark.slow
def test_the_talking_books_are_made_when_asked_kept_and_downloaded(client, tmp_path):
    guide = add_text(client, PARTS, "care.md")
    url = f"/api/guides/{guide['id']}"
    client.post(f"{url}/parts/2", json={"left_out": True}, headers=OWN)
    started = client.post(f"{url}/build", json={"engine": "espeak", "daisy": True}, headers=OWN)
    assert wait_for(client, started.json()["job"])[-1]["state"] == "done"
    detail = client.get(url).json()
    assert detail["settings"] == {"engine": "espeak", "daisy": True}
    assert (detail["reads_with"]["epub"], detail["reads_with"]["daisy"]) == (True, True)
    assert detail["built"]["books"] == ["epub", "daisy"]
    package = tmp_path / "out" / "care"
    epub = client.get(f"{url}/book.epub")
    assert epub.headers["content-type"] == "application/epub+zip"
    assert epub.headers["content-disposition"] == 'attachment; filename="care.epub"'
    assert epub.content == (package / "care.epub").read_bytes()
    daisy = client.get(f"{url}/daisy.zip")
    assert daisy.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(daisy.content)).namelist()
    book = sorted(f"care/{p.relative_to(package).as_posix()}" for p in (package / "daisy").rglob("*") if p.is_file())
    assert "care/daisy/ncc.html" in names and sorted(names) == book
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    left_out = detail["parts"][1]
    assert left_out["left_out"] and manifest["left_out"] == [{"number": 2, "title": left_out["title"]}]
    # Left out, both are kept so, neither is offered, and the DAISY book is gone from the package.
    again = client.post(f"{url}/build", json={"epub": False, "daisy": False}, headers=OWN)
    assert wait_for(client, again.json()["job"])[-1]["state"] == "done"
    detail = client.get(url).json()
    assert detail["settings"] == {"engine": "espeak", "epub": False, "daisy": False}
    assert detail["built"]["books"] == [] and not (package / "daisy").exists()
    assert "made no DAISY book" in one_line(client.get(f"{url}/daisy.zip"), 404)
    assert "made no EPUB talking book" in one_line(client.get(f"{url}/book.epub"), 404)


@pytest.mark.slow
def test_stop_ends_a_build_as_stopped_and_keeps_the_last_package(tmp_path):
    from audioguide.web.workbench import Workbench

    from .conftest import REFERENCE

    bench = Workbench(tmp_path / "out")
    guide, _ = bench.add(REFERENCE.read_bytes(), "reference.txt")
    first = bench.build(guide["id"], {"engine": "espeak"})
    poll(lambda: first.state == "done", 120)
    package = tmp_path / "out" / "reference"
    before = {path.name: path.read_bytes() for path in package.iterdir()}
    second = bench.build(guide["id"], {"engine": "espeak", "rate": 120})
    poll(lambda: second.state == "running", 30)
    assert bench.stop(second.id) is second
    poll(lambda: second.state not in ("queued", "running"), 60)
    assert second.state == "stopped" and second.as_json()["seconds_left"] is None
    assert {path.name: path.read_bytes() for path in package.iterdir()} == before
    # The next build runs as usual.
    third = bench.build(guide["id"], {})
    poll(lambda: third.state == "done", 120)


def poll(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.slow
def test_phrases_are_said_by_one_worker_kept_per_engine(client):
    assert not any(engine["warm"] for engine in client.get("/api/choices").json()["engines"])
    others = worker_processes()  # what earlier tests' servers left stopping
    for text in ("rituximab", "IV therapy", "Sjögren's"):
        response = client.post("/api/say", json={"text": text, "engine": "espeak"}, headers=OWN)
        assert response.status_code == 200
        if text == "rituximab":
            kept = worker_processes() - others
    assert len(kept) == 1 and kept <= worker_processes()  # the same worker said all three, and is still there
    assert {e["name"]: e["warm"] for e in client.get("/api/choices").json()["engines"]}["espeak"] is True


@pytest.mark.slow
def test_a_kept_worker_that_died_while_it_waited_is_replaced_for_the_next_phrase(client):
    import os
    import signal

    others = worker_processes()
    phrase = {"text": "rituximab", "engine": "espeak"}
    assert client.post("/api/say", json=phrase, headers=OWN).status_code == 200
    kept = worker_processes() - others
    assert len(kept) == 1
    # What the kernel does to a process when memory runs out, hours after the last phrase.
    worker = kept.pop()
    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{worker}/stat").read_text().split(") ")[1][0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)  # until it is gone (its pipe closed), before the next phrase is sent to it
    response = client.post("/api/say", json=phrase, headers=OWN)
    assert response.status_code == 200, response.text
    assert response.content[:4] == b"RIFF" and len(response.content) > 10_000


@pytest.mark.slow
def test_an_engine_asked_to_warm_loads_before_its_first_phrase_and_only_once(client):
    def warm():
        return {e["name"]: e["warm"] for e in client.get("/api/choices").json()["engines"]}["espeak"]

    assert warm() is False
    others = worker_processes()  # what earlier tests' servers left stopping
    answers = [client.post("/api/engines/espeak/warm", headers=OWN) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [202, 202, 202]
    assert answers[0].json()["engine"] == "espeak"
    deadline = time.monotonic() + 60
    while not warm() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert warm() is True
    assert len(worker_processes() - others) == 1  # three asks, one worker
    assert client.post("/api/say", json={"text": "rituximab", "engine": "espeak"}, headers=OWN).status_code == 200
    assert len(worker_processes() - others) == 1  # and the phrase was said by it


def test_an_unknown_engine_is_not_warmed_and_another_sites_page_cannot_warm_one(client):
    assert "no such engine" in one_line(client.post("/api/engines/festival/warm", headers=OWN), 400)
    assert "only the workbench's own page" in one_line(client.post("/api/engines/espeak/warm"), 403)
    assert client.get("/api/engines/espeak/warm").status_code == 405


@pytest.mark.slow
def test_with_the_natural_voice_hear_it_answers_within_two_seconds_after_the_first_time(client):
    from .conftest import require_piper

    require_piper()
    said = []
    for _ in range(3):
        started = time.monotonic()
        response = client.post(
            "/api/say", json={"text": "Take 5 mg of hydroxychloroquine", "engine": "piper"}, headers=OWN
        )
        said.append(time.monotonic() - started)
        assert response.status_code == 200
    assert max(said[1:]) <= 2.0, said
