"""The kinds of document the corpus showed, one test each: where its title comes from, where its
chapters start, and what of its page is chrome. Each kind is checked in the formats it occurs in,
with exact chapters and blocks, on small documents written here or in tests/fixtures/documents."""

import json

import pytest

from audioguide.read import BlockKind, read_script
from audioguide.read.chapters import LONG_CHAPTER_WORDS

from .conftest import run
from .document_content import (
    ONE_PAGE_CHAPTERS,
    ONE_PAGE_FOOTER,
    ONE_PAGE_TITLE,
    ONE_PAGE_TOP,
    QUESTIONS_CHAPTERS,
    QUESTIONS_TITLE,
    QUESTIONS_TYPED,
    SITE_PAGE_CHAPTERS,
    SITE_PAGE_CHROME,
    SITE_PAGE_DATELINE,
    SITE_PAGE_TITLE,
)
from .test_documents import DOCUMENTS, all_text, chapters_of


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def blocks_of(path):
    return [(block.kind.value, block.level, block.text) for block in read_script(path).blocks]


# The title block: a date, a label or a byline between the title and the first chapter.


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "page.html",
            "<html><body><main><h1>Winter vaccines</h1><p>Updated 20 January 2025</p>"
            "<h2>Flu vaccine</h2><p>Have it every autumn.</p><h2>COVID-19 vaccine</h2><p>Ask your GP.</p>"
            "</main></body></html>",
        ),
        (
            "guide.md",
            "# Winter vaccines\n\nUpdated 20 January 2025\n\n## Flu vaccine\n\nHave it every autumn.\n\n"
            "## COVID-19 vaccine\n\nAsk your GP.\n",
        ),
        (
            "guide.txt",
            "Winter vaccines\n\nUpdated 20 January 2025\n\nFlu vaccine\n\nHave it every autumn.\n\n"
            "COVID-19 vaccine\n\nAsk your GP.\n",
        ),
    ],
)
def test_a_date_line_under_the_title_is_read_with_the_title_not_as_an_introduction(tmp_path, name, text):
    guide, chapters = chapters_of(write(tmp_path, name, text))
    assert guide.title == "Winter vaccines"
    assert chapters == [
        ("Flu vaccine", ["Updated 20 January 2025", "Have it every autumn."]),
        ("COVID-19 vaccine", ["Ask your GP."]),
    ]
    assert guide.chapters[0].title_block == 1


def test_labels_and_a_byline_are_a_title_block_but_a_sentence_is_an_introduction(tmp_path):
    labels = write(
        tmp_path,
        "labels.html",
        "<html><body><main><p>UK Health Security Agency</p><p>Guidance</p><h1>Shingles</h1>"
        "<p>By Jane Smith, RN</p><h2>Who can have it</h2><p>Adults over 65.</p></main></body></html>",
    )
    assert chapters_of(labels)[1] == [
        ("Who can have it", ["UK Health Security Agency", "Guidance", "By Jane Smith, RN", "Adults over 65."])
    ]
    sentence = write(tmp_path, "sentence.md", "# Shingles\n\nRead this before your appointment.\n\n## Who\n\nAdults.\n")
    assert [title for title, _ in chapters_of(sentence)[1]] == ["Introduction", "Who"]


# The title: what the document shows, then its metadata, then the file name (flagged).


def test_a_site_name_and_a_page_title_as_two_top_headings_are_the_title_not_chapters(tmp_path):
    page = write(
        tmp_path,
        "page.html",
        "<html><head><title>Sepsis | NHS inform</title></head><body><main><h1>NHS inform</h1><h1>Sepsis</h1>"
        "<p>Sepsis is serious.</p><h2>Symptoms</h2><p>A high temperature.</p></main></body></html>",
    )
    script = read_script(page)
    assert script.title == "Sepsis"
    assert [(b.kind.value, b.text) for b in script.blocks] == [
        ("paragraph", "Sepsis is serious."),
        ("heading", "Symptoms"),
        ("paragraph", "A high temperature."),
    ]
    assert "the site's name" in script.blocks[0].doubt and "NHS inform" in script.blocks[0].doubt


