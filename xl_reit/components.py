"""The one vocabulary: the parts a REIT dividend splits into, and the 1099-DIV boxes.

A REIT's allocation release splits each payment into *disjoint* parts that add
up to 100% of it:

``ordinary``
    Taxable ordinary dividends that are **not** qualified: taxed at ordinary
    income rates. (The release's column "Ordinary Dividends".)
``qualified``
    Qualified dividends, taxed at the lower capital-gain rate (15% in 2004).
``capital_gain``
    Capital gain distributions other than unrecaptured Sec. 1250 gain (15% rate).
``unrecaptured_1250``
    Unrecaptured Sec. 1250 gain: the part of a gain on real property that
    recaptures depreciation, taxed at up to 25%.
``return_of_capital``
    A nondividend distribution: not taxed now, it lowers the shareholder's
    cost basis instead.
``section_199a``
    Section 199A dividends (from tax year 2018): ordinary REIT dividends that
    qualify for the 20% deduction. No 2004 table has them; a later year's table
    adds the column and every lookup finds it without code changes.

Form 1099-DIV reports sums of these parts in boxes whose meanings change with
the form's year, so the box → component mapping is keyed by tax year
(:data:`FORM_1099_DIV_BOXES`). In 2004: box 1a *total ordinary dividends* is
ordinary + qualified; 1b is qualified; 2a *total capital gain distributions* is
capital gain + unrecaptured 1250; 2b is unrecaptured 1250; 3 *nondividend
distributions* is return of capital. Box 5 meant investment expenses then, and
from 2018 it holds Section 199A dividends.

Names are matched after :func:`normalise`: case, spaces, hyphens, underscores,
dots, a leading "box" and a trailing "(15% rate)" do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import UnknownComponentError, shown

__all__ = [
    "COMPONENTS",
    "FORM_1099_DIV_BOXES",
    "PARTS",
    "Component",
    "boxes",
    "boxes_for_year",
    "normalise",
    "resolve",
    "summary",
    "valid_names",
]


@dataclass(frozen=True)
class Component:
    """A named share of a payment: one published part, or a sum of parts."""

    name: str
    label: str
    parts: tuple[str, ...]
    aliases: tuple[str, ...]
    description: str


#: The published, disjoint parts of a payment, in the order releases print them.
PARTS: tuple[str, ...] = (
    "ordinary",
    "qualified",
    "section_199a",
    "capital_gain",
    "unrecaptured_1250",
    "return_of_capital",
)

COMPONENTS: dict[str, Component] = {
    component.name: component
    for component in (
        Component(
            "ordinary",
            "Ordinary",
            ("ordinary",),
            (
                "ordinary dividends",
                "taxable ordinary dividends",
                "nonqualified",
                "nonqualified dividends",
                "ordinary income",
            ),
            "Taxable ordinary dividends that are not qualified dividends.",
        ),
        Component(
            "qualified",
            "Qualified",
            ("qualified",),
            ("qualified dividends", "qualified dividend", "qdi"),
            "Qualified dividends, taxed at the capital-gain rate.",
        ),
        Component(
            "section_199a",
            "Section 199A",
            ("section_199a",),
            ("199a", "sec 199a", "section 199a dividends", "sec. 199a dividends"),
            "Section 199A dividends (tax years 2018 on).",
        ),
        Component(
            "capital_gain",
            "Capital gain",
            ("capital_gain",),
            ("capital gain", "capital gains", "cap gain"),
            "Capital gain other than unrecaptured Sec. 1250 gain.",
        ),
        Component(
            "unrecaptured_1250",
            "Unrecaptured 1250",
            ("unrecaptured_1250",),
            (
                "unrecaptured 1250 gain",
                "unrecaptured sec. 1250 gain",
                "unrecaptured section 1250 gain",
                "sec. 1250",
                "sec 1250",
                "section 1250",
                "1250",
                "1250 gain",
                "sec. 1250 gain",
            ),
            "Unrecaptured Sec. 1250 gain (25% rate).",
        ),
        Component(
            "return_of_capital",
            "Return of capital",
            ("return_of_capital",),
            (
                "roc",
                "return of capital",
                "nondividend",
                "nondividend distributions",
                "non-dividend distributions",
                "nontaxable distributions",
            ),
            "Return of capital: a nondividend distribution that lowers cost basis.",
        ),
        Component(
            "total_ordinary",
            "Total ordinary",
            ("ordinary", "qualified", "section_199a"),
            ("total ordinary dividends", "total ordinary"),
            "Total ordinary dividends: ordinary + qualified (+ Section 199A).",
        ),
        Component(
            "total_capital_gain",
            "Total capital gain",
            ("capital_gain", "unrecaptured_1250"),
            ("total capital gain distributions", "total capital gain", "total capital gains"),
            "Total capital gain distributions: capital gain + unrecaptured 1250.",
        ),
    )
}

#: Form 1099-DIV boxes that hold allocation components, by the first tax year
#: of each edition of the form: ``(first_year, {box: component})``.
FORM_1099_DIV_BOXES: tuple[tuple[int, dict[str, str]], ...] = (
    (
        2003,
        {
            "1a": "total_ordinary",
            "1b": "qualified",
            "2a": "total_capital_gain",
            "2b": "unrecaptured_1250",
            "3": "return_of_capital",
        },
    ),
    (
        2018,
        {
            "1a": "total_ordinary",
            "1b": "qualified",
            "2a": "total_capital_gain",
            "2b": "unrecaptured_1250",
            "3": "return_of_capital",
            "5": "section_199a",
        },
    ),
)

_RATE_SUFFIX = re.compile(r"\(?\s*\d+(\.\d+)?\s*%\s*(tax\s*)?rate\s*\)?\s*$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Fold a component name or box to its lookup key.

    >>> normalise("Qualified Dividends (15% Rate)"), normalise("Box 1b")
    ('qualifieddividends', '1b')
    >>> normalise("return-of-capital")
    'returnofcapital'
    """
    key = _RATE_SUFFIX.sub("", text.strip().lower())
    key = _NON_ALNUM.sub("", key)
    if key.startswith("box") and len(key) > 3:
        key = key[3:]
    return key


