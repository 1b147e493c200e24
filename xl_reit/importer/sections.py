"""Steps 3 and 4: the release cut into class sections, and each section into tables.

A class section starts at a heading that prints a CUSIP and runs to the next
one. A CUSIP may be printed with spaces or hyphens ("69360J 55 2"): it is read
when its check digit proves it. A CUSIP the user gives (``--cusip
[CLASS=]CUSIP``, :class:`GivenCusip`) replaces a misprinted one, gives one to a
class the release prints none for, and makes a release that prints none at all
one class; a misprint nobody corrects is a problem, and its section is not read.
Within a section a table is its header lines (words that name columns) followed
by its figure lines; blank lines may sit inside a table. A line of prose that
quotes figures is no table's: it is reported, unless it prints a payment's
dates (then a row could not be read, a problem).

A heading may begin with the name of the company whose class it is ("Spirit
Realty Capital, Inc. Common Stock"): a name that ends in a corporate form
(Inc., Corporation, Trust, L.P., LLC …), or one the text before the first
heading names as a company — such a name, or the short name it is given in
parentheses after it ("Spirit Realty Capital, Inc. (Spirit, NYSE: SRC)").
Followed by the class's words, it is the class's issuer
(:class:`HeadingIssuer`), and the class is named by the rest ("Common
Stock"); a release may print the classes of several companies.

An exchange listing in or after a heading ("Common Shares (NYSE: RPT)") gives
the class its symbol when it lists one alone, and is no part of its name; nor
are a text copy's cell separators ("Common Shares |").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from .. import cusip as cusip_module
from ..errors import XlReitError, shown
from .lines import FIGURE_ROLES, VOCABULARY, Line
from .report import Findings

#: A group of a CUSIP's characters: in capitals, or holding a digit ("41196q100"); a word
#: in lower case ("the CUSIP changed to …") is none.
_CODE_GROUP = r"(?:(?=[0-9A-Z*@#]{0,8}\d)[0-9A-Z*@#]{1,9}|(?-i:[0-9A-Z*@#]{1,9}))"
_CUSIP_IN_HEADING = re.compile(
    r"\bCUSIP(?:s|\b)\.?\s*(?:No\.?|Numbers?|#(?:['’]s)?)?\s*[:#–—-]?\s*"
    rf"(?P<code>{_CODE_GROUP}(?:(?:\s*-\s*|\s){_CODE_GROUP}){{0,4}})",
    re.IGNORECASE,
)
#: The word the heading's pattern starts with, looked for first: most lines have none.
_CUSIP_WORD = re.compile("CUSIP", re.IGNORECASE)
_GROUP = re.compile(r"[0-9A-Z*@#]+", re.IGNORECASE)
#: A line that names a share class ("Simon Property Group, Inc. Common Stock"), not a caption.
_CLASS_WORDS = re.compile(r"\b(?:stock|shares|units|preferred|class\s+\w|series\s+\w)\b", re.I)
_NOT_A_CLASS = re.compile(r"\b(?:tax|dividends?|distributions?|announces|reports)\b", re.I)
#: A line cut after the word CUSIP: its code opens the next line.
_CUT_CUSIP = re.compile(r"\bCUSIP\s*(?:No\.?|Number|#)?\s*[:#–—-]?\s*$", re.IGNORECASE)
#: Words before a CUSIP, at most, that are a heading; more are a sentence.
_SENTENCE = 8
#: The words that name a class in a sentence: "common shares", "Series B preferred stock".
_CLASS_PHRASE = (
    r"(?:(?:class|series)\s+\w+\s+)?(?:common|preferred)(?:\s+(?:stock|shares?|units?))?\b"
)
#: The class a sentence names: "… to holders of common shares (CUSIP …)".
_CLASS_IN_SENTENCE = re.compile(rf"\b{_CLASS_PHRASE}", re.IGNORECASE)
#: An amount per share of a class, as a sentence quotes it: "$0.95 per Common Share (CUSIP …)".
_PER_CLASS = re.compile(rf"\bper\s+{_CLASS_PHRASE}", re.IGNORECASE)
#: The last noun of a class phrase, which a class's name has in the plural ("Common Shares").
_SINGULAR = re.compile(r"\b(Share|Unit)$")
#: The exchanges a listing names.
EXCHANGE = r"(?:NYSE\s+American|NYSE|NASDAQ|Nasdaq|AMEX|TSX)"
#: An exchange listing: "(NYSE: AIV, AIVPrD)", "(NYSE:NYSE:STAG)", "(W. P. Carey, NYSE:WPC)",
#: "(Spirit, formerly NYSE: SRC)": the name before the exchange, if any, and the symbols.
LISTING = re.compile(
    rf"\((?:(?P<name>[^():]{{1,80}}?),\s*)?(?:formerly\s+)?{EXCHANGE}\s*:\s*"
    rf"(?:{EXCHANGE}\s*:\s*)?(?P<symbols>[^()]{{0,500}})\)"
)
#: Between the symbols of one listing: "AIV, AIVPrD", "AIV and AIVPrZ", "EXR; EXR.PRA & EXR.PRB".
_SYMBOL_SEPARATOR = re.compile(r"[,;&]|\band\b")
#: What separates a text copy's cells ("Common Shares |"): never part of a name.
_CELL_SEPARATOR = re.compile(r"\|+")
#: A ticker a heading prints beside its CUSIP ("Ticker Symbol EGP, CUSIP …"): no class name.
_TICKER = re.compile(
    r"\(?\s*(?i:\bticker(?:\s+symbol)?|\btrading\s+symbol|\bsymbol)\s*:?\s*"
    r"[A-Z][A-Z.-]{0,7}\b(?: PR ?[A-Z]\b)?\s*\)?"
)
#: A label a heading prints before the class's name: "Security Description: Common Stock".
_LABEL = re.compile(r"^\s*(?i:security(?:\s+description)?|description|class|issue)\s*:")
#: The class a release that names none is read as.
DEFAULT_CLASS = "Common Stock"
#: The form that ends a company's name: "Inc.", "Corporation", "L.P." …
_CORPORATE_FORM = (
    r"(?i:Inc\.?|Incorporated|Corporation|Corp\.?|Company|Co\.|Trust|L\.\s?P\.|LP|LLC|"
    r"L\.L\.C\.|Ltd\.?|Limited|plc|N\.V\.|S\.A\.)(?![\w'’])"
)
#: A company's name: capitalised words ending in a corporate form ("W. P. Carey Inc.").
_COMPANY = rf"[A-Z][\w.&'’-]*(?:,?\s+[A-Z&][\w.&'’-]*){{0,8}}?,?\s+{_CORPORATE_FORM}"
#: A corporate form, wherever it stands: where a heading's company name may end.
_CORPORATE_WORD = re.compile(_CORPORATE_FORM)
_WHOLE_COMPANY = re.compile(_COMPANY)
#: A named company and the short name it is given in parentheses after it, if any.
_NAMED_COMPANY = re.compile(
    rf"(?<![\w.&'’-])(?P<name>{_COMPANY})(?:\s*\(+(?P<short>[A-Z][\w.&'’ -]{{0,40}}?),)?"
)
#: How a class's name begins, after its company's: "Common Stock", "6.00% Series A …".
_CLASS_START = re.compile(
    r"[\s,:;–—-]+(?P<rest>(?:\d[\d.]*\s?%\s+)?(?:common|preferred|class\s+\w|series\s+\w|"
    r"cumulative|convertible|redeemable|depositary|ordinary|stock|shares|units)\b.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class GivenCusip:
    """A CUSIP the user gives (``--cusip [CLASS=]CUSIP``) for a class the release misprints.

    ``class_text`` is part of the class's heading as printed (any case), or
    ``None`` for the release's only class; ``cusip`` is valid and compact.
    """

    class_text: str | None
    cusip: str

    def argument(self) -> str:
        return f"--cusip {self.class_text + '=' if self.class_text else ''}{self.cusip}"


@dataclass(frozen=True)
class HeadingIssuer:
    """The company a class's heading begins with, and the class's name after it.

    ``name`` is the company's name as the heading prints it, or the full name
    the text gives a short one it prints ("Spirit" for "Spirit Realty Capital,
    Inc."); ``class_name`` the rest of the heading ("Common Stock").
    """

    name: str
    class_name: str


@dataclass
class Section:
    """The lines under one class heading, up to the next heading.

    ``class_name`` is the heading's name for the class as printed, company
    and all: how the report and a given ``--cusip CLASS=`` name it.
    """

    heading: Line
    class_name: str
    cusip: str  # compact; empty when the heading's CUSIP cannot be read
    lines: list[Line] = field(default_factory=list)
    printed: str = ""  # the heading's CUSIP as printed, when it is not one
    issuer: HeadingIssuer | None = None  # the company the heading begins with, if any
    symbol: str = ""  # the one symbol an exchange listing in the heading prints, if any


def _printed_code(printed: str) -> tuple[str, str]:
    """A heading's CUSIP: the groups of characters that make a valid one, and as printed.

    "69360J 55 2" is 69360J552, its check digit proves it; "8524J 102 Ticker"
    holds none, and is quoted as "8524J 102" (its groups of nine characters at
    most). Returns ``("", as printed)`` when no groups make a CUSIP.
    """
    shown_as = ""
    code = ""
    for group in _GROUP.finditer(printed):
        code += group.group().upper()
        if len(code) > 9:
            break
        shown_as = printed[: group.end()]
        if len(code) == 9 and cusip_module.is_valid(code):
            return code, shown_as
    return "", shown_as


def _heading(line: Line, previous: Line | None) -> Section | None:
    """The section a line heads, when it prints a CUSIP (or a misprint of one).

    The class's name is the text before the CUSIP (or, when nothing is, after
    it) without the punctuation around it; a heading of nothing but the CUSIP
    takes the line above when that names a class, else :data:`DEFAULT_CLASS`.
    A CUSIP in a sentence — prose, or an amount "per Common Share" — names the
    class the sentence does, in the plural as headings name classes ("Common
    Shares").
    """
    if previous is not None and _CUT_CUSIP.search(previous.text):  # "(CUSIP" ⏎ "#26884U109)"
        text = " ".join(f"{previous.text} {line.text}".split())
    elif not _CUSIP_WORD.search(line.text):
        return None
    else:
        text = " ".join(line.text.split())
    match = _CUSIP_IN_HEADING.search(text)
    if match is None or not any(c.isdigit() for c in match["code"]):
        return None
    code, printed = _printed_code(match["code"])
    name = _class_name(text[: match.start()])
    if not name:
        name = _class_name(text[match.start("code") + len(printed) :])
    if not name and previous is not None and _names_a_class(previous):
        name = _class_name(previous.text)
        text = f"{previous.text} {text}"
    if not name:  # a ticker is all the heading says of its class: it names the class
        name = _class_name(text[: match.start()], tickers=False)
    symbol = ""
    if _is_sentence(name) or _PER_CLASS.search(name):  # a CUSIP in a sentence: the class
        named = list(_CLASS_IN_SENTENCE.finditer(name))
        name = _SINGULAR.sub(r"\1s", named[-1].group().title()) if named else name
    else:
        symbol = _heading_symbol(text)
    return Section(
        line, name or DEFAULT_CLASS, code, printed="" if code else printed, symbol=symbol
    )


def _class_name(text: str, *, tickers: bool = True) -> str:
    """A heading's words for a class, without what stands around them in a heading.

    An exchange listing ("Common Shares (NYSE: RPT)") gives the class's symbol
    (:func:`_heading_symbol`), not its name, as a ticker does ("Ticker Symbol EGP"), unless
    ``tickers`` is false; a label ("Security Description:"), a text copy's cell separators
    ("Common Shares |") and the punctuation before or after a CUSIP are no part of it.
    """
    text = LISTING.sub(" ", text)
    text = _CELL_SEPARATOR.sub(" ", _TICKER.sub(" ", text) if tickers else text)
    text = _LABEL.sub("", text)
    return " ".join(text.split()).lstrip(" )]:,;-–—*").rstrip(" ([:,;-–—*")


def _heading_symbol(heading: str) -> str:
    """The symbol a heading's exchange listing gives its class, when it lists one alone."""
    listed = [symbol for match in LISTING.finditer(heading) for symbol in listed_symbols(match)]
    return listed[0] if len(listed) == 1 else ""


def listed_symbols(listing: re.Match[str]) -> tuple[str, ...]:
    """The symbols of an exchange listing (a match of :data:`LISTING`), as printed."""
    parts = _SYMBOL_SEPARATOR.split(listing["symbols"])
    return tuple(part.strip() for part in parts if part.strip())


def _is_sentence(text: str) -> bool:
    """Words before a CUSIP that are prose, not a heading: several not capitalised, and many
    or the first of them (the rest of a sentence wrapped from the line before, as a PDF's
    text gives it: "cash distributions on its common shares (CUSIP …)")."""
    words = text.split()
    lower = sum(word[0].islower() for word in words)
    return lower >= 3 and (len(words) > _SENTENCE or words[0].islower())


def _names_a_class(line: Line) -> bool:
    """Whether a line is a class's name: a few words, no figure but a coupon rate ("9.00%
    Series A Cumulative Redeemable Preferred Stock")."""
    return (
        all(not t.is_value or t.text.endswith("%") for t in line.tokens)
        and len(line.tokens) <= 12
        and bool(_CLASS_WORDS.search(line.text))
        and not _NOT_A_CLASS.search(line.text)
    )


def find_sections(
    lines: list[Line], findings: Findings, given: Sequence[GivenCusip] = ()
) -> tuple[list[Line], list[Section]]:
    """The lines before the first class heading, and the class sections.

    A given CUSIP takes the place of the one its class's heading misprints
    (or prints, when they differ: the given one is said and used); a release
    that prints no CUSIP at all is one class, from its first line, when the
    user gives its CUSIP without a CLASS.
    """
    preamble: list[Line] = []
    sections: list[Section] = []
    previous = None
    for line in lines:
        section = _heading(line, previous) if line.role in ("words", "text") else None
        if section is None and line.role == "words":
            section = _named_heading(line, given)
        if section is not None:
            sections.append(section)
        elif sections:
            sections[-1].lines.append(line)
        else:
            preamble.append(line)
        previous = line if line.role != "blank" else previous
    if not sections and lines and any(each.class_text is None for each in given):
        sections = [Section(lines[0], DEFAULT_CLASS, "", lines=lines[1:])]
        preamble = []
    companies = named_companies(" ".join(" ".join(line.text.split()) for line in preamble))
    for section in sections:
        section.issuer = heading_issuer(section.class_name, companies)
    _give_cusips(sections, given, findings)
    return preamble, sections


#: Companies a text names, by the first word of a name they go by (lower case): each
#: such name, and the company's full name.
Companies = Mapping[str, Sequence[tuple[str, str]]]


def named_companies(text: str) -> Companies:
    """The companies a text names: each name and short name it prints, and the full name.

    A company is named by a name ending in a corporate form ("Realty Income
    Corporation"), and may be given a short name in parentheses after it
    ("(Realty Income, NYSE: O)").
    """
    named: dict[str, list[tuple[str, str]]] = {}
    for match in _NAMED_COMPANY.finditer(text):
        name = match["name"]
        for each in (name, (match["short"] or "").strip()):
            if each:
                named.setdefault(_first_word(each), []).append((each, name))
    return named


def known_as(name: str) -> Companies:
    """A company known by one name ("Simon Property Group", as a headline names it)."""
    return {_first_word(name): [(name, name)]} if name.strip() else {}


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0].lower() if text.strip() else ""


