"""Run the fuzzer: ``python -m tests.fuzz [--seconds N] [--seed S] [--budget B]``.

Each trial takes a reader (tables, holdings, release texts, web pages, PDFs, bulk records)
and a seed input, mutates it, and holds the reader to the promise (:mod:`.oracles`,
:mod:`.files`)."""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from .files import (
    PAGE_MUTATIONS,
    page_seeds,
    records_seeds,
    try_page,
    try_page_digit,
    try_page_hidden,
    try_pdf,
    try_pdf_digit,
    try_records,
    try_records_digit,
)
from .mutations import mutate
from .oracles import (
    try_holdings,
    try_holdings_digit,
    try_release,
    try_release_digit,
    try_release_written,
    try_table,
    try_table_digit,
)

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent


def seeds() -> dict[str, list[Path]]:
    """The fixtures each reader's inputs are made from."""
    return {
        "table": sorted([*TESTS.glob("data/*.csv"), *(ROOT / "xl_reit" / "data").glob("*.csv")]),
        "holdings": sorted(TESTS.glob("data/holdings-*.csv")),
        "release": sorted(TESTS.glob("releases/*.txt")),
    }


def corpus() -> dict[str, list[str]]:
    """Each reader's seed inputs: the fixtures' texts, and the pages, PDFs' lines and bulk
    records made of them (a PDF is made of a release's text at each trial)."""
    texts = {
        kind: [path.read_text(encoding="utf-8") for path in paths]
        for kind, paths in seeds().items()
    }
    sys.path.insert(0, str(TESTS))  # release_pages.py
    return {
        **texts,
        "page": page_seeds(texts["release"]),
        "pdf": texts["release"],
        "records": records_seeds(texts["holdings"]),
    }


def _runs(rng: random.Random, budget: float) -> list[tuple[str, Callable[[str], str | None], bool]]:
    """(reader, run on a text, whether the text is CSV) for each kind of trial."""
    return [
        ("table", lambda text: try_table(text, budget), True),
        ("table digit", lambda text: try_table_digit(text, rng, budget), False),
        ("holdings", lambda text: try_holdings(text, rng, budget), True),
        ("holdings digit", lambda text: try_holdings_digit(text, rng, budget), False),
        ("release", lambda text: try_release(text, budget), False),
        ("release written", lambda text: try_release_written(text, budget), False),
        ("release digit", lambda text: try_release_digit(text, rng, budget), False),
        ("page", lambda text: try_page(text, rng, budget), False),
        ("page hidden", lambda text: try_page_hidden(text, rng, budget), False),
        ("page digit", lambda text: try_page_digit(text, rng, budget), False),
        ("pdf", lambda text: try_pdf(text, rng, budget), False),
        ("pdf digit", lambda text: try_pdf_digit(text, rng, budget), False),
        ("records", lambda text: try_records(text, rng, budget), True),
        ("records digit", lambda text: try_records_digit(text, rng, budget), False),
    ]


def fuzz(seconds: float, seed: int, budget: float, findings: Path) -> tuple[Counter[str], int]:
    """Try inputs for ``seconds``; the count of inputs per trial, and of findings."""
    rng = random.Random(seed)
    inputs = corpus()
    tried: Counter[str] = Counter()
    found = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        name, run, csv_file = rng.choice(_runs(rng, budget))
        kind = name.split()[0]
        text = rng.choice(inputs[kind])
        if not name.endswith("digit"):
            text = mutate(text, rng, csv_file, large=rng.random() < 0.02)
            if kind == "page" and rng.random() < 0.5:
                text = rng.choice(PAGE_MUTATIONS)(text, rng)
        state = rng.getstate()
        problem = run(text)
        tried[name] += 1
        if problem is not None:
            found += 1
            findings.mkdir(exist_ok=True)
            stem = findings / f"{name.replace(' ', '-')}-{seed}-{sum(tried.values())}"
            stem.with_suffix(".txt").write_text(text, encoding="utf-8", errors="replace")
            stem.with_suffix(".why").write_text(f"{problem}\nstate: {state!r}\n", encoding="utf-8")
            print(f"FOUND ({name}): {problem.splitlines()[0]} -> {stem}.txt", file=sys.stderr)
    return tried, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60, help="how long to run (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="the seed that replays a run")
    parser.add_argument(
        "--budget",
        type=float,
        default=20,
        help="seconds of work (CPU time) one input may take; ten times that waiting",
    )
    parser.add_argument("--findings", type=Path, default=ROOT / "fuzz-findings")
    args = parser.parse_args(argv)
    tried, found = fuzz(args.seconds, args.seed, args.budget, args.findings)
    total = sum(tried.values())
    print(f"fuzz: {total:,} inputs in {args.seconds:g} s (seed {args.seed}), {found} findings")
    for name, count in sorted(tried.items()):
        print(f"  {name:<16} {count:>7,}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
