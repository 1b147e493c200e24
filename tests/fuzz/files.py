"""Web pages, PDFs and bulk records: their readers, fed hostile files, held to the promise.

The same promise as the text readers' (:mod:`.oracles`): only an
:class:`~xl_reit.errors.XlReitError`, no input past its time budget, nothing
written on failure, no figure the file does not print. For web pages, also
none that a browser would not show: a row hidden by any of the ways pages
hide one never reaches the text. The files are made from the project's own
releases: their pages (``release_pages.py``), their texts laid out as PDF
pages, and holdings files as bulk records; then damaged as senders damage
them (the mutations below, and those of :mod:`.mutations`).
"""

from __future__ import annotations

import gzip
import html
import random
import tempfile
import zlib
from pathlib import Path

import duckdb

from xl_reit import bulk
from xl_reit.errors import XlReitError
from xl_reit.sources import release_text

from .oracles import _release, _table, guarded, try_release_digit

# ------------------------------------------------------------------- pages


def page_seeds(releases: list[str]) -> list[str]:
    """The tests' release pages, and each release text as a page of preformatted text."""
    import release_pages

    pages = [release_pages.stag_2024(), release_pages.wpc_2023(), release_pages.aimco_2004()]
    return pages + [
        release_pages.page("Release", f"<pre>{html.escape(text, quote=False)}</pre>")
        for text in releases
    ]


def _anywhere(text: str, rng: random.Random, piece: str) -> str:
    """``piece`` inserted before a random tag (or at the end)."""
    tags = [index for index, char in enumerate(text) if char == "<"] or [len(text)]
    index = rng.choice(tags)
    return text[:index] + piece + text[index:]


def huge_spans(text: str, rng: random.Random) -> str:
    """Cells spanning the most a browser allows, and rows under them."""
    cell = f"<td colspan={rng.choice([1000, 10**9, 65534])} rowspan={rng.choice([2, 65534, 0])}>x"
    rows = "<tr><td>y" * rng.choice([10, 2000, 60_000])
    return _anywhere(text, rng, f"<table><tr>{cell}{rows}</table>")


def deep_nesting(text: str, rng: random.Random) -> str:
    tag = rng.choice(["div", "font", "table", "td", "tr", "b"])
    return _anywhere(text, rng, f"<{tag}>" * rng.choice([300, 20_000]))


def odd_charset(text: str, rng: random.Random) -> str:
    charset = rng.choice(
        ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "punycode", "idna", "utf-7",
         "utf-16", "x-unknown", "unicode_escape", "latin-1", "shift_jis", ""]
    )  # fmt: skip
    return f'<meta charset="{charset}">' + text


def comment_or_cdata(text: str, rng: random.Random) -> str:
    start = rng.choice(["<!--", "<![CDATA[", "<script>", "<style>", "<textarea>", "<title>"])
    return _anywhere(text, rng, start)


def style_rules(text: str, rng: random.Random) -> str:
    rule = rng.choice(
        [".a{display:none}", "tr:nth-child(2){display:none}", "td+td{visibility:hidden}",
         "@media print{table{display:none}}", "table tr{color:red}", "*{display:none}",
         "p{display:none", "}}}{{{", "@import url(x.css);", ".a{.b{display:none}}",
         "div " * 5000 + "{display:none}", ".x{display:none}" * 3000]
    )  # fmt: skip
    return _anywhere(text, rng, f"<style>{rule}</style>")


PAGE_MUTATIONS = (huge_spans, deep_nesting, odd_charset, comment_or_cdata, style_rules)

#: Each way a page hides a row: the row's attributes, and a stylesheet rule (or none).
HIDINGS = (
    ('style="display:none"', ""),
    ('style="visibility: hidden"', ""),
    ('style="visibility:collapse"', ""),
    ('style="DISPLAY : NONE !important"', ""),
    ("hidden", ""),
    ('class="fz-gone"', ".fz-gone{display:none}"),
    ('class="row fz-gone"', "tr.fz-gone { visibility: collapse }"),
    ('id="fz-row"', "#fz-row{display:none}"),
    ('class="fz-gone"', "@media screen { body .fz-gone { display: none } }"),
    ('data-fz="1"', "[data-fz='1']{content-visibility:hidden}"),
)
#: The figure only a hidden row prints.
HIDDEN_FIGURE = "0.987654"


def try_page(page: str, rng: random.Random, seconds: float) -> str | None:
    """A page, in an encoding a browser saves, through the reader and the importer."""
    encoding = rng.choice(["utf-8", "utf-8", "cp1252", "utf-16", "utf-8-sig"])
    data = page.encode(encoding, errors="replace")
    name = rng.choice(["fuzz.html", "fuzz.htm", "fuzz.txt"])
    _, broken = guarded(lambda: _release(release_text(data, name).text), seconds)
    return broken


