"""Property tests: reading, splitting and speech preparation never crash and never lose a word."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audioguide.errors import InputError
from audioguide.read import BlockKind, normalise_text, read_script
from audioguide.read.chapters import split_chapters
from audioguide.read.front_matter import split_front_matter
from audioguide.speech.lexicon import Lexicon
from audioguide.speech.normalize import speak
from audioguide.speech.rules import plain_forms

WORD = re.compile(r"\w+")
EXAMPLES = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüABCDEFXYZ0123456789'’", min_size=1, max_size=12)
sentence = (
    st.lists(words, min_size=1, max_size=15)
    .map(" ".join)
    .flatmap(lambda s: st.sampled_from([".", "!", "?", "", ",", ":"]).map(lambda end: s + end))
)
line = st.one_of(
    sentence,
    st.lists(words, min_size=1, max_size=5).map(" ".join),  # heading-like
    sentence.map(lambda s: f"- {s}"),
    sentence.map(lambda s: f"2. {s}"),
    st.sampled_from(["CHAPTER IV.", "## Part two", "# Title", "---", "", "   ", "* * *", "| a | b |"]),
    st.text(max_size=40),
)
document = st.lists(line, min_size=1, max_size=30).map("\n".join)


def words_of(text):
    return WORD.findall(text)


def read(tmp_path, text, suffix):
    path = tmp_path / f"doc{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        return read_script(path)
    except InputError:
        assert not text.strip() or text.lstrip().startswith("---")
        return None


@EXAMPLES
@given(text=document)
def test_every_word_of_a_plain_text_document_is_in_exactly_one_place(tmp_path_factory, text):
    script = read(tmp_path_factory.mktemp("w"), text, ".txt")
    if script is None:
        return
    guide = split_chapters(script)
    placed = words_of(script.title) if script.title_in_text else []
    for chapter in guide.chapters:
        # A title block (a date, a byline) stood above the first chapter's heading: it is read with the title.
        placed += words_of(" ".join(b.text for b in chapter.blocks[: chapter.title_block]))
        heading = [b for b in script.blocks if b.kind is BlockKind.HEADING and b.level == 2 and b.text == chapter.title]
        if heading:
            placed += words_of(chapter.title)
        placed += words_of(" ".join(b.text for b in chapter.blocks[chapter.title_block :]))
    # Front matter is settings, not the guide's words.
    assert placed == words_of(split_front_matter(normalise_text(text), script.path)[1])


@EXAMPLES
@given(text=document)
def test_markdown_never_crashes_and_splits_every_block_once(tmp_path_factory, text):
    script = read(tmp_path_factory.mktemp("m"), text, ".md")
    guide = split_chapters(script) if script else None
    if guide is None:
        return
    in_chapters = [b for c in guide.chapters for b in c.blocks]
    not_titles = [b for b in script.blocks if not (b.kind is BlockKind.HEADING and b.level <= 2)]
    assert in_chapters == not_titles
    assert [c.number for c in guide.chapters] == list(range(1, len(guide.chapters) + 1))
    assert len({c.slug for c in guide.chapters}) == len(guide.chapters)


@EXAMPLES
@given(text=st.text(max_size=300))
def test_speech_preparation_drops_no_word_and_records_every_change(text):
    spoken = speak(text, Lexicon())
    assert "\n" not in spoken.text
    rebuilt, position = [], 0
    for change in spoken.changes:
        found = spoken.text.find(change.spoken, position)
        assert found >= position, change
        rebuilt += [spoken.text[position:found], change.original]
        position = found + len(change.spoken)
    rebuilt.append(spoken.text[position:])
    # Undoing every recorded change gives back every word of the page (its characters in disguise made
    # plain: "５" is "5", "¼" is "1/4"): nothing dropped unsaid.
    assert _words("".join(rebuilt)) == _words(plain_forms(text))


def _words(text):
    import re

    return re.findall(r"[^\W_]+", text.casefold())


@EXAMPLES
@given(text=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10), min_size=1, max_size=20))
def test_plain_words_are_spoken_as_written(text):
    page = " ".join(text) + "."
    assert speak(page, Lexicon()).text == page
