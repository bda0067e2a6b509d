"""The agreements table as CSV and XLSX, for the department's report to the city.

Why one module: the web download, the HTTP export and ``hoptac agreements --csv/--xlsx`` must give
the same columns in the same order; this is the one place that says what they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kb.records import AgreementOut

COLUMNS = (
    "document",
    "number",
    "title",
    "foreign partners",
    "countries",
    "signed",
    "effective",
    "months",
    "expires",
    "status",
    "funding",
    "areas",
)

Cell = str | int | float | date | None


def rows(agreements: Sequence[AgreementOut]) -> list[list[Cell]]:
    """One row per agreement, typed (dates as dates, months as numbers) for a spreadsheet."""
    table: list[list[Cell]] = []
    for a in agreements:
        foreign = [p for p in a.parties if p.side == "foreign"]
        table.append(
            [
                a.document_id,
                a.number,
                a.title,
                "; ".join(p.name for p in foreign),
                "; ".join(sorted({p.country or "" for p in foreign})),
                _date(a.signed),
                _date(a.effective),
                a.duration_months,
                _date(a.expires),
                a.status,
                "; ".join(
                    f"{f.amount or ''} {f.currency or ''} {', '.join(f.funders)}".strip()
                    for f in a.funding
                ),
                ", ".join(a.areas),
            ]
        )
    return table


def to_csv(agreements: Sequence[AgreementOut]) -> str:
    """CSV with a BOM, so spreadsheet programs read the Vietnamese accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(agreements):
        writer.writerow(["" if v is None else v for v in row])
    return "\ufeff" + buffer.getvalue()


def to_xlsx(agreements: Sequence[AgreementOut]) -> bytes:
    """An XLSX workbook: a bold, frozen header with filters, real dates, readable column widths."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "agreements"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    table = rows(agreements)
    for row in table:
        sheet.append(row)
    for column, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(column)
        longest = max([len(name), *(len(str(r[column - 1] or "")) for r in table)])
        sheet.column_dimensions[letter].width = min(60, longest + 2)
        if isinstance(next((r[column - 1] for r in table if r[column - 1]), None), date):
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
