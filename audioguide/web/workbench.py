"""The workbench's state, over the same core the command line uses: guides added, builds queued.

Everything lives in the output folder: each added document in ``.audioguide-workbench/guides/<id>/``
(under a name made from the uploaded file's name, never that name itself) with ``guide.json`` (what
the list shows, the document's digest and the settings of its last build) and ``edits.json`` (parts
left out or renamed); the clinic lexicon the page edits in ``.audioguide-workbench/clinic.toml``;
the builds' last state in ``.audioguide-workbench/jobs.json``; the packages where ``audioguide
build`` puts them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import queue
import re
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..build.phrase import RENDER_PHRASE, TIME_LIMIT
from ..build.types import Phase, Progress
from ..build.workers import KeptWorkers, StopButton
from ..engines import catalogue, catalogues
from ..errors import AudioguideError, InputError, Stopped
from ..files import TEMP_PREFIX, atomic_path, write_text_atomic
from ..outputs.bundle import bundle_path
from ..outputs.daisy import FOLDER as DAISY_FOLDER
from ..outputs.manifest import read_manifest
from ..read import reader_for
from ..read.chapters import Guide, guide_slug
from ..read.edits import PartEdit, apply_edits
from ..settings import Request, Settings, resolve
from ..speech.lexicon import parse_lexicon

FOLDER = ".audioguide-workbench"
INFO, EDITS = "guide.json", "edits.json"
#: The suffix a document is kept under, by the reader that recognised it.
SUFFIXES = {"PDF document": ".pdf", "Word document": ".docx", "web page": ".html"}
GUIDE_ID = re.compile(r"[0-9a-f]{16}")
#: The settings the page sends and a guide keeps, as the page names them.
SETTINGS = ("engine", "voice", "rate", "preset", "format", "language", "epub", "daisy")
#: Those that are yes or no: which talking books the package holds.
SWITCHES = ("epub", "daisy")
#: The talking books a package may hold, as the page names them: each one's name in the package
#: (as outputs/epub.py and outputs/daisy.py write them), and what the page calls it.
BOOKS = {"epub": ("{slug}.epub", "EPUB talking book"), "daisy": (DAISY_FOLDER, "DAISY book")}
#: Builds whose last state is kept: a page opened later, or after a restart, still finds them.
KEPT_JOBS = 50
#: States of a build that has not ended.
UNDER_WAY = ("queued", "running")
#: Core messages that name a command or an option, in the page's words instead.
PAGE_WORDS = [
    (re.compile(r"; run 'audioguide voices' to see the voices you can use"), "; choose a voice from the list"),
    (re.compile(r"; pick one from 'audioguide voices'"), "; choose another voice from the list"),
    (re.compile(r" \(audioguide voices --language [\w-]+\)"), ""),
    (re.compile(r"; see 'audioguide languages'"), ""),
    (re.compile(r"--engine (\S+):"), r"engine \1:"),
    (re.compile(r"--rate (\d+)"), r"the speed \1"),
    (re.compile(r" or choose another folder with -o|; choose another folder with -o|, or choose another -o"), ""),
    (re.compile(r"; give a phrase, e\.g\. audioguide say .*"), "; type a word or a sentence first"),
    (re.compile(r"; if letters look wrong, give --encoding"), ""),
]


@dataclass
class Job:
    """A build asked for from the page, as the page sees it."""

    guide: str
    request: dict
    """The settings asked for, as the page names them: the build can be run again with them."""
    state: str = "queued"
    """queued, running, done, failed, stopped, or interrupted (the workbench stopped during it)."""
    phase: str = "Waiting to start"
    """What the build is doing, in a short line."""
    done: int = 0
    """Parts ready."""
    total: int = 0
    """Parts of the guide: known once it is read."""
    finish_at: float | None = None
    """When it is expected to end (seconds since the epoch), from the last estimate."""
    error: str | None = None
    started: float = field(default_factory=time.time)
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    stop: StopButton = field(default_factory=StopButton, repr=False, compare=False)

    @property
    def seconds_left(self) -> float | None:
        if self.state != "running" or self.finish_at is None:
            return None
        return round(max(0.0, self.finish_at - time.time()), 1)

    def as_json(self) -> dict:
        kept = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "stop"}
        return {**kept, "request": dict(self.request), "job": self.id, "seconds_left": self.seconds_left}

    @classmethod
    def from_json(cls, data: dict) -> Job:
        known = {key: data[key] for key in data if key in cls.__dataclass_fields__ and key != "stop"}
        return cls(**known)


class Workbench:
    """Guides added from the page, and the builds of them, one at a time, off the request path."""

    def __init__(self, output: Path) -> None:
        self.output = Path(output).absolute()
        self.folder = self.output / FOLDER
        (self.folder / "guides").mkdir(parents=True, exist_ok=True)
        #: One worker per engine kept for the page's phrases ("Hear it").
        self.speakers = KeptWorkers(RENDER_PHRASE, TIME_LIMIT)
        # Requests run on threads of their own: choosing a free name, queueing a build and saving
        # the jobs are each one step, and listing never meets the jobs' table halfway through a change.
        self._lock = threading.RLock()
        self._adding: set[str] = set()
        self._digests: dict[str, threading.Event] = {}
        self._closed = False
        self.jobs = self._read_jobs()
        self._queue: queue.Queue[Job] = queue.Queue()
        # A daemon thread: stopping the server never waits for a build (its workers die with it,
        # and the package it was writing stays as it was).
        threading.Thread(target=self._builder, name="audioguide-builds", daemon=True).start()

    def close(self) -> None:
        """The workbench is stopping: a build under way is interrupted (its workers are about to be
        stopped, and what it then reports is not how it ended)."""
        with self._lock:
            self._closed = True
            for job in self.jobs.values():
                if job.state in UNDER_WAY:
                    job.state, job.phase, job.finish_at = "interrupted", "Interrupted: the workbench stopped", None
            self._save_jobs()
        self.speakers.close()

    # --- guides ---------------------------------------------------------------------------------

    def add(self, data: bytes, name: str) -> tuple[dict, bool]:
        """Keep a document (checked by its content, not its name) and return what it reads as, and
        whether it is new: the same document added again is the guide already there."""
        if not data.strip():
            raise InputError("the document is empty; choose the guide's file or paste its text")
        digest = hashlib.sha256(data).hexdigest()
        while True:
            with self._lock:
                same = self._with_digest(digest)
                if same is not None:
                    return self.describe(same), False
                adding = self._digests.get(digest)
                if adding is None:
                    self._digests[digest] = threading.Event()
                    break
            adding.wait()  # the same document, added at this moment: its guide is the one
        try:
            return self._add_new(data, name, digest), True
        finally:
            with self._lock:
                self._digests.pop(digest).set()

    def _add_new(self, data: bytes, name: str, digest: str) -> dict:
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
                guide, settings = self.load(guide_id, Request())  # a document no reader can read is refused now
            except AudioguideError as error:
                shutil.rmtree(folder, ignore_errors=True)
                # The message names the file as the person knows it, not where the server keeps it.
                raise type(error)(str(error).replace(str(path), stem[:200])) from None
            # What the list shows is read once, here: listing never reads every document again.
            info = {
                "id": guide_id, "name": stem[:200], "slug": slug, "added": time.time(), "title": guide.title,
                "chapters": len(guide.chapters), "words": guide.words, "language": settings.language,
                "sha256": digest, "settings": {},
            }  # fmt: skip
            write_text_atomic(folder / INFO, json.dumps(info))
        finally:
            with self._lock:
                self._adding.discard(slug)
        return self.describe(guide_id)

    def _with_digest(self, digest: str) -> str | None:
        for info in self.infos():
            known = info.get("sha256")
            if known is None:  # a guide added before documents were recognised by their digest
                try:
                    known = hashlib.sha256(self.script(info["id"]).read_bytes()).hexdigest()
                except (OSError, UnknownGuide):
                    continue
            if known == digest:
                return info["id"]
        return None

    def _free_slug(self, slug: str) -> str:
        taken = {info["slug"] for info in self.infos()} | self._adding
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def infos(self) -> list[dict]:
        infos = []
        for file in sorted((self.folder / "guides").glob(f"*/{INFO}")):
            try:
                infos.append(json.loads(file.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return sorted(infos, key=lambda info: info["added"], reverse=True)

    def info(self, guide_id: str) -> dict:
        if not GUIDE_ID.fullmatch(guide_id):
            raise UnknownGuide(guide_id)
        try:
            return json.loads((self.folder / "guides" / guide_id / INFO).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise UnknownGuide(guide_id) from None

    def _write_info(self, guide_id: str, **changes) -> None:
        with self._lock:
            info = {**self.info(guide_id), **changes}
            write_text_atomic(self.folder / "guides" / guide_id / INFO, json.dumps(info))

    def script(self, guide_id: str) -> Path:
        if not GUIDE_ID.fullmatch(guide_id):
            raise UnknownGuide(guide_id)
        # Not its kept settings or edits, nor one of them being written (the document never changes).
        found = [
            p
            for p in (self.folder / "guides" / guide_id).glob("*")
            if p.name not in (INFO, EDITS) and not p.name.startswith(TEMP_PREFIX)
        ]
        if not found:
            raise UnknownGuide(guide_id)
        return found[0]

    def load(self, guide_id: str, request: Request | None = None) -> tuple[Guide, Settings]:
        """The guide with its parts' edits, and its settings: those asked for, else those it keeps."""
        from ..build.plan import load_guide

        asked = self.request(request or self.kept_request(guide_id))
        return load_guide(self.script(guide_id), asked, edits=self.edits(guide_id))

    def request(self, request: Request) -> Request:
        """The clinic lexicon the page edits applies to every proof, phrase and build."""
        lexicon = self.lexicon_path
        if lexicon.exists() and lexicon not in request.lexicons:
            return replace(request, lexicons=(*request.lexicons, lexicon))
        return request

    def kept_settings(self, guide_id: str) -> dict:
        """The settings of the guide's last build, as the page names them."""
        kept = self.info(guide_id).get("settings")
        return kept if isinstance(kept, dict) else {}

    def kept_request(self, guide_id: str) -> Request:
        return parse_request(self.kept_settings(guide_id))

    def describe(self, guide_id: str) -> dict:
        info = self.info(guide_id)
        manifest = self.output / info["slug"] / "manifest.json"
        built = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else None
        last = self.last_job(guide_id)
        listed = built.get("files", []) if built else []
        return {
            **{key: info[key] for key in ("title", "name", "slug", "added", "chapters", "words", "language")},
            "id": guide_id,
            "settings": self.kept_settings(guide_id),
            "built": None
            if built is None
            else {
                "seconds": built.get("duration_seconds"),
                "settings": built.get("settings"),
                "player": f"/packages/{info['slug']}/index.html",
                "when": manifest.stat().st_mtime,
                "books": [book for book, (name, _) in BOOKS.items() if name.format(slug=info["slug"]) in listed],
            },
            "job": last.id if last and last.state in UNDER_WAY else None,
            "build": last.as_json() if last else None,
        }

    def detail(self, guide_id: str) -> dict:
        """What the page shows of an opened guide: its parts with their edits, and how it will be read."""
        from ..build.plan import load_guide

        guide, settings = load_guide(self.script(guide_id), self.request(self.kept_request(guide_id)))
        edited = apply_edits(guide, self.edits(guide_id))
        parts, kept = [], iter(edited.chapters)
        for chapter in guide.chapters:
            left_out = any(chapter is gone for gone in edited.left_out)
            title = chapter.title if left_out else next(kept).title
            parts.append({
                "number": chapter.number, "title": chapter.title, "new_title": "" if title == chapter.title else title,
                "left_out": left_out, "words": chapter.words,
                "estimated_seconds": chapter.estimated_seconds(settings.rate),
            })  # fmt: skip
        usual = resolve(Request(language=settings.language), guide.script.meta, catalogues())
        return {
            **self.describe(guide_id),
            "parts": parts,
            "reads_with": _reading(settings),
            "usual": _reading(usual),
            "notes": [*edited.script.notices, *settings.notes],
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
        return self.output / self.info(guide_id)["slug"]

    def built(self, guide_id: str, book: str | None = None) -> Path:
        """The guide's built package, or one of its talking books (a key of :data:`BOOKS`): only as its
        last build listed it, and only while nothing in it leads outside the package (a planted link)."""
        folder = self.package(guide_id)
        listed = read_manifest(folder).get("files")
        if not isinstance(listed, list):
            raise NotInPackage("this guide has not been built yet; build it first")
        path = folder
        if book is not None:
            name, called = BOOKS[book]
            path = folder / name.format(slug=folder.name)
            if path.name not in listed:
                raise NotInPackage(
                    f"this guide's last build made no {called}; tick it under “Choose how it sounds” and build again"
                )
            if not path.exists():
                raise NotInPackage(f"this guide's {called} is missing from its package; build it again")
        root = folder.resolve()
        for found in [path, *(path.rglob("*") if path.is_dir() else [])]:
            if found.resolve() != root and root not in found.resolve().parents:
                raise NotInPackage("no such file")
        return path

    def delete(self, guide_id: str, package: bool) -> None:
        """Remove a guide from the workbench (and its built package, if asked)."""
        with self._lock:
            folder = self.package(guide_id)
            last = self.last_job(guide_id)
            if last and last.state in UNDER_WAY:
                raise BuildRunning("this guide is being built; stop the build first, then delete it")
            if package and folder.is_symlink():
                # Refused before anything is deleted: the folder it leads to may be anyone's.
                raise InputError(
                    f"its audio package {folder.name} is a link to a folder elsewhere, which the workbench does "
                    "not delete; untick “Also delete its built audio package”, or delete that folder yourself"
                )
            shutil.rmtree(self.folder / "guides" / guide_id)
            self.jobs = {key: job for key, job in self.jobs.items() if job.guide != guide_id}
            self._save_jobs()
        if package and folder.parent == self.output and (folder / "manifest.json").is_file():
            shutil.rmtree(folder)
            for zipped in (bundle_path(folder), bundle_path(folder, DAISY_FOLDER)):
                zipped.unlink(missing_ok=True)

    # --- parts left out or renamed --------------------------------------------------------------

    def edits(self, guide_id: str) -> list[PartEdit]:
        try:
            data = json.loads((self.script(guide_id).parent / EDITS).read_text(encoding="utf-8"))
            return [PartEdit(**edit) for edit in data]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, TypeError):
            raise InputError("this guide's changes to its parts could not be read; change a part again") from None

    def edit_part(self, guide_id: str, number: int, new_title: str, left_out: bool) -> None:
        """Leave a part of the document out, or give it another title; an empty title keeps the document's."""
        from ..build.plan import load_guide

        guide, _ = load_guide(self.script(guide_id), self.request(self.kept_request(guide_id)))
        chapter = next((c for c in guide.chapters if c.number == number), None)
        if chapter is None:
            raise InputError(f"the document has no part {number}; open the guide again to see its parts")
        edit = PartEdit(number, chapter.title, "" if new_title.strip() == chapter.title else new_title, left_out)
        others = [e for e in self.edits(guide_id) if e.number != number]
        edits = [*others, edit] if edit.new_title or edit.left_out else others
        apply_edits(guide, edits)  # every part left out is refused now, not at the build
        write_text_atomic(self.script(guide_id).parent / EDITS, json.dumps([asdict(e) for e in edits]))

    # --- the clinic lexicon -----------------------------------------------------------------------

    @property
    def lexicon_path(self) -> Path:
        return self.folder / "clinic.toml"

    def words(self) -> list[dict]:
        """The clinic lexicon's entries, in alphabetical order, each as it sounds in letters."""
        if not self.lexicon_path.exists():
            return []
        lexicon = parse_lexicon(self.lexicon_path.read_text(encoding="utf-8"), "the clinic lexicon")
        entries = {**lexicon.exact, **lexicon.folded}
        return [
            {"word": word, "sounds_like": lexicon.readable(entries[word])}
            for word in sorted(entries, key=lambda word: (word.lower(), word))
        ]

    def add_word(self, word: str, sounds_like: str) -> None:
        """Add a word, or change how it sounds."""
        word, sounds_like = word.strip(), " ".join(sounds_like.split())
        if not re.fullmatch(r"[^\W\d_][\w’'-]*", word):
            raise InputError("give one word, such as rituximab, to add to the clinic lexicon")
        if not sounds_like or any(ch in sounds_like for ch in '"\\[]\n'):
            raise InputError('say how the word sounds in plain letters, e.g. "rih-TUCK-sih-mab"')
        self._write_lexicon(word, f'{json.dumps(word, ensure_ascii=False)} = "{sounds_like}"')

    def remove_word(self, word: str) -> None:
        if word not in {entry["word"] for entry in self.words()}:
            raise UnknownWord(word)
        self._write_lexicon(word, None)

    def _write_lexicon(self, word: str, line: str | None) -> None:
        with self._lock:
            lines = self.lexicon_path.read_text(encoding="utf-8").splitlines() if self.lexicon_path.exists() else []
            key = json.dumps(word, ensure_ascii=False)
            lines = [kept for kept in lines if not kept.startswith((f"{key} =", f"{word} ="))]
            text = "\n".join([*lines, *([line] if line else [])]) + "\n"
            parse_lexicon(text, "clinic lexicon")  # never write a lexicon that would not load
            with atomic_path(self.lexicon_path) as temp:
                temp.write_text(text, encoding="utf-8")

    # --- builds -----------------------------------------------------------------------------------

    def build(self, guide_id: str, asked: dict) -> Job:
        """Queue a build with the settings asked for over those the guide keeps (which it keeps from now on)."""
        settings = {**self.kept_settings(guide_id), **asked}
        request = parse_request(settings)
        # Settings that cannot work are refused now (resolving them checks them), not once the build's turn comes.
        self.load(guide_id, request)
        kept = {key: value for key, value in settings.items() if value not in (None, "")}
        with self._lock:
            last = self.last_job(guide_id)
            if last and last.state in UNDER_WAY:
                raise BuildRunning("this guide is being built already; wait for that build to finish")
            running = any(job.state in UNDER_WAY for job in self.jobs.values())
            job = Job(guide_id, kept, phase="Waiting for the build before it to finish" if running else "Starting")
            self.jobs[job.id] = job
            self._write_info(guide_id, settings=kept)
            self._save_jobs()
        self._queue.put(job)
        return job

    def stop(self, job_id: str) -> Job:
        """Stop a build: one queued never starts; one running stops before it changes the package."""
        with self._lock:
            job = self.jobs.get(job_id)
            if job is None:
                raise UnknownJob(job_id)
            if job.state == "queued":
                job.state, job.phase = "stopped", "Stopped before it started"
                self._save_jobs()
        job.stop.press()
        return job

    def last_job(self, guide_id: str) -> Job | None:
        with self._lock:
            jobs = [job for job in self.jobs.values() if job.guide == guide_id]
        return max(jobs, key=lambda job: job.started, default=None)

    def _builder(self) -> None:
        from ..build.run import build_guides

        while True:
            job = self._queue.get()
            if job.state != "queued":
                continue  # stopped while it waited
            self._update(job, state="running", phase="Reading the document")
            try:
                script = self.script(job.guide)
                request = self.request(parse_request(job.request))
                edits = {script: self.edits(job.guide)}
                build_guides(
                    [script], self.output, request, progress=functools.partial(self._progress, job),
                    stop=job.stop, edits=edits,
                )  # fmt: skip
                self._update(job, state="done", phase="Built", done=job.total, finish_at=None)
            except Stopped:
                self._update(job, state="stopped", phase="Stopped; the last package is as it was", finish_at=None)
            except (AudioguideError, UnknownGuide) as error:
                message = "the guide was deleted" if isinstance(error, UnknownGuide) else self.plain(str(error))
                self._update(job, state="failed", phase="The build failed", error=message, finish_at=None)
            except Exception as error:  # the page must hear of any failure, and the server go on
                message = f"the build stopped unexpectedly ({type(error).__name__}: {self.plain(str(error))})"
                self._update(job, state="failed", phase="The build failed", error=message, finish_at=None)

    def _progress(self, job: Job, update: Progress) -> None:
        finish_at = None if update.seconds_left is None else time.time() + update.seconds_left
        self._update(job, phase=phase_line(update), done=update.done, total=update.total, finish_at=finish_at)

    def _update(self, job: Job, **changes) -> None:
        with self._lock:
            if self._closed:
                return
            for key, value in changes.items():
                setattr(job, key, value)
            self._save_jobs()

    @property
    def _jobs_path(self) -> Path:
        return self.folder / "jobs.json"

    def _read_jobs(self) -> dict[str, Job]:
        """The builds of the workbench's last run; one it was running when it stopped is interrupted."""
        try:
            data = json.loads(self._jobs_path.read_text(encoding="utf-8"))
            jobs = [Job.from_json(item) for item in data]
        except (OSError, ValueError, TypeError, AttributeError):
            return {}
        for job in jobs:
            if job.state in UNDER_WAY:  # the workbench was killed during it
                job.state, job.phase, job.finish_at = "interrupted", "Interrupted: the workbench stopped", None
        return {job.id: job for job in jobs}

    def _save_jobs(self) -> None:
        with self._lock:
            recent = sorted(self.jobs.values(), key=lambda job: job.started)[-KEPT_JOBS:]
            self.jobs = {job.id: job for job in recent}
            write_text_atomic(self._jobs_path, json.dumps([job.as_json() for job in recent]))

    # --- messages -----------------------------------------------------------------------------------

    def plain(self, message: str) -> str:
        """A core message in the page's words: documents by the names they were added under, no
        other server path, no command or option to type."""
        for info in self.infos():
            folder = self.folder / "guides" / info["id"]
            # The name as a function's result: a name is never read as a pattern's replacement.
            message = re.sub(re.escape(str(folder)) + r"/\S+?(?=:|\s|$)", functools.partial(_named, info), message)
        message = re.sub(re.escape(str(self.output)) + r"(/[^\s:;,()]*)?", _last_name, message)
        for pattern, words in PAGE_WORDS:
            message = pattern.sub(words, message)
        return message


