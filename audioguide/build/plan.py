"""Planning: a script on disk → its guide, its settings (resolved once), and a job per track.

Nothing here loads an engine: voices, languages and identities come from the engines' catalogues.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..engines import catalogue, catalogues
from ..errors import InputError
from ..languages import detect_language, get_language, primary
from ..read import read_script
from ..read.chapters import Guide, slugify, split_chapters
from ..read.edits import PartEdit, apply_edits
from ..settings import Request, Settings, resolve
from ..speech.lexicon import Lexicon
from ..speech.normalize import load_lexicon
from ..speech.prepare import ChapterScript, ContentsScript
from ..speech.proof import unfilled_notice
from .keys import speech_key
from .types import Plan, Track, TrackJob


def load_guide(
    path: Path,
    request: Request,
    *,
    encoding: str | None = None,
    heading: str | None = None,
    chapter_level: int | None = None,
    edits: Sequence[PartEdit] = (),
) -> tuple[Guide, Settings]:
    """Read and split a script, and resolve its settings: the request's, then its front matter's.

    ``edits`` leave parts out or rename them (``read/edits.py``).
    """
    script = read_script(path, encoding=encoding, heading=heading, chapter_level=chapter_level)
    settings = resolve(
        request,
        script.meta,
        catalogues(),
        text_language=lambda: detect_language(" ".join(block.text for block in script.blocks)),
        where=str(path),
    )
    guide = split_chapters(script, settings.language, each_part=settings.each_part)
    guide = apply_edits(guide, edits)
    unfilled = unfilled_notice(guide)
    if unfilled:
        script.notices.append(unfilled)
    return guide, settings


def plan_guide(guide: Guide, settings: Settings, output_root: Path, cache: Path, threads: int) -> Plan:
    """Every chapter's track: its file name, its language, and the job that renders it."""
    engine = catalogue(settings.engine)
    plan = Plan(guide, settings, engine.identity(settings.voice), output_root / guide.slug)
    lexicons: dict[str, Lexicon] = {}
    for chapter in guide.chapters:
        code = primary(chapter.language or settings.language)
        if code not in settings.speakers:
            raise InputError(
                f"{guide.script.path}: part {chapter.number} ({chapter.title}) is in {get_language(code).name}, "
                f"but {engine.label} has no voice for it; install one, or choose another engine"
            )
        speaker = settings.speakers[code]
        if code not in lexicons:
            lexicons[code] = load_lexicon(settings.lexicons, speaker.language)
        name = f"{track_number(chapter.number, guide)}-{chapter.slug}.{settings.audio_format.chapter_extension}"
        script = ChapterScript(guide.title, len(guide.chapters), chapter, speaker.language)
        job = track_job(plan, script, chapter.title, lexicons[code], cache, threads)
        plan.chapters.append(Track(chapter.number, chapter.title, name, job, speaker.language, chapter))
    return plan


def contents_track(plan: Plan, cache: Path, threads: int) -> Track:
    """The optional spoken table of contents: the guide's title and its parts with their lengths."""
    settings = plan.settings
    parts = tuple((t.number, t.title, t.seconds) for t in plan.chapters)
    language = settings.speaker.language
    script = ContentsScript(plan.guide.title, parts, language)
    title = get_language(language).say("contents")
    # The file is named in the guide's language, like its chapters: 00-contents, 00-indice.
    name = f"{track_number(0, plan.guide)}-{slugify(title)}.{settings.audio_format.chapter_extension}"
    lexicon = load_lexicon(settings.lexicons, language)
    return Track(0, title, name, track_job(plan, script, title, lexicon, cache, threads), language)


def track_number(number: int, guide: Guide) -> str:
    """Zero-padded to the width of the last number, so file names sort in playing order."""
    return f"{number:0{max(2, len(str(len(guide.chapters))))}d}"


def track_job(
    plan: Plan, script: ChapterScript | ContentsScript, title: str, lexicon: Lexicon, cache: Path, threads: int
) -> TrackJob:
    settings = plan.settings
    engine = catalogue(settings.engine)
    speaker = settings.speakers.get(primary(script.language), settings.speaker)
    return TrackJob(
        label=f"{plan.guide.title}: {title}",
        script=script,
        pauses=settings.pauses,
        lexicon=lexicon,
        speech_key=speech_key(script, settings.pauses, lexicon),
        engine=settings.engine,
        identity=engine.identity(speaker.voice),
        timed_by_marks=engine.timed_by_marks,
        voice=speaker.voice,
        rate=settings.rate,
        audio_format=settings.audio_format,
        bitrate=settings.bitrate,
        calibration=get_language(script.language).calibration_text,
        cache=cache,
        threads=threads,
    )
