"""Page text to the words a careful narrator would say.

One left-to-right pass over the text: a single pattern finds the next token that needs saying
differently (a web address, a phone number, a dose, a range, an abbreviation, an initialism, a
lexicon word, a symbol), its handler returns the words to say, and the text between tokens passes
unchanged. Nothing is deleted: every token becomes words, so no part of the guide is dropped.
Each replacement is recorded as a :class:`Change`, which ``audioguide proof`` shows a clinician.

The engine reads what it is given literally and confidently: ``IV`` as "Roman four", ``5 mg`` as
"five M G", ``555-123-4567`` as a sum. Initialisms are therefore spelled with hyphens
(``I-V``), which eSpeak NG reads as letter names, and lexicon respellings are chosen by reading
eSpeak NG's own phoneme output for them (see ``tests/test_lexicon.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from num2words import num2words

from .errors import InputError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@dataclass(frozen=True)
class Change:
    original: str
    spoken: str


@dataclass(frozen=True)
class Flag:
    """Something in the text the engine may still say wrongly: for a clinician to check."""

    text: str
    reason: str


# --- lexicons ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """Pronunciations: word → what the engine is given (a respelling, or ``[[phonemes]]``).

    Keys with a capital letter match only that spelling (``IV``, ``SS``); all-lower-case keys
    match any capitalisation (``rituximab``, ``Rituximab``, ``RITUXIMAB``).
    """

    exact: dict[str, str] = field(default_factory=dict)
    folded: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    """Phonemes → how they sound in letters, so a proof is readable by people who skip phonemes."""

    def readable(self, spoken: str) -> str:
        """``spoken`` with each ``[[phonemes]]`` shown as its ``sounds_like`` hint, where there is one."""

        def hint(match: re.Match) -> str:
            phonemes = match.group(1)
            if phonemes in self.hints:
                return self.hints[phonemes]
            for ending in ("Iz", "s", "z"):
                if phonemes.endswith(ending) and phonemes.removesuffix(ending) in self.hints:
                    return self.hints[phonemes.removesuffix(ending)] + "'s"
            return match.group(0)

        return re.sub(r"\[\[([^\]]+)\]\]", hint, spoken)

    def lookup(self, word: str) -> str | None:
        return self.exact.get(word) or self.folded.get(word.lower())

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with ``other``'s entries added; ``other`` wins where both have a word."""
        exact = {**self.exact, **other.exact}
        folded = {**self.folded, **other.folded}
        hints = {**self.hints, **other.hints}
        # A clinic's case-insensitive entry also overrides a built-in exact-case one.
        for key in other.folded:
            for variant in [k for k in exact if k.lower() == key and k not in other.exact]:
                del exact[variant]
        return Lexicon(exact, folded, hints)

    @classmethod
    def from_entries(cls, entries: dict[str, str], hints: dict[str, str] | None = None) -> Lexicon:
        exact = {k: v for k, v in entries.items() if k != k.lower()}
        folded = {k: v for k, v in entries.items() if k == k.lower()}
        return cls(exact, folded, hints or {})

    def __len__(self) -> int:
        return len(self.exact) + len(self.folded)

    def phoneme_strings(self) -> set[str]:
        """Every ``[[phonemes]]`` string speech preparation can give the engine: entries and their possessives."""
        found = set()
        for spoken in (*self.exact.values(), *self.folded.values()):
            if spoken.startswith("[[") and spoken.endswith("]]"):
                found |= {spoken[2:-2], possessive(spoken)[2:-2]}
        return found


