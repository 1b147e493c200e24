"""``python -m benchmarks [--quick] [--only ROWS]``: see :mod:`benchmarks.run`."""

from benchmarks.run import main

raise SystemExit(main())
