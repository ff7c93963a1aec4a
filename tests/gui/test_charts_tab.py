"""The 图表 tab on real widgets: drawn when shown, cached, redrawn after a change, exported in three formats."""

from __future__ import annotations

import dataclasses
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from defusedxml import ElementTree
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.text import Text
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.gui.test_meeting_mode import build_panel_store
from zc_review import experts
from zc_review.gui.app import open_settings
from zc_review.gui.chart_canvas import ChartCanvas
from zc_review.gui.charts_tab import PAGE_APPLICATION, PAGE_BATCH
from zc_review.gui.main_window import TAB_CHARTS, TAB_OVERVIEW, MainWindow
from zc_review.store.store import Store
from zc_review.workspace import list_applications

APPLICATION_KINDS = ["radar", "hard-indicators", "growth", "investment"]
BATCH_KINDS = ["ranking", "spread", "by-city", "by-industry"]


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("charts")
    first, _second = build_panel_store(root / "data", root / "work")
    return root / "data", first


@pytest.fixture
def window(qtbot: QtBot, panel: tuple[Path, int], tmp_path: Path) -> Iterator[MainWindow]:
    source, expert_id = panel
    data = tmp_path / "data"
    shutil.copytree(source, data)
    store = Store.open(data)
    win = MainWindow(store, expert_id, open_settings(data))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    store.close()


def drawn(qtbot: QtBot, window: MainWindow) -> dict[str, ChartCanvas]:
    qtbot.waitUntil(lambda: not window.charts.is_drawing(), timeout=20000)
    return window.charts.current_canvases()


def subtitle(canvas: ChartCanvas) -> str:
    """Every text of the canvas's figure (its title, caption, labels)."""
    figure = canvas.figure()
    assert figure is not None
    return " ".join(t.get_text() for t in figure.findobj(Text))


def test_the_charts_of_the_selected_application_are_drawn_when_the_tab_is_shown_and_then_cached(
    qtbot: QtBot, window: MainWindow
) -> None:
    apps = list_applications(window.store)
    window.tabs.setCurrentIndex(TAB_OVERVIEW)
    window.app_list.select_application(apps[0].id)
    assert window.charts.draw_count == 0  # nothing is drawn while the tab is hidden

    window.tabs.setCurrentIndex(TAB_CHARTS)
    assert window.tabs.tabText(TAB_CHARTS) == "图表"
    canvases = drawn(qtbot, window)
    assert list(canvases) == APPLICATION_KINDS
    for canvas in canvases.values():
        assert isinstance(canvas.canvas, FigureCanvasQTAgg)
        assert canvas.canvas.figure is canvas.figure()
        # Shown once the canvas is laid out in the visible tab (a later event, not this line).
        qtbot.waitUntil(canvas.canvas.isVisible, timeout=5_000)
        assert canvas.export_button.isEnabled()
    assert apps[0].community_name in subtitle(canvases["radar"])
    assert window.charts.draw_count == 4

    # Another application while the tab is shown: its own charts.
    window.app_list.select_application(apps[1].id)
    canvases = drawn(qtbot, window)
    assert apps[1].community_name in subtitle(canvases["radar"])
    assert window.charts.draw_count == 8

    # Back to the first, and away and back again: served from the cache, nothing drawn.
    window.app_list.select_application(apps[0].id)
    window.tabs.setCurrentIndex(TAB_OVERVIEW)
    window.tabs.setCurrentIndex(TAB_CHARTS)
    canvases = drawn(qtbot, window)
    assert apps[0].community_name in subtitle(canvases["radar"])
    assert window.charts.draw_count == 8


def test_a_change_in_the_store_redraws_the_charts(qtbot: QtBot, window: MainWindow) -> None:
    window.app_list.select_application(list_applications(window.store)[0].id)
    window.tabs.setCurrentIndex(TAB_CHARTS)
    before = drawn(qtbot, window)["radar"].figure()
    window.tabs.setCurrentIndex(TAB_OVERVIEW)
    profile = experts.ExpertProfile.of(experts.get_expert(window.store, window.expert_id))
    experts.save_profile(window.store, dataclasses.replace(profile, title="研究员（二级）"))
    window.tabs.setCurrentIndex(TAB_CHARTS)
    after = drawn(qtbot, window)["radar"].figure()
    assert after is not None and after is not before
    assert window.charts.draw_count == 8


def test_the_batch_charts_entry_shows_the_batch_of_the_selected_application(
    qtbot: QtBot, window: MainWindow
) -> None:
    apps = list_applications(window.store)
    window.app_list.select_application(apps[0].id)
    window.batch_charts_action.trigger()
    assert window.tabs.currentIndex() == TAB_CHARTS
    assert window.charts.pages.currentIndex() == PAGE_BATCH
    canvases = drawn(qtbot, window)
    assert list(canvases) == BATCH_KINDS
    ranking = canvases["ranking"].figure()
    assert ranking is not None
    labels = " ".join(t.get_text() for ax in ranking.axes for t in ax.get_yticklabels())
    assert all(a.community_name in labels for a in apps)
    window.charts.pages.setCurrentIndex(PAGE_APPLICATION)
    assert list(drawn(qtbot, window)) == APPLICATION_KINDS


def _png_dpi(data: bytes) -> float:
    """The resolution in a PNG's pHYs chunk, in dots per inch."""
    at = data.index(b"pHYs")
    per_metre_x, _per_metre_y, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
    assert unit == 1  # metres
    return per_metre_x * 0.0254


def test_export_writes_a_valid_png_svg_and_pdf(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.app_list.select_application(list_applications(window.store)[0].id)
    window.tabs.setCurrentIndex(TAB_CHARTS)
    canvas = drawn(qtbot, window)["hard-indicators"]
    asked: list[tuple[str, str]] = []
    out = tmp_path / "out"
    out.mkdir()

    def answer(name: str) -> None:
        def fake(_parent: object, _caption: str, start: str, filter_: str) -> tuple[str, str]:
            asked.append((start, filter_))
            return str(out / name), filter_

        monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)

    answer("指标.png")
    png = canvas.export(".png")
    assert png == out / "指标.png"
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert round(_png_dpi(data)) == 300
    assert asked[-1][0].endswith("硬指标与政策门槛.png") and "*.png" in asked[-1][1]

    answer("指标")  # no suffix typed: the format's own is added
    svg = canvas.export(".svg")
    assert svg == out / "指标.svg"
    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg")

    # Through the button's menu, as a person would.
    answer("指标.pdf")
    pdf_action = next(a for a in canvas.export_button.menu().actions() if "PDF" in a.text())
    pdf_action.trigger()
    pdf = (out / "指标.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")

    # Cancelled: nothing written.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: ("", ""))
    assert canvas.export(".png") is None
    assert sorted(p.name for p in out.iterdir()) == ["指标.pdf", "指标.png", "指标.svg"]


def test_the_wheel_over_a_chart_scrolls_the_charts_page(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    window.tabs.setCurrentIndex(TAB_CHARTS)
    canvases = drawn(qtbot, window)
    first = canvases[APPLICATION_KINDS[0]]
    qtbot.waitUntil(lambda: first.canvas is not None and first.canvas.isVisible(), timeout=5_000)
    page = window.charts.application_page
    bar = page.verticalScrollBar()
    assert bar.maximum() > 0  # four charts at 1366×768 do not fit: the page scrolls
    assert bar.value() == 0
    canvas = first.canvas
    assert canvas is not None
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    wheel = QWheelEvent(
        centre, QPointF(canvas.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(canvas, wheel)
    assert bar.value() > 0  # one notch down moved the page, not nothing
