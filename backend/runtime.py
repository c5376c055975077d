"""Process-wide settings of the Python runtime, applied once at startup by the server and the importer."""

from __future__ import annotations

import gc

# A board request (or an import batch) allocates tens of thousands of short-lived objects. At CPython's default
# gen-0 threshold of 700 that is a dozen collections per request, each walking what survived so far: measured
# 12-24 ms of a 40 ms board. A larger threshold collects about once per request.
GC_THRESHOLD = (10_000, 10, 10)


def tune_garbage_collector() -> None:
    """Once per process: everything alive now (schema, mappers, modules) is moved out of the collector's way
    for good (gc.freeze), and young objects are collected less often."""
    if gc.get_threshold() != GC_THRESHOLD:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLD)
