"""xl-reit's benchmarks: each hot path timed beside its baseline, in one run."""
