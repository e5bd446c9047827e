"""Tables as CSV and XLSX downloads, with text a person typed kept as text.

A spreadsheet reads a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) as a formula: a tenant named ``=HYPERLINK(…)`` would become a live link. In CSV such
text gets a leading apostrophe (the OWASP advice); in XLSX it is written as a string cell, which
a spreadsheet never evaluates. Numbers stay numbers in both.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A sheet: its title, the header row and the rows (numbers and text only)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[int | str]]


def neutral(value: int | str) -> int | str:
    """``value`` for a CSV cell: text that a spreadsheet would run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    """UTF-8, comma-separated, the header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutral(title) for title in table.header])
    writer.writerows([neutral(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """One sheet per table, in order, each with its header in row 1."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        for row in (table.header, *table.rows):
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    # openpyxl makes "=…" a formula; a string cell is only ever shown.
                    cell.data_type = TYPE_STRING
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
