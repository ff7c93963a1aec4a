"""Debounced saving off the GUI thread: every edit is committed well within a second.

The form emits a new sheet on every keystroke; writing each one would be
wasteful, waiting for a long pause would leave typing unsaved for seconds.
:class:`AutoSaver` waits for a short pause (``delay_ms``) but never lets the
oldest unsaved edit wait longer than ``max_delay_ms`` before its save starts;
keystrokes that arrive meanwhile are coalesced into the next save.

The save itself runs on one dedicated worker thread (its own database
connection from the store's pool), so the GUI thread never waits for SQLite's
write lock or for the fsync of ``synchronous=FULL``, and typing goes on while a
save commits. ``saved`` is emitted on the GUI thread only after ``save_fn`` has
returned, i.e. after the commit, and only when nothing newer is waiting:
"已保存" is never shown for an edit that is not on disk yet. :meth:`flush`
(closing, switching application, submitting) waits for the save in flight and
saves what is left, on the same worker, before it returns.

Measured by ``tests/benchmarks/bench_autosave.py`` (keystroke to commit on a
loaded machine).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from zc_review.errors import UserError

# Keystroke to commit: up to max_delay_ms of waiting, then the save (a few ms,
# more on a loaded disk). 150/300 ms keeps the 99th percentile under 1 s with
# room for a slow fsync, while a burst of typing still makes one write.
DELAY_MS = 150
MAX_DELAY_MS = 300

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _worker() -> ThreadPoolExecutor:
    # One thread for every AutoSaver: saves never run concurrently with each other,
    # so a later value can never be committed before an earlier one.
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zc-autosave")
        return _executor


class _Job:
    """One call of ``save_fn`` on the worker: its value and, once ``done`` is set, its outcome."""

    def __init__(self, seq: int, value: Any) -> None:
        self.seq = seq
        self.value = value
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class AutoSaver(QObject):
    """Saves the latest scheduled value after a pause, or at the latest after ``max_delay_ms``.

    ``save_fn(value)`` runs on the worker thread (it must not touch widgets) and
    returns a result; ``on_saved(value, result)`` is then called on the GUI thread.

    Signals (GUI thread): ``saved(datetime)`` after a commit that leaves nothing
    unsaved (local time, for "已保存 10:32:05"); ``saveFailed(str)`` with the
    message to show when ``save_fn`` raised (the value stays pending and is
    retried after ``retry_ms``, on the next edit or on :meth:`flush`);
    ``dirtyChanged(bool)`` when unsaved edits appear or are all saved.
    """

    saved = Signal(object)
    saveFailed = Signal(str)
    dirtyChanged = Signal(bool)
    _jobDone = Signal(object)  # from the worker thread: a finished _Job

    def __init__(
        self,
        save_fn: Callable[[Any], Any],
        delay_ms: int = DELAY_MS,
        max_delay_ms: int = MAX_DELAY_MS,
        retry_ms: int = 5000,
        parent: QObject | None = None,
        *,
        on_saved: Callable[[Any, Any], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._save_fn = save_fn
        self._on_saved = on_saved
        self._delay_ms = delay_ms
        self._max_delay_ms = max(max_delay_ms, delay_ms)
        self._retry_ms = retry_ms
        self._pending: Any = None
        self._seq = 0  # number of the latest scheduled value
        self._saved_seq = 0  # number of the latest value committed (or discarded)
        self._first_pending: float | None = None  # monotonic time of the oldest edit not yet being saved
        self._job: _Job | None = None  # the save in flight
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._save_now)
        self._jobDone.connect(self._finish, Qt.ConnectionType.QueuedConnection)

    @property
    def dirty(self) -> bool:
        """Whether a scheduled value is not yet committed."""
        return self._seq != self._saved_seq

    @property
    def saving(self) -> bool:
        """Whether a save is running on the worker now."""
        return self._job is not None

    def schedule(self, value: Any) -> None:
        """Remember ``value`` as the one to save and (re)start the debounce timer."""
        was_dirty = self.dirty
        self._pending = value
        self._seq += 1
        now = time.monotonic()
        if self._first_pending is None:
            self._first_pending = now
        if not was_dirty:
            self.dirtyChanged.emit(True)
        if self._job is None:
            self._start_timer(now)
        # else: the save in flight restarts the timer when it ends.

    def flush(self) -> bool:
        """Commit everything scheduled before returning; True when nothing is left unsaved."""
        self._timer.stop()
        if self._job is not None:
            self._job.done.wait()
            self._finish(self._job, restart=False)
        if self.dirty and self._job is None:
            job = self._start_job()
            job.done.wait()
            self._finish(job, restart=False)
        return not self.dirty

    def discard(self) -> None:
        """Forget the pending value without saving (e.g. the review was deleted)."""
        self._timer.stop()
        self._pending = None
        self._first_pending = None
        if self._job is not None:
            self._job.done.wait()  # it may commit; what it returns is no longer wanted
            self._job = None
        if self.dirty:
            self._saved_seq = self._seq
            self.dirtyChanged.emit(False)

    # ----- internals -------------------------------------------------------------------------

    def _start_timer(self, now: float) -> None:
        assert self._first_pending is not None
        # Restart the pause, but not past the deadline of the oldest unsaved edit.
        left_ms = self._max_delay_ms - (now - self._first_pending) * 1000
        self._timer.start(max(0, min(self._delay_ms, int(left_ms))))

    def _save_now(self) -> None:
        if self.dirty and self._job is None:
            self._start_job()

    def _start_job(self) -> _Job:
        self._timer.stop()
        job = _Job(self._seq, self._pending)
        self._job = job
        self._first_pending = None  # edits from now on wait for the next save
        _worker().submit(self._run, job)
        return job

    def _run(self, job: _Job) -> None:
        # Worker thread.
        try:
            job.result = self._save_fn(job.value)
        except BaseException as exc:  # handed to the GUI thread, which reports it
            job.error = exc
        finally:
            job.done.set()
        with contextlib.suppress(RuntimeError):  # the AutoSaver was deleted meanwhile
            self._jobDone.emit(job)

    def _finish(self, job: _Job, restart: bool = True) -> None:
        # GUI thread: the queued notice, or flush() having waited. Each job is finished once.
        if job is not self._job:
            return
        self._job = None
        if job.error is not None:
            exc = job.error
            message = str(exc) if isinstance(exc, UserError) else self.tr("保存失败：{0}").format(exc)
            if self._first_pending is None:
                self._first_pending = time.monotonic()
            if self._retry_ms > 0:
                self._timer.start(self._retry_ms)
            self.saveFailed.emit(message)
            return
        if job.seq > self._saved_seq:
            self._saved_seq = job.seq
        if self._on_saved is not None:
            self._on_saved(job.value, job.result)
        if self.dirty:
            # Typing went on during the save: the newer value is saved on time.
            if restart:
                self._start_timer(time.monotonic())
            return
        self._pending = None
        self._first_pending = None
        self.dirtyChanged.emit(False)
        self.saved.emit(datetime.now().astimezone())
