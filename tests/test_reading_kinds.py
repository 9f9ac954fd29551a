"""Reading rules by kind (#22): exact answers for the kinds a careful narrator reads with care, in each
language; every sign in the corpus heard as words or never spoken; what no rule reads listed by the
proof; the parts of a template left to fill in, listed and counted."""

import subprocess
import sys
import unicodedata

import pytest

from audioguide.build.plan import load_guide
from audioguide.settings import Request
from audioguide.speech.normalize import speak
from audioguide.speech.prepare import Pauses
from audioguide.speech.proof import proof_guide, unfilled_notice
from audioguide.speech.rules import plain_forms, unread_signs

from .conftest import REFERENCE
from .reading_corpus import signs

#: page → what the engine is given, by kind; every kind with examples unlike the corpus's.
ENGLISH = {
    "en-US": [
        # Signs in disguise: fullwidth, look-alikes, compatibility forms.
        ("Keep your pulse ＜ 100", "Keep your pulse less than one hundred"),
        ("Keep it ≦ 5", "Keep it at most five"),
        ("Pulse ＞ 120", "Pulse more than one hundred and twenty"),
        ("Take ５ ｍｌ", "Take five milliliters"),
        ("about 39º C", "about thirty-nine degrees Celsius"),
        ("below 8 ℃", "below eight degrees Celsius"),
        ("a fever of 38˚", "a fever of thirty-eight degrees"),
        ("2〜4 days", "two to four days"),
        ("3 ~ 5 days", "three to five days"),
        ("≈ 5 kg", "about five kilograms"),
        ("Take 1½ tablets", "Take one and a half tablets"),
        ("Take ① then ②", "Take one then two"),
        ("Platelets 150 x 10⁹/L", "Platelets one hundred and fifty times ten to the ninth per liter"),
        ("below 20,000/mcL", "below twenty thousand per microliter"),
        # Marks of layout never spoken by name; a section sign is a section.
        ("Symptoms¶", "Symptoms"),
        ("Avoid alcohol.*", "Avoid alcohol."),
        ("Take daily.‡ Then rest.", "Take daily. Then rest."),
        ("See note ※", "See note"),
        ("☐ Done ✓", "Done"),
        ("see § 4", "see section four"),
        ("Morning | Noon | Night", "Morning, Noon, Night"),
        ("Yes / No", "Yes or No"),
        # Arrows: a step, a range, a change.
        ("Step 1 → Step 2", "Step one then Step two"),
        ("5 → 10 mg", "five to ten milligrams"),
        ("↑ risk of infection", "increased risk of infection"),
        # Numbers by what they are.
        ("Call 111 or 988", "Call one one one or nine eight eight"),
        ("Call 911 now.", "Call nine one one now."),
        ("Ask for x4410", "Ask for extension four four one zero"),
        ("Call ext. 215", "Call extension two one five"),
        ("Tue–Thu 9am–1pm", "Tuesday to Thursday nine A-M to one P-M"),
        ("2150 Elm Street, Suite 3", "twenty-one fifty Elm Street, Suite three"),
        ("810 Vermont Ave. NW", "eight ten Vermont Avenue Northwest"),
        ("September 9, 2025", "September ninth, twenty twenty-five"),
        ("1st Sept. 2025", "the first of September, twenty twenty-five"),
        ("5-10x", "five to ten times"),
        ("1 in 10 people", "one in ten people"),
        ("Cost: $ 40", "Cost: forty dollars"),
        ("the 2020-21 season", "the twenty twenty to twenty twenty-one season"),
        ("BMJ 2021;372:n71", "B-M-J twenty twenty-one, volume three hundred and seventy-two, page N seventy-one"),
        ("Call 1-877-222-VETS", "Call one, eight seven seven, two two two, vets"),
        ("about 1–1½ inches long", "about one to one and a half inches long"),
        # A US state where it can only be the state: before a ZIP code, or a citation's place before its publisher.
        ("Atlanta, GA 30329", "Atlanta, Georgia, three zero three two nine"),
        ("Denver, CO 80225-0166", "Denver, Colorado, eight zero two two five, zero one six six"),
        ("Bethesda, MD 20894", "Bethesda, Maryland, two zero eight nine four"),
        ("Bethesda, MD: National Cancer Institute.", "Bethesda, Maryland: National Cancer Institute."),
        (
            "Atlanta, GA: U.S. Department of Health and Human Services.",
            "Atlanta, Georgia: U.S. Department of Health and Human Services.",
        ),
        ("Bethesda (MD): National Library of Medicine", "Bethesda, Maryland: National Library of Medicine"),
        ("New York, NY: Springer", "New York, New York: Springer"),
        # Its neighbours: a doctor's credentials, DC, a state after a place with no ZIP and no publisher.
        ("Jane Smith, MD, PhD", "Jane Smith, M-D, P-H-D"),
        ("Carolyn B. Bridges, MD; James A. Singleton, MS", "Carolyn B. Bridges, M-D; James A. Singleton, M-S"),
        ("Washington, DC 20420", "Washington, D-C, two zero four two zero"),
        ("Rockville, MD.", "Rockville, M-D."),
        # Words in capitals: one rule, one list.
        ("POST-OP CARE", "post-op care"),
        ("Go to eBenefits", "Go to e Benefits"),
        # A template's parts are blanks, never the leaflet's words.
        ("[Patient name]", "blank"),
        ("Bring [number] of doses", "Bring blank of doses"),
        ("Next dose: <date>", "Next dose: blank"),
        ("Take {{dose}} daily", "Take blank daily"),
    ],
    "en-GB": [
        ("Call 111 or 999", "Call one one one or nine nine nine"),
        ("NICE guidance from the NHS", "nice guidance from the N-H-S"),
        ("Write to SW1A 2AA", "Write to S W one A, two A A"),
    ],
    "en-AU": [
        # Australian states keep their letters before a four-digit postcode, even where a US state has them.
        ("Canberra ACT 2601", "Canberra A-C-T, two six zero one"),
        ("Perth WA 6000", "Perth W.A., six zero zero zero"),
        ("WA, NT, SA and Qld", "W.A., N-T, S.A. and Queensland"),
    ],
}
SPANISH = [
    ("a las 9:15", "a las nueve y cuarto"),
    ("Venga a las 10:30", "Venga a las diez y media"),
    ("a las 7:00", "a las siete en punto"),
    ("a la 1:00", "a la una en punto"),
    ("Abrimos a las 14:00 h", "Abrimos a las catorce horas"),
    ("de 9:00 a.m. a 4:30 p.m., hora del este", "de nueve de la mañana a cuatro y media de la tarde, hora del este"),
    ("a las 12:00 p.m. y a las 8 p.m.", "a las doce del mediodía y a las ocho de la noche."),
    ("C/ Mayor 3, Dpto. 4", "calle Mayor tres, departamento cuatro"),
    ("Avda. de la Constitución, 3.º izda.", "avenida de la Constitución, tercero izquierda."),
    ("Laboratorios Pérez, S.A.", "Laboratorios Pérez, sociedad anónima."),
    ("Llame al 063 12 04", "Llame al cero seis tres, uno dos, cero cuatro"),
    ("Llame al 91 234 56 78", "Llame al nueve uno, dos tres cuatro, cinco seis, siete ocho"),
    ("1-800-4-CANCER", "uno, ocho cero cero, cuatro, cancer"),
    ("21 gotas", "veintiuna gotas"),
    ("200 personas", "doscientas personas"),
    ("12 onzas", "doce onzas"),
    ("21 días", "veintiún días"),
    ("cuesta $21", "cuesta veintiún dólares"),
    ("150 x 10⁹/L", "ciento cincuenta por diez elevado a nueve por litro"),
    ("2〜4 días", "dos a cuatro días"),
    ("Keep ＜ 5", "Keep menos de cinco"),
    ("personas ≥ 18 años", "personas de al menos dieciocho años"),
    ("si P < 0,01", "si P menor que cero coma cero uno"),
    ("temporada 2011-12", "temporada dos mil once a dos mil doce"),
    ("Sí / No", "Sí o No"),
    ("↓ riesgo", "menos riesgo"),
    ("[Nombre del paciente]", "en blanco"),
]


