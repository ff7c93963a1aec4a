"""Debounced saving: every edit is saved at most about a second after it is made.

The form emits a new sheet on every keystroke; writing each one would be
wasteful, waiting for a pause could leave a long stretch of typing unsaved.
:class:`AutoSaver` waits for a short pause (``delay_ms``) but never lets the
oldest unsaved edit get older than ``max_delay_ms``. Saving runs on the GUI
thread: a review is one small SQLite write of a few milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from zc_review.errors import UserError


class AutoSaver(QObject):
    """Saves the latest scheduled value after a pause, or at the latest after ``max_delay_ms``.

    Signals: ``saved(datetime)`` after a successful save (local time, for
    "已保存 10:32:05"); ``saveFailed(str)`` with the message to show when
    ``save_fn`` raised (the value stays pending and is retried after
    ``retry_ms``, on the next edit or on :meth:`flush`); ``dirtyChanged(bool)``
    when unsaved edits appear or are all saved.
    """

    saved = Signal(object)
    saveFailed = Signal(str)
    dirtyChanged = Signal(bool)

    def __init__(
        self,
        save_fn: Callable[[Any], None],
        delay_ms: int = 700,
        max_delay_ms: int = 1000,
        retry_ms: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._save_fn = save_fn
        self._delay_ms = delay_ms
        self._max_delay_ms = max(max_delay_ms, delay_ms)
        self._retry_ms = retry_ms
        self._pending: Any = None
        self._has_pending = False
        self._first_pending: float | None = None  # monotonic time of the oldest unsaved edit
        self._saving = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._save_now)

    @property
    def dirty(self) -> bool:
        """Whether there is a scheduled value not yet saved."""
        return self._has_pending

    def schedule(self, value: Any) -> None:
        """Remember ``value`` as the one to save and (re)start the debounce timer."""
        self._pending = value
        now = time.monotonic()
        if not self._has_pending:
            self._has_pending = True
            self._first_pending = now
            self.dirtyChanged.emit(True)
        assert self._first_pending is not None
        # Restart the pause, but not past the deadline of the oldest unsaved edit.
        left_ms = self._max_delay_ms - (now - self._first_pending) * 1000
        self._timer.start(max(0, min(self._delay_ms, int(left_ms))))

    def flush(self) -> bool:
        """Save now if anything is pending; True when nothing is left unsaved."""
        if self._has_pending:
            self._save_now()
        return not self._has_pending

    def discard(self) -> None:
        """Forget the pending value without saving (e.g. the review was deleted)."""
        self._timer.stop()
        self._pending = None
        if self._has_pending:
            self._has_pending = False
            self._first_pending = None
            self.dirtyChanged.emit(False)

    def _save_now(self) -> None:
        if not self._has_pending or self._saving:
            return
        self._timer.stop()
        value = self._pending
        self._saving = True
        try:
            self._save_fn(value)
        except Exception as exc:  # whatever the store raises, the person must hear of it
            message = str(exc) if isinstance(exc, UserError) else self.tr("保存失败：{0}").format(exc)
            if self._retry_ms > 0:
                self._timer.start(self._retry_ms)
            self.saveFailed.emit(message)
            return
        finally:
            self._saving = False
        if self._pending is value:
            self._pending = None
            self._has_pending = False
            self._first_pending = None
            self.dirtyChanged.emit(False)
        else:
            # save_fn let the event loop run and a newer value arrived; save it on time.
            self._first_pending = time.monotonic()
            self._timer.start(self._delay_ms)
        self.saved.emit(datetime.now().astimezone())
