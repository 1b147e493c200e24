"""The one vocabulary: the figures a REIT's release prints, and the Form 1099-DIV boxes by edition.

A REIT's dividend is reported on Form 1099-DIV in three parts that add up to
it: total ordinary dividends (box 1a), total capital gain distributions
(box 2a) and nondividend distributions (box 3, a return of capital). Each of
the first two holds figures printed "of which":

``total_ordinary`` (box 1a)
    Taxable ordinary dividends. Of which:
    ``qualified`` (box 1b) qualified dividends, taxed at the capital-gain rate;
    ``ordinary`` the rest, 1a − 1b, taxed at ordinary rates (the 2004 release
    prints it as "Ordinary Dividends"); ``section_199a`` (box 5 from 2018)
    Section 199A dividends, which qualify for the 20% deduction; and
    ``section_897_ordinary`` (box 2e from 2021) Section 897 ordinary dividends,
    from U.S. real property interests (what a foreign holder needs).
``total_capital_gain`` (box 2a)
    Capital gain distributions. Of which: ``unrecaptured_1250`` (box 2b)
    unrecaptured Sec. 1250 gain (the part of a real-property gain that
    recaptures depreciation, taxed at up to 25%); ``capital_gain`` the rest,
    2a − 2b; ``section_1202`` (2c) Section 1202 gain; ``collectibles`` (2d)
    collectibles (28%) gain; ``section_897_capital_gain`` (2f from 2021); and
    the Section 1061 one-year and three-year amounts, which releases disclose
    for holders of carried interests (no box of their own).
``return_of_capital`` (box 3)
    A nondividend distribution: not taxed now, it lowers the holder's cost
    basis instead.

So 1a + 2a + 3 is the part of a payment that a tax year's form reports.
``ordinary`` + ``qualified`` is 1a and ``capital_gain`` + ``unrecaptured_1250``
is 2a; every other figure sits inside its box without adding up with its
siblings (one real release prints Section 199A dividends equal to 1a while 1b
is not zero, and the form allows it).

The form's boxes have changed meaning over the years (:data:`EDITIONS`): box
5 held investment expenses before 2018, and the 2x boxes were numbered
otherwise before 2004. A box is always read in the edition of the table's
tax year.

Names are matched after :func:`normalise`: case, spaces, hyphens, underscores,
dots, a leading "box" and a trailing "(15% rate)" do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import UnknownComponentError, shown

__all__ = [
    "COMPONENTS",
    "EDITIONS",
    "FORM_1099_DIV_BOXES",
    "PARTS",
    "SPLITS",
    "TOP",
    "Component",
    "Edition",
    "box_order",
    "boxes",
    "boxes_for_year",
    "edition",
    "normalise",
    "resolve",
    "summary",
    "valid_names",
    "with_totals",
]


@dataclass(frozen=True)
class Component:
    """One figure of a payment that a release prints: a box of the form, or a part of one.

    ``parent`` is the figure it sits inside (``None`` for 1a, 2a and 3, the
    parts of the dividend); ``parts`` are the figures that add up to it
    (``ordinary`` and ``qualified`` for 1a), or just itself; ``disclosure``
    marks a figure a release discloses that is no box of the form.
    """

    name: str
    label: str
    aliases: tuple[str, ...]
    description: str
    parent: str | None = None
    parts: tuple[str, ...] = field(default=())
    disclosure: bool = False

    def __post_init__(self) -> None:
        if not self.parts:
            object.__setattr__(self, "parts", (self.name,))


#: The parts of a tax year's dividend: 1a + 2a + 3.
TOP: tuple[str, ...] = ("total_ordinary", "total_capital_gain", "return_of_capital")

#: The boxes that are the sum of two figures a release may print instead.
SPLITS: Mapping[str, tuple[str, str]] = {
    "total_ordinary": ("ordinary", "qualified"),
    "total_capital_gain": ("capital_gain", "unrecaptured_1250"),
}

COMPONENTS: dict[str, Component] = {
    component.name: component
    for component in (
        Component(
            "total_ordinary",
            "Total ordinary",
            ("total ordinary dividends", "total ordinary"),
            "Total ordinary dividends: ordinary + qualified.",
            parts=SPLITS["total_ordinary"],
        ),
        Component(
            "ordinary",
            "Ordinary",
            (
                "ordinary dividends",
                "taxable ordinary dividends",
                "nonqualified",
                "nonqualified dividends",
                "non-qualified dividends",
                "ordinary income",
            ),
            "Ordinary dividends that are not qualified dividends (1a less 1b).",
            parent="total_ordinary",
        ),
        Component(
            "qualified",
            "Qualified",
            ("qualified dividends", "qualified dividend", "qdi"),
            "Qualified dividends, taxed at the capital-gain rate.",
            parent="total_ordinary",
        ),
        Component(
            "section_199a",
            "Section 199A",
            ("199a", "sec 199a", "section 199a dividends", "sec. 199a dividends"),
            "Section 199A dividends, within total ordinary dividends (tax years 2018 on).",
            parent="total_ordinary",
        ),
        Component(
            "section_897_ordinary",
            "Section 897 ordinary",
            ("section 897 ordinary dividends", "sec 897 ordinary dividends", "897 ordinary"),
            "Section 897 ordinary dividends, within total ordinary dividends (2021 on).",
            parent="total_ordinary",
        ),
        Component(
            "total_capital_gain",
            "Total capital gain",
            (
                "total capital gain distributions",
                "total capital gain distribution",
                "total capital gain",
                "total capital gains",
                "capital gain distributions",
            ),
            "Total capital gain distributions: capital gain + unrecaptured 1250.",
            parts=SPLITS["total_capital_gain"],
        ),
        Component(
            "capital_gain",
            "Capital gain",
            ("capital gain", "capital gains", "cap gain"),
            "Capital gain other than unrecaptured Sec. 1250 gain (2a less 2b).",
            parent="total_capital_gain",
        ),
        Component(
            "unrecaptured_1250",
            "Unrecaptured 1250",
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
            parent="total_capital_gain",
        ),
        Component(
            "section_1202",
            "Section 1202 gain",
            ("section 1202", "sec 1202 gain", "1202 gain", "1202"),
            "Section 1202 gain (small business stock), within total capital gain.",
            parent="total_capital_gain",
        ),
        Component(
            "collectibles",
            "Collectibles (28%) gain",
            ("collectibles gain", "collectibles (28%) gain", "28% rate gain", "28% gain"),
            "Collectibles (28%) gain, within total capital gain.",
            parent="total_capital_gain",
        ),
        Component(
            "section_897_capital_gain",
            "Section 897 capital gain",
            ("section 897 capital gain", "sec 897 capital gain", "897 capital gain"),
            "Section 897 capital gain, within total capital gain (2021 on).",
            parent="total_capital_gain",
        ),
        Component(
            "section_1061_one_year",
            "Section 1061 one-year",
            (
                "section 1061 one year amounts",
                "section 1061 one year amounts disclosure",
                "one year amounts disclosure",
                "1061 one year",
            ),
            "Section 1061 one-year amounts: a disclosure within total capital gain, no box.",
            parent="total_capital_gain",
            disclosure=True,
        ),
        Component(
            "section_1061_three_year",
            "Section 1061 three-year",
            (
                "section 1061 three year amounts",
                "section 1061 three year amounts disclosure",
                "three year amounts disclosure",
                "1061 three year",
            ),
            "Section 1061 three-year amounts: a disclosure within total capital gain, no box.",
            parent="total_capital_gain",
            disclosure=True,
        ),
        Component(
            "return_of_capital",
            "Return of capital",
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
    )
}

#: The parts a release that splits each payment into disjoint parts prints (as the
#: 2004 release does), in its order: they add up to the payment.
PARTS: tuple[str, ...] = (
    "ordinary",
    "qualified",
    "section_199a",
    "capital_gain",
    "unrecaptured_1250",
    "return_of_capital",
)


@dataclass(frozen=True)
class Edition:
    """One edition of Form 1099-DIV: the tax years it serves and what its boxes hold.

    ``boxes`` maps each box that holds one of xl-reit's figures to its name;
    ``others`` names the boxes that hold something else, so that a message
    can say what such a box is. ``source`` says where the layout was read.
    """

    first_year: int
    boxes: Mapping[str, str]
    others: Mapping[str, str]
    source: str


_LATER_OTHERS = {
    "4": "federal income tax withheld",
    "6": "investment expenses",
    "7": "foreign tax paid",
    "9": "cash liquidation distributions",
    "10": "noncash liquidation distributions",
    "11": "exempt-interest dividends",
    "12": "specified private activity bond interest dividends",
}
_2004_BOXES = {
    "1a": "total_ordinary",
    "1b": "qualified",
    "2a": "total_capital_gain",
    "2b": "unrecaptured_1250",
    "2c": "section_1202",
    "2d": "collectibles",
    "3": "return_of_capital",
}

#: The editions of Form 1099-DIV, oldest first; each serves from its first tax year on.
EDITIONS: tuple[Edition, ...] = (
    Edition(
        1900,
        {
            "1": "total_ordinary",
            "2a": "total_capital_gain",
            "2d": "unrecaptured_1250",
            "2e": "section_1202",
            "3": "return_of_capital",
        },
        {"2b": "28% rate gain", "2c": "qualified 5-year gain", "4": "federal income tax withheld"},
        "Form 1099-DIV (2001): 1 ordinary dividends, 2a total capital gain distr., 2b 28% rate "
        "gain, 2c qualified 5-year gain, 2d unrecap. sec. 1250 gain, 2e section 1202 gain, 3 "
        "nontaxable distributions",
    ),
    Edition(
        2003,
        {"1a": "total_ordinary", "1b": "qualified", "2a": "total_capital_gain"}
        | {"3": "return_of_capital"},
        {
            "2b": "post-May 5 capital gain distributions",
            "4": "federal income tax withheld",
        },
        "2003 Instructions for Form 1099-DIV (Rev. February 2004): new box 1b qualified "
        "dividends and box 2b post-May 5 capital gain distr.; the 2003 form's other 2x boxes "
        "are not mapped (ask for those figures by name)",
    ),
    Edition(
        2004,
        _2004_BOXES,
        {**_LATER_OTHERS, "5": "investment expenses", "6": "foreign tax paid"},
        "Form 1099-DIV (2004 to 2017): 1a, 1b, 2a, 2b unrecap. sec. 1250 gain, 2c section 1202 "
        "gain, 2d collectibles (28%) gain, 3 nondividend distributions, 5 investment expenses",
    ),
    Edition(
        2018,
        _2004_BOXES | {"5": "section_199a"},
        _LATER_OTHERS,
        "Form 1099-DIV (2018): box 5 becomes Section 199A dividends (investment expenses move "
        "to box 6)",
    ),
    Edition(
        2021,
        _2004_BOXES
        | {"2e": "section_897_ordinary", "2f": "section_897_capital_gain", "5": "section_199a"},
        _LATER_OTHERS,
        "2021 Instructions for Form 1099-DIV, What's New: Section 897 gain in new boxes 2e and 2f",
    ),
)

#: Form 1099-DIV boxes that hold one of xl-reit's figures, by the first tax year of each
#: edition: ``(first_year, {box: figure})``.
FORM_1099_DIV_BOXES: tuple[tuple[int, Mapping[str, str]], ...] = tuple(
    (each.first_year, each.boxes) for each in EDITIONS
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


def _name_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for component in COMPONENTS.values():
        for spelling in (component.name, component.label, *component.aliases):
            keys[normalise(spelling)] = component.name
    return keys


_NAME_KEYS = _name_keys()


def edition(tax_year: int) -> Edition:
    """The edition of Form 1099-DIV that reports ``tax_year``."""
    chosen = EDITIONS[0]
    for each in EDITIONS:
        if tax_year >= each.first_year:
            chosen = each
    return chosen


def boxes_for_year(tax_year: int) -> Mapping[str, str]:
    """The box → figure mapping of the form for ``tax_year``.

    >>> boxes_for_year(2004)["1b"], boxes_for_year(2023)["2f"], "5" in boxes_for_year(2004)
    ('qualified', 'section_897_capital_gain', False)
    """
    return edition(tax_year).boxes


def boxes() -> tuple[str, ...]:
    """Every box that holds one of xl-reit's figures in the latest edition of the form.

    >>> boxes()
    ('1a', '1b', '2a', '2b', '2c', '2d', '2e', '2f', '3', '5')
    """
    return box_order(EDITIONS[-1].boxes)


def box_order(numbers: Iterable[str]) -> tuple[str, ...]:
    """Boxes as the form numbers them: 1, 1a, 1b, 2a … 2f, 3, 5, 10."""
    return tuple(sorted(numbers, key=lambda box: (int(box.rstrip("abcdef")), box)))


def summary(limit: int = 255) -> str:
    """What a component argument may be, in one line of at most ``limit`` characters.

    Made from this vocabulary, so help never lists a name a lookup refuses
    or misses one it answers; Excel's Function Wizard shows 255 characters.
    """
    text = f"A 1099-DIV box ({' '.join(boxes())}) or a name:"
    for name in COMPONENTS:
        if len(f"{text} {name}, …") > limit:
            return f"{text} …"
        text += f" {name},"
    return text.rstrip(",")


#: Longer than any name or alias: such text is refused before it is read.
MAX_NAME_LENGTH = 100


def resolve(text: str, tax_year: int, published: Iterable[str] | None = None) -> Component:
    """The figure ``text`` names, read in the form of ``tax_year``.

    ``text`` is a name, an alias or a box. With ``published`` (the figures a
    table answers), a figure outside it is refused too. Raises
    :class:`UnknownComponentError` listing what is valid.
    """
    chosen = None if published is None else with_totals(published)
    if len(text) > MAX_NAME_LENGTH:
        raise UnknownComponentError(
            f"component {shown(text)} ({len(text):,} characters) is not a name; "
            f"valid: {', '.join(valid_names(tax_year, chosen))}"
        )
    return _resolve(text, tax_year, chosen)


@lru_cache(maxsize=4096)
def _resolve(text: str, tax_year: int, published: frozenset[str] | None) -> Component:
    key = normalise(text)
    form = edition(tax_year)
    name = form.boxes.get(key) or _NAME_KEYS.get(key)
    valid = ", ".join(valid_names(tax_year, published))
    if name is not None:
        if published is None or name in published:
            return COMPONENTS[name]
        label = COMPONENTS[name].label.lower()
        raise UnknownComponentError(
            f"component {shown(text)}: {label} is not published for tax year {tax_year}; "
            f"valid: {valid}"
        )
    if key in form.others:
        raise UnknownComponentError(
            f"component {shown(text)}: box {key} of the tax-year-{tax_year} Form 1099-DIV is "
            f"{form.others[key]}, not a part of a dividend xl-reit keeps; valid: {valid}"
        )
    if re.fullmatch(r"\d{1,2}[a-z]?", key):
        raise UnknownComponentError(
            f"component {shown(text)}: box {key} of the tax-year-{tax_year} Form 1099-DIV holds no "
            f"allocation component; valid: {valid}"
        )
    raise UnknownComponentError(f"component {shown(text)} is not known; valid: {valid}")


def with_totals(published: Iterable[str]) -> frozenset[str]:
    """The figures ``published`` answers: those, and each total whose two parts are among them."""
    names = set(published)
    names |= {total for total, parts in SPLITS.items() if set(parts) <= names}
    return frozenset(names)


def valid_names(tax_year: int, published: Iterable[str] | None = None) -> list[str]:
    """The names and boxes a table of ``tax_year`` answers (every name, without ``published``)."""
    chosen = None if published is None else with_totals(published)
    names = sorted(
        (name for name in COMPONENTS if chosen is None or name in chosen),
        key=lambda name: name in SPLITS,  # the parts first, then the totals they make
    )
    form = edition(tax_year).boxes
    return names + [f"box {box}" for box in box_order(form) if form[box] in names]
