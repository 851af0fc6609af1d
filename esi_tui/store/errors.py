"""Errors the store raises; each reads as one clear line for the user."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A database that cannot be opened, read or written; the message names the file."""


class StoreLocked(StoreError):
    """Another process is writing to this database."""

    def __init__(self, path: Path, holder: str):
        super().__init__(
            f"{path}: in use by {holder}; close it there, or open this one read-only (--read-only)"
        )
        self.holder = holder


class InvalidChange(StoreError):
    """A change the questionnaire or the data does not allow (unknown case, bad value...)."""


class UnknownInspection(InvalidChange):
    """A change names an inspection the database does not hold."""

    def __init__(self, inspection_id: str, message: str):
        super().__init__(message)
        self.inspection_id = inspection_id


class UnknownCase(InvalidChange):
    """A change names a case the inspection does not hold."""

    def __init__(self, reference: str, message: str):
        super().__init__(message)
        self.reference = reference


class ReadOnly(StoreError):
    """A write was attempted on a database opened read-only."""
