"""Long work runs on a worker; the person sees progress, can cancel, and learns of failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from zc_review.errors import UserError
from zc_review.gui import tasks
from zc_review.gui.tasks import (
    CancelledFn,
    ReportFn,
    TaskCancelled,
    TaskHandle,
    TaskProgressDialog,
    run_task,
)


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    w = QWidget()
    w.resize(500, 300)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds a task function until the test releases it (always released at the end)."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def quick_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialog appears at once, for tests about the dialog rather than its delay."""
    monkeypatch.setattr(tasks, "SHOW_AFTER_MS", 10)


def _wait_shown(qtbot: QtBot, handle: TaskHandle[Any]) -> TaskProgressDialog:
    qtbot.waitUntil(lambda: handle.dialog is not None and handle.dialog.isVisible(), timeout=3000)
    assert handle.dialog is not None
    return handle.dialog


def _closed(dialog: QProgressDialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_the_result_is_delivered_on_the_gui_thread(qtbot: QtBot, parent: QWidget) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    seen: dict[str, object] = {}

    def work(report: ReportFn, cancelled: CancelledFn) -> int:
        seen["worker_thread"] = threading.get_ident()
        return 42

    def on_done(result: int) -> None:
        seen["on_gui_thread"] = QThread.currentThread() is app.thread()
        seen["result"] = result

    handle = run_task(parent, "计算", work, on_done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=3000)
    assert seen["result"] == 42
    assert seen["on_gui_thread"] is True
    assert seen["worker_thread"] != threading.get_ident()
    assert handle.is_finished() and not handle.is_running()


def test_a_fast_task_never_shows_the_dialog(qtbot: QtBot, parent: QWidget) -> None:
    done: list[str] = []
    handle = run_task(parent, "计算", lambda report, cancelled: "ok", done.append)
    qtbot.waitUntil(lambda: done == ["ok"], timeout=3000)
    qtbot.wait(tasks.SHOW_AFTER_MS + 150)  # past the moment a slow task's dialog would appear
    assert handle.dialog is None
    assert not [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]


def test_a_slow_task_shows_its_latest_progress_and_closes_at_the_end(
    qtbot: QtBot, parent: QWidget, gate: threading.Event
) -> None:
    done: list[str] = []

    def work(report: ReportFn, cancelled: CancelledFn) -> str:
        for i in range(2000):  # a chatty task must not flood the GUI
            report(i, 4000, f"步骤 {i}")
        report(5, 10, "正在处理第 5 项")
        gate.wait(5)
        return "ok"

    started = time.monotonic()
    handle = run_task(parent, "处理申报", work, done.append)
    dialog = _wait_shown(qtbot, handle)
    assert time.monotonic() - started >= tasks.SHOW_AFTER_MS / 1000 - 0.05
    qtbot.waitUntil(lambda: dialog.value() == 5, timeout=2000)
    assert dialog.maximum() == 10
    assert dialog.labelText() == "正在处理第 5 项"
    assert dialog.windowTitle() == "处理申报"
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.parent() is parent

    gate.set()
    qtbot.waitUntil(lambda: done == ["ok"], timeout=3000)
    assert handle.dialog is None
    assert _closed(dialog)


def test_progress_without_a_total_is_busy_and_large_totals_fit(qtbot: QtBot, parent: QWidget) -> None:
    dialog = TaskProgressDialog(parent, "导入", cancellable=True)
    dialog.set_progress(3, 0, "请稍候")
    assert (dialog.minimum(), dialog.maximum()) == (0, 0)  # Qt's busy indicator
    assert dialog.labelText() == "请稍候"
    dialog.set_progress(3 << 31, 6 << 31, "")  # byte counts beyond a C int
    assert dialog.maximum() > 0 and dialog.value() == dialog.maximum() // 2
    assert dialog.labelText() == "请稍候"  # an empty label keeps the last one
    dialog.finish()


@pytest.mark.usefixtures("quick_dialog")
def test_the_cancel_button_stops_a_long_loop_and_reports_the_cancellation(
    qtbot: QtBot, parent: QWidget
) -> None:
    errors: list[BaseException] = []
    done: list[int] = []
    rounds = [0]

    def work(report: ReportFn, cancelled: CancelledFn) -> int:
        deadline = time.monotonic() + 10  # a broken cancel fails the test instead of hanging it
        while not cancelled():
            rounds[0] += 1
            report(0, 0, f"第 {rounds[0]} 轮")
            time.sleep(0.005)
            assert time.monotonic() < deadline
        raise TaskCancelled

    handle = run_task(parent, "长时间计算", work, done.append, errors.append)
    dialog = _wait_shown(qtbot, handle)
    assert dialog.cancel_button is not None and dialog.cancel_button.text() == "取消"
    assert not handle.wait(0.05)  # still running

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert handle.cancel_requested()
    assert dialog.labelText() == "正在取消…"
    assert handle.wait(3)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0], TaskCancelled)
    assert done == [] and rounds[0] > 0
    qtbot.waitUntil(lambda: _closed(dialog), timeout=1000)


