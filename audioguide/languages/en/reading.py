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
    SHARED_TOKENS,
    VANITY_PHONE,
    Context,
    Flag,
    address_word,
    digit_groups,
    first,
    not_spoken,
    parenthesis,
    pause,
    plain_word,
    symbol_words,
    vanity_phone,
    word_flag,
    year_span,
)
from ..base import is_common_word as common_in
from ..base import is_known_word
from . import LANGUAGE

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
    "µL": ("microliter", "microliters"),
    "μL": ("microliter", "microliters"),
    "mcL": ("microliter", "microliters"),
    "uL": ("microliter", "microliters"),
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
NOT_SENTENCE_ENDS = re.compile(
    r"\b(?:approx|Dr|Mr|Mrs|Ms|Prof|ext|tel|No|vs|incl|min|max|hrs?|mins?"
    # Streets, months and days shortened: "810 Vermont Ave. NW", "Sept. 9", "Mon. to Fri.".
    r"|Ave|Rd|St|Blvd|Ln|Ct|Pl|Pkwy|Hwy|Sq|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu"
    r"|Thur|Thurs|Fri|Sat)\.$"
)
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
    "OK": "okay",
    "ok": "okay",
    "Ok": "Okay",
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
    "↑": "increased",
    "↓": "decreased",
    "=": "equals",
    "≈": "about",
    "~": "about",
    "@": "at",
    "#": "number",
    "°": "degrees",
    "/": "or",
    "$": "dollars",
    "%": "percent",
    "£": "pounds",
    "€": "euros",
    " / ": "or",
    "©": "copyright",
    "§": "section",
}
#: A Roman numeral after one of these words is a number: "type II", "Chapter IV", "stage III".
ROMAN_CONTEXT = {
    "type", "stage", "phase", "class", "grade", "part", "chapter", "schedule", "book", "section",
    "volume", "level", "step", "appendix", "factor", "unit", "lesson", "trial",
}  # fmt: skip
FRACTIONS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
LETTER_DIGITS = {"0": "zero", **{str(d): num2words(d) for d in range(1, 10)}}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
#: Month names as leaflets shorten them ("Sept." and "Sep"), each to its full name.
MONTH_NAMES = {
    **{month: month for month in MONTHS},
    **{month[:3]: month for month in MONTHS if month != "May"},
    "Sept": "September",
}
#: Days of the week, whole or shortened ("Mon–Fri", "Tue", "Thurs"), each to its full name.
WEEKDAYS = {
    day[:length]: day
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    for length in (3, 4, 5, len(day))
    if day[:length] not in ("Thu", "Sat", "Sun") or length == 3
}
#: Numbers a service answers at, said digit by digit ("call nine nine nine"): emergency and
#: non-emergency lines, crisis lines, information lines.
SERVICE_NUMBERS = {"911", "999", "111", "112", "988", "000", "101", "119", "211", "311", "411", "511", "711", "811"}
#: Things a service number could count instead ("999 patients"): then it is a number.
COUNTED = {
    "people", "patients", "cases", "deaths", "children", "adults", "women", "men", "days", "weeks", "months", "years",
    "hours", "minutes", "doses", "times", "calls", "beds", "staff", "nurses", "doctors", "pages", "words", "miles",
}  # fmt: skip
#: Time zones after a time ("8:00 p.m. (ET)"), as a narrator says them.
TIME_ZONES = {
    "ET": "Eastern Time", "EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time", "CT": "Central Time",
    "CST": "Central Standard Time", "CDT": "Central Daylight Time", "MT": "Mountain Time", "PT": "Pacific Time",
    "PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time", "GMT": "G-M-T", "BST": "British Summer Time",
    "UTC": "U-T-C", "AEST": "Australian Eastern Standard Time",
}  # fmt: skip
#: Labels whose number is a name, said the way people say house numbers ("Form 2346" is "Form
#: twenty-three forty-six", "Room 117B" "Room one seventeen B").
NAME_LABELS = {
    "Form", "form", "Room", "room", "Suite", "suite", "Ste", "Apt", "Unit", "Building", "Bldg", "Ward", "ward",
    "Floor", "Bay", "Bed", "bed", "Gate", "Bus", "bus", "Route", "Exit", "Highway", "Hwy", "Door", "Clinic", "Service",
}  # fmt: skip
#: Labels whose number is a code, said digit by digit ("PO Box 25166", "ISBN 978-0-…").
CODE_LABELS = {"Box", "box", "Bag", "ISBN", "ZIP", "Zip", "PIN", "pin", "Code", "code", "PMID"}
#: Street types after a street's name, as written on an envelope, each to what a narrator says.
STREET_TYPES = {
    "Street": "Street", "St": "Street", "Avenue": "Avenue", "Ave": "Avenue", "Av": "Avenue", "Road": "Road",
    "Rd": "Road", "Boulevard": "Boulevard", "Blvd": "Boulevard", "Drive": "Drive", "Dr": "Drive", "Lane": "Lane",
    "Ln": "Lane", "Way": "Way", "Court": "Court", "Ct": "Court", "Place": "Place", "Pl": "Place",
    "Parkway": "Parkway", "Pkwy": "Parkway", "Highway": "Highway", "Hwy": "Highway", "Circle": "Circle",
    "Cir": "Circle", "Square": "Square", "Sq": "Square", "Terrace": "Terrace", "Pike": "Pike", "Crescent": "Crescent",
    "Close": "Close", "Trail": "Trail", "Plaza": "Plaza", "Pkway": "Parkway",
}  # fmt: skip
COMPASS_POINTS = {"N": "North", "S": "South", "E": "East", "W": "West", "NE": "Northeast", "NW": "Northwest",
                  "SE": "Southeast", "SW": "Southwest"}  # fmt: skip
