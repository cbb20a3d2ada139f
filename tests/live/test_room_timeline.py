"""The room page's timeline (static/js/room-timeline.js), run in Node: each id drawn once.

After a failover `message:new` may repeat an id (a resend is announced again) and an older
message may arrive after newer ones. The page must show each message once, in id order, and
never bring back a message a facilitator hid. The script below drives the module exactly as
static/js/room.js does (insert before the id `place` names, or at the end) and prints what a
person would see.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parents[2] / "static" / "js" / "room-timeline.js"

SCRIPT = """
import { Timeline } from %(module)s;
const timeline = new Timeline();
const shown = [];  // the list on screen, as room.js builds it with insertBefore
const drawn = [];  // every id drawn, in the order drawn
const fetches = [];  // for each ("previous", id): where room.js would fetch messages:since from
for (const [kind, id] of JSON.parse(process.argv[1])) {
  if (kind === "previous") {
    fetches.push(timeline.missedBefore(id));
    continue;
  }
  if (kind === "hide") {
    timeline.hide(id);
    const at = shown.indexOf(id);
    if (at >= 0) shown.splice(at, 1);
    continue;
  }
  const next = timeline.place(id);
  if (next === false) continue;
  drawn.push(id);
  const at = next === null ? shown.length : shown.indexOf(next);
  shown.splice(at, 0, id);
}
console.log(JSON.stringify(fetches.length ? { shown, drawn, fetches } : { shown, drawn }));
"""


def run_timeline(steps: list[tuple[str, int]]) -> dict:
    """Feed (kind, id) steps through the timeline; what is on screen and what was drawn."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the room page's modules are run in Node")
    script = SCRIPT % {"module": json.dumps(MODULE.as_uri())}
    result = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps(steps)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_repeated_id_is_drawn_once():
    seen = run_timeline([("join", 1), ("join", 2), ("new", 3), ("new", 3), ("since", 3)])
    assert seen == {"shown": [1, 2, 3], "drawn": [1, 2, 3]}


def test_an_older_message_announced_again_after_a_failover_goes_in_its_place():
    # 7 was stored by a process that died before announcing it; its resend is announced after
    # 8 and 9, and again to someone who had it already.
    steps = [("join", 5), ("new", 6), ("new", 8), ("new", 9), ("new", 7), ("new", 7), ("new", 6)]
    seen = run_timeline(steps)
    assert seen == {"shown": [5, 6, 7, 8, 9], "drawn": [5, 6, 8, 9, 7]}


def test_a_hidden_message_stays_hidden_when_its_announcement_comes_late():
    seen = run_timeline([("new", 1), ("new", 2), ("hide", 2), ("new", 2), ("new", 3)])
    assert seen == {"shown": [1, 3], "drawn": [1, 2, 3]}
    assert run_timeline([("hide", 4), ("new", 4)]) == {"shown": [], "drawn": []}


def test_many_arrivals_in_any_order_show_every_id_once_in_order():
    ids = list(range(1, 201))
    shuffled = [ids[(n * 37) % len(ids)] for n in range(len(ids))]  # a fixed permutation
    steps = [("new", i) for i in shuffled + ids[::3] + shuffled[::5]]
    seen = run_timeline(steps)
    assert seen["shown"] == ids
    assert sorted(seen["drawn"]) == ids


def test_a_message_that_passed_us_by_is_fetched_once_from_the_one_before_it():
    # 3 was stored but never announced; 4 arrives naming 3 as the message before it.
    steps = [("join", 1), ("join", 2), ("previous", 3), ("new", 4), ("previous", 3)]
    assert run_timeline(steps)["fetches"] == [2, None], "fetch after 2, and only once"
    steps = [("join", 1), ("new", 2), ("previous", 2), ("hide", 5), ("previous", 5)]
    assert run_timeline(steps)["fetches"] == [None, None], "shown or hidden: nothing missed"
    assert run_timeline([("previous", 9)])["fetches"] == [0], "an empty room fetches from 0"
