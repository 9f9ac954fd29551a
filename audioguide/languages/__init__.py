"""The languages audioguide speaks, each a folder of rules and words: ``en`` and ``es``.

A third language is a new folder beside them (``reading.py``, ``words.toml``, ``lexicon.toml``
and a ``LANGUAGE`` in its ``__init__.py``) and its code in :data:`CODES`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import import_module

from ..errors import InputError
from .base import Language, normal_tag

#: The languages' codes, the default first.
CODES = ("en", "es")
DEFAULT = "en"
#: The language a guide gives when each of its parts is to be read in its own language.
AUTO = "auto"
#: Fewer words than this say too little to tell a language by.
DETECT_MIN_WORDS = 12


@cache
def _load(code: str) -> Language:
    return import_module(f"{__name__}.{code}").LANGUAGE


def get_language(tag: str | None) -> Language:
    """The language of a tag ("en-GB", "es-419", "es"); an unknown one is a clear error."""
    code = normal_tag(tag or DEFAULT).split("-")[0]
    if code not in CODES:
        names = ", ".join(f"{c} ({_load(c).name})" for c in CODES)
        raise InputError(f"language {tag!r}: audioguide speaks {names}; see 'audioguide languages'")
    return _load(code)


def all_languages() -> list[Language]:
    return [_load(code) for code in CODES]


def primary(tag: str) -> str:
    """The language code of a tag, spoken by audioguide or not: "en-US" → "en"."""
    return normal_tag(tag).split("-")[0]


def detect_language(text: str) -> str | None:
    """The code of the language whose commonest words the text uses most; None for too little text."""
    words = re.findall(r"[^\W\d_]+", text.lower())[:5000]
    if len(words) < DETECT_MIN_WORDS:
        return None
    scores = {code: sum(word in _commonest(code) for word in words) for code in CODES}
    best = max(CODES, key=lambda code: scores[code])
    return best if scores[best] else None


@cache
def _commonest(code: str) -> frozenset[str]:
    return frozenset(_load(code).words["common_words"].split())
