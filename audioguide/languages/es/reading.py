"""Spanish speech preparation: the page text of a Spanish guide to what a careful narrator says.

Numbers are written the Spanish way (``38,5``, ``1.000``) and said with their gender where a
unit has one ("una hora", "un miligramo"); dates are day first; initialisms are spelled with
hyphens, which eSpeak NG's Spanish voice reads as Spanish letter names ("V-I-H").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from num2words import num2words

from ...speech.lexicon import Lexicon, lexicon_word
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
from . import LANGUAGE

#: Unit spellings → (singular, plural, feminine).
UNITS: dict[str, tuple[str, str, bool]] = {
    "mg": ("miligramo", "miligramos", False),
    "mcg": ("microgramo", "microgramos", False),
    "µg": ("microgramo", "microgramos", False),
    "μg": ("microgramo", "microgramos", False),
    "g": ("gramo", "gramos", False),
    "kg": ("kilogramo", "kilogramos", False),
    "ml": ("mililitro", "mililitros", False),
    "mL": ("mililitro", "mililitros", False),
    "l": ("litro", "litros", False),
    "L": ("litro", "litros", False),
    "µL": ("microlitro", "microlitros", False),
    "μL": ("microlitro", "microlitros", False),
    "mcL": ("microlitro", "microlitros", False),
    "cc": ("centímetro cúbico", "centímetros cúbicos", False),
    "UI": ("unidad internacional", "unidades internacionales", True),
    "mmHg": ("milímetro de mercurio", "milímetros de mercurio", False),
    "mm": ("milímetro", "milímetros", False),
    "cm": ("centímetro", "centímetros", False),
    "m2": ("metro cuadrado", "metros cuadrados", False),
    "m²": ("metro cuadrado", "metros cuadrados", False),
    "%": ("por ciento", "por ciento", False),
    "°C": ("grado centígrado", "grados centígrados", False),
    "ºC": ("grado centígrado", "grados centígrados", False),
    "°": ("grado", "grados", False),
    "h": ("hora", "horas", True),
    "min": ("minuto", "minutos", False),
    "seg": ("segundo", "segundos", False),
    "comp": ("comprimido", "comprimidos", False),
    "dl": ("decilitro", "decilitros", False),
    "dL": ("decilitro", "decilitros", False),
    "mmol": ("milimol", "milimoles", False),
    "°F": ("grado Fahrenheit", "grados Fahrenheit", False),
    "ºF": ("grado Fahrenheit", "grados Fahrenheit", False),
    "oz": ("onza", "onzas", True),
    "lb": ("libra", "libras", True),
    "lbs": ("libra", "libras", True),
}
PER_UNITS: dict[str, str] = {
    **{key: singular for key, (singular, _, _) in UNITS.items() if key != "%"},
    "día": "día",
    "dosis": "dosis",
    "semana": "semana",
}
ABBREVIATIONS: dict[str, str] = {
    "p. ej.": "por ejemplo",
    "P. ej.": "Por ejemplo",
    "p.ej.": "por ejemplo",
    "Dr.": "doctor",
    "Dra.": "doctora",
    "Dres.": "doctores",
    "Sr.": "señor",
    "Sra.": "señora",
    "aprox.": "aproximadamente",
    "Aprox.": "Aproximadamente",
    "etc.": "etcétera",
    "tel.": "teléfono",
    "Tel.": "Teléfono",
    "núm.": "número",
    "Núm.": "Número",
    "n.º": "número",
    "pág.": "página",
    "máx.": "máximo",
    "mín.": "mínimo",
    "EE. UU.": "Estados Unidos",
    "N.°": "número",
    "N.º": "número",
    "Nº": "número",
    "nº": "número",
    "No.": "número",
    # Addresses and companies, as Spanish letterheads shorten them.
    "C/": "calle",
    "Avda.": "avenida",
    "Av.": "avenida",
    "Pza.": "plaza",
    "Pl.": "plaza",
    "Ctra.": "carretera",
    "P.º": "paseo",
    "Pº": "paseo",
    "Urb.": "urbanización",
    "Edif.": "edificio",
    "Esc.": "escalera",
    "izda.": "izquierda",
    "izq.": "izquierda",
    "dcha.": "derecha",
    "Dpto.": "departamento",
    "Depto.": "departamento",
    "dpto.": "departamento",
    "Col.": "colonia",
    "C.P.": "código postal",
    "s/n": "sin número",
    "S.A.": "sociedad anónima",
    "S. A.": "sociedad anónima",
    "S.L.": "sociedad limitada",
    "S.A. de C.V.": "sociedad anónima de capital variable",
    "Hosp.": "hospital",
    "Ud.": "usted",
    "Uds.": "ustedes",
    "Dña.": "doña",
    "Sta.": "santa",
    "Sto.": "santo",
}
SYMBOLS: dict[str, str] = {
    "&": "y",
    "+": "más",
    "±": "más o menos",
    "≥": "mayor o igual que",
    "≤": "menor o igual que",
    ">": "más de",
    "<": "menos de",
    "©": "derechos de autor",
    "§": "sección",
    "×": "por",
    "→": "luego",
    "↑": "más",
    "↓": "menos",
    "=": "igual a",
    "≈": "aproximadamente",
    "~": "aproximadamente",
    "@": "arroba",
    "#": "número",
    "°": "grados",
    "/": "o",
    "$": "dólares",
    "%": "por ciento",
    "£": "libras",
    "€": "euros",
    " / ": "o",
}
#: Nouns a number agrees with as feminine ("una hora", "veintiuna dosis"); others take "un".
FEMININE_NOUNS = {
    "hora", "horas", "semana", "semanas", "vez", "veces", "dosis", "pastilla", "pastillas", "cápsula", "cápsulas",
    "gota", "gotas", "inyección", "inyecciones", "infusión", "infusiones", "unidad", "unidades", "toma", "tomas",
    "sesión", "sesiones", "visita", "visitas", "cucharada", "cucharadas", "persona", "personas", "página", "páginas",
}  # fmt: skip
#: Nouns ending in -a that are masculine ("veintiún días", "doscientos problemas"); other nouns in -a,
#: and nouns in -ción, -dad, -tud, -umbre and -sis, are feminine.
MASCULINE_IN_A = {
    "día", "días", "problema", "problemas", "sistema", "sistemas", "programa", "programas", "síntoma", "síntomas",
    "mapa", "mapas", "clima", "tema", "temas", "idioma", "idiomas", "esquema", "esquemas", "diagrama", "dilema",
    "mediodía", "planeta", "aroma", "fantasma", "pijama", "sofá",
}  # fmt: skip
#: Words after which a comparison sign compares a variable, not a quantity: "P < 0,01" is "menor que".
VARIABLES = re.compile(r"\b[A-Za-z]\s*$")
ADDRESS_WORDS = {"gov", "org", "com", "net", "edu", "gob", "www", "salud", "info"}
#: A Roman numeral after one of these words is a number: "tipo II", "fase III".
ROMAN_CONTEXT = {"tipo", "fase", "grado", "estadio", "clase", "capítulo", "parte", "sección", "nivel", "factor"}
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")  # fmt: skip
#: Letters as a Spanish narrator names them; eSpeak NG's Spanish voice says them for hyphen-joined capitals.
DIGITS = {str(d): num2words(d, lang="es") for d in range(10)}
#: A Spanish abbreviation's full stop that does not end the sentence.
NOT_SENTENCE_ENDS = re.compile(
    r"\b(?:Dr|Dra|Sr|Sra|aprox|tel|núm|pág|máx|mín|p|ej|Avda|Av|Pza|Ctra|Urb|Edif|Esc|Dpto|Depto|Col|Hosp|Ud|Dña)\.$"
)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: A number as Spanish leaflets write it: thousands grouped by a point, a comma or a space ("1.000",
#: "3 000"), decimals after a comma in Spain and often after a point in the Americas ("38,5", "98.6").
_NUMBER = r"(?:\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
_UNIT = rf"(?:{_alternation(UNITS)})(?:/(?:{_alternation(PER_UNITS)}))*"
_UNIT_END = r"(?![\w°%])"
_URL_END = r"[^\s<>()\[\]{}.,;:!?'\"’”»]"
_TLD = r"com|org|net|gov|edu|info|es|mx|ar|co|cl|pe|eu|io|gob|salud"
TOKEN = re.compile(
    "|".join(
        [
            *SHARED_TOKENS,
            rf"(?P<url>(?:https?://|www\.)[^\s<>()\[\]{{}}]*{_URL_END}"
            rf"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLD})\b(?:/[^\s<>()]*{_URL_END})?)",
            r"(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)",
            r"(?P<date>\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b)",
            rf"(?P<vanity_phone>{VANITY_PHONE})",
            r"(?P<phone>(?<![\w.,+-])(?:\+\d{1,3}[\s.-]?)?(?:\d{3}[\s.-]\d{3}[\s.-]\d{3}|\d{2,3}(?:[\s.-]\d{2}){3}"
            r"|\d{3}[\s.-]\d{2}[\s.-]\d{2}[\s.-]\d{2}|900[\s.-]?\d{3}[\s.-]?\d{3}|\d{2}[\s.-]\d{3}(?:[\s.-]\d{2}){2}"
            # A number with its area's zero ("063 12 04", "011 4321-5678"): every digit, the zeros too.
            r"|0\d{1,3}(?:[\s.-]\d{2,4}){2,3}"
            # A number of the United States, as Spanish leaflets there give it: "1-855-543-3784".
            r"|(?:1[\s.-])?\d{3}[.-]\d{3}[.-]\d{4})(?![\w-]|[.,]\d))",
            r"(?P<year_range>\b(?P<first_year>(?:19|20)\d\d)[-–/](?P<second_year>\d\d)\b(?![\d/-]))",
            # A comparison sign before a number: "≥ de 6 meses" is "de al menos seis meses".
            r"(?P<at_least>[≥≤]\s?(?:de\s)?(?=\d))",
            r"(?P<compared>(?<=\s)[<>](?=\s?\d))",
            r"(?P<every>\bc/\s?(?P<every_hours>\d{1,2})\s?h\b\.?)",
            # A time, with the part of the day the Americas add: "9:15", "14:00 h", "4:30 p.m.", "9 a. m.".
            r"(?P<time>\b\d{1,2}(?::\d{2}(?:\s?h\b\.?)?(?:\s?(?P<time_half>[aApP])\.?\s?[mM]\.?(?!\w))?"
            r"|\s?(?P<hour_half>[aApP])\.\s?[mM]\.))",
            rf"(?P<abbreviation>(?<![\w.])(?:{_alternation(ABBREVIATIONS)})(?!\w))",
            rf"(?P<range>(?<![\w.,]){_NUMBER}(?:\s?(?P<range_first_unit>{_UNIT}))?\s?(?:-|–|—)\s?(?:{_NUMBER})"
            rf"(?:\s?(?P<range_unit>{_UNIT}){_UNIT_END}|(?![\w-])))",
            rf"(?P<quantity>(?<![\w.,]){_NUMBER}\s?(?P<unit>{_UNIT}){_UNIT_END})",
            r"(?P<ordinal>\b(?P<ordinal_number>\d{1,2})\.?\s?(?P<ordinal_mark>ª|º|°|er)(?!\w))",
            rf"(?P<money>(?<![\w.,]){_NUMBER}\s?€|[€$]\s?{_NUMBER})",
            # A power of ten, as a count is given: "150 x 10^9/L" (written "10⁹/L" on the page).
            rf"(?P<power>(?:(?<![\w.])[x×]\s?)?(?<![\d.,])10\^(?P<exponent>\d{{1,2}})(?:/(?P<power_per>{_alternation(PER_UNITS)}))?"
            r"(?![\w/]))",
            # A count per a unit: "20.000/mcL".
            rf"(?P<per>(?<![\w./]){_NUMBER}\s?/\s?(?P<per_unit>{_alternation(PER_UNITS)})(?![\w/]))",
            r"(?P<fraction>(?<![\w/])\d{1,3}/\d{1,3}(?![\w/]))",
            # A unit on its own, after its name ("(mg/dL)"): said as the unit.
            rf"(?P<bare_unit>(?<![\w/])(?:{_alternation(UNITS)})/(?:{_alternation(PER_UNITS)})(?![\w/]))",
            rf"(?P<number>(?<![\w.,]){_NUMBER}(?!\d))",
            r"(?P<word>[^\W\d_][\w]*)",
            r"(?P<dash_range>(?<=\d)(?:[–—]|\s?[~→]\s?)(?=\d))",
            r"(?P<dash>\s?[–—]\s?)",
            r"(?P<symbol>[&+±≥≤×→↑↓=≈@#°©§]|(?<=\s)[~<>](?=\s?\d)|(?<=\w)/(?=[^\W\d])|\s/\s|[<>~$%£€/])",
        ]
    )
)


def number_words(number: str, feminine: bool | None = None) -> str:
    """ "1.250" → "mil doscientos cincuenta"; "38,5" → "treinta y ocho coma cinco"; "98.6" → "noventa y
    ocho punto seis". Before a noun (``feminine`` not None) the number agrees with it: "un miligramo",
    "una hora", "doscientas personas"."""
    whole, mark, decimals = _split_number(number)
    words = num2words(int(whole), lang="es")
    if mark:
        said = num2words(int(decimals), lang="es") if not decimals.startswith("0") else _digits(decimals)
        return f"{words} {'coma' if mark == ',' else 'punto'} {said}"
    return words if feminine is None else _gendered(words, feminine)


def _split_number(number: str) -> tuple[str, str, str]:
    """The whole part, the decimal mark and the decimals: a mark followed by exactly three digits
    groups thousands ("1.000", "1,500"); any other is the decimal mark, a comma or a point."""
    groups = re.split(r"([., ])", number)
    if len(groups) == 1:
        return number, "", ""
    if (len(groups[-1]) == 3 and groups[-2] != " " and groups[0] != "0") or groups[-2] == " ":
        return "".join(groups[::2]), "", ""
    return "".join(groups[:-2:2]), groups[-2], groups[-1]


def _gendered(words: str, feminine: bool) -> str:
    """Before a noun "uno" is "un" (or "una"), and hundreds agree: "veintiún miligramos", "una hora",
    "cuatrocientas personas"."""
    if feminine:
        words = words.replace("ientos", "ientas")
    if words.endswith("veintiuno"):
        return words[:-9] + ("veintiuna" if feminine else "veintiún")
    if words.endswith("uno"):
        return words[:-3] + ("una" if feminine else "un")
    return words


def is_feminine(noun: str) -> bool:
    """Whether a noun a number counts is feminine, by its list and then by its ending."""
    noun = noun.lower()
    if noun in FEMININE_NOUNS:
        return True
    if noun in MASCULINE_IN_A:
        return False
    return noun.endswith(("a", "as", "ción", "ciones", "dad", "dades", "tud", "tudes", "umbre", "umbres", "sis"))


def _digits(text: str) -> str:
    return " ".join(DIGITS[d] for d in text if d.isdigit())


def _plural(number: str) -> bool:
    return number not in ("1", "1,0", "1.0")


def unit_words(unit: str, number: str) -> tuple[str, bool]:
    parts = unit.split("/")
    singular, plural, feminine = UNITS[parts[0]]
    words = plural if _plural(number) else singular
    for per in parts[1:]:
        words += f" por {PER_UNITS[per]}"
    return words, feminine


_ADDRESS_MARKS = {".": "punto", "/": "barra", ":": "dos puntos", "_": "guion bajo", "-": "guion", "+": "más",
                  "?": "interrogación", "=": "igual", "&": "y"}  # fmt: skip


def _say_address(address: str, lexicon: Lexicon) -> str:
    spoken = []
    for part in re.split(r"([./:_+?=&-])", address):
        if not part:
            continue
        if part in _ADDRESS_MARKS:
            spoken.append(_ADDRESS_MARKS[part])
        elif part.lower() == "www":
            spoken.append("uve doble uve doble uve doble")
        elif part.isdigit():
            spoken.append(_digits(part))
        else:
            # Addresses are often in English: a word of either language is said as a word.
            common = lambda word: is_common_word(word) or common_in(word, "en")  # noqa: E731
            spoken.append(lexicon.lookup(part) or address_word(part, common, ADDRESS_WORDS))
    return " ".join(spoken)


def _url(match: re.Match, context: Context) -> str:
    return _say_address(re.sub(r"^https?://", "", match.group(0)), context.lexicon)


def _email(match: re.Match, context: Context) -> str:
    user, _, domain = match.group(0).partition("@")
    return f"{_say_address(user, context.lexicon)} arroba {_say_address(domain, context.lexicon)}"


def _date(match: re.Match, _: Context) -> str:
    day, month, year = (int(part) for part in re.split(r"[/.-]", match.group(0)))
    year += 2000 if year < 100 else 0
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return " barra ".join(num2words(int(p), lang="es") for p in re.split(r"[/.-]", match.group(0)))
    return f"{num2words(day, lang='es')} de {MONTHS[month - 1]} de {num2words(year, lang='es')}"


def _phone(match: re.Match, _: Context) -> str:
    return digit_groups(match.group(0), _digits, "más")


def _vanity_phone(match: re.Match, _: Context) -> str:
    return vanity_phone(match.group(0), _digits, "más")


def _every(match: re.Match, _: Context) -> str:
    hours = int(match.group("every_hours"))
    return "cada hora" if hours == 1 else f"cada {num2words(hours, lang='es')} horas"


#: A quarter and a half hour as Spanish speakers say them: "las nueve y cuarto", "las diez y media".
_PAST_THE_HOUR = {15: "y cuarto", 30: "y media"}


def _time(match: re.Match, _: Context) -> str:
    """ "a las 10:30" is "a las diez y media"; "a las 9:00" "a las nueve en punto"; "14:00 h" is
    "catorce horas"; "4:30 p.m." is "cuatro y media de la tarde"."""
    hour, minutes = (int(x) for x in [*re.findall(r"\d+", match.group(0)), "0"][:2])
    if hour > 24 or minutes > 59:
        return f"{num2words(hour, lang='es')} {num2words(minutes, lang='es')}"
    hour_words = _gendered(num2words(hour, lang="es"), feminine=True)
    half = (match.group("time_half") or match.group("hour_half") or "").lower()
    if half and 1 <= hour <= 12:
        past = f" {_PAST_THE_HOUR.get(minutes) or 'y ' + num2words(minutes, lang='es')}" if minutes else ""
        return f"{hour_words}{past} {_part_of_day(hour, half)}"
    if minutes == 0:
        return f"{hour_words} en punto" if hour <= 12 else f"{hour_words} horas"
    if hour <= 12 and minutes in _PAST_THE_HOUR:
        return f"{hour_words} {_PAST_THE_HOUR[minutes]}"
    return f"{hour_words} y {num2words(minutes, lang='es')}"


def _part_of_day(hour: int, half: str) -> str:
    """What "a.m." and "p.m." are in words: "de la mañana", "del mediodía", "de la tarde", "de la noche"."""
    if half == "a":
        return "de la noche" if hour == 12 else "de la madrugada" if hour < 6 else "de la mañana"
    return "del mediodía" if hour == 12 else "de la tarde" if hour < 8 else "de la noche"


def _power(match: re.Match, _: Context) -> str:
    """ "x 10^9/L" is "por diez elevado a nueve por litro", as a blood count is read out."""
    times = "por " if match.group(0)[0] in "x×" else ""
    per = match.group("power_per")
    exponent = num2words(int(match.group("exponent")), lang="es")
    return f"{times}diez elevado a {exponent}" + (f" por {PER_UNITS[per]}" if per else "")


def _per(match: re.Match, _: Context) -> str:
    return f"{number_words(first(_NUMBER, match.group(0)))} por {PER_UNITS[match.group('per_unit')]}"


def _range(match: re.Match, _: Context) -> str:
    low, high = re.findall(_NUMBER, match.group(0))[:2]
    unit = match.group("range_unit") or match.group("range_first_unit")
    if not unit:
        return f"{number_words(low)} a {number_words(high)}"
    words, feminine = unit_words(unit, high)
    gender = None if unit == "%" else feminine
    return f"{number_words(low, gender)} a {number_words(high, gender)} {words}"


def _year_range(match: re.Match, _: Context) -> str:
    """ "2010-11" es "dos mil diez a dos mil once": the second year in full."""
    first_year, second_year = year_span(match)
    return f"{num2words(first_year, lang='es')} a {num2words(second_year, lang='es')}"


def _at_least(match: re.Match, _: Context) -> str:
    """ "personas ≥ 18 años" is "personas de al menos dieciocho años"."""
    return "de al menos " if match.group(0).startswith("≥") else "de como máximo "


def _compared(match: re.Match, context: Context) -> str:
    """A quantity is "más de" or "menos de"; a variable ("P < 0,01") "mayor que" or "menor que"."""
    if VARIABLES.search(context.text[: match.start()]):
        return " menor que " if match.group(0) == "<" else " mayor que "
    return f" {SYMBOLS[match.group(0)]} "


def _fraction(match: re.Match, _: Context) -> str:
    """ "120/80" is "ciento veinte sobre ochenta"; "1/2" "un medio"."""
    top, bottom = (int(x) for x in match.group(0).split("/"))
    if top >= bottom or bottom > 10:
        return f"{num2words(top, lang='es')} sobre {num2words(bottom, lang='es')}"
    names = {2: "medio", 3: "tercio", 4: "cuarto"}
    name = names.get(bottom) or num2words(bottom, lang="es", to="ordinal")
    return f"{_gendered(num2words(top, lang='es'), False)} {name}{'s' if top > 1 else ''}"


def _quantity(match: re.Match, _: Context) -> str:
    number = first(_NUMBER, match.group(0))
    unit = match.group("unit")
    words, feminine = unit_words(unit, number)
    # "del 1 %" is "del uno por ciento": a percentage's number agrees with no noun.
    return f"{number_words(number, None if unit == '%' else feminine)} {words}"


def _ordinal(match: re.Match, _: Context) -> str:
    number = int(match.group("ordinal_number"))
    words = num2words(number, lang="es", to="ordinal")
    mark = match.group("ordinal_mark")
    if mark == "ª":
        return words[:-1] + "a" if words.endswith("o") else words
    if mark == "er":
        return words.removesuffix("o")  # "1.er día" is "primer día"
    return words


def _money(match: re.Match, _: Context) -> str:
    number = first(_NUMBER, match.group(0))
    singular, plural = ("dólar", "dólares") if "$" in match.group(0) else ("euro", "euros")
    return f"{number_words(number, feminine=False)} {plural if _plural(number) else singular}"


def _number(match: re.Match, context: Context) -> str:
    number = match.group(0)
    plain = number.replace(".", "")
    if not re.search(r"[., ]", number) and len(plain) >= 5:
        return ", ".join(_digits(plain[i : i + 3]) for i in range(0, len(plain), 3))
    following = re.match(r"\s+([^\W\d_]+)", context.text[match.end() :])
    if following is None or following.group(1).lower() in ("de", "del", "y", "o", "ó", "a"):
        return number_words(number)  # "el 1 de abril", "1 ó 2 años": a number of its own
    return number_words(number, feminine=is_feminine(following.group(1)))


def _abbreviation(match: re.Match, _: Context) -> str:
    return ABBREVIATIONS[match.group(0)]


def _word(match: re.Match, context: Context) -> str:
    if match.group(0) == "ó":
        return "o"  # the accent the old spelling put on "o" between numbers ("1 ó 2"): one sound
    read = plain_word(
        match.group(0),
        match.start(),
        context,
        roman_context=ROMAN_CONTEXT,
        number=lambda value: num2words(value, lang="es"),
        initialism=initialism,
        common=is_common_word,
        said_as_words=LANGUAGE.said_as_words,
    )
    return match.group(0) if read is None else read


def initialism(word: str) -> str | None:
    """Letters to spell, hyphen-joined (``VIH`` → ``V-I-H``): capitals of two to six letters, with
    small letters among them (``IgG``) or a number after them (``CD20`` → "C-D veinte")."""
    found = re.fullmatch(r"([A-Za-zÑñ]+?)(\d*)", word)
    if found is None:
        return None
    letters, number = found.groups()
    capitals = sum(ch.isupper() for ch in letters)
    spelled = (
        (letters.isupper() and len(letters) >= 2)
        or (capitals >= 2 and letters[0].isupper())
        # Capitals after small letters are a code too: "ARNm", "ccIIV3".
        or bool(re.fullmatch(r"[a-z]{1,3}[A-Z]{2,}", letters))
    )
    if not spelled or len(letters) > 6:
        return None
    spoken = "-".join(letters.upper())
    return f"{spoken} {num2words(int(number), lang='es')}" if number else spoken


def is_common_word(word: str) -> bool:
    return common_in(word, "es")


def _dash_range(match: re.Match, _: Context) -> str:
    return " a "


def _blank(match: re.Match, _: Context) -> str:
    return "en blanco"


HANDLERS: dict[str, Callable[[re.Match, Context], str]] = {
    "citation": not_spoken,
    "template": _blank,
    "mark": not_spoken,
    "separator": pause,
    "bracket": parenthesis,
    "url": _url,
    "email": _email,
    "date": _date,
    "vanity_phone": _vanity_phone,
    "phone": _phone,
    "year_range": _year_range,
    "at_least": _at_least,
    "compared": _compared,
    "fraction": _fraction,
    "bare_unit": lambda match, _: unit_words(match.group(0), "2")[0],
    "every": _every,
    "time": _time,
    "power": _power,
    "per": _per,
    "abbreviation": _abbreviation,
    "range": _range,
    "quantity": _quantity,
    "ordinal": _ordinal,
    "money": _money,
    "number": _number,
    "word": _word,
    "dash_range": _dash_range,
    "dash": pause,
    "symbol": symbol_words(SYMBOLS),
}

_VOWELS = set("aeiouáéíóúüAEIOUÁÉÍÓÚÜ")


def flags(text: str, context: Context, language: str) -> list[Flag]:
    """What in ``text`` may still be said wrongly, for a clinician to check before handing out."""
    found: list[Flag] = []
    for match in TOKEN.finditer(text):
        word = match.group("word")
        if word is None or lexicon_word(word, context.lexicon) is not None:
            continue
        flag = word_flag(word, context, initialism=initialism, common=is_common_word, vowels=_VOWELS)
        if flag is not None:
            found.append(flag)
    return found
