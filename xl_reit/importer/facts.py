"""Step 11: the release's own facts — its issuer, tax year, date and ticker symbols.

As the caller gives them, else as the text prints them: the release's date
from a line such as "Company Release - 01/28/2005", the issuer and the year
from the title ("… Announces 2004 Dividend Income Tax Allocation"), the symbols
from an exchange listing ("(NYSE: AIV, AIVPrD)") matched to the classes by
convention. A tax year printed nowhere is taken from the payable dates when they
all fall in one year, as a gap.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .. import cusip as cusip_module
from ..errors import shown
from ..table import normalise_symbol
from .classes import ClassRead
from .lines import Line
from .report import Findings

# Each pattern reads a line with its spaces collapsed (:func:`_plain`), and bounds
# what may stand between its parts, so that no line, however long, makes it try
# every split of a run of spaces or of a sentence.
_TITLE = re.compile(
    r"^(?P<issuer>[A-Z][^()]*?)\s+(?:Announces|Reports|Releases|Provides|Declares)\s+"
    r"(?:(?:the|its)\s+)?(?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_TAX_YEAR = re.compile(
    r"\btax\s+year\s+(?P<a>(?:19|20)\d{2})\b|\b(?P<b>(?:19|20)\d{2})\s+(?:dividend|distribution)s?\b"
    r"[^.]{0,200}\b(?:tax|allocation|characterization|classification)",
    re.IGNORECASE,
)
#: "Company Release - 01/28/2005 11:47", "Released: January 28, 2005": the release's date.
_RELEASED = re.compile(
    r"\brelease(?:d)?\b\s*(?:date)?\s*[-:–—]?\s*(?:on\s+)?"
    r"(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})",
    re.IGNORECASE,
)
_LISTING = re.compile(
    r"\((?:NYSE|NYSE American|NASDAQ|Nasdaq|AMEX)\s*:\s*(?P<symbols>[^)]{0,500})\)"
)


@dataclass(frozen=True)
class Given:
    """What the caller says of the release; ``None`` leaves it to the text."""

    issuer: str | None = None
    tax_year: int | None = None
    release_date: dt.date | None = None
    #: Ticker symbols by CUSIP (any printed form) or class name.
    symbols: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Facts:
    """What every row of the release shares: issuer, tax year, release date, symbols.

    ``tax_year_inferred`` is true when the tax year is printed nowhere and was
    taken from the payable dates (a gap).
    """

    issuer: str
    tax_year: int | None
    symbols: Mapping[str, str]
    release_date: dt.date | None
    tax_year_inferred: bool = False


def release_facts(
    given: Given,
    preamble: Sequence[Line],
    lines: Sequence[Line],
    classes: Sequence[ClassRead],
    findings: Findings,
) -> Facts:
    """Who issued the release and for which year: as given, else as its title prints them.

    ``preamble`` is the lines before the first class heading, where the title
    and the release's date are; an exchange listing may be on any of ``lines``.
    """
    issuer, tax_year, release_date = given.issuer, given.tax_year, given.release_date
    for line in preamble:
        text = _plain(line.text)
        title = _TITLE.search(text)
        if title and issuer is None:
            issuer = title["issuer"].strip()
            findings.add("reading", f"issuer {shown(issuer)} read from the title", (line.number,))
        released = _RELEASED.search(text)
        if released and release_date is None:
            release_date = _release_day(released["date"])
            if release_date is not None:
                findings.add(
                    "reading",
                    f"release date {release_date.isoformat()} read from the text",
                    (line.number,),
                )
        printed = _TAX_YEAR.search(text)
        if printed and tax_year is None:
            tax_year = int(printed["a"] or printed["b"])
            findings.add("reading", f"tax year {tax_year} read from the text", (line.number,))
    if not issuer:
        findings.add("problem", "the issuer is not printed before the tables; give it (--issuer)")
    symbols = {_symbol_key(key): symbol for key, symbol in (given.symbols or {}).items()}
    listed = _listed_symbols(lines, classes, findings)
    chosen = {}
    for found in classes:
        symbol = symbols.get(found.cusip) or symbols.get(_symbol_key(found.class_name))
        chosen[found.cusip] = symbol or listed.get(found.cusip, "")
    return _settle_tax_year(Facts(issuer or "", tax_year, chosen, release_date), classes, findings)


def is_release_dateline(text: str) -> bool:
    """Whether a line only says when the release was made (its figures are no table)."""
    return _RELEASED.search(_plain(text)) is not None


def _plain(text: str) -> str:
    """A line with every run of spaces and tabs made one space."""
    return " ".join(text.split())


def _release_day(text: str) -> dt.date | None:
    """A printed release date: ``01/28/2005``, ``2005-01-28`` or ``January 28, 2005``."""
    for form in ("%m/%d/%Y", "%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y"):
        try:
            return dt.datetime.strptime(" ".join(text.split()), form).date()
        except ValueError:
            continue
    return None


def _settle_tax_year(facts: Facts, classes: Sequence[ClassRead], findings: Findings) -> Facts:
    """A tax year printed nowhere: the payable dates' year when they share one, as a gap."""
    if facts.tax_year is not None:
        return facts
    years = {
        row.payable.day.year
        for found in classes
        for row in found.payments
        if row.payable and row.payable.day
    }
    if len(years) != 1:
        findings.add(
            "problem",
            "the tax year is not printed and the payable dates do not tell it; give it "
            "(--tax-year)",
        )
        return facts
    year = years.pop()
    findings.add(
        "gap",
        f"tax year not printed: {year} taken from the payable dates (all in {year}); give it "
        "(--tax-year) to confirm",
    )
    return Facts(facts.issuer, year, facts.symbols, facts.release_date, True)


def _symbol_key(text: str) -> str:
    code = cusip_module.compact(text)
    return code if cusip_module.is_valid(code) else " ".join(text.lower().split())


def _listed_symbols(
    lines: Sequence[Line], classes: Sequence[ClassRead], findings: Findings
) -> dict[str, str]:
    """Symbols from an exchange listing such as "(NYSE: AIV, AIVPrD)", matched by convention.

    The common stock has the root symbol; "Class D … Preferred" (or "Series
    D") has the root with "Pr D" (AIVPrD, AIV-PD, AIV.PR.D …).
    """
    for line in lines:
        match = _LISTING.search(_plain(line.text))
        if match is None:
            continue
        listed = [s.strip() for s in re.split(r"[,;]", match["symbols"]) if s.strip()]
        keys = {normalise_symbol(s): s for s in listed}
        roots = [k for k in keys if all(other.startswith(k) for other in keys)]
        if len(roots) != 1:
            return {}
        root = roots[0]
        found_symbols: dict[str, str] = {}
        for found in classes:
            name = found.class_name.lower()
            series = re.search(r"\b(?:class|series)\s+([a-z])\b", name)
            wanted: set[str] = set()
            if "preferred" in name and series:
                letter = series.group(1).upper()
                wanted = {f"{root}PR{letter}", f"{root}P{letter}"}
            elif "common" in name:
                wanted = {root}
            matches = [keys[k] for k in wanted if k in keys]
            if len(matches) == 1:
                found_symbols[found.cusip] = matches[0]
        if found_symbols:
            symbols = ", ".join(found_symbols.values())
            findings.add("reading", f"symbols {symbols} read from the listing", (line.number,))
        return found_symbols
    return {}
