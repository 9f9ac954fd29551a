"""The one small leaflet that every document fixture holds, in Word, web page and PDF form.

``tests/fixtures/documents/make.py`` writes the fixtures from it, and the tests check each
reader gives back exactly these words, split where an editor would split them.
"""

TITLE = "Rituximab Infusion at Home"
CHROME = [
    "Home Infusion Service",  # running header of the Word and PDF files
    "Page 1",
    "Accept all cookies",
    "Share on Facebook",
    "Related conditions",
    "Privacy policy",
    "You are here",
    "Skip to main content",
]
CHAPTERS = [
    (
        "Before Your Infusion",
        [
            ("p", "Your nurse will call you on 03/15/2026 to confirm the time of your first visit."),
            ("p", "Take 2 tablets of acetaminophen 500 mg PO x2 before you come, with a full glass of water."),
            ("ol", ["Drink two glasses of water.", "Wear a loose shirt.", "Bring your medication list."]),
        ],
    ),
    (
        "During the Infusion",
        [
            (
                "p",
                "The infusion takes four to six hours. We check your temperature every 30 minutes; a reading of "
                "100.4 F (38.0 C) or more is a fever, and so is 101° F by mouth at home.",
            ),
            (
                "table",
                [
                    ["Drug", "Dose", "Route"],
                    ["Rituximab", "1000 mg", "IV"],
                    ["Methylprednisolone", "100 mg", "IV push"],
                ],
            ),
            ("p", "STOP the infusion and CALL the nurse RIGHT AWAY if you have a FEVER or trouble breathing."),
        ],
    ),
    (
        "After You Go Home",
        [
            ("ul", ["Take Advil® for aches if your doctor agrees.", "Rest for the remainder of the evening."]),
            ("p", "Your next blood test checks the ANA titer; a titer of 1:160 or higher is reported to your doctor."),
            ("p", "Call 0800 5200 520 or 1-800-555-0199 with any questions about your medication."),
            ("p", "Doctor: ________"),
        ],
    ),
]
#: The Word documents' footnote, on the table's drug; read at the end of its chapter.
FOOTNOTE = "Methylprednisolone is a steroid that prevents reactions."


def body_paragraphs():
    """Every paragraph, list item and table row of the leaflet as text, in order (no headings)."""
    for title, parts in CHAPTERS:
        yield title
        for kind, content in parts:
            if kind == "p":
                yield content
            elif kind == "table":
                yield from (" ".join(row) for row in content)
            else:
                yield from content


