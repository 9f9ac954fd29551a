"""Speech preparation: the page text of a chapter to the utterances the engine speaks.

The page text is kept for everything a patient reads (titles, captions, transcripts); only the
engine gets the spoken text. Each utterance is one sentence (or one list item, or one heading),
followed by a pause whose length says what came to an end: a sentence, an item, a paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .chapters import Chapter, Guide
from .normalize import Change, Lexicon, speak
from .script import BlockKind
from .settings import Pauses


@dataclass
class Utterance:
    page: str
    """The text as the page shows it."""
    spoken: str
    """The text as the engine is given it."""
    pause_ms: int
    """Silence after this utterance."""
    changes: list[Change] = field(default_factory=list)
    """Every difference between the page text and the spoken text."""


def prepare_chapter(guide: Guide, chapter: Chapter, pauses: Pauses, lexicon: Lexicon) -> list[Utterance]:
    utterances = [
        _utterance(sentence, pauses.sentence, lexicon) for sentence in _announcement_sentences(guide, chapter)
    ]
    utterances[-1].pause_ms = pauses.announcement
    block_pause = {
        BlockKind.PARAGRAPH: pauses.paragraph,
        BlockKind.ITEM: pauses.item,
        BlockKind.HEADING: pauses.heading,
    }
    for block in chapter.blocks:
        sentences = [block.text] if block.kind is BlockKind.HEADING else split_sentences(block.text)
        for sentence in sentences:
            utterances.append(_utterance(sentence, pauses.sentence, lexicon))
        utterances[-1].pause_ms = block_pause[block.kind]
    return utterances


def _announcement_sentences(guide: Guide, chapter: Chapter) -> list[str]:
    """What a chapter file says first, so a listener who skips around always knows where they are."""
    part = f"Part {chapter.number} of {len(guide.chapters)}."
    return [guide.title, part, chapter.title] if chapter.number == 1 else [part, chapter.title]


def _utterance(page: str, pause_ms: int, lexicon: Lexicon) -> Utterance:
    spoken, changes = speak(page, lexicon)
    return Utterance(page=page, spoken=spoken, pause_ms=pause_ms, changes=changes)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, each with its own text as on the page (trailing spaces trimmed)."""
    sentences = [span.strip() for span in _segmenter().segment(text)]
    return [sentence for sentence in sentences if sentence] or [text.strip()]


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)
