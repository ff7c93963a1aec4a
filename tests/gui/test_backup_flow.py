"""文件 ▸ 备份… on the real main window, and the daily copy started after the window is up."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.data.bundles import import_demo
from zc_review import experts
from zc_review.experts import ExpertProfile
from zc_review.gui import backup_flow, tasks
from zc_review.gui.app import open_settings
from zc_review.gui.main_window import MainWindow
from zc_review.store import backup
from zc_review.store.store import Store

SHOTS = Path(os.environ.get("ZC_REVIEW_SCREENSHOTS", "")) if os.environ.get("ZC_REVIEW_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("backup-gui")
    import_demo(root / "data", root / "work", (0, 1))
    with Store.open(root / "data") as store:
        expert_id = experts.save_profile(store, ExpertProfile(name="王立新", title="研究员"))
        experts.accept_pledge(store, expert_id)
    return root / "data"


@pytest.fixture
def window(template: Path, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(template, data)
    store = Store.open(data)
    expert = experts.current_expert(store)
    assert expert is not None
    w = MainWindow(store, expert.id, open_settings(data))
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    yield w
    w.autosaver.flush()
    tasks.task_pool().waitForDone(10_000)
    store.close()


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file takes 80 ms to write, so that the progress dialog shows (it appears after 10 ms here)."""
    monkeypatch.setattr(tasks, "SHOW_AFTER_MS", 10)
    real = backup._add_file

    def slowly(*args: Any, **kwargs: Any) -> str:
        time.sleep(0.08)
        return real(*args, **kwargs)

    monkeypatch.setattr(backup, "_add_file", slowly)


def _shot(widget: Any, name: str, tmp_path: Path) -> Path:
    folder = SHOTS or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert widget.grab().save(str(path))
    return path


def _progress(window: MainWindow) -> tasks.TaskProgressDialog | None:
    found = window.findChild(tasks.TaskProgressDialog)
    return found if found is not None and shiboken6.isValid(found) and found.isVisible() else None


def test_the_file_menu_has_backup(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert window.backup_action in file_menu.actions()  # type: ignore[union-attr]
    assert window.backup_action.text() == "备份…(&B)"


@pytest.mark.usefixtures("slow")
def test_backup_from_the_menu_shows_progress_and_says_where(
    window: MainWindow, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    asked: list[str] = []

    def choose(parent: object, caption: str, start: str) -> str:
        asked.append(caption)
        return str(usb)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    window.backup_action.trigger()
    assert asked == ["选择备份保存的文件夹（如 U 盘）"]
    qtbot.waitUntil(lambda: _progress(window) is not None, timeout=5000)
    dialog = _progress(window)
    assert dialog is not None and dialog.windowTitle() == "正在备份…"
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=5000)
    _shot(dialog, "backup-progress.png", tmp_path)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "backupDoneBox") is not None, timeout=20_000)
    box = window.findChild(QMessageBox, "backupDoneBox")
    assert box is not None
    archives = list(usb.iterdir())
    assert len(archives) == 1 and archives[0].suffix == ".zcbackup"
    assert str(archives[0]) in box.text() and "校验无误" in box.text()
    _shot(box, "backup-done.png", tmp_path)
    backup.verify_backup(archives[0])
    assert window.settings.value(backup_flow.LAST_DIR_KEY) == str(usb)


@pytest.mark.usefixtures("slow")
def test_a_cancelled_backup_leaves_nothing_and_says_nothing(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    window.backup(usb)
    qtbot.waitUntil(lambda: _progress(window) is not None, timeout=5000)
    dialog = _progress(window)
    assert dialog is not None and dialog.cancel_button is not None
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: _progress(window) is None, timeout=10_000)
    assert list(usb.iterdir()) == []
    assert window.findChild(QMessageBox, "backupDoneBox") is None
    assert window.findChild(QMessageBox, "taskErrorBox") is None


def test_a_backup_to_a_vanished_folder_is_explained(window: MainWindow, tmp_path: Path, qtbot: QtBot) -> None:
    window.backup(tmp_path / "unplugged-stick")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "taskErrorBox") is not None, timeout=10_000)
    box = window.findChild(QMessageBox, "taskErrorBox")
    assert box is not None and "unplugged-stick" in box.text() and "不存在" in box.text()


def test_the_daily_copy_runs_after_the_window_is_up(window: MainWindow, qtbot: QtBot) -> None:
    data = window.store.data_dir
    backup_flow.schedule_daily_copy(window, data, delay_ms=50)
    assert not (data / "backups").exists()  # not during the start-up itself
    qtbot.waitUntil(lambda: len(list(backup.iter_daily(data))) == 1, timeout=10_000)
    assert window.findChild(QMessageBox, "dailyCopyFailedBox") is None


def test_a_failed_daily_copy_is_shown_once_and_not_fatal(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_flow, "_failure_shown", False)
    data = window.store.data_dir
    (data / "backups").write_text("a file where the folder should be")
    backup_flow.schedule_daily_copy(window, data, delay_ms=0)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "dailyCopyFailedBox") is not None, timeout=10_000)
    box = window.findChild(QMessageBox, "dailyCopyFailedBox")
    assert box is not None and "backups" in box.text()
    _shot(box, "daily-copy-failed.png", tmp_path)
    box.close()
    box.deleteLater()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "dailyCopyFailedBox") is None, timeout=3000)
    backup_flow.schedule_daily_copy(window, data, delay_ms=0)
    qtbot.wait(800)
    assert window.findChild(QMessageBox, "dailyCopyFailedBox") is None  # once
    assert window.isVisible()
