"""The window's start checks the store first: damage, a read-only store or a foreign file is said, not shown as fine."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.data.bundles import ready_expert_dir
from zc_review.gui.app import open_workstation
from zc_review.gui.main_window import MainWindow
from zc_review.store.store import DB_FILENAME, Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ready_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory as an expert leaves it (the window would open at once, before the ORM store)."""
    return ready_expert_dir(tmp_path_factory.mktemp("store-check"))


@pytest.fixture
def ready_dir(ready_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(ready_template, tmp_path / "data"))


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The message boxes shown (critical and question; the question is answered from ``answers``)."""
    shown: dict[str, list[str]] = {"critical": [], "question": [], "answers": []}

    def critical(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown["critical"].append(text)
        return QMessageBox.StandardButton.Ok

    def question(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown["question"].append(text)
        yes = shown["answers"].pop(0) == "yes" if shown["answers"] else False
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(QMessageBox, "question", question)
    return shown


def _qapp() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def _no_window_shown() -> bool:
    return not any(isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets())


def _damage(db: Path) -> None:
    pages = db.stat().st_size // 4096
    with open(db, "r+b") as fh:
        fh.seek((pages // 2) * 4096)
        fh.write(b"\xa5" * 256)


def test_a_damaged_store_is_refused_with_the_reason_before_any_window(
    qapp: QApplication, ready_dir: Path, boxes: dict[str, list[str]]
) -> None:
    db = ready_dir / DB_FILENAME
    _damage(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    window, store = open_workstation(_qapp(), ready_dir)
    assert (window, store) == (None, None)
    assert _no_window_shown()
    (text,) = boxes["critical"]
    assert "已损坏" in text and str(db) in text and "从备份恢复" in text
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_read_only_store_does_not_open_as_if_all_were_well(
    qapp: QApplication, ready_dir: Path, boxes: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ready_dir / DB_FILENAME
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if Path(str(path)) == db and mode & os.W_OK:
            return False  # a 444 file, as root sees none
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    window, store = open_workstation(_qapp(), ready_dir)
    assert (window, store) == (None, None)
    assert _no_window_shown()
    (text,) = boxes["critical"]
    assert "只读" in text and str(db) in text and "请从备份恢复" not in text


def test_an_empty_database_file_is_kept_unless_the_person_agrees(
    qapp: QApplication, tmp_path: Path, boxes: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / DB_FILENAME
    db.write_bytes(b"")

    boxes["answers"].append("no")
    assert open_workstation(_qapp(), data) == (None, None)
    (asked,) = boxes["question"]
    assert "空的（0 字节）" in asked and ".damaged-" in asked
    assert db.exists() and db.stat().st_size == 0
    assert DB_FILENAME in {p.name for p in data.iterdir()}
    assert not (data / "blobs").exists()  # no store was made beside it

    first_start: list[Store] = []

    def decline(store: Store, parent: object = None) -> None:
        first_start.append(store)
        return None  # the person closed the profile dialog

    monkeypatch.setattr("zc_review.gui.app.ensure_expert", decline)
    boxes["answers"].append("yes")
    window, store = open_workstation(_qapp(), data)
    assert window is None and isinstance(store, Store) and first_start == [store]
    store.close()
    (aside,) = data.glob(f"{DB_FILENAME}.damaged-*")
    assert aside.stat().st_size == 0  # kept, not deleted
    assert db.stat().st_size > 0  # a new store, made only after the old file was set aside
    assert boxes["critical"] == []


JOURNEY = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

def start(app):
    def look():
        if any(type(w).__name__ == "MainWindow" and w.isVisible() for w in QApplication.topLevelWidgets()):
            print("WINDOW SHOWN", flush=True)
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                print("BOX:" + w.text(), flush=True)
                w.accept()
                return
        QTimer.singleShot(50, look)
    look()
"""


def _permission_prefix() -> tuple[str, ...] | None:
    # Root ignores file modes; in a user namespace (unshare -U) they apply to it as to anyone.
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return ()
    if shutil.which("unshare") is None:
        return None
    return ("unshare", "-U") if subprocess.run(["unshare", "-U", "true"]).returncode == 0 else None


@pytest.mark.parametrize("fault", ["damaged", "read_only_444"])
def test_the_real_app_says_what_is_wrong_in_a_box_and_exits_without_a_traceback(
    ready_dir: Path, tmp_path: Path, fault: str
) -> None:
    db = ready_dir / DB_FILENAME
    prefix: tuple[str, ...] = ()
    if fault == "damaged":
        _damage(db)
        says = "已损坏"
    else:
        found = _permission_prefix()
        if found is None:
            pytest.skip("root without user namespaces ignores file permissions")
        prefix = found
        os.chmod(db, 0o444)
        says = "该文件是只读的"
    journey = tmp_path / "journey.py"
    journey.write_text(JOURNEY, encoding="utf-8")
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "zc_review", "--data-dir", str(ready_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZC_REVIEW_JOURNEY": str(journey)},
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert "BOX:" in result.stdout and says in result.stdout and str(db) in result.stdout, result.stdout
    assert (
        "WINDOW SHOWN" not in result.stdout
    )  # said before the list, not after it showed as if all were well


@pytest.mark.usefixtures("boxes")
def test_a_healthy_store_still_opens_at_once(qtbot: QtBot, ready_dir: Path) -> None:
    window, store = open_workstation(_qapp(), ready_dir)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    try:
        assert window.isVisible() and window.app_list.visible_count() == 3
    finally:
        window.close()
        from zc_review.gui.app import _close

        assert store is not None
        _close(store)