def test_a_caption_inside_the_title_heading_is_a_line_under_it(tmp_path):
    page = write(
        tmp_path,
        "page.html",
        "<html><head><title>How to take methotrexate - NHS</title></head><body><main>"
        '<h1>How to take methotrexate <span class="nhsuk-caption-l">- Brand names: Maxtrex, Zlatal</span></h1>'
        "<p>Take it once a week.</p><h2>Dosage</h2><p>Usually 7.5mg.</p></main></body></html>",
    )
    guide, chapters = chapters_of(page)
    assert guide.title == "How to take methotrexate"
    assert chapters[0] == ("Introduction", ["Brand names: Maxtrex, Zlatal", "Take it once a week."])


def test_a_document_without_a_title_is_named_after_its_file_as_its_text_spells_it_and_the_proof_says_so(tmp_path):
    doc = write(
        tmp_path,
        "nci-es-cancer-primario-desconocido.txt",
        "Un cáncer de origen primario desconocido se define como una neoplasia maligna confirmada por biopsia.\n",
    )
    script = read_script(doc)
    assert script.title == "Cáncer de origen primario desconocido" and script.title_from_file_name
    result = run("proof", doc, "--json")
    flags = json.loads(result.stdout)[0]["flags"]
    assert any("title taken from the file name" in flag["reason"] for flag in flags)
    # A text script named by its file is ordinary: the build stays quiet. A clinic's document is told about.
    assert "names no title" not in result.stderr
    page = write(tmp_path, "drop-schedule.html", "<html><body><p>Use them four times a day.</p></body></html>")
    assert read_script(page).title == "Drop schedule"  # a name the text does not spell stays as the name has it
    assert "the document names no title, so it is called “Drop schedule”" in run("proof", page).stderr


def test_front_matter_names_the_title_by_the_heading_a_site_shows_and_a_repeated_title_is_not_read_twice(tmp_path):
    va = write(
        tmp_path, "travel.md", "---\ntitle: \nheading: VA travel pay\n---\n\nYou may be eligible.\n\n## Who\n\nVets.\n"
    )
    assert read_script(va).title == "VA travel pay" and not read_script(va).title_from_file_name
    repeated = write(tmp_path, "cafe.md", "---\ntitle: Cafeína\n---\n\n# Cafeína\n\n## ¿Qué es?\n\nUna sustancia.\n")
    guide, chapters = chapters_of(repeated)
    assert guide.title == "Cafeína" and chapters == [("¿Qué es?", ["Una sustancia."])]


def test_a_word_document_without_a_title_on_its_page_is_named_by_its_properties_and_typed_questions_are_headings():
    guide, chapters = chapters_of(DOCUMENTS / "questions.docx")
    assert guide.title == QUESTIONS_TITLE
    # The question typed in bold among Heading 1 questions is one of them; the bold "Important" is no heading.
    assert chapters == [(title, texts) for title, texts in QUESTIONS_CHAPTERS]
    doubts = {block.text: block.doubt for block in read_script(DOCUMENTS / "questions.docx").blocks}
    assert "no heading style" in doubts[QUESTIONS_TYPED] and not doubts["Important"]


# Chapters a listener can use.


def test_no_chapter_is_empty_a_heading_right_under_another_is_its_first_line(tmp_path):
    doc = write(
        tmp_path,
        "contact.txt",
        "Centers for Disease Control\n\nThe CDC protects health.\n\nWebsite\n\nCenters for Disease Control\n\n"
        "Contact\n\nReport foodborne illness\nContact the CDC\n\nTTY\n\n1-888-232-6348\n",
    )
    assert chapters_of(doc)[1] == [
        ("Introduction", ["The CDC protects health."]),
        ("Website", ["Centers for Disease Control"]),
        ("Contact", ["Report foodborne illness Contact the CDC"]),
        ("TTY", ["1-888-232-6348"]),
    ]
    page = write(
        tmp_path, "page.html", "<html><body><h1>T</h1><h2>Part</h2><h2>Step</h2><p>Do it.</p><h2>End</h2></body></html>"
    )
    assert blocks_of(page) == [
        ("heading", 2, "Part"),
        ("heading", 3, "Step"),
        ("paragraph", 0, "Do it."),
        ("heading", 3, "End"),
    ]