_NAME_KEYS: dict[str, str] = {}
for _component in COMPONENTS.values():
    for _spelling in (_component.name, _component.label, *_component.aliases):
        _NAME_KEYS[normalise(_spelling)] = _component.name


def boxes_for_year(tax_year: int) -> dict[str, str]:
    """The 1099-DIV box → component mapping of the form for ``tax_year``."""
    mapping: dict[str, str] = {}
    for first_year, boxes in FORM_1099_DIV_BOXES:
        if tax_year >= first_year:
            mapping = boxes
    return mapping


#: Longer than any name or alias: such text is refused before it is read.
MAX_NAME_LENGTH = 100


def resolve(text: str, tax_year: int, published: frozenset[str]) -> Component:
    """Return the component ``text`` names for a table of ``tax_year``.

    ``published`` is the set of parts the table prints. A name, alias or box
    that is unknown, or that asks for a part the table does not publish,
    raises :class:`UnknownComponentError` listing what is valid.
    """
    if len(text) > MAX_NAME_LENGTH:
        raise UnknownComponentError(
            f"component {shown(text)} ({len(text):,} characters) is not a name; "
            f"valid: {', '.join(valid_names(tax_year, published))}"
        )
    return _resolve(text, tax_year, published)


@lru_cache(maxsize=4096)
def _resolve(text: str, tax_year: int, published: frozenset[str]) -> Component:
    key = normalise(text)
    boxes = boxes_for_year(tax_year)
    name = boxes.get(key) or _NAME_KEYS.get(key)
    if name is not None:
        component = COMPONENTS[name]
        if any(part in published for part in component.parts) and (
            len(component.parts) > 1 or component.name in published
        ):
            return component
        raise UnknownComponentError(
            f"component {shown(text)}: {component.label.lower()} is not published for tax year "
            f"{tax_year}; valid: {', '.join(valid_names(tax_year, published))}"
        )
    if re.fullmatch(r"\d{1,2}[a-z]?", key):
        raise UnknownComponentError(
            f"component {shown(text)}: box {key} of the tax-year-{tax_year} Form 1099-DIV holds no "
            f"allocation component; valid: {', '.join(valid_names(tax_year, published))}"
        )
    raise UnknownComponentError(
        f"component {shown(text)} is not known; "
        f"valid: {', '.join(valid_names(tax_year, published))}"
    )


def boxes() -> tuple[str, ...]:
    """Every 1099-DIV box that holds an allocation component in some edition of the form.

    >>> boxes()
    ('1a', '1b', '2a', '2b', '3', '5')
    """
    return tuple(dict.fromkeys(box for _, mapping in FORM_1099_DIV_BOXES for box in mapping))


def summary() -> str:
    """What a component argument may be, in one line, for help texts and the Function Wizard.

    Made from this vocabulary, so help never lists a name a lookup refuses or
    misses one it answers.
    """
    return f"{', '.join(COMPONENTS)}, or a 1099-DIV box ({', '.join(boxes())})"


def valid_names(tax_year: int, published: frozenset[str]) -> list[str]:
    """The canonical names and boxes a table of ``tax_year`` answers."""
    names = [
        component.name
        for component in COMPONENTS.values()
        if any(part in published for part in component.parts)
        and (len(component.parts) > 1 or component.name in published)
    ]
    boxes = [f"box {box}" for box, name in boxes_for_year(tax_year).items() if name in names]
    return names + boxes