@pytest.mark.parametrize(
    "language, page, spoken", [(language, *case) for language, cases in ENGLISH.items() for case in cases]
)
def test_english_reads_each_kind_as_a_narrator_does(language, page, spoken):
    assert speak(page, language=language).text == spoken


@pytest.mark.parametrize("page, spoken", SPANISH)
def test_spanish_reads_each_kind_as_a_narrator_does(page, spoken):
    assert speak(page, language="es").text == spoken


#: The signs #22 names besides those in the corpus: comparison, approximation, degrees, marks, arrows,
#: superscripts and fractions.
NAMED_SIGNS = "<>≤≥＜＞≦≧~～〜≈∼°º˚○℃℉*†‡¶※•●▪☐✓§→⇒↑↓²³¹½¼¾"


@pytest.mark.parametrize("sign", sorted(set(signs()) | set(NAMED_SIGNS)), ids=lambda s: f"U+{ord(s):04X}")
def test_every_sign_in_the_corpus_is_heard_as_words_or_is_layout(sign):
    """A sign reaches the voice only as the punctuation it knows; the rest are words, or marks of
    layout that are never read. (What is left would be listed by the proof: a sign the voice skips.)"""
    for language in ("en-US", "es"):
        for page in (f"Take it {sign} daily.", f"Take 5 {sign} 10 daily.", f"Take it{sign} daily.", f"Take 5{sign}"):
            spoken = speak(page, language=language).text
            left = [flag.text for flag in unread_signs(spoken)]
            assert not left, f"{page!r} in {language} gives the voice {spoken!r}: {sign!r} is not read"


