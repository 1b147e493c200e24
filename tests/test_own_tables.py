"""Users' own tables: next year's release, another REIT, overrides, XL_REIT_DATA."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from xl_reit import lookup
from xl_reit.errors import AmbiguousDateError, DataFileError, NoPaymentError, Origin
from xl_reit.table import AllocationTable, default_table, load_table, set_default_table
from xl_reit.udfs import REIT_ALLOC, REIT_CLASSES, REIT_PAYMENTS

HEADER = (
    "issuer,tax_year,class_name,cusip,symbol,row_kind,record_date,payable_date,"
    "dividend_per_share,ordinary,qualified,capital_gain,unrecaptured_1250,return_of_capital,"
    "source,release_date,notes\n"
)
# A made-up 2005 allocation for Aimco's Class A: the same CUSIP, a new tax year.
AIV_2005 = (Path(__file__).parent / "data" / "aiv-2005.csv").read_text()
# A made-up 2019 table for another REIT that publishes Section 199A dividends.
EXAMPLE_2019 = (Path(__file__).parent / "data" / "example-2019.csv").read_text()


@pytest.fixture
def own_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "aiv-2005.csv"
    path.write_text(AIV_2005)
    yield path
    set_default_table(None)


def test_next_years_release_sits_beside_this_years(own_file: Path) -> None:
    table = load_table([own_file])
    # Aimco's bundled 2004 and 2013 releases, and the made-up 2005 between them.
    assert [c.tax_year for c in table.by_cusip["03748R101"]] == [2004, 2005, 2013]
    assert lookup.allocation("AIV", "2004-02-27", "1b", table) == Decimal("0.013268")
    assert lookup.allocation("AIV", "2005-02-28", "1b", table) == Decimal("0.10")
    assert lookup.allocation("AIV", 2005, "qualified", table) == Decimal("0.10")
    with pytest.raises(NoPaymentError, match="several tax years; give the year instead: 2004"):
        lookup.allocation("AIV", "annual", "1b", table)


def test_a_repeated_class_year_is_an_error_unless_overridden(tmp_path: Path) -> None:
    corrected = tmp_path / "aiv-2004-corrected.csv"
    corrected.write_text(AIV_2005.replace("2005", "2004"))
    with pytest.raises(DataFileError) as caught:
        load_table([corrected])
    [problem] = map(str, caught.value.problems)
    assert problem.startswith(f"{corrected}, line 2, column cusip: CUSIP 03748R-10-1 tax year")
    assert "already loaded from aimco-2004.csv" in problem and "override" in problem

    table = load_table([corrected], override=True)
    [payment] = table.classes[("03748R101", 2004)].payments
    assert payment.origin == Origin(str(corrected), 2)  # the override is visible in every row
    assert lookup.allocation("AIV", "annual", "1b", table, tax_year=2004) == Decimal("0.10")


def test_two_years_claiming_one_date_are_refused(tmp_path: Path) -> None:
    clash = tmp_path / "clash.csv"
    clash.write_text(
        AIV_2005.replace("2005-02-28", "2004-02-27").replace("2005-02-18", "2004-02-20")
    )
    with pytest.raises(DataFileError, match="a date must pick one payment"):
        load_table([clash])


def test_a_later_years_section_199a_column_works_without_code_changes(tmp_path: Path) -> None:
    path = tmp_path / "example-2019.csv"
    path.write_text(EXAMPLE_2019)
    table = load_table([path])
    assert lookup.allocation("EXR", "2019-04-15", "box 5", table) == Decimal("0.60")
    assert lookup.allocation("EXR", "2019-04-15", "1a", table) == Decimal("0.70")
    assert lookup.allocation("EXR", "2019-04-15", "section 199a", table) == Decimal("0.60")


def test_xl_reit_data_adds_tables_to_every_lookup(
    own_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XL_REIT_DATA", str(own_file))
    set_default_table(None)
    assert REIT_ALLOC("AIV", "2005-02-28", "qualified") == 0.10
    header, *rows = REIT_PAYMENTS("AIV")
    # 4 payments of 2004, the one of 2005, and 4 of Aimco's 2013 release
    assert len(rows) == 9 and header[0] == "Record date"


def test_a_bad_table_in_xl_reit_data_is_reported_whole_and_nothing_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(AIV_2005.replace("50.0000", "51.0000").replace("03748R101", "03748R102"))
    monkeypatch.setenv("XL_REIT_DATA", str(bad))
    set_default_table(None)
    try:
        with pytest.raises(DataFileError) as caught:
            default_table()
        assert len(caught.value.problems) == 2
        cell = REIT_ALLOC("AIV", "2004-02-27", "qualified")
        assert isinstance(cell, str) and cell.startswith("#N/A ") and "bad.csv, line 2" in cell
        for spill in (REIT_CLASSES(), REIT_PAYMENTS("AIV")):  # never a traceback in a cell
            assert isinstance(spill, str) and spill.startswith("#N/A ")
    finally:
        set_default_table(None)


def test_tables_load_from_texts_without_files() -> None:
    table = AllocationTable.from_texts([("mine.csv", EXAMPLE_2019)])
    assert list(table.classes) == [("037833100", 2019)]


# A made-up monthly payer: February's record date is January's payment's payable date.
MONTHLY = Path(__file__).parent / "data" / "monthly-2019.csv"


def test_a_date_that_is_one_payments_record_date_and_anothers_payable_date_is_refused() -> None:
    table = load_table([MONTHLY])
    with pytest.raises(AmbiguousDateError) as caught:
        lookup.allocation("MTR", "2019-02-15", "ordinary", table)
    assert "record date of the payment of 2019-03-01 and the payable date of another" in str(
        caught.value
    )
    # Each payment's other date still finds it.
    assert lookup.allocation("MTR", "2019-01-31", "ordinary", table) == Decimal("0.5")
    assert lookup.allocation("MTR", "2019-03-01", "ordinary", table) == Decimal("1")


def test_a_holdings_record_date_column_means_record_dates_only(tmp_path: Path) -> None:
    from xl_reit.form1099 import compute
    from xl_reit.holdings import read_holdings

    table = load_table([MONTHLY])
    by_record = tmp_path / "by-record.csv"
    by_record.write_text("Symbol,Shares,Record date\nMTR,100,2019-02-15\n")
    holdings = read_holdings(by_record, table)
    (form,) = compute(holdings.classes, holdings.shares_for)
    # 100 shares of the 2019-03-01 payment: $0.20 each, all ordinary.
    assert form.total["1a"] == Decimal("20") and form.total["3"] == Decimal("0")
    by_payable = tmp_path / "by-payable.csv"
    by_payable.write_text("Symbol,Shares,Payable date\nMTR,100,2019-02-15\n")
    holdings = read_holdings(by_payable, table)
    (form,) = compute(holdings.classes, holdings.shares_for)
    # 100 shares of the 2019-02-15 payment: $0.10 each, half return of capital.
    assert form.total["1a"] == Decimal("5") and form.total["3"] == Decimal("5")


def test_a_years_amount_is_exact_when_its_payments_split_differently(tmp_path: Path) -> None:
    path = tmp_path / "uneven.csv"
    path.write_text(
        HEADER + "Example,2005,Common,037833100,EXR,payment,2005-03-01,2005-03-15,0.10,"
        "50.0000,0.0000,0.0000,0.0000,50.0000,made-up,2006-01-30,\n"
        "Example,2005,Common,037833100,EXR,payment,2005-06-01,2005-06-15,0.20,"
        "10.0000,0.0000,0.0000,0.0000,90.0000,made-up,2006-01-30,\n"
    )
    table = load_table([path])
    # 100 shares: $10 x 50% + $20 x 10% = $7 of ordinary dividends, exactly.
    assert lookup.amount("EXR", 2005, "ordinary", 100, table) == Decimal("7")
    assert str(lookup.amount("EXR", 2005, "ordinary", 100, table).normalize()) == "7"


def _fifo(folder: Path) -> Path:
    import os

    path = folder / "fifo.csv"
    os.mkfifo(path)
    return path


def _symlink_loop(folder: Path) -> Path:
    (folder / "a.csv").symlink_to(folder / "b.csv")
    (folder / "b.csv").symlink_to(folder / "a.csv")
    return folder / "a.csv"


def _gigabyte(folder: Path) -> Path:
    path = folder / "huge.csv"
    with path.open("wb") as stream:
        stream.truncate(1 << 30)  # sparse: a gigabyte read as NUL bytes
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_fifo, "it is not a file (a FIFO, socket or device); give a CSV file"),  # would wait
        (lambda folder: folder, "it is a folder; give a CSV file"),
        (lambda folder: Path("/dev/zero"), "it is not a file (a FIFO, socket or device)"),
        (_gigabyte, "it is over 20 MB, and a table file is some kilobytes"),
        (_symlink_loop, "Too many levels of symbolic links"),
    ],
)
def test_xl_reit_data_naming_what_is_no_table_file_is_refused_at_once_in_every_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hang_guard: None, make: object, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    monkeypatch.setenv("XL_REIT_DATA", str(path))
    set_default_table(None)
    try:
        with pytest.raises(DataFileError) as caught:
            default_table()
        assert str(caught.value).startswith(f"{path}: cannot read the table: ")
        assert message in str(caught.value)
        cell = REIT_ALLOC("AIV", "2004-02-27", "qualified")
        assert isinstance(cell, str) and cell.startswith("#N/A ") and message in cell
    finally:
        set_default_table(None)
