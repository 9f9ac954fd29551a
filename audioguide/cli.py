"""The ``audioguide`` command: parses options, calls the core, prints.

Exit codes: 0 done, 1 failed, 2 bad usage or input.
"""

from __future__ import annotations

import atexit
import gc
import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import AudioguideError, InputError
from .settings import AudioFormat, Preset, Request

EXIT_CODES = "Exit codes: 0 done, 1 failed, 2 bad usage or input."

# Python's last collection at exit walks every object a command made, for nothing: the system
# takes the process's memory back whole. Skipping it takes 0.03 s off a one-chapter rebuild.
atexit.register(gc.freeze)


class BadInput(click.ClickException):
    """An input error: one line on stderr, exit code 2."""

    exit_code = 2


def run_core(function, *args, **kwargs):
    """Call the core; its errors become one line on stderr and the documented exit code."""
    try:
        return function(*args, **kwargs)
    except InputError as error:
        raise BadInput(str(error)) from None
    except AudioguideError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        click.echo("Interrupted: finished files are kept; run the same command again to complete it.", err=True)
        raise click.exceptions.Exit(130) from None


def script_argument(function):
    return click.argument("script", type=click.Path(path_type=Path))(function)


lexicon_option = click.option(
    "--lexicon", "lexicons", multiple=True, type=click.Path(path_type=Path),
    help="A clinic lexicon file (TOML) of pronunciations; may be given more than once.",
)  # fmt: skip


def request_from(options: dict, **fixed) -> Request:
    """What the user asked for, from whichever of the shared options a command has."""
    return Request(
        engine=options.get("engine"),
        voice=options.get("voice"),
        rate=options.get("rate"),
        preset=options.get("preset"),
        language=options.get("language"),
        lexicons=tuple(options.get("lexicons", ())),
        **fixed,
    )


def reading_from(options: dict) -> dict:
    """How a script is read, from the options every command that reads one has."""
    return {key: options.get(key) for key in ("encoding", "heading", "chapter_level")}


def voice_options(function):
    """How the voice sounds, shared by every command that renders speech."""
    function = lexicon_option(function)
    function = click.option(
        "--preset", type=click.Choice([p.value for p in Preset]),
        help="Listener preset: 'slow' speaks slower with longer pauses, for older listeners.",
    )(function)  # fmt: skip
    function = click.option(
        "--rate", type=int, help="Speaking rate in words per minute (default: 155, or 130 with --preset slow)."
    )(function)
    function = click.option(
        "--voice",
        help="Voice from 'audioguide voices': an id, a language code or name, or for piper a path to a .onnx voice "
        "(default: the engine's voice for the guide's language, e.g. en_US-joe-medium or en-us).",
    )(function)
    return engine_option(function)


def engine_option(function):
    from .engines import ENGINES

    return click.option(
        "--engine", type=click.Choice(list(ENGINES)),
        help="Text-to-speech engine: piper, the natural voice (the default where it is installed and has a voice "
        'for the guide\'s language: pip install "audioguide[piper]"), or espeak, built in.',
    )(function)  # fmt: skip


LANGUAGE_HELP = (
    "The guide's language: en, en-GB, es, es-MX (see 'audioguide languages'), or auto to read each part in its own "
    "(default: front matter, else the language of its text)."
)


def split_options(function):
    """Options that decide where chapters begin, shared by every command that reads a script."""
    function = click.option("--language", metavar="TAG", help=LANGUAGE_HELP)(function)
    function = click.option(
        "--encoding", metavar="NAME", help="Text encoding of the script, e.g. cp1252 (default: detected)."
    )(function)
    function = click.option(
        "--chapter-level",
        type=click.IntRange(1, 6),
        help="Markdown heading level that starts a chapter (default: detected, usually 2 for ##).",
    )(function)
    function = click.option(
        "--heading",
        metavar="REGEX",
        help="Lines matching this pattern start chapters, e.g. '^Step [0-9]+'.",
    )(function)
    return function


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="audioguide")
def cli():
    """Turn a written patient guide into an accessible, chaptered audio package, offline.

    \b
    Example:
        audioguide build scripts/sjogrens-iv-therapy.txt -o output
    """


