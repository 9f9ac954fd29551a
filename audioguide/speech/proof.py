"""What each chapter will say, for a clinician to review before anything is handed out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..languages import detect_language, get_language
from ..read import Block
from ..read.chapters import Chapter, Guide
from .lexicon import Lexicon
from .normalize import flags, load_lexicon
from .prepare import Pauses, Utterance, prepare_chapter
from .rules import Change, Flag, unfilled_parts, unread_signs


@dataclass
class ChapterProof:
    """What one chapter will say, for a clinician to review before anything is handed out."""

    number: int
    title: str
    utterances: list[Utterance]
    flags: list[Flag]
    blocks: list[Block] = field(default_factory=list)
    """The chapter's blocks, which its utterances read (:attr:`Utterance.block`)."""

    @property
    def spoken(self) -> str:
        """Exactly the text given to the engine, one engine call a line."""
        return "\n".join(u.spoken for u in self.utterances)

    @property
    def changes(self) -> list[Change]:
        return [change for u in self.utterances for change in u.changes]


def proof_guide(
    guide: Guide, pauses: Pauses, lexicon_files: Iterable[Path] = (), language: str = "en-US"
) -> list[ChapterProof]:
    """What each chapter will say, in its own language where the guide reads each part in its own."""
    proofs = []
    lexicons: dict[str, Lexicon] = {}
    for chapter in guide.chapters:
        spoken_in = chapter.language or language
        if spoken_in not in lexicons:
            lexicons[spoken_in] = load_lexicon(lexicon_files, spoken_in)
        lexicon = lexicons[spoken_in]
        utterances = prepare_chapter(guide, chapter, pauses, lexicon, spoken_in)
        # What the reader was unsure of comes first: it is about the page, before any word.
        found = [Flag(_excerpt(block.text), block.doubt) for block in chapter.blocks if block.doubt]
        if chapter.heading_doubt:
            found.insert(0, Flag(chapter.title, chapter.heading_doubt))
        found += [flag for u in utterances for flag in flags(u.page, lexicon, spoken_in)]
        found += [flag for u in utterances for flag in unread_signs(u.spoken)]
        found += _language_flags(chapter, language)
        unique = list({(f.text, f.reason): f for f in found}.values())
        proofs.append(ChapterProof(chapter.number, chapter.title, utterances, unique, chapter.blocks))
    return proofs


def _language_flags(chapter: Chapter, language: str) -> list[Flag]:
    """A part that reads as another language than the one it is spoken in is worth a look."""
    if chapter.language:
        return []  # 'language: auto': each part is read in its own
    words = " ".join([chapter.title, *(block.text for block in chapter.blocks)])
    found = detect_language(words)
    if found is None or found == get_language(language).code:
        return []
    return [
        Flag(
            chapter.title,
            f"this part reads as {get_language(found).name} ({found}) but is spoken as "
            f"{get_language(language).name}; give 'language: auto' to read each part in its own language",
        )
    ]


def _excerpt(text: str, words: int = 8) -> str:
    split = text.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def unfilled_notice(guide: Guide) -> str | None:
    """One line on the parts of a template the guide leaves to fill in ("[Patient name]", "____"),
    for a build to warn of: the listener would hear "blank" where they are."""
    parts = [
        part
        for chapter in guide.chapters
        for text in (chapter.title, *(block.text for block in chapter.blocks))
        for part in unfilled_parts(text)
    ]
    if not parts:
        return None
    shown = ", ".join(dict.fromkeys(parts[:3]))
    count = f"{len(parts)} part{'s' if len(parts) > 1 else ''}"
    return (
        f"{guide.script.path}: {count} not filled in ({shown}{', …' if len(parts) > 3 else ''}); "
        "the listener hears “blank” there (the proof lists each): fill them in before handing out"
    )
