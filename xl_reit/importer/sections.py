"""Steps 3 and 4: the release cut into class sections, and each section into tables.

A class section starts at a heading that prints a CUSIP and runs to the next
one; a CUSIP that does not validate is a problem, and its section is not read.
Within a section a table is its header lines (words that name columns) followed
by its figure lines; blank lines may sit inside a table, and figures in a line of
prose are a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import cusip as cusip_module
from ..errors import XlReitError
from .lines import FIGURE_ROLES, VOCABULARY, Line
from .report import Findings

_CUSIP_IN_HEADING = re.compile(
    r"\bCUSIP\b\.?\s*(?:No\.?|Number|#)?\s*[:#]?\s*"
    r"(?P<code>[0-9A-Z*@#]{1,9}(?:\s*-\s*[0-9A-Z*@#]{1,9})*)",
    re.IGNORECASE,
)


@dataclass
class Section:
    """The lines under one class heading, up to the next heading."""

    heading: Line
    class_name: str
    cusip: str  # compact; empty when the heading's CUSIP cannot be read
    lines: list[Line] = field(default_factory=list)


def _heading(line: Line, findings: Findings) -> Section | None:
    """The section a line heads, when it prints a CUSIP.

    The class's name is the text before the CUSIP (or, when nothing is, after
    it) without the punctuation around it.
    """
    text = " ".join(line.text.split())
    match = _CUSIP_IN_HEADING.search(text)
    if match is None:
        return None
    name = text[: match.start()].rstrip(" ([:,;-–—").strip(" *")
    if not name:
        name = text[match.end() :].lstrip(" )]:,;-–—").strip(" *")
    try:
        code = cusip_module.validate(match["code"], "CUSIP")
    except XlReitError as error:
        findings.add("problem", f"{error}; its tables are not read", (line.number,), name)
        code = ""
    return Section(line, name or text, code)


def find_sections(lines: list[Line], findings: Findings) -> tuple[list[Line], list[Section]]:
    """The lines before the first class heading, and the class sections."""
    preamble: list[Line] = []
    sections: list[Section] = []
    for line in lines:
        section = _heading(line, findings) if line.role in ("words", "text") else None
        if section is not None:
            sections.append(section)
        elif sections:
            sections[-1].lines.append(line)
        else:
            preamble.append(line)
    return preamble, sections


_HEADER_WORDS = (VOCABULARY | {"1250", "199a"}) - {"common", "preferred", "stock", "class"}


@dataclass
class TableText:
    """One table's lines: its header lines (words only) and its figure lines."""

    section: Section
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(line.number for line in (*self.header, *self.body))


def _is_header_line(line: Line) -> bool:
    """Words naming columns ("Record", "Qualified Dividends"), not a sentence of prose."""
    hits = sum(bool(set(t.words) & _HEADER_WORDS) for t in line.tokens)
    return hits > 0 and (len(line.tokens) <= 12 or 3 * hits >= len(line.tokens))


def find_tables(section: Section, findings: Findings) -> list[TableText]:
    tables: list[TableText] = []
    current = TableText(section)
    ignored: list[int] = []
    for line in section.lines:
        if line.role in ("blank", "rule"):
            continue
        if line.role == "words" and _is_header_line(line):
            if current.body:
                tables.append(current)
                current = TableText(section)
            current.header.append(line)
        elif line.role in FIGURE_ROLES:
            current.body.append(line)
        elif line.role == "text" and sum(t.is_value for t in line.tokens) >= 2:
            findings.add(
                "problem", "figures in a line of text, not read", (line.number,), section.class_name
            )
        else:
            ignored.append(line.number)
    if current.body:
        tables.append(current)
    elif current.header:
        ignored += [line.number for line in current.header]
    if ignored:
        findings.add("reading", "text without figures, not a table", tuple(ignored))
    return tables
