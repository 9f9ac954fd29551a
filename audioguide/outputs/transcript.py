"""The guide as large-print text: ``transcript.html`` (phone-readable, printable) and ``transcript.txt``."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from ..build.types import BuildResult
from ..languages import get_language
from ..read import BlockKind
from ..read.chapters import Guide
from .base import PackageFiles, lines

_STYLE = """
:root { color-scheme: light dark; --fg: #111; --bg: #fffdf7; --accent: #0b4f8a; }
@media (prefers-color-scheme: dark) { :root { --fg: #f5f5f5; --bg: #121212; --accent: #9cc9ff; } }
html { font-size: 125%; }
body { margin: 0 auto; padding: 1rem 1.25rem 4rem; max-width: 38rem; background: var(--bg); color: var(--fg);
  font-family: Verdana, "DejaVu Sans", Arial, sans-serif; font-size: 1.25rem; line-height: 1.7;
  overflow-wrap: break-word; }
h1 { font-size: 2rem; line-height: 1.3; }
h2 { font-size: 1.6rem; line-height: 1.3; margin-top: 2.5rem; border-top: 3px solid var(--accent); padding-top: 1rem; }
h3 { font-size: 1.35rem; }
p, li { margin: 0 0 1.1rem; }
a { color: var(--accent); text-underline-offset: 0.2em; }
a:focus-visible { outline: 4px solid var(--accent); outline-offset: 3px; }
.meta { font-size: 1.1rem; }
@media print {
  html { font-size: 100%; }
  body { max-width: none; color: #000; background: #fff; }
  h2 { break-after: avoid; }
}
"""


def transcript_html(guide: Guide, language: str) -> Iterator[str]:
    """The large-print transcript page, line by line (a book-length guide is never held whole)."""
    words = get_language(language)
    yield from (
        "<!DOCTYPE html>",
        f'<html lang="{escape(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(words.say('transcript_title', title=guide.title))}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(guide.title)}</h1>",
    )
    if guide.script.meta.author:
        yield f'<p class="meta">{escape(guide.script.meta.author)}</p>'
    yield f'<nav aria-label="{escape(words.say("parts"))}"><ol>'
    yield from (f'<li><a href="#part-{c.number}">{escape(c.title)}</a></li>' for c in guide.chapters)
    yield "</ol></nav>"
    for chapter in guide.chapters:
        yield f'<section aria-labelledby="part-{chapter.number}">'
        heading = escape(words.say("part_heading", number=chapter.number, title=chapter.title))
        yield f'<h2 id="part-{chapter.number}">{heading}</h2>'
        in_list = False
        for block in chapter.blocks:
            if block.kind is BlockKind.ITEM and not in_list:
                yield "<ul>"
                in_list = True
            elif block.kind is not BlockKind.ITEM and in_list:
                yield "</ul>"
                in_list = False
            tag = {BlockKind.ITEM: "li", BlockKind.HEADING: "h3", BlockKind.PARAGRAPH: "p"}[block.kind]
            yield f"<{tag}>{escape(block.text)}</{tag}>"
        if in_list:
            yield "</ul>"
        yield "</section>"
    yield from ("</main>", "</body>", "</html>")


def transcript_text(guide: Guide, language: str) -> Iterator[str]:
    """The plain-text transcript, line by line."""
    words = get_language(language)
    yield from (guide.title, "=" * min(len(guide.title), 72), "")
    if guide.script.meta.author:
        yield from (guide.script.meta.author, "")
    for chapter in guide.chapters:
        heading = words.say("part_heading", number=chapter.number, title=chapter.title)
        yield from (heading, "-" * min(len(heading), 72), "")
        for block in chapter.blocks:
            yield from (f"- {block.text}" if block.kind is BlockKind.ITEM else block.text, "")


class Transcript:
    """``transcript.html`` and ``transcript.txt``: the guide's page text in large print."""

    name = "transcript"
    alongside = False

    def files(self, result: BuildResult) -> list[str]:
        return ["transcript.html", "transcript.txt"]

    def write(self, result: BuildResult, files: PackageFiles) -> dict:
        with files.text("transcript.html") as out:
            out.writelines(lines(transcript_html(result.guide, result.language)))
        with files.text("transcript.txt") as out:
            out.writelines(lines(transcript_text(result.guide, result.language)))
        return {}


OUTPUT = Transcript()
