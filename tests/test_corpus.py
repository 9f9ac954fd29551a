"""The corpus of real documents (tests/corpus/): every reading and every split, through the proof's
stage only (no audio), against what a narrator and an editor wrote down before the tool saw them.

A reading or a document that fails and is not in tests/corpus/known-failures.toml is a regression;
one listed there that passes must come off the list. ``python -m tests.reading_corpus`` shows them all.
"""

import unicodedata

import pytest

from .reading_corpus import (
    DOCS,
    chapters_are_right,
    editors_chapters,
    heard,
    is_right,
    known_failures,
    readings,
    spoken,
)

KNOWN = known_failures()


@pytest.mark.parametrize("reading", readings(), ids=lambda r: r.id)
def test_a_reading_is_what_a_narrator_says(reading):
    if reading.id in KNOWN:
        assert not is_right(reading), f"{reading.id} reads right now: take it off known-failures.toml"
        return
    assert is_right(reading), f"{reading.page!r} was read {spoken(reading)!r}; a narrator says {reading.say[0]!r}"


@pytest.mark.parametrize("doc", sorted(editors_chapters()))
def test_a_document_splits_where_an_editor_would(doc):
    name = f"chapters:{doc}"
    if name in KNOWN:
        assert not chapters_are_right(doc), f"{doc} splits right now: take {name} off known-failures.toml"
        return
    assert chapters_are_right(doc)


def test_every_reading_is_copied_from_a_document_of_the_corpus_in_a_kind_it_names():
    kinds = {r.kind.split(".")[0] for r in readings()}
    assert kinds <= {"symbol", "number", "capitals", "abbreviation", "address", "template", "list", "table", "es"}
    assert {r.doc for r in readings()} <= {path.name for path in DOCS.iterdir()}
    assert len({r.id for r in readings()}) == len(readings())


def test_the_corpus_is_large_and_varied_enough_to_say_something():
    documents = list(DOCS.iterdir())
    assert len(documents) >= 40 and len(readings()) >= 300
    assert {path.suffix for path in documents} == {".txt", ".md", ".docx", ".html", ".pdf"}
    assert {r.lang.split("-")[0] for r in readings()} == {"en", "es"}


def test_the_comparison_hears_what_a_listener_hears():
    assert heard("I-V therapy, 9 a.m.", "en-US") == ["i", "v", "therapy", "9", "a", "m"]
    assert heard("E-K-G's or E-C-G's", "en-US") == heard("E K Gs or E C Gs", "en-US")  # a plural of letters
    assert heard("one hundred and ten millilitres", "en-GB") == heard("one hundred ten milliliters", "en-US")
    assert heard("ten per cent", "en-GB") == heard("ten percent", "en-US")
    assert heard("treinta y uno", "es") != heard("treinta uno", "es")  # Spanish "y" is part of the number
    assert heard("Call 111", "en-GB") != heard("Call one one one", "en-GB")
    assert heard(unicodedata.normalize("NFD", "día"), "es") == heard("día", "es")