def parse_lexicon(text: str, source: str) -> Lexicon:
    """Read a lexicon in TOML: ``word = "respelling"`` or ``word = { phonemes = "..." }``.

    A phoneme entry may add ``sounds_like = "rih-TUCK-sih-mab"``, shown by ``audioguide proof``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f'{source}: not valid TOML ({error}); write lines like: rituximab = "rih-tuck-sih-mab"'
        ) from None
    entries: dict[str, str] = {}
    hints: dict[str, str] = {}
    for word, value in data.items():
        if isinstance(value, dict) and isinstance(value.get("phonemes"), str) and set(value) <= _PHONEME_KEYS:
            phonemes = value["phonemes"].strip()
            if value.get("sounds_like"):
                hints[phonemes] = str(value["sounds_like"])
            value = f"[[{phonemes}]]" if phonemes else ""
        if not isinstance(value, str) or not value.strip() or not word.strip() or " " in word.strip():
            raise InputError(f'{source}: entry {word!r} must be one word = "respelling" or {{ phonemes = "..." }}')
        entries[word.strip()] = value.strip()
    return Lexicon.from_entries(entries, hints)


_PHONEME_KEYS = {"phonemes", "sounds_like"}


@lru_cache(maxsize=1)
def builtin_lexicon() -> Lexicon:
    text = resources.files("audioguide").joinpath("data/lexicon.toml").read_text(encoding="utf-8")
    return parse_lexicon(text, "built-in lexicon")


def load_lexicon(paths: Iterable[Path]) -> Lexicon:
    """The built-in medical lexicon with each clinic lexicon file laid over it, in order."""
    lexicon = builtin_lexicon()
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise InputError(f"lexicon {path}: cannot read it ({error.strerror}); check the path") from None
        except UnicodeDecodeError:
            raise InputError(f"lexicon {path}: not UTF-8 text; save it as UTF-8") from None
        lexicon = lexicon.merged(parse_lexicon(text, f"lexicon {path}"))
    return lexicon


# --- vocabulary -------------------------------------------------------------------------------

#: Unit spellings → (singular, plural). Keys are matched case-sensitively where case matters.
UNITS: dict[str, tuple[str, str]] = {
    "mg": ("milligram", "milligrams"),
    "mcg": ("microgram", "micrograms"),
    "µg": ("microgram", "micrograms"),
    "μg": ("microgram", "micrograms"),
    "ug": ("microgram", "micrograms"),
    "ng": ("nanogram", "nanograms"),
    "g": ("gram", "grams"),
    "kg": ("kilogram", "kilograms"),
    "mL": ("milliliter", "milliliters"),
    "ml": ("milliliter", "milliliters"),
    "dL": ("deciliter", "deciliters"),
    "dl": ("deciliter", "deciliters"),
    "L": ("liter", "liters"),
    "cc": ("cubic centimeter", "cubic centimeters"),
    "IU": ("international unit", "international units"),
    "units": ("unit", "units"),
    "unit": ("unit", "units"),
    "mmHg": ("millimeter of mercury", "millimeters of mercury"),
    "mmol": ("millimole", "millimoles"),
    "mEq": ("milliequivalent", "milliequivalents"),
    "mm": ("millimeter", "millimeters"),
    "cm": ("centimeter", "centimeters"),
    "km": ("kilometer", "kilometers"),
    "m2": ("square meter", "square meters"),
    "m²": ("square meter", "square meters"),
    "%": ("percent", "percent"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "h": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "sec": ("second", "seconds"),
    "wk": ("week", "weeks"),
    "wks": ("week", "weeks"),
    "yr": ("year", "years"),
    "yrs": ("year", "years"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "kcal": ("kilocalorie", "kilocalories"),
    "tsp": ("teaspoon", "teaspoons"),
    "tbsp": ("tablespoon", "tablespoons"),
    "gtt": ("drop", "drops"),
    "tab": ("tablet", "tablets"),
    "tabs": ("tablet", "tablets"),
    "cap": ("capsule", "capsules"),
    "caps": ("capsule", "capsules"),
    "x": ("time", "times"),
}
#: Units after a slash ("mg/kg", "mL/hr", "per day").
PER_UNITS: dict[str, str] = {
    **{key: singular for key, (singular, _) in UNITS.items() if key not in ("%", "x", "units")},
    "day": "day",
    "d": "day",
    "dose": "dose",
    "week": "week",
    "hour": "hour",
    "minute": "minute",
    "month": "month",
    "kg/day": "kilogram per day",
}
#: Abbreviations that end with a full stop, and what a narrator says for them.
ABBREVIATIONS: dict[str, str] = {
    "e.g.": "for example",
    "E.g.": "For example",
    "i.e.": "that is",
    "I.e.": "That is",
    "etc.": "et cetera",
    "vs.": "versus",
    "vs": "versus",
    "Dr.": "Doctor",
    "Drs.": "Doctors",
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Mizz",
    "Prof.": "Professor",
    "approx.": "approximately",
    "Approx.": "Approximately",
    "ext.": "extension",
    "Ext.": "Extension",
    "tel.": "telephone",
    "Tel.": "Telephone",
    "incl.": "including",
    "max.": "maximum",
    "min.": "minimum",
    # Prescription Latin, read as its meaning.
    "b.i.d.": "twice a day",
    "BID": "twice a day",
    "t.i.d.": "three times a day",
    "TID": "three times a day",
    "q.i.d.": "four times a day",
    "QID": "four times a day",
    "q.d.": "once a day",
    "QD": "once a day",
    "p.r.n.": "as needed",
    "PRN": "as needed",
    "prn": "as needed",
    "q.h.s.": "at bedtime",
    "qhs": "at bedtime",
    "h.s.": "at bedtime",
    "p.o.": "by mouth",
    "a.c.": "before meals",
    "p.c.": "after meals",
    "stat.": "immediately",
    "and/or": "and or",
    "24/7": "twenty-four seven",
}
#: Ways a dose is given, as a patient understands them; the second form goes before a noun
#: ("an IM injection" is "an intramuscular injection", "given IM" is "given into a muscle").
ROUTES: dict[str, tuple[str, str]] = {
    "PO": ("by mouth", "oral"),
    "SC": ("under the skin", "subcutaneous"),
    "SQ": ("under the skin", "subcutaneous"),
    "subcut": ("under the skin", "subcutaneous"),
    "IM": ("into a muscle", "intramuscular"),
    "SL": ("under the tongue", "sublingual"),
    "PR": ("rectally", "rectal"),
}
#: Nouns a route abbreviation describes when it stands before them.
ROUTE_NOUNS = {"injection", "injections", "shot", "shots", "dose", "doses", "route", "medicine", "medication"}
#: A bare "F" or "C" after a number is a temperature only in these ranges (a body's, or a room's).
TEMPERATURE_RANGES = {"F": (50.0, 115.0), "C": (10.0, 46.0)}
#: Words that say the ratio after them is a lab result ("a titer of 1:80"), not a time.
RATIO_WORDS = {"titer", "titers", "titre", "titres", "ratio", "dilution"}
#: Language tags whose numeric dates put the month first (03/15/2026); others put the day first.
MONTH_FIRST = ("en", "en-us", "en-ph", "en-ca")
#: How often a word must occur in the English word list to be a word when written in capitals
#: (STOP, CALL, FEVER) rather than an initialism (ER, ANA): short words must be commoner.
COMMON_WORD_SHORT = 10_000
COMMON_WORD_LONG = 1_000
SYMBOLS: dict[str, str] = {
    "&": "and",
    "+": "plus",
    "±": "plus or minus",
    "≥": "at least",
    "≤": "at most",
    ">": "more than",
    "<": "less than",
    "×": "times",
    "→": "then",
    "⇒": "then",
    "=": "equals",
    "≈": "about",
    "~": "about",
    "@": "at",
    "#": "number",
    "°": "degrees",
    "/": "or",
}
#: A Roman numeral after one of these words is a number: "type II", "Chapter IV", "stage III".
ROMAN_CONTEXT = {
    "type", "stage", "phase", "class", "grade", "part", "chapter", "schedule", "book", "section",
    "volume", "level", "step", "appendix", "factor", "unit", "lesson", "trial",
}  # fmt: skip
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
FRACTIONS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
LETTER_DIGITS = {"0": "zero", **{str(d): num2words(d) for d in range(1, 10)}}

# --- the token pattern ------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_UNIT = rf"(?:{_alternation(UNITS)})(?:/(?:{_alternation(PER_UNITS)}))*"
_UNIT_END = r"(?![\w°%])"
_URL_END = r"[^\s<>()\[\]{}.,;:!?'\"’”]"
_TLD = r"com|org|net|gov|edu|info|health|uk|ca|au|ie|nz|us|eu|io"
TOKEN = re.compile(
    "|".join(
        [
            rf"(?P<url>(?:https?://|www\.)[^\s<>()\[\]{{}}]*{_URL_END}"
            rf"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLD})\b(?:/[^\s<>()]*{_URL_END})?)",
            r"(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)",
            r"(?P<date>\b\d{4}-\d{2}-\d{2}\b)",
            r"(?P<numeric_date>\b\d{1,2}(?P<date_mark>[/.])\d{1,2}(?P=date_mark)(?:\d{4}|\d{2})\b(?![/.]\d))",
            r"(?P<ratio>\b1:\d{2,5}\b(?!:|\s?[aApP]\.?[mM]\b))",
            r"(?P<phone>(?<![\w.,+-])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,5}){1,4}"
            r"|\(\d{2,5}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}|(?:1[\s.-])?\d{3}[.-]\d{3}[.-]\d{4}"
            # A national number (UK 0800 5200 520, 020 7946 0958) has 10 or 11 digits in all.
            r"|0\d{2,4}[\s-]\d{3}[\s-]?\d{3,4}|(?=0(?:[\s-]?\d){9,10}(?!\d))0\d{2,4}(?:[\s-]\d{2,4}){1,3}"
            r"|(?:1\s)?\d{3}\s\d{3}\s\d{4}"
            r"|\d{3}-\d{4})(?![\w-]|[.,]\d))",
            r"(?P<time>\b\d{1,2}:\d{2}(?:\s?[aApP]\.?[mM]\.?(?![\w]))?|\b\d{1,2}\s?[aApP]\.?[mM]\.?(?!\w))",
            rf"(?P<abbreviation>(?<![\w.])(?:{_alternation(ABBREVIATIONS)})(?![\w]))",
            rf"(?P<temperature>(?<![\w.]){_NUMBER}\s?(?:°\s?[CF]|[CF])(?![\w°]))",
            r"(?P<times>(?<![\w.])[x×]\s?\d{1,2}\b(?![.,]\d))",
            rf"(?P<range>(?<![\w.]){_NUMBER}\s?(?:-|–|—)\s?(?:{_NUMBER})(?![\w-])"
            rf"(?:\s?(?P<range_unit>{_UNIT}){_UNIT_END})?)",
            # An abbreviated unit's full stop inside a sentence ("5 min. to rest") is not its end.
            rf"(?P<quantity>(?<![\w.])[$£€]?(?:{_NUMBER})\s?(?P<unit>{_UNIT}){_UNIT_END}(?:\.(?=\s+[a-z]))?)",
            r"(?P<pressure>\b\d{2,3}/\d{2,3}\s?mmHg\b)",
            r"(?P<number_sign>\b[Nn]o\.(?=\s?\d))",
            r"(?P<dose_schedule>\b[qQ]\d{1,2}[hH]\b)",
            r"(?P<ordinal>\b\d+(?:st|nd|rd|th)\b)",
            r"(?P<fraction>(?<![\w/])\d{1,3}/\d{1,3}(?![\w/]))",
            rf"(?P<money>[$£€](?:{_NUMBER}))",
            rf"(?P<number>(?<![\w.]){_NUMBER}(?![\d]))",
            r"(?P<word>[^\W\d_][\w]*(?:['’][^\W\d_]+)*|\d+[A-Za-z][\w]*)",
            r"(?P<dash_range>(?<=\d)[–—](?=\d))",
            r"(?P<blank>_{3,}|\.{5,}|…{2,})",
            r"(?P<dash>\s[–—]\s|—)",
            r"(?P<symbol>[&+±≥≤×→⇒=≈@#°]|(?<=\s)[~<>](?=\s?\d)|(?<=\w)/(?=[^\W\d]))",
        ]
    )
)
#: Pictographs (emoji and their joiners) are decoration on a page; read aloud they are noise.
_PICTOGRAPHS = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d\u2b50\u2b55\u2705\u274c]")
SPEECH_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "…": "...", "\u00a0": " "})


# --- the pass ---------------------------------------------------------------------------------


@dataclass
class _Context:
    text: str
    lexicon: Lexicon
    shouting: bool
    day_first: bool


@dataclass(frozen=True)
class Spoken:
    text: str
    """Exactly what the engine is given."""
    changes: list[Change]
    """Every token said differently from how the page writes it."""
    marked: str
    """The spoken text with each change shown as ``[original → spoken]``, for proofing."""


def speak(text: str, lexicon: Lexicon | None = None, language: str = "en-US") -> Spoken:
    """The spoken form of ``text``, with every change made to it; ``language`` sets the date order."""
    lexicon = lexicon if lexicon is not None else builtin_lexicon()
    # Trademark signs are for lawyers, not listeners: "Advil®" is "Advil".
    text = " ".join(re.sub("[®™℠]", "", text).split()).replace("[[", "[ [")
    context = _Context(text, lexicon, _is_shouting(text), is_day_first(language))
    pieces: list[str] = []
    marked: list[str] = []
    changes: list[Change] = []
    position = 0
    for match in TOKEN.finditer(text):
        pieces.append(text[position : match.start()])
        marked.append(text[position : match.start()])
        original = match.group(0)
        kind = next(name for name in _HANDLERS if match.group(name) is not None)
        spoken = _HANDLERS[kind](match, context)
        if original.endswith(".") and match.end() == len(text) and not spoken.endswith("."):
            # The token's full stop also ended the sentence: keep it for the falling tone.
            spoken += "."
        if kind != "dash" and spoken.translate(SPEECH_PUNCTUATION) != original.translate(SPEECH_PUNCTUATION):
            changes.append(Change(original.strip(), spoken.strip()))
            marked.append(f" [{original.strip()} → {spoken.strip()}] ")
        else:
            marked.append(spoken)
        pieces.append(spoken)
        position = match.end()
    pieces.append(text[position:])
    marked.append(text[position:])
    return Spoken(_tidy("".join(pieces)), changes, _tidy("".join(marked)))


def _tidy(text: str) -> str:
    text = " ".join(_PICTOGRAPHS.sub(" ", _asides(text)).translate(SPEECH_PUNCTUATION).split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def _is_shouting(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(text.split()) >= 3 and len(letters) >= 8 and sum(ch.isupper() for ch in letters) > 0.7 * len(letters)


def _asides(text: str) -> str:
    """Parentheses become the pauses a narrator makes around an aside."""
    text = re.sub(r"(?<=[^\W\d_])\(s\)", "s", text)
    text = re.sub(r"\s*\(\s*", ", ", text)
    text = re.sub(r"\s*\)\s*(?=[.,;:!?])", "", text)
    text = re.sub(r"\s*\)\s*", ", ", text)
    text = re.sub(r"^,\s*", "", text)
    text = re.sub(r",\s*([.,;:!?])", r"\1", text)
    return text


# --- handlers ---------------------------------------------------------------------------------


def number_words(number: str) -> str:
    """ "1,250" → "one thousand, two hundred and fifty"; "0.5" → "zero point five"."""
    number = number.replace(",", "")
    whole, point, decimals = ("0" + number if number.startswith(".") else number).partition(".")
    words = num2words(int(whole))
    return f"{words} point {digits(decimals)}" if point else words


def digits(text: str) -> str:
    return " ".join(LETTER_DIGITS[d] for d in text if d.isdigit())


def _is_plural(number: str) -> bool:
    return number.replace(",", "") not in ("1", "1.0")


def unit_words(unit: str, number: str) -> str:
    parts = unit.split("/")
    singular, plural = UNITS[parts[0]]
    words = plural if _is_plural(number) else singular
    for per in parts[1:]:
        words += f" per {PER_UNITS[per]}"
    return words


_ADDRESS_MARKS = {
    ".": "dot", "/": "slash", ":": "colon", "_": "underscore", "-": "dash", "+": "plus",
    "?": "question mark", "=": "equals", "&": "and",
}  # fmt: skip


def _say_address(address: str, lexicon: Lexicon) -> str:
    """A web or e-mail address the way people read one out: "W-W-W dot clinic dot org slash help"."""
    spoken = []
    for part in re.split(r"([./:_+?=&-])", address):
        if not part:
            continue
        if part in _ADDRESS_MARKS:
            spoken.append(_ADDRESS_MARKS[part])
        elif part.lower() == "www":
            spoken.append("W-W-W")
        elif part.isdigit():
            spoken.append(digits(part))
        elif lexicon.lookup(part) or lexicon.lookup(part.removesuffix("s")):
            spoken.append(lexicon.lookup(part) or possessive(lexicon.lookup(part.removesuffix("s"))))
        elif is_roman(part.upper()) and len(part) <= 4:
            spoken.append("-".join(part.upper()))  # "iv" in an address is letters, not four
        else:
            spoken.append(part)
    return " ".join(spoken)


def _url(match: re.Match, context: _Context) -> str:
    return _say_address(re.sub(r"^https?://", "", match.group(0)), context.lexicon)


def _email(match: re.Match, context: _Context) -> str:
    user, _, domain = match.group(0).partition("@")
    return f"{_say_address(user, context.lexicon)} at {_say_address(domain, context.lexicon)}"


def _date(match: re.Match, _: _Context) -> str:
    import datetime

    try:
        day = datetime.date.fromisoformat(match.group(0))
    except ValueError:
        return digits(match.group(0))
    return f"{day:%B} {num2words(day.day, to='ordinal')}, {num2words(day.year, to='year')}"


def is_day_first(language: str) -> bool:
    """Whether numeric dates in a guide of ``language`` give the day first (15/03/2026)."""
    return language.lower().replace("_", "-") not in MONTH_FIRST


def _numeric_date(match: re.Match, context: _Context) -> str:
    import datetime

    first, second, year = (int(part) for part in re.split(r"[/.]", match.group(0)))
    year += 2000 if year < 100 else 0
    day_first = context.day_first or first > 12 or match.group("date_mark") == "."
    day, month = (first, second) if day_first else (second, first)
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        *parts, _ = re.split(r"[/.]", match.group(0))
        return " slash ".join([*(num2words(int(part)) for part in parts), num2words(year, to="year")])
    day_words = num2words(date.day, to="ordinal")
    year_words = num2words(date.year, to="year")
    return f"the {day_words} of {date:%B}, {year_words}" if day_first else f"{date:%B} {day_words}, {year_words}"


def _ratio(match: re.Match, context: _Context) -> str:
    """A lab result's ratio ("a titer of 1:160") is "one to one hundred and sixty"."""
    low, high = match.group(0).split(":")
    before = re.findall(r"[^\W\d_]+", context.text[: match.start()])[-4:]
    if len(high) == 2 and not RATIO_WORDS & {word.lower() for word in before}:
        return _time(match, context)  # "1:30" is half past one
    return f"{num2words(int(low))} to {num2words(int(high))}"


