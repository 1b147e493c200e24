"""xl-reit's own fuzzer: mutated files through the three readers of untrusted input.

``python -m tests.fuzz --seconds 60 --seed 1`` mutates the project's own
fixtures (table files, holdings files, release texts) and runs each through
its reader (:mod:`.oracles`): only a refusal by ``XlReitError`` is allowed,
within a time budget, with nothing left behind on a refusal, and a changed
digit of a printed figure must show up or be refused. Every finding is saved
with its seed under ``fuzz-findings/`` so it can be replayed.
"""