def heading_issuer(heading: str, companies: Companies) -> HeadingIssuer | None:
    """The company a class heading begins with, when the class's words follow it.

    The company is named by a name ending in a corporate form, or by one of
    ``companies`` (a name or short name: its full name); ``None`` when the
    heading begins with neither ("Class A Common Stock").
    """
    starts = [
        (heading[: form.end()], heading[: form.end()])
        for form in _CORPORATE_WORD.finditer(heading)
        if _WHOLE_COMPANY.fullmatch(heading, 0, form.end())
    ]
    starts += [
        (name, full)
        for name, full in companies.get(_first_word(heading), ())
        if heading.lower().startswith(name.lower())
    ]
    for start, full in sorted(starts, key=lambda each: len(each[0]), reverse=True):
        rest = _CLASS_START.match(heading, len(start))
        if rest is not None:
            return HeadingIssuer(full, rest["rest"])
    return None


def _named_heading(line: Line, given: Sequence[GivenCusip]) -> Section | None:
    """A short line that holds the CLASS of a given CUSIP: that class's heading."""
    if not given or len(line.tokens) > 12:
        return None
    text = " ".join(line.text.split())
    for each in given:
        if each.class_text and each.class_text.lower() in text.lower():
            return Section(line, _class_name(text), "", symbol=_heading_symbol(text))
    return None