def test_a_chapter_over_fifteen_minutes_is_split_at_its_sub_headings(tmp_path):
    long_text = " ".join(["word"] * (LONG_CHAPTER_WORDS // 2 + 10))
    doc = write(
        tmp_path,
        "long.md",
        f"# Guide\n\n## Short\n\nA little.\n\n### Kept inside\n\nStill short.\n\n## Long\n\nOpening.\n\n"
        f"### First half\n\n{long_text}\n\n#### Detail\n\nMore.\n\n### Second half\n\n{long_text}\n",
    )
    guide, chapters = chapters_of(doc)
    assert [title for title, _ in chapters] == ["Short", "Long", "First half", "Second half"]
    assert chapters[0][1] == ["A little.", "Kept inside", "Still short."]  # a short chapter keeps its sub-headings
    assert chapters[1][1] == ["Opening."]
    detail = next(block for block in guide.chapters[2].blocks if block.text == "Detail")
    assert detail.kind is BlockKind.HEADING and detail.level == 3  # one level up with its chapter
    # A long chapter that opens with a sub-heading does not leave its own heading over nothing.
    opening = write(
        tmp_path, "opening.md", f"# Guide\n\n## Long\n\n### First\n\n{long_text}\n\n### Second\n\n{long_text}\n"
    )
    assert [(title, texts[0][:10]) for title, texts in chapters_of(opening)[1]] == [
        ("Long", "First"),
        ("Second", "word word "),
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "page.html",
            '<html><body><h1>Guide</h1><h2>Dosage <a class="headerlink" href="#dosage">¶</a></h2><p>Once.</p></body></html>',
        ),
        (
            "page2.html",
            '<html><body><h1>Guide</h1><h2>Dosage<a href="#dosage" aria-label="Permalink">#</a></h2><p>Once.</p></body></html>',
        ),
        ("guide.md", "# Guide\n\n## Dosage ¶\n\nOnce.\n"),
        ("guide.txt", "Guide\n\nDosage #\n\nOnce.\n"),
    ],
)
def test_headings_lose_their_permalink_marks(tmp_path, name, text):
    assert chapters_of(write(tmp_path, name, text))[1] == [("Dosage", ["Once."])]


def test_questions_and_numbered_sections_are_headings_in_plain_text_but_a_numbered_list_is_not(tmp_path):
    doc = write(
        tmp_path,
        "guide.txt",
        "Ibuprofen for children\n\n1. About ibuprofen\n\nIt is a painkiller.\n\n2. Key facts\n\n"
        "It works in 20 minutes.\n\nHow does it work?\n\nIt calms inflammation.\n\nYes. Can I give it at night?\n",
    )
    assert chapters_of(doc)[1] == [
        ("1. About ibuprofen", ["It is a painkiller."]),
        ("2. Key facts", ["It works in 20 minutes."]),
        ("How does it work?", ["It calms inflammation.", "Yes. Can I give it at night?"]),
    ]
    steps = write(tmp_path, "steps.txt", "Steps\n\n1. Wash your hands\n\n2. Open the bottle\n\n3. Tilt your head\n")
    assert [kind for kind, _, _ in blocks_of(steps)] == ["item", "item", "item"]


# Page chrome known by its words, in every format.


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "page.html",
            "<html><body><main><h1>Flu</h1><p>Email Facebook X LinkedIn</p><h2>Symptoms</h2><p>A fever.</p>"
            "<p>Print this page</p><h2>Is this page useful?</h2><p>Yes</p><p>No</p>"
            "<p>Report a problem with this page</p><p>Page last reviewed: 2 May 2024</p></main></body></html>",
        ),
        (
            "copied.txt",
            "Flu\n\nEmail Facebook X LinkedIn\n\nSymptoms\n\nA fever.\n\nPrint this page\n\nIs this page useful?\n\n"
            "Yes\nNo\n\nReport a problem with this page\n\nPage last reviewed: 2 May 2024\n",
        ),
    ],
)
def test_feedback_boxes_page_controls_and_the_date_at_the_foot_are_never_read(tmp_path, name, text):
    path = write(tmp_path, name, text)
    assert chapters_of(path)[1] == [("Symptoms", ["A fever."])]
    doubt = read_script(path).blocks[0].doubt
    assert "Email Facebook" in doubt and "Print this page" in doubt and "Is this page useful?" in doubt


