"""Readings real leaflets need, checked twice: the words the engine is given, and the phonemes
eSpeak NG speaks for them (the phrase a listener must hear is in them; the misreading is not)."""

import re

import pytest

from audioguide.engines import get_renderer
from audioguide.speech.normalize import speak

#: page text, language, what the engine is given, a phrase the listener must hear, and what they
#: heard before (a hyphen-joined phrase is letter names, as the speech stage spells initialisms).
READINGS = [
    ("Call 0800 5200 520 today.", "en-GB", "Call zero eight zero zero, five two zero zero, five two zero today.",
     "zero eight zero zero", "eight hundred"),
    ("Call 020 7946 0958.", "en-GB", "Call zero two zero, seven nine four six, zero nine five eight.", "seven nine four six",
     "seven thousand"),
    ("Call 1-800-555-0199.", "en-US", "Call one, eight zero zero, five five five, zero one nine nine.", "five five five",
     "minus"),
    ("From abroad: +44 20 7946 0958.", "en-GB", "From abroad: plus four four, two zero, seven nine four six, zero nine five eight.",
     "plus four four", "forty-four"),
    ("Come on 03/15/2026.", "en-US", "Come on March fifteenth, twenty twenty-six.", "March fifteenth", "slash"),
    ("Come on 04/03/2026.", "en-US", "Come on April third, twenty twenty-six.", "April third", "slash"),
    ("Come on 04/03/2026.", "en-GB", "Come on the fourth of March, twenty twenty-six.", "fourth of March", "slash"),
    ("Come on 15/03/2026.", "en-US", "Come on the fifteenth of March, twenty twenty-six.", "fifteenth of March", "slash"),
    ("A titer of 1:160 is positive.", "en-US", "A titer of one to one hundred and sixty is positive.",
     "one to one hundred and sixty", "sixteen"),
    ("A titer of 1:80 is low.", "en-US", "A titer of one to eighty is low.", "one to eighty", "o'clock"),
    ("Come at 1:30 pm.", "en-US", "Come at one thirty P-M.", "one thirty", "to thirty"),
    ("Take 500 mg PO x2 today.", "en-US", "Take five hundred milligrams by mouth twice today.", "by mouth twice",
     "P-O"),
    ("Given SC once a week.", "en-US", "Given under the skin once a week.", "under the skin", "S-C"),
    ("SQ injections hurt less.", "en-US", "subcutaneous injections hurt less.", "subcutaneous", "S-Q"),
    ("An IM injection in the arm.", "en-US", "An intramuscular injection in the arm.", "intramuscular", "I-M"),
    ("Place it SL and wait.", "en-US", "Place it under the tongue and wait.", "under the tongue", "S-L"),
    ("Use 10 mg PR at night.", "en-US", "Use ten milligrams rectally at night.", "rectally", "P-R"),
    ("Given by IV push.", "en-US", "Given by I-V push.", "I-V push", "four push"),
    ("STOP taking it and CALL your doctor RIGHT AWAY if you have a FEVER.", "en-US",
     "stop taking it and call your doctor right away if you have a fever.", "call your doctor right away", "S-T-O-P"),
    ("DO NOT drive after the infusion.", "en-US", "do not drive after the infusion.", "do not drive", "D-O"),
    ("Go to the ER or see your GP.", "en-US", "Go to the E-R or see your G-P.", "E-R", "er"),
    ("A reading of 100.4 F (38.0 C) is a fever.", "en-US",
     "A reading of one hundred point four degrees Fahrenheit, thirty-eight point zero degrees Celsius, is a fever.",
     "degrees Fahrenheit", "F"),
    ("Call if it is 101° F or more.", "en-US", "Call if it is one hundred and one degrees Fahrenheit or more.",
     "one hundred and one degrees Fahrenheit", "F"),
    ("Take Advil® for aches.", "en-US", "Take Advil for aches.", "Advil for aches", "registered"),
    ("Doctor: ________", "en-US", "Doctor: blank", "Doctor blank", "underscore"),
    # Kinds from documents no one had shown the rules (#22): a sign in disguise, a service number,
    # an extension, opening hours, a house number, a date with its month named, a multiplier.
    ("Keep your pulse ＜ 100.", "en-US", "Keep your pulse less than one hundred.", "less than one hundred", "pulse one"),
    ("A fever is about 39º C.", "en-US", "A fever is about thirty-nine degrees Celsius.", "degrees Celsius", "nine C"),
    ("Call 111 or 988.", "en-GB", "Call one one one or nine eight eight.", "one one one", "hundred"),
    ("Ask for x4410.", "en-US", "Ask for extension four four one zero.", "extension four four", "thousand"),
    ("Open Tue–Thu 9am–1pm.", "en-US", "Open Tuesday to Thursday nine A-M to one P-M.", "Tuesday to Thursday", "Tue"),
    ("Come to 2150 Elm Street, Suite 3.", "en-US", "Come to twenty-one fifty Elm Street, Suite three.", "twenty-one fifty",
     "thousand"),
    ("Start on September 9, 2025.", "en-US", "Start on September ninth, twenty twenty-five.", "September ninth",
     "September nine twenty"),
    ("POST-OP CARE", "en-US", "post-op care", "post-op care", "O-P"),
    ("It can be 5-10x higher.", "en-US", "It can be five to ten times higher.", "five to ten times", "five ten"),
]  # fmt: skip


@pytest.mark.parametrize("page, language, spoken, _hear, _not_hear", READINGS)
def test_what_the_engine_is_given(page, language, spoken, _hear, _not_hear):
    assert speak(page, language=language).text == spoken


def sounds(engine, text):
    """Phonemes without stress, allophone and linking marks, which shift with a word's neighbours."""
    return " ".join(re.sub(r"[',#;=_:]", "", engine.phonemes(text)).split())


@pytest.fixture(scope="module")
def engine():
    engine = get_renderer("espeak")
    engine.configure("en-us", 155)
    return engine


@pytest.mark.slow
@pytest.mark.parametrize("page, language, spoken, hear, not_hear", READINGS)
def test_what_the_listener_hears(engine, page, language, spoken, hear, not_hear):
    heard = sounds(engine, speak(page, language=language).text)
    assert sounds(engine, hear) in heard
    assert f" {sounds(engine, not_hear)} " not in f" {heard} "
