"""The build cache's two keys (audioguide/build/keys.py): each input that changes what a listener
hears changes its key; each that does not, does not."""

from dataclasses import replace
from pathlib import Path

import pytest

from audioguide.build import keys
from audioguide.build.keys import audio_key, speech_code, speech_key, spoken_digest
from audioguide.build.plan import load_guide, plan_guide
from audioguide.build.render import spoken_of
from audioguide.settings import AudioFormat, Request
from audioguide.speech.lexicon import Lexicon
from audioguide.speech.prepare import Pauses

GUIDE = """---
title: Eye Care
author: Riverside Clinic
---
## Drops

Take 5 mg twice a day.

## Rest

Rest your eyes often.
"""


def plan(tmp_path: Path, text: str = GUIDE, **asked):
    script = tmp_path / "eye-care.md"
    script.write_text(text, encoding="utf-8")
    guide, settings = load_guide(script, Request(engine="espeak", **asked))
    return plan_guide(guide, settings, tmp_path / "out", tmp_path / "cache", 1)


def speech_keys(the_plan) -> list[str]:
    return [track.job.speech_key for track in the_plan.chapters]


def audio_keys(the_plan) -> list[str]:
    return [audio_key(t.job, spoken_of(t.job, t.job.script.utterances(t.job.pauses, t.job.lexicon))) for t in
            the_plan.chapters]  # fmt: skip


@pytest.fixture
def base(tmp_path):
    return plan(tmp_path)


# --- the speech key: what the page says, and what prepares it ----------------------------------


def test_the_speech_key_follows_the_page_text(tmp_path, base):
    edited = plan(tmp_path, GUIDE.replace("Rest your eyes often.", "Rest your eyes every hour."))
    assert speech_keys(edited)[0] == speech_keys(base)[0]
    assert speech_keys(edited)[1] != speech_keys(base)[1]


def test_the_speech_key_follows_what_the_announcement_says_of_the_guide(tmp_path, base):
    # Chapter 1 announces the guide's title, and every chapter the number of parts.
    retitled = plan(tmp_path, GUIDE.replace("title: Eye Care", "title: Caring for Your Eyes"))
    assert speech_keys(retitled)[0] != speech_keys(base)[0]
    longer = plan(tmp_path, GUIDE + "\n## Contacts\n\nCall us.\n")
    assert all(a != b for a, b in zip(speech_keys(longer), speech_keys(base), strict=False))


def test_the_speech_key_follows_the_language_tag_dates_are_read_by(tmp_path, base):
    # A British voice marks the guide en-gb, and 03/04 is then the third of April.
    assert speech_keys(plan(tmp_path, voice="en-gb")) != speech_keys(base)


def test_the_speech_key_follows_the_lexicon_and_the_pauses(base):
    job = base.chapters[0].job
    same = speech_key(job.script, job.pauses, job.lexicon)
    assert same == job.speech_key
    clinic = job.lexicon.merged(Lexicon.from_entries({"Riverside": "RIV-er-side"}))
    assert speech_key(job.script, job.pauses, clinic) != same
    assert speech_key(job.script, Pauses.slow(), job.lexicon) != same


def test_the_speech_key_follows_the_languages_rules_words_and_lexicon_and_the_speech_code():
    english = {path.relative_to(Path(keys.__file__).parents[1]).as_posix() for path in keys.speech_sources(
        "audioguide.languages.en")}  # fmt: skip
    assert {"languages/en/reading.py", "languages/en/words.toml", "languages/en/lexicon.toml"} <= english
    assert {"speech/normalize.py", "speech/prepare.py", "speech/rules.py", "languages/base.py"} <= english
    assert not any(name.startswith(("languages/es/", "outputs/", "build/", "read/")) for name in english)
    assert speech_code("audioguide.languages.en") != speech_code("audioguide.languages.es")