def test_a_pages_own_contents_list_is_not_read(tmp_path):
    page = write(
        tmp_path,
        "page.html",
        "<html><body><main><h1>Shingles</h1><h2>Contents</h2><ol><li><a href='#a'>Programme</a></li>"
        "<li><a href='#b'>Eligibility</a></li></ol><h2 id='a'>Programme</h2><p>From 2023.</p>"
        "<h2 id='b'>Eligibility</h2><p>Over 65.</p></main></body></html>",
    )
    script = read_script(page)
    assert chapters_of(page)[1] == [("Programme", ["From 2023."]), ("Eligibility", ["Over 65."])]
    assert "contents list (2 entries)" in script.blocks[0].doubt


def test_a_saved_page_without_main_is_read_around_its_title(tmp_path):
    page = write(
        tmp_path,
        "page.html",
        "<html><head><title>Mamografías | NCI</title></head><body>"
        "<div id='header'>Instituto Nacional del Cáncer | <a href='/'>cancer.gov</a></div>"
        "<div id='left'><div>Revisión: 04/22/2008</div><b>Opciones</b><ul><li><a href='#'>Imprimir página</a></li></ul></div>"
        "<div id='content'><h1>Mamografías</h1><h2>Puntos clave</h2><p>Una radiografía del seno.</p>"
        "<h2>¿Qué es?</h2><p>Una prueba de detección que se hace cada uno o dos años en las mujeres de cuarenta.</p></div>"
        "<div id='right'><b>¿Preguntas sobre el cáncer?</b><br>1-800-422-6237</div>"
        "<div id='footer'><a href='/'>Página principal</a> | <a href='/c'>Contáctenos</a></div></body></html>",
    )
    guide, chapters = chapters_of(page)
    assert guide.title == "Mamografías"
    assert chapters == [
        ("Puntos clave", ["Una radiografía del seno."]),
        ("¿Qué es?", ["Una prueba de detección que se hace cada uno o dos años en las mujeres de cuarenta."]),
    ]
    doubt = read_script(page).blocks[0].doubt
    assert "the site's header" in doubt and "what follows the page" in doubt


def test_a_card_promoting_another_page_is_not_read(tmp_path):
    page = write(
        tmp_path,
        "page.html",
        "<html><body><main><h1>Medicare</h1><h2>Costs</h2><p>Part B has a premium.</p>"
        "<div class='promo'><img alt='Two people walking'><p>Tips to plan for retirement.</p>"
        "<h2><a href='/retirement'>Approaching retirement</a></h2></div></main></body></html>",
    )
    assert chapters_of(page)[1] == [("Costs", ["Part B has a premium."])]


# Tables and lines.


