"""The save state in the main window tells the truth: 已保存 only once the commit has returned.

Real window, real store, real typing (QTest) into the scoring form. The save path
(``reviews.save_sheet``, which the window's AutoSaver calls on its worker thread) is
wrapped to block or fail; every text the status label is given is recorded, and at the
moment 已保存 is shown another connection must already read the typed text from disk.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.data.bundles import import_demo
from zc_review import experts, reviews
from zc_review.experts import ExpertProfile
from zc_review.gui.app import open_settings
from zc_review.gui.main_window import TAB_SCORING, MainWindow
from zc_review.gui.scoring_form import ScoringForm
from zc_review.store.readonly import DB_FILENAME
from zc_review.store.store import Store
from zc_review.workspace import list_applications


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo application; its expert has declared no conflict, so the form is editable."""
    root = tmp_path_factory.mktemp("autosave-window")
    import_demo(root / "data", root / "work", (0,))
    with Store.open(root / "data") as store:
        expert_id = experts.save_profile(store, ExpertProfile(name="王立新", title="研究员"))
        experts.accept_pledge(store, expert_id)
        app = list_applications(store)[0]
        state = reviews.open_review(store, expert_id, app.id)
        reviews.declare_no_conflict(store, state.review_id)
    return root / "data"


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(template, d)
    return d


@pytest.fixture
def window(qtbot: QtBot, data: Path) -> Iterator[MainWindow]:
    store = Store.open(data)
    expert = experts.current_expert(store)
    assert expert is not None
    win = MainWindow(store, expert.id, open_settings(data))
    qtbot.addWidget(win)
    win.show()
    app = list_applications(store)[0]
    win.reload()
    assert win.app_list.select_application(app.id)
    win.tabs.setCurrentIndex(TAB_SCORING)
    yield win
    win.close()
    store.close()


def form_of(window: MainWindow) -> ScoringForm:
    form = window.ensure_form()
    assert form is not None and not form.is_read_only()
    return form


def stored_opinion(data: Path) -> str | None:
    """The overall opinion as committed, read by a connection of its own (what survives a crash)."""
    conn = sqlite3.connect(data / DB_FILENAME)
    try:
        row = conn.execute("SELECT overall_opinion FROM review").fetchone()
        return None if row is None else row[0]
    finally:
        conn.close()


