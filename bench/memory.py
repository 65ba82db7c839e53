"""Peak resident memory of this process while a block runs, sampled from /proc."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from types import TracebackType

_PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    """The process's resident set size now."""
    fields = Path("/proc/self/statm").read_text().split()
    return int(fields[1]) * _PAGE


class PeakMemory:
    """Record the highest resident set size seen while the block runs."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.peak = 0
        self.start = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, resident_bytes())
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        self.start = resident_bytes()
        self.peak = self.start
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, resident_bytes())

    @property
    def peak_mib(self) -> float:
        return self.peak / 2**20

    @property
    def added_mib(self) -> float:
        return (self.peak - self.start) / 2**20
