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


class ReadOnly(StoreError):
    """A write was attempted on a database opened read-only."""
