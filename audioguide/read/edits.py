"""Parts left out or renamed by the person building: applied to a guide each time it is read.

An edit names the part it changes by its number and its title in the document, so that an edit
made before the document's parts changed is never applied to another part: it is then reported,
and left alone. A part left out is kept on the guide (:attr:`~.chapters.Guide.left_out`), so the
proof still lists it: nothing of the document is dropped unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..errors import InputError
from .chapters import Chapter, Guide, assign_slugs

#: Longer titles do not fit a player's screen or a file's tags.
TITLE_MAX_CHARS = 200


@dataclass(frozen=True)
class PartEdit:
    """What the person building changed about one part of the document."""

    number: int
    """The part's number in the document, before any part is left out."""
    title: str
    """The part's title in the document."""
    new_title: str = ""
    """The title it is announced, tagged and listed by instead; empty keeps the document's."""
    left_out: bool = False
    """Not spoken, and not in the package; the proof lists it as left out."""

    def __post_init__(self) -> None:
        new_title = " ".join(self.new_title.split())
        if len(new_title) > TITLE_MAX_CHARS:
            raise InputError(f"a part's title may have at most {TITLE_MAX_CHARS} characters; shorten it")
        object.__setattr__(self, "new_title", new_title)


def apply_edits(guide: Guide, edits: Sequence[PartEdit]) -> Guide:
    """The guide with its parts left out or renamed, the others numbered again from 1."""
    if not edits:
        return guide
    kept: list[Chapter] = []
    left_out: list[Chapter] = []
    unmatched = list(edits)
    for chapter in guide.chapters:
        edit = _edit_of(chapter, unmatched)
        if edit is not None and edit.left_out:
            left_out.append(chapter)
            continue
        title = edit.new_title if edit is not None and edit.new_title else chapter.title
        kept.append(replace(chapter, number=len(kept) + 1, title=title))
    if not kept:
        raise InputError("every part is left out; put at least one part back to build the guide")
    assign_slugs(kept)
    notices = [
        f"the change to part {edit.number} ({edit.title}) no longer matches a part of the document; it was not applied"
        for edit in unmatched
    ]
    script = replace(guide.script, notices=[*guide.script.notices, *notices]) if notices else guide.script
    return replace(guide, chapters=kept, left_out=left_out, script=script)


def _edit_of(chapter: Chapter, edits: list[PartEdit]) -> PartEdit | None:
    """The edit of this part (taken from ``edits``): by its number and title, else by its title alone."""
    for matches in (
        lambda edit: edit.number == chapter.number and edit.title == chapter.title,
        lambda edit: edit.title == chapter.title,
    ):
        for edit in edits:
            if matches(edit):
                edits.remove(edit)
                return edit
    return None
