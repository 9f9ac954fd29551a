"""English speech preparation: the page text of an English guide to what a careful narrator says.

The engine reads what it is given literally and confidently: ``IV`` as "Roman four", ``5 mg`` as
"five M G", ``555-123-4567`` as a sum. Initialisms are therefore spelled with hyphens
(``I-V``), which eSpeak NG reads as letter names, and lexicon respellings are chosen by reading
eSpeak NG's own phoneme output for them (see ``tests/test_lexicon.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from num2words import num2words

from ...speech.lexicon import Lexicon, lexicon_word, possessive
from ...speech.rules import (
    Context,
    Flag,
    digit_groups,
    first,
    is_roman,
    pause,
    plain_word,
    symbol_words,
    word_flag,
)
from ..base import is_common_word as common_in

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
#: Abbreviations whose full stop pysbd takes for a sentence's end even when the sentence goes on.
NOT_SENTENCE_ENDS = re.compile(r"\b(?:approx|Dr|Mr|Mrs|Ms|Prof|ext|tel|No|vs|incl|min|max|hrs?|mins?)\.$")
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
        elif (entry := lexicon.lookup(part)) is not None:
            spoken.append(entry)
        elif (entry := lexicon.lookup(part.removesuffix("s"))) is not None:
            spoken.append(possessive(entry))
        elif is_roman(part.upper()) and len(part) <= 4:
            spoken.append("-".join(part.upper()))  # "iv" in an address is letters, not four
        else:
            spoken.append(part)
    return " ".join(spoken)


def _url(match: re.Match, context: Context) -> str:
    return _say_address(re.sub(r"^https?://", "", match.group(0)), context.lexicon)


def _email(match: re.Match, context: Context) -> str:
    user, _, domain = match.group(0).partition("@")
    return f"{_say_address(user, context.lexicon)} at {_say_address(domain, context.lexicon)}"


def _date(match: re.Match, _: Context) -> str:
    import datetime

    try:
        day = datetime.date.fromisoformat(match.group(0))
    except ValueError:
        return digits(match.group(0))
    return f"{day:%B} {num2words(day.day, to='ordinal')}, {num2words(day.year, to='year')}"


def _numeric_date(match: re.Match, context: Context) -> str:
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


def _ratio(match: re.Match, context: Context) -> str:
    """A lab result's ratio ("a titer of 1:160") is "one to one hundred and sixty"."""
    low, high = match.group(0).split(":")
    before = re.findall(r"[^\W\d_]+", context.text[: match.start()])[-4:]
    if len(high) == 2 and not RATIO_WORDS & {word.lower() for word in before}:
        return _time(match, context)  # "1:30" is half past one
    return f"{num2words(int(low))} to {num2words(int(high))}"


def _temperature(match: re.Match, _: Context) -> str:
    number = first(_NUMBER, match.group(0))
    scale = match.group(0)[-1]
    low, high = TEMPERATURE_RANGES[scale]
    if "°" not in match.group(0) and not low <= float(number.replace(",", "")) <= high:
        return f"{number_words(number)} {scale}"  # "5 C" is not a temperature: a grade, a size
    degrees = "degree" if number in ("1", "1.0") else "degrees"
    return f"{number_words(number)} {degrees} {'Fahrenheit' if scale == 'F' else 'Celsius'}"


def _times(match: re.Match, _: Context) -> str:
    """ "x2" after a dose: how many times it is given."""
    count = int(first(r"\d+", match.group(0)))
    return {1: "once", 2: "twice"}.get(count, f"{num2words(count)} times")


def _blank(match: re.Match, _: Context) -> str:
    return "blank"  # a line to fill in: the listener hears that something goes there


def _phone(match: re.Match, _: Context) -> str:
    return digit_groups(match.group(0), digits, "plus")


def _time(match: re.Match, _: Context) -> str:
    found = re.match(r"(\d{1,2})(?::(\d{2}))?\s?(?:([aApP])\.?[mM]\.?)?", match.group(0))
    assert found is not None  # the time token starts with its hour
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


def _range(match: re.Match, _: Context) -> str:
    numbers = re.findall(_NUMBER, match.group(0))
    low, high = numbers[0], numbers[1]
    words = f"{number_words(low)} to {number_words(high)}"
    unit = match.group("range_unit")
    return f"{words} {unit_words(unit, high)}" if unit else words


