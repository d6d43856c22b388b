"""One small error hierarchy; the dialogue's boundary turns these into kind replies."""


class WerkpadError(Exception):
    """Base of every error Werkpad raises on purpose."""


class SettingsError(WerkpadError):
    """config.yml or the environment is wrong; the message names the key and the fix."""


class ContentError(WerkpadError):
    """A flow, answer or training-data file is invalid."""


class NLUError(WerkpadError):
    """An NLU engine could not parse or train."""


class StorageError(WerkpadError):
    """The database is unreachable or refused an operation."""


class TranslationError(WerkpadError):
    """The online translator failed, timed out or returned nothing useful."""
