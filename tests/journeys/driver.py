"""Drives the real app, from inside its own event loop, through a scripted journey.

Loaded by the app only when ``ZC_REVIEW_JOURNEY`` names a journey file (``zc_review.gui.app``),
once its event loop runs. It imports nothing but the standard library and Qt, so the app's own
imports happen in the order a person's start gives them.

A journey is a generator: it yields commands and the driver carries them out from a timer.
``yield d.wait(pred, what)`` waits until ``pred()`` is truthy and sends that value back;
``yield d.click(button)``, ``d.keys(...)``, ``d.key(...)`` and ``d.do(fn)`` act *from the event
loop*, so an action that opens a modal dialog (whose ``exec()`` does not return until it is
closed) does not block the journey: the timer keeps ticking inside the dialog's loop.

The journey fails (report written, exit status 3) when a step raises, a wait times out, or an
unexpected-error box (``taskErrorBox`` with technical details) appears.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QInputMethodEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QWidget,
)

TICK_MS = 25
DEFAULT_WAIT_S = 60.0
QUIT_GRACE_S = 30


@dataclass
class Wait:
    predicate: Callable[[], Any]
    what: str
    timeout: float


@dataclass
class Do:
    action: Callable[[], Any]
    what: str


Step = Wait | Do
Journey = Generator[Step, Any, None]


class JourneyFailed(AssertionError):
    pass


class Driver(QObject):
    """Runs one journey; see the module docstring."""

    def __init__(self, app: QApplication, journey: Callable[[Driver], Journey]) -> None:
        super().__init__(app)
        self.app = app
        self.params: dict[str, Any] = json.loads(os.environ.get("ZC_REVIEW_JOURNEY_PARAMS", "{}"))
        self.report_path = Path(os.environ["ZC_REVIEW_JOURNEY_REPORT"])
        self.shots = self.report_path.parent / (self.report_path.stem + "-shots")
        self.steps: list[str] = []
        self.facts: dict[str, Any] = {}
        self._gen = journey(self)
        self._waiting: Wait | None = None
        self._deadline = 0.0
        self._advancing = False
        self._done = False
        self._started = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        app.aboutToQuit.connect(self._quitting)

    # ----- commands a journey yields --------------------------------------------------------

    def wait(self, predicate: Callable[[], Any], what: str, timeout: float = DEFAULT_WAIT_S) -> Wait:
        return Wait(predicate, what, timeout)

    def do(self, action: Callable[[], Any], what: str) -> Do:
        return Do(action, what)

    def click(self, button: QWidget, what: str = "") -> Do:
        def press() -> None:
            if not button.isEnabled():
                raise JourneyFailed(f"{what or button.objectName() or button}: disabled")
            if isinstance(button, QCheckBox | QRadioButton):
                # Only the indicator and the label take a click, not the widget's empty right part.
                QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
            else:
                QTest.mouseClick(button, Qt.MouseButton.LeftButton)

        return Do(press, f"click {what or _describe(button)}")

    def keys(self, widget: QWidget, text: str, what: str = "") -> Do:
        return Do(lambda: type_text(widget, text), f"type {text!r} into {what or _describe(widget)}")

    def key(
        self,
        widget: QWidget | None,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        what: str = "",
    ) -> Do:
        def press() -> None:
            target = widget or self.app.focusWidget() or self.app.activeWindow()
            if target is None:
                raise JourneyFailed(f"no widget to press {key} on")
            QTest.keyClick(target, key, modifiers)

        return Do(press, f"press {what or key}")

    def shortcut(self, sequence: str, widget: QWidget | None = None) -> Do:
        def press() -> None:
            target = self.app.focusWidget() if widget is None else widget
            target = target or self.app.activeWindow()
            if target is None:
                raise JourneyFailed(f"no widget for {sequence}")
            QTest.keySequence(target, QKeySequence(sequence))

        return Do(press, f"shortcut {sequence}")

    def press(self, sequence: str, window: QWidget) -> Journey:
        """A shortcut in ``window``, once it is the active window again (a dialog may just have closed)."""
        if not window.isActiveWindow():
            yield self.do(window.activateWindow, "_activate")
            yield self.wait(window.isActiveWindow, f"{type(window).__name__} to be active", timeout=10)
        yield self.shortcut(sequence, window)

    def note(self, key: str, value: Any) -> None:
        """Record a fact for the test to check after the process has ended."""
        self.facts[key] = value

    def snap(self, name: str, widget: QWidget | None = None) -> None:
        """Keep a screenshot of ``widget`` (or the active window) next to the report."""
        shown = visible()
        target = (
            widget or self.app.activeModalWidget() or self.app.activeWindow() or (shown[0] if shown else None)
        )
        if target is None:
            return
        self.shots.mkdir(parents=True, exist_ok=True)
        target.grab().save(str(self.shots / f"{len(self.steps):03d}-{name}.png"))

    # ----- the engine -------------------------------------------------------------------------

    def _tick(self) -> None:
        if self._advancing or self._done:
            return
        try:
            self._check_for_error_box()
            if self._waiting is not None:
                value = self._waiting.predicate()
                if not value:
                    if time.monotonic() > self._deadline:
                        raise JourneyFailed(
                            f"timed out after {self._waiting.timeout:.0f} s waiting for {self._waiting.what}"
                        )
                    return
                if not self._waiting.what.startswith("_"):
                    self.steps.append(f"saw {self._waiting.what}")
                self._waiting = None
                self._advance(value)
            else:
                self._advance(None)
        except BaseException as exc:  # any failure ends the journey with its reason
            self._fail(exc)

    def _advance(self, value: Any) -> None:
        self._advancing = True
        try:
            step = self._gen.send(value)
        except StopIteration:
            self._finish()
            return
        finally:
            self._advancing = False
        if isinstance(step, Wait):
            self._waiting = step
            self._deadline = time.monotonic() + step.timeout
        elif isinstance(step, Do):
            self.steps.append(step.what)
            # From the event loop, so a modal dialog the action opens does not block the journey.
            self._waiting = Wait(lambda: True, "_posted", 5)
            QTimer.singleShot(0, lambda: self._run_action(step))
        else:
            raise JourneyFailed(f"a journey yielded {step!r}")

    def _quitting(self) -> None:
        """The app is quitting: right if the journey's last step quit it, a failure otherwise."""
        if self._done:
            return
        try:
            step = self._gen.send(None)
        except StopIteration:
            self._finish()
            return
        except BaseException as exc:
            self._fail(exc)
            return
        self._fail(JourneyFailed(f"the app quit before the journey ended (next: {step.what})"))

    def _run_action(self, step: Do) -> None:
        try:
            step.action()
        except BaseException as exc:
            self._fail(exc)

    def _check_for_error_box(self) -> None:
        for box in visible(QMessageBox):
            if box.objectName() == "taskErrorBox" and box.detailedText():
                raise JourneyFailed(f"unexpected-error dialog: {box.text()}\n{box.detailedText()}")

    def _write(self, ok: bool, error: str = "") -> None:
        self.report_path.write_text(
            json.dumps(
                {
                    "ok": ok,
                    "error": error,
                    "steps": self.steps,
                    "facts": self.facts,
                    "seconds": round(time.monotonic() - self._started, 1),
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )

    def _finish(self) -> None:
        self._done = True
        self._timer.stop()
        self._write(True)
        # The journey's last step quits the app as a person does; it must then end by itself.
        QTimer.singleShot(QUIT_GRACE_S * 1000, self._did_not_quit)

    def _did_not_quit(self) -> None:
        self._done = False
        self._fail(
            JourneyFailed(
                f"the app was still running {QUIT_GRACE_S} s after the journey quit it; "
                f"open: {[type(w).__name__ for w in visible()]}"
            )
        )

    def _fail(self, exc: BaseException) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        try:
            self.snap("failure")
        finally:
            self._write(False, f"{exc}\n\nafter: {self.steps[-5:]}\n\n{detail}")
            print(f"JOURNEY FAILED: {exc}", file=sys.stderr, flush=True)
            os._exit(3)


# ----- finding things -------------------------------------------------------------------------


def _describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return f"{type(widget).__name__}({widget.objectName() or text})"


def visible(cls: type[QWidget] = QWidget) -> list[Any]:
    """Visible top-level widgets of ``cls`` (by isinstance), newest first."""
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
    return list(reversed(found))


def window_named(class_name: str) -> Any:
    """The visible top-level window whose class is called ``class_name`` (no import needed)."""
    for w in visible():
        if type(w).__name__ == class_name:
            return w
    return None


def message_box(object_name: str | None = None, contains: str = "") -> QMessageBox | None:
    """A visible message box, by object name and/or a piece of its text."""
    for box in visible(QMessageBox):
        if object_name is not None and box.objectName() != object_name:
            continue
        if contains and contains not in box.text() + box.informativeText():
            continue
        return box
    return None


def action_with_text(window: QWidget, text: str) -> QAction:
    """The window's action (menu item) shown as ``text`` (translated by the caller)."""
    for action in window.findChildren(QAction):
        if action.text() == text:
            return action
    raise JourneyFailed(f"no menu item {text!r}")


def file_dialog() -> QFileDialog | None:
    found = visible(QFileDialog)
    return found[0] if found else None


def button_with_text(parent: QWidget, *texts: str) -> QAbstractButton | None:
    """A visible button under ``parent`` whose text (mnemonics removed) starts with one of ``texts``."""
    for b in parent.findChildren(QAbstractButton):
        label = b.text().replace("&", "")
        if b.isVisible() and any(label.startswith(t) for t in texts):
            return b
    return None


def accept_button(dialog: QDialog) -> QAbstractButton:
    for box in dialog.findChildren(QDialogButtonBox):
        for b in box.buttons():
            if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole and b.isVisible():
                return b
    raise JourneyFailed(f"{type(dialog).__name__} has no accept button")


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text``: ASCII key by key, Chinese as an input method commits it (a phrase at a time)."""
    run = ""

    def commit() -> None:
        nonlocal run
        if run:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
            run = ""

    for ch in text:
        if ch.isascii() and ch.isprintable():
            commit()
            QTest.keyClick(widget, ch)
        else:
            run += ch
    commit()


def choose_files(dialog: QFileDialog, paths: Iterable[Path]) -> None:
    """What a person does in Qt's file dialog: type the names into 文件名 and press Enter."""
    paths = list(paths)
    folder = paths[0].parent
    dialog.setDirectory(str(folder))
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    if edit is None:
        raise JourneyFailed("the file dialog has no file name box")
    edit.setFocus()
    edit.clear()
    text = paths[0].name if len(paths) == 1 else " ".join(f'"{p.name}"' for p in paths)
    type_text(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)


def install(app: QApplication, journey: Callable[[Driver], Journey]) -> Driver:
    driver = Driver(app, journey)
    app.setProperty("zcJourneyDriver", id(driver))
    _keep.append(driver)
    return driver


_keep: list[Driver] = []
