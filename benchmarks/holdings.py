"""Row 6: ``xl-reit 1099`` over a 1,000,000-line holdings file, against a plain loop."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from .harness import Child, Row, measured, script


def synthetic_holdings(path: Path, lines: int) -> None:
    """A holdings file of ``lines`` lines over the bundled classes, in mixed spellings (seeded)."""
    generator = random.Random(1099)
    securities = [
        "03748R-10-1",
        "AIVPrD",
        "03748R408",
        "US03748R8613",
        "AIV-PQ",
        "AIV.PR.R",
        "03748r838",
        "AIVpU",
    ]
    with path.open("w", encoding="utf-8") as stream:
        # One lot per account, as a broker's book lists them (an exact repeat is an error).
        stream.write("Account,CUSIP,Shares\n")
        for account in range(lines):
            share_count = generator.randint(1, 5000)
            stream.write(f"A{account:07d},{generator.choice(securities)},{share_count}\n")


def form_1099(quick: bool) -> list[Row]:
    """Row 6: xl-reit 1099 over a 1,000,000-line holdings file, time and peak memory."""
    lines = 20_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "holdings.csv"
        synthetic_holdings(path, lines)
        samples: list[tuple[float, float, float]] = []
        for _ in range(1 if quick else 5):
            ours, peak_mib = measured("1099", str(path), "--format", "json")
            start = time.perf_counter()
            Child([script("plain_loop.py"), str(path)]).run(capture_output=True)
            plain = time.perf_counter() - start
            samples.append((ours, plain, peak_mib))
    ours, plain, peak = sorted(samples)[len(samples) // 2]
    return [
        Row(
            "6",
            f"xl-reit 1099, {lines:,}-line holdings file (whole command)",
            f"{ours:.2f} s, peak {peak:,.0f} MiB",
            f"plain per-row loop: {plain:.2f} s",
            f"{ours / plain:.2f}x baseline",
            "<= 3 s and <= 1 GiB peak",
            ours <= 3 and peak <= 1024,
        ),
    ]