def _temperature(match: re.Match, _: _Context) -> str:
    number = re.search(_NUMBER, match.group(0)).group(0)
    scale = match.group(0)[-1]
    low, high = TEMPERATURE_RANGES[scale]
    if "°" not in match.group(0) and not low <= float(number.replace(",", "")) <= high:
        return f"{number_words(number)} {scale}"  # "5 C" is not a temperature: a grade, a size
    degrees = "degree" if number in ("1", "1.0") else "degrees"
    return f"{number_words(number)} {degrees} {'Fahrenheit' if scale == 'F' else 'Celsius'}"


def _times(match: re.Match, _: _Context) -> str:
    """ "x2" after a dose: how many times it is given."""
    count = int(re.search(r"\d+", match.group(0)).group(0))
    return {1: "once", 2: "twice"}.get(count, f"{num2words(count)} times")


def _blank(match: re.Match, _: _Context) -> str:
    return "blank"  # a line to fill in: the listener hears that something goes there


def _phone(match: re.Match, _: _Context) -> str:
    """Digit by digit, in the groups it is written in: a listener can write it down."""
    groups = re.findall(r"\+?\d+", match.group(0))
    return ", ".join(("plus " if g.startswith("+") else "") + digits(g) for g in groups)


def _time(match: re.Match, _: _Context) -> str:
    found = re.match(r"(\d{1,2})(?::(\d{2}))?\s?(?:([aApP])\.?[mM]\.?)?", match.group(0))
    hour, minutes, half = int(found.group(1)), found.group(2), found.group(3)
    if hour > 12 and not half:
        # A patient hears "five P-M", not "seventeen hundred".
        hour, half = hour - 12, "p"
    words = num2words(hour)
    if minutes and minutes != "00":
        words += " " + (f"oh {num2words(int(minutes))}" if minutes.startswith("0") else num2words(int(minutes)))
    elif minutes and not half:
        words += " o'clock"
    if half:
        words += f" {half.upper()}-M"
    return words


