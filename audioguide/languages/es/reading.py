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
    Context,
    Flag,
    digit_groups,
    first,
    pause,
    plain_word,
    symbol_words,
    word_flag,
)
from ..base import is_common_word as common_in

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
}
SYMBOLS: dict[str, str] = {
    "&": "y",
    "+": "más",
    "±": "más o menos",
    "≥": "mayor o igual que",
    "≤": "menor o igual que",
    ">": "más de",
    "<": "menos de",
    "×": "por",
    "→": "luego",
    "=": "igual a",
    "≈": "aproximadamente",
    "~": "aproximadamente",
    "@": "arroba",
    "#": "número",
    "°": "grados",
    "/": "o",
}
#: Nouns a number agrees with as feminine ("una hora", "veintiuna dosis"); others take "un".
FEMININE_NOUNS = {
    "hora", "horas", "semana", "semanas", "vez", "veces", "dosis", "pastilla", "pastillas", "cápsula", "cápsulas",
    "gota", "gotas", "inyección", "inyecciones", "infusión", "infusiones", "unidad", "unidades", "toma", "tomas",
    "sesión", "sesiones", "visita", "visitas", "cucharada", "cucharadas", "persona", "personas", "página", "páginas",
}  # fmt: skip
#: A Roman numeral after one of these words is a number: "tipo II", "fase III".
ROMAN_CONTEXT = {"tipo", "fase", "grado", "estadio", "clase", "capítulo", "parte", "sección", "nivel", "factor"}
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")  # fmt: skip
#: Letters as a Spanish narrator names them; eSpeak NG's Spanish voice says them for hyphen-joined capitals.
DIGITS = {str(d): num2words(d, lang="es") for d in range(10)}
#: A Spanish abbreviation's full stop that does not end the sentence.
NOT_SENTENCE_ENDS = re.compile(r"\b(?:Dr|Dra|Sr|Sra|aprox|tel|núm|pág|máx|mín|p|ej)\.$")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_UNIT = rf"(?:{_alternation(UNITS)})(?:/(?:{_alternation(PER_UNITS)}))*"
_UNIT_END = r"(?![\w°%])"
_URL_END = r"[^\s<>()\[\]{}.,;:!?'\"’”»]"
_TLD = r"com|org|net|gov|edu|info|es|mx|ar|co|cl|pe|eu|io|gob|salud"
TOKEN = re.compile(
    "|".join(
        [
            rf"(?P<url>(?:https?://|www\.)[^\s<>()\[\]{{}}]*{_URL_END}"
            rf"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLD})\b(?:/[^\s<>()]*{_URL_END})?)",
            r"(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)",
            r"(?P<date>\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b)",
            r"(?P<phone>(?<![\w.,+-])(?:\+\d{1,3}[\s.-]?)?(?:\d{3}[\s.-]\d{3}[\s.-]\d{3}|\d{2,3}(?:[\s.-]\d{2}){3}"
            r"|\d{3}[\s.-]\d{2}[\s.-]\d{2}[\s.-]\d{2}|900[\s.-]?\d{3}[\s.-]?\d{3})(?![\w-]|[.,]\d))",
            r"(?P<every>\bc/\s?(?P<every_hours>\d{1,2})\s?h\b\.?)",
            r"(?P<time>\b\d{1,2}:\d{2}(?:\s?h\b\.?)?)",
            rf"(?P<abbreviation>(?<![\w.])(?:{_alternation(ABBREVIATIONS)})(?!\w))",
            rf"(?P<range>(?<![\w.,]){_NUMBER}\s?(?:-|–|—)\s?(?:{_NUMBER})(?![\w-])"
            rf"(?:\s?(?P<range_unit>{_UNIT}){_UNIT_END})?)",
            rf"(?P<quantity>(?<![\w.,]){_NUMBER}\s?(?P<unit>{_UNIT}){_UNIT_END})",
            r"(?P<ordinal>\b(?P<ordinal_number>\d{1,2})\.?\s?(?P<ordinal_mark>ª|º|°|er)(?!\w))",
            rf"(?P<money>(?<![\w.,]){_NUMBER}\s?€|€\s?{_NUMBER})",
            rf"(?P<number>(?<![\w.,]){_NUMBER}(?!\d))",
            r"(?P<word>[^\W\d_][\w]*)",
            r"(?P<dash_range>(?<=\d)[–—](?=\d))",
            r"(?P<dash>\s[–—]\s|—)",
            r"(?P<blank>_{3,}|\.{5,}|…{2,})",
            r"(?P<symbol>[&+±≥≤×→=≈@#°]|(?<=\s)[~<>](?=\s?\d)|(?<=\w)/(?=[^\W\d]))",
        ]
    )
)


