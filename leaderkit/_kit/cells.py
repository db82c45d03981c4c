"""Cell values for the workbooks and CSV files leaderkit writes (表格单元格安全).

Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
formula injection (CWE-1236).
- In a workbook the cell is stored as text (type "s" with the quote-prefix style), so Excel shows exactly
  the text, runs nothing, and no apostrophe is added to what the cell says (`mark_text_cells`).
- In a CSV file there is no cell type: such text gets a leading apostrophe (`neutralise`), as OWASP advises.
Control characters (\\x00–\\x1f except tab, newline and carriage return) cannot be stored in a workbook;
`CellCleaner` replaces each with U+FFFD and counts them, so the workbook can say how many it replaced.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
REPLACEMENT = "\ufffd"


def neutralise(value):
    """A CSV cell safe from formula injection: text starting with = + - @ tab or CR gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class CellsReplacedWarning(UserWarning):
    """Some cells held control characters, replaced with U+FFFD in the workbook (it says how many)."""


class CellCleaner:
    """Call it on every value before it goes into a workbook: control characters become U+FFFD.

    `replaced` counts the cells that had any, for a note in the workbook and on the screen."""

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, value):
        if isinstance(value, str) and CONTROL.search(value):
            self.replaced += 1
            return CONTROL.sub(REPLACEMENT, value)
        return value


def mark_text_cells(workbook) -> int:
    """Store every formula-like text cell of an openpyxl workbook as text; returns how many there were."""
    marked = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    marked += 1
    return marked