def _give_cusips(sections: list[Section], given: Sequence[GivenCusip], findings: Findings) -> None:
    """Each section's CUSIP: as printed, or as given where given; a misprint is a problem."""
    names = list(dict.fromkeys(section.class_name for section in sections))
    for each in given:
        for section in _given_for(each, sections, names, findings):
            _use_given(section, each, findings)
    for section in sections:
        if section.cusip:
            continue
        what = (
            f"the CUSIP {shown(section.printed)} is misprinted ({_why(section.printed)})"
            if section.printed
            else "the release prints no CUSIP for this class"
        )
        findings.add(
            "problem",
            f"{what}: give the class's CUSIP with --cusip CUSIP (or --cusip 'CLASS=CUSIP', "
            "CLASS being part of its heading); its tables are not read",
            (section.heading.number,),
            section.class_name,
        )


def _why(printed: str) -> str:
    """What is wrong with a misprinted CUSIP: "a CUSIP has 9 characters, this has 8"."""
    try:
        cusip_module.validate(printed, "CUSIP")
    except XlReitError as error:
        return str(error).split(": ", 1)[-1].split(" (with its check digit")[0]
    return "not a CUSIP"


def _given_for(
    each: GivenCusip, sections: Sequence[Section], names: Sequence[str], findings: Findings
) -> list[Section]:
    """The sections a given CUSIP is for; a CLASS that names none, or several, is a problem."""
    listed = ", ".join(map(shown, names)) or "none"
    if each.class_text is None:
        if len(names) == 1:
            return list(sections)
        findings.add(
            "problem",
            f"{each.argument()}: without CLASS= it is the CUSIP of the release's only class, "
            f"but the release has {len(names)} ({listed}); give --cusip 'CLASS=CUSIP' for each",
        )
        return []
    text = each.class_text.lower()
    matched = [name for name in names if text in name.lower()]
    if len(matched) == 1:
        return [section for section in sections if section.class_name == matched[0]]
    what = "no class heading holds" if not matched else "several class headings hold"
    findings.add(
        "problem",
        f"{each.argument()}: {what} {shown(each.class_text)}; CLASS is part of a class heading "
        f"as printed, one of: {', '.join(map(shown, matched)) if matched else listed}",
    )
    return []


