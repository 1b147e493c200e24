"""The template workbook: a Form 1099-DIV from the release's own figures, in any spreadsheet.

Two kinds, one contract. The default workbook is self-contained: every figure
is a formula over the printed figures on its Release sheet (plain arithmetic,
``SUMIFS``, ``SUM``, ``IF``, ``COUNT``, ``COUNTIF``, ``ABS``, nothing newer than
Excel 2010 and no ``REIT_*`` call), so it calculates the same in Excel (any
edition), LibreOffice, Google Sheets and Numbers, and can be sent to anyone.
``live=True`` (``xl-reit template --live``) writes the workbook whose cells
call the ``REIT_*`` functions through the xlwings add-in (classic or Lite) and
follow the tables it has loaded.

``Payments`` (an Excel table of the same name; :mod:`.payments`)
    one row per payment of every class, grouped by class in the table's
    order: ``Class``, ``CUSIP``, ``Ticker``, ``Issuer``, ``Record date``,
    ``Payable date``, ``Dividend per share``, ``Shares held`` (the one input
    column), one column per published part (its fraction of the dividend),
    then ``Total`` (1a + 2a + 3 added with ``+``: a visible 100% check).
``Amounts`` (table ``Amounts``; :mod:`.amounts`)
    the same rows: who, the payable date, the shares held, then one dollar
    column per part (shares × dividend × fraction).
``1099-DIV`` (table ``Form1099DIV``; :mod:`.form`)
    one row per class: each box sums the Amounts columns of its figure by
    CUSIP with ``SUMIFS``, or says "not printed"; the totals row adds what is
    printed and the row under it names the classes that print no such figure.
``Basis`` (table ``Basis``; :mod:`.basis`), where holdings give lots with a Cost
    a row per lot: its basis at the start of the year, the year's return of
    capital (box 3) over the payments it holds, the basis after it and any
    capital gain beyond it, as formulas.
``Release`` (:mod:`.release`)
    each class as the release prints it, the printed digits as plain values,
    and a ``Check`` column comparing the Payments sheet's figures with them.
``Chart`` (:mod:`.chart`)
    each payment's dividend per share split into boxes 1a, 2a and 3, and
    the year's split for the shares held: stacked column charts.
``About``, ``xlwings.conf`` (:mod:`.about`)
    the source, the data's provenance and repairs, the package version, which
    kind of workbook it is and how to use either, that this is not tax
    advice; and ``UDF Modules`` = ``xl_reit.udfs`` for the xlwings add-in.

Where things are is decided once, in :mod:`.layout`; how cells look and
print, in :mod:`.styles`. Formulas use plain A1 references (other formula
engines cannot read structured references). Text that comes from data is
always stored as text, never as a formula. The same classes give the same
workbook, byte for byte: document properties and zip timestamps are fixed to
the release date.

openpyxl is imported by this package and, to read users' holdings workbooks,
by :mod:`xl_reit.holdings.xlsx`; nowhere else.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

from .. import cusip as cusip_module
from ..atomic import write_atomically
from ..errors import TemplateSelectionError
from ..holdings import Holdings, Lot, share_key
from ..model import SecurityClass
from .about import build_about, build_config
from .amounts import build_amounts
from .basis import basis_lots, build_basis
from .chart import build_chart
from .form import build_form
from .layout import (
    ABOUT_SHEET,
    AMOUNTS_SHEET,
    AMOUNTS_TABLE,
    BASIS_SHEET,
    CHART_SHEET,
    CONFIG_SHEET,
    FORM_SHEET,
    FORM_TABLE,
    PAYMENTS_SHEET,
    PAYMENTS_TABLE,
    RELEASE_SHEET,
    layout,
    lines_of,
    payments_columns,
    title,
)
from .payments import build_payments
from .release import build_release
from .styles import storable

__all__ = [
    "ABOUT_SHEET",
    "AMOUNTS_SHEET",
    "AMOUNTS_TABLE",
    "BASIS_SHEET",
    "CHART_SHEET",
    "CONFIG_SHEET",
    "FORM_SHEET",
    "FORM_TABLE",
    "PAYMENTS_SHEET",
    "PAYMENTS_TABLE",
    "RELEASE_SHEET",
    "build",
    "classes_for_year",
    "payments_columns",
    "save",
    "write_template",
]


def _stamp(classes: Sequence[SecurityClass]) -> dt.datetime:
    """A fixed time for the file's properties: the latest release date, at midnight."""
    released = [p.release_date for s in classes for p in s.lines if p.release_date]
    day = max(released) if released else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def classes_for_year(
    classes: Sequence[SecurityClass], tax_year: int | None = None, *, strict: bool = False
) -> tuple[SecurityClass, ...]:
    """The classes of one tax year: ``tax_year``, or the latest of ``classes``.

    A workbook holds one year's Form 1099-DIV. With ``strict`` (the user
    named the classes), every class must have a table for that year.
    """
    years = sorted({security.tax_year for security in classes})
    if not years:
        raise TemplateSelectionError("no classes to put in the workbook")
    year = years[-1] if tax_year is None else tax_year
    chosen = tuple(security for security in classes if security.tax_year == year)
    lacking = sorted(
        {s.class_name for s in classes} - {s.class_name for s in chosen}, key=str.casefold
    )
    if not chosen or (strict and lacking):
        raise TemplateSelectionError(
            f"tax year {year}: no table for {', '.join(lacking)}; "
            f"the classes chosen have tax years {', '.join(map(str, years))} (choose with --year)"
        )
    return chosen


