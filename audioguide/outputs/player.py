"""``index.html``: the package's accessible offline player, one self-contained page.

No fonts, scripts or images come from anywhere: it works opened straight from a USB stick
(``file://``) as well as from any web server. Without JavaScript it is a list of plain audio
players, one per chapter, and a link to the transcript; with it, one large-button player with
chapter skipping, 15-second jumps, speeds, captions in sync, and resuming where the listener
stopped. Every text from the guide is escaped, in HTML and in the embedded data alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from html import escape
from importlib import resources

from ..build.types import BuildResult
from ..languages import Language, get_language
from .base import PackageFiles
from .captions import caption_files

SPEEDS = (0.75, 1.0, 1.25, 1.5)
SKIP_SECONDS = 15


def _asset(name: str) -> str:
    """The player's style sheet and script, kept as files of their own and inlined in the page."""
    return resources.files("audioguide.outputs").joinpath(name).read_text(encoding="utf-8")


def _spoken_length(seconds: float, words: Language) -> str:
    minutes = max(1, round(seconds / 60))
    return words.say("one_minute") if minutes == 1 else words.say("minutes", minutes=minutes)


def player_html(
    title: str,
    author: str | None,
    language: str,
    slug: str,
    tracks: list[dict],
    captions: Iterable[str],
    full_file: str,
    talking_book: str | None = None,
) -> Iterator[str]:
    """The page, in pieces. ``tracks``: dicts with ``title``, ``file`` and ``seconds``; ``captions``:
    each track's WebVTT text, taken one at a time as the page is written (a book has megabytes of it);
    ``talking_book``: the EPUB's file name, where the package has one.
    Every word of the page besides the guide's own is the guide's ``language``'s.
    """
    words = get_language(language)
    items = "\n".join(
        f'<li class="chapter"><span class="chapter-title" id="title-{n}">{escape(t["title"])}</span> '
        f'<span class="length">({_spoken_length(t["seconds"], words)})</span>'
        f'<audio controls preload="none" src="{escape(t["file"])}" aria-labelledby="title-{n}"></audio></li>'
        for n, t in enumerate(tracks)
    )
    speeds = "\n".join(f'<option value="{s}"{" selected" if s == 1.0 else ""}>{s:g}×</option>' for s in SPEEDS)
    byline = f'<p class="byline">{escape(author)}</p>' if author else ""
    fields = {
        "language": escape(language),
        "title": escape(title),
        "byline": byline,
        "items": items,
        "speeds": speeds,
        "skip": SKIP_SECONDS,
        "full_file": escape(full_file),
        "playlist": escape(f"{slug}.m3u8"),
        "book_item": f'<li><a href="{escape(talking_book)}">{escape(words.say("talking_book"))}</a></li>'
        if talking_book
        else "",
        "style": _asset("player.css"),
        "script": _asset("player.js"),
        "w": {key: value.replace("{skip}", str(SKIP_SECONDS)) for key, value in words.words.items()},
    }
    before, after = _TEMPLATE.split("{data}")
    yield before.format(**fields)
    script_words = {key: words.words[key] for key in _SCRIPT_WORDS}
    yield _script_safe(
        f'{{"slug": {json.dumps(slug, ensure_ascii=False)}, "skip": {SKIP_SECONDS}, '
        f'"words": {json.dumps(script_words, ensure_ascii=False)}, "tracks": ['
    )
    for n, (track, vtt) in enumerate(zip(tracks, captions, strict=True)):
        yield (", " if n else "") + _script_safe(json.dumps({**track, "vtt": vtt}, ensure_ascii=False))
    yield "]}"
    yield after.format(**fields)


#: The words the page's script says: announcements to screen readers, the time, the parts' buttons.
_SCRIPT_WORDS = (
    "time_of", "play", "pause", "part_name", "part_button", "now_playing", "into_part", "speed_times", "captions_shown",
    "captions_hidden", "end_of_guide", "ready_to_resume", "minute_one", "minute_many", "second_one", "second_many",
)  # fmt: skip


def _script_safe(data: str) -> str:
    # Inside <script>, "</" could end the element early: JSON allows "<" to be written \u003c.
    return data.replace("<", "\\u003c")


_TEMPLATE = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<a href="#player-heading" class="visually-hidden">{w[skip_to_player]}</a>
<header>
<h1>{title}</h1>
{byline}
</header>
<main>
<section id="player" class="player" aria-labelledby="player-heading" hidden>
<h2 id="player-heading">{w[player]}</h2>
<p id="now-title" class="now"></p>
<label for="position">{w[position]}</label>
<input id="position" class="position" type="range" min="0" max="0" step="1" value="0">
<p><span id="time" class="time"></span></p>
<div class="controls">
<button type="button" id="previous" class="secondary">{w[previous_part]}</button>
<button type="button" id="back" class="secondary">{w[back_seconds]}</button>
<button type="button" id="play" aria-label="{w[play]}">{w[play]}</button>
<button type="button" id="forward" class="secondary">{w[forward_seconds]}</button>
<button type="button" id="next" class="secondary">{w[next_part]}</button>
</div>
<div class="settings">
<label for="speed">{w[speed]}</label>
<select id="speed">
{speeds}
</select>
<button type="button" id="caption-toggle" class="secondary" aria-pressed="true">{w[captions]}</button>
</div>
<div id="captions" class="captions" lang="{language}"></div>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<audio id="audio" preload="metadata"></audio>
<details>
<summary>{w[keyboard_shortcuts]}</summary>
<ul>
<li>{w[key_space]}</li>
<li>{w[key_skip]}</li>
<li>{w[key_parts]}</li>
<li>{w[key_speed]}</li>
<li>{w[key_captions]}</li>
</ul>
</details>
</section>
<section aria-labelledby="parts-heading">
<h2 id="parts-heading">{w[parts]}</h2>
<ol class="chapters">
{items}
</ol>
</section>
<section aria-labelledby="more-heading">
<h2 id="more-heading">{w[more]}</h2>
<ul>
<li><a href="transcript.html">{w[read_large_print]}</a></li>
<li><a href="{full_file}">{w[whole_guide_file]}</a></li>
<li><a href="{playlist}">{w[playlist]}</a></li>
{book_item}
</ul>
</section>
</main>
<script type="application/json" id="guide-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""


class Player:
    """``index.html``, with each track's captions (as the captions output wrote them) inside."""

    name = "player"
    alongside = False

    def files(self, result: BuildResult) -> list[str]:
        return ["index.html"]

    def write(self, result: BuildResult, files: PackageFiles) -> dict:
        guide = result.guide
        tracks = [{"title": t.title, "file": t.file, "seconds": round(t.seconds, 3)} for t in result.tracks]
        captions = ((files.folder / caption_files(t)[0]).read_text(encoding="utf-8") for t in result.tracks)
        with files.text("index.html") as out:
            out.writelines(
                player_html(
                    guide.title, guide.script.meta.author, result.language, guide.slug, tracks, captions,
                    result.full_file, f"{guide.slug}.epub" if result.settings.epub else None,
                )
            )  # fmt: skip
        return {}


OUTPUT = Player()
