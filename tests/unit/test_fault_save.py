"""Fault suite, saving: kill -9 a process while it saves a review again and again; nothing committed is lost.

The child saves the review's overall opinion "第 N 次保存" and prints N only after ``save_sheet``
returned (the commit, ``synchronous=FULL``). After each kill the store opens (its integrity checked
at open), and the saved N is at least the last one printed. The default run is short; set
``ZC_FAULT_SAVE_KILLS=N`` for more.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from tests.data.bundles import import_demo
from zc_review import experts, reviews
from zc_review.experts import ExpertProfile
from zc_review.store.store import Store
from zc_review.workspace import list_applications

KILLS = int(os.environ.get("ZC_FAULT_SAVE_KILLS", "4"))

CHILD = r"""
import sys
from pathlib import Path
from zc_review import reviews
from zc_review.core.scoring import ScoreSheet
from zc_review.store.store import Store

store = Store.open(Path(sys.argv[1]))
review_id = int(sys.argv[2])
n = int(sys.argv[3])
while True:
    n += 1
    reviews.save_sheet(store, review_id, ScoreSheet(overall_opinion=f"第 {n} 次保存"))
    print(n, flush=True)
"""


def _saved(data: Path, review_id: int) -> int:
    with Store.open(data) as store:  # the integrity check at open runs here too
        text = reviews.review_state(store, review_id).sheet.overall_opinion
    return int(text.split()[1]) if text else 0


def test_kill_9_while_saving_loses_nothing_committed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    import_demo(data, tmp_path / "work", (0,))
    with Store.open(data) as store:
        expert_id = experts.find_or_create_expert(store, ExpertProfile(name="张三", title="研究员"))
        experts.accept_pledge(store, expert_id)
        app = list_applications(store)[0].id
        state = reviews.open_review(store, expert_id, app)
        reviews.declare_no_conflict(store, state.review_id)
    rng = random.Random(20261204)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[2]), *sys.path])}
    kills = inconsistent = lost = 0
    for _ in range(KILLS):
        start = _saved(data, state.review_id)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data), str(state.review_id), str(start)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        deadline = time.monotonic() + rng.uniform(0.3, 1.2)
        first = child.stdout.readline()  # wait until it saves at all (start-up takes a moment)
        assert first.strip(), "the child printed nothing"
        printed = int(first)
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            printed = int(line)
        child.kill()  # SIGKILL: no cleanup, no flush
        child.wait()
        kills += 1
        try:
            saved = _saved(data, state.review_id)
        except Exception:
            inconsistent += 1
            continue
        if saved < printed:
            lost += 1
    print(f"\nsave fault suite: {kills} kills, {inconsistent} inconsistent, {lost} lost")
    assert (inconsistent, lost) == (0, 0)
    assert kills == KILLS


def test_the_child_script_really_saves(tmp_path: Path) -> None:
    """Guard for the suite above: without kills, the child's saves are there (the suite can fail)."""
    data = tmp_path / "data"
    import_demo(data, tmp_path / "work", (0,))
    with Store.open(data) as store:
        expert_id = experts.find_or_create_expert(store, ExpertProfile(name="张三", title="研究员"))
        experts.accept_pledge(store, expert_id)
        state = reviews.open_review(store, expert_id, list_applications(store)[0].id)
        reviews.declare_no_conflict(store, state.review_id)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[2]), *sys.path])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(state.review_id), "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    lines = [child.stdout.readline() for _ in range(3)]
    child.kill()
    child.wait()
    assert [int(x) for x in lines] == [1, 2, 3]
    assert _saved(data, state.review_id) >= 3