def _check_holdings(classes: Sequence[SecurityClass], holdings: Holdings) -> None:
    """Refuse holdings of a payment the workbook does not show.

    A payment split between two tax years counts in both: shares held on it
    are shown in the workbook of either year.
    """
    shown = {share_key(line) for security in classes for line in lines_of(security)}
    held = {(s.cusip, s.tax_year): s for s in holdings.classes}
    missing = [
        security
        for security in held.values()
        if any(
            share_key(line) not in shown
            and (holdings.shares_for(line) or holdings.amount_for(line))
            for line in lines_of(security)
        )
    ]
    if missing:
        raise TemplateSelectionError(
            f"holdings {holdings.source!r} hold "
            + ", ".join(f"{s.class_name} ({cusip_module.format(s.cusip)})" for s in missing)
            + ", which the workbook does not hold (choose them with --cusip, or their "
            "tax year with --year)"
        )


def build(
    classes: Sequence[SecurityClass],
    holdings: Holdings | None = None,
    *,
    live: bool = False,
    lots: Sequence[Lot] | None = None,
) -> Workbook:
    """The template workbook for ``classes`` (one tax year, rows in the order given).

    ``holdings``, when given, fills in Shares held; payments it does not
    mention stay blank. ``live`` makes the figures ``REIT_*`` calls through
    the xlwings add-in instead of formulas over the printed figures. Lots
    with a Cost (``lots``, read with every year loaded so that a basis is
    carried over the earlier ones; default: the holdings') get a Basis sheet.

    Raises :class:`TemplateSelectionError` for classes of several tax years,
    or holdings of a class the workbook does not hold.
    """
    if not classes:
        raise TemplateSelectionError("no classes to put in the workbook")
    where = layout(classes, live=live)
    if holdings is not None:
        _check_holdings(classes, holdings)
    workbook = openpyxl.Workbook()
    payments = workbook.active
    payments.title = PAYMENTS_SHEET
    build_payments(payments, where, title(classes), holdings)
    build_amounts(workbook.create_sheet(AMOUNTS_SHEET), where, title(classes))
    build_form(workbook.create_sheet(FORM_SHEET), where)
    with_cost = basis_lots(where, holdings.lots if lots is None and holdings else lots or ())
    if with_cost:
        build_basis(workbook.create_sheet(BASIS_SHEET), where, title(classes), with_cost)
    build_release(workbook.create_sheet(RELEASE_SHEET), where)
    build_chart(workbook.create_sheet(CHART_SHEET), where)
    build_about(workbook.create_sheet(ABOUT_SHEET), where, holdings)
    build_config(workbook.create_sheet(CONFIG_SHEET))
    stamp = _stamp(classes)
    workbook.properties.creator = "xl-reit"
    workbook.properties.lastModifiedBy = "xl-reit"
    workbook.properties.title = storable(title(classes))
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    return workbook


class _StampedZipFile(zipfile.ZipFile):
    """A zip file whose every entry carries one fixed time (openpyxl stamps the clock's)."""

    def __init__(self, path: Path, date_time: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.date_time = date_time

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: str | bytes, *args: Any, **kwargs: Any
    ) -> None:
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        entry = zipfile.ZipInfo(name, date_time=self.date_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(entry, data, *args, **kwargs)

    def write(  # type: ignore[override]
        self,
        filename: str | os.PathLike[str],
        arcname: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        """openpyxl writes worksheets from temporary files: stamp those entries too."""
        self.writestr(arcname or os.fspath(filename), Path(filename).read_bytes())


def _write_reproducibly(workbook: Workbook, path: Path) -> None:
    """Save like openpyxl does, but with fixed timestamps, so equal workbooks are equal bytes.

    ``openpyxl.Workbook.save`` stamps the current time into the document
    properties and every zip entry; the workbook's properties are fixed when
    it is built, and the zip entries get its ``modified`` time as they are
    written.
    """
    stamp = workbook.properties.modified
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    ExcelWriter(workbook, _StampedZipFile(path, date_time)).save()  # closes the archive


def save(workbook: Workbook, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``workbook`` to ``path`` atomically (see :mod:`xl_reit.atomic`); the path written."""
    return write_atomically(
        path, lambda temporary: _write_reproducibly(workbook, temporary), overwrite=overwrite
    )


def write_template(
    path: str | Path,
    classes: Sequence[SecurityClass],
    holdings: Holdings | None = None,
    *,
    overwrite: bool = False,
    live: bool = False,
    lots: Sequence[Lot] | None = None,
) -> Path:
    """Build the workbook for ``classes`` and write it to ``path``; the path written."""
    return save(build(classes, holdings, live=live, lots=lots), path, overwrite=overwrite)
