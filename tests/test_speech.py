"""Speech preparation on sentences written the way patient leaflets and medication guides are."""

import pytest

from audioguide.read import read_script
from audioguide.read.chapters import split_chapters
from audioguide.speech.lexicon import Lexicon, parse_lexicon
from audioguide.speech.normalize import flags, speak
from audioguide.speech.prepare import Pauses, prepare_chapter, split_sentences
from audioguide.speech.rules import Change

from .conftest import FIXTURES

SPOKEN = [
    ("Your IV line will stay in for the whole infusion.", "Your I-V line will stay in for the whole infusion."),
    ("IVIg is made from donated plasma.", "I-V-I-G is made from donated plasma."),
    ("Your IgG level is checked before each dose of SCIg.", "Your I-G-G level is checked before each dose of S-C-I-G."),
    ("Rituximab targets CD20 on B-cells.", "[[rIt'VksImab]] targets C-D twenty on B-cells."),
    ("People with SS often have dry eyes.", "People with S-S often have dry eyes."),
    ("Take vitamin B12 every day.", "Take vitamin B twelve every day."),
    ("Type II diabetes can affect how you heal.", "Type two diabetes can affect how you heal."),
    ("Phase III trials compared the two medicines.", "Phase three trials compared the two medicines."),
    ("Read Chapter IV before your next visit.", "Read Chapter four before your next visit."),
    ("I will call you if anything changes.", "I will call you if anything changes."),
    ("The usual dose is 5 mg once a day.", "The usual dose is five milligrams once a day."),
    (
        "Take 500 mg of acetaminophen every 4–6 hours.",
        "Take five hundred milligrams of [[@s,i:t@m'In@f@n]] every four to six hours.",
    ),
    ("Give 0.5 mL under the skin.", "Give zero point five milliliters under the skin."),
    (
        "A child's dose is 10 mg/kg, up to 1,000 mg.",
        "A child's dose is ten milligrams per kilogram, up to one thousand milligrams.",
    ),
    (
        "The pump runs at 100 mL/hr for the first hour.",
        "The pump runs at one hundred milliliters per hour for the first hour.",
    ),
    ("Take 2,000 IU of vitamin D with food.", "Take two thousand international units of vitamin D with food."),
    ("Inject 10 units of insulin before meals.", "Inject ten units of insulin before meals."),
    (
        "Your blood pressure should stay below 140/90 mmHg.",
        "Your blood pressure should stay below one hundred and forty over ninety millimeters of mercury.",
    ),
    (
        "Call us if your temperature is above 38°C or 100.4°F.",
        "Call us if your temperature is above thirty-eight degrees Celsius or one hundred point four degrees Fahrenheit.",
    ),
    ("About 30% of patients feel tired afterwards.", "About thirty percent of patients feel tired afterwards."),
    ("You will need 2-3 infusions in the first month.", "You will need two to three infusions in the first month."),
    ("Take 1 tablet b.i.d. with meals.", "Take one tablet twice a day with meals."),
    (
        "Use the drops q.i.d. and the gel p.r.n. at night.",
        "Use the drops four times a day and the gel as needed at night.",
    ),
    ("Take 2 tablets t.i.d. for 5 days.", "Take two tablets three times a day for five days."),
    ("Take 1 capsule q.h.s. with water.", "Take one capsule at bedtime with water."),
    ("Take one tablet q6h if needed.", "Take one tablet every six hours if needed."),
    ("Your appointment is at 9:30 a.m. on Monday.", "Your appointment is at nine thirty A-M on Monday."),
    ("The unit opens at 8 am and closes at 6:00 pm.", "The unit opens at eight A-M and closes at six P-M."),
    ("Arrive by 13:45 for the afternoon session.", "Arrive by one forty-five P-M for the afternoon session."),
    (
        "Call the infusion suite on 555-123-4567 for advice.",
        "Call the infusion suite on five five five, one two three, four five six seven for advice.",
    ),
    ("Out of hours, ring (555) 987-6543.", "Out of hours, ring five five five, nine eight seven, six five four three."),
    (
        "In the UK, call 0300 123 4567 or +44 20 7946 0958.",
        "In the U-K, call zero three zero zero, one two three, four five six seven or plus four four, two zero, seven nine four six, zero nine five eight.",
    ),
    ("Text your name to 07700 900123.", "Text your name to zero seven seven zero zero, nine zero zero one two three."),
    ("Your reference number is 48213907.", "Your reference number is four eight two, one three nine, zero seven."),
    (
        "See www.sjogrens.org/living-well for more.",
        "See W-W-W dot [[S'oUgrInz]] dot org slash living dash well for more.",
    ),
    (
        "Visit https://example.org/iv-guide before your visit.",
        "Visit example dot org slash I-V dash guide before your visit.",
    ),
    ("E-mail questions to infusion.team@example.org.", "E-mail questions to infusion dot team at example dot org."),
    ("Bring snacks, e.g. crackers or fruit.", "Bring snacks, for example crackers or fruit."),
    ("Avoid grapefruit, i.e. the fruit and its juice.", "Avoid grapefruit, that is the fruit and its juice."),
    ("Bring a book, a blanket, headphones, etc.", "Bring a book, a blanket, headphones, et cetera."),
    ("Compare home infusion vs. clinic infusion.", "Compare home infusion versus clinic infusion."),
    ("Dr. Patel will see you first.", "Doctor Patel will see you first."),
    ("The drôle de guerre ended long ago.", "The drôle de guerre ended long ago."),
    ("It takes approx. 3 hours.", "It takes approximately three hours."),
    ("Salt & pepper are fine.", "Salt and pepper are fine."),
    ("Check with your nurse and/or pharmacist.", "Check with your nurse and or pharmacist."),
    ("Eat a meal ≥ 2 hours before.", "Eat a meal at least two hours before."),
    ("Keep your dose ≤ 4 g a day.", "Keep your dose at most four grams a day."),
    ("Wash hands → dry them → put on gloves.", "Wash hands then dry them then put on gloves."),
    ("Blood sugar > 10 means you should call.", "Blood sugar more than ten means you should call."),
    (
        "Keep the bag at room temperature (15–25 °C).",
        "Keep the bag at room temperature, fifteen to twenty-five degrees Celsius.",
    ),
    ("She said “take it slowly” — and she was right.", 'She said "take it slowly", and she was right.'),
    ("Drink 1/2 a glass of water.", "Drink one half a glass of water."),
    ("The clinic is open 24/7.", "The clinic is open twenty-four seven."),
    ("DO NOT TAKE YOUR PILLS BEFORE THE BLOOD TEST.", "do not take your pills before the blood test."),
    ("The answer is No.", "The answer is No."),
    ("No. 4 is the infusion room.", "number four is the infusion room."),
    ("Bring your card (if you have one).", "Bring your card, if you have one."),
    ("Take your tablet(s) as usual.", "Take your tablets as usual."),
    (
        "In 2024 the clinic treated 1,250 patients.",
        "In twenty twenty-four the clinic treated one thousand, two hundred and fifty patients.",
    ),
    ("The 3rd infusion is usually the easiest.", "The third infusion is usually the easiest."),
    ("The parking fee is $5 for the day.", "The parking fee is five dollars for the day."),
]


