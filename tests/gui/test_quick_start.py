"""The ordinary start: the list shows before the ORM store has opened; the tabs fill in once it has."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.data.bundles import ready_expert_dir
from zc_review.errors import StoreError
from zc_review.experts import ExpertProfile, accept_pledge, save_profile
from zc_review.gui.app import open_settings, open_workstation
from zc_review.gui.main_window import MainWindow
from zc_review.store.opening import PendingStore, StoreOpening
from zc_review.store.store import Store
from zc_review.workspace import list_applications

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ready_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory as an expert leaves it: three applications, profile and pledge done."""
    return ready_expert_dir(tmp_path_factory.mktemp("quick"))


@pytest.fixture
def ready_dir(ready_template: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(ready_template, tmp_path / "data"))


def _remember_selection(data_dir: Path, name_part: str) -> int:
    with Store.open(data_dir) as store:
        app_id = next(a.id for a in list_applications(store) if name_part in a.community_name)
    settings = open_settings(data_dir)
    settings.setValue("list/last_application", app_id)
    settings.sync()
    return app_id


def _qapp() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def test_the_list_shows_before_the_store_opens_and_the_selection_fills_in_after(
    qtbot: QtBot, ready_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remembered = _remember_selection(ready_dir, "无锡")
    gate = threading.Event()
    real_run = StoreOpening._run

    def held_run(self: StoreOpening) -> None:
        gate.wait(20)  # the worker is slow today: SQLAlchemy has not loaded yet
        real_run(self)

    monkeypatch.setattr(StoreOpening, "_run", held_run)
    window, store = open_workstation(_qapp(), ready_dir)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    try:
        assert isinstance(store, PendingStore)
        # Shown, with the whole list and the remembered selection, while the store still opens.
        assert window.isVisible()
        assert window.app_list.visible_count() == 3
        assert window.app_list.current_application() == remembered
        assert window.header.text() == "正在打开…"
        assert not window.tabs.isEnabled()
        assert "王立新" in window.expert_label.text()
        qtbot.wait(50)  # the event loop starts the worker, which waits at the gate
        assert not store.opening.done()
        assert window.loaded is None

        gate.set()
        qtbot.waitUntil(lambda: window.loaded is not None, timeout=30000)
        assert window.loaded is not None and window.loaded.id == remembered
        assert "无锡" in window.header.text()
        assert window.tabs.isEnabled()
        # The materials tab, built only now, lists the application's files.
        assert window.materials.entries()
    finally:
        gate.set()
        window.close()
        store.close()


def test_a_store_that_fails_to_open_behind_the_window_is_reported_and_the_window_closes(
    qtbot: QtBot, ready_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(cls: type[Store], data_dir: Path) -> Store:
        raise StoreError(
            "本地数据库正被另一个评审工作站窗口占用。请关闭其他窗口后重试。",
            "The local database is in use by another ZC Review window. Close it and try again.",
            data_dir,
        )

    monkeypatch.setattr(Store, "open", classmethod(locked))
    shown: list[str] = []

    def critical(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    window, store = open_workstation(_qapp(), ready_dir)
    assert isinstance(window, MainWindow) and isinstance(store, PendingStore)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert "被另一个评审工作站窗口占用" in shown[0]
    assert not window.isVisible()
    assert isinstance(store.opening.error, StoreError)


def test_first_start_waits_for_the_store_and_asks_for_the_profile(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Store] = []

    def decline(store: Store, parent: object = None) -> None:
        asked.append(store)
        return None  # the person closed the profile dialog

    monkeypatch.setattr("zc_review.gui.app.ensure_expert", decline)
    window, store = open_workstation(_qapp(), data_dir)
    assert window is None
    assert isinstance(store, Store) and asked == [store]  # the real store, opened before the dialog
    store.close()


def test_the_quick_start_loads_neither_the_orm_nor_the_pdf_viewer(ready_dir: Path) -> None:
    # What the window's first appearance costs: everything here is imported before it shows.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from zc_review.gui.app import open_workstation\n"
        "app = QApplication([])\n"
        f"w, store = open_workstation(app, Path({str(ready_dir)!r}))\n"
        "assert w is not None and w.isVisible() and w.app_list.visible_count() == 3\n"
        "heavy = ('sqlalchemy', 'alembic', 'jsonschema', 'PySide6.QtPdf', 'matplotlib', 'openpyxl')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


_LAYOUT_PROBE = """
import json, sys
from pathlib import Path
from typing import Any
from PySide6.QtWidgets import QApplication
from zc_review.gui.app import open_workstation
app = QApplication([])
w, store = open_workstation(app, Path(sys.argv[1]))
w.showNormal(); w.resize(1366, 768)
w.tabs.setCurrentIndex(3)  # 评分: the scoring form, the densest page
for _ in range(200):
    app.processEvents()
    if w.loaded is not None and w.current_form() is not None:
        break
    import time; time.sleep(0.02)
form = w.current_form()
assert form is not None
shot = w.grab()
boxes = {name: list(widget.geometry().getRect()) for name, widget in (
    ("list", w.app_list), ("tabs", w.tabs), ("header", w.header), ("form", form))}
print(json.dumps({"ratio": w.devicePixelRatioF(), "shot": [shot.width(), shot.height()], "boxes": boxes}))
w.close(); store.close()
"""


def _layout_at(data_dir: Path, scale: str) -> dict[str, Any]:
    import json

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale}
    result = subprocess.run(
        [sys.executable, "-c", _LAYOUT_PROBE, str(data_dir)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def test_on_a_high_dpi_screen_the_layout_is_the_same_and_drawn_with_twice_the_pixels(ready_dir: Path) -> None:
    normal, double = _layout_at(ready_dir, "1"), _layout_at(ready_dir, "2")
    assert normal["ratio"] == 1 and double["ratio"] == 2
    # Laid out in device-independent pixels: every region where it was at 1x...
    assert double["boxes"] == normal["boxes"]
    # ...and rendered at twice the resolution, so text and icons stay sharp rather than scaled up.
    assert double["shot"] == [2 * v for v in normal["shot"]]


def _open_with_store(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, Store]:
    store = Store.open(data_dir)
    window = MainWindow(store, 1, open_settings(data_dir))
    qtbot.addWidget(window)
    window.show()
    return window, store


def test_the_materials_and_charts_pages_are_built_when_shown_with_what_they_kept(
    qtbot: QtBot, ready_dir: Path
) -> None:
    from zc_review.gui.charts_tab import ChartsTab
    from zc_review.gui.main_window import TAB_CHARTS, TAB_MATERIALS
    from zc_review.gui.materials_view import MaterialsView

    window, store = _open_with_store(qtbot, ready_dir)
    try:
        assert window.loaded is not None  # an application is shown (its materials were read)...
        assert window.findChild(MaterialsView) is None  # ...but the viewer waits for its tab
        assert window.findChild(ChartsTab) is None
        expected = [r.name for r in __import__("zc_review.workspace", fromlist=["x"]).version_materials(
            store, window.loaded.id, window.loaded.version)]  # fmt: skip
        window.tabs.setCurrentIndex(TAB_MATERIALS)
        viewer = window.findChild(MaterialsView)
        assert viewer is not None and sorted(e.name for e in viewer.entries()) == sorted(expected)
        # Tab from the tab bar reaches the page just built before the dock and panels below.
        following = window.tabs.tabBar().nextInFocusChain()
        while not following.focusPolicy() & Qt.FocusPolicy.TabFocus:
            following = following.nextInFocusChain()
        assert viewer.isAncestorOf(following)
        window.tabs.setCurrentIndex(TAB_CHARTS)
        charts = window.findChild(ChartsTab)
        assert charts is not None and charts.app_id == window.loaded.id
    finally:
        window.close()
        store.close()


def test_a_charts_page_built_with_nothing_selected_says_so(qtbot: QtBot, data_dir: Path) -> None:
    from zc_review.gui.charts_tab import ChartsTab
    from zc_review.gui.main_window import TAB_CHARTS

    with Store.open(data_dir) as store:
        accept_pledge(store, save_profile(store, ExpertProfile("王立新")))
    window, store = _open_with_store(qtbot, data_dir)
    try:
        assert "还没有申报" in window.header.text()
        window.tabs.setEnabled(True)
        window.tabs.setCurrentIndex(TAB_CHARTS)
        charts = window.findChild(ChartsTab)
        assert charts is not None and charts.app_id is None
        assert not charts.empty.isHidden() and charts.pages.isHidden()
    finally:
        window.close()
        store.close()


def test_closing_before_a_failing_store_has_opened_does_not_raise(
    ready_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zc_review.gui.app import _close

    def broken(cls: type[Store], data_dir: Path) -> Store:
        raise StoreError("数据库已损坏。", "The database is damaged.", data_dir)

    monkeypatch.setattr(Store, "open", classmethod(broken))
    pending = PendingStore(StoreOpening(ready_dir))  # not started yet: closing starts and waits for it
    _close(pending)  # type: ignore[arg-type]
    assert isinstance(pending.opening.error, StoreError)
