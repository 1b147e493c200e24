"""xl-reit: a REIT's published dividend tax allocation as exact, offline numbers.

The pure-Python API (no xlwings, openpyxl or pandas needed at import)::

    >>> import xl_reit
    >>> xl_reit.allocation("03748R-10-1", "2004-02-27", "qualified")
    Decimal('0.013268')

Excel functions live in :mod:`xl_reit.udfs`, the template workbook in
:mod:`xl_reit.workbook`, the command line in :mod:`xl_reit.cli`.
"""

from ._version import __version__
from .errors import (
    DataFileError,
    InvalidCusipError,
    InvalidDateError,
    InvalidSharesError,
    NoPaymentError,
    UnknownComponentError,
    UnknownSecurityError,
    XlReitError,
)
from .lookup import allocation, amount, classes, dividend, find_class, find_payment, payments
from .model import Payment, SecurityClass
from .table import AllocationTable, default_table

__all__ = [
    "AllocationTable",
    "DataFileError",
    "InvalidCusipError",
    "InvalidDateError",
    "InvalidSharesError",
    "NoPaymentError",
    "Payment",
    "SecurityClass",
    "UnknownComponentError",
    "UnknownSecurityError",
    "XlReitError",
    "__version__",
    "allocation",
    "amount",
    "classes",
    "default_table",
    "dividend",
    "find_class",
    "find_payment",
    "payments",
]
