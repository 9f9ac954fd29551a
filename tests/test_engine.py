"""eSpeak NG's defects on Linux (audioguide/engines/espeak.py), each pinned by what comes out of it."""

import re

import pytest

from audioguide.engines import catalogue, get_renderer
from audioguide.engines.espeak.renderer import MAX_PIECE_CHARS, split_bounded

from .conftest import FIXTURES, run

#: Every test here renders audio, starts a browser or plays a file.
pytestmark = pytest.mark.slow

SENTENCE = "The infusion usually takes between two and four hours, and a nurse will check on you often."


@pytest.fixture
def engine():
    engine = get_renderer("espeak")
    engine.configure("en-us", 155)
    return engine


def test_renders_in_a_row_each_come_out_complete(engine):
    # Defects 1 and 2: every call returns its own, complete audio at once.
    first = engine.synthesize(SENTENCE)
    second = engine.synthesize("Please bring a list of your medicines.")
    again = engine.synthesize(SENTENCE)
    assert abs(first.samples - again.samples) < 0.01 * first.samples
    assert len(first.words) == 17 and len(second.words) == 7
    assert 4.0 < first.seconds < 8.0
    assert 1.5 < second.seconds < 4.0
    assert max(first.pcm) > 0


def test_many_renders_under_load_are_all_complete(engine):
    lengths = [engine.synthesize(SENTENCE).samples for _ in range(40)]
    assert max(lengths) - min(lengths) < 0.01 * max(lengths)


def test_a_20000_word_chapter_renders_whole_in_bounded_pieces(engine, monkeypatch):
    # Defect 3: one huge call crashed eSpeak NG and the driver's buffer grew quadratically.
    calls = []
    synth = engine._espeak.Synth
    monkeypatch.setattr(engine._espeak, "Synth", lambda text, **kw: calls.append(len(text)) or synth(text, **kw))
    one = engine.synthesize(SENTENCE)
    text = " ".join([SENTENCE] * 1177)  # 20,009 words
    speech = engine.synthesize(text)
    words = len(text.split())
    assert words > 20000
    assert max(calls) <= MAX_PIECE_CHARS * 4  # bytes of UTF-8, at most four per character
    assert len(speech.words) == words
    # The whole is as long as its parts plus eSpeak's pauses between sentences: nothing
    # truncated, nothing doubled.
    assert 1177 * one.seconds < speech.seconds < 1.12 * 1177 * one.seconds
    # Word marks advance through the whole text and the whole audio.
    assert speech.words[-1].offset > len(text) - 20
    assert speech.words[-1].sample > speech.samples * 0.99


def test_word_marks_point_at_the_words_of_the_text(engine):
    # Defect 6: timings come from the engine itself.
    text = "Bring a warm jumper to every infusion."
    speech = engine.synthesize(text)
    spoken = [text[w.offset : w.offset + w.length] for w in speech.words]
    assert spoken == ["Bring", "a", "warm", "jumper", "to", "every", "infusion"]
    samples = [w.sample for w in speech.words]
    assert samples == sorted(samples) and samples[-1] < speech.samples


def test_split_bounded_keeps_every_character_and_cuts_at_sentence_ends():
    text = " ".join(f"Sentence number {n} ends here." for n in range(200))
    pieces = split_bounded(text, 300)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 300 for _, piece in pieces)
    assert all(piece.rstrip().endswith(".") for _, piece in pieces)
    assert [start for start, _ in pieces] == [text.index(piece) for _, piece in pieces]
    unbroken = "x" * 2500
    assert "".join(p for _, p in split_bounded(unbroken, 1000)) == unbroken


@pytest.mark.parametrize(
    "args, message",
    [
        (["--voice", "martian"], "no voice 'martian'; run 'audioguide voices'"),
        (["--rate", "20"], "rate 20: give words per minute from 80 to 450, e.g. 150"),
    ],
)
def test_bad_voice_or_rate_is_a_clear_error_not_silence(tmp_path, args, message):
    # Defect 5: the driver would accept these silently and render the wrong thing.
    result = run("build", FIXTURES / "no-headings.txt", "-o", tmp_path, *args, "--engine", "espeak")
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "no-headings").exists()


