"""Speech preparation: the page text of a chapter to the utterances the engine speaks.

The page text is kept for everything a patient reads (titles, captions, transcripts); only the
engine gets the spoken text. Each utterance is one sentence (or one list item, or one heading),
followed by a pause whose length says what came to an end: a sentence, an item, a paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..languages import Language, all_languages, get_language
from ..read import BlockKind
from ..read.chapters import Chapter, Guide
from .fragments import caption_fragments
from .lexicon import Lexicon
from .normalize import speak
from .rules import Change


@dataclass(frozen=True)
class Pauses:
    """Silences inserted between spoken pieces, in milliseconds."""

    sentence: int = 450
    """After each sentence: eSpeak NG adds none of its own at the end of an utterance."""
    item: int = 650
    """After each list item, so items are heard as separate points."""
    paragraph: int = 1000
    """Between paragraphs: the listener's cue that a new thought begins."""
    heading: int = 1000
    """After a heading inside a chapter."""
    announcement: int = 1500
    """After the chapter announcement ("Part 2 of 4. ..."), before the chapter's text."""

    @classmethod
    def slow(cls) -> Pauses:
        return cls(sentence=700, item=1000, paragraph=1600, heading=1500, announcement=2200)


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
    marked: str = ""
    """The spoken text with every change marked, for proofing."""
    fragments: list[tuple[str, int]] = field(default_factory=list)
    """Caption-sized parts of the page text, each with where its words start in ``spoken``."""
    block: int | None = None
    """Which of its chapter's blocks it reads (a proof shows them as the page does); None for the announcement."""


def prepare_chapter(
    guide: Guide, chapter: Chapter, pauses: Pauses, lexicon: Lexicon, language: str = "en-US"
) -> list[Utterance]:
    return ChapterScript(guide.title, len(guide.chapters), chapter, language).utterances(pauses, lexicon)


def prepare_phrase(text: str, pauses: Pauses, lexicon: Lexicon, language: str = "en-US") -> list[Utterance]:
    """A short text (``audioguide say``) as utterances, through the same stage as a chapter."""
    return [utterance(sentence, pauses.sentence, lexicon, language) for sentence in split_sentences(text, language)]


@dataclass(frozen=True)
class ChapterScript:
    """What a chapter's file says: the chapter, and what its announcement needs from the guide.

    Small enough to send to a worker process, which prepares the speech itself.
    """

    guide_title: str
    chapter_count: int
    chapter: Chapter
    language: str = "en-US"
    """The guide's language tag, which decides how its numeric dates are read."""

    @property
    def words(self) -> int:
        return self.chapter.words

    def utterances(self, pauses: Pauses, lexicon: Lexicon) -> list[Utterance]:
        utterances = [utterance(text, pauses.sentence, lexicon, self.language) for text in self._announcement()]
        utterances[-1].pause_ms = pauses.announcement
        block_pause = {
            BlockKind.PARAGRAPH: pauses.paragraph,
            BlockKind.ITEM: pauses.item,
            BlockKind.HEADING: pauses.heading,
        }
        for index, block in enumerate(self.chapter.blocks):
            sentences = [block.text] if block.kind is BlockKind.HEADING else split_sentences(block.text, self.language)
            for sentence in sentences:
                utterances.append(utterance(sentence, pauses.sentence, lexicon, self.language))
                utterances[-1].block = index
            utterances[-1].pause_ms = block_pause[block.kind]
        return utterances

    def _announcement(self) -> list[str]:
        """What a chapter file says first, so a listener who skips around always knows where they are."""
        number = self.chapter.number
        part = get_language(self.language).say("part_of", number=number, total=self.chapter_count)
        return [self.guide_title, part, self.chapter.title] if number == 1 else [part, self.chapter.title]


@dataclass(frozen=True)
class ContentsScript:
    """What the spoken table of contents says: the guide's title, then each part with its length."""

    guide_title: str
    parts: tuple[tuple[int, str, float], ...]
    """Number, title and length in seconds of each chapter."""
    language: str = "en-US"

    @property
    def words(self) -> int:
        return sum(len(line.split()) for line in self._lines())

    def utterances(self, pauses: Pauses, lexicon: Lexicon) -> list[Utterance]:
        utterances = [utterance(line, pauses.item, lexicon, self.language) for line in self._lines()]
        utterances[0].pause_ms = utterances[2].pause_ms = pauses.announcement
        return utterances

    def _lines(self) -> list[str]:
        words = get_language(self.language)
        total = _minutes(sum(seconds for _, _, seconds in self.parts), words)
        summary = words.say("contents_summary", count=len(self.parts), length=total)
        lines = [self.guide_title, words.say("contents_heading"), summary]
        return lines + [
            words.say("contents_part", number=number, title=title, length=_minutes(seconds, words))
            for number, title, seconds in self.parts
        ]


def _minutes(seconds: float, words: Language) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return words.say("under_a_minute")
    return words.say("about_one_minute") if minutes == 1 else words.say("about_minutes", minutes=minutes)


def utterance(page: str, pause_ms: int, lexicon: Lexicon, language: str = "en-US") -> Utterance:
    """One sentence, prepared part by part so each caption part knows where its words are spoken."""
    pieces = caption_fragments(page)
    parts = [speak(piece, lexicon, language) for piece in pieces]
    fragments, offset = [], 0
    for fragment, spoken in zip(pieces, parts, strict=True):
        fragments.append((fragment, offset))
        offset += len(spoken.text) + 1
    text = " ".join(part.text for part in parts)
    if text and not text.endswith((".", "!", "?")):
        # Headings, list items and titles end with a falling tone, like a sentence.
        text = text.rstrip(",;:") + "."
    return Utterance(
        page=page,
        spoken=text,
        pause_ms=pause_ms,
        changes=[change for part in parts for change in part.changes],
        marked=lexicon.readable(" ".join(part.marked for part in parts)),
        fragments=fragments,
    )


def split_sentences(text: str, language: str = "en-US") -> list[str]:
    """Sentences of a paragraph, each with its own text as on the page (outer spaces trimmed)."""
    spoken_in = get_language(language)
    # pysbd ends a sentence after some abbreviations even when it goes on ("approx. 3 hours").
    not_ends = spoken_in.reading.NOT_SENTENCE_ENDS
    sentences: list[str] = []
    for span in _segmenter(spoken_in.sentence_code).segment(text):
        sentence = span.strip()
        if not sentence:
            continue
        if sentences and not_ends.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {sentence}"
        else:
            sentences.append(sentence)
    return sentences or [text.strip()]


@cache
def _segmenter(code: str):
    import pysbd

    return pysbd.Segmenter(language=code, clean=False)


def load_reading_rules() -> None:
    """Load every language's reading rules and the sentence splitter now, before the first chapter needs them."""
    for language in all_languages():
        _segmenter(language.sentence_code)
        language.reading  # noqa: B018 (a property that imports the module)
