"""The one way the GUI runs long work: a core function on a worker thread, with progress.

A task is a plain function ``fn(report, cancelled) -> T`` from the Qt-free core
side: it calls ``report(done, total, label)`` now and then and polls
``cancelled()``. :func:`run_task` runs it on a :class:`QThreadPool` worker; its
progress, result and exception come back to the GUI thread by queued signals,
so widgets are only ever touched on the GUI thread. A progress dialog appears
only if the work lasts longer than :data:`SHOW_AFTER_MS` (Anki's habit: short
work never flashes a window).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QProgressBar, QProgressDialog, QPushButton, QWidget

from zc_review.errors import UserError

T = TypeVar("T")

ReportFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]

# How long work may run before the progress dialog appears, in milliseconds.
SHOW_AFTER_MS = 600

# QProgressBar values are C ints; byte counts may not fit.
_MAX_BAR = 2**31 - 1

# Handles whose work has not been delivered yet. Keeping them here, not as
# children of the parent widget, means a worker never emits on a deleted object
# when the window that started it goes away.
_ACTIVE: set[TaskHandle[Any]] = set()

_pool: QThreadPool | None = None


class TaskCancelled(Exception):
    """Raised by a task function that stopped because ``cancelled()`` became true."""


def task_pool() -> QThreadPool:
    """The pool long work runs on: one thread, so database writes never compete."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class TaskProgressDialog(QProgressDialog):
    """A progress dialog that stays up until the work has actually stopped.

    Qt's own dialog hides itself on 取消, on Escape and on the close button; ours
    only asks the task to stop and says so, then closes when the worker ends.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget, title: str, cancellable: bool) -> None:
        super().__init__(parent)
        self._closing = False
        self._cancellable = cancellable
        self.canceled.disconnect(self.cancel)  # keep showing until the worker stops
        self.canceled.connect(self._on_cancel)
        # Values go to our own bar: QProgressDialog.setValue runs a nested event
        # loop when modal, which could deliver the task's result mid-update.
        self.bar = QProgressBar(self)
        self.setBar(self.bar)
        # Rename Qt's own button rather than setting a new one: each setCancelButton
        # adds another Escape shortcut, and two make Escape ambiguous (ignored).
        self.cancel_button: QPushButton | None = None
        if cancellable:
            self.setCancelButtonText(QCoreApplication.translate("Tasks", "取消"))
            self.cancel_button = self.findChild(QPushButton)
        else:
            self.setCancelButton(None)  # no button: the work cannot be stopped
        self.setWindowTitle(title)
        self.setLabelText(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setMinimumWidth(460)
        self.setRange(0, 0)

    def set_progress(self, done: int, total: int, label: str) -> None:
        """Show ``done`` of ``total`` (busy when total <= 0) and the label, if any."""
        if label:
            self.setLabelText(label)
        if total <= 0:
            self.bar.setRange(0, 0)
            return
        scale = max(1, -(-total // _MAX_BAR))  # ceil: keep the maximum within a C int
        self.bar.setRange(0, total // scale)
        self.bar.setValue(max(0, min(done, total)) // scale)

    def show_cancelling(self) -> None:
        """Tell the person the request was heard while the work winds down."""
        self.setLabelText(QCoreApplication.translate("Tasks", "正在取消…"))
        if self.cancel_button is not None:
            self.cancel_button.setEnabled(False)

    def finish(self) -> None:
        """Close for good: the work has ended."""
        self._closing = True
        self.hide()
        self.deleteLater()

    @Slot()
    def _on_cancel(self) -> None:
        if self._cancellable and not self._closing:
            self.cancel_requested.emit()

    def reject(self) -> None:  # Escape
        self.canceled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            event.accept()
        else:
            event.ignore()
            self.canceled.emit()


class _Runner(QRunnable):
    """Runs the task function on a pool thread and hands everything back by signal."""

    def __init__(self, handle: TaskHandle[Any], fn: Callable[[ReportFn, CancelledFn], Any]) -> None:
        super().__init__()
        self._handle = handle
        self._fn = fn

    def run(self) -> None:
        handle = self._handle
        try:
            result = self._fn(handle._report_from_worker, handle.cancel_requested)
        except BaseException as exc:  # every failure must reach the GUI, or the dialog would hang
            # Done before the signal: the GUI thread may run the callbacks (which ask
            # is_running()) before this thread gets to run again.
            handle._worker_done.set()
            handle._failed.emit(exc)
        else:
            handle._worker_done.set()
            handle._succeeded.emit(result)


class TaskHandle(QObject, Generic[T]):
    """A running task: cancel it, wait for it, and learn when it has ended.

    ``finished`` is emitted on the GUI thread after ``on_done`` or ``on_error``
    has run (or been skipped because the parent widget is gone).
    """

    finished = Signal()

    # Emitted from the worker thread; connected queued to slots on the GUI thread.
    _progress_ready = Signal()
    _succeeded = Signal(object)
    _failed = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        title: str,
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None,
        cancellable: bool,
    ) -> None:
        super().__init__()  # no Qt parent on purpose: see _ACTIVE
        self._parent: QWidget | None = parent
        self._title = title
        self._on_done = on_done
        self._on_error = on_error
        self._cancellable = cancellable
        self._cancel = threading.Event()
        self._worker_done = threading.Event()
        self._delivered = False
        self._dialog: TaskProgressDialog | None = None
        # The worker writes the latest progress here and emits at most one
        # pending notification, so a chatty task cannot flood the event queue.
        self._lock = threading.Lock()
        self._latest: tuple[int, int, str] = (0, 0, "")
        self._label = title
        self._pending = False

        queued = Qt.ConnectionType.QueuedConnection
        self._progress_ready.connect(self._apply_progress, queued)
        self._succeeded.connect(self._deliver_result, queued)
        self._failed.connect(self._deliver_error, queued)
        parent.destroyed.connect(self._parent_destroyed)

        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_dialog)

    # ----- public API -------------------------------------------------------

    def cancel(self) -> None:
        """Ask the task to stop; it sees ``cancelled()`` become true. Safe to call any time."""
        if self._cancel.is_set() or self._worker_done.is_set():
            self._cancel.set()
            return
        self._cancel.set()
        if self._dialog is not None:
            self._dialog.show_cancelling()

    def cancel_requested(self) -> bool:
        """True once :meth:`cancel` was called (from the dialog, the code or a closed parent)."""
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the task function has returned or raised; True if it did within ``timeout`` s.

        The result is still delivered later, by the GUI event loop.
        """
        return self._worker_done.wait(timeout)

    def is_running(self) -> bool:
        """True while the task function has not yet returned."""
        return not self._worker_done.is_set()

    def is_finished(self) -> bool:
        """True once the outcome has been delivered on the GUI thread."""
        return self._delivered

    @property
    def dialog(self) -> TaskProgressDialog | None:
        """The progress dialog while it is shown; None before :data:`SHOW_AFTER_MS` and after the end."""
        return self._dialog

    # ----- worker side ------------------------------------------------------

    def _report_from_worker(self, done: int, total: int, label: str) -> None:
        with self._lock:
            self._latest = (int(done), int(total), str(label))
            if self._pending:
                return
            self._pending = True
        self._progress_ready.emit()

    # ----- GUI side ---------------------------------------------------------

    def _start(self, fn: Callable[[ReportFn, CancelledFn], T]) -> None:
        _ACTIVE.add(self)
        self._show_timer.start(SHOW_AFTER_MS)
        task_pool().start(_Runner(self, fn))

    def _parent_alive(self) -> bool:
        return self._parent is not None and shiboken6.isValid(self._parent)

    @Slot()
    def _show_dialog(self) -> None:
        if self._delivered or not self._parent_alive():
            return
        assert self._parent is not None
        dialog = TaskProgressDialog(self._parent, self._title, self._cancellable)
        dialog.cancel_requested.connect(self.cancel)
        with self._lock:
            done, total, label = self._latest
        if label:
            self._label = label
        dialog.set_progress(done, total, self._label)
        self._dialog = dialog
        if self._cancel.is_set():
            dialog.show_cancelling()
        dialog.show()

    @Slot()
    def _apply_progress(self) -> None:
        with self._lock:
            done, total, label = self._latest
            self._pending = False
        if label:
            self._label = label
        if self._dialog is not None and not self._cancel.is_set():
            self._dialog.set_progress(done, total, label)

    @Slot()
    def _parent_destroyed(self) -> None:
        # Nobody is left to show the result to; stop the work and drop the dialog
        # (Qt deletes it with its parent).
        self._parent = None
        self._dialog = None
        self._cancel.set()

    def _end(self) -> bool:
        """Close the dialog; return whether the callbacks may run."""
        self._show_timer.stop()
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.finish()
        self._dialog = None
        self._delivered = True
        _ACTIVE.discard(self)
        return self._parent_alive()

    @Slot(object)
    def _deliver_result(self, result: Any) -> None:
        try:
            if self._end():
                self._on_done(result)
        finally:
            self.finished.emit()

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        try:
            if self._end():
                if self._on_error is not None:
                    self._on_error(exc)
                elif not isinstance(exc, TaskCancelled):  # the person asked for it: no error box
                    assert self._parent is not None
                    show_task_error(self._parent, self._title, exc)
        finally:
            self.finished.emit()


