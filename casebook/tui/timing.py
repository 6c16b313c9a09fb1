"""Optional timing of keypress handlers, switched on by bench/tui.py.

The handler time is measured here; the bench adds the time of the screen
update that follows, so a figure covers the work a keypress causes, not the
60 fps frame pacing or the Pilot round trip.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Timing:
    action: str
    handler: float
    refresh: float = 0.0

    @property
    def total(self) -> float:
        return self.handler + self.refresh


@dataclass
class Stopwatch:
    records: list[Timing] = field(default_factory=list)
    pending: Timing | None = None

    def refreshed(self, seconds: float) -> None:
        if self.pending is not None:
            self.pending.refresh = seconds
            self.pending = None


@contextmanager
def timed(app: Any, action: str) -> Iterator[None]:
    watch: Stopwatch | None = getattr(app, "stopwatch", None)
    if watch is None:
        yield
        return
    t0 = time.perf_counter()
    yield
    record = Timing(action, time.perf_counter() - t0)
    watch.records.append(record)
    watch.pending = record