def _use_given(section: Section, each: GivenCusip, findings: Findings) -> None:
    """Give a section the user's CUSIP, saying what the heading printed."""
    if section.cusip and section.cusip != each.cusip:
        printed = f"the heading prints {cusip_module.format(section.cusip)}; "
    elif section.printed:
        printed = f"the heading's CUSIP {shown(section.printed)} is misprinted; "
    elif not section.cusip:
        printed = "the release prints no CUSIP; "
    else:
        printed = ""
    section.cusip, section.printed = each.cusip, ""
    findings.add(
        "reading",
        f"{printed}CUSIP {cusip_module.format(each.cusip)} as given ({each.argument()})",
        (section.heading.number,),
        section.class_name,
    )


_HEADER_WORDS = (VOCABULARY | {"1250", "199a"}) - {"common", "preferred", "stock", "class"}


@dataclass
class TableText:
    """One table's lines: its header lines (words only) and its figure lines."""

    section: Section
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple([line.number for line in self.header] + [line.number for line in self.body])


def _is_header_line(line: Line) -> bool:
    """Words naming columns ("Record", "Qualified Dividends"), not a sentence of prose."""
    hits = sum(not _HEADER_WORDS.isdisjoint(t.words) for t in line.tokens)
    return hits > 0 and (len(line.tokens) <= 12 or 3 * hits >= len(line.tokens))