def test_a_change_to_any_source_of_speech_changes_the_digest(tmp_path):
    files = []
    for name in ("reading.py", "words.toml"):
        files.append(tmp_path / name)
        files[-1].write_text(f"{name} v1", encoding="utf-8")
    before = keys.source_digest(files, ["num2words 1"])
    files[1].write_text('part_of = "Section {number} of {total}."', encoding="utf-8")
    assert keys.source_digest(files, ["num2words 1"]) != before
    assert keys.source_digest(files[:1], ["num2words 1"]) != keys.source_digest(files[:1], ["num2words 2"])


def test_the_speech_key_ignores_the_rate_the_format_and_the_tags(tmp_path, base):
    for asked in ({"rate": 120}, {"audio_format": "ogg"}, {"bitrate": "96k"}):
        assert speech_keys(plan(tmp_path, **asked)) == speech_keys(base), asked
    assert speech_keys(plan(tmp_path, GUIDE.replace("Riverside Clinic", "Lakeside Clinic"))) == speech_keys(base)


# --- the audio key: what the engine is given, and how it speaks and encodes it -----------------


def test_the_audio_key_ignores_the_author_the_title_tags_and_the_page_text_that_is_spoken_the_same(tmp_path, base):
    assert audio_keys(plan(tmp_path, GUIDE.replace("Riverside Clinic", "Lakeside Clinic"))) == audio_keys(base)
    # A curly apostrophe and a trademark sign are on the page, not in what the engine says.
    page = GUIDE.replace("Rest your eyes often.", "Rest your eyes often; don't rub them.")
    curly = GUIDE.replace("Rest your eyes often.", "Rest your eyes often; don’t rub them®.")
    assert audio_keys(plan(tmp_path, curly)) == audio_keys(plan(tmp_path, page))


def test_the_audio_key_follows_what_the_engine_is_given(tmp_path, base):
    edited = audio_keys(plan(tmp_path, GUIDE.replace("Take 5 mg", "Take 10 mg")))
    assert edited[0] != audio_keys(base)[0] and edited[1] == audio_keys(base)[1]


@pytest.mark.parametrize(
    "change",
    [
        {"voice": "gmw/en-gb"}, {"rate": 120}, {"audio_format": AudioFormat.OGG}, {"bitrate": "96k"},
        {"identity": {"engine": "espeak", "version": "pyttsx3 9.9"}}, {"calibration": "Other prose."},
    ],
)  # fmt: skip
def test_the_audio_key_follows_the_voice_rate_format_bitrate_engine_and_calibration(base, change):
    job = base.chapters[0].job
    spoken = spoken_of(job, job.script.utterances(job.pauses, job.lexicon))
    assert audio_key(replace(job, **change), spoken) != audio_key(job, spoken)


def test_the_audio_key_follows_the_render_version(base, monkeypatch):
    job = base.chapters[0].job
    before = audio_key(job, "spoken")
    monkeypatch.setattr(keys, "RENDER_VERSION", keys.RENDER_VERSION + 1)
    assert audio_key(job, "spoken") != before


@pytest.mark.parametrize("change", [{"threads": 2}, {"force": True}, {"label": "Another title"},
                                    {"cache": Path("/elsewhere")}, {"speech_key": "other"}])  # fmt: skip
def test_the_audio_key_ignores_how_and_where_the_work_is_done(base, change):
    job = base.chapters[0].job
    assert audio_key(replace(job, **change), "spoken") == audio_key(job, "spoken")


def test_where_caption_parts_begin_counts_only_for_an_engine_that_speaks_them_apart():
    one = [("Take five milligrams twice a day.", 450, (0,))]
    cut = [("Take five milligrams twice a day.", 450, (0, 21))]
    assert spoken_digest(one, timed_by_marks=False) == spoken_digest(cut, timed_by_marks=False)
    assert spoken_digest(one, timed_by_marks=True) != spoken_digest(cut, timed_by_marks=True)
    assert spoken_digest(one, False) != spoken_digest([("Take five milligrams twice a day.", 700, (0,))], False)