#: A health site's page printed to PDF by Chromium (tests/fixtures/documents/printed-page.pdf): a
#: tagged PDF with the site's header, menus, breadcrumbs and footer, and the browser's date, title,
#: address and page numbers in its margins.
PRINTED_SITE = "Sjögren's Care Network"
PRINTED_TITLE = "Dry Eyes During Your Infusion"
#: The picture's description (its alt text), read in the place of the picture.
PRINTED_PICTURE = "Diagram of the tear film: an oil layer over a water layer over a mucus layer on the eye"
PRINTED_CHROME = [
    "Care Network",  # the site's name in its header and footer, and in the page's title
    "Skip to content",
    "Conditions",
    "Treatments",
    "Donate",
    "You are here",
    "Privacy policy",
    "Accessibility statement",
    "Registered charity",
    "file:",  # the browser's footer: the page's address (its page numbers and date: tests/test_pdf_tags.py)
]
#: The paragraph that runs over the page break.
PRINTED_LONG = (
    "Tears are not only water. A healthy tear film has three layers: an oil layer on top that slows "
    "evaporation, a water layer in the middle that carries salts and proteins, and a mucus layer underneath "
    "that helps the tears stick to the surface of the eye. In Sjögren's syndrome the glands that make the "
    "water layer are inflamed, and the oil glands in the eyelids often work less well too, so the tears "
    "that are made evaporate quickly. Blinking spreads the tear film again, which is why your eyes feel "
    "worse when you stare at a screen, read for a long time, or sit in warm, moving air. An infusion room "
    "has all three: you sit still for hours, you may read or watch a tablet to pass the time, and the "
    "heating or air conditioning keeps the air moving. None of this harms your sight, but it can make the "
    "hours feel long, and a few simple habits keep your eyes comfortable from the first drop to the last."
)
PRINTED_CHAPTERS = [
    (
        "Why Your Eyes Feel Dry",
        [
            (
                "p",
                "Sjögren's syndrome slows the glands that make tears. During a long infusion you blink less, "
                "and the air in the infusion room is dry, so your eyes may sting, burn or feel gritty.",
            ),
            ("h3", "What tears do"),
            ("p", PRINTED_LONG),
            ("img", PRINTED_PICTURE),
        ],
    ),
    (
        "Before the Infusion",
        [
            (
                "ol",
                [
                    "Put in your preservative-free drops an hour before you leave home.",
                    "Pack your drops, your glasses and a soft cloth.",
                    "Tell the nurse if your eyes are red or swollen.",
                ],
            ),
            ("p", "Wear your glasses rather than contact lenses on infusion days."),
        ],
    ),
    (
        "During the Infusion",
        [
            (
                "table",
                [
                    ["Drops", "How often", "Why"],
                    ["Artificial tears", "Every 2 hours", "To keep the eye wet"],
                    ["Lubricating gel", "At bedtime", "To protect the eye overnight"],
                ],
            ),
            ("h3", "If your eyes sting"),
            (
                "ul",
                [
                    "Close your eyes for a minute and breathe slowly.",
                    "Ask the nurse for a warm compress.",
                    "Do not rub your eyes.",
                ],
            ),
        ],
    ),
    (
        "After You Go Home",
        [
            ("p", "Keep using your drops for the rest of the day, and run a humidifier at night if you have one."),
            ("p", "Call the infusion nurse on 0800 5200 520 if your sight gets blurred or your eyes hurt."),
        ],
    ),
]

#: A narrow page printed by Chromium (tests/fixtures/documents/wrapped-heading.pdf): headings that
#: wrap over two or three lines, words broken at line ends at their soft hyphens, and the site's
#: name as a level-1 heading above the page's own.
WRAPPED_SITE = "Eye Care Network"
WRAPPED_TITLE = "Dry Eye at Night"
WRAPPED_CHAPTERS = [
    (
        "What to do when your eyes feel gritty or sore in the middle of the night",
        [
            (
                "p",
                "Keep a bottle of lubricating gel by your bed. Preservative-free gel is gentler on "
                "inflammation, and an unpreservative ointment lasts until the morning.",
            )
        ],
    ),
    (
        "When to call the clinic about your eyes",
        [("p", "Call us the next morning if the discomfort keeps you awake for two nights in a row.")],
    ),
]
#: Where the page allows the long words to break: at their soft hyphens.
WRAPPED_BREAKS = {"lubricating": "lubri&shy;cat&shy;ing", "inflammation": "inflam&shy;ma&shy;tion",
                  "unpreservative": "un&shy;pre&shy;ser&shy;va&shy;tive", "discomfort": "dis&shy;com&shy;fort"}  # fmt: skip

#: A handout typed in a layout program, with no tags (tests/fixtures/documents/dry-eye-handout.pdf):
#: a running header and footer, a side tab and a watermark turned on their sides, a heading wrapped
#: over two lines, and words hyphenated at line ends.
HANDOUT_HEADER = "Eye Clinic · Patient Information"
HANDOUT_SIDE_TAB = "DRY EYE CARE"
HANDOUT_WATERMARK = "SAMPLE"
HANDOUT_CHAPTERS = [
    (
        "What to do when your eyes feel gritty and sore at night",
        [
            "Keep a bottle of lubricating gel by your bed and use it whenever you wake. A humidifier beside "
            "the bed keeps the air moist, and a sleep mask stops the air from a fan drying your eyes.",
            "Warm compresses in the evening loosen the oil in the eyelid glands, which makes your tears "
            "last longer through the night.",
        ],
    ),
    (
        "When to call the clinic",
        [
            "Call the clinic if your eyes are red and painful, if light hurts them, or if your sight gets "
            "blurred and stays blurred after you blink.",
        ],
    ),
]

