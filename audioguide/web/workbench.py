"""The workbench's state, over the same core the command line uses: guides added, builds queued.

Everything lives in the output folder: each added document in ``.audioguide-workbench/guides/<id>/``
(under a name made from its title, never the uploaded file's name), the clinic lexicon the page
edits in ``.audioguide-workbench/clinic.toml``, and the packages where ``audioguide build`` puts them.
"""

from __future__ import annotations

import json
import queue
import re
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import AudioguideError, InputError
from ..files import atomic_path
from ..read import reader_for
from ..read.chapters import Guide, guide_slug
from ..settings import Request, Settings
from ..speech.lexicon import parse_lexicon

FOLDER = ".audioguide-workbench"
#: The suffix a document is kept under, by the reader that recognised it.
SUFFIXES = {"PDF document": ".pdf", "Word document": ".docx", "web page": ".html"}
GUIDE_ID = re.compile(r"[0-9a-f]{16}")


@dataclass
class Job:
    guide: str
    state: str = "queued"
    """queued, running, done or failed."""
    done: int = 0
    total: int = 0
    seconds_left: float | None = None
    error: str | None = None
    id: str = field(default_factory=lambda: secrets.token_hex(8))

    def as_json(self) -> dict:
        return {
            "job": self.id, "guide": self.guide, "state": self.state, "done": self.done, "total": self.total,
            "seconds_left": self.seconds_left, "error": self.error,
        }  # fmt: skip


