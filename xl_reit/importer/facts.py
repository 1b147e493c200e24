"""Step 11: the release's own facts — its issuer, tax year, date and ticker symbols.

As the caller gives them, else as the text prints them. A news-wire release
opens with a headline and a dateline; an issuer's own page often with a
caption over its table:

* the headline gives the issuer and the year: "W. P. Carey Announces Tax
  Treatment of 2023 Dividends", "… Reports 2023 Dividend Income Tax
  Treatment", "Simon Property Group Announces Reporting Information For 2023
  Distributions", "Aimco Announces 2004 Dividend Income Tax Allocation";
* the dateline gives the release's date and the issuer's legal name: "BOSTON,
  Jan. 16, 2024 /PRNewswire/ -- STAG Industrial, Inc. (the …", which the
  issuer is written as when it begins with the headline's name;
* the prose gives them too: "the tax treatment of its 2023 dividends", "In
  2022, Medical Properties Trust, Inc. paid total dividends …";
* a caption gives the year: "TAX TREATMENT OF 2023 COMMON DISTRIBUTIONS".

Prose is read a paragraph at a time (a reprint breaks its lines anywhere). When
they print different years, the headline's wins over the prose's and the
prose's over a caption's (a caption left from last year's release), and the
other is reported. A tax year printed nowhere is taken from the payable dates
when they all fall in one year, as a gap.

Symbols come from a "Ticker Symbol: STAG" line in a class's section, else from
an exchange listing of one symbol in its heading ("Common Shares (NYSE: RPT)"),
else from exchange listings anywhere — "(NYSE: AIV, AIVPrD)", "(NYSE:NYSE:STAG)",
"(W. P. Carey, NYSE:WPC)", "(Spirit, formerly NYSE: SRC)" — matched to the
classes by the name before the exchange and by convention (the common stock
has the root symbol; "Series D … Preferred" the root with "Pr D"). A class
without one has its CUSIP as symbol: said, but no gap (no figure depends on it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .. import cusip as cusip_module
from ..errors import shown
from ..table import normalise_symbol
from .classes import ClassRead
from .lines import Line
from .report import Findings
from .sections import EXCHANGE, LISTING, listed_symbols, same_company

# Each pattern reads text with its spaces collapsed (:func:`_plain`), and bounds
# what may stand between its parts, so that no line, however long, makes it try
# every split of a run of spaces or of a sentence.
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_VERB = r"(?:Announces|Reports|Releases|Provides|Declares|Publishes)"
_TITLE = re.compile(
    rf"^(?P<issuer>[A-Z][^()]{{0,120}}?)\s+{_VERB}\s+(?:[^\s()]+\s+){{0,8}}?{_YEAR}\s+"
    r"(?:common\s+|preferred\s+|year-end\s+)?(?:dividends?|distributions?|tax)\b",
    re.IGNORECASE,
)
_PROSE_YEARS = (
    re.compile(
        r"\btax\s+year\s+(?P<year>(?:19|20)\d{2})\b|\b(?P<b>(?:19|20)\d{2})\s+(?:dividend|"
        r"distribution)s?\b[^.]{0,200}\b(?:tax|allocation|characterization|classification)",
        re.IGNORECASE,
    ),
    # In a sentence, not a caption: "the tax treatment of its 2023 dividends", "the taxable
    # composition of the 2023 distributions".
    re.compile(
        r"\b(?:[Tt]ax(?:able)?\s+(?:treatment|status|characteri[sz]ation|allocation|composition|"
        r"reporting\s+information)|[Rr]eporting\s+[Ii]nformation)\s+(?:of|for|[Ff]or)\s+"
        rf"(?:its\s+|the\s+|their\s+|our\s+)?(?:[A-Z][\w-]*['’]s\s+)?{_YEAR}\b"
    ),
    # "announced today the allocations of the Company's 2022 dividend distributions"
    re.compile(
        r"\ballocations?\s+of\s+(?:its\s+|the\s+|their\s+|our\s+)?(?:[A-Z][\w-]*['’]s\s+)?"
        rf"{_YEAR}\s+(?:dividend|distribution)"
    ),
    # "with respect to the calendar year ended December 31, 2021"
    re.compile(rf"\b(?:calendar|tax)\s+year\s+ended\s+December\s+31,\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_YEAR}\s+(?:year-end\s+)?tax\s+(?:reporting|treatment|information)\b", re.I),
    re.compile(rf"\bIn\s+{_YEAR},[^.]{{0,120}}\b(?:paid|declared)\b[^.]{{0,60}}\bdividends\b"),
)
_CAPTION = re.compile(
    rf"^(?:tax\s+(?:treatment|allocation|status|characteri[sz]ation)|dividend\s+allocation)\s+"
    rf"of\s+(?:the\s+)?{_YEAR}\b",
    re.IGNORECASE,
)
#: How a caption starts, looked for first: told without making every line plain.
_CAPTION_START = re.compile(r"\s*(?:tax|dividend)", re.IGNORECASE)
#: A dateline's place and date: "BOSTON, Jan. 16, 2024", "JACKSON, Miss., Jan. 26, 2023".
_PLACE = r"[A-Z][A-Za-z .'-]{1,40}(?:,\s+[A-Z][A-Za-z.' ]{1,20})?,\s+"
_DATE = r"(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+(?:19|20)\d{2})\s*"
_PLACE_DATE = f"^{_PLACE}{_DATE}"
#: "BOSTON, Jan. 16, 2024 /PRNewswire/ -- STAG Industrial, Inc. (the …": date and issuer;
#: the wire in parentheses too: "…, Jan. 24, 2022 (GLOBE NEWSWIRE) -- CareTrust REIT, Inc.".
_DATELINE = re.compile(
    _PLACE_DATE + r"(?:/[^/]{1,40}/|\([A-Za-z ]{1,40}\))\s*[-–—]+\s*(?P<issuer>[A-Z][^()]{0,100}?)"
    r"\s*(?:\(|,\s+(?:a|an|the)\s|\s+today\b|\s+announced\b)"
)
#: A dateline on a line of its own, its wire and issuer on the next: "JACKSON, Miss., Jan.
#: 26, 2023"; or the release's date alone: "January 30, 2023".
_BARE_DATELINE = re.compile(f"^(?:{_PLACE})?{_DATE}$")
_LEGAL = r"(?:Inc|Incorporated|Corp|Corporation|Company|Trust|REIT|L\.P|LP|Ltd)\.?"
#: "In 2022, Medical Properties Trust, Inc. paid total dividends": a legal name in prose.
_PROSE_ISSUER = re.compile(
    rf"\bIn\s+{_YEAR},\s+(?P<issuer>[A-Z][\w.&'’-]*(?:,?\s+[A-Z&][\w.&'’-]*){{0,8}}?,?\s+"
    rf"{_LEGAL})\s+(?:paid|declared|distributed)\b"
)
#: "Company Release - 01/28/2005 11:47", "Released: January 28, 2005": the release's date.
_RELEASED = re.compile(
    r"\brelease(?:d)?\b\s*(?:date)?\s*[-:–—]?\s*(?:on\s+)?"
    r"(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})",
    re.IGNORECASE,
)
#: A name the release goes on to use, in parentheses: ("Aimco"), (the "Company").
_SHORT_NAME = r"(?:\((?:the\s+)?[\"“][^()]{1,60}[\"”]\)\s*)?"
#: A word of a company's name after its first: capitalised, or "and", "of".
_NAME_WORD = r"(?:[A-Z&][\w.&'’-]*|and|of)"
#: "W. P. Carey Inc. (NYSE: WPC) announced …", "Link Parks, Inc. (f.k.a. …)": a legal name
#: opening a sentence, its listing or former name beside it.
_NAMED_ISSUER = re.compile(
    rf"^(?P<issuer>[A-Z][\w.&'’-]*(?:,?\s+{_NAME_WORD}){{0,8}}?,?\s+{_LEGAL})\s*"
    rf"{_SHORT_NAME}\((?:f\.?k\.?a\.?|formerly|{EXCHANGE})"
    rf"|^(?P<listed>[A-Z][\w.&'’-]*(?:\s+{_NAME_WORD}){{0,6}}?)\s*{_SHORT_NAME}"
    rf"\({EXCHANGE}\s*:[^)]{{1,40}}\)\s+(?:today\s+)?[a-z]{{3,}}\b"  # its verb
)
#: A news wire's dateline before the first sentence: "CITY, St.--(BUSINESS WIRE)-- ".
_WIRE = re.compile(
    r"^[A-Z][A-Za-z .,'-]{1,60}?\s*[-–—]+\s*\((?i:business\s*wire|pr\s*newswire|"
    r"globe\s*newswire|accesswire)\)\s*[-–—]*\s*"
)
#: The names a release defines for its issuer in parentheses: ("HASI" or the "Company").
_DEFINED = re.compile(r"[\"“]([^\"”()]{1,30})[\"”]")
#: "Ticker Symbol: STAG"; a preferred's series after a space: "Ticker Symbol: IIPR PR A".
_TICKER = re.compile(
    r"\b(?i:ticker\s+symbol|ticker|trading\s+symbol|symbol)\s*[:#]\s*"
    rf"(?:{EXCHANGE}\s*:\s*)?(?P<symbol>[A-Z][A-Za-z0-9.^-]{{0,11}}(?: PR ?[A-Z])?)(?![\w.])"
)


@dataclass(frozen=True)
class Given:
    """What the caller says of the release; ``None`` leaves it to the text."""

    issuer: str | None = None
    tax_year: int | None = None
    release_date: dt.date | None = None
    #: Ticker symbols by CUSIP (any printed form) or class name.
    symbols: Mapping[str, str] | None = None
    #: Keep a payment whose printed parts disagree with its dividend as printed (noted).
    as_printed: bool = False


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


@dataclass(frozen=True)
class _Printed:
    """One fact as the text prints it, where, and in what kind of text."""

    value: str
    source: str  # "headline", "dateline", "prose", "caption" or "heading"
    line: int
    #: The short names the text defines for it: ("HASI" or the "Company").
    aliases: tuple[str, ...] = ()


def release_facts(
    given: Given,
    front: Sequence[Line],
    lines: Sequence[Line],
    classes: Sequence[ClassRead],
    findings: Findings,
) -> Facts:
    """Who issued the release, for which year, when, and each class's symbol.

    ``front`` is the text before the tables, where the headline, dateline and
    prose are; captions, ticker lines and exchange listings may be on any of
    ``lines``.
    """
    issuers, years, dates = _read_front(front)
    issuers += [
        _Printed(found.issuer.name, "heading", found.headings[0])
        for found in classes
        if found.issuer is not None
    ]
    years += [
        _Printed(m["year"], "caption", line.number)
        for line in lines
        if _CAPTION_START.match(line.text) and (m := _CAPTION.search(_plain(line.text)))
    ]
    issuer = given.issuer or _issuer(issuers, findings)
    tax_year = given.tax_year or _tax_year(years, findings)
    release_date = given.release_date or _release_date(dates, findings)
    symbols = _symbols(given, lines, classes, issuer or "", findings)
    facts = Facts(issuer or "", tax_year, symbols, release_date)
    return _settle_tax_year(facts, classes, findings)


def _read_front(front: Sequence[Line]) -> tuple[list[_Printed], list[_Printed], list[_Printed]]:
    """The issuers, years and release dates the headline, dateline and prose print."""
    issuers: list[_Printed] = []
    years: list[_Printed] = []
    dates: list[_Printed] = []
    titled: set[int] = set()  # the lines of the headlines read: a longer text holding one
    for numbers, text, whole in _paragraphs(front):
        number = numbers[0]
        title = _TITLE.search(text) if len(text) < 300 and titled.isdisjoint(numbers) else None
        if title:
            titled.update(numbers)
            issuers.append(_Printed(title["issuer"].strip(), "headline", number))
            years.append(_Printed(title["year"], "headline", number))
        if not whole:
            continue  # a line and the next: read for a headline wrapped over them only
        dateline = _DATELINE.search(text)
        if dateline:
            issuers.append(_Printed(dateline["issuer"].strip(" ,"), "dateline", number))
            dates.append(_Printed(dateline["date"], "dateline", number))
        sentence = _WIRE.sub("", text, count=1)
        prose = _PROSE_ISSUER.search(sentence) or _NAMED_ISSUER.search(sentence)
        if prose:
            named = prose.groupdict().get("listed") or prose["issuer"]
            defined = tuple(_DEFINED.findall(prose[0][len(named) :]))
            issuers.append(_Printed(named, "prose", number, defined))
        released = _RELEASED.search(text)
        if released:
            dates.append(_Printed(released["date"], "dateline", number))
        for pattern in _PROSE_YEARS:
            for match in pattern.finditer(text):
                year = match.groupdict().get("year") or match.groupdict().get("b")
                years.append(_Printed(year or "", "prose", number))
    return issuers, years, dates


def _paragraphs(lines: Sequence[Line]) -> Iterable[tuple[tuple[int, ...], str, bool]]:
    """Each line on its own (a headline), each with the line before it (a headline a PDF
    wraps over two lines, after a line of its page's menu with no break between them: not
    whole), then each run of text lines joined (a paragraph); and the lines each joins."""
    run: list[Line] = []
    for line in [*lines, None]:
        if line is not None:
            yield (line.number,), _plain(line.text), True
        if line is not None and line.role in ("words", "text") and not line.tabbed:
            run.append(line)
            if len(run) > 1:
                pair = (run[-2].number, line.number)
                yield pair, _plain(f"{run[-2].text} {line.text}"), False
            continue
        if len(run) > 1:
            yield tuple(p.number for p in run), _plain(" ".join(p.text for p in run)), True
        run = []


def _plain(text: str) -> str:
    """A line with every run of spaces and tabs made one space."""
    return " ".join(text.split())


def is_release_dateline(text: str) -> bool:
    """Whether a line only says when the release was made (its figures are no table)."""
    plain = _plain(text)
    return any(p.search(plain) is not None for p in (_RELEASED, _DATELINE, _BARE_DATELINE))


#: Where the issuer is read, the first wins; a later one may give its legal name.
_ISSUER_SOURCES = ("headline", "dateline", "prose")


def _issuer(printed: Sequence[_Printed], findings: Findings) -> str | None:
    """The headline's issuer, in its legal name where the dateline, prose or a heading gives it.

    A class heading that begins with a company's name ("Simon Property
    Group, Inc. Common Stock") may give the legal name of the issuer the
    headline names; it names no issuer on its own (it may be another
    company's class).
    """
    named = [p for p in printed if p.source in _ISSUER_SOURCES]
    if not named:
        findings.add(
            "problem",
            "the issuer is not printed in a headline, dateline or the prose before the "
            "tables; give it (--issuer NAME)",
        )
        return None
    first = min(named, key=lambda p: _ISSUER_SOURCES.index(p.source))
    legal = [
        p
        for p in printed
        if p.source != "headline"
        and (p.value.startswith(first.value) or first.value in p.aliases)
        and (p.source != "heading" or same_company(p.value, first.value))
    ]
    chosen = max(legal, key=lambda p: len(p.value)) if legal else first
    findings.add(
        "reading", f"issuer {shown(chosen.value)} read from the {chosen.source}", (chosen.line,)
    )
    return chosen.value


def _tax_year(printed: Sequence[_Printed], findings: Findings) -> int | None:
    """The year the headline prints, else the prose, else a caption; another is reported."""
    if not printed:
        return None
    order = ("headline", "prose", "caption")
    chosen = min(printed, key=lambda p: (order.index(p.source), p.line))
    findings.add(
        "reading", f"tax year {chosen.value} read from the {chosen.source}", (chosen.line,)
    )
    others = {p.value: p for p in printed if p.value != chosen.value}
    for other in others.values():
        findings.add(
            "reading",
            f"the {other.source} prints {other.value}: the {chosen.source}'s {chosen.value} is "
            "taken (give --tax-year if the release is for another year)",
            (other.line,),
        )
    return int(chosen.value)


def _release_date(printed: Sequence[_Printed], findings: Findings) -> dt.date | None:
    for each in printed:
        day = _release_day(each.value)
        if day is not None:
            findings.add(
                "reading", f"release date {day.isoformat()} read from the text", (each.line,)
            )
            return day
    return None


def _release_day(text: str) -> dt.date | None:
    """A printed release date: ``01/28/2005``, ``2005-01-28`` or ``January 28, 2005``."""
    text = " ".join(text.replace("Sept.", "Sep.").split())
    for form in ("%m/%d/%Y", "%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y"):
        try:
            return dt.datetime.strptime(text, form).date()
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


# --- symbols --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Listing:
    """An exchange listing: the name before the exchange, if any, and its symbols."""

    name: str
    symbols: tuple[str, ...]
    line: int


def _symbol_key(text: str) -> str:
    code = cusip_module.compact(text)
    return code if cusip_module.is_valid(code) else " ".join(text.lower().split())


def _symbols(
    given: Given,
    lines: Sequence[Line],
    classes: Sequence[ClassRead],
    issuer: str,
    findings: Findings,
) -> dict[str, str]:
    """Each class's symbol: as given, else its section's ticker line, else the listings."""
    symbols = {_symbol_key(key): symbol for key, symbol in (given.symbols or {}).items()}
    tickers = _ticker_lines(lines, classes)
    listings = _listings(lines)
    chosen: dict[str, str] = {}
    for found in classes:
        symbol = symbols.get(found.cusip) or symbols.get(_symbol_key(found.class_name))
        if symbol is None and found.cusip in tickers:
            symbol, number = tickers[found.cusip]
            findings.add("reading", f"symbol {symbol} read from the ticker line", (number,))
        if symbol is None and found.symbol:
            symbol = found.symbol
            findings.add(
                "reading", f"symbol {symbol} read from the class's heading", found.headings[:1]
            )
        if symbol is None:
            symbol, numbers = _listed(found, classes, listings, issuer)
            if symbol:
                findings.add("reading", f"symbol {symbol} read from the listing", numbers)
        chosen[found.cusip] = symbol or ""
    return chosen


def _ticker_lines(
    lines: Sequence[Line], classes: Sequence[ClassRead]
) -> dict[str, tuple[str, int]]:
    """ "Ticker Symbol: STAG": the symbol of the class whose section it stands in.

    A ticker line before every class heading is the symbol of a release's only class.
    """
    headings = sorted((number, found.cusip) for found in classes for number in found.headings)
    tickers: dict[str, tuple[str, int]] = {}
    for line in lines:
        match = (
            _TICKER.search(_plain(line.text))
            if "ymbol" in line.text or "icker" in line.text
            else None
        )
        if match is None:
            continue
        before = [cusip for number, cusip in headings if number <= line.number]
        owner = before[-1] if before else classes[0].cusip if len(classes) == 1 else None
        if owner is not None:
            tickers.setdefault(owner, (match["symbol"].rstrip(".-"), line.number))
    return tickers


def _listings(lines: Sequence[Line]) -> list[_Listing]:
    found = []
    for line in lines:
        if "(" not in line.text:
            continue
        for match in LISTING.finditer(_plain(line.text)):
            found.append(
                _Listing((match["name"] or "").strip(), listed_symbols(match), line.number)
            )
    return found


def _listed(
    found: ClassRead, classes: Sequence[ClassRead], listings: Sequence[_Listing], issuer: str
) -> tuple[str, tuple[int, ...]]:
    """A class's symbol from the listings that name it (or name no class), by convention.

    The common stock has the root symbol; "Class D … Preferred" (or "Series
    D") has the root with "Pr D" (AIVPrD, AIV-PD, AIV.PR.D …).
    """
    heading = found.class_name.lower()
    own = [each for each in listings if each.name and each.name.lower() in heading]
    pool = own or [each for each in listings if not each.name or _names(each.name, issuer, classes)]
    keys = {normalise_symbol(s): s for each in pool for s in each.symbols}
    roots = [k for k in keys if all(other.startswith(k) for other in keys)]
    if len(roots) != 1:
        return "", ()
    root = roots[0]
    series = re.search(r"\b(?:class|series)\s+([a-z])\b", heading)
    wanted: set[str] = set()
    if "preferred" in heading and series:
        letter = series.group(1).upper()
        wanted = {f"{root}PR{letter}", f"{root}P{letter}"}
    elif "common" in heading or len(classes) == len(keys) == 1:
        wanted = {root}
    matches = [keys[k] for k in wanted if k in keys]
    lines = tuple(each.line for each in pool)
    return (matches[0], lines) if len(matches) == 1 else ("", ())


def _names(name: str, issuer: str, classes: Sequence[ClassRead]) -> bool:
    """Whether a listing's name is the issuer's (no class's in particular)."""
    name = name.lower()
    return (
        bool(issuer)
        and (name in issuer.lower() or issuer.lower() in name)
        and not any(name in found.class_name.lower() for found in classes)
    )
