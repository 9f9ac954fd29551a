"""Pronunciations verified by the phonemes eSpeak NG actually speaks, not by comparing strings."""

import json

import pytest

from audioguide.engines import get_renderer
from audioguide.read import read_script
from audioguide.read.chapters import split_chapters
from audioguide.speech.normalize import builtin_lexicon, load_lexicon
from audioguide.speech.prepare import Pauses, prepare_chapter

from .conftest import REFERENCE, run

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow

#: Every medical term, initialism and abbreviation of the reference guide → the phonemes a
#: listener must hear (eSpeak NG mnemonics; ' and , mark primary and secondary stress).
REFERENCE_TERMS = {
    "Sjögren’s": "S'oUgrInz",  # SHOW-grinz, not "E-sjurgrens"
    "SS": "'Es'Es",
    "IV": "aIv'i:",  # letters, not "Roman four"
    "IVIg": "aIv'i:aIdZ'i:",
    "IgG": "aIdZ'i:dZ'i:",
    "CD20": "s'i:d'i: tw'Enti",
    "B-cell": "b'i:s'El",
    "rituximab": "rIt'VksImab",
    "Rituximab": "rIt'VksImab",
    "rituximab’s": "rIt'VksImabz",
    "immunoglobulin": ",ImjUnoUgl'0bjUlIn",
    "Immunoglobulin": ",ImjUnoUgl'0bjUlIn",
    "methylprednisolone": "m,ETIlprEdn'Is@loUn",
    "hypogammaglobulinemia": "h,aIpoUg,am@gl,0bjUlIn'i:mi@",
    "Schirmer’s": "S'3:m3z",
    "lacrimal": "l'akrIm@L",
    "sicca": "s'Ik@",
    "immunosuppressive": ",ImjUnoUs@pr'EsIv",
    "immunomodulators": ",ImjUnoUm'0dj@leIt3z",
    "immunomodulatory": ",ImjUnoUm'0dj@l@t,o@ri",
    "ataxic": "@t'aksIk",
    "neuropathy": "nUr'0p@Ti",
    "polyclonal": "p,0lIkl'oUn@L",
    "autoantibodies": ",O:toU'antIb,0diz",
    "lymphocytes": "l'Imf@s,aIts",
    "chimeric": "kaIm'ErIk",
    "monoclonal": "m,0n@kl'oUn@L",
    "vasculitis": "v,askjUl'aItIs",
    "antihistamine": ",antIh'Ist@m,i:n",
    "acetaminophen": "@s,i:t@m'In@f@n",
    "corticosteroid": "k,o@tIkoUst'Er,OId",
    "extraglandular": ",Ekstr@gl'andj@l3",
    "aseptic": "eIs'EptIk",
    "meningitis": "m,EnIndZ'aItIs",
    "thromboembolic": "Tr,0mboUEmb'0lIk",
}
ROMAN_FOUR = "r,oUm@n"


def heard_phonemes(engine, text):
    """The engine's phonemes without its allophone marks ("t#", the American flapped t) and
    its ";" linking marks, which are not sounds of their own."""
    return engine.phonemes(text).replace("#", "").replace(";", "")


@pytest.fixture(scope="module")
def engine():
    engine = get_renderer("espeak")
    engine.configure("en-us", 155)
    return engine


@pytest.fixture(scope="module")
def reference_utterances():
    guide = split_chapters(read_script(REFERENCE))
    lexicon = load_lexicon([])
    return [u for chapter in guide.chapters for u in prepare_chapter(guide, chapter, Pauses(), lexicon)]


def test_every_medical_term_of_the_reference_guide_is_spoken_right(engine, reference_utterances):
    heard = {term: 0 for term in REFERENCE_TERMS}
    for utterance in reference_utterances:
        phonemes = heard_phonemes(engine, utterance.spoken)
        assert ROMAN_FOUR not in phonemes, utterance.page
        words = {w.strip(".,;:()") for w in utterance.page.split()}
        for term, expected in REFERENCE_TERMS.items():
            if term in words:
                assert expected in phonemes, f"{term}: expected {expected} in {phonemes}"
                heard[term] += 1
    assert all(heard.values()), [t for t, n in heard.items() if not n]


def test_the_title_is_no_longer_roman_four_and_e_sjurgrens(engine):
    from audioguide.speech.normalize import speak

    title = "IV Therapy for Sjögren’s Syndrome: What to Expect"
    assert engine.phonemes(title).startswith("r,oUm@n f'o@")  # what the engine does unaided
    assert heard_phonemes(engine, speak(title).text).startswith("aIv'i: T'Er@pi fO@ S'oUgrInz s'IndroUm")


def test_every_phoneme_entry_is_spoken_exactly_as_written(engine):
    lexicon = builtin_lexicon()
    for word, entry in {**lexicon.exact, **lexicon.folded}.items():
        if entry.startswith("[["):
            assert heard_phonemes(engine, entry) == entry[2:-2], word


def test_a_clinic_lexicon_file_changes_what_is_spoken(tmp_path, engine):
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(
        '# Riverside clinic\nrituximab = { phonemes = "rIt\'UksImab", sounds_like = "rih-TOOK-sih-mab" }\n'
        'Riverside = "river side"\n',
        encoding="utf-8",
    )
    script = tmp_path / "note.txt"
    script.write_text("Riverside Note\n\nRiverside gives rituximab on Mondays.\n", encoding="utf-8")
    plain = json.loads(run("proof", script, "--json").stdout)
    with_clinic = json.loads(run("proof", script, "--json", "--lexicon", clinic).output)
    assert "rIt'VksImab" in plain[0]["spoken"]
    assert "[[rIt'UksImab]]" in with_clinic[0]["spoken"]
    assert {"original": "Riverside", "spoken": "river side"} in with_clinic[0]["changes"]
    assert heard_phonemes(engine, with_clinic[0]["spoken"].splitlines()[-1]).split()[3] == "rIt'UksImab"
    text = run("proof", script, "--lexicon", clinic).output
    assert "[rituximab → rih-TOOK-sih-mab]" in text


def test_lexicon_named_in_front_matter_is_used(tmp_path):
    (tmp_path / "words.toml").write_text('Riverside = "river side"\n', encoding="utf-8")
    script = tmp_path / "note.txt"
    script.write_text("---\nlexicon: words.toml\n---\nRiverside Note\n\nRiverside is open.\n", encoding="utf-8")
    rows = json.loads(run("proof", script, "--json").stdout)
    assert "river side is open." in rows[0]["spoken"]


def test_a_missing_lexicon_file_is_one_clear_line(tmp_path):
    result = run("proof", REFERENCE, "--lexicon", tmp_path / "nope.toml")
    assert result.exit_code == 2
    assert "nope.toml: cannot read it" in result.stderr