def test_a_web_pages_source_line_ends_are_spaces_and_items_in_a_cell_are_read_with_pauses(tmp_path):
    page = write(
        tmp_path,
        "page.html",
        "<html><body><h1>Side effects</h1><p>Use drops\nfour times a day.</p><p>Clinic phone<br>0800 123 456</p>"
        "<table><tr><th>Drug</th><th>Possible side effects</th></tr><tr><td>Rituximab</td>"
        "<td><ul><li>Fatigue</li><li>Hair loss</li><li>Skin changes</li></ul></td></tr></table></body></html>",
    )
    script = read_script(page)
    assert [block.text for block in script.blocks] == [
        "Use drops four times a day.",
        "Clinic phone, 0800 123 456",
        "Drug: Rituximab; Possible side effects: Fatigue, Hair loss, Skin changes",
    ]
    assert script.blocks[-1].cells == (
        ("Drug", "Rituximab"),
        ("Possible side effects", "Fatigue, Hair loss, Skin changes"),
    )


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("pasted.txt", "| Drug | Dose |\n|------|------|\n| Rituximab | 1000 mg |\n| Prednisone | 100 mg |"),
        (
            "grid.md",
            "+------------+---------+\n| Drug       | Dose    |\n+============+=========+\n| Rituximab  | 1000 mg |\n"
            "+------------+---------+\n| Prednisone | 100     |\n|            | mg      |\n+------------+---------+",
        ),
    ],
)
def test_a_table_typed_in_text_is_read_row_by_row_without_its_bars_and_borders(tmp_path, name, table):
    doc = write(tmp_path, name, f"Doses\n=====\n\n{table}\n\n* * *\n\nAsk the nurse.\n")
    script = read_script(doc)
    assert script.title == "Doses"
    assert [(b.kind.value, b.text) for b in script.blocks] == [
        ("item", "Drug: Rituximab; Dose: 1000 mg"),
        ("item", "Drug: Prednisone; Dose: 100 mg"),
        ("paragraph", "Ask the nurse."),
    ]


# PDFs: a page a browser printed, and a one-page leaflet with no tags.


def test_a_page_printed_without_main_is_read_from_its_title_to_the_end_of_its_group():
    guide, chapters = chapters_of(DOCUMENTS / "site-page.pdf")
    # The title the page shows, not its <title> ("Dry eyes at night - Leaflets | Riverside Eye Clinic").
    assert guide.title == SITE_PAGE_TITLE
    expected = [(title, list(paragraphs)) for title, paragraphs in SITE_PAGE_CHAPTERS]
    expected[0][1].insert(0, SITE_PAGE_DATELINE)  # the date line under the title is read with it
    assert chapters == expected
    text = all_text(guide)
    for chrome in SITE_PAGE_CHROME:
        assert chrome not in text, chrome
    assert "¶" not in text


def test_a_one_page_leaflet_has_its_small_margin_lines_and_table_header_read_as_text_not_headings():
    guide, chapters = chapters_of(DOCUMENTS / "one-page-leaflet.pdf")
    assert guide.title == ONE_PAGE_TITLE  # the PDF's own title names a file ("leaflet.docx"): the page's is used
    assert [title for title, _ in chapters] == [title for title, _ in ONE_PAGE_CHAPTERS]
    assert chapters[1][1][:3] == ["These habits help most people:", *ONE_PAGE_CHAPTERS[1][1][1][1]]
    text = all_text(guide)
    assert ONE_PAGE_TOP not in text and ONE_PAGE_FOOTER not in text and "(cid:" not in text
    kinds = {block.text: block.kind for block in read_script(DOCUMENTS / "one-page-leaflet.pdf").blocks}
    assert kinds["Sip water often through the day."] is BlockKind.ITEM  # its bullet has no character in the font
    assert kinds["Rinse"] is BlockKind.PARAGRAPH  # a small bold table header is no heading


def test_the_date_a_page_was_updated_at_its_foot_is_not_read_but_a_date_in_the_text_is(tmp_path):
    page = write(
        tmp_path,
        "page.html",
        "<html><body><main><h1>Chemotherapy</h1><h2>Costs</h2><p>Updated prices apply from 1 May 2025.</p>"
        "<p>Ask your insurer.</p><div class='updated'>Updated: May 15, 2025</div></main></body></html>",
    )
    assert chapters_of(page)[1] == [("Costs", ["Updated prices apply from 1 May 2025.", "Ask your insurer."])]


def test_a_page_without_a_heading_is_named_by_its_title_without_the_sites_name(tmp_path):
    page = write(
        tmp_path,
        "page.html",
        "<html><head><title>Sjögren’s syndrome - Symptoms and causes - Mayo Clinic</title></head>"
        "<body><main><p>Dry eyes and a dry mouth are the main symptoms.</p></main></body></html>",
    )
    script = read_script(page)
    assert script.title == "Sjögren’s syndrome - Symptoms and causes" and not script.title_from_file_name
