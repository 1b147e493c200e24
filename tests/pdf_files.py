"""PDF files written byte by byte, for the tests of the PDF reader and for the fuzzer.

A PDF here is a list of objects, numbered from 1 (the first the catalog), and
the cross-reference table that says where each starts: as small a file as
pypdf reads without repairing it.
"""

from __future__ import annotations


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; the first is the catalog), with its xref."""
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def text_pdf(*contents: bytes, filters: bytes = b"", font: bytes = b"Helvetica") -> bytes:
    """A PDF of a page per content stream, in ``font`` as /F1 (``filters``: the streams'
    /Filter)."""
    count = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /%s >>" % font,
    ]
    for index, content in enumerate(contents):
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * index),
            b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), filters, content),
        ]
    return pdf_of(objects)