def try_page_hidden(page: str, rng: random.Random, seconds: float) -> str | None:
    """A row hidden one way or another (in a table of its own, or the page's): never read."""
    attributes, rule = rng.choice(HIDINGS)
    row = f"<tr {attributes}><td>12/29/23<td>${HIDDEN_FIGURE}</tr>"
    style = f"<style>{rule}</style>" if rule else ""
    # not where a markup declaration opens ("<![CDATA[<tr"): a browser reads "<![CDATA[" as a
    # bogus comment that the next ">" ends, the row's own tag, and shows the row's cells
    tables = [
        index
        for index in range(len(page))
        if page.startswith("<tr", index) and "<!" not in page[page.rfind(">", 0, index) + 1 : index]
    ]
    if tables and rng.random() < 0.5:
        index = rng.choice(tables)
        hidden = page[:index] + row + page[index:]
        hidden = _anywhere(hidden, rng, style) if style else hidden
    else:
        hidden = _anywhere(page, rng, f"{style}<table>{row}</table>")
    if HIDDEN_FIGURE in page:
        return None
    read, broken = guarded(lambda: release_text(hidden.encode(), "fuzz.html").text, seconds)
    if broken:
        return broken
    if isinstance(read, str) and HIDDEN_FIGURE in read:
        return f"a row hidden by {attributes} {rule!r} is read: {HIDDEN_FIGURE} is in the text"
    return None


def try_page_digit(page: str, rng: random.Random, seconds: float) -> str | None:
    """One digit of a figure the page's import carries, changed: the import changes."""
    return try_release_digit(page, rng, seconds, read=_page_text)


def _page_text(page: str) -> str:
    return release_text(page.encode(), "fuzz.html").text


# -------------------------------------------------------------------- PDFs