#: The US states' and territories' postal abbreviations, each as a narrator says it where it can only be
#: the state: its name ("Atlanta, GA 30329" is "Atlanta, Georgia, …"); DC as its letters, as people say it.
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "DC": "D-C", "PR": "Puerto Rico", "GU": "Guam",
    "VI": "U-S Virgin Islands", "AS": "American Samoa", "MP": "Northern Mariana Islands",
}  # fmt: skip
#: Postal abbreviations of the US states and territories, and Australia's states: a code of digits
#: after one is a postal code, said digit by digit.
REGIONS = {*US_STATES, "ACT", "NSW", "NT", "QLD", "Qld", "SA", "TAS", "Tas", "VIC", "Vic"}
#: Australian states written as short words, each as a narrator says it.
REGION_NAMES = {"Qld": "Queensland", "Vic": "Victoria", "Tas": "Tasmania"}
#: Limits before a number, in full: "Max 4 times in 24 hours".
LIMITS = {"Max": "maximum", "max": "maximum", "Min": "minimum"}
#: Top-level domains and parts of web addresses that are said as words, not letters.
ADDRESS_WORDS = {"gov", "org", "com", "net", "edu", "int", "mil", "info", "health", "www"}

# --- the token pattern ------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_UNIT = rf"(?:{_alternation(UNITS)})(?:/(?:{_alternation(PER_UNITS)}))*"
_UNIT_END = r"(?![\w°%])"
_URL_END = r"[^\s<>()\[\]{}.,;:!?'\"’”]"
_TLD = r"com|org|net|gov|edu|info|health|uk|ca|au|ie|nz|us|eu|io|me"
_MONTH = _alternation(MONTH_NAMES)
_WEEKDAY = _alternation(WEEKDAYS)
_TIME = r"\d{1,2}(?::\d{2})?\s?[aApP]\.?[mM]\.?(?!\w)|\d{1,2}:\d{2}"
TOKEN = re.compile(
    "|".join(
        [
            *SHARED_TOKENS,
            rf"(?P<url>(?:https?://|www\.)[^\s<>()\[\]{{}}]*{_URL_END}"
            rf"|\b[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.(?:{_TLD})\b(?:/[^\s<>()]*{_URL_END})?)",
            r"(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)",
            r"(?P<date>\b\d{4}-\d{2}-\d{2}\b)",
            # A date with its month named, in either order: "January 1, 2019", "1st Sept. 2025", "15 April".
            rf"(?P<month_date>\b(?P<md_month>{_MONTH})\.?\s(?P<md_day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s(?P<md_year>\d{{4}})\b)?"
            rf"|\b(?P<dm_day>\d{{1,2}})(?:st|nd|rd|th)?(?:\sof)?\s(?P<dm_month>{_MONTH})\b\.?(?:,?\s(?P<dm_year>\d{{4}})\b)?)",
            r"(?P<numeric_date>\b\d{1,2}(?P<date_mark>[/.])\d{1,2}(?P=date_mark)(?:\d{4}|\d{2})\b(?![/.]\d))",
            r"(?P<ratio>\b1:\d{2,5}\b(?!:|\s?[aApP]\.?[mM]\b))",
            rf"(?P<vanity_phone>{VANITY_PHONE})",
            r"(?P<extension>\b(?:ext\.?|Ext\.?|extension|x)\s?(?P<extension_number>\d{2,6})\b(?!\^))",
            r"(?P<phone>(?<![\w.,+-])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,5}){1,4}"
            r"|\(\d{2,5}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}|(?:1[\s.-])?\d{3}[.-]\d{3}[.-]\d{4}"
            # A national number (UK 0800 5200 520, 020 7946 0958) has 10 or 11 digits in all.
            r"|0\d{2,4}[\s-]\d{3}[\s-]?\d{3,4}|(?=0(?:[\s-]?\d){9,10}(?!\d))0\d{2,4}(?:[\s-]\d{2,4}){1,3}"
            r"|(?:1\s)?\d{3}\s\d{3}\s\d{4}"
            r"|\d{3}-\d{4})(?![\w-]|[.,]\d))",
            rf"(?P<service_number>(?<![\w.,$£€-])(?:{'|'.join(SERVICE_NUMBERS)})(?![\w,/:-]|[.,]\d|\s?[%°º]|\s?(?:{_alternation(UNITS)})\b))",
            # Opening hours: a time or a day, a dash, another ("9am–1pm", "Tue–Thu").
            rf"(?P<time_range>\b(?:{_TIME})\s?[-–—]\s?(?:{_TIME})|\b(?:{_WEEKDAY})\.?\s?[-–—]\s?(?:{_WEEKDAY})\b\.?)",
            r"(?P<time>\b\d{1,2}:\d{2}(?:\s?[aApP]\.?[mM]\.?(?![\w]))?|\b\d{1,2}\s?[aApP]\.?[mM]\.?(?!\w))",
            rf"(?P<abbreviation>(?<![\w.])(?:{_alternation(ABBREVIATIONS)})(?![\w]))",
            # A house number before a street's name and type: "810 Vermont Ave. NW", "2150 Elm Street".
            rf"(?P<address>\b(?P<house>\d{{1,5}}[A-Z]?)\s(?P<street>(?:[A-Z][\w'’-]*\s){{1,3}})"
            rf"(?P<street_type>{_alternation(STREET_TYPES)})\b\.?(?:\s(?P<compass>NW|NE|SW|SE|N|S|E|W)\b\.?)?)",
            # A US state as a citation's place of publication, before the publisher: "Bethesda, MD: National
            # Cancer Institute", "Bethesda (MD): National Library of Medicine (US)". Never a person's
            # credential ("Carolyn B. Bridges, MD;"): the place opens the citation's part, its state the colon.
            rf"(?P<publisher_place>(?:^|(?<=\.\s))(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}})"
            rf"(?:,\s(?P<place_state>{_alternation(US_STATES)})|\s\((?P<paren_state>{_alternation(US_STATES)})\))(?=:\s))",
            # A postal code after a state: "Denver, CO 80225-0166", "Canberra ACT 2601".
            rf"(?P<postcode>\b(?P<region>{_alternation(REGIONS)})\s(?P<code>\d{{4,5}}(?:-\d{{4}})?)\b)",
            # A code after its label: "VA Form 10-10EC", "Room 117B", "PO Box 25166", "ISBN 978-0-9924971-9-4".
            rf"(?P<labelled_code>\b(?P<label>{_alternation(NAME_LABELS | CODE_LABELS)})\s?:?\s(?P<code_text>"
            rf"\d[\dA-Z]*(?:-[\dA-Z]+)*)(?![\w-]|[.,]\d))",
            rf"(?P<temperature>(?<![\w.]){_NUMBER}\s?(?:°\s?[CF]|[CF])(?![\w°]))",
            # A power of ten, as a count is given: "150 x 10^9/L" (written "10⁹/L" on the page).
            rf"(?P<power>(?:(?<![\w.])[x×]\s?)?(?<![\d.,])10\^(?P<exponent>\d{{1,2}})(?:/(?P<power_per>{_alternation(PER_UNITS)}))?"
            r"(?![\w/]))",
            r"(?P<times>(?<![\w.])[x×]\s?\d{1,2}\b(?![.,]\d))",
            # A reference in a reference list, year;volume(issue):pages: "BMJ 2021;372:n71", "2019;15(3):12-19".
            r"(?P<reference>\b(?P<ref_year>(?:19|20)\d\d);\s?(?P<ref_volume>\d{1,4})(?:\((?P<ref_issue>\d{1,4})\))?"
            r":\s?(?P<ref_pages>[A-Za-z]?\d+(?:[-–][A-Za-z]?\d+)?))",
            # A British postcode: "SW1A 2AA", "M1 1AE".
            r"(?P<uk_postcode>\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b)",
            # A word in capitals joined to others by hyphens: "POST-OP", "NON-URGENT", "ANTI-TNF".
            r"(?P<capital_compound>\b[A-Z]{2,}(?:-[A-Z]{2,})+\b)",
            # A span of years, the second cut short: "2020-21", "2009–10".
            r"(?P<year_range>\b(?P<first_year>(?:19|20)\d\d)[-–/](?P<second_year>\d\d)\b(?![\d/-]))",
            # A range's second number is whole: "1–1½" ends in "one and a half" (a mixed fraction), not "one".
            rf"(?P<range>(?<![\w.]){_NUMBER}\s?(?:-|–|—)\s?(?:{_NUMBER})(?!\s[1-9]/[2-9](?![\w/]))"
            rf"(?:\s?(?P<range_unit>{_UNIT}){_UNIT_END}|(?![\w-])))",
            # An abbreviated unit's full stop inside a sentence ("5 min. to rest") is not its end.
            # A strength: one quantity per another ("120mg/5ml").
            rf"(?P<strength>(?<![\w.])(?P<strength_amount>{_NUMBER}\s?(?:{_alternation(UNITS)}))/"
            rf"(?P<strength_volume>{_NUMBER}\s?(?:{_alternation(UNITS)})){_UNIT_END})",
            rf"(?P<quantity>(?<![\w.])[$£€]?(?:{_NUMBER})\s?(?P<unit>{_UNIT}){_UNIT_END}(?:\.(?=\s+[a-z]))?)",
            r"(?P<pressure>\b\d{2,3}/\d{2,3}\s?mmHg\b)",
            r"(?P<number_sign>\b[Nn]o\.(?=\s?\d))",
            r"(?P<dose_schedule>\b[qQ]\d{1,2}[hH]\b)",
            r"(?P<ordinal>\b\d+(?:st|nd|rd|th)\b)",
            # A number with a letter, naming something: "Service 117B", "Ward 4C".
            r"(?P<named_number>\b\d{1,4}[A-Z]\b)",
            r"(?P<mixed_fraction>(?<![\w/.])(?P<whole>\d{1,3})\s(?P<part>[1-9]/[2-9])(?![\w/]))",
            # A count per a unit: "20,000/mcL", "3/day".
            rf"(?P<per>(?<![\w./]){_NUMBER}\s?/\s?(?P<per_unit>{_alternation(PER_UNITS)})(?![\w/]))",
            r"(?P<fraction>(?<![\w/])\d{1,3}/\d{1,3}(?![\w/]))",
            # A unit on its own, after its name ("(mg/dL)"): said as the unit.
            rf"(?P<bare_unit>(?<![\w/])(?:{_alternation(UNITS)})/(?:{_alternation(PER_UNITS)})(?![\w/]))",
            rf"(?P<money>[$£€]\s?(?:{_NUMBER}))",
            rf"(?P<number>(?<![\w.]){_NUMBER}(?![\d]))",
            r"(?P<code_list>\b[A-Z][A-Za-z0-9]*(?:/[A-Z][A-Za-z0-9]*)+\b)",
            r"(?P<word>[^\W\d_][\w]*(?:['’][^\W\d_]+)*|\d+[A-Za-z][\w]*)",
            r"(?P<dash_range>(?<=\d)[–—](?=\d))",
            r"(?P<dash>\s?[–—]\s?)",
            r"(?P<approximate>(?<=\d)\s?[~→]\s?(?=\d))",
            r"(?P<symbol>[&+±≥≤×→⇒↑↓=≈@#°©§]|(?<=\s)[~<>](?=\s?\d)|(?<=\w)/(?=[^\W\d])|\s/\s|[<>~$%£€/])",
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
        else:
            spoken.append(address_word(part, is_common_word, ADDRESS_WORDS))
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


def _quantity(match: re.Match, context: Context) -> str:
    text = match.group(0)
    currency = text[0] if text[0] in "$£€" else ""
    number = first(_NUMBER, text)
    unit = match.group("unit")
    # Before its noun a quantity is an adjective, its unit singular: "a 5ml dose", "a sixty milligram suppository".
    attributive = re.search(r"\b(?:a|an|A|An)\s$", context.text[: match.start()]) and re.match(
        r"\s+[a-z]", context.text[match.end() :]
    )
    words = f"{number_words(number)} {unit_words(unit, '1' if attributive else number)}"
    if currency:
        words = f"{words} in {_CURRENCIES[currency][1]}"
    return words


_CURRENCIES = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros")}


#: What a currency's hundredths are called.
_CENTS = {"$": ("cent", "cents"), "£": ("penny", "pence"), "€": ("cent", "cents")}


def _money(match: re.Match, _: Context) -> str:
    """ "$272.80" is "two hundred and seventy-two dollars and eighty cents", as a cashier says it."""
    text = match.group(0)
    amount = text[1:].strip()
    whole, point, hundredths = amount.replace(",", "").partition(".")
    singular, plural = _CURRENCIES[text[0]]
    if point and len(hundredths) != 2:
        return f"{number_words(amount)} {plural}"
    words = f"{number_words(whole)} {plural if _is_plural(whole) else singular}"
    if not point or int(hundredths) == 0:
        return words
    cent, cents = _CENTS[text[0]]
    change = f"{num2words(int(hundredths))} {cent if hundredths == '01' else cents}"
    return change if whole == "0" else f"{words} and {change}"


def _per(match: re.Match, _: Context) -> str:
    return f"{number_words(first(_NUMBER, match.group(0)))} per {PER_UNITS[match.group('per_unit')]}"


def _power(match: re.Match, _: Context) -> str:
    """ "x 10^9/L" is "times ten to the ninth per liter", as a blood count is read out."""
    times = "times " if match.group(0)[0] in "x×" else ""
    per = match.group("power_per")
    return f"{times}ten to the {num2words(int(match.group('exponent')), to='ordinal')}" + (
        f" per {PER_UNITS[per]}" if per else ""
    )


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
    return _fraction_words(top, bottom)


def _fraction_words(top: int, bottom: int) -> str:
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
    return read_word(match.group(0), match.start(), match.end(), context)


def read_word(word: str, start: int, end: int, context: Context) -> str:
    """A word as an English narrator reads it, from what is around it (``start`` and ``end`` in ``context.text``)."""
    following = context.text[end:]
    if word == "PO" and re.match(r"\s+Box\b", following):
        return "P-O"  # a post office box, not a dose by mouth
    if word in ROUTES and lexicon_word(word, context.lexicon) is None:
        noun = re.match(r"\W*([^\W\d_]+)", following)
        after, before = ROUTES[word]
        return before if noun and noun.group(1).lower() in ROUTE_NOUNS else after
    if word in TIME_ZONES and re.search(rf"(?:{_TIME})\s*\(?$", context.text[:start]):
        return TIME_ZONES[word]
    if word in LIMITS and re.match(r"\s+\d", following):
        return LIMITS[word]  # "Max 4 times in 24 hours"
    if word in REGION_NAMES:
        return REGION_NAMES[word]
    cited = re.fullmatch(r"([a-z]{3,})(\d{1,3})", word)
    if cited and is_known_word(cited.group(1), "en"):
        return cited.group(1)  # a reference's number printed small after a word: "deficiency¹"
    if re.fullmatch(r"[B-DF-HJ-NP-TV-XZ][b-df-hj-np-tv-xz]", word):
        return "-".join(word.upper())  # no vowel to say it by: "Rx", "Dx" are letters
    read = plain_word(
        word, start, context, roman_context=ROMAN_CONTEXT, number=num2words, initialism=initialism,
        common=is_common_word, said_as_words=LANGUAGE.said_as_words,
    )  # fmt: skip
    return word if read is None else read


def _code_list(match: re.Match, context: Context) -> str:
    """Codes with slashes between them ("DTaP/IPV/Hib/HepB") are a list, read with a pause between items."""
    items, position = [], match.start()
    for item in match.group(0).split("/"):
        items.append(read_word(item, position, position + len(item), context))
        position += len(item) + 1
    return ", ".join(items)


def is_common_word(word: str) -> bool:
    """Whether ``word`` (of letters) is a common English word, so capitals do not make it letters."""
    return common_in(word, "en")


def initialism(word: str) -> str | None:
    """Letters to spell, hyphen-joined so the engine says letter names: IV → I-V, CD20 → C-D twenty.

    Spelled: all capitals (``SS``, ``IVs``), capitals mixed with small letters (``IgG``, ``IVIg``),
    and capitals with a number (``CD20``, ``B12``). Left alone: ordinary words, single letters,
    and anything longer than six letters (a word in capitals, not an initialism).
    """
    if word.islower():
        return None  # the common case, and never letters: an initialism has a capital
    found = re.fullmatch(r"([A-Za-z]+?)(\d*)((?:'|’)?s)?", word)
    if found is None:
        return None
    letters, number, plural = found.groups()
    capitals = sum(ch.isupper() for ch in letters)
    spelled = (
        (letters.isupper() and len(letters) >= 2)
        or (capitals >= 2 and letters[0].isupper())
        or (number and letters.isupper())
        # Capitals after small letters are a code too: "mRNA", "ccIIV3".
        or bool(re.fullmatch(r"[a-z]{1,3}[A-Z]{2,}", letters))
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


def _month_date(match: re.Match, _: Context) -> str:
    """A date with its month named, read in the order the page writes it, the day as an ordinal:
    "January 1, 2019" is "January first, twenty nineteen"; "31 March 2025" "the thirty-first of March, …"."""
    month_first = match.group("md_month") is not None
    month = MONTH_NAMES[match.group("md_month" if month_first else "dm_month")]
    day = int(match.group("md_day" if month_first else "dm_day"))
    year = match.group("md_year" if month_first else "dm_year")
    year_words = f", {num2words(int(year), to='year')}" if year else ""
    if not 1 <= day <= 31:
        return f"{month} {num2words(day)}{year_words}"
    ordinal = num2words(day, to="ordinal")
    return (f"{month} {ordinal}" if month_first else f"the {ordinal} of {month}") + year_words


def _vanity_phone(match: re.Match, _: Context) -> str:
    return vanity_phone(match.group(0), digits, "plus")


def _extension(match: re.Match, _: Context) -> str:
    return f"extension {digits(match.group('extension_number'))}"


def _service_number(match: re.Match, context: Context) -> str:
    """An emergency or service line ("call 999", "NHS 111") digit by digit; a count of things ("111
    patients") as a number."""
    counted = re.match(r"\s+([a-z]+)\b", context.text[match.end() :])
    if counted and counted.group(1) in COUNTED:
        return number_words(match.group(0))
    return digits(match.group(0))


def _time_range(match: re.Match, context: Context) -> str:
    """Opening hours: "9am–1pm" is "nine A-M to one P-M", "Mon–Fri" "Monday to Friday"."""
    first_part, last_part = re.split(r"\s?[-–—]\s?", match.group(0), maxsplit=1)
    return f"{_hour_or_day(first_part, context)} to {_hour_or_day(last_part, context)}"


def _hour_or_day(text: str, context: Context) -> str:
    day = text.rstrip(".")
    if day in WEEKDAYS:
        return WEEKDAYS[day]
    found = re.match(r".*", text)
    assert found is not None
    return _time(found, context)


def _address(match: re.Match, _: Context) -> str:
    """A street address as it is said: "810 Vermont Ave. NW" is "eight ten Vermont Avenue Northwest"."""
    compass = match.group("compass")
    street = f"{match.group('street')}{STREET_TYPES[match.group('street_type')]}"
    words = f"{name_number(match.group('house'))} {street}"
    return f"{words} {COMPASS_POINTS[compass]}" if compass else words


def _postcode(match: re.Match, _: Context) -> str:
    """A postal code after its state, digit by digit: "CO 80225-0166" is "Colorado, eight zero two two five,
    zero one six six". A US state is said by its name before a ZIP code of five digits; an Australian
    state's four-digit postcode keeps its letters ("Canberra ACT 2601", "Perth WA 6000")."""
    region, code = match.group("region"), match.group("code")
    us_zip = re.match(r"\d{5}\b", code) is not None
    said = (us_zip and US_STATES.get(region)) or REGION_NAMES.get(region) or initialism(region) or region
    return f"{said}, {digit_groups(code, digits, 'plus')}"


def _publisher_place(match: re.Match, context: Context) -> str:
    """A citation's place of publication, its state by name: "Bethesda, MD:" and "Bethesda (MD):" are
    "Bethesda, Maryland:"."""
    position, words = match.start("place"), []
    for word in match.group("place").split():
        words.append(read_word(word, position, position + len(word), context))
        position += len(word) + 1
    return f"{' '.join(words)}, {US_STATES[match.group('place_state') or match.group('paren_state')]}"


def _labelled_code(match: re.Match, _: Context) -> str:
    """A code after its label, as people read one: a form or a room by its number's name ("Form
    twenty-three forty-six"), a box or an ISBN digit by digit; its letters as letters."""
    label, code = match.group("label"), match.group("code_text")
    by_digits = label in CODE_LABELS
    parts = []
    for run in re.findall(r"\d+|[A-Z]+", code):
        if run.isdigit():
            parts.append(digits(run) if by_digits else name_number(run))
        else:
            parts.append("-".join(run))
    separator = ", " if by_digits else " "
    return f"{initialism(label) or label} {separator.join(parts)}"


def name_number(number: str) -> str:
    """A number that names something (a house, a form, a room), as people say one: in pairs of
    digits ("2150" is "twenty-one fifty", "810" "eight ten", "1600" "sixteen hundred"); a long one
    digit by digit; a letter after it as a letter ("117B" is "one seventeen B")."""
    found = re.fullmatch(r"(\d+)([A-Z]?)", number)
    if found is None:
        return number
    figures, letter = found.groups()
    value = int(figures)
    if figures.startswith("0") or len(figures) > 4:
        words = digits(figures)
    elif len(figures) <= 2:
        words = num2words(value)
    elif len(figures) == 3:
        rest = figures[1:]
        tail = "hundred" if rest == "00" else f"oh {num2words(int(rest))}" if rest[0] == "0" else num2words(int(rest))
        words = f"{num2words(int(figures[0]))} {tail}"
    else:
        words = num2words(value, to="year")
    return f"{words} {letter}" if letter else words


def _year_range(match: re.Match, _: Context) -> str:
    """ "2020-21" is "twenty twenty to twenty twenty-one": the second year in full."""
    first_year, second_year = year_span(match)
    return f"{num2words(first_year, to='year')} to {num2words(second_year, to='year')}"


def _strength(match: re.Match, _: Context) -> str:
    """A strength, an amount in a volume: "120mg/5ml" is "one hundred and twenty milligrams per five milliliters"."""
    return f"{_spoken_quantity(match.group('strength_amount'))} per {_spoken_quantity(match.group('strength_volume'))}"


def _spoken_quantity(text: str) -> str:
    number = first(_NUMBER, text)
    unit = text[text.index(number) + len(number) :].strip()
    return f"{number_words(number)} {unit_words(unit, number)}"


def _mixed_fraction(match: re.Match, _: Context) -> str:
    """ "1 1/2" is "one and a half"."""
    top, bottom = (int(x) for x in match.group("part").split("/"))
    whole = num2words(int(match.group("whole")))
    if top == 1 and bottom in FRACTIONS:
        return f"{whole} and a {FRACTIONS[bottom][0]}"
    return f"{whole} and {_fraction_words(top, bottom)}"


def _reference(match: re.Match, _: Context) -> str:
    """A journal reference read as its parts: "2021;372:n71" is "twenty twenty-one, volume three
    hundred and seventy-two, page N seventy-one"."""
    words = f"{num2words(int(match.group('ref_year')), to='year')}, volume {number_words(match.group('ref_volume'))}"
    if match.group("ref_issue"):
        words += f", issue {number_words(match.group('ref_issue'))}"
    pages = [_page(page) for page in re.split(r"[-–]", match.group("ref_pages"))]
    return f"{words}, {'pages ' + ' to '.join(pages) if len(pages) > 1 else 'page ' + pages[0]}"


def _page(page: str) -> str:
    """A page, or an article's number, of a reference: "12", "n71" ("N seventy-one")."""
    if page[0].isalpha():
        return f"{page[0].upper()} {number_words(page[1:])}"
    return number_words(page)


def _uk_postcode(match: re.Match, _: Context) -> str:
    """A postcode character by character, in its two halves: "SW1A 2AA" is "S W one A, two A A"."""
    return ", ".join(" ".join(digits(ch) if ch.isdigit() else ch for ch in half) for half in match.group(0).split())


#: Words in capitals that start a hyphenated word, read as words: "POST-OP" is "post-op", not "post O-P".
CAPITAL_PREFIXES = {"POST", "PRE", "NON", "ANTI", "SELF", "CO", "RE", "SEMI", "MULTI", "OVER", "UNDER", "OUT", "SUB"}
#: Words cut short that follow a prefix: "OP" in "POST-OP" is "op".
CLIPPED_WORDS = {"OP", "OPS", "MED", "MEDS"}


def _capital_compound(match: re.Match, context: Context) -> str:
    parts = match.group(0).split("-")
    if parts[0] in CAPITAL_PREFIXES:
        return "-".join(part.lower() if part in CLIPPED_WORDS or is_common_word(part) or part in CAPITAL_PREFIXES
                        else read_word(part, match.start(), match.end(), context) for part in parts)  # fmt: skip
    position, said = match.start(), []
    for part in parts:
        said.append(read_word(part, position, position + len(part), context))
        position += len(part) + 1
    return "-".join(said)


def _approximate(match: re.Match, _: Context) -> str:
    """A tilde or an arrow between two numbers is a range: "2~4 days" is "two to four days"."""
    return " to "


def _list_slash(match: re.Match, _: Context) -> str:
    """A slash between codes ("DTaP/IPV/Hib") separates items: a pause, not "or"."""
    return ", "


HANDLERS: dict[str, Callable[[re.Match, Context], str]] = {
    "citation": not_spoken,
    "template": _blank,
    "mark": not_spoken,
    "separator": pause,
    "bracket": parenthesis,
    "url": _url,
    "email": _email,
    "date": _date,
    "month_date": _month_date,
    "vanity_phone": _vanity_phone,
    "extension": _extension,
    "service_number": _service_number,
    "time_range": _time_range,
    "address": _address,
    "publisher_place": _publisher_place,
    "postcode": _postcode,
    "labelled_code": _labelled_code,
    "year_range": _year_range,
    "strength": _strength,
    "mixed_fraction": _mixed_fraction,
    "approximate": _approximate,
    "code_list": _code_list,
    "bare_unit": lambda match, _: unit_words(match.group(0), "2"),
    "reference": _reference,
    "uk_postcode": _uk_postcode,
    "capital_compound": _capital_compound,
    "named_number": lambda match, _: name_number(match.group(0)),
    "numeric_date": _numeric_date,
    "ratio": _ratio,
    "phone": _phone,
    "time": _time,
    "temperature": _temperature,
    "power": _power,
    "per": _per,
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
