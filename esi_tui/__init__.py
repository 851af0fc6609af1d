"""esi-tui: review case files against an inspection questionnaire, with live criterion tallies."""

__version__ = "0.1.0"
