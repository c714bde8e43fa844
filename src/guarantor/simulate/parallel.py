"""One thread pool per process for the stress test's CPU work.

NumPy's random fills and the Numba kernels (compiled with ``nogil``) release the GIL, so
plain threads keep every core busy without the start-up and copying of processes. One pool
for both matters: a second runtime's workers (OpenMP's, under Numba's ``parallel=True``)
spin while they wait and take the cores from the first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_POOL: ThreadPoolExecutor | None = None


def threads() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_all(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``work`` on every item, on the pool's threads; results in the items' order."""
    global _POOL  # noqa: PLW0603 - one pool per process, made on first use
    items = list(items)
    if len(items) <= 1 or threads() == 1:
        return [work(item) for item in items]
    if _POOL is None:
        _POOL = ThreadPoolExecutor(threads(), thread_name_prefix="guarantor")
    return list(_POOL.map(work, items))