def run_task(
    parent: QWidget,
    title: str,
    fn: Callable[[ReportFn, CancelledFn], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    cancellable: bool = True,
) -> TaskHandle[T]:
    """Run ``fn(report, cancelled)`` on a worker thread; call back on the GUI thread.

    ``title`` names the work (dialog title and first label). ``on_done(result)``
    or ``on_error(exc)`` runs on the GUI thread once the function has returned or
    raised; without ``on_error`` a message box explains the failure
    (:func:`show_task_error`), and :class:`TaskCancelled` is passed over
    silently. If ``parent`` is destroyed first, the task is asked to cancel and
    neither callback runs. Must be called on the GUI thread.
    """
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("run_task must be called on the GUI thread")
    handle: TaskHandle[T] = TaskHandle(parent, title, on_done, on_error, cancellable)
    handle._start(fn)
    return handle


def error_text(exc: BaseException) -> tuple[str, str | None]:
    """The message for a person and, for unexpected errors, the technical details."""
    if isinstance(exc, UserError):
        return str(exc), None
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return QCoreApplication.translate(
        "Tasks", "发生了意外错误，操作未能完成。已保存的数据不受影响。"
    ), details


def show_task_error(parent: QWidget, title: str, exc: BaseException) -> QMessageBox:
    """Explain a failed task in a window-modal message box (non-blocking) and return it."""
    text, details = error_text(exc)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("taskErrorBox")
    if details is not None:
        box.setInformativeText(
            QCoreApplication.translate("Tasks", "如问题反复出现，请将详细信息发给技术支持。")
        )
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def wait_for_all(timeout: float) -> bool:
    """Ask every running task to cancel and wait for them (for closing the app); True if all ended."""
    for handle in list(_ACTIVE):
        handle.cancel()
    return task_pool().waitForDone(int(timeout * 1000))