@pytest.mark.usefixtures("quick_dialog")
def test_escape_asks_to_cancel_and_a_cancelled_task_shows_no_error_box(qtbot: QtBot, parent: QWidget) -> None:
    def work(report: ReportFn, cancelled: CancelledFn) -> None:
        deadline = time.monotonic() + 10
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.005)
        raise TaskCancelled

    handle = run_task(parent, "长时间计算", work, lambda _r: None)
    dialog = _wait_shown(qtbot, handle)
    # Active, Escape goes through the dialog's shortcut (once ignored as ambiguous).
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert handle.cancel_requested()
    qtbot.waitUntil(handle.is_finished, timeout=3000)
    assert parent.findChild(QMessageBox) is None


def test_an_exception_reaches_on_error_on_the_gui_thread(qtbot: QtBot, parent: QWidget) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    errors: list[tuple[BaseException, bool]] = []

    def work(report: ReportFn, cancelled: CancelledFn) -> None:
        raise ValueError("坏数据")

    def on_error(exc: BaseException) -> None:
        errors.append((exc, QThread.currentThread() is app.thread()))

    run_task(parent, "计算", work, lambda _r: None, on_error)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    exc, on_gui_thread = errors[0]
    assert isinstance(exc, ValueError) and str(exc) == "坏数据"
    assert on_gui_thread


@pytest.mark.parametrize(
    ("exc", "text", "has_details"),
    [
        (UserError("文件已损坏。", "The file is damaged.", "/x/甲.zcb"), "甲.zcb：文件已损坏。", False),
        (RuntimeError("boom"), "发生了意外错误，操作未能完成。已保存的数据不受影响。", True),
    ],
)
def test_without_on_error_a_message_box_explains_the_failure(
    qtbot: QtBot, parent: QWidget, exc: BaseException, text: str, has_details: bool
) -> None:
    def work(report: ReportFn, cancelled: CancelledFn) -> None:
        raise exc

    handle = run_task(parent, "导入", work, lambda _r: None)
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox) is not None, timeout=3000)
    box = parent.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    assert box.text() == text
    assert box.windowTitle() == "导入"
    if has_details:
        assert "RuntimeError: boom" in box.detailedText()
    else:
        assert box.detailedText() == ""
    assert handle.is_finished() and handle.dialog is None
    box.close()


@pytest.mark.usefixtures("quick_dialog")
def test_closing_the_parent_mid_task_cancels_it_and_skips_the_callbacks(qtbot: QtBot) -> None:
    window = QWidget()  # not given to qtbot: the test deletes it
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    called: list[object] = []

    def work(report: ReportFn, cancelled: CancelledFn) -> str:
        deadline = time.monotonic() + 10
        while not cancelled() and time.monotonic() < deadline:
            report(1, 2, "处理中")
            time.sleep(0.005)
        return "stopped"

    handle = run_task(window, "处理", work, called.append, called.append)
    _wait_shown(qtbot, handle)
    window.close()  # deletes the window and, with it, the dialog
    qtbot.waitUntil(handle.is_finished, timeout=3000)
    assert handle.cancel_requested()
    assert called == []
    assert handle.dialog is None


def test_run_task_refuses_to_start_off_the_gui_thread(qtbot: QtBot, parent: QWidget) -> None:
    errors: list[BaseException] = []

    def start_elsewhere() -> None:
        try:
            run_task(parent, "计算", lambda report, cancelled: 1, lambda _r: None)
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=start_elsewhere)
    t.start()
    t.join(5)
    assert len(errors) == 1


def test_closing_the_app_cancels_running_work_and_waits_for_it(qtbot: QtBot, parent: QWidget) -> None:
    saw_cancel = threading.Event()

    def work(report: ReportFn, cancelled: CancelledFn) -> None:
        deadline = time.monotonic() + 10
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.005)
        if cancelled():
            saw_cancel.set()

    handle = run_task(parent, "处理", work, lambda _r: None)
    assert tasks.wait_for_all(5)
    assert saw_cancel.is_set() and not handle.is_running()
    qtbot.waitUntil(handle.is_finished, timeout=3000)


def test_work_that_cannot_be_stopped_offers_no_cancel(qtbot: QtBot, parent: QWidget) -> None:
    dialog = TaskProgressDialog(parent, "写入数据库", cancellable=False)
    asked: list[bool] = []
    dialog.cancel_requested.connect(lambda: asked.append(True))
    dialog.show()
    assert dialog.cancel_button is None and dialog.findChild(QPushButton) is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    assert asked == [] and dialog.isVisible()
    dialog.finish()
