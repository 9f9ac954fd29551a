"""eSpeak NG, the engine every installation has: its catalogue, read from the voice files on disk.

The voices are the files of the ``espeak-ng-data/lang`` folder that the ``espeakng-loader`` wheel
carries: each names itself and the languages it speaks, which is what eSpeak NG's own voice list
reads (``tests/test_engine.py`` checks that the two agree). Nothing native is loaded here; the
renderer (:mod:`.renderer`) is, in a worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ...errors import VoiceError
from ..base import Voice

#: Voice used when nothing names one: American English.
DEFAULT_VOICE = "en-us"
_GENDERS = {"male": "Male", "female": "Female"}


class EspeakCatalogue:
    name = "espeak"
    label = "eSpeak NG"
    about = "built in"
    natural = False
    renderer = "audioguide.engines.espeak.renderer:EspeakRenderer"
    #: Every word is timed by the engine's own events: where a sentence's caption parts begin
    #: changes nothing it speaks.
    timed_by_marks = False

    def missing(self) -> str | None:
        return None

    def voices(self) -> list[Voice]:
        return list(_voices())

    def resolve_voice(self, wanted: str) -> str:
        """A voice id from an id, a language code or a name, as 'audioguide voices' lists them."""
        key = (wanted or DEFAULT_VOICE).strip().lower().replace("_", "-")
        voices = _voices()
        for matches in (
            lambda v: v.id == key,
            lambda v: v.id.rsplit("/", 1)[-1] == key,
            lambda v: v.name.lower() == key,
            lambda v: key in (language.lower() for language in v.languages),
        ):
            found = [v for v in voices if matches(v)]
            if found:
                return found[0].id
        raise VoiceError(f"no voice {wanted!r}; run 'audioguide voices' to see the voices you can use")

    def voice_for(self, tag: str, named: Mapping[str, str]) -> str | None:
        tag = tag.strip().lower().replace("_", "-")
        wanted = named.get(tag) or named.get("")
        if wanted is None:
            return None
        try:
            return self.resolve_voice(wanted)
        except VoiceError:
            return None

    def language_of(self, voice: str) -> str:
        found = [v.languages[0] for v in _voices() if v.id == voice and v.languages]
        return found[0] if found else "en"

    def identity(self, voice: str) -> dict:
        return {"engine": self.name, "version": versions()}

    def lexicon_ipa_voice(self, voice: str) -> str | None:
        return None  # eSpeak NG takes the lexicon's mnemonics as they are


CATALOGUE = EspeakCatalogue()


@lru_cache(maxsize=1)
def versions() -> str:
    return f"pyttsx3 {metadata.version('pyttsx3')}, espeakng-loader {metadata.version('espeakng-loader')}"


def data_path() -> Path:
    import espeakng_loader

    return Path(espeakng_loader.get_data_path())


@lru_cache(maxsize=1)
def _voices() -> tuple[Voice, ...]:
    """The voices eSpeak NG lists, read from their files: the path under ``lang/`` is the id (in
    lower case, as pyttsx3 gives it), and the first ``language`` line the language it speaks."""
    folder = data_path() / "lang"
    voices = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        name, languages, gender = "", [], "Male"  # eSpeak NG's voices are male unless they say
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.split("//")[0].lstrip().partition(" ")
            if key == "name" and not name:
                name = value
            elif key == "language" and value.split():
                languages.append(value.split()[0])
            elif key == "gender" and value.split():
                gender = _GENDERS.get(value.split()[0].lower(), gender)
        if languages:
            voice_id = path.relative_to(folder).as_posix().lower()
            voices.append(Voice(id=voice_id, name=name, languages=(languages[0],), gender=gender))
    # eSpeak NG lists its voices by language, then by name.
    return tuple(sorted(voices, key=lambda v: (v.languages[0], v.name)))
