"""The import: :func:`parse_release` runs the steps, in order, on a release's text.

The lines (steps 1 and 2), the class sections and their tables (3 and 4); each
class's tables named, read, fitted and joined (5 to 8, all in
:func:`~.classes.read_classes`); then each class repaired, interpreted and
converted (9 and 10), stopping at its first problem; the release's facts (11);
and last the rows and their reconciliation (12). It reads no file and prints
nothing: the command line's ``xl-reit import`` does that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from .. import collector
from ..assemble import ANNUAL_DISAGREES
from .classes import ClassRead, read_classes
from .facts import Given, is_release_dateline, release_facts
from .general import DISAGREES, ONE_DATE, read_sections, undated_figures
from .interpret import convert, interpret
from .lines import FIGURE_ROLES, Line, line_numbers, read_lines
from .reflow import reflow
from .repairs import Printed, consensus, repair
from .report import Findings, ImportResult, line_ranges
from .rows import import_result
from .sections import GivenCusip, Section, find_sections


def parse_release(
    text: str,
    *,
    source_name: str,
    issuer: str | None = None,
    tax_year: int | None = None,
    release_date: dt.date | None = None,
    symbols: Mapping[str, str] | None = None,
    cusips: Sequence[GivenCusip] = (),
    as_printed: bool = False,
) -> ImportResult:
    """Read a release's text into table rows and a reconciliation report.

    ``source_name`` goes into every row's ``source`` column. ``issuer`` and
    ``tax_year`` default to what the release's title prints ("… Announces
    2004 Dividend Income Tax Allocation"); a tax year that is printed nowhere
    is taken from the payable dates when they all fall in one year, as a gap.
    ``symbols`` maps a CUSIP (any printed form) or a class name to its ticker
    symbol; by default symbols come from an exchange listing in the text
    ("(NYSE: AIV, AIVPrD)"), and a class without one has its CUSIP as symbol
    (said in the report). ``release_date`` fills the ``release_date`` column.
    ``cusips`` give the CUSIP of a class whose heading misprints it or prints
    none (:class:`~.sections.GivenCusip`). ``as_printed`` writes a payment whose
    printed parts add up beyond its dividend (more than the printed digits allow) as the
    release prints it, the excess in its ``parts_excess`` and said in the report, where
    the release's every other payment holds the columns' reading; else it is refused.
    """
    with collector.paused():  # hundreds of thousands of tokens, all alive to the end
        return _parse(
            text, source_name, Given(issuer, tax_year, release_date, symbols, as_printed), cusips
        )


def _parse(text: str, source_name: str, given: Given, cusips: Sequence[GivenCusip]) -> ImportResult:
    read = Findings()
    raw = read_lines(text, read)  # read once: both readings start from these lines
    findings = read.copy()
    lines = reflow(raw, findings)
    preamble, sections = find_sections(lines, findings, cusips)
    _unread_preamble(preamble, sections, findings)
    classes = read_classes(sections, findings)
    printed = consensus(classes)
    for found in classes:
        _complete(found, printed, findings)
    facts = release_facts(given, _front(lines, sections), lines, classes, findings)
    result = import_result(classes, facts, source_name, findings)
    if result.payments:
        return result
    general = _general(raw, read.copy(), source_name, given, cusips)
    said = bool(result.report.of_kind("problem"))
    if (
        general.payments
        or _decisive(general)
        or _read_every_class(general)
        or (not said and general.report.of_kind("problem"))
    ):
        return general  # it wrote, or says why the release cannot be written
    if any(f.class_name for f in result.report.of_kind("problem")):
        return result
    undated = undated_figures(raw)
    if undated is not None:
        # no class was read far enough to be refused for itself: this is the reason, first
        report = replace(result.report, findings=(undated, *result.report.findings))
        return replace(result, report=report)
    return result


def _read_every_class(result: ImportResult) -> bool:
    """Whether every class was read and only what the release lacks is a problem (its
    issuer, a CUSIP): that is what to say, not why another reading failed."""
    problems = result.report.of_kind("problem")
    return bool(result.report.classes) and not any(f.class_name for f in problems)


def _decisive(result: ImportResult) -> bool:
    """Whether a problem is the reason a release cannot be written: a row's printed figures
    that disagree, or its annual line and its payments, payments printed without a record
    date."""
    return any(
        f.message.startswith((DISAGREES, ONE_DATE)) or ANNUAL_DISAGREES in f.message
        for f in result.report.of_kind("problem")
    )


def _general(
    lines: list[Line],
    findings: Findings,
    source_name: str,
    given: Given,
    cusips: Sequence[GivenCusip],
) -> ImportResult:
    """The release's lines read as one stream of cells (:mod:`.general`), where the layouts
    read none."""
    preamble, sections = find_sections(lines, findings, cusips)
    _unread_preamble(preamble, sections, findings)
    front = _front(lines, sections)
    # the tax year its text prints, before the tables: a column may be named for it
    printed = release_facts(given, front, lines, (), Findings()).tax_year
    classes = read_sections(preamble, sections, printed, findings, given.as_printed)
    facts = release_facts(given, front, lines, classes, findings)
    return import_result(classes, facts, source_name, findings)


def _unread_preamble(
    preamble: Sequence[Line], sections: Sequence[Section], findings: Findings
) -> None:
    """Figures before any class heading; with no heading at all, the one message that matters."""
    figures = [
        line
        for line in preamble
        if line.role in FIGURE_ROLES and not is_release_dateline(line.text)
    ]
    if sections:
        for line in figures:
            findings.add("problem", "figures before any class heading, not read", (line.number,))
        return
    where = (
        f" (its figures on {line_ranges(line_numbers(figures))} are not read)" if figures else ""
    )
    findings.add(
        "problem",
        f"the release prints no CUSIP{where}: give its class's CUSIP with --cusip CUSIP, or "
        "--cusip 'CLASS=CUSIP' for each class (CLASS being part of the class's heading)",
    )


def _front(lines: Sequence[Line], sections: Sequence[Section]) -> list[Line]:
    """The text before the tables: where the headline, the dateline and the prose are."""
    first = sections[0].heading.number if sections else len(lines) + 1
    front = []
    for line in lines:
        if line.number >= first and (line.role in FIGURE_ROLES or line.number > first + 40):
            break
        front.append(line)
    return front


def _complete(found: ClassRead, printed: Printed, findings: Findings) -> None:
    """Repair, interpret and convert one class, stopping at its first problem."""
    if found.class_name in findings.failed:
        return
    repair(found, printed, findings)
    if found.class_name in findings.failed:
        return
    reading = interpret(found, findings)
    if reading is not None and found.class_name not in findings.failed:
        convert(found, reading, findings)