def record_label(window: MainWindow, data: Path) -> list[tuple[str, str | None]]:
    """Every text the save label is given, with what was committed at that very moment."""
    seen: list[tuple[str, str | None]] = []
    original = window.save_label.setText

    def spy(text: str) -> None:
        seen.append((text, stored_opinion(data) if text.startswith("已保存") else None))
        original(text)

    window.save_label.setText = spy  # type: ignore[method-assign]
    return seen


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as a Chinese input method does: one committed character per event."""
    for ch in text:
        event = QInputMethodEvent("", [])
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def type_opinion(qtbot: QtBot, form: ScoringForm, text: str) -> None:
    form.opinion.edit.setFocus()
    type_text(form.opinion.edit, text)


def blocking_save(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[threading.Event, threading.Event, list[str]]:
    """Make every save wait for ``gate`` before it writes; ``entered`` is set when one is waiting."""
    real: Callable[..., reviews.ReviewState] = reviews.save_sheet
    gate, entered = threading.Event(), threading.Event()
    committed: list[str] = []

    def save(store: Store, review_id: int, sheet: object) -> reviews.ReviewState:
        entered.set()
        gate.wait(5)  # released by the test (not at all if it failed first: then it goes on)
        state = real(store, review_id, sheet)
        committed.append(state.sheet.overall_opinion or "")
        return state

    monkeypatch.setattr(reviews, "save_sheet", save)
    return gate, entered, committed


def test_saved_is_shown_only_when_the_typed_text_is_committed(
    qtbot: QtBot, window: MainWindow, data: Path
) -> None:
    form = form_of(window)
    seen = record_label(window, data)
    type_opinion(qtbot, form, "区位条件优越")
    assert window.save_label.text() == "正在保存…"
    qtbot.waitUntil(lambda: window.save_label.text().startswith("已保存"), timeout=5000)
    saved = [(t, on_disk) for t, on_disk in seen if t.startswith("已保存")]
    assert saved, seen
    # Each time 已保存 appeared, the text typed so far was already on disk.
    assert all(on_disk == form.opinion.edit.toPlainText() for _, on_disk in saved), saved
    assert stored_opinion(data) == "区位条件优越"
    assert not window.isWindowModified()


def test_a_blocked_save_shows_saving_until_its_commit_returns(
    qtbot: QtBot, window: MainWindow, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = form_of(window)
    gate, entered, committed = blocking_save(monkeypatch)
    seen = record_label(window, data)
    type_opinion(qtbot, form, "材料翔实")
    qtbot.waitUntil(entered.is_set, timeout=5000)
    # The save is stuck before its commit; the GUI thread is not: it keeps taking keystrokes.
    type_text(form.opinion.edit, "，论证充分")
    qtbot.wait(600)
    assert window.save_label.text() == "正在保存…"
    assert window.isWindowModified()
    assert not any(t.startswith("已保存") for t, _ in seen), seen
    assert not stored_opinion(data)
    gate.set()
    qtbot.waitUntil(lambda: window.save_label.text().startswith("已保存"), timeout=5000)
    # The first commit held only part of the text: 已保存 waited for the second one.
    assert committed[0] == "材料翔实" and committed[-1] == "材料翔实，论证充分", committed
    assert [on_disk for t, on_disk in seen if t.startswith("已保存")] == ["材料翔实，论证充分"]
    assert stored_opinion(data) == "材料翔实，论证充分"


def test_a_failing_save_never_shows_saved_and_the_text_is_kept(
    qtbot: QtBot, window: MainWindow, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = form_of(window)
    real = reviews.save_sheet
    attempts: list[int] = []

    def failing(store: Store, review_id: int, sheet: object) -> reviews.ReviewState:
        attempts.append(review_id)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reviews, "save_sheet", failing)
    window.autosaver._retry_ms = 100  # retried on its own, and failing each time
    seen = record_label(window, data)
    type_opinion(qtbot, form, "建议备案")
    qtbot.waitUntil(lambda: len(attempts) >= 3, timeout=5000)
    assert window.save_label.text() == "⚠ 保存失败"
    assert "No space left on device" in window.statusBar().currentMessage()
    assert not any(t.startswith("已保存") for t, _ in seen), seen
    assert window.isWindowModified() and window.autosaver.dirty
    assert not stored_opinion(data)
    # Space again: the next attempt commits what was typed, and only then 已保存.
    monkeypatch.setattr(reviews, "save_sheet", real)
    qtbot.waitUntil(lambda: window.save_label.text().startswith("已保存"), timeout=5000)
    assert stored_opinion(data) == "建议备案"
    assert [on_disk for t, on_disk in seen if t.startswith("已保存")] == ["建议备案"]


def test_closing_right_after_typing_commits_everything(qtbot: QtBot, window: MainWindow, data: Path) -> None:
    form = form_of(window)
    type_opinion(qtbot, form, "产业定位清晰")
    assert window.autosaver.dirty  # the debounce has not fired yet
    window.close()
    assert stored_opinion(data) == "产业定位清晰"


def test_closing_while_a_save_is_in_flight_waits_for_it_and_saves_the_rest(
    qtbot: QtBot, window: MainWindow, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = form_of(window)
    gate, entered, committed = blocking_save(monkeypatch)
    type_opinion(qtbot, form, "服务体系")
    qtbot.waitUntil(entered.is_set, timeout=5000)
    type_text(form.opinion.edit, "较完整")
    threading.Timer(0.3, gate.set).start()  # the disk answers while the window is closing
    window.close()
    assert committed == ["服务体系", "服务体系较完整"]
    assert stored_opinion(data) == "服务体系较完整"


def test_undo_after_a_save_is_saved_too(qtbot: QtBot, window: MainWindow, data: Path) -> None:
    form = form_of(window)
    type_opinion(qtbot, form, "建设计划可行")
    qtbot.waitUntil(lambda: stored_opinion(data) == "建设计划可行", timeout=5000)
    form.opinion.edit.setFocus()
    QTest.keyClick(form.opinion.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert form.opinion.edit.toPlainText() == ""
    qtbot.waitUntil(lambda: window.save_label.text().startswith("已保存"), timeout=5000)
    assert not stored_opinion(data)
