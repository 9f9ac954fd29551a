"""Spanish (español): Spain's voice for ``es``/``es-ES``, Latin America's for ``es-419``/``es-MX`` and the rest."""

from ..base import Language

_LATIN_AMERICA = ("419", "mx", "ar", "co", "cl", "pe", "ve", "ec", "gt", "cu", "bo", "do", "hn", "py", "sv", "ni",
                  "cr", "pa", "uy", "pr", "us")  # fmt: skip

LANGUAGE = Language(
    code="es",
    name="español",
    package=__name__,
    voices={"espeak": {"": "es", "es": "es", "es-es": "es", **{f"es-{region}": "es-419" for region in _LATIN_AMERICA}}},
    month_first=(),
    sentence_code="es",
)