def test_the_proof_lists_a_sign_that_no_rule_reads_with_the_words_around_it(tmp_path):
    proof = _proof(tmp_path, "Warnings\n\nMix the two ↔ never the three.\n")
    flags = [flag for chapter in proof for flag in chapter.flags]
    unread = [flag for flag in flags if "↔" in flag.reason]
    assert len(unread) == 1 and "left right arrow" in unread[0].reason
    assert "two ↔ never" in unread[0].text


def test_the_engine_is_given_no_sign_it_does_not_know_across_the_reference_guide(tmp_path):
    proof = _proof(tmp_path, REFERENCE.read_text(encoding="utf-8"))
    spoken = "\n".join(chapter.spoken for chapter in proof)
    assert unread_signs(spoken) == []


def test_parts_left_to_fill_in_are_listed_by_the_proof_and_counted_for_the_build(tmp_path):
    proof = _proof(tmp_path, "Your visit\n\nBring [number] of doses to [Patient name] on <date>.\n\nSign: ______\n")
    unfilled = [flag.text for chapter in proof for flag in chapter.flags if flag.reason.startswith("not filled in")]
    assert unfilled == ["[number]", "[Patient name]", "<date>", "______"]
    assert "blank" in proof[0].spoken and "Patient" not in proof[0].spoken
    notice = unfilled_notice(_guide(tmp_path, "Your visit\n\nBring [number] of doses to [Patient name].\n"))
    assert notice is not None and "2 parts not filled in ([number], [Patient name])" in notice
    assert unfilled_notice(_guide(tmp_path, "Your visit\n\nBring 1 dose [1].\n")) is None


def test_a_build_warns_of_parts_left_to_fill_in(tmp_path):
    script = tmp_path / "letter.txt"
    script.write_text("Your visit\n\nCome at <time> to see {{doctor}}.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "audioguide", "proof", str(script)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "2 parts not filled in (<time>, {{doctor}})" in result.stderr
    assert "<time>: not filled in" in result.stdout


def test_plain_forms_keep_every_character_a_listener_needs():
    assert plain_forms("＜ ５ ｍｌ, 39º C, 38 ℃, 2〜4, 1½, 10⁹/L") == "< 5 ml, 39 °C, 38 °C, 2~4, 1 1/2, 10^9/L"
    assert all(unicodedata.category(ch) != "No" for ch in plain_forms("x² ³ ¹ ½ ① ⑳"))


def _guide(folder, text: str):
    script = folder / "guide.txt"
    script.write_text(text, encoding="utf-8")
    guide, _ = load_guide(script, Request(engine="espeak", language="en-US"))
    return guide


def _proof(folder, text: str):
    return proof_guide(_guide(folder, text), Pauses())
