"""Reads begin deferred (Store.read): they complete while another process holds the write lock.

Writes begin IMMEDIATE and wait for the lock (then say the store is busy); a listing, an
application being shown, a review's state or the charts' data must not queue behind an
autosave or an import in another window or process.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.data.bundles import import_demo
from zc_review import experts, reviews, workspace
from zc_review.charting import application_chart_data, batch_chart_data
from zc_review.errors import StoreLockedError
from zc_review.store import engine as engine_module
from zc_review.store import models as m
from zc_review.store import readonly
from zc_review.store.store import Store

# Holds SQLite's write lock, with a change pending, until its standard input closes.
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE expert SET title = title || '（改）'")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """One application, opened by the workstation's expert (so there is a review to show)."""
    # A write that meets the lock gives up after 0.3 s instead of 10 s (the reads must not wait at all).
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    data = tmp_path / "data"
    import_demo(data, tmp_path / "work", (0,))
    with Store.open(data) as opened:
        expert_id = experts.save_profile(opened, experts.ExpertProfile(name="张三", title="研究员"))
        experts.accept_pledge(opened, expert_id)
        (app,) = workspace.list_applications(opened)
        reviews.open_review(opened, expert_id, app.id)
        yield opened


@contextmanager
def write_lock_held_elsewhere(db_path: Path) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0


def test_reads_complete_while_another_process_holds_the_write_lock(store: Store) -> None:
    with write_lock_held_elsewhere(store.db_path):
        # The lock is really held: a write cannot begin.
        with pytest.raises(StoreLockedError), store.session() as s:
            s.execute(select(1))

        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(m.Application)) == 1
        expert = experts.current_expert(store)
        assert expert is not None and expert.title == "研究员"  # the holder's pending change is not seen
        (app,) = workspace.list_applications(store)
        loaded = workspace.load_application(store, app.id, expert_id=expert.id)
        assert workspace.application_checks(loaded)
        assert workspace.version_materials(store, app.id, loaded.version)
        review_id = _review_id(store, expert.id)
        assert reviews.review_state(store, review_id).application_id == app.id
        assert reviews.calibration_for(store, review_id)
        assert readonly.read_listing(store.data_dir, expert.id).applications
        assert application_chart_data(store, app.id, expert.id).community_name == app.community_name
        assert batch_chart_data(store, app.batch_id, expert.id).rows

    # Released: writes go through again.
    experts.save_profile(store, experts.ExpertProfile(name="张三", title="教授"))
    current = experts.current_expert(store)
    assert current is not None and current.title == "教授"


def test_a_read_unit_refuses_to_write(store: Store) -> None:
    with pytest.raises(RuntimeError, match=r"Store\.read"), store.read() as s:
        expert = s.scalars(select(m.Expert)).one()
        expert.title = "教授"
        s.flush()
    current = experts.current_expert(store)
    assert current is not None and current.title == "研究员"


def _review_id(store: Store, expert_id: int) -> int:
    with store.read() as s:
        review_id = s.scalar(select(m.Review.id).where(m.Review.expert_id == expert_id))
    assert review_id is not None
    return review_id