@pytest.mark.parametrize("page, spoken", SPOKEN, ids=[page[:40] for page, _ in SPOKEN])
def test_page_text_becomes_what_a_careful_narrator_says(page, spoken):
    assert speak(page).text == spoken


def test_every_change_is_recorded_with_the_page_text_and_the_spoken_text():
    result = speak("Take 5 mg IV b.i.d. & call 555-123-4567.")
    assert result.changes == [
        Change("5 mg", "five milligrams"),
        Change("IV", "I-V"),
        Change("b.i.d.", "twice a day"),
        Change("&", "and"),
        Change("555-123-4567", "five five five, one two three, four five six seven"),
    ]
    assert result.marked.startswith("Take [5 mg → five milligrams] [IV → I-V] [b.i.d. → twice a day]")


def test_typography_alone_is_not_a_change():
    result = speak("Sjögren’s “dry eye” — it’s common.")
    assert [c.original for c in result.changes] == ["Sjögren’s"]
    assert result.text == "[[S'oUgrInz]] \"dry eye\", it's common."


def test_a_clinic_lexicon_wins_over_the_built_in_one_and_matching_is_case_aware():
    clinic = parse_lexicon('rituximab = "Rituxan"\nSS = "Sjögren syndrome"\nMabs = "mabs"\n', "clinic.toml")
    from audioguide.speech.normalize import builtin_lexicon

    lexicon = builtin_lexicon().merged(clinic)
    assert speak("RITUXIMAB and rituximab", lexicon).text == "Rituxan and Rituxan"
    assert speak("SS or ss", lexicon).text == "Sjögren syndrome or ss"
    assert speak("Mabs but not mabs", lexicon).text == "mabs but not mabs"
    assert speak("Rituximab's effect", lexicon).text == "Rituxan's effect"


@pytest.mark.parametrize(
    "text, message",
    [
        ('rituximab = ["a", "b"]', "must be one word"),
        ("two words = 'x'", "not valid TOML"),
        ('"two words" = "x"', "must be one word"),
        ('x = { phonemes = "" }', "must be one word"),
    ],
)
def test_a_broken_lexicon_is_a_clear_error(text, message):
    from audioguide.errors import InputError

    with pytest.raises(InputError, match=message):
        parse_lexicon(text, "clinic.toml")


def test_flags_point_at_what_may_still_be_misread():
    found = {
        f.text: f.reason for f in flags("Check your HbA1c and TSH; take 5 gtts and 2 mEq daily. Hx of pts.", Lexicon())
    }
    assert "spelled as letters" in found["TSH"]
    assert "no vowels" in found["Hx"] and "no vowels" in found["pts"]
    assert "unit that is not recognised" in found["5 gtts"]
    assert "IV" not in found  # known to the lexicon: not a risk


def test_sentences_are_not_cut_after_abbreviations():
    assert split_sentences("It takes approx. 3 hours. Dr. Patel will see you. Bring water.") == [
        "It takes approx. 3 hours.",
        "Dr. Patel will see you.",
        "Bring water.",
    ]


def test_chapters_announce_themselves_and_pause_by_structure():
    guide = split_chapters(read_script(FIXTURES / "leaflet.txt"))
    pauses = Pauses()
    first = prepare_chapter(guide, guide.chapters[0], pauses, Lexicon())
    assert [u.page for u in first[:3]] == ["Your Iron Infusion", "Part 1 of 4.", "Introduction"]
    assert first[1].spoken == "Part one of four."
    assert first[2].pause_ms == pauses.announcement
    second = prepare_chapter(guide, guide.chapters[1], pauses, Lexicon())
    assert [u.spoken for u in second[:2]] == ["Part two of four.", "Before You Come In."]
    by_page = {u.page: u.pause_ms for u in second}
    assert by_page["Eat and drink as usual on the morning of your appointment."] == pauses.sentence
    assert by_page["Bring a list of the medicines you take."] == pauses.paragraph
    assert by_page["Wear loose sleeves so the nurse can reach your arm."] == pauses.item
    slow = Pauses.slow()
    assert all(
        getattr(slow, name) > getattr(pauses, name) for name in ("sentence", "item", "paragraph", "announcement")
    )