def _range(match: re.Match, _: _Context) -> str:
    numbers = re.findall(_NUMBER, match.group(0))
    low, high = numbers[0], numbers[1]
    words = f"{number_words(low)} to {number_words(high)}"
    unit = match.group("range_unit")
    return f"{words} {unit_words(unit, high)}" if unit else words


def _quantity(match: re.Match, _: _Context) -> str:
    text = match.group(0)
    currency = text[0] if text[0] in "$£€" else ""
    number = re.search(_NUMBER, text).group(0)
    unit = match.group("unit")
    words = f"{number_words(number)} {unit_words(unit, number)}"
    if currency:
        words = f"{words} in {_CURRENCIES[currency][1]}"
    return words


_CURRENCIES = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros")}


def _money(match: re.Match, _: _Context) -> str:
    text = match.group(0)
    number = text[1:]
    singular, plural = _CURRENCIES[text[0]]
    return f"{number_words(number)} {plural if _is_plural(number) else singular}"


def _dose_schedule(match: re.Match, _: _Context) -> str:
    hours = int(match.group(0)[1:-1])
    return f"every {num2words(hours)} hours" if hours != 1 else "every hour"


def _ordinal(match: re.Match, _: _Context) -> str:
    return num2words(int(re.match(r"\d+", match.group(0)).group(0)), to="ordinal")


