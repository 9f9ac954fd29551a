"""Splitting documents of several shapes into chapters."""

import json

from audioguide.read import read_script
from audioguide.read.chapters import split_chapters

from .conftest import FIXTURES, REFERENCE, run


def chapters_of(path, *args):
    result = run("chapters", path, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def titles(path, *args):
    return [c["title"] for c in chapters_of(path, *args)]


def test_reference_guide_splits_into_introduction_and_its_three_sections():
    rows = chapters_of(REFERENCE)
    assert [r["title"] for r in rows] == [
        "Introduction",
        "Specific Types of Intravenous Treatments",
        "The Logistics of Infusion Sessions",
        "Anticipating Results and Potential Side Effects",
    ]
    assert [r["number"] for r in rows] == [1, 2, 3, 4]
    assert [r["words"] for r in rows] == [92, 273, 285, 270]
    # 155 words a minute: a 273-word chapter is close to 1 minute 46.
    assert 100 < rows[1]["estimated_seconds"] < 115
    assert read_script(REFERENCE).title == "IV Therapy for Sjögren’s Syndrome: What to Expect"


def test_table_output_names_the_guide_and_each_chapter():
    output = run("chapters", REFERENCE).output
    assert output.splitlines()[0] == "IV Therapy for Sjögren’s Syndrome: What to Expect"
    assert "The Logistics of Infusion Sessions" in output and "285 words" in output


def test_plain_text_leaflet_with_a_bulleted_list():
    assert titles(FIXTURES / "leaflet.txt") == [
        "Introduction",
        "Before You Come In",
        "During the Infusion",
        "After You Go Home",
    ]
    guide = split_chapters(read_script(FIXTURES / "leaflet.txt"))
    kinds = [block.kind.value for block in guide.chapters[1].blocks]
    assert kinds == ["paragraph", "item", "item", "item"]
    assert guide.chapters[1].blocks[1].text == "Wear loose sleeves so the nurse can reach your arm."


def test_markdown_title_chapters_subheadings_and_markup():
    script = read_script(FIXTURES / "care-plan.md")
    assert script.title == "Living With Dry Eyes"
    assert script.meta.author == "Riverside Rheumatology Clinic"
    guide = split_chapters(script)
    assert [c.title for c in guide.chapters] == ["Introduction", "Looking After Your Eyes", "Medicines", "Getting Help"]
    texts = [block.text for chapter in guide.chapters for block in chapter.blocks]
    joined = " ".join(texts)
    for markup in ("**", "*preservative", "](", "|", "```", "##"):
        assert markup not in joined
    assert "Our eye clinic page lists the brands we recommend." in joined
    assert "At Night" in texts  # a ### heading stays inside its chapter, as a spoken sub-heading
    assert "Medicine: Eye drops; When: Four times a day" in texts
    assert "3. Pull down the lower lid and let one drop fall in." in texts
    assert "Clinic phone line" in texts


def test_markdown_chapter_level_can_be_chosen():
    assert titles(FIXTURES / "care-plan.md", "--chapter-level", "3") == [
        "Introduction",
        "Looking After Your Eyes",
        "At Night",
        "Medicines",
        "Getting Help",
    ]


def test_markdown_with_several_top_headings_makes_each_a_chapter(tmp_path):
    doc = tmp_path / "steps.md"
    doc.write_text("# Step one\n\nWash.\n\n# Step two\n\nDry.\n\n### Note\n\nGently.\n", encoding="utf-8")
    assert titles(doc) == ["Step one", "Step two"]
    assert read_script(doc).title == "Steps"


def test_book_with_chapter_headings():
    assert titles(FIXTURES / "book.txt") == [
        "CHAPTER I. The First Visit",
        "CHAPTER II",
        "CHAPTER III. What the Tests Mean",
    ]
    guide = split_chapters(read_script(FIXTURES / "book.txt"))
    assert guide.title == "The Patient's Companion"
    # The byline under the title is no chapter of its own: it is read with the title, first in the first chapter.
    first = guide.chapters[0]
    assert first.title_block == 1 and first.blocks[0].text == "By A. Nurse"
    # Hard-wrapped lines are joined into one paragraph.
    assert first.blocks[1].text.startswith(
        "The first visit to the clinic is often the hardest one. You will meet the team"
    )


def test_document_without_headings_is_one_chapter_named_after_it():
    rows = chapters_of(FIXTURES / "no-headings.txt")
    assert [r["title"] for r in rows] == ["No headings"]
    assert rows[0]["words"] == 33


def test_heading_pattern_overrides_detection(tmp_path):
    doc = tmp_path / "steps.txt"
    doc.write_text(
        "Caring for your line\n\nStep 1: clean the cap.\nWipe it for fifteen seconds.\n\n"
        "Step 2: flush the line.\nUse the syringe you were given.\n",
        encoding="utf-8",
    )
    assert titles(doc, "--heading", r"^Step \d+") == ["Step 1: clean the cap.", "Step 2: flush the line."]


def test_front_matter_title_overrides_the_first_line(tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text("---\ntitle: Better Title\n---\nOld Title\n\nBody text here.\n", encoding="utf-8")
    assert read_script(doc).title == "Better Title"


def test_bad_front_matter_is_one_clear_line(tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text("---\nrate: fast\n---\nTitle\n\nBody.\n", encoding="utf-8")
    result = run("chapters", doc)
    assert result.exit_code == 2
    assert "must be words per minute" in result.stderr and len(result.stderr.strip().splitlines()) == 1
