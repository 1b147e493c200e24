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
  the page's) and hidden elements (``hidden``, ``display: none``,
  ``visibility: hidden``) are dropped; character references are decoded.

The parser closes what pages leave open, as browsers do: a ``<td>`` or
``<tr>`` without its end tag ends at the next cell or row, and every open
cell, row and paragraph of a table ends with the table.

The bytes are decoded by their byte-order mark, else by the charset a
``<meta>`` in the first 1024 bytes declares (``latin-1`` and ``ascii`` read
as Windows-1252, as browsers read them), else as any other release text is
(:func:`xl_reit.encodings.decode`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["declared_text", "page_text"]

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
_ROW_GROUPS = frozenset(("thead", "tbody", "tfoot"))
_TABLE_TAGS = _CELLS | _ROW_GROUPS | {"table", "tr", "caption"}
#: The end tags each start tag implies, looked for no further out than the nearest table.
_IMPLIED_ENDS = {
    "td": _CELLS,
    "th": _CELLS,
    "tr": _CELLS | {"tr"},
    **dict.fromkeys(_ROW_GROUPS, _CELLS | _ROW_GROUPS | {"tr"}),
    "p": frozenset(("p",)),
    "li": frozenset(("li",)),
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
#: Characters a page puts inside words to help a browser break them; they are not text.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
#: Per the HTML standard, a cell spans at most 1000 columns and 65534 rows.
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534
_LEADING_DIGITS = re.compile(r"\s*([0-9]+)")
#: How deep elements may nest before further tags are ignored: their text is kept, and
#: a table's tags are ignored only at twice the depth.
_MAX_DEPTH = 200
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


@dataclass
class _Element:
    """One element of the page: its tag, attributes and children in page order."""

    tag: str
    attributes: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        """Whether the page never shows it (its tag, or its ``hidden`` or ``style``)."""
        return (
            self.tag in _DROPPED
            or "hidden" in self.attributes
            or bool(_HIDDEN_STYLE.search(self.attributes.get("style", "")))
        )

    def span(self, name: str, limit: int) -> int:
        """A cell's ``colspan`` or ``rowspan`` as browsers read it: its leading digits.

        At most ``limit``; anything else (no digits, 0, a negative number) spans 1.
        """
        digits = _LEADING_DIGITS.match(self.attributes.get(name, ""))
        return max(1, min(int(digits.group(1)[:7]), limit)) if digits else 1

    def descendants(self, tag: str) -> list[_Element]:
        """Every shown element with this tag inside this one, in page order."""
        found = []
        for child in self.children:
            if isinstance(child, _Element) and not child.hidden:
                if child.tag == tag:
                    found.append(child)
                found += child.descendants(tag)
        return found


class _TreeBuilder(HTMLParser):
    """The page's elements as a tree, closing what the page leaves open as browsers do."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#document", {})
        self.open: list[_Element] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.open) > _MAX_DEPTH and (
            tag not in _TABLE_TAGS or len(self.open) > 2 * _MAX_DEPTH
        ):
            return  # a page that never closes its <font>s: keep the text and the tables
        implied = _IMPLIED_ENDS.get(tag)
        if implied:
            self._close_any(implied)
        if tag in _CELLS and self.open[-1].tag in ("table", *_ROW_GROUPS):
            self.handle_starttag("tr", [])  # a cell outside any row starts one
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.open[-1].tag == tag:
            self.open.pop()  # <div/>: XHTML's empty element

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            self.handle_starttag("br", [])  # </br>: browsers read it as <br>
        else:
            self._close_any(frozenset((tag,)), within_table=tag != "table")

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)

    def _close_any(self, tags: frozenset[str], *, within_table: bool = True) -> None:
        """Close the innermost open element with one of ``tags`` and all inside it, if any.

        An end tag never closes elements outside the table it is in, so a
        stray ``</td>`` cannot close the cell of a table around the table.
        """
        for depth in range(len(self.open) - 1, 0, -1):
            tag = self.open[depth].tag
            if tag in tags:
                del self.open[depth:]
                return
            if within_table and tag == "table":
                return


def declared_text(data: bytes) -> str | None:
    """A page's text in the charset its ``<meta>`` declares; ``None`` to decode it as any text.

    ``None`` too for a page with a byte-order mark (which says more than a
    ``<meta>``), one whose charset is unknown, and one whose bytes are not in
    the charset it declares.

    >>> declared_text(b'<meta charset="iso-8859-1"><p>Caf\\xe9 \\x96 2023</p>')
    '<meta charset="iso-8859-1"><p>Café – 2023</p>'
    >>> declared_text(b'<p>Caf\\xc3\\xa9</p>') is None
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


def _declared_encoding(label: str) -> str | None:
    """The codec a declared charset names, as browsers read it; ``None`` for an unknown one."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("iso8859-1", "ascii"):
        return "cp1252"  # browsers read these labels as Windows-1252
    if name.startswith("utf-16"):
        return "utf-8"  # a page that declares its charset in ASCII is not UTF-16
    return name


def page_text(page: str) -> str:
    """The text of a page's HTML: its tables as tab-separated lines, the rest as plain lines.

    A tab is shown here as `` | ``:

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
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    lines = _Lines()
    lines.flow(builder.root)
    return lines.text()


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
        line = " ".join("".join(self.open).split())
        if line or keep_empty:
            self.done.append(line)
        self.open = []

    def flow(self, element: _Element) -> None:
        """Write an element's content as it flows on the page: words, lines and tables."""
        for child in element.children:
            if isinstance(child, str):
                self.open.append(child.translate(_INVISIBLE))
            elif child.hidden:
                continue
            elif child.tag == "br":
                self.end_line(keep_empty=True)
            elif child.tag == "pre":
                self.end_line()
                text = _text_of(child, "\n", keep_spacing=True).strip("\n")
                self.done += [line.rstrip() for line in text.splitlines()]
            elif child.tag == "table" and not child.descendants("table"):
                self.end_line()
                self.done += _table_lines(child)
            elif child.tag in _BLOCKS:
                self.end_line()
                self.flow(child)
                self.end_line()
            else:
                self.flow(child)


def _text_of(element: _Element, line_break: str, *, keep_spacing: bool = False) -> str:
    """The shown text inside an element, ``<br>`` and blocks as ``line_break``."""
    parts: list[str] = []
    for child in element.children:
        if isinstance(child, str):
            parts.append(child.translate(_INVISIBLE))
        elif not child.hidden:
            inner = line_break if child.tag == "br" else _text_of(child, line_break)
            block = child.tag in _BLOCKS
            parts += [line_break] * block + [inner] + [line_break] * block
    text = "".join(parts)
    return text if keep_spacing else " ".join(text.split())


def _table_lines(table: _Element) -> list[str]:
    """A table without tables inside: its caption, then a line of cells for each row.

    A ``<tfoot>`` (a totals row) is written last, where the page shows it,
    wherever the page's source puts it.
    """
    captions = [_text_of(caption, " ") for caption in table.descendants("caption")]
    footer = {id(row) for part in table.descendants("tfoot") for row in part.descendants("tr")}
    rows = sorted(table.descendants("tr"), key=lambda row: id(row) in footer)
    covered: dict[int, int] = {}  # column -> rows below that a cell above still spans
    lines = [caption for caption in captions if caption]
    for row in rows:
        cells: list[str] = []
        spans: dict[int, int] = {}
        for cell in (c for c in row.children if isinstance(c, _Element) and c.tag in _CELLS):
            if cell.hidden:
                continue
            while covered.get(len(cells)):
                cells.append("")
            columns = cell.span("colspan", _MAX_COLSPAN)
            rows_below = cell.span("rowspan", _MAX_ROWSPAN) - 1
            if rows_below:
                spans.update(dict.fromkeys(range(len(cells), len(cells) + columns), rows_below))
            cells += [_text_of(cell, " ")] + [""] * (columns - 1)
        covered = {c: left - 1 for c, left in covered.items() if left > 1} | spans
        lines.append("\t".join(cells).rstrip("\t"))
    return lines