def _pressure(match: re.Match, _: _Context) -> str:
    """Blood pressure: "140/90" is "one hundred and forty over ninety"."""
    top, bottom = re.findall(r"\d+", match.group(0))
    return f"{num2words(int(top))} over {num2words(int(bottom))} millimeters of mercury"


def _fraction(match: re.Match, _: _Context) -> str:
    top, bottom = (int(x) for x in match.group(0).split("/"))
    if top >= bottom or bottom > 10:
        # A reading or a ratio, not a fraction a narrator would name: "120/80" is "120 over 80".
        return f"{num2words(top)} over {num2words(bottom)}"
    if bottom == 10:
        return f"{num2words(top)} out of ten"  # a score: "pain 7/10"
    singular, plural = FRACTIONS.get(bottom) or (num2words(bottom, to="ordinal"),) * 2
    return f"{num2words(top)} {singular if top == 1 else plural if bottom in FRACTIONS else plural + 's'}"


def _number(match: re.Match, _: _Context) -> str:
    number = match.group(0)
    plain = number.replace(",", "")
    if "," not in number and "." not in number and len(plain) >= 5:
        # A long run of digits is a code (a reference or record number): read it in groups.
        cuts = list(range(0, len(plain), 3))
        if len(plain) % 3 == 1:
            cuts.pop()  # no lone digit at the end: 10 digits are read 3, 3, 4
        return ", ".join(digits(plain[a:b]) for a, b in zip(cuts, [*cuts[1:], len(plain)], strict=True))
    if "," not in number and len(plain) == 4 and plain[:2] in ("19", "20"):
        return num2words(int(plain), to="year")
    return number_words(number)


