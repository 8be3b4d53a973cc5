"""Helpers for the suite's spreadsheet (XLSX) exports."""

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a cell that is never read as a formula (formula injection): text that
    starts like a formula is prefixed with a quote; other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
