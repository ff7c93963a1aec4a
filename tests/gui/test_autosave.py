"""Debounced saving: edits reach the store at most about a second later, failures are reported."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from zc_review.errors import StoreError
from zc_review.gui.autosave import AutoSaver


class FakeStore:
    """A save_fn that records what it was given and can be told to fail."""

    def __init__(self) -> None:
        self.saved: list[object] = []
        self.error: Exception | None = None

    def __call__(self, value: object) -> None:
        if self.error is not None:
            raise self.error
        self.saved.append(value)


def test_many_quick_edits_are_saved_once_with_the_last_value(qtbot: QtBot) -> None:
    store = FakeStore()
    saver = AutoSaver(store, delay_ms=80, max_delay_ms=1000)
    for n in range(10):
        saver.schedule(n)
    assert store.saved == []
    qtbot.waitUntil(lambda: store.saved != [], timeout=2000)
    qtbot.wait(200)
    assert store.saved == [9]
    assert not saver.dirty


def test_edits_that_keep_coming_are_still_saved_within_the_maximum_delay(qtbot: QtBot) -> None:
    store = FakeStore()
    saver = AutoSaver(store, delay_ms=150, max_delay_ms=300)
    # An edit every 40 ms never leaves a 150 ms pause, so only the deadline can save.
    for n in range(15):
        saver.schedule(n)
        qtbot.wait(40)
    assert store.saved, "nothing saved although edits kept coming for 600 ms"
    assert isinstance(store.saved[0], int) and store.saved[0] < 14


def test_flush_saves_at_once_and_nothing_is_saved_again_later(qtbot: QtBot) -> None:
    store = FakeStore()
    saver = AutoSaver(store, delay_ms=100)
    with qtbot.waitSignal(saver.saved, timeout=500) as blocker:
        saver.schedule("sheet")
        assert saver.flush() is True
    assert store.saved == ["sheet"]
    assert isinstance(blocker.args[0], datetime)
    qtbot.wait(250)
    assert store.saved == ["sheet"]


def test_flush_with_nothing_pending_does_not_save(qtbot: QtBot) -> None:
    store = FakeStore()
    saver = AutoSaver(store)
    assert saver.flush() is True
    assert store.saved == []


def test_dirty_state_is_signalled_for_the_status_bar(qtbot: QtBot) -> None:
    store = FakeStore()
    saver = AutoSaver(store, delay_ms=50)
    states: list[bool] = []
    saver.dirtyChanged.connect(states.append)
    saver.schedule(1)
    saver.schedule(2)
    assert states == [True] and saver.dirty
    qtbot.waitUntil(lambda: store.saved == [2], timeout=2000)
    assert states == [True, False] and not saver.dirty


def test_a_failing_save_is_reported_and_kept_for_the_next_attempt(qtbot: QtBot) -> None:
    store = FakeStore()
    store.error = OSError("disk full")
    saver = AutoSaver(store, delay_ms=30, retry_ms=0)
    with qtbot.waitSignal(saver.saveFailed, timeout=2000) as blocker:
        saver.schedule("sheet")
    assert "disk full" in blocker.args[0]
    assert "保存失败" in blocker.args[0]
    assert saver.dirty  # the edit is not lost
    store.error = None
    assert saver.flush() is True
    assert store.saved == ["sheet"]


def test_a_failed_save_is_retried_on_its_own(qtbot: QtBot) -> None:
    store = FakeStore()
    store.error = OSError("database is locked")
    saver = AutoSaver(store, delay_ms=20, retry_ms=100)
    with qtbot.waitSignal(saver.saveFailed, timeout=2000):
        saver.schedule("sheet")
    store.error = None
    qtbot.waitUntil(lambda: store.saved == ["sheet"], timeout=2000)
    assert not saver.dirty


def test_a_store_error_is_shown_in_its_own_words(qtbot: QtBot) -> None:
    store = FakeStore()
    store.error = StoreError("评审记录已锁定，不能修改。", "The review is locked.", "store.sqlite")
    saver = AutoSaver(store, delay_ms=10, retry_ms=0)
    with qtbot.waitSignal(saver.saveFailed, timeout=2000) as blocker:
        saver.schedule("sheet")
    assert blocker.args[0] == "store.sqlite：评审记录已锁定，不能修改。"


def test_discard_forgets_the_pending_value(qtbot: QtBot) -> None:
    store = FakeStore()
    saver = AutoSaver(store, delay_ms=30)
    saver.schedule("sheet")
    saver.discard()
    qtbot.wait(120)
    assert store.saved == [] and not saver.dirty