@cli.command(epilog=EXIT_CODES)
@click.argument("scripts", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
    show_default=True, help="Folder that receives one package folder per guide.",
)  # fmt: skip
@voice_options
@click.option(
    "--format", "audio_format", type=click.Choice([f.value for f in AudioFormat]),
    help="Audio format of the chapter files (default: mp3, which plays everywhere).",
)  # fmt: skip
@click.option("--bitrate", metavar="RATE", help="Encoder bitrate, e.g. 64k (default: 64k; 48k for opus).")
@click.option("--contents", is_flag=True, help="Add a spoken table of contents as track 00.")
@click.option(
    "--no-epub", "no_epub", is_flag=True,
    help="Leave out the EPUB talking book (<guide-slug>.epub: large print, each sentence highlighted as it is read).",
)  # fmt: skip
@click.option(
    "--daisy", is_flag=True,
    help="Also make a DAISY 2.02 talking book (daisy/) for players such as the Victor Reader Stream or NLS players.",
)  # fmt: skip
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 64), default=None,
    help="Chapters rendered at once, each in its own process (default: the number of cores).",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Render every chapter again, even those unchanged since the last build.")
@click.option("--zip", "make_zip", is_flag=True, help="Also write OUTPUT/<guide-slug>.zip, the package as one file.")
@click.option(
    "--chapter-timeout", type=click.FloatRange(1), metavar="SECONDS",
    help="Stop and retry a chapter whose rendering takes longer (default: 2 minutes plus 1 second per 50 words).",
)  # fmt: skip
@split_options
@click.option("-v", "--verbose", is_flag=True, help="Show progress even when the output is not a terminal.")
def build(
    scripts,
    output,
    audio_format,
    bitrate,
    contents,
    no_epub,
    daisy,
    jobs,
    force,
    make_zip,
    chapter_timeout,
    verbose,
    **options,
):
    """Build guide packages from SCRIPTS (default: every guide in ./scripts/).

    Each guide becomes OUTPUT/<guide-slug>/ with one tagged audio file per chapter, a
    full-length file with chapter marks, captions (.vtt, .srt), a large-print transcript, an
    M3U8 playlist, an EPUB talking book and a manifest. A rebuild renders only the chapters
    that changed.

    \b
    Examples:
        audioguide build
        audioguide build my-guide.txt -o /media/usb
        audioguide build guide.md --preset slow --format m4b --contents
        audioguide build guide.docx --daisy
    """
    request = request_from(
        options, audio_format=audio_format, bitrate=bitrate, contents=contents, epub=not no_epub, daisy=daisy
    )
    to_build = _scripts_to_build(scripts)
    from .build.workers import start_early

    # A worker loads the engine while the rest of audioguide loads here and reads the guide.
    start_early(engine=_likely_engine(request))
    from .build.run import build_guides

    show_progress = verbose or sys.stderr.isatty()

    def report(progress):
        if show_progress and progress.chapter:  # a line a part, as each is ready
            left = f", about {_clock(progress.seconds_left)} left" if progress.seconds_left is not None else ""
            click.echo(f"[{progress.done}/{progress.total}{left}] {progress.guide}: {progress.chapter}", err=True)

    results = run_core(
        build_guides, to_build, output, request, jobs=jobs, force=force, **reading_from(options), progress=report,
        time_limit_seconds=chapter_timeout, notice=_notice,
    )  # fmt: skip
    for result in results:
        click.echo(f"{result.folder}  ({_summary(result)})")
        if make_zip:
            click.echo(run_core(_bundle, result.folder))


