"""``python -m benchmarks [--quick] [--write BENCHMARKS.md]``."""

from benchmarks.run import main

raise SystemExit(main())
