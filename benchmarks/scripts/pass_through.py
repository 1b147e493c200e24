"""Row 8's baseline, a Lite workbook's module: a function that reads three ranges as REIT_ALLOC
does and returns the first unchanged, so its time is xlwings' and Pyodide's part alone.
"""

import xlwings as xw


@xw.func
@xw.arg("first", ndim=2, err_to_str=True)
@xw.arg("second", ndim=2, err_to_str=True)
@xw.arg("third", ndim=2, err_to_str=True)
def PASS_THROUGH(first, second, third):  # noqa: N802 (an Excel function's name)
    return first