def _summary(result) -> str:
    """What was built, who reads it, and what this build did: the line a build prints per guide."""
    from .engines import catalogue

    count, settings = len(result.chapters), result.settings
    # A voice given as a file is named by its file: the rest of its path says nothing to a listener's nurse.
    shown = Path(settings.voice).name if settings.voice.endswith(".onnx") else settings.voice
    voice = f"{catalogue(settings.engine).label} {shown}"
    length = _clock(result.seconds)
    built = f"{count} chapter{'s' * (count != 1)}, {length}, in {settings.language_note}, read by {voice}"
    if not result.written and not result.rendered:
        return f"{built}; nothing changed, nothing rendered"
    retagged = f", {result.retagged} re-tagged" if result.retagged else ""
    return f"{built}; {result.rendered} rendered{retagged}, {len(result.written)} files written"


def _likely_engine(request: Request) -> str:
    """The engine a build will most likely use, told before the guide is read (a worker loads it
    meanwhile): the one asked for, else the natural voice where it is installed."""
    from .engines import FALLBACK_ENGINE, catalogues

    if request.engine:
        return request.engine
    natural = [engine.name for engine in catalogues() if engine.natural and engine.missing() is None]
    return natural[0] if natural and not request.voice else FALLBACK_ENGINE


def _load_guide(script, options):
    """The guide and its settings, with what the user should know about reading it on stderr."""
    from .build.plan import load_guide

    guide, settings = run_core(load_guide, script, request_from(options), **reading_from(options))
    for line in [*guide.script.notices, *settings.notes]:
        _notice(line)
    return guide, settings


def _notice(line: str) -> None:
    click.echo(f"Note: {line}", err=True)


def _bundle(folder):
    from .outputs.bundle import bundle

    return bundle(folder)


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _scripts_to_build(scripts: tuple[Path, ...]) -> list[Path]:
    from .read import SUFFIXES

    if scripts:
        return list(scripts)
    folder = Path("scripts")
    if not folder.is_dir():
        raise BadInput("no scripts given and no ./scripts folder here; run 'audioguide build GUIDE.txt'")
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    if not found:
        kinds = ", ".join(sorted(SUFFIXES))
        raise BadInput(f"./scripts holds no guide ({kinds}); add one or name a script to build")
    return found


