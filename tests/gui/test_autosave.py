"""Debounced saving off the GUI thread: edits reach the store well within a second, 已保存 only after the commit."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from zc_review.errors import StoreError
from zc_review.gui.autosave import DELAY_MS, MAX_DELAY_MS, AutoSaver


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
    qtbot.waitUntil(lambda: not saver.dirty, timeout=2000)  # the commit is reported on the GUI thread
    assert store.saved == [2]
    assert states == [True, False]


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
    qtbot.waitUntil(lambda: not saver.dirty, timeout=2000)
    assert store.saved == ["sheet"]


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


class BlockingStore(FakeStore):
    """A save_fn that waits for ``gate`` before it "commits"; ``entered`` tells that one is waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.threads: list[threading.Thread] = []

    def __call__(self, value: object) -> str:
        self.threads.append(threading.current_thread())
        self.entered.set()
        self.gate.wait(5)
        super().__call__(value)
        return f"committed {value}"


def test_the_save_runs_off_the_gui_thread_and_the_gui_keeps_running(qtbot: QtBot) -> None:
    store = BlockingStore()
    saver = AutoSaver(store, delay_ms=10)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    saver.schedule("sheet")
    qtbot.waitUntil(store.entered.is_set, timeout=2000)
    qtbot.wait(200)
    timer.stop()
    assert store.threads[0] is not threading.main_thread()
    assert len(ticks) >= 5, "the event loop stood still while the save was blocked"
    assert saver.saving and saver.dirty
    store.gate.set()
    qtbot.waitUntil(lambda: not saver.dirty, timeout=2000)


def test_saved_is_emitted_only_after_the_save_has_returned(qtbot: QtBot) -> None:
    store = BlockingStore()
    results: list[tuple[object, object]] = []
    saver = AutoSaver(store, delay_ms=10, on_saved=lambda v, r: results.append((v, r)))
    emitted: list[object] = []
    saver.saved.connect(lambda when: emitted.append((when, list(store.saved))))
    saver.schedule("sheet")
    qtbot.waitUntil(store.entered.is_set, timeout=2000)
    qtbot.wait(300)
    assert emitted == [] and store.saved == []
    store.gate.set()
    qtbot.waitUntil(lambda: emitted != [], timeout=2000)
    assert emitted[0][1] == ["sheet"]  # already committed when saved was emitted
    assert results == [("sheet", "committed sheet")]


def test_edits_during_a_save_are_coalesced_and_saved_waits_for_the_last(qtbot: QtBot) -> None:
    store = BlockingStore()
    saver = AutoSaver(store, delay_ms=10, max_delay_ms=50)
    emitted: list[list[object]] = []
    saver.saved.connect(lambda _when: emitted.append(list(store.saved)))
    saver.schedule(1)
    qtbot.waitUntil(store.entered.is_set, timeout=2000)
    for n in range(2, 6):
        saver.schedule(n)
        qtbot.wait(20)
    assert store.saved == []
    store.gate.set()
    qtbot.waitUntil(lambda: emitted != [], timeout=2000)
    assert store.saved == [1, 5]  # the four edits made meanwhile: one more save, of the last
    assert emitted == [[1, 5]]  # nothing "saved" while 5 was still on its way
    assert not saver.dirty


def test_flush_waits_for_the_save_in_flight_then_saves_the_rest(qtbot: QtBot) -> None:
    store = BlockingStore()
    saver = AutoSaver(store, delay_ms=10)
    saver.schedule("a")
    qtbot.waitUntil(store.entered.is_set, timeout=2000)
    saver.schedule("b")
    threading.Timer(0.2, store.gate.set).start()
    assert saver.flush() is True
    assert store.saved == ["a", "b"] and not saver.dirty
    qtbot.wait(100)  # the worker's late notice changes nothing
    assert store.saved == ["a", "b"] and not saver.dirty


def test_a_burst_is_saved_within_the_default_maximum_delay(qtbot: QtBot) -> None:
    store = FakeStore()
    saver = AutoSaver(store)  # the window's settings
    assert DELAY_MS <= MAX_DELAY_MS <= 400
    first = time.monotonic()
    while not store.saved:
        saver.schedule(time.monotonic())
        qtbot.wait(30)
        assert time.monotonic() - first < 2
    assert time.monotonic() - first < MAX_DELAY_MS / 1000 + 0.5  # timers run late on a loaded machine
