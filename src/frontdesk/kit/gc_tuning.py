"""Garbage-collector settings for a server holding thousands of long-lived sockets.

With CPython's defaults a full collection runs every few seconds while sockets accumulate and
walks every object of every connection: pauses of 0.5-1 s were measured with 5,000 sockets
(bench/sockets.py), which is the p99. Freezing what exists after start-up (modules, mappers,
templates) removes it from every later scan, and larger thresholds make collections rarer;
cyclic garbage is still collected.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # default 700 allocations
MIDDLE_THRESHOLD = 20  # default 10 young collections
OLD_THRESHOLD = 100  # default 10 middle collections


def tune_for_long_lived_connections() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
