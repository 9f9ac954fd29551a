"""Exceptions raised by the audioguide core.

The command line turns :class:`InputError` into a usage error (exit code 2) and every other
:class:`AudioguideError` into a plain failure (exit code 1). Every message is one line that says
what is wrong and how to fix it, because the person reading it is a nurse, not a programmer.
"""


class AudioguideError(Exception):
    """Something the user can act on went wrong; the message says what and how to fix it."""


class InputError(AudioguideError):
    """The script, an option or a lexicon given to audioguide is not usable as it is."""


class VoiceError(InputError):
    """The voice or the speaking rate asked for is not one the engine offers."""


class EngineError(AudioguideError):
    """The text-to-speech engine failed to render a piece of text."""


class EncodeError(AudioguideError):
    """ffmpeg failed to encode or measure audio."""


class OutputError(AudioguideError):
    """The package could not be written where it was asked to go."""


class BuildFailed(AudioguideError):
    """Some tracks could not be rendered; the packages that needed them were left untouched."""


class Stopped(AudioguideError):
    """The person building stopped the build; the packages were left as they were."""