@cli.command(epilog=EXIT_CODES)
@script_argument
@split_options
@click.option("--rate", type=int, help="Words per minute used for the estimate (default: 155).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def chapters(script, as_json, **options):
    """Preview how SCRIPT splits into chapters: number, title, words, estimated duration.

    \b
    Example:
        audioguide chapters scripts/sjogrens-iv-therapy.txt
        audioguide chapters guide.md --json
    """
    from .outputs.reports import chapter_rows

    guide, settings = _load_guide(script, options)
    rows = chapter_rows(guide, settings)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(guide.title)
    width = max(len(row["title"]) for row in rows)
    for row in rows:
        minutes, seconds = divmod(round(row["estimated_seconds"]), 60)
        click.echo(f"{row['number']:>3}  {row['title']:<{width}}  {row['words']:>6} words  ~{minutes}:{seconds:02d}")


@cli.command(epilog=EXIT_CODES)
@engine_option
@click.option("--language", metavar="CODE", help="Only voices for this language, e.g. en or en-us.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def voices(engine, language, as_json):
    """List the voices available offline, with their language (and for piper, sample rate and licence).

    \b
    Examples:
        audioguide voices --language en
        audioguide voices --engine piper
    """
    from .engines import catalogue, catalogues
    from .outputs.reports import voice_rows

    engines = [catalogue(engine)] if engine else [e for e in catalogues() if e.missing() is None]
    if engine and engines[0].missing():
        raise BadInput(engines[0].missing())
    rows = voice_rows((voice for e in engines for voice in e.voices()), language)
    if not rows:
        where = f" for language {language!r}" if language else ""
        raise BadInput(f"no voice{where}; run 'audioguide voices' to see them all, or install a voice")
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        rate = f"{row['sample_rate']} Hz" if row["sample_rate"] else ""
        extra = "  ".join(x for x in (rate, row["licence"] or "") if x)
        click.echo(f"{row['id']:<22} {', '.join(row['languages']):<10} {row['name']}{'  ' + extra if extra else ''}")


@cli.command(epilog=EXIT_CODES)
@script_argument
@split_options
@lexicon_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of chapters instead of text.")
def proof(script, as_json, **options):
    """Show what will be spoken, chapter by chapter, with every change from the page marked.

    Each change is shown as [page text → spoken text]. Lines starting with "!" flag what may
    still be said wrongly: initialisms not in any lexicon, units not recognised, words the
    engine would spell out. Review this before handing a guide out.

    \b
    Examples:
        audioguide proof scripts/sjogrens-iv-therapy.txt
        audioguide proof guide.md --lexicon clinic.toml --json
    """
    from .speech.proof import proof_guide

    guide, settings = _load_guide(script, options)
    proofs = run_core(proof_guide, guide, settings.pauses, settings.lexicons, settings.language)
    if as_json:
        from .outputs.reports import proof_rows

        click.echo(json.dumps(proof_rows(proofs), indent=2, ensure_ascii=False))
        return
    click.echo(f"{guide.title}  (read in {settings.language_note})")
    for p in proofs:
        click.echo(f"\n== Part {p.number} of {len(proofs)}: {p.title} ({len(p.changes)} changes, {len(p.flags)} flags)")
        for u in p.utterances:
            click.echo(f"  {u.marked or u.spoken}")
        for flag in p.flags:
            click.echo(f"  ! {flag.text}: {flag.reason}")


@cli.command(epilog=EXIT_CODES)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder that receives the packages built from the page (and keeps the documents added).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback also requires the access token printed at start.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option(
    "--max-upload",
    type=click.IntRange(1, 1024),
    default=20,
    show_default=True,
    metavar="MB",
    help="Largest document the page accepts, in megabytes.",
)
def serve(output, host, port, no_browser, max_upload):
    """Open the workbench: a local web page to add a document, check what will be spoken, fix a
    word, build the audio guide, listen to it and download its ZIP, without a terminal.

    \b
    Example:
        audioguide serve -o output
    """
    from .web import serve as run_server

    run_core(run_server, output, host, port, open_browser=not no_browser, max_upload=max_upload * 1024 * 1024,
             say=click.echo)  # fmt: skip


@cli.command(epilog=EXIT_CODES)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def languages(as_json):
    """List the languages audioguide speaks: each reads numbers, dates, units and abbreviations
    its own way and has its own words on the player page, transcript and README.

    \b
    Example:
        audioguide languages
    """
    from .languages import all_languages

    rows = [{"code": language.code, "name": language.name, "tags": language.known_tags} for language in all_languages()]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['code']:<4} {row['name']:<10} {', '.join(row['tags'])}")


@cli.command(epilog=EXIT_CODES)
@click.argument("text")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Audio file to write; its extension (.wav, .mp3, .ogg, ...) sets the format.",
)  # fmt: skip
@voice_options
@click.option("--language", metavar="TAG", help="The phrase's language: en (default), en-GB, es, es-MX.")
def say(text, output, **options):
    """Render one phrase through the same speech stage, to check a pronunciation by ear.

    Prints the text given to the engine, with every change from TEXT marked.

    \b
    Example:
        audioguide say "Take 5 mg of rituximab IV" -o check.wav
    """
    from .build.phrase import say_phrase

    utterances = run_core(say_phrase, text, output, request_from(options))
    click.echo(" ".join(u.marked or u.spoken for u in utterances))


@cli.command(epilog=EXIT_CODES)
@click.argument("package", type=click.Path(path_type=Path))
def bundle(package):
    """Write PACKAGE.zip from a built package folder: audio, playlist, captions, transcript,
    player, manifest and a large-print README.txt on how to listen.

    \b
    Example:
        audioguide bundle output/sjogrens-iv-therapy
    """
    click.echo(run_core(_bundle, package))