def test_voices_can_be_chosen_by_id_language_or_name():
    espeak = catalogue("espeak")
    assert espeak.resolve_voice("gmw/en-us") == "gmw/en-us"
    assert espeak.resolve_voice("en-US") == "gmw/en-us"
    assert espeak.resolve_voice("English (America)") == "gmw/en-us"
    assert espeak.resolve_voice("fr") == "roa/fr"


def test_voices_command_lists_and_filters():
    result = run("voices", "--engine", "espeak", "--language", "en")
    ids = [line.split()[0] for line in result.output.splitlines()]
    assert "gmw/en-us" in ids and all(re.match(r"gmw/en", i) for i in ids)
    assert run("voices", "--language", "xx").exit_code == 2
    # Without an engine, every installed engine's voices: the natural voice's among them where it is installed.
    every = [line.split()[0] for line in run("voices", "--language", "en").output.splitlines()]
    assert set(ids) <= set(every)


def test_the_rate_asked_for_is_the_rate_spoken(engine):
    # pyttsx3's setProperty only queues changes for runAndWait(): a rate that silently did not
    # apply would leave every guide at the engine's default speed.
    engine.configure("en-us", 100)
    slow = engine.synthesize(SENTENCE).seconds
    engine.configure("en-us", 200)
    fast = engine.synthesize(SENTENCE).seconds
    assert 1.6 < slow / fast < 2.4


def test_the_voice_asked_for_is_the_voice_spoken(engine):
    engine.configure("en-gb", 155)
    british = engine.phonemes("tomato")
    engine.configure("en-us", 155)
    american = engine.phonemes("tomato")
    assert "A:" in british and "eI" in american


def _first_render_in_a_fresh_process(rate):
    from audioguide.engines import get_renderer

    engine = get_renderer("espeak")
    engine.configure("en-us", rate)
    return engine.synthesize(SENTENCE).samples


def test_a_fresh_engine_speaks_at_the_rate_asked_for_from_its_first_word(engine):
    # pyttsx3 queues its own rate (200) on eSpeak NG's asynchronous thread when it starts; if
    # that thread ran late it changed the rate in the middle of a worker's first chapter.
    import multiprocessing

    engine.configure("en-us", 155)
    expected = engine.synthesize(SENTENCE).samples
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        first_renders = pool.map(_first_render_in_a_fresh_process, [155] * 6)
    assert all(abs(samples - expected) < 0.02 * expected for samples in first_renders)


def test_choosing_voices_over_and_over_never_costs_the_next_utterance_its_first_word(engine):
    # Found here: after a few dozen voice loads with nothing spoken between them (what a build's
    # own process does, guide after guide), eSpeak NG spoke "I-V therapy" as "V therapy".
    for turn in range(60):
        engine.configure("en-gb" if turn % 2 else "en-us", 155)
    engine.configure("en-us", 155)
    assert engine.phonemes("I-V therapy.").startswith("aIv'i:")
    for _ in range(60):
        engine.configure("en-us", 155)
    assert engine.phonemes("I-V therapy.").startswith("aIv'i:")


def _choose_voices_from_four_threads(turns: int) -> list[str]:
    import threading

    engine, wrong = get_renderer("espeak"), []
    # What each voice is, asked before any thread starts.
    expected = {wanted: engine.configure(wanted, 150) for wanted in ("en-us", "es", "en-gb", "fr-fr")}

    def choose(wanted):
        try:
            for turn in range(turns):
                assert engine.configure(wanted, 150 + turn % 3) == expected[wanted]
        except Exception as error:  # every thread's failure is reported, not only the first
            wrong.append(f"{wanted}: {error!r}")

    threads = [threading.Thread(target=choose, args=(wanted,)) for wanted in expected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return wrong


def test_threads_of_one_process_take_turns_in_the_engine():
    # Point 8: the workbench chooses voices on its request threads while its build thread plans.
    # Without turns this refused voices the engine has, or aborted the process on a corrupted heap.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # A process of its own: an abort there fails this test (BrokenProcessPool) instead of pytest.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(_choose_voices_from_four_threads, 100).result(timeout=120) == []