def _abbreviation(match: re.Match, _: _Context) -> str:
    return ABBREVIATIONS[match.group(0)]


def _number_sign(match: re.Match, _: _Context) -> str:
    return "number"


def _word(match: re.Match, context: _Context) -> str:
    word = match.group(0)
    if is_roman(word) and _previous_word(context.text, match.start()).lower() in ROMAN_CONTEXT:
        return num2words(roman_value(word))
    respelled = _lexicon_word(word, context.lexicon)
    if respelled is not None:
        return respelled
    if word in ROUTES:
        following = re.match(r"\W*([^\W\d_]+)", context.text[match.end() :])
        after, before = ROUTES[word]
        return before if following and following.group(1).lower() in ROUTE_NOUNS else after
    if context.shouting and word.isupper():
        return word.lower()
    spelled = initialism(word)
    if spelled and word.isupper() and is_common_word(word):
        return word.lower()  # a word in capitals for emphasis ("STOP", "CALL"), not letters to spell
    return spelled or word


def is_common_word(word: str) -> bool:
    """Whether ``word`` (of letters) is a common English word, so capitals do not make it letters."""
    count = _word_counts().get(word.lower().replace("’", "'"), 0)
    return len(word) > 1 and word.isalpha() and count >= (COMMON_WORD_SHORT if len(word) <= 3 else COMMON_WORD_LONG)


