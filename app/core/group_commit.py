"""Group commit: writes that arrive together share one transaction and one commit.

Under load many people send in the same instant, and each send on its own pays for a
transaction: a pooled connection handed out and back, BEGIN, COMMIT (on PostgreSQL a WAL flush
and two round trips). A `GroupCommit` lets those writes queue up while one caller, the leader,
writes everything queued so far in one batch; the others wait until it is settled. Nobody waits
for a batch to fill: a caller who finds no batch running leads at once, after one yield that
lets the sends already read from the network join it.

It works the same in each async mode: under eventlet or gevent its locks and events are green
(the standard library is monkey-patched before this module is imported) and the yield is one
trip through the hub; in threading mode (tests) they are real ones.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any


class NotWritten(RuntimeError):
    """The batch ended before this item's work was settled (its leader was interrupted)."""


class Pending:
    """One caller's work in a batch; the batch writer settles it with `succeed` or `fail`."""

    __slots__ = ("done", "error", "result", "woken", "work")

    def __init__(self, work: Any) -> None:
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.woken: threading.Event | None = None  # for a waiting caller: set when settled
        # or handed the lead (a leader never waits, so it never pays for an event)

    def succeed(self, result: Any) -> None:
        self.result, self.done = result, True

    def fail(self, error: BaseException) -> None:
        self.error, self.done = error, True


class GroupCommit:
    """Runs `write_batch(items)` for the work submitted while earlier batches were running.

    `write_batch` must settle every item (`succeed` or `fail`); an exception it raises fails
    every item it left unsettled. `submit` returns the item's result or raises its error.

    Up to `batches` batches are written at once. A caller who finds fewer running leads a new
    one; otherwise it queues. Waiting callers are woken all at once when their batch is
    settled, each by its own event. (Waiting on one lock instead wakes them one per trip through
    the hub; under load the line grows faster than it drains, and sends wait for seconds.) A
    leader that finishes with callers queued hands the lead to the oldest of them, which writes
    everything queued by then. More than one batch at a time keeps one slow commit (a WAL flush
    that takes 80 ms) from holding up every send of the process.
    """

    def __init__(self, write_batch: Callable[[list[Pending]], None], batches: int = 1) -> None:
        self._write_batch = write_batch
        self._limit = batches
        self._running = 0  # batches being written (leaders)
        self._queue: deque[Pending] = deque()  # callers waiting for a leader
        self._guard = threading.Lock()  # held only for a few lines, never across a yield

    def submit(self, work: Any) -> Any:
        item = Pending(work)
        with self._guard:
            lead = self._running < self._limit
            if lead:
                self._running += 1
            else:
                item.woken = threading.Event()
                self._queue.append(item)
        if not lead:
            item.woken.wait()
        if not item.done:  # leading, from the start or handed the lead
            self._lead(item)
        if item.error is not None:
            raise item.error
        return item.result

    def _lead(self, own: Pending) -> None:
        time.sleep(0)  # one yield: sends that arrived with this one join its batch
        with self._guard:
            batch = [own, *self._queue]
            self._queue.clear()
        try:
            self._write_batch(batch)
        except Exception as error:
            for item in batch:
                if not item.done:
                    item.fail(error)
        finally:
            for item in batch:
                if not item.done:
                    item.fail(NotWritten("the batch ended before this write was settled"))
            with self._guard:
                successor = self._queue.popleft() if self._queue else None
                if successor is None:
                    self._running -= 1  # else the lead passes on, and the count with it
            for item in batch:
                if item.woken is not None:
                    item.woken.set()
            if successor is not None:
                successor.woken.set()  # not settled: it leads the next batch