def _dates_side_by_side(line: Line) -> bool:
    """Whether two of the line's dates stand next to each other, as a payment row's record
    and payable dates do: a sentence that quotes a payment's dates ("paid on January 13,
    2023 (record date December 30, 2022)") has words between them, and is prose."""
    families = [token.family for token in line.tokens]
    return any(one == other == "date" for one, other in pairwise(families))


def find_tables(section: Section, findings: Findings) -> list[TableText]:
    tables: list[TableText] = []
    current = TableText(section)
    ignored: list[int] = []
    quoted: list[int] = []  # prose that quotes figures: a footnote, a sentence
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
        elif line.role == "text" and _dates_side_by_side(line):
            findings.add(
                "problem",
                "a payment's dates and figures in a line of text, not read as a row",
                (line.number,),
                section.class_name,
            )
        elif line.role == "text" and any(t.is_value for t in line.tokens):
            quoted.append(line.number)
        else:
            ignored.append(line.number)
    if current.body:
        tables.append(current)
    elif current.header:
        ignored += [line.number for line in current.header]
    if ignored:
        findings.add("reading", "text without figures, not a table", tuple(ignored))
    if quoted:
        findings.add(
            "reading",
            "prose that quotes figures (a sentence, a footnote), not a table",
            tuple(quoted),
            section.class_name,
        )
    return tables


def same_company(one: str, other: str) -> bool:
    """Whether two names name one company: "Simon Property Group" and "… Group, Inc.".

    Their words, without punctuation, case or the corporate forms that end
    them, are the same, or one's are the first of the other's.
    """
    words = [_core_words(one), _core_words(other)]
    shorter, longer = sorted(words, key=len)
    return bool(shorter) and longer[: len(shorter)] == shorter


def _core_words(name: str) -> list[str]:
    words = re.sub(r"[.,'’]", "", name).lower().split()
    while words and _CORPORATE_WORD.fullmatch(words[-1]):
        words.pop()
    return words