def phase_line(update: Progress) -> str:
    """What a build is doing, in a short line: "Part 2 of 6: speaking"."""
    if update.phase is Phase.READING:
        return "Reading the document"
    if update.phase is Phase.LOADING:
        return "Loading the voice"
    if update.phase is Phase.JOINING:
        return "Joining the full-length file; writing the captions and player"
    numbers = [str(number) for number in update.speaking]
    if not numbers:
        return f"{update.done} of {update.total} part{'s' * (update.total != 1)} ready"
    said = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
    return f"Part{'s' * (len(numbers) > 1)} {said} of {update.total}: speaking"


def _reading(settings: Settings) -> dict:
    """Who reads a guide, and how, as the page shows it."""
    return {
        "engine": settings.engine,
        "engine_label": catalogue(settings.engine).label,
        "voice": settings.voice,
        "rate": settings.rate,
        "preset": settings.preset.value,
        "format": settings.audio_format.value,
        "language": settings.language,
        "epub": settings.epub,
        "daisy": settings.daisy,
    }


def _named(info: dict, _: re.Match) -> str:
    return str(info["name"])


def _last_name(match: re.Match) -> str:
    return Path(match.group(0)).name if match.group(1) and match.group(1) != "/" else "the packages folder"


class UnknownGuide(LookupError):
    """No guide of that id was added to this workbench."""