def number_words(number: str, feminine: bool | None = None) -> str:
    """ "1.250" → "mil doscientos cincuenta"; "38,5" → "treinta y ocho coma cinco". Before a noun
    (``feminine`` not None) "uno" agrees with it: "un miligramo", "una hora"."""
    whole, comma, decimals = number.replace(".", "").partition(",")
    words = num2words(int(whole), lang="es")
    if comma:
        words += " coma " + (num2words(int(decimals), lang="es") if not decimals.startswith("0") else _digits(decimals))
    return words if feminine is None or comma else _gendered(words, feminine)


def _gendered(words: str, feminine: bool) -> str:
    """Before a noun "uno" is "un" (or "una"): "veintiún miligramos", "una hora"."""
    if words.endswith("veintiuno"):
        return words[:-9] + ("veintiuna" if feminine else "veintiún")
    if words.endswith("uno"):
        return words[:-3] + ("una" if feminine else "un")
    return words


def _digits(text: str) -> str:
    return " ".join(DIGITS[d] for d in text if d.isdigit())


def _plural(number: str) -> bool:
    return number not in ("1", "1,0")


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
            spoken.append(lexicon.lookup(part) or part)
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


def _every(match: re.Match, _: Context) -> str:
    hours = int(match.group("every_hours"))
    return "cada hora" if hours == 1 else f"cada {num2words(hours, lang='es')} horas"


def _time(match: re.Match, _: Context) -> str:
    """ "a las 10:30" is "a las diez y treinta"; "14:00 h" is "catorce horas"."""
    hour, minutes = (int(x) for x in re.findall(r"\d+", match.group(0))[:2])
    if hour > 24 or minutes > 59:
        return f"{num2words(hour, lang='es')} {num2words(minutes, lang='es')}"
    hour_words = _gendered(num2words(hour, lang="es"), feminine=True)
    if minutes == 0:
        return f"{hour_words} en punto" if hour <= 12 else f"{hour_words} horas"
    return f"{hour_words} y {num2words(minutes, lang='es')}"


def _range(match: re.Match, _: Context) -> str:
    low, high = re.findall(_NUMBER, match.group(0))[:2]
    unit = match.group("range_unit")
    if not unit:
        return f"{number_words(low)} a {number_words(high)}"
    words, feminine = unit_words(unit, high)
    return f"{number_words(low, feminine)} a {number_words(high, feminine)} {words}"


def _quantity(match: re.Match, _: Context) -> str:
    number = first(_NUMBER, match.group(0))
    words, feminine = unit_words(match.group("unit"), number)
    return f"{number_words(number, feminine)} {words}"


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
    return f"{number_words(number)} {'euros' if _plural(number) else 'euro'}"


def _number(match: re.Match, context: Context) -> str:
    number = match.group(0)
    plain = number.replace(".", "")
    if "," not in number and "." not in number and len(plain) >= 5:
        return ", ".join(_digits(plain[i : i + 3]) for i in range(0, len(plain), 3))
    following = re.match(r"\s+([^\W\d_]+)", context.text[match.end() :])
    if following is None or following.group(1).lower() in ("de", "del", "y", "o", "a"):
        return number_words(number)  # "el 1 de abril": a number of its own
    return number_words(number, feminine=following.group(1).lower() in FEMININE_NOUNS)


def _abbreviation(match: re.Match, _: Context) -> str:
    return ABBREVIATIONS[match.group(0)]


def _word(match: re.Match, context: Context) -> str:
    read = plain_word(
        match,
        context,
        roman_context=ROMAN_CONTEXT,
        number=lambda value: num2words(value, lang="es"),
        initialism=initialism,
        common=is_common_word,
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
    spelled = (letters.isupper() and len(letters) >= 2) or (capitals >= 2 and letters[0].isupper())
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
    "url": _url,
    "email": _email,
    "date": _date,
    "phone": _phone,
    "every": _every,
    "time": _time,
    "abbreviation": _abbreviation,
    "range": _range,
    "quantity": _quantity,
    "ordinal": _ordinal,
    "money": _money,
    "number": _number,
    "word": _word,
    "dash_range": _dash_range,
    "dash": pause,
    "blank": _blank,
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
