"""A saved web page (``.html``, ``.htm``) as the text the importer reads.

An issuer's investor-relations page or a news-wire reprint prints a release's
tables as HTML tables: a cell per figure, header cells whose words wrap with
``<br>``, a row of Form 1099-DIV box numbers over the header row ("FORM
1099-DIV | Box 1a | Box 2a …"), a heading that spans two columns ("Date"
over "Record" and "Payable"), and the class headings with their CUSIPs,
the dateline and the footnotes as paragraphs around them. A text copy of such
a page loses the cells (a reprint turns them into ``|``; a browser's copy
into tabs, sometimes); this module reads the page itself, with the standard
library's HTML parser, and writes the text the pipeline reads best:

- each table row is one line of tab-separated cells, header rows (``<th>``,
  ``<thead>``) included, so header words stay lines of words over their
  columns;
- a cell spanning columns (``colspan``) is its text followed by empty cells,
  and a cell spanning rows (``rowspan``) is an empty cell in the rows below:
  every cell keeps its column. An empty cell is what a browser's copy of the
  page gives too; repeating the cell would stack a header's words twice over
  its column, and in the figures would print a figure the page prints once
  into rows the reader then checks as if the issuer had printed it there;
- ``<br>`` and paragraphs inside a cell become spaces, whitespace is
  collapsed, and a soft hyphen or zero-width space (which pages put inside
  long header words) is dropped;
- text outside tables (the headline, the dateline, class headings with their
  CUSIP, footnotes) becomes plain lines in page order, a line per paragraph,
  heading, list item or ``<br>``; preformatted text (``<pre>``, which older
  news-wire pages print whole tables in) keeps its lines and spacing;
- a table that holds other tables lays the page out rather than tabulating
  figures: its cells are read as paragraphs, and the tables inside as tables;
- scripts, styles, the ``<head>`` (the page's title is the browser's, not
  the page's) and hidden elements are dropped; character references are
  decoded.

Hidden is what a browser would not show: an element with ``hidden``, or an
inline ``style`` of ``display: none``, ``visibility: hidden`` or
``collapse`` (a table row's way to hide), or ``content-visibility: hidden``,
and every element a rule of the page's own stylesheets (``<style>``) hides
that way. Such a rule is resolved when its selector names elements by tag,
class, id, attribute and the elements around them (``tr.gone``,
``#notes .old td``); one whose selector depends on what cannot be read from
an element and those around it (``tr:nth-child(3)``, ``.a + .b``,
``:not(.shown)``) makes the page refused: its hidden figures cannot be told
from those it shows. Rules for print only (``@media print``), for a pointer
over an element (``:hover``) and for generated content (``::before``) hide
nothing the saved page shows.

The page is read as a stream: what is written is kept, not the page's tree,
so memory grows with the text written and with the largest table (whose
rows wait until it ends to learn whether it tabulates or lays out). Work and
memory are bounded too: a page of more than :data:`MAX_ELEMENTS` elements or
:data:`MAX_TEXT` characters of text, whose spans make more than
:data:`MAX_SPANNED` cells, or whose stylesheets need more than
:data:`MAX_STYLE_CHECKS` checks, is refused saying which; a release's page
is far from each.

The parser closes what pages leave open, as browsers do: a ``<td>`` or
``<tr>`` without its end tag ends at the next cell or row, and every open
cell, row and paragraph of a table ends with the table.

The bytes are decoded by their byte-order mark, else by the charset a
``<meta>`` in the first 1024 bytes declares (``latin-1`` and ``ascii`` read
as Windows-1252, as browsers read them), else as any other release text is
(:func:`xl_reit.encodings.decode`). A declared charset that is no web page's
text encoding (``rot13``, ``base64``, ``punycode``) is ignored, as browsers
ignore it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import ReleaseFileError

__all__ = [
    "MAX_ELEMENTS",
    "MAX_SPANNED",
    "MAX_STYLE_CHECKS",
    "MAX_TEXT",
    "declared_text",
    "foreign_charset",
    "page_text",
]

#: Elements that hold no content and have no end tag.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements whose content is never shown on the page.
_DROPPED = frozenset("head script style template noscript iframe object svg math".split())
#: Elements that begin and end a line of their own.
_BLOCKS = frozenset(
    """address article aside blockquote body caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend
    li main nav ol p pre section summary table tbody td tfoot th thead tr ul""".split()
)
_CELLS = frozenset(("td", "th"))
#: Each end tag's own set of one, for the end tags pages are made of.
_ONLY = {tag: frozenset((tag,)) for tag in "a b div font i p span table tbody td th tr".split()}
_ROW_GROUPS = frozenset(("thead", "tbody", "tfoot"))
_TABLE_TAGS = _CELLS | _ROW_GROUPS | {"table", "tr", "caption"}
#: The end tags each start tag implies, looked for no further out than the nearest table:
#: the first of these that is open is closed (a ``<tr>`` closes the row, not only its cell).
_IMPLIED_ENDS: dict[str, tuple[frozenset[str], ...]] = {
    "td": (_CELLS,),
    "th": (_CELLS,),
    "tr": (frozenset(("tr",)), _CELLS),
    **dict.fromkeys(_ROW_GROUPS, (_ROW_GROUPS, frozenset(("tr",)), _CELLS)),
    "p": (frozenset(("p",)),),
    "li": (frozenset(("li",)),),
}
#: The declarations that hide an element and what is inside it.
_HIDING = re.compile(
    r"(?<![-\w])(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|content-visibility\s*:\s*hidden)(?![-\w])",
    re.IGNORECASE,
)
#: Characters a page puts inside words to help a browser break them; they are not text.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
#: Per the HTML standard, a cell spans at most 1000 columns and 65534 rows.
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534
#: The most cells a page's spans may make (empty cells after a ``colspan``, and the
#: cells of the rows below a ``rowspan``): a release's tables make a few hundred.
MAX_SPANNED = 1_000_000
#: The most checks of an element against a part of a stylesheet's hiding rules.
MAX_STYLE_CHECKS = 10_000_000
#: The most elements (start tags) a page may have: a release's page has thousands.
MAX_ELEMENTS = 1_000_000
#: The most characters of shown text a page may have: a release's has tens of thousands.
MAX_TEXT = 10_000_000
_LEADING_DIGITS = re.compile(r"\s*([0-9]+)")
#: How deep elements may nest before further tags are ignored: their text is kept, and
#: a table's tags are ignored only at twice the depth.
_MAX_DEPTH = 200
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
#: The encodings web pages are written in (the WHATWG Encoding standard's), as Python
#: names them; a page that declares any other codec is decoded as any text is.
_WEB_ENCODINGS = re.compile(
    r"utf[-_]8|cp125[0-8]|cp874|cp866|iso8859[-_]\d+|koi8[-_][ru]|mac[-_](roman|cyrillic)"
    r"|gbk|gb18030|gb2312|big5|big5hkscs|euc[-_]jp|iso2022[-_]jp|shift[-_]jis|euc[-_]kr"
    r"|cp949|cp932|utf[-_]16(?:[-_][bl]e)?|ascii|latin[-_]1",
    re.IGNORECASE,
)


def _span(attributes: dict[str, str], name: str, limit: int) -> int:
    """A cell's ``colspan`` or ``rowspan`` as browsers read it: its leading digits.

    At most ``limit``; anything else (no digits, 0, a negative number) spans 1.
    """
    digits = _LEADING_DIGITS.match(attributes.get(name, ""))
    return max(1, min(int(digits.group(1)[:7]), limit)) if digits else 1


# ------------------------------------------------------------- stylesheets

_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)(?:</style\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
#: One compound selector: a tag (or ``*``), then classes, ids and attributes.
_COMPOUND = re.compile(
    r"(?P<tag>\*|[a-z][a-z0-9-]*)?(?P<rest>(?:[.#][-\w]+|\[\s*[-\w]+\s*(?:=\s*(?:\"[^\"]*\""
    r"|'[^']*'|[-\w]+)\s*)?\])*)",
    re.IGNORECASE,
)
_PART = re.compile(r"([.#])([-\w]+)|\[\s*([-\w]+)\s*(?:=\s*(?:\"([^\"]*)\"|'([^']*)'|([-\w]+)))?")
#: What hides only while a pointer or the keyboard is on an element, or only generated text.
_NOT_AT_REST = re.compile(
    r"::?(?:hover|focus|focus-within|focus-visible|active|target|visited|before|after"
    r"|first-line|first-letter|marker|placeholder|selection|backdrop|-[-\w]+)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Compound:
    """What one element must be: its tag (``None``: any), classes, id and attributes."""

    tag: str | None
    classes: frozenset[str]
    ids: frozenset[str]
    attributes: tuple[tuple[str, str | None], ...]

    def matches(self, tag: str, attributes: dict[str, str], classes: frozenset[str]) -> bool:
        return (
            (self.tag is None or self.tag == tag)
            and self.classes <= classes
            and all(attributes.get("id") == name for name in self.ids)
            and all(
                name in attributes and (value is None or attributes[name] == value)
                for name, value in self.attributes
            )
        )


def _compound(text: str) -> _Compound | None:
    """A compound selector as a :class:`_Compound`; ``None`` for one this module cannot read."""
    match = _COMPOUND.fullmatch(text)
    if match is None or not text:
        return None
    tag = match.group("tag")
    classes, ids, attributes = set(), set(), []
    for part in _PART.finditer(match.group("rest")):
        if part.group(1) == ".":
            classes.add(part.group(2))
        elif part.group(1) == "#":
            ids.add(part.group(2))
        else:
            value = next((v for v in part.group(4, 5, 6) if v is not None), None)
            attributes.append((part.group(3).lower(), value))
    return _Compound(
        None if tag in (None, "*") else tag.lower(),
        frozenset(classes),
        frozenset(ids),
        tuple(attributes),
    )


def _blocks(css: str) -> Iterator[tuple[str, str]]:
    """The top-level ``prelude { body }`` blocks of a stylesheet (a body may hold blocks)."""
    start = 0
    while True:
        opening = css.find("{", start)
        if opening < 0:
            return
        depth, index = 1, opening + 1
        while depth and index < len(css):
            next_open, next_close = css.find("{", index), css.find("}", index)
            if next_close < 0:
                index = len(css)
                break
            if 0 <= next_open < next_close:
                depth, index = depth + 1, next_open + 1
            else:
                depth, index = depth - 1, next_close + 1
        prelude = css[start:opening]
        # a declaration list or a statement (@import …;) before the selector ends at its ';'
        yield prelude[prelude.rfind(";") + 1 :].strip(), css[opening + 1 : index - 1]
        start = index


def _hiding_selectors(css: str) -> Iterator[str]:
    """Each selector of a rule that hides what it selects, in the rules a screen applies."""
    for prelude, body in _blocks(css):
        if prelude.startswith("@"):
            media = prelude[1:].split(None, 1)
            if (
                media
                and media[0].lower() == "media"
                and re.fullmatch(r"\s*(?:only\s+)?print\s*", media[1] if len(media) > 1 else "")
            ):
                continue  # a printout's rules: the page on screen shows it
            if "{" in body:
                yield from _hiding_selectors(body)
            continue
        if "{" in body:  # CSS nesting: a rule inside a rule
            if _HIDING.search(body):
                yield prelude + " {…}"
            continue
        if _HIDING.search(body):
            yield from (selector.strip() for selector in prelude.split(","))


@dataclass(frozen=True)
class _Selector:
    """A hiding rule's selector: compounds from the outermost element to the one it hides.

    A child combinator (``>``) is read as a descendant one: it hides at least
    what the page hides.
    """

    text: str
    compounds: tuple[_Compound, ...]


def _stylesheet(page: str, source: str) -> tuple[_Selector, ...]:
    """The hiding rules of the page's own stylesheets; an unreadable one refuses the page."""
    selectors = []
    for css in _STYLE_ELEMENT.findall(page):
        for text in _hiding_selectors(_CSS_COMMENT.sub(" ", css)):
            if not text or _NOT_AT_REST.search(text):
                continue
            parts = text.replace(">", " ").split()
            compounds = [_compound(part) for part in parts]
            if not parts or any(compound is None for compound in compounds):
                shown = text if len(text) <= 80 else text[:77] + "…"
                raise ReleaseFileError(
                    f"{source!r} hides content with a style rule xl-reit cannot resolve "
                    f"({shown!r} hides what it selects), so the figures it hides cannot be "
                    "told from those it shows: copy the release's text from the browser into a "
                    ".txt file and import that"
                )
            selectors.append(_Selector(text, tuple(c for c in compounds if c is not None)))
    return tuple(selectors)


