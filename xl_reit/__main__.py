"""``python -m xl_reit``: the same command line as ``xl-reit``."""

from .cli import main

raise SystemExit(main())