class Workbench:
    """Guides added from the page, and the builds of them, one at a time, off the request path."""

    def __init__(self, output: Path) -> None:
        self.output = Path(output).absolute()
        self.folder = self.output / FOLDER
        (self.folder / "guides").mkdir(parents=True, exist_ok=True)
        self.jobs: dict[str, Job] = {}
        # Requests run on threads of their own: choosing a free name and queueing a build are
        # each one step, and listing never meets the jobs' table halfway through a change.
        self._lock = threading.Lock()
        self._adding: set[str] = set()
        self._queue: queue.Queue[tuple[Job, Request]] = queue.Queue()
        # A daemon thread: stopping the server never waits for a build (its workers die with it,
        # and the package it was writing stays as it was).
        threading.Thread(target=self._builder, name="audioguide-builds", daemon=True).start()

    # --- guides ---------------------------------------------------------------------------------

    def add(self, data: bytes, name: str) -> dict:
        """Keep a document (checked by its content, not its name) and return what it reads as."""
        if not data.strip():
            raise InputError("the document is empty; choose the guide's file or paste its text")
        stem = Path(name.replace("\\", "/")).name
        reader = reader_for(Path(stem), data)
        suffix = SUFFIXES.get(reader.name) or (".md" if stem.lower().endswith((".md", ".markdown")) else ".txt")
        guide_id = secrets.token_hex(8)
        folder = self.folder / "guides" / guide_id
        with self._lock:
            slug = self._free_slug(guide_slug(Path(stem).stem or "guide"))
            self._adding.add(slug)  # taken until its guide.json is written or the document refused
        try:
            folder.mkdir(parents=True)
            path = folder / f"{slug}{suffix}"
            path.write_bytes(data)
            try:
                guide, settings = self.load(guide_id)  # a document no reader can read is refused now, and not kept
            except AudioguideError:
                _remove(folder)
                raise
            # What the list shows is read once, here: listing never reads every document again.
            info = {
                "id": guide_id, "name": stem[:200], "slug": slug, "added": time.time(), "title": guide.title,
                "chapters": len(guide.chapters), "words": guide.words, "language": settings.language,
            }  # fmt: skip
            (folder / "guide.json").write_text(json.dumps(info), encoding="utf-8")
        finally:
            with self._lock:
                self._adding.discard(slug)
        return self.describe(guide_id)

    def _free_slug(self, slug: str) -> str:
        taken = {info["slug"] for info in self.infos()} | self._adding
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def infos(self) -> list[dict]:
        infos = []
        for file in sorted((self.folder / "guides").glob("*/guide.json")):
            try:
                infos.append(json.loads(file.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return sorted(infos, key=lambda info: info["added"], reverse=True)

    def script(self, guide_id: str) -> Path:
        if not GUIDE_ID.fullmatch(guide_id):
            raise UnknownGuide(guide_id)
        found = [p for p in (self.folder / "guides" / guide_id).glob("*") if p.name != "guide.json"]
        if not found:
            raise UnknownGuide(guide_id)
        return found[0]

    def load(self, guide_id: str, request: Request | None = None) -> tuple[Guide, Settings]:
        from ..build.plan import load_guide

        return load_guide(self.script(guide_id), self.request(request or Request()))

    def request(self, request: Request) -> Request:
        """The clinic lexicon the page edits applies to every proof, phrase and build."""
        lexicon = self.lexicon_path
        if lexicon.exists() and lexicon not in request.lexicons:
            return replace(request, lexicons=(*request.lexicons, lexicon))
        return request

    def describe(self, guide_id: str) -> dict:
        script = self.script(guide_id)
        info = json.loads((script.parent / "guide.json").read_text(encoding="utf-8"))
        manifest = self.output / info["slug"] / "manifest.json"
        built = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else None
        with self._lock:
            jobs = list(self.jobs.values())
        running = next((j for j in jobs if j.guide == guide_id and j.state in ("queued", "running")), None)
        return {
            **{key: info[key] for key in ("title", "name", "slug", "added", "chapters", "words", "language")},
            "id": guide_id,
            "built": None
            if built is None
            else {
                "seconds": built.get("duration_seconds"),
                "settings": built.get("settings"),
                "player": f"/packages/{info['slug']}/index.html",
                "when": manifest.stat().st_mtime,
            },
            "job": running.id if running else None,
        }

    def guides(self) -> list[dict]:
        described = []
        for info in self.infos():
            try:
                described.append(self.describe(info["id"]))
            except (AudioguideError, UnknownGuide, OSError):
                continue
        return described

    def package(self, guide_id: str) -> Path:
        info = json.loads((self.script(guide_id).parent / "guide.json").read_text(encoding="utf-8"))
        return self.output / info["slug"]

    # --- the clinic lexicon -----------------------------------------------------------------------

    @property
    def lexicon_path(self) -> Path:
        return self.folder / "clinic.toml"

    def add_word(self, word: str, sounds_like: str) -> None:
        word, sounds_like = word.strip(), " ".join(sounds_like.split())
        if not re.fullmatch(r"[^\W\d_][\w’'-]*", word):
            raise InputError("give one word, such as rituximab, to add to the clinic lexicon")
        if not sounds_like or any(ch in sounds_like for ch in '"\\[]\n'):
            raise InputError('say how the word sounds in plain letters, e.g. "rih-TUCK-sih-mab"')
        lines = self.lexicon_path.read_text(encoding="utf-8").splitlines() if self.lexicon_path.exists() else []
        key = json.dumps(word, ensure_ascii=False)
        lines = [line for line in lines if not line.startswith(f"{key} =")]
        lines.append(f'{key} = "{sounds_like}"')
        text = "\n".join(lines) + "\n"
        parse_lexicon(text, "clinic lexicon")  # never write a lexicon that would not load
        with atomic_path(self.lexicon_path) as temp:
            temp.write_text(text, encoding="utf-8")

    # --- builds -----------------------------------------------------------------------------------

    def build(self, guide_id: str, request: Request) -> Job:
        # Settings that cannot work are refused now (resolving them checks them), not once the build's turn comes.
        self.load(guide_id, request)
        with self._lock:
            if any(j.guide == guide_id and j.state in ("queued", "running") for j in self.jobs.values()):
                raise BuildRunning("this guide is being built already; wait for that build to finish")
            job = Job(guide_id)
            self.jobs[job.id] = job
        self._queue.put((job, request))
        return job

    def _builder(self) -> None:
        from ..build.run import build_guides

        while True:
            job, request = self._queue.get()
            job.state = "running"

            def progress(update, job=job):
                job.done, job.total, job.seconds_left = update.done, update.total, update.seconds_left

            try:
                build_guides([self.script(job.guide)], self.output, self.request(request), progress=progress)
                job.state, job.done = "done", job.total
            except AudioguideError as error:
                job.state, job.error = "failed", str(error)
            except Exception as error:  # the page must hear of any failure, and the server go on
                job.state, job.error = "failed", f"the build stopped unexpectedly ({type(error).__name__}: {error})"


class UnknownGuide(LookupError):
    """No guide of that id was added to this workbench."""


class BuildRunning(AudioguideError):
    """A build of the same guide is queued or running."""


def parse_request(data: dict) -> Request:
    """What the page asked for, from its JSON (resolving it checks the values); anything wrong is one clear line."""
    if not isinstance(data, dict):
        raise InputError('send the settings as a JSON object, e.g. {"engine": "espeak", "rate": 150}')
    known = {"engine", "voice", "rate", "preset", "format", "language"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"unknown setting {', '.join(unknown)}; the settings are {', '.join(sorted(known))}")
    rate = data.get("rate")
    if rate not in (None, "") and not str(rate).isdigit():
        raise InputError("rate: give words per minute as a number, e.g. 150")
    return Request(
        engine=_text(data, "engine"),
        voice=_text(data, "voice"),
        rate=int(rate) if rate not in (None, "") else None,
        preset=_text(data, "preset"),
        audio_format=_text(data, "format"),
        language=_text(data, "language"),
    )


def _text(data: dict, key: str) -> str | None:
    value = data.get(key)
    return str(value) if value not in (None, "") else None


def _remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
