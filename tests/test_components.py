"""The one vocabulary of components and Form 1099-DIV boxes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xl_reit.components import COMPONENTS, PARTS, boxes_for_year, normalise, resolve
from xl_reit.errors import UnknownComponentError

PUBLISHED_2004 = frozenset(
    {"ordinary", "qualified", "capital_gain", "unrecaptured_1250", "return_of_capital"}
)


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("qualified", "qualified"),
        ("Qualified Dividends", "qualified"),
        ("Qualified Dividends (15% Rate)", "qualified"),
        ("ordinary", "ordinary"),
        ("Taxable Ordinary Dividends", "ordinary"),
        ("capital-gain", "capital_gain"),
        ("Capital Gain (15% Rate)", "capital_gain"),
        ("Unrecaptured Sec. 1250 Gain (25% Rate)", "unrecaptured_1250"),
        ("Sec. 1250", "unrecaptured_1250"),
        ("UNRECAPTURED_1250", "unrecaptured_1250"),
        ("ROC", "return_of_capital"),
        ("nondividend", "return_of_capital"),
        ("Return of Capital", "return_of_capital"),
        ("total ordinary", "total_ordinary"),
        ("total_capital_gain", "total_capital_gain"),
        ("1a", "total_ordinary"),
        ("Box 1a", "total_ordinary"),
        ("box1b", "qualified"),
        ("BOX 2A", "total_capital_gain"),
        ("2b", "unrecaptured_1250"),
        ("box 3", "return_of_capital"),
    ],
)
def test_forgiving_spellings_resolve_to_one_component(spelling: str, name: str) -> None:
    assert resolve(spelling, 2004, PUBLISHED_2004).name == name


def test_totals_are_sums_of_two_parts_and_other_figures_sit_inside_a_box() -> None:
    # Box 1a is ordinary (nonqualified) + qualified; Section 199A dividends (box 5) are
    # a figure inside 1a, not a third part: one real release prints them equal to 1a
    # while 1b is not zero.
    assert COMPONENTS["total_ordinary"].parts == ("ordinary", "qualified")
    assert COMPONENTS["total_capital_gain"].parts == ("capital_gain", "unrecaptured_1250")
    assert COMPONENTS["section_199a"].parent == "total_ordinary"
    assert COMPONENTS["section_897_capital_gain"].parent == "total_capital_gain"


def test_box_5_meant_investment_expenses_in_2004_and_section_199a_from_2018() -> None:
    assert "5" not in boxes_for_year(2004)
    assert boxes_for_year(2018)["5"] == "section_199a"
    with pytest.raises(UnknownComponentError, match="box 5 of the tax-year-2004"):
        resolve("box 5", 2004, PUBLISHED_2004)


def test_a_later_years_table_adds_section_199a_without_code_changes() -> None:
    published = PUBLISHED_2004 | {"section_199a"}
    assert resolve("box 5", 2019, published).name == "section_199a"
    assert resolve("Section 199A dividends", 2019, published).parts == ("section_199a",)


def test_section_199a_is_refused_where_the_table_does_not_publish_it() -> None:
    with pytest.raises(UnknownComponentError, match="not published for tax year 2004"):
        resolve("section_199a", 2004, PUBLISHED_2004)


def test_unknown_component_lists_the_valid_names() -> None:
    with pytest.raises(UnknownComponentError) as caught:
        resolve("dividend", 2004, PUBLISHED_2004)
    message = str(caught.value)
    assert message.startswith("component 'dividend' is not known; valid: ")
    for name in (
        "ordinary",
        "qualified",
        "capital_gain",
        "unrecaptured_1250",
        "return_of_capital",
        "total_ordinary",
        "total_capital_gain",
        "box 1a",
    ):
        assert name in message


def test_every_part_is_a_component_of_its_own() -> None:
    for part in PARTS:
        assert COMPONENTS[part].parts == (part,)


def test_normalise_folds_case_punctuation_box_and_rate() -> None:
    assert normalise("  Box 1B ") == "1b"
    assert normalise("Qualified Dividends (15% Rate)") == "qualifieddividends"
    assert normalise("return-of_capital") == "returnofcapital"


# --- the README's table of names is this vocabulary -----------------------------

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_components() -> dict[str, list[str]]:
    """The README's component table: each name and what it says is also accepted."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| Name | Also accepted |") :].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]*) \|", table, re.MULTILINE)
    return {
        name: [re.sub(r"\s*\(([^)]*)\)", r" \1", also).strip() for also in spellings.split(",")]
        for name, spellings in rows
    }


def test_the_readme_lists_every_component_and_no_other() -> None:
    assert set(readme_components()) == set(COMPONENTS)


def test_every_spelling_the_readme_accepts_is_accepted() -> None:
    for name, spellings in readme_components().items():
        for spelling in spellings:
            assert resolve(spelling, 2023).name == name, (spelling, name)


def test_the_readme_gives_each_figures_box_in_the_latest_form() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| Name | Also accepted |") :].split("\n\n", 1)[0]
    boxes = dict(re.findall(r"^\| `(\w+)` \|[^|]*\| (\d[a-f]?)\b", table, re.MULTILINE))
    latest = {name: box for box, name in boxes_for_year(2023).items()}
    assert {name: box for name, box in boxes.items() if name in latest} == latest
