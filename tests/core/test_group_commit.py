"""Group commit (app/core/group_commit.py): writes that arrive together share one batch.

In threading mode with real threads here, and under eventlet and gevent in a subprocess each
(the server's modes), where a whole burst of callers must end up in a few batches and every one
of them must get its own answer.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from app.core.group_commit import GroupCommit, NotWritten

ROOT = Path(__file__).resolve().parents[2]


def _doubler(batches: list):
    def write_batch(items):
        batches.append([item.work for item in items])
        for item in items:
            item.succeed(item.work * 2)

    return write_batch


def test_a_lone_caller_writes_its_own_batch_at_once():
    batches: list = []
    group = GroupCommit(_doubler(batches))
    assert group.submit(21) == 42
    assert group.submit(5) == 10
    assert batches == [[21], [5]]


def test_callers_that_arrive_during_a_batch_share_the_next_one():
    batches: list = []
    first_running, let_first_finish = threading.Event(), threading.Event()
    doubler = _doubler(batches)

    def write_batch(items):
        if not batches:
            first_running.set()
            assert let_first_finish.wait(10)
        doubler(items)

    group = GroupCommit(write_batch)
    results = {}

    def submit(n):
        results[n] = group.submit(n)

    leader = threading.Thread(target=submit, args=(1,))
    leader.start()
    assert first_running.wait(10)
    waiting = [threading.Thread(target=submit, args=(n,)) for n in (2, 3, 4)]
    for thread in waiting:
        thread.start()
    while len(group._queue) < 3:  # all three queued behind the running batch
        threading.Event().wait(0.01)
    let_first_finish.set()
    for thread in [leader, *waiting]:
        thread.join(10)
    assert batches[0] == [1]
    assert sorted(batches[1]) == [2, 3, 4], "the three waiting callers wrote together"
    assert results == {1: 2, 2: 4, 3: 6, 4: 8}


def test_one_items_error_is_raised_to_its_caller_alone():
    def write_batch(items):
        for item in items:
            if item.work == "bad":
                item.fail(ValueError("refused"))
            else:
                item.succeed("stored")

    group = GroupCommit(write_batch)
    with pytest.raises(ValueError, match="refused"):
        group.submit("bad")
    assert group.submit("good") == "stored"


def test_a_failing_batch_fails_what_it_left_unsettled_and_the_group_goes_on():
    calls = []

    def write_batch(items):
        calls.append(len(items))
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        for item in items:
            item.succeed("ok")

    group = GroupCommit(write_batch)
    with pytest.raises(RuntimeError, match="went away"):
        group.submit("first")
    assert group.submit("second") == "ok"
    assert group._running == 0


def test_an_item_its_batch_forgot_is_not_left_waiting():
    group = GroupCommit(lambda items: None)
    with pytest.raises(NotWritten):
        group.submit("lost")
    assert group._running == 0 and not group._queue


def test_with_room_for_two_batches_a_slow_one_does_not_hold_up_the_next():
    """One batch stuck in a slow commit: the next caller writes its own batch meanwhile, and
    only a caller beyond the limit waits."""
    first_running, let_first_finish = threading.Event(), threading.Event()
    batches: list = []
    doubler = _doubler(batches)

    def write_batch(items):
        if items[0].work == "slow":
            first_running.set()
            assert let_first_finish.wait(10)
        doubler(items)

    group = GroupCommit(write_batch, batches=2)
    results = {}
    slow = threading.Thread(target=lambda: results.setdefault("slow", group.submit("slow")))
    slow.start()
    assert first_running.wait(10)
    assert group.submit("quick") == "quickquick", "written while the slow batch still runs"
    let_first_finish.set()
    slow.join(10)
    assert results == {"slow": "slowslow"}
    assert batches == [["quick"], ["slow"]]
    assert group._running == 0


GREEN_BURST = """
import sys
mode = sys.argv[1]
if mode == "eventlet":
    import eventlet
    eventlet.monkey_patch()
    spawn, joinall, nap = eventlet.spawn, lambda gs: [g.wait() for g in gs], eventlet.sleep
else:
    from gevent import monkey
    monkey.patch_all()
    import gevent
    spawn, joinall, nap = gevent.spawn, gevent.joinall, gevent.sleep

from app.core.group_commit import GroupCommit

sizes = []

def write_batch(items):
    sizes.append(len(items))
    nap(0.002)  # a round trip to the database: the hub runs others meanwhile
    for item in items:
        item.succeed(item.work * 2)

group = GroupCommit(write_batch)
results = {}

def send(n):
    nap(0.001 * (n % 7))  # arrivals spread over a few milliseconds
    results[n] = group.submit(n)

joinall([spawn(send, n) for n in range(300)])
assert results == {n: n * 2 for n in range(300)}, "every caller got its own answer"
assert sum(sizes) == 300, sizes
print(len(sizes), max(sizes))
"""


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_a_burst_of_green_callers_is_written_in_a_few_batches(mode):
    """Under the server's green modes a burst queues up behind each running batch, so 300
    callers take far fewer than 300 batches, and every one of them is answered."""
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", textwrap.dedent(GREEN_BURST), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    batches, largest = map(int, done.stdout.split())
    assert batches < 60, f"{batches} batches for 300 callers"
    assert largest > 10
