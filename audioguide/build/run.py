"""Building guide packages: plan every track, render what the cache lacks, then assemble.

Layout of ``<output>/<guide-slug>/``: ``NN-<chapter-slug>.<ext>`` per chapter (and
``00-contents.<ext>``, named in the guide's language, with ``--contents``), the full-length
file with chapter marks, and what ``outputs/`` writes beside them (captions, playlist,
transcript, README, player, manifest).

Tracks render in worker processes that several guides share (``workers.py``), into a
content-addressed cache (``cache.py``) in the output folder, so a rebuild renders only what
changed. A package is assembled only once every track it needs is ready; until then the last
complete package stays as it was.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..engines import FALLBACK_ENGINE, catalogue
from ..errors import BuildFailed, EngineError, InputError, OutputError
from ..files import exclusive, remove_dead_temporaries
from ..read.edits import PartEdit
from ..settings import Request
from .assemble import assemble
from .cache import CACHE_FOLDER, Cache
from .keys import audio_key, digest
from .plan import contents_track, load_guide, plan_guide
from .render import time_limit
from .speed import Speeds, TimeLeft
from .types import BuildResult, Phase, Plan, Progress, Track, TrackJob
from .workers import RENDER_TRACK, PoolsByEngine, StopButton, WorkerPool

ProgressCallback = Callable[[Progress], None]
#: What converts a lexicon's phonemes to IPA, in an eSpeak NG worker (see engines/piper/renderer.py).
LEXICON_IPA = "audioguide.engines.espeak.renderer:lexicon_ipa"


def build_guides(
    scripts: list[Path],
    output_root: Path,
    request: Request,
    *,
    jobs: int | None = None,
    force: bool = False,
    encoding: str | None = None,
    heading: str | None = None,
    chapter_level: int | None = None,
    progress: ProgressCallback | None = None,
    time_limit_seconds: float | None = None,
    notice: Callable[[str], None] | None = None,
    stop: StopButton | None = None,
    edits: Mapping[Path, Sequence[PartEdit]] | None = None,
) -> list[BuildResult]:
    """Build a package for each script; the scripts' tracks share one pool of workers.

    ``time_limit_seconds`` is how long one track may take before its worker is stopped (and the
    track tried once more); by default it grows with the track's length. ``notice`` is given one
    line for each thing the user should know that is not an error (an encoding that was guessed).
    ``stop``, once pressed, stops the build before it changes any package (it raises
    :class:`~audioguide.errors.Stopped`). ``edits`` are the parts left out or renamed, by script.
    """
    # Workers may have been started elsewhere: every path they are given is absolute.
    output_root = Path(output_root).absolute()
    cache = Cache(output_root / CACHE_FOLDER)
    cores = os.cpu_count() or 1
    size = jobs or cores
    # Workers × engine threads within the cores: eSpeak NG uses one; Piper's ONNX Runtime more.
    threads = max(1, cores // size)
    report = progress or (lambda _: None)
    report(Progress(Path(scripts[0]).name if scripts else "", Phase.READING, 0, 0))
    watch = _Watch(report, Speeds(cache.root), size)
    limit = (lambda job: time_limit_seconds) if time_limit_seconds else time_limit
    try:
        with PoolsByEngine(RENDER_TRACK, size, limit, events=watch, stop=stop) as pools:
            plans = []
            for script in scripts:
                guide, settings = load_guide(
                    Path(script), request, encoding=encoding, heading=heading, chapter_level=chapter_level,
                    edits=(edits or {}).get(Path(script), ()),
                )  # fmt: skip
                for line in [*guide.script.notices, *settings.notes]:
                    if notice:
                        notice(line)
                plans.append(plan_guide(guide, settings, output_root, cache.root, threads))
            _refuse_shared_folders(plans)
            # The lock lives in the cache folder, which every build into this output shares.
            with exclusive(cache.root, output_root):
                remove_dead_temporaries(output_root)
                _add_lexicon_ipa(plans, cache, stop)
                _render(pools, cache, [t for p in plans for t in p.chapters], force, watch, plans)
                for plan in plans:
                    if plan.settings.contents:
                        plan.contents = contents_track(plan, cache.root, threads)
                _add_lexicon_ipa(plans, cache, stop)
                _render(pools, cache, [p.contents for p in plans if p.contents], force, None, plans)
                pools.release()
                if stop:
                    stop.check()  # the last moment a stop leaves every package as it was
                watch.joining(plans)
                results = [assemble(plan, cache, force) for plan in plans]
                # A worker stopped for taking too long may have left its encoder's file behind.
                remove_dead_temporaries(output_root)
                return results
    except OSError as error:
        where = error.filename or output_root
        if error.errno == errno.ENOSPC:
            raise OutputError(
                f"cannot write {where}: {error.strerror}; free some space or choose another folder with -o"
            ) from None
        raise OutputError(f"cannot write to {where} ({error.strerror}); choose another folder with -o") from None


def _refuse_shared_folders(plans: list[Plan]) -> None:
    """Two scripts whose names make the same folder ("guide.txt", "guide.md") would overwrite each other."""
    seen: dict[Path, Path] = {}
    for plan in plans:
        other = seen.setdefault(plan.folder, plan.guide.script.path)
        if other != plan.guide.script.path:
            raise InputError(
                f"{other} and {plan.guide.script.path} would both build into {plan.folder}; rename one of them"
            )


def _add_lexicon_ipa(plans: list[Plan], cache: Cache, stop: StopButton | None = None) -> None:
    """Give each job of an engine that takes IPA its lexicon's phonemes in IPA (from the cache, or
    converted by eSpeak NG in a worker of its own: this process loads no engine)."""
    for track in (t for plan in plans for t in plan.tracks):
        job = track.job
        ipa_voice = catalogue(job.engine).lexicon_ipa_voice(job.voice)
        mnemonics = tuple(sorted(job.lexicon.phoneme_strings()))
        if ipa_voice is None or not mnemonics or job.phonemes:
            continue
        track.job = replace(job, phonemes=lexicon_ipa(mnemonics, ipa_voice, cache, stop))


def lexicon_ipa(
    mnemonics: tuple[str, ...], voice: str, cache: Cache | None, stop: StopButton | None = None
) -> dict[str, str]:
    """The lexicon's phoneme mnemonics in IPA as eSpeak NG's ``voice`` says them, converted once
    and then kept in the cache (by eSpeak NG's identity, the voice and the mnemonics)."""
    key = digest({"espeak": catalogue(FALLBACK_ENGINE).identity(voice), "voice": voice, "mnemonics": mnemonics})
    found = cache.phonemes(key) if cache else None
    if found is not None:
        return found
    with WorkerPool(LEXICON_IPA, 1, lambda _: 60.0, stop=stop) as pool:
        outcome = next(pool.run([(mnemonics, voice)]))
    if outcome.error is not None:
        raise EngineError(f"could not convert the lexicon's phonemes for the natural voice: {outcome.error}")
    if cache:
        cache.remember_phonemes(key, outcome.result)
    return outcome.result


def _render(
    pools: PoolsByEngine,
    cache: Cache,
    tracks: list[Track],
    force: bool,
    watch: _Watch | None,
    plans: list[Plan],
) -> None:
    """Fill in every track's audio: from the cache, or by the pool (which prepares the speech).

    A track whose script was prepared by an earlier build is found by its speech key without
    preparing it again; the others go to the workers, which render only what the cache lacks.
    """
    to_render: dict[str, list[Track]] = {}
    for track in tracks:
        job = track.job
        spoken = None if force else cache.spoken(job.speech_key)
        extension = job.audio_format.chapter_extension
        track.rendered = cache.get(audio_key(job, spoken), extension) if spoken else None
        if track.rendered is None:
            # Tracks that say the same thing the same way are rendered once.
            same = digest([job.speech_key, job.identity, job.voice, job.rate, job.audio_format.value, job.bitrate])
            to_render.setdefault(same, []).append(track)
    # Longest first: the last worker to finish is then busy with a short chapter, not a long one.
    groups = sorted(((replace(same[0].job, force=force), same) for same in to_render.values()),
                    key=lambda group: -group[0].words)  # fmt: skip
    jobs = [job for job, _ in groups]
    tracks_of = {id(job): same for job, same in groups}
    if watch:
        watch.speaking(plans, tracks_of)
    failures = []
    for outcome in pools.run(jobs, lambda job: job.engine):
        job = outcome.task
        if watch:
            watch.finished(job)
        if outcome.error is not None:
            failures.append(f"'{job.label}' ({outcome.error})")
            continue
        for track in tracks_of[id(job)]:
            track.rendered = outcome.result
    if watch:
        watch.done_speaking()
    if failures:
        untouched = ", ".join(str(p.folder) for p in plans)
        raise BuildFailed(
            f"could not render {'; '.join(failures)}; {untouched} left as it was; the other chapters are "
            "saved, so running the build again retries only these"
        )


class _Watch:
    """A build's progress as its caller sees it: the phases, the parts ready and being spoken, and
    the time left (see ``speed.py``), from what the pools say (:class:`~.workers.PoolEvents`)."""

    def __init__(self, report: ProgressCallback, speeds: Speeds, workers: int) -> None:
        self._report, self._speeds, self._workers = report, speeds, workers
        self._guide, self._total, self._done = "", 0, 0
        self._tracks: dict[int, list[Track]] = {}
        self._guide_of: dict[int, str] = {}
        self._speaking: dict[int, TrackJob] = {}
        self._time: TimeLeft | None = None
        self._voice: tuple[str, str] | None = None

    def speaking(self, plans: list[Plan], tracks_of: dict[int, list[Track]]) -> None:
        """The chapters are about to be spoken: ``tracks_of`` are those the cache lacks, by their job."""
        self._tracks = tracks_of
        self._guide = plans[0].guide.title if plans else ""
        self._guide_of = {id(track): plan.guide.title for plan in plans for track in plan.chapters}
        self._total = sum(len(plan.chapters) for plan in plans)
        self._done = self._total - sum(len(tracks) for tracks in tracks_of.values())
        if not tracks_of:
            return
        job = next(iter(tracks_of.values()))[0].job
        self._voice = (job.engine, job.voice)
        words = {key: tracks[0].job.words for key, tracks in tracks_of.items()}
        self._time = TimeLeft(words, self._workers, self._speeds.get(*self._voice))
        self._send(Phase.LOADING)

    def ready(self) -> None:
        if self._time and self._time.loading:
            self._time.ready()
            self._send(Phase.SPEAKING)

    def started(self, task: Any) -> None:
        if self._time and id(task) in self._tracks:
            self._time.started(id(task))
            self._speaking[id(task)] = task
            self._send(Phase.LOADING if self._time.loading else Phase.SPEAKING)

    def finished(self, job: TrackJob) -> None:
        if self._time is None or id(job) not in self._tracks:
            return
        self._time.finished(id(job))
        self._speaking.pop(id(job), None)
        tracks = self._tracks[id(job)]
        self._done += len(tracks)
        self._guide = self._guide_of[id(tracks[0])]
        self._send(Phase.SPEAKING, tracks[0].title)

    def done_speaking(self) -> None:
        """Keep what this build measured, for the next build's first estimate."""
        speed = self._time.speed() if self._time else None
        if speed is not None and self._voice is not None:
            self._speeds.remember(*self._voice, speed)

    def joining(self, plans: list[Plan]) -> None:
        self._total = sum(len(plan.chapters) for plan in plans)
        self._done = self._total
        self._report(Progress(self._guide or plans[0].guide.title, Phase.JOINING, self._done, self._total, "", 0.0))

    def _send(self, phase: Phase, chapter: str = "") -> None:
        numbers = sorted({track.number for job in self._speaking for track in self._tracks[job]})
        left = self._time.seconds_left() if self._time else None
        self._report(Progress(self._guide, phase, self._done, self._total, chapter, left, tuple(numbers)))
