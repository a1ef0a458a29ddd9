"""When the dashboard may redraw: a minimum interval and a share of the wall time."""

from __future__ import annotations

import contextlib
import time


class RedrawBudget:
    """Redraw at most every ``every_seconds``, and only while redraws have taken at most
    ``max_overhead`` of the wall time since the second one.

    After a slow redraw the next one waits until the share is back under ``max_overhead``. The
    first two redraws (when training begins and after the first steps, which build the figures)
    are not counted. ``clock`` returns seconds (``time.monotonic``; tests pass a fake one).

    Use::

        if budget.due(clock()):
            with budget.redraw():
                ...  # draw
    """

    def __init__(self, every_seconds=1.5, max_overhead=0.03, clock=time.monotonic):
        self.every_seconds = float(every_seconds)
        self.max_overhead = float(max_overhead)
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        """Forget the redraws so far (a new fit begins)."""
        self.costs = []  # seconds taken by each redraw
        self.spent = 0.0  # by the counted redraws (after the second)
        self.since = None  # when counting began: the end of the second redraw
        self.last = None  # when the last redraw ended

    def due(self, now: float) -> bool:
        """Whether a redraw may happen at time ``now``."""
        if self.last is None:
            return True
        within = self.since is None or self.spent <= self.max_overhead * (now - self.since)
        return now - self.last >= self.every_seconds and within

    @contextlib.contextmanager
    def redraw(self):
        """Time one redraw and charge it to the budget."""
        start = self.clock()
        yield
        self.last = self.clock()
        self.costs.append(self.last - start)
        if len(self.costs) <= 2:
            self.since = self.last
        else:
            self.spent += self.costs[-1]
