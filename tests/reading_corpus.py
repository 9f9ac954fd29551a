"""The corpus of real documents (tests/corpus/): its readings and chapters, and how a reading is judged.

A reading is right when what audioguide gives the engine, heard as words, is one of the narrator's
readings written down before the tool ever saw the phrase. The comparison ignores what a listener
cannot hear (case, punctuation, hyphens between letters, British or American spelling of a unit,
the "and" inside a number) and nothing else. Lexicon pronunciations (``[[phonemes]]``) count as
the word they pronounce: whether the engine says that word well is the lexicon's test.

``python -m tests.reading_corpus`` prints the rates, each failing reading, and each document whose
chapters differ from an editor's; ``--known`` writes what fails today to known-failures.toml.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parent / "corpus"
DOCS = CORPUS / "docs"
#: Readings that fail today, by id: a failure not listed here is a regression, and a listed reading
#: that passes must come off the list (so the list only ever shrinks).
KNOWN_FAILURES = CORPUS / "known-failures.toml"


@dataclass(frozen=True)
class Reading:
    id: str
    doc: str
    kind: str
    lang: str
    page: str
    say: tuple[str, ...]
    note: str = ""


@cache
def readings() -> tuple[Reading, ...]:
    data = tomllib.loads((CORPUS / "readings.toml").read_text(encoding="utf-8"))
    return tuple(
        Reading(r["id"], r["doc"], r["kind"], r["lang"], r["page"],
                tuple(r["say"]) if isinstance(r["say"], list) else (r["say"],), r.get("note", ""))
        for r in data["reading"]
    )  # fmt: skip


@cache
def editors_chapters() -> dict[str, dict]:
    return tomllib.loads((CORPUS / "chapters.toml").read_text(encoding="utf-8"))


def known_failures() -> dict[str, str]:
    """Reading id (or ``chapters:<doc>``) → why it fails today."""
    if not KNOWN_FAILURES.exists():
        return {}
    return tomllib.loads(KNOWN_FAILURES.read_text(encoding="utf-8"))


def spoken(reading: Reading) -> str:
    """What audioguide gives the engine for the phrase, with each lexicon pronunciation shown as its word."""
    from audioguide.speech.prepare import Pauses, prepare_phrase

    utterances = prepare_phrase(reading.page, Pauses(), _lexicon(reading.lang), reading.lang)
    text = " ".join(u.spoken for u in utterances)
    for change in (c for u in utterances for c in u.changes):
        if "[[" in change.spoken:
            text = text.replace(change.spoken, change.original, 1)
    return text


@cache
def _lexicon(language: str):
    from audioguide.speech.normalize import load_lexicon

    return load_lexicon([], language)


_BRITISH = {"litre": "liter", "litres": "liters", "metre": "meter", "metres": "meters", "centre": "center"}
_NUMBER_WORDS = set(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
    ]
)


def heard(text: str, language: str) -> list[str]:
    """The words a listener hears in ``text``: what the comparison looks at."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"(?<![^\W\d_])([^\W\d_])['’]s\b", r"\1s", text)  # "G's" and "Gs" are one plural of a letter
    text = re.sub(r"[\u2010-\u2015\-/]", " ", text)  # hyphens and dashes between letters are pauses
    text = re.sub(r"[^\w\s]", " ", text)
    words = [_spelling(word) for word in text.split()]
    if language.startswith("en"):
        words = [w for i, w in enumerate(words) if not _and_in_a_number(words, i)]
        words = " ".join(words).replace("per cent", "percent").split()
    return words


def _spelling(word: str) -> str:
    for british, american in _BRITISH.items():
        if word.endswith(british):
            return word[: -len(british)] + american
    return word


def _and_in_a_number(words: list[str], index: int) -> bool:
    """ "one hundred and ten" is "one hundred ten" with the "and" a British narrator says."""
    return (
        words[index] == "and" and 0 < index < len(words) - 1
        and words[index - 1] in _NUMBER_WORDS and words[index + 1] in _NUMBER_WORDS
    )  # fmt: skip


def is_right(reading: Reading) -> bool:
    said = heard(spoken(reading), reading.lang)
    return any(heard(way, reading.lang) == said for way in reading.say)


@cache
def guide_of(doc: str):
    """The guide audioguide reads from a document of the corpus (read once a session)."""
    from audioguide.build.plan import load_guide
    from audioguide.settings import Request

    guide, _ = load_guide(DOCS / doc, Request(engine="espeak"))
    return guide


def chapters_of(doc: str) -> tuple[str, list[str]]:
    """The title and chapter titles audioguide gives a document."""
    guide = guide_of(doc)
    return guide.title, [chapter.title for chapter in guide.chapters]


def signs() -> dict[str, str]:
    """Every symbol, punctuation mark and other number sign (Unicode S*, P*, No) in the corpus's
    text, with the first document it is in."""
    found: dict[str, str] = {}
    for doc in sorted(editors_chapters()):
        guide = guide_of(doc)
        texts = [guide.title, *(c.title for c in guide.chapters), *(b.text for c in guide.chapters for b in c.blocks)]
        for sign in "".join(texts):
            if unicodedata.category(sign)[0] in "SP" or unicodedata.category(sign) == "No":
                found.setdefault(sign, doc)
    return found


def chapters_are_right(doc: str) -> bool:
    expected = editors_chapters()[doc]
    title, chapters = chapters_of(doc)
    return _text(title) == _text(expected["title"]) and [_text(c) for c in chapters] == [
        _text(c) for c in expected["chapters"]
    ]


def _text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def failures() -> dict[str, str]:
    """Every reading and document that fails today: id (or ``chapters:<doc>``) → what audioguide did."""
    found = {r.id: f"read {spoken(r)!r}" for r in readings() if not is_right(r)}
    for doc in sorted(editors_chapters()):
        if not chapters_are_right(doc):
            title, chapters = chapters_of(doc)
            found[f"chapters:{doc}"] = f"split as {title!r}: {chapters}"
    return found


def write_known_failures() -> None:
    lines = [
        "# What fails in the corpus today (`python -m tests.reading_corpus --known` writes this file): a failure",
        "# not listed here is a regression, and a listed one that passes comes off the list.",
        "",
    ]
    lines += [f"{_quoted(key)} = {_quoted(value)}" for key, value in failures().items()]
    KNOWN_FAILURES.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def report() -> None:
    wrong = [r for r in readings() if not is_right(r)]
    print(f"readings: {len(readings()) - len(wrong)} of {len(readings())} right "
          f"({100 * (1 - len(wrong) / len(readings())):.1f}%)")  # fmt: skip
    by_kind: dict[str, list[int]] = {}
    for reading in readings():
        by_kind.setdefault(reading.kind, [0, 0])[0] += 1
        by_kind[reading.kind][1] += reading in wrong
    for kind, (count, failed) in sorted(by_kind.items()):
        print(f"  {kind:24} {count - failed:3} of {count:3}")
    for reading in wrong:
        print(f"\n[{reading.id}] {reading.kind} ({reading.lang})\n  page: {reading.page}\n  ours: {spoken(reading)}")
        print("\n".join(f"  want: {way}" for way in reading.say))
    documents = sorted(editors_chapters())
    split_wrong = [doc for doc in documents if not chapters_are_right(doc)]
    print(f"\nchapters: {len(documents) - len(split_wrong)} of {len(documents)} documents as an editor splits them")
    for doc in split_wrong:
        title, chapters = chapters_of(doc)
        print(f"\n{doc}\n  ours: {title!r} {chapters}\n  want: {editors_chapters()[doc]['title']!r} "
              f"{editors_chapters()[doc]['chapters']}")  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:] == ["--known"]:
        write_known_failures()
    else:
        report()