@lru_cache(maxsize=1)
def _word_counts() -> dict[str, int]:
    """How often each English word occurs, from pyspellchecker's word list (loaded once, when needed)."""
    import gzip
    import json

    data = resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()
    return json.loads(gzip.decompress(data))


def _lexicon_word(word: str, lexicon: Lexicon) -> str | None:
    found = lexicon.lookup(word)
    if found is not None:
        return found
    base, apostrophe, suffix = word.replace("’", "'").rpartition("'")
    if apostrophe and suffix.lower() == "s":
        found = lexicon.lookup(base) or lexicon.lookup(word[: len(base)])
        if found is not None:
            return possessive(found)
    return None


def possessive(spoken: str) -> str:
    """The possessive of a lexicon entry; inside phoneme brackets, as the sound it makes."""
    if not (spoken.startswith("[[") and spoken.endswith("]]")):
        return f"{spoken}'s"
    phonemes = spoken[2:-2]
    if phonemes.endswith(("s", "z", "S", "Z")):
        ending = "Iz"
    elif phonemes.endswith(("p", "t", "k", "f", "T")):
        ending = "s"
    else:
        ending = "z"
    return f"[[{phonemes}{ending}]]"


def _previous_word(text: str, start: int) -> str:
    words = re.findall(r"[^\W\d_]+", text[:start])
    return words[-1] if words else ""


