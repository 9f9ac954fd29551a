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
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..engines import FALLBACK_ENGINE, catalogue
from ..errors import BuildFailed, EngineError, InputError, OutputError
from ..files import exclusive, remove_dead_temporaries
from ..settings import Request
from .assemble import assemble
from .cache import CACHE_FOLDER, Cache
from .keys import audio_key, digest
from .plan import contents_track, load_guide, plan_guide
from .render import time_limit
from .types import BuildResult, Plan, Progress, Track
from .workers import RENDER_TRACK, PoolsByEngine, WorkerPool

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
) -> list[BuildResult]:
    """Build a package for each script; the scripts' tracks share one pool of workers.

    ``time_limit_seconds`` is how long one track may take before its worker is stopped (and the
    track tried once more); by default it grows with the track's length. ``notice`` is given one
    line for each thing the user should know that is not an error (an encoding that was guessed).
    """
    # Workers may have been started elsewhere: every path they are given is absolute.
    output_root = Path(output_root).absolute()
    cache = Cache(output_root / CACHE_FOLDER)
    cores = os.cpu_count() or 1
    size = jobs or cores
    # Workers × engine threads within the cores: eSpeak NG uses one; Piper's ONNX Runtime more.
    threads = max(1, cores // size)
    try:
        with PoolsByEngine(RENDER_TRACK, size, lambda job: time_limit_seconds or time_limit(job)) as pools:
            plans = []
            for script in scripts:
                guide, settings = load_guide(
                    Path(script), request, encoding=encoding, heading=heading, chapter_level=chapter_level
                )
                for line in [*guide.script.notices, *settings.notes]:
                    if notice:
                        notice(line)
                plans.append(plan_guide(guide, settings, output_root, cache.root, threads))
            _refuse_shared_folders(plans)
            # The lock lives in the cache folder, which every build into this output shares.
            with exclusive(cache.root, output_root):
                remove_dead_temporaries(output_root)
                _add_lexicon_ipa(plans, cache)
                _render(pools, cache, [t for p in plans for t in p.chapters], force, progress, plans)
                for plan in plans:
                    if plan.settings.contents:
                        plan.contents = contents_track(plan, cache.root, threads)
                _add_lexicon_ipa(plans, cache)
                _render(pools, cache, [p.contents for p in plans if p.contents], force, None, plans)
                pools.release()
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


def _add_lexicon_ipa(plans: list[Plan], cache: Cache) -> None:
    """Give each job of an engine that takes IPA its lexicon's phonemes in IPA (from the cache, or
    converted by eSpeak NG in a worker of its own: this process loads no engine)."""
    for track in (t for plan in plans for t in plan.tracks):
        job = track.job
        ipa_voice = catalogue(job.engine).lexicon_ipa_voice(job.voice)
        mnemonics = tuple(sorted(job.lexicon.phoneme_strings()))
        if ipa_voice is None or not mnemonics or job.phonemes:
            continue
        track.job = replace(job, phonemes=lexicon_ipa(mnemonics, ipa_voice, cache))


def lexicon_ipa(mnemonics: tuple[str, ...], voice: str, cache: Cache | None) -> dict[str, str]:
    """The lexicon's phoneme mnemonics in IPA as eSpeak NG's ``voice`` says them, converted once
    and then kept in the cache (by eSpeak NG's identity, the voice and the mnemonics)."""
    key = digest({"espeak": catalogue(FALLBACK_ENGINE).identity(voice), "voice": voice, "mnemonics": mnemonics})
    found = cache.phonemes(key) if cache else None
    if found is not None:
        return found
    with WorkerPool(LEXICON_IPA, 1, lambda _: 60.0) as pool:
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
    progress: ProgressCallback | None,
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
    total_words = sum(job.words for job in jobs) or 1
    done_words, started, failures = 0, time.monotonic(), []
    for done, outcome in enumerate(pools.run(jobs, lambda job: job.engine), start=1):
        job = outcome.task
        if outcome.error is not None:
            failures.append(f"'{job.label}' ({outcome.error})")
            continue
        for track in tracks_of[id(job)]:
            track.rendered = outcome.result
        done_words += job.words
        if progress:
            elapsed = time.monotonic() - started
            left = elapsed / done_words * (total_words - done_words) if done_words else None
            guide, _, title = job.label.partition(": ")
            progress(Progress(guide, done, len(jobs), title, left))
    if failures:
        untouched = ", ".join(str(p.folder) for p in plans)
        raise BuildFailed(
            f"could not render {'; '.join(failures)}; {untouched} left as it was; the other chapters are "
            "saved, so running the build again retries only these"
        )
