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