# ------------------------------------------------------------------ tables


@dataclass
class _Table:
    """A table being read: its rows as lines, and as the paragraphs a layout table gives.

    Whether a table tabulates or lays out is known only when it ends (or when a
    table inside it begins), so its content is kept both ways until then, row
    by row.
    """

    spans: _SpanBudget
    lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    #: What the table gives as paragraphs, in page order: a string of lines each.
    layout: list[str] = field(default_factory=list)
    #: Rows of a ``<tfoot>``: shown last; their cells are laid out when the table ends.
    footer: list[list[tuple[str, int, int]]] = field(default_factory=list)
    covered: dict[int, int] = field(default_factory=dict)
    row: list[tuple[str, int, int]] | None = None
    row_layout: list[str] = field(default_factory=list)
    in_footer: int = 0
    scratch: _Lines = field(default_factory=lambda: _Lines())

    def harvest(self) -> list[str]:
        """The lines written since the last harvest (the open one ended)."""
        self.scratch.end_line()
        done, self.scratch.done = self.scratch.done, []
        return done

    def lay_out(self, lines: list[str], into: list[str]) -> None:
        if lines:
            into.append("\n".join(lines))

    def end_cell(self, attributes: dict[str, str]) -> None:
        lines = self.harvest()
        self.lay_out(lines, self.row_layout)
        if self.row is not None:
            text = " ".join(" ".join(lines).split())
            columns = _span(attributes, "colspan", _MAX_COLSPAN)
            self.row.append((text, columns, _span(attributes, "rowspan", _MAX_ROWSPAN) - 1))

    def end_row(self) -> None:
        self.lay_out(self.harvest(), self.row_layout)
        if self.row_layout:
            self.layout.append("\n".join(self.row_layout))
        self.row_layout = []
        if self.row is None:
            return
        if self.in_footer:
            self.footer.append(self.row)
        else:
            self.lines.append(self.line(self.row))
        self.row = None

    def line(self, row: list[tuple[str, int, int]]) -> str:
        """A row's cells, each in its column (after the cells the rows above still span)."""
        cells: list[str] = []
        spans: dict[int, int] = {}
        made = len(self.covered)
        for text, columns, rows_below in row:
            while self.covered.get(len(cells)):
                cells.append("")
                made += 1
            if rows_below:
                spans.update(dict.fromkeys(range(len(cells), len(cells) + columns), rows_below))
            cells += [text] + [""] * (columns - 1)
            made += columns - 1
            self.spans.spend(made)
            made = 0
        self.spans.spend(made)
        self.covered = {c: left - 1 for c, left in self.covered.items() if left > 1} | spans
        return "\t".join(cells).rstrip("\t")

    def finish(self) -> list[str]:
        """The table's lines: its captions, its rows, its footer's rows."""
        self.harvest()
        self.lines += [self.line(row) for row in self.footer]
        return [caption for caption in self.captions if caption] + self.lines

    def paragraphs(self) -> list[str]:
        """What the table gives as a layout table, up to what is being read now."""
        lines = [line for text in self.layout for line in text.split("\n")]
        lines += [line for text in self.row_layout for line in text.split("\n")]
        return lines + self.harvest()


