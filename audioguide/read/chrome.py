"""Page chrome known by its words, whatever the format it came in.

A page's structure says where most of its chrome is (``<nav>``, a PDF's artifacts, the groups around a
printed page's title), but some of it sits among the guide's own blocks and is known only by what it
says: a feedback box ("Is this page useful?" with its Yes and No), a page control ("Print this page",
"Back to top"), and a web page's own contents list (links to the headings below it). A plain-text copy
of a page, a page printed to PDF and a saved page all carry them; a listener needs none of them.
"""

from __future__ import annotations

import re

from .blocks import DATELINE, Block, BlockKind, same_words

#: The question or offer of a feedback box, in the languages audioguide speaks.
FEEDBACK = re.compile(
    r"^¿?(?:is this page useful|was this (?:page|information|article) (?:helpful|useful)|did you find what you"
    r"(?: were)? looking for|rate this (?:page|article)|how useful was this page|report a problem with this page|"
    r"give (?:us )?(?:your )?feedback(?: on this page)?|(?:le )?(?:fue|resultó) útil (?:esta|la) (?:página|"
    r"información)|(?:esta|la) (?:página|información) (?:le )?(?:fue|resultó) útil|califique esta página)\b.{0,60}$",
    re.IGNORECASE,
)
#: A control of the page, as a browser or a copy shows it, and the places a page offers to share it to.
CONTROL_WORDS = (
    r"print(?: this page)?|back to top|(?:go )?to top|share(?: this page)?|e-?mail(?: this page)?|"
    r"skip to (?:main )?content|(?:yes|no),? this page (?:is|is not) useful|imprimir(?: esta página)?|"
    r"volver arriba|compartir(?: esta página)?|enviar esta página|correo electrónico|facebook|twitter|x|"
    r"linkedin|pinterest|whatsapp|reddit"
)
#: A line that is only controls of the page ("Print this page", "Email Facebook X LinkedIn", "Compartir:
#: Facebook · Twitter"): never the guide's words. (A lone "X" is a letter, not X.com.)
CONTROL = re.compile(rf"^(?!x$)(?:(?:{CONTROL_WORDS})[\s.:·|,/•-]*)+$", re.IGNORECASE)
#: Under a feedback heading, no more than this many words are its buttons and links (more is the guide's).
FEEDBACK_MAX_WORDS = 40
#: An entry of a contents list: its number before it, or its page number after it.
ENTRY_NUMBER = re.compile(r"^\s*\d{1,3}[.)]?\s+|\s+\d{1,4}\s*$")


def without_chrome(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """The blocks without feedback boxes, page controls and the date lines at their end, and what each
    left-out part was."""
    kept: list[Block] = []
    left_out: list[str] = []
    skip_to: int | None = None
    for index, block in enumerate(blocks):
        if skip_to is not None and index < skip_to:
            continue
        if block.kind is BlockKind.HEADING and FEEDBACK.match(block.text):
            end = _section_end(blocks, index)
            under = sum(len(b.text.split()) for b in blocks[index + 1 : end])
            if under <= FEEDBACK_MAX_WORDS:
                left_out.append(f"the feedback box “{block.text}”")
                skip_to = end
                continue
        if CONTROL.match(block.text) or (block.kind is not BlockKind.HEADING and FEEDBACK.match(block.text)):
            left_out.append(f"“{block.text}”")
            continue
        kept.append(block)
    while len(kept) > 1 and kept[-1].kind is not BlockKind.HEADING and DATELINE.match(kept[-1].text):
        left_out.append(f"“{kept.pop().text}”")
    return kept, left_out


def without_contents_list(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """The blocks without a page's own contents list: two or more list items, each naming a heading that
    follows it (with its number, or its page number), and the heading or label right above them."""
    kept = list(blocks)
    left_out = []
    index = 0
    while index < len(kept):
        end = index
        while end < len(kept) and kept[end].kind is BlockKind.ITEM:
            end += 1
        later = [b.text for b in kept[end:] if b.kind is BlockKind.HEADING]
        entries = [ENTRY_NUMBER.sub("", b.text) for b in kept[index:end]]
        if end - index >= 2 and all(any(same_words(entry, heading) for heading in later) for entry in entries):
            start = index
            if index > 0 and _is_label(kept[index - 1]):
                start -= 1
            left_out.append(f"the page's contents list ({end - index} entries)")
            del kept[start:end]
            index = start
        else:
            index = end + 1
    return kept, left_out


def _is_label(block: Block) -> bool:
    """A heading or a short line over a list ("Contents", "On this page", "En esta página")."""
    return block.kind is BlockKind.HEADING or (len(block.text.split()) <= 4 and not block.text.endswith("."))


def _section_end(blocks: list[Block], start: int) -> int:
    """Where the section a heading starts ends: at the next heading as high as it, or the end."""
    level = blocks[start].level
    return next(
        (i for i in range(start + 1, len(blocks)) if blocks[i].kind is BlockKind.HEADING and blocks[i].level <= level),
        len(blocks),
    )
