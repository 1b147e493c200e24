"""Import a REIT's dividend tax allocation release: from pasted or OCR'd text to a checked table.

Every January a REIT publishes how the past year's dividends split for tax, the
"dividend income tax allocation": for each share class (a heading with the
class name and its CUSIP), for each payment (record and payable date), the
dividend per share and its parts — ordinary (non-qualified) dividends,
qualified dividends, Section 199A dividends, capital gain, unrecaptured
Sec. 1250 gain and return of capital (:mod:`xl_reit.components`).
:func:`parse_release` reads such a release's text into the rows of a table in
the table file schema (:mod:`xl_reit.tablefile`) and a report that proves the
figures add up; the command line's ``xl-reit import`` runs it on a file.

The parser is a pipeline of small steps:

1. *normalise* the text: ``\\$`` becomes ``$``, look-alike Greek and Cyrillic
   letters become Latin ones ("Class Α" with a Greek alpha is Class A),
   markdown heading marks go, and so do footnote marks — a superscript digit,
   or a digit in brackets glued to a figure, date or word ("$0.4375¹",
   "10/19/23(7)") — which are never digits;
2. *tokenise* every line into dates, figures (``$0.600``, ``1.6588%``, a
   figure that lost a digit such as ``1.``), annual labels and words, and give
   the line a role: a rule, header words, rows of figures, a line laid out
   column by column ("Record Date 03/01/04 06/01/04 …"), or text;
3. cut the text into *class sections* at the headings that carry a CUSIP;
4. cut each section into *tables*: header lines, then figure lines (blank lines
   may sit inside a table);
5. *name* each table's columns from its header (the project's own vocabulary
   first, then key words; a word the OCR damaged — "Unitecaptured", "Pavable",
   "Appual" — is matched to the nearest known word). Header words split over
   several lines are put back together by column;
6. *read* each table in its layout — row by row, column by column, or a line
   that lost its header, in the columns of the release's tables like it —
   each figure under the column step 5 named;
7. *fit* a table laid out column by column into one row per payment;
8. *join* one class's tables (a dividend table and a capital-gain table) by
   record and payable date;
9. *repair* what the release itself proves, *infer* what it only suggests, and
   report everything else;
10. *interpret*: decide from the arithmetic what each loosely named column is
    ("Ordinary Dividends" is box 1a with the qualified ones inside it, or 1a
    less 1b beside them; "Capital Gain" likewise box 2a or 2a less 2b) and
    whether figures printed without ``$`` or ``%`` are dollars or percentages,
    checking every payment as the table will (:mod:`xl_reit.figures`); each
    figure is then written as printed, in the column the release's words and
    the arithmetic name — nothing is converted, nothing pushed into a part;
11. take the release's *facts* — issuer, tax year, release date, symbols — as
    given, else as its text prints them;
12. *reconcile*: assemble every class as a table does (:mod:`xl_reit.assemble`),
    which checks that each payment's parts add up to the dividend (1a + 2a + 3,
    within the printed digits: the issuer's rounding is accepted and said) and
    that the payments add up to the printed annual line.

The report sorts what it found into four kinds (:class:`Finding`):

``reading``
    how the text was read — an OCR fix, a layout, a column named by the
    arithmetic. No figure depends on a guess.
``repair``
    a figure the text does not show legibly but the release proves: a date
    from the same class's other table, the value printed on every other row of
    its column, and the row then adds up. Written into the row's notes.
``gap``
    a figure inferred without proof (marked "inferred") or not printed. Written
    into the notes; the import is not ok, and the table is written only when
    gaps are allowed.
``problem``
    something that does not reconcile or cannot be read. The class is left out
    of the table, even when gaps are allowed, and the import is not ok.

Never a silent guess: every inference is in the report, with its evidence and
the line numbers of the release text, and in the notes of the rows it touches.

Nor a hostage to the text: every step takes time in proportion to it (a line
of a million characters or a release of 100,000 lines is read in seconds), a
finding quotes short pieces of the release and cites at most
``report.MAX_EVIDENCE`` lines of evidence, and a table of more columns than any
release prints (``layouts.MAX_COLUMNS``) is refused.

To read a new layout of table, write its reader in :mod:`.layouts` — a function
``(TableText, template, Findings) -> TableRead | None`` — and register it with
``@_layout(name, how)`` under the role :mod:`.lines` gives its figure lines (a
new role goes into ``lines.FIGURE_ROLES``, which also orders the layouts, and
``lines._role``; new header words into ``headers._PHRASES``). Then add a release
that prints it to ``tests/releases``: ``NAME.txt`` beside the ``NAME.csv`` it
must import to (the tests find every such pair).

The package keeps one room a step; each module imports only those listed above
it, so an early stage never depends on a later one:

``report``     what an import returns — :class:`ImportResult`, :class:`ImportReport`,
               each :class:`Finding` — and how it prints
``lines``      steps 1 and 2: normalise, tokenise, give each line its role
``sections``   steps 3 and 4: the class sections, and the tables in each
``model``      the kinds of column, a table's columns, rows and cells, and a layout
``headers``    step 5: which column is which, from the header's words
``layouts``    step 6: a table read in its layout; every layout, registered
``fitting``    step 7: a column-by-column table turned into one row per payment
``classes``    step 8: a class's tables read (5, 6), fitted (7) and joined by date
``repairs``    step 9: repairs and inferences
``interpret``  step 10: percent or dollars, additive or nested; the conversion
``facts``      step 11: the issuer, the tax year and the symbols, as given or as printed
``rows``       step 12: the table rows, the reconciliation, each class's report
``pipeline``   :func:`parse_release`: the steps in order

The command line's ``xl-reit import`` (:func:`xl_reit.cli.commands.run_import`)
reads the release file, prints the report and writes the table.
"""

from __future__ import annotations

from .pipeline import parse_release
from .report import (
    AnnualCheck,
    ClassReport,
    Finding,
    FindingKind,
    ImportReport,
    ImportResult,
    PaymentCheck,
)
from .sections import GivenCusip

__all__ = [
    "AnnualCheck",
    "ClassReport",
    "Finding",
    "FindingKind",
    "GivenCusip",
    "ImportReport",
    "ImportResult",
    "PaymentCheck",
    "parse_release",
]
