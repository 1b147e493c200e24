"""Row 4's baseline: a fresh interpreter that imports xlwings (which imports pandas)."""

import xlwings  # noqa: F401