@dataclass
class _SpanBudget:
    spent: int = 0

    def spend(self, cells: int) -> None:
        self.spent += cells
        if self.spent > MAX_SPANNED:
            raise _RefusedError(
                f"its table cells span more than {MAX_SPANNED:,} cells (colspan and rowspan); "
                "a release's tables span a few hundred"
            )


class _RefusedError(Exception):
    """What makes a page refused, said of the page."""


# ------------------------------------------------------------------ reader


@dataclass
class _Open:
    """An open element: its tag, and what reading it began."""

    tag: str
    attributes: dict[str, str]
    hidden: bool
    #: How far along each descendant selector the element and those around it go.
    progress: dict[int, int]
    role: str | None = None  # "table", "row", "cell" or "caption" of the table read


class _Reader(HTMLParser):
    """The page's text as it is parsed, closing what the page leaves open as browsers do."""

    def __init__(self, selectors: tuple[_Selector, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.selectors = selectors
        # each compound of each selector, by what an element must have for it to match
        self.by_key: dict[str, list[tuple[int, int]]] = {}
        for number, selector in enumerate(selectors):
            for position, compound in enumerate(selector.compounds):
                key = (
                    f"#{min(compound.ids)}"
                    if compound.ids
                    else f".{min(compound.classes)}"
                    if compound.classes
                    else compound.tag or "*"
                )
                self.by_key.setdefault(key, []).append((number, position))
        self.checks = 0
        self.elements = 0
        self.text_size = 0
        self.lines = _Lines()
        self.spans = _SpanBudget()
        root = _Open("#document", {}, False, {})
        for tag in ("html", "body"):  # which a browser's page has, whether the source has or not
            root.hidden, root.progress = self._styled(tag, {}, root)
        self.open: list[_Open] = [root]
        self.table: _Table | None = None
        self.table_depth = 0  # where in self.open the table being read is
        self.pre: list[str] | None = None
        self.pre_depth = 0

    @property
    def sink(self) -> _Lines:
        return self.table.scratch if self.table is not None else self.lines

    def _styled(
        self, tag: str, attributes: dict[str, str], parent: _Open
    ) -> tuple[bool, dict[int, int]]:
        """Whether a stylesheet rule hides the element, and its selectors' progress."""
        if not self.selectors:
            return False, parent.progress
        classes = frozenset(attributes.get("class", "").split())
        keys = [tag, "*", *(f".{name}" for name in classes)]
        if "id" in attributes:
            keys.append(f"#{attributes['id']}")
        progress = parent.progress
        for key in keys:
            for number, position in self.by_key.get(key, ()):
                self.checks += 1
                if self.checks > MAX_STYLE_CHECKS:
                    raise _RefusedError(
                        f"its stylesheets take more than {MAX_STYLE_CHECKS:,} checks of its "
                        "elements to tell what they hide; a release's page takes thousands"
                    )
                compounds = self.selectors[number].compounds
                if parent.progress.get(number, 0) < position or not compounds[position].matches(
                    tag, attributes, classes
                ):
                    continue
                if position == len(compounds) - 1:
                    return True, progress
                if progress.get(number, 0) <= position:
                    if progress is parent.progress:
                        progress = dict(progress)
                    progress[number] = position + 1
        return False, progress

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _RefusedError(
                f"it has more than {MAX_ELEMENTS:,} elements (tags); a release's page has "
                "some thousands"
            )
        attributes = {name: value or "" for name, value in attrs}
        if len(self.open) > _MAX_DEPTH and (
            tag not in _TABLE_TAGS or len(self.open) > 2 * _MAX_DEPTH
        ):
            # A page that never closes its <font>s: its text and tables are kept, and its
            # further tags ignored; one that would hide what it holds cannot be, then.
            if not self.open[-1].hidden and self._hides(tag, attributes, self.open[-1])[0]:
                raise _RefusedError(
                    f"it hides content inside elements nested more than {_MAX_DEPTH} deep "
                    f"(a <{tag}>), where xl-reit no longer follows the page's elements"
                )
            return
        for implied in _IMPLIED_ENDS.get(tag, ()):
            if self._close_any(implied):
                break
        if tag in _CELLS and self.open[-1].tag in ("table", *_ROW_GROUPS):
            self.handle_starttag("tr", [])  # a cell outside any row starts one
        parent = self.open[-1]
        hidden, progress = self._hides(tag, attributes, parent)
        element = _Open(tag, attributes, hidden, progress)
        if not hidden:
            self._begin(element, parent)
        if tag not in _VOID:
            self.open.append(element)

    def _hides(
        self, tag: str, attributes: dict[str, str], parent: _Open
    ) -> tuple[bool, dict[int, int]]:
        """Whether the element is hidden where ``parent`` holds it, and its selectors' progress."""
        if parent.hidden:
            return True, parent.progress
        if (
            tag in _DROPPED
            or "hidden" in attributes
            or ("style" in attributes and bool(_HIDING.search(attributes["style"])))
        ):
            return True, parent.progress
        return self._styled(tag, attributes, parent)

    def _begin(self, element: _Open, parent: _Open) -> None:
        tag = element.tag
        if self.pre is not None:
            if tag == "br" or tag in _BLOCKS:
                self.pre.append("\n")
            if tag == "pre":
                self.pre_depth += 1
            return
        if tag == "br":
            self.sink.end_line(keep_empty=True)
            return
        if tag in _BLOCKS:
            self.sink.end_line()
        if tag == "pre":
            self.pre, self.pre_depth = [], 1
        elif tag == "table":
            if self.table is not None:
                self._lay_out_table()
            self.table = _Table(self.spans)
            self.table_depth = len(self.open)
            element.role = "table"
        elif self.table is None:
            return
        elif tag == "tr":
            if self.table.row is not None:
                self.table.end_row()  # a row inside a row's cell: the row ends, as browsers end it
            self.table.lay_out(self.table.harvest(), self.table.layout)
            self.table.row = []
            element.role = "row"
        elif tag in _CELLS and parent.role == "row":
            self.table.lay_out(self.table.harvest(), self.table.row_layout)
            element.role = "cell"
        elif tag == "caption" and not any(o.role == "cell" for o in self.open):
            self.table.lay_out(self.table.harvest(), self.table.layout)
            element.role = "caption"
        elif tag == "tfoot":
            self.table.in_footer += 1
            element.role = "footer"

    def _lay_out_table(self) -> None:
        """The table being read holds a table: it lays out the page, so write it as paragraphs."""
        assert self.table is not None
        lines = self.table.paragraphs()
        open_line = self.table.scratch.open
        self.table = None
        for element in self.open[self.table_depth :]:
            element.role = None
        self.lines.done += lines
        self.lines.open = open_line

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.open[-1].tag == tag:
            self._pop(len(self.open) - 1)  # <div/>: XHTML's empty element

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            self.handle_starttag("br", [])  # </br>: browsers read it as <br>
        else:
            self._close_any(_ONLY.get(tag) or frozenset((tag,)), within_table=tag != "table")

    def handle_data(self, data: str) -> None:
        if self.open[-1].hidden:
            return
        self.text_size += len(data)
        if self.text_size > MAX_TEXT:
            raise _RefusedError(
                f"its text runs past {MAX_TEXT:,} characters; a release's page has some "
                "tens of thousands"
            )
        if not data.isascii():
            data = data.translate(_INVISIBLE)
        if self.pre is not None:
            self.pre.append(data)
        else:
            self.sink.open.append(data)

    def close(self) -> None:
        super().close()
        self._pop(1)
        self.lines.end_line()

    def _close_any(self, tags: frozenset[str], *, within_table: bool = True) -> bool:
        """Close the innermost open element with one of ``tags`` and all inside it, if any.

        An end tag never closes elements outside the table it is in, so a
        stray ``</td>`` cannot close the cell of a table around the table.
        """
        for depth in range(len(self.open) - 1, 0, -1):
            tag = self.open[depth].tag
            if tag in tags:
                self._pop(depth)
                return True
            if within_table and tag == "table":
                return False
        return False

    def _pop(self, depth: int) -> None:
        """Close the open elements from ``depth`` on, the innermost first."""
        while len(self.open) > depth:
            element = self.open.pop()
            if not element.hidden:
                self._end(element)

    def _end(self, element: _Open) -> None:
        tag = element.tag
        if self.pre is not None:
            if tag == "pre":
                self.pre_depth -= 1
            if self.pre_depth:
                if tag in _BLOCKS:
                    self.pre.append("\n")
                return
            text = "".join(self.pre).strip("\n")
            self.pre = None
            self.sink.done += [line.rstrip() for line in text.splitlines()]
            return
        table = self.table
        if element.role == "table" and table is not None:
            self.table = None
            self.lines.end_line()
            self.lines.done += table.finish()
            return
        if table is not None:
            if element.role == "cell":
                table.end_cell(element.attributes)
            elif element.role == "row":
                table.end_row()
            elif element.role == "caption":
                lines = table.harvest()
                table.lay_out(lines, table.layout)
                table.captions.append(" ".join(" ".join(lines).split()))
            elif element.role == "footer":
                table.in_footer -= 1
        if tag in _BLOCKS:
            self.sink.end_line()


class _Lines:
    """The page's lines as they are written, the last one still open for more text."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self.open: list[str] = []

    def text(self) -> str:
        self.end_line()
        return "\n".join(self.done) + "\n" if self.done else ""

    def end_line(self, *, keep_empty: bool = False) -> None:
        """End the open line; an empty one is only kept where ``<br>`` ends it."""
        if not self.open and not keep_empty:
            return
        line = " ".join("".join(self.open).split())
        if line or keep_empty:
            self.done.append(line)
        self.open = []


def declared_text(data: bytes) -> str | None:
    """A page's text in the charset its ``<meta>`` declares; ``None`` to decode it as any text.

    ``None`` too for a page with a byte-order mark (which says more than a
    ``<meta>``), one whose charset is unknown or no web page's encoding, and
    one whose bytes are not in the charset it declares.

    >>> declared_text(b'<meta charset="iso-8859-1"><p>Caf\\xe9 \\x96 2023</p>')
    '<meta charset="iso-8859-1"><p>Café – 2023</p>'
    >>> declared_text(b'<p>Caf\\xc3\\xa9</p>') is None
    True
    >>> declared_text(b'<meta charset="rot13"><p>Pnsr</p>') is None
    True
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    declared = _META_CHARSET.search(data[:1024])
    encoding = _declared_encoding(declared.group(1).decode("ascii")) if declared else None
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def foreign_charset(data: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares when it is a codec but no web page's encoding.

    Such a declaration (``rot13``, ``base64``, ``zlib``, ``punycode``) is
    ignored, as browsers ignore it, and the page decoded as any text is.

    >>> foreign_charset(b'<meta charset=base64><p>2023</p>')
    'base64'
    >>> foreign_charset(b'<meta charset=utf-8><p>2023</p>') is None
    True
    """
    declared = _META_CHARSET.search(data[:1024])
    if declared is None:
        return None
    label = declared.group(1).decode("ascii")
    try:
        codecs.lookup(label)
    except LookupError:
        return None
    return label if _declared_encoding(label) is None else None


def _declared_encoding(label: str) -> str | None:
    """The codec a declared charset names, as browsers read it; ``None`` for any other."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if not _WEB_ENCODINGS.fullmatch(name):
        return None  # rot13, base64, zlib, punycode …: codecs, but not a page's encoding
    if name in ("iso8859-1", "ascii", "latin-1"):
        return "cp1252"  # browsers read these labels as Windows-1252
    if name.startswith("utf-16"):
        return "utf-8"  # a page that declares its charset in ASCII is not UTF-16
    return name


def page_text(page: str, source: str = "the page") -> str:
    """The text of a page's HTML: its tables as tab-separated lines, the rest as plain lines.

    ``source`` names the page in the :class:`~xl_reit.errors.ReleaseFileError`
    that refuses it (for hiding content in a way that cannot be resolved, or
    for a limit of work it reached). A tab is shown here as `` | ``:

    >>> text = page_text('''<h1>Acme REIT Reports 2023 Dividend Tax Treatment</h1>
    ... <p>Common Stock (CUSIP&nbsp;00000A109)</p>
    ... <table><tr><th>Record<br>Date<th>Payable Date<th>Ordinary</tr>
    ... <tr><td>12/29/23<td>01/16/24<td>$0.10</table>''')
    >>> print(text.replace("\\t", " | "), end="")
    Acme REIT Reports 2023 Dividend Tax Treatment
    Common Stock (CUSIP 00000A109)
    Record Date | Payable Date | Ordinary
    12/29/23 | 01/16/24 | $0.10
    """
    reader = _Reader(_stylesheet(page, source))
    try:
        for start in range(0, len(page), _CHUNK):
            reader.feed(page[start : start + _CHUNK])
        reader.close()
    except _RefusedError as refused:
        raise ReleaseFileError(
            f"{source!r} is refused: {refused}. Copy the release's text from the browser into "
            "a .txt file and import that"
        ) from None
    return reader.lines.text()


#: How much of the page the parser is given at a time.
_CHUNK = 1 << 20