def pdf_of_text(text: str, *, compress: bool = False, turned: bool = False) -> bytes:
    """A PDF of ``text``'s lines in Courier, 60 a page (``turned``: the first page sideways)."""
    lines = text.splitlines()
    contents = []
    for start in range(0, max(len(lines), 1), 60):
        place = b"0 1 -1 0 300 20 Tm" if turned and not start else b"20 770 Td"
        ops = [b"BT /F1 7 Tf 9 TL " + place]
        for line in lines[start : start + 60]:
            escaped = line.encode("latin-1", "replace").replace(b"\\", b"\\\\")
            ops.append(b"(" + escaped.replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*")
        content = b"\n".join([*ops, b"ET"])
        contents.append(zlib.compress(content) if compress else content)
    return _pdf(contents, b"/Filter /FlateDecode" if compress else b"")


def _pdf(contents: list[bytes], filters: bytes) -> bytes:
    """A PDF of a page per content stream (each with ``filters``), in Courier."""
    from pdf_files import text_pdf

    return text_pdf(*contents, filters=filters, font=b"Courier")


def _bomb(rng: random.Random) -> bytes:
    """Pages whose content streams each inflate to up to 70 megabytes (once or twice over)."""
    stream = zlib.compress(b"0 0 m 1 1 l S\n" * rng.choice([100_000, 5_000_000]), 9)
    pages = rng.choice([1, 8, 40])
    if rng.random() < 0.3:
        return _pdf([zlib.compress(stream)] * pages, b"/Filter [/FlateDecode /FlateDecode]")
    return _pdf([stream] * pages, b"/Filter /FlateDecode")


def _damaged(pdf: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(pdf)
    for _ in range(rng.randint(1, 20)):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged[: rng.randint(len(damaged) // 2, len(damaged))])


def try_pdf(text: str, rng: random.Random, seconds: float) -> str | None:
    """A release's text as a PDF: plain, compressed, turned, damaged, or a bomb."""
    kind = rng.choice(["plain", "compressed", "turned", "damaged", "bomb"])
    if kind == "bomb":
        pdf = _bomb(rng)
    else:
        pdf = pdf_of_text(text, compress=kind != "plain", turned=kind == "turned")
        pdf = _damaged(pdf, rng) if kind == "damaged" else pdf
    _, broken = guarded(lambda: _release(release_text(pdf, "fuzz.pdf").text), seconds)
    return broken


def try_pdf_digit(text: str, rng: random.Random, seconds: float) -> str | None:
    """One digit of a figure the PDF's import carries, changed: the import changes."""
    compress = rng.random() < 0.5
    return try_release_digit(
        text,
        rng,
        seconds,
        read=lambda lines: release_text(pdf_of_text(lines, compress=compress), "fuzz.pdf").text,
    )


# ----------------------------------------------------------------- records


def records_seeds(holdings: list[str]) -> list[str]:
    """Holdings files as bulk records: an account column first, the lines as records."""
    seeds = []
    for text in holdings:
        lines = text.splitlines()
        if lines:
            rows = [f"{index % 3},{line}" for index, line in enumerate(lines[1:])]
            seeds.append("\n".join([f"account,{lines[0]}", *rows]) + "\n")
    return seeds


def _records_file(folder: Path, text: str, rng: random.Random) -> Path:
    """The records as an export writes them: CSV in some encoding, line ends or gzip; Parquet."""
    kind = rng.choice(["utf-8", "utf-8", "cp1252", "utf-16", "gzip", "crlf", "mixed", "parquet"])
    if kind == "parquet" and max(map(len, text.splitlines() or [""])) > 10_000:
        kind = "utf-8"  # DuckDB takes minutes to make Parquet of a megabyte line's columns
    path = folder / ("records.parquet" if kind == "parquet" else "records.csv")
    if kind == "crlf":
        text = text.replace("\n", "\r\n")
    if kind == "mixed":
        lines = text.split("\n")
        text = "".join(line + rng.choice(["\n", "\r\n"]) for line in lines)
    data = text.encode("utf-8" if kind in ("gzip", "parquet", "crlf", "mixed") else kind,
                       errors="replace")  # fmt: skip
    if kind == "gzip":
        data = gzip.compress(data)
    if kind != "parquet":
        path.write_bytes(data)
        return path
    source = folder / "records-source.csv"
    source.write_bytes(data)
    shares = rng.choice(
        ["DECIMAL(38, 0)", "DECIMAL(38, 12)", "FLOAT", "DOUBLE", "HUGEINT", "VARCHAR"]
    )
    try:
        described = duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{source}', all_varchar = true)")
        names = [row[0] for row in described.fetchall()]
        cells = [
            f'TRY_CAST(replace("{n}", \',\', \'\') AS {shares}) AS "{n}"'
            if n.lower().startswith("shares") else f'"{n}"'
            for n in (name.replace('"', '""') for name in names)
        ]  # fmt: skip
        duckdb.execute(
            f"COPY (SELECT {', '.join(cells)} FROM read_csv('{source}', all_varchar = true)) "
            f"TO '{path}' (FORMAT parquet)"
        )
    except duckdb.Error:
        return source  # DuckDB cannot make it Parquet: it is the CSV that is tried
    return path


def _boxes(path: Path, out: Path, skip_bad: bool) -> object:
    return bulk.write_boxes(path, ["account"], out, table=_table(), skip_bad=skip_bad)


def try_records(text: str, rng: random.Random, seconds: float) -> str | None:
    """Bulk records through DuckDB: written whole, or refused with nothing written."""
    with tempfile.TemporaryDirectory() as folder:
        path = _records_file(Path(folder), text, rng)
        out = Path(folder) / "out" / rng.choice(["boxes.csv", "boxes.parquet", "boxes.json"])
        out.parent.mkdir()
        summary, broken = guarded(lambda: _boxes(path, out, rng.random() < 0.3), seconds)
        left = sorted(p.name for p in out.parent.iterdir())
    if broken:
        return broken
    if isinstance(summary, XlReitError) and left:
        return f"refused ({str(summary)[:200]}) but left {left}"
    if isinstance(summary, bulk.Summary) and out.name not in left:
        return f"wrote {summary.rows} rows, but {out.name} is not there: {left}"
    return None


def _records_boxes(text: str, folder: Path) -> object:
    path = folder / "records.csv"
    path.write_text(text, encoding="utf-8")
    out = folder / "boxes.csv"
    try:
        bulk.write_boxes(path, ["account"], out, table=_table(), overwrite=True)
    except XlReitError:
        return None
    return out.read_text(encoding="utf-8")


def try_records_digit(text: str, rng: random.Random, seconds: float) -> str | None:
    """Change one digit of one share count: the boxes change, or the file is refused."""
    rows = [line.split(",") for line in text.splitlines()]
    at = next(
        (i for i, name in enumerate(rows[0] if rows else []) if name.lower().startswith("shares")),
        None,
    )
    candidates = [
        number
        for number, row in enumerate(rows)
        if number and at is not None and at < len(row) and any(c.isdigit() for c in row[at])
    ]
    if at is None or not candidates:
        return None
    number = rng.choice(candidates)
    shares = rows[number][at]
    position = rng.choice([i for i, c in enumerate(shares) if c.isdigit()])
    digit = rng.choice([d for d in "0123456789" if d != shares[position]])
    rows[number][at] = shares[:position] + digit + shares[position + 1 :]
    changed = "".join(",".join(row) + "\n" for row in rows)
    with tempfile.TemporaryDirectory() as folder:
        before, broken = guarded(lambda: _records_boxes(text, Path(folder)), seconds)
        after, broken_after = guarded(lambda: _records_boxes(changed, Path(folder)), seconds)
    if broken or broken_after:
        return broken or broken_after
    if before is not None and after is not None and before == after:
        return (
            f"line {number + 1}: shares {shares} changed to {rows[number][at]}, the boxes did "
            "not change"
        )
    return None
