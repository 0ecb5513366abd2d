"""Errors a user can cause. Kept free of Typer/Rich so the data layer stays importable alone."""


class DzError(Exception):
    """Base of every error a user can cause; `exit_code` is what the CLI exits with."""

    exit_code = 1


class StoreError(DzError):
    """The store cannot be opened, read or understood; the message names the path and reason."""


class LookupFailed(DzError):
    """A period, id, park or metric was not found; `candidates` are close matches, best first."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates: list[str] = list(candidates or [])


class BadUsage(DzError):
    """Input is malformed (e.g. period '20x1'), detected in the data layer."""

    exit_code = 2


class ConversionFailed(DzError):
    """An amount that --unit cannot re-express as a finite number."""


class WriteRefused(DzError):
    """A write broke a rule (quote not in its source, a value not in its quote, a `dz check`
    error it would bring in); the message names the rule, and the store is unchanged."""


class StoreBusy(DzError):
    """Another writer held the store's lock for longer than the wait (EX_TEMPFAIL)."""

    exit_code = 75