def is_roman(word: str) -> bool:
    return bool(re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", word)) and word != ""


def roman_value(word: str) -> int:
    total = 0
    for index, letter in enumerate(word):
        value = ROMAN_VALUES[letter]
        following = ROMAN_VALUES[word[index + 1]] if index + 1 < len(word) else 0
        total += -value if value < following else value
    return total


def initialism(word: str) -> str | None:
    """Letters to spell, hyphen-joined so the engine says letter names: IV → I-V, CD20 → C-D twenty.

    Spelled: all capitals (``SS``, ``IVs``), capitals mixed with small letters (``IgG``, ``IVIg``),
    and capitals with a number (``CD20``, ``B12``). Left alone: ordinary words, single letters,
    and anything longer than six letters (a word in capitals, not an initialism).
    """
    found = re.fullmatch(r"([A-Za-z]+?)(\d*)((?:'|’)?s)?", word)
    if found is None:
        return None
    letters, number, plural = found.groups()
    capitals = sum(ch.isupper() for ch in letters)
    spelled = (
        (letters.isupper() and len(letters) >= 2)
        or (capitals >= 2 and letters[0].isupper())
        or (number and letters.isupper())
    )
    if not spelled or len(letters) > 6 or (plural and not letters.isupper()):
        return None
    letters = letters.upper()
    if "A" in letters[1:]:
        # After another letter, a hyphen-joined A is read as the article "a": dots read as letters.
        spoken = "".join(f"{letter}." for letter in letters) + ("'s" if plural else "")
    else:
        spoken = "-".join(letters) + ("'s" if plural else "")
    return f"{spoken} {number_words(number)}" if number else spoken


def _dash(match: re.Match, _: _Context) -> str:
    return ", "


def _dash_range(match: re.Match, _: _Context) -> str:
    return " to "


def _symbol(match: re.Match, _: _Context) -> str:
    return f" {SYMBOLS[match.group(0)]} "


_HANDLERS: dict[str, Callable[[re.Match, _Context], str]] = {
    "url": _url,
    "email": _email,
    "date": _date,
    "numeric_date": _numeric_date,
    "ratio": _ratio,
    "phone": _phone,
    "time": _time,
    "temperature": _temperature,
    "times": _times,
    "range": _range,
    "quantity": _quantity,
    "dose_schedule": _dose_schedule,
    "ordinal": _ordinal,
    "pressure": _pressure,
    "fraction": _fraction,
    "money": _money,
    "number": _number,
    "abbreviation": _abbreviation,
    "number_sign": _number_sign,
    "word": _word,
    "dash_range": _dash_range,
    "dash": _dash,
    "blank": _blank,
    "symbol": _symbol,
}


# --- flags for proofing -----------------------------------------------------------------------

_VOWELS = set("aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûü")


def flags(page: str, lexicon: Lexicon, language: str = "en-US") -> list[Flag]:
    """What in ``page`` may still be said wrongly, for a clinician to check before handing out."""
    found: list[Flag] = []
    shouting = _is_shouting(page)
    text = " ".join(page.split())
    for match in TOKEN.finditer(text):
        date = match.group("numeric_date")
        first, second = (int(part) for part in re.split(r"[/.]", date)[:2]) if date else (0, 0)
        if date and first != second and first <= 12 and second <= 12 and match.group("date_mark") == "/":
            said = _numeric_date(match, _Context(text, lexicon, False, is_day_first(language)))
            found.append(
                Flag(date, f"read as {said} ({language} order); set 'language:' (en-US or en-GB) if that is wrong")
            )
        word = match.group("word")
        if word is None or word in ROUTES or _lexicon_word(word, lexicon) is not None:
            continue
        if initialism(word) and not shouting and not is_roman(word) and not (word.isupper() and is_common_word(word)):
            found.append(
                Flag(word, f"spelled as letters ({initialism(word)}); add it to a lexicon if it is said as a word")
            )
        elif re.fullmatch(r"\d+[A-Za-zµμ]+", word):
            found.append(Flag(word, "a number with a unit that is not recognised; write the unit out in full"))
        elif len(word) >= 2 and word.isalpha() and not _VOWELS & set(word):
            found.append(Flag(word, "no vowels: the engine will spell it out; write it in full or add it to a lexicon"))
    for match in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?)\s([A-Za-zµμ]{1,4})\b", page):
        unit = match.group(2)
        if unit not in UNITS and not _VOWELS & set(unit.lower()) and unit not in ("x", "F", "C", *ROUTES):
            found.append(
                Flag(match.group(0), "a number with a unit that is not recognised; write the unit out in full")
            )
    return found
