"""Cell values for spreadsheets and CSV files that leaderkit writes (表格单元格安全).

Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
formula injection (CWE-1236); `neutralise` makes it inert. Every workbook and table leaderkit writes
passes its cells through here.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value safe from formula injection: text starting with = + - @ tab or CR gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
