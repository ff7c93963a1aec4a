"""Every tab shows all of its text on small laptop screens and scaled displays, in Chinese and English.

Window sizes are logical pixels: 1536×864 is a 1920×1080 screen at QT_SCALE_FACTOR 1.25 and 1280×720
the same screen at 1.5 (one run below really sets the factor, in a process of its own).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.data.bundles import import_demo
from tests.gui.clipping import find_clipped
from tests.gui.test_main_window import no_conflict, when_dialog
from zc_review.experts import ExpertProfile, accept_pledge, current_expert, save_profile
from zc_review.gui.app import apply_text_scale, open_settings
from zc_review.gui.dialogs import ConflictDialog
from zc_review.gui.main_window import TAB_SCORING, MainWindow
from zc_review.gui.translation import install_language
from zc_review.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
SIZES = [(1366, 768), (1280, 720), (1536, 864)]


@pytest.fixture(scope="module")
def weakest_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three demo applications; the third fails hard indicators and lacks materials (the most text)."""
    root = tmp_path_factory.mktemp("clipping")
    data = root / "data"
    import_demo(data, root / "work", (0, 11, 1))
    with Store.open(data) as store:
        accept_pledge(
            store, save_profile(store, ExpertProfile("王立新", "研究员", "江苏省科学技术情报研究所"))
        )
    return data


@pytest.fixture
def make_window(qtbot: QtBot, weakest_template: Path, tmp_path: Path) -> Iterator[Callable[[], MainWindow]]:
    """Opens the window on a copy of the template (after the test has chosen language and text size)."""
    opened: list[tuple[MainWindow, Store]] = []

    def make() -> MainWindow:
        data = Path(shutil.copytree(weakest_template, tmp_path / "data"))
        store = Store.open(data)
        expert = current_expert(store)
        assert expert is not None
        win = MainWindow(store, expert.id, open_settings(data))
        qtbot.addWidget(win)
        opened.append((win, store))
        return win

    yield make
    for win, store in opened:
        win.close()
        store.close()


def _settle(qtbot: QtBot) -> None:
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(10)


def _clipped_on_every_tab(qtbot: QtBot, window: MainWindow, width: int, height: int) -> list[str]:
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    window.app_list.select_row(2)
    _settle(qtbot)
    found: list[str] = []
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        if tab == TAB_SCORING and window.current_form() is None:
            when_dialog(ConflictDialog, no_conflict)
            window.declare_conflict()
            window.tabs.setCurrentIndex(TAB_SCORING)
        _settle(qtbot)
        found += [f"{window.tabs.tabText(tab)}: {clip}" for clip in find_clipped(window)]
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_tab_shows_all_its_text(
    qtbot: QtBot,
    qapp: QApplication,
    make_window: Callable[[], MainWindow],
    lang: str,
    width: int,
    height: int,
) -> None:
    install_language(qapp, lang)
    try:
        assert _clipped_on_every_tab(qtbot, make_window(), width, height) == []
    finally:
        install_language(qapp, "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_large_text_on_a_small_laptop_wraps_or_scrolls(
    qtbot: QtBot, qapp: QApplication, make_window: Callable[[], MainWindow], lang: str
) -> None:
    install_language(qapp, lang)
    apply_text_scale(qapp, 150)
    try:
        assert _clipped_on_every_tab(qtbot, make_window(), 1366, 768) == []
    finally:
        apply_text_scale(qapp, 100)
        install_language(qapp, "zh")


def test_a_real_scale_factor_of_one_and_a_half(tmp_path: Path) -> None:
    """QT_SCALE_FACTOR set before Qt starts, as on a 1920×1080 screen at 150%."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1.5", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.clipping", "--size", "1280x720"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "scale factor 1.5" in done.stdout


# ----- the finder itself finds what it should ----------------------------------------------------------


def test_the_finder_sees_a_label_narrower_than_its_text(qtbot: QtBot) -> None:
    label = QLabel("江苏省众创社区申报论证专家评分表")
    qtbot.addWidget(label)
    label.show()
    assert find_clipped(label) == []
    label.setFixedWidth(label.sizeHint().width() // 2)
    assert [c.text for c in find_clipped(label)] == [label.text()]


def test_the_finder_sees_text_cut_by_a_pane_that_cannot_scroll_sideways(qtbot: QtBot) -> None:
    area = QScrollArea()
    qtbot.addWidget(area)
    content = QWidget()
    QVBoxLayout(content).addWidget(QLabel("规划面积在3平方公里左右、四至清楚；载体建筑面积不低于20万平方米"))
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.resize(150, 200)
    area.show()
    qtbot.waitExposed(area)
    assert find_clipped(area) == []  # the pane scrolls sideways
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QApplication.processEvents()
    assert any("cut on the right" in c.why for c in find_clipped(area))


def test_the_finder_sees_an_elided_and_a_cut_wrapped_cell(qtbot: QtBot) -> None:
    table = QTableWidget(1, 1)
    qtbot.addWidget(table)
    table.setItem(0, 0, QTableWidgetItem("创新创业服务载体建筑面积不低于20万平方米"))
    table.resize(500, 200)
    table.setColumnWidth(0, 400)
    table.show()
    qtbot.waitExposed(table)
    assert find_clipped(table) == []
    table.setColumnWidth(0, 80)
    table.setWordWrap(False)
    assert [c.why.startswith("needs") for c in find_clipped(table)] == [True]
    table.setWordWrap(True)  # wrapped, but the row is one line high
    assert "height" in find_clipped(table)[0].why
    table.resizeRowsToContents()
    assert find_clipped(table) == []
