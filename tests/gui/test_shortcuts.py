"""Shortcuts act on what they name wherever the focus is."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.data.bundles import ready_expert_dir
from tests.gui.test_main_window import no_conflict, open_window, when_dialog
from zc_review.gui.dialogs import ConflictDialog
from zc_review.gui.main_window import TAB_CHECKS, TAB_MATERIALS, TAB_OVERVIEW, TAB_SCORING, MainWindow


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ready_expert_dir(tmp_path_factory.mktemp("shortcuts"))


@pytest.fixture
def window(qtbot: QtBot, template: Path, tmp_path: Path) -> Iterator[MainWindow]:
    win, store = open_window(qtbot, Path(shutil.copytree(template, tmp_path / "data")))
    qtbot.waitExposed(win)
    win.activateWindow()  # shortcuts go to the active window's focus widget
    qtbot.waitUntil(win.isActiveWindow)
    win.app_list.select_row(0)
    qtbot.waitUntil(lambda: win.loaded is not None)
    yield win
    win.close()
    store.close()


def _focus(qtbot: QtBot, widget: QWidget) -> None:
    """Focus ``widget`` in an active window (after a modal dialog the window may have to be raised)."""
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def _ctrl_f(qtbot: QtBot) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_f_searches_the_pdf_in_materials_even_with_focus_left_in_the_list_filter(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.tabs.setCurrentIndex(TAB_MATERIALS)
    pdf = next(e for e in window.materials.entries() if e.media_type == "application/pdf")
    window.materials.select_material(pdf.name)
    _focus(qtbot, window.app_list.search)  # where focus stays after clicking the PDF toolbar's buttons
    _ctrl_f(qtbot)
    assert window.materials.pdf_viewer.search_box.hasFocus()
    # From inside the page view too: one Ctrl+F, not two ambiguous ones that both stay silent.
    _focus(qtbot, window.materials.pdf_viewer.view)
    _ctrl_f(qtbot)
    assert window.materials.pdf_viewer.search_box.hasFocus()
    # And from the materials list.
    _focus(qtbot, window.materials.list)
    _ctrl_f(qtbot)
    assert window.materials.pdf_viewer.search_box.hasFocus()


@pytest.mark.parametrize("tab", [TAB_OVERVIEW, TAB_CHECKS])
def test_ctrl_f_elsewhere_filters_the_application_list(qtbot: QtBot, window: MainWindow, tab: int) -> None:
    window.tabs.setCurrentIndex(tab)
    window.tabs.currentWidget().setFocus()
    window.app_list.search.setText("苏州")
    _ctrl_f(qtbot)
    assert window.app_list.search.hasFocus()
    assert window.app_list.search.selectedText() == "苏州"  # typing replaces the old filter


def test_ctrl_delete_clears_a_score_and_undo_brings_it_back(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentIndex(TAB_SCORING)
    when_dialog(ConflictDialog, no_conflict)
    window.declare_conflict()
    form = window.current_form()
    assert form is not None
    item = form.rubric.items()[0]
    spin = form.cards[item.id].spin
    assert spin is not None
    _focus(qtbot, spin)
    spin.selectAll()
    qtbot.keyClicks(spin, "4")
    qtbot.waitUntil(lambda: form.sheet().scores.get(item.id) == Decimal("4"))
    qtbot.keyClick(spin, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert item.id not in form.sheet().scores
    assert spin.points() is None  # the box shows 未评分
    form.undo_action.trigger()
    assert form.sheet().scores.get(item.id) == Decimal("4")
    # In a comment box Ctrl+Delete keeps its text-editing meaning (delete the next word).
    comment = form.cards[item.id].comment
    _focus(qtbot, comment)
    comment.setPlainText("materials complete")
    comment.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(comment, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert form.sheet().scores.get(item.id) == Decimal("4")
    assert comment.toPlainText() == "complete"


def _bound(window: MainWindow) -> set[str]:
    """Every key sequence an action or shortcut of the window answers, in portable text."""
    keys: set[str] = set()
    for action in window.findChildren(QAction):
        keys |= {k.toString() for k in action.shortcuts()}
    for shortcut in window.findChildren(QShortcut):
        keys |= {k.toString() for k in shortcut.keys()}  # noqa: SIM118 (QShortcut is not a dict)
    return keys


def _listed(text: str) -> list[str]:
    names = {"↓": "Down", "↑": "Up", "Enter": "Return"}
    out = []
    for part in text.replace(" … ", " / ").split(" / "):
        for symbol, name in names.items():
            part = part.replace(symbol, name)
        out.append(QKeySequence(part.strip()).toString())
    return out


def test_f1_lists_only_shortcuts_that_are_bound(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentIndex(TAB_SCORING)
    when_dialog(ConflictDialog, no_conflict)
    window.declare_conflict()  # the form's own keys (Alt+↓, undo, redo) exist once it does
    window.tabs.setCurrentIndex(TAB_MATERIALS)
    bound = _bound(window)
    rows = window.shortcut_rows()
    listed = [key for keys, _ in rows for key in _listed(keys)]
    assert {"Ctrl+F", "Ctrl+Del", "F3", "Shift+F3", "Ctrl+Y", "Ctrl+Shift+Z"} <= set(listed)
    assert [key for key in listed if key not in bound] == []
