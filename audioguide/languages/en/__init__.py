"""English."""

from ..base import Language

LANGUAGE = Language(
    code="en",
    name="English",
    package=__name__,
    voices={
        "espeak": {
            "": "en-us",
            "en-us": "en-us",
            "en-gb": "en-gb",
            "en-029": "en-029",
            "en-gb-scotland": "en-gb-scotland",
        },
        "piper": {"": "en_US-joe-medium"},
    },
    month_first=("en", "en-us", "en-ph", "en-ca"),
    sentence_code="en",
)