def _quantity(match: re.Match, _: Context) -> str:
    text = match.group(0)
    currency = text[0] if text[0] in "$£€" else ""
    number = first(_NUMBER, text)
    unit = match.group("unit")
    words = f"{number_words(number)} {unit_words(unit, number)}"
    if currency:
        words = f"{words} in {_CURRENCIES[currency][1]}"
    return words


_CURRENCIES = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros")}


def _money(match: re.Match, _: Context) -> str:
    text = match.group(0)
    number = text[1:]
    singular, plural = _CURRENCIES[text[0]]
    return f"{number_words(number)} {plural if _is_plural(number) else singular}"


def _dose_schedule(match: re.Match, _: Context) -> str:
    hours = int(match.group(0)[1:-1])
    return f"every {num2words(hours)} hours" if hours != 1 else "every hour"


def _ordinal(match: re.Match, _: Context) -> str:
    return num2words(int(first(r"^\d+", match.group(0))), to="ordinal")


def _pressure(match: re.Match, _: Context) -> str:
    """Blood pressure: "140/90" is "one hundred and forty over ninety"."""
    top, bottom = re.findall(r"\d+", match.group(0))
    return f"{num2words(int(top))} over {num2words(int(bottom))} millimeters of mercury"


def _fraction(match: re.Match, _: Context) -> str:
    top, bottom = (int(x) for x in match.group(0).split("/"))
    if top >= bottom or bottom > 10:
        # A reading or a ratio, not a fraction a narrator would name: "120/80" is "120 over 80".
        return f"{num2words(top)} over {num2words(bottom)}"
    if bottom == 10:
        return f"{num2words(top)} out of ten"  # a score: "pain 7/10"
    singular, plural = FRACTIONS.get(bottom) or (num2words(bottom, to="ordinal"),) * 2
    return f"{num2words(top)} {singular if top == 1 else plural if bottom in FRACTIONS else plural + 's'}"


def _number(match: re.Match, _: Context) -> str:
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


def _abbreviation(match: re.Match, _: Context) -> str:
    return ABBREVIATIONS[match.group(0)]


def _number_sign(match: re.Match, _: Context) -> str:
    return "number"


def _word(match: re.Match, context: Context) -> str:
    word = match.group(0)
    if word in ROUTES and lexicon_word(word, context.lexicon) is None:
        following = re.match(r"\W*([^\W\d_]+)", context.text[match.end() :])
        after, before = ROUTES[word]
        return before if following and following.group(1).lower() in ROUTE_NOUNS else after
    read = plain_word(
        match, context, roman_context=ROMAN_CONTEXT, number=num2words, initialism=initialism, common=is_common_word
    )
    return word if read is None else read


def is_common_word(word: str) -> bool:
    """Whether ``word`` (of letters) is a common English word, so capitals do not make it letters."""
    return common_in(word, "en")


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


def _dash_range(match: re.Match, _: Context) -> str:
    return " to "


HANDLERS: dict[str, Callable[[re.Match, Context], str]] = {
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
    "dash": pause,
    "blank": _blank,
    "symbol": symbol_words(SYMBOLS),
}


# --- flags for proofing -----------------------------------------------------------------------

_VOWELS = set("aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûü")


def flags(text: str, context: Context, language: str) -> list[Flag]:
    """What in ``text`` may still be said wrongly, for a clinician to check before handing out."""
    found: list[Flag] = []
    lexicon = context.lexicon
    for match in TOKEN.finditer(text):
        date = match.group("numeric_date")
        first, second = (int(part) for part in re.split(r"[/.]", date)[:2]) if date else (0, 0)
        if date and first != second and first <= 12 and second <= 12 and match.group("date_mark") == "/":
            said = _numeric_date(match, context)
            found.append(
                Flag(date, f"read as {said} ({language} order); set 'language:' (en-US or en-GB) if that is wrong")
            )
        word = match.group("word")
        if word is None or word in ROUTES or lexicon_word(word, lexicon) is not None:
            continue
        flag = word_flag(word, context, initialism=initialism, common=is_common_word, vowels=_VOWELS)
        if flag is not None:
            found.append(flag)
        elif re.fullmatch(r"\d+[A-Za-zµμ]+", word):
            found.append(Flag(word, "a number with a unit that is not recognised; write the unit out in full"))
    for match in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?)\s([A-Za-zµμ]{1,4})\b", text):
        unit = match.group(2)
        if unit not in UNITS and not _VOWELS & set(unit.lower()) and unit not in ("x", "F", "C", *ROUTES):
            found.append(
                Flag(match.group(0), "a number with a unit that is not recognised; write the unit out in full")
            )
    return found