#: The title of tests/fixtures/documents/xmp-title.pdf, given only in its XMP metadata.
XMP_TITLE = "Eye Drops at Home"

#: A clinic's page saved without <main> and printed by Chromium (tests/fixtures/documents/site-page.pdf): its
#: site's header, breadcrumbs, a date line and a contents list under its title, a card promoting another
#: page, "Print this page", related links, a feedback box, "Page last reviewed" and a footer around it.
SITE_PAGE_SITE = "Riverside Eye Clinic"
SITE_PAGE_TITLE = "Dry eyes at night"
SITE_PAGE_DATELINE = "Updated 3 March 2026"
SITE_PAGE_CHAPTERS = [
    (
        "Drops before bed",
        [
            "Put in a preservative-free gel just before you sleep. Gel lasts longer than drops, so your eyes "
            "stay wet until the morning.",
            "Keep the bottle by your bed, so you can use it again if you wake in the night with sore eyes.",
        ],
    ),
    (
        "Your bedroom",
        [
            "Dry, moving air takes the tears from your eyes. Turn the heating down at night, keep fans "
            "pointed away from the bed, and run a humidifier if you have one.",
            "A sleep mask keeps the air off your eyes, and it helps if your eyelids do not close fully.",
        ],
    ),
]
SITE_PAGE_CHROME = [
    "Riverside Eye Clinic",
    "Appointments",
    "Leaflets",
    "Contents",
    "Sleeping well",
    "Print this page",
    "Related leaflets",
    "Dry mouth",
    "useful",
    "Page last reviewed",
    "Privacy",
]

#: A one-page leaflet laid out with no tags (tests/fixtures/documents/one-page-leaflet.pdf): a line at the
#: top and a footer in small type, question headings wrapped over two lines, a table with a small bold header
#: row, and bullets drawn from a font that maps them to no character.
ONE_PAGE_TITLE = "Mouth care during treatment"
ONE_PAGE_TOP = "Riverside Eye Clinic · Patient leaflet"
ONE_PAGE_FOOTER = "Source: Riverside Eye Clinic nursing team"
ONE_PAGE_CHAPTERS = [
    (
        "Why does treatment make my mouth so dry and sore?",
        [("p", "Some medicines slow the glands that make saliva, and a dry mouth gets sore more easily.")],
    ),
    (
        "What can I do to keep my mouth comfortable every day?",
        [
            ("p", "These habits help most people:"),
            ("ul", ["Sip water often through the day.", "Use a soft toothbrush after every meal."]),
            ("table", [["Rinse", "How often"], ["Salt water", "After meals"], ["Fluoride", "At bedtime"]]),
        ],
    ),
]

#: A Word leaflet of questions and answers typed without a Title (tests/fixtures/documents/questions.docx):
#: its title only in the document's properties, two questions in Heading 1, and one typed as a bold line.
QUESTIONS_TITLE = "Living with a dry mouth"
QUESTIONS_CHAPTERS = [
    ("What causes a dry mouth?", ["Sjögren's syndrome slows the glands that make saliva."]),
    (
        "How is it treated?",
        ["Saliva substitutes and sugar-free gum help.", "Important", "Never stop a medicine yourself."],
    ),
    ("When should I call the clinic?", ["Call us if your mouth is sore for more than a week."]),
]
#: The question typed as a bold line without a heading style, and the bold line that is no heading.
QUESTIONS_TYPED = "When should I call the clinic?"
QUESTIONS_LABEL = "Important"