class UnknownJob(LookupError):
    """No build of that id is known to this workbench."""


class UnknownWord(LookupError):
    """The clinic lexicon has no such word."""


class NotInPackage(LookupError):
    """The guide's package has no such file: it is not built, was built without it, or the file leads outside it."""


class BuildRunning(AudioguideError):
    """A build of the same guide is queued or running."""


def parse_request(data: dict) -> Request:
    """What the page asked for, from its JSON (resolving it checks the values); anything wrong is one clear line."""
    if not isinstance(data, dict):
        raise InputError('send the settings as a JSON object, e.g. {"engine": "espeak", "rate": 150}')
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise InputError(f"unknown setting {', '.join(unknown)}; the settings are {', '.join(sorted(SETTINGS))}")
    rate = data.get("rate")
    if rate not in (None, "") and not str(rate).isdigit():
        raise InputError("rate: give words per minute as a number, e.g. 150")
    # Only those sent: the others are the request's own, which resolving decides.
    switches = {key: data[key] for key in SWITCHES if data.get(key) is not None}
    for key, value in switches.items():
        if not isinstance(value, bool):
            raise InputError(f'{key}: send true or false, e.g. {{"{key}": true}}')
    return Request(
        engine=_text(data, "engine"),
        voice=_text(data, "voice"),
        rate=int(rate) if rate not in (None, "") else None,
        preset=_text(data, "preset"),
        audio_format=_text(data, "format"),
        language=_text(data, "language"),
        **switches,
    )


def _text(data: dict, key: str) -> str | None:
    value = data.get(key)
    return str(value) if value not in (None, "") else None
