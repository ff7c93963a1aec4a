"""The 图表 tab: the selected application's four charts and the batch's four, drawn on demand.

Nothing is drawn while the tab is hidden. When it is shown, the charts of the
page in view are built one per event-loop turn (a chart takes tens of
milliseconds), so the window stays responsive while they appear. Figures are
cached by (kind, application or batch, data version): the data version is the
store's newest audit row, which moves on every write, so a changed score redraws
and an unchanged one comes back instantly.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zc_review.charts.kinds import CHART_INFO, INFO_BY_KEY
from zc_review.errors import UserError
from zc_review.gui.chart_canvas import ChartCanvas
from zc_review.i18n import pick
from zc_review.store import readonly

if TYPE_CHECKING:  # matplotlib loads only when a chart is first drawn
    from matplotlib.figure import Figure

    from zc_review.store.store import Store

PAGE_APPLICATION, PAGE_BATCH = range(2)
# Enough for a handful of applications' and batches' charts; older ones are drawn again.
CACHE_SIZE = 48
# The narrowest a chart is shown (pixels): narrower windows scroll sideways.
CHART_MIN_WIDTH = 560
# Two columns only when each can be this much wider than the minimum.
CHART_WIDE_EXTRA = 100
# Height to width of a chart (the figures are drawn 8 × 5 inches).
CHART_ASPECT = 5 / 8


def canvas_header_height() -> int:
    """Room for a chart's title row above its figure."""
    return 34


def data_version(store: Store) -> int:
    """A number that changes whenever the store changes (every write leaves an audit row)."""
    with readonly.reading(store.data_dir) as conn:
        return readonly.data_version(conn)


def chart_kinds(scope: str) -> list[str]:
    """The keys of the charts of ``scope`` ("application" or "batch"), in the registry's order."""
    return [c.key for c in CHART_INFO if c.scope == scope]


def chart_title(key: str) -> str:
    """A chart kind's title in the UI language."""
    kind = INFO_BY_KEY[key]
    return pick(kind.title_zh, kind.title_en)


class FigureCache:
    """The newest ``size`` figures by key (least recently used go first)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._figures: OrderedDict[Hashable, Figure] = OrderedDict()

    def get(self, key: Hashable) -> Figure | None:
        figure = self._figures.get(key)
        if figure is not None:
            self._figures.move_to_end(key)
        return figure

    def put(self, key: Hashable, figure: Figure) -> None:
        self._figures[key] = figure
        self._figures.move_to_end(key)
        while len(self._figures) > self.size:
            self._figures.popitem(last=False)

    def __len__(self) -> int:
        return len(self._figures)


class ChartPage(QScrollArea):
    """A scrollable grid of chart canvases: one column, two when the tab is wide enough.

    Each chart keeps the figures' 8:5 shape at about their drawn size, so its type stays
    as designed; a window too narrow scrolls sideways rather than squeezing the text.
    """

    def __init__(self, kinds: list[str], settings: QSettings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(4, 4, 4, 4)
        self.grid.setSpacing(8)
        self.canvases: dict[str, ChartCanvas] = {}
        for key in kinds:
            canvas = ChartCanvas(chart_title(key), settings)
            canvas.setMinimumWidth(CHART_MIN_WIDTH)
            self.canvases[key] = canvas
        self._columns = 0
        self.setWidget(body)
        self._arrange()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        width = self.viewport().width()
        columns = 2 if width >= 2 * CHART_MIN_WIDTH + 40 + 2 * CHART_WIDE_EXTRA else 1
        if columns != self._columns:
            self._columns = columns
            for i, canvas in enumerate(self.canvases.values()):
                self.grid.addWidget(canvas, i // columns, i % columns)
        column_width = max(CHART_MIN_WIDTH, (width - 16 - 8 * (columns - 1)) // columns)
        height = round(column_width * CHART_ASPECT) + canvas_header_height()
        for canvas in self.canvases.values():
            canvas.setFixedHeight(height)


class ChartsTab(QWidget):
    """图表: the charts of the selected application (本申报) and of its batch (本批次)."""

    def __init__(
        self, store: Store, expert_id: int, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.expert_id = expert_id
        self.app_id: int | None = None
        self.batch_id: str | None = None
        self.cache = FigureCache()
        self._pending: list[tuple[ChartCanvas, str]] = []
        self._version = -1
        self.draw_count = 0  # figures built (not served from the cache); tests read it

        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.application_page = ChartPage(chart_kinds("application"), settings)
        self.batch_page = ChartPage(chart_kinds("batch"), settings)
        self.pages.addTab(self.application_page, self.tr("本申报"))
        self.pages.addTab(self.batch_page, self.tr("本批次"))
        self.pages.currentChanged.connect(lambda _i: self.refresh())
        self.empty = QLabel(self.tr("请先在左侧选择一个申报。"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.empty)
        self.empty.hide()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._draw_next)

    # ----- what to show ---------------------------------------------------------------------------

    def set_application(self, app_id: int | None, batch_id: str | None) -> None:
        """Show the charts of ``app_id`` and its batch ``batch_id`` (drawn when the tab is in view)."""
        self.app_id = app_id
        self.batch_id = batch_id
        self.pages.setVisible(app_id is not None)
        self.empty.setVisible(app_id is None)
        self.refresh()

    def show_batch(self) -> None:
        """Bring the batch charts (本批次) to the front."""
        self.pages.setCurrentIndex(PAGE_BATCH)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Queue the charts of the page in view that are not up to date (nothing if the tab is hidden)."""
        self._pending.clear()
        self._timer.stop()
        if not self.isVisible() or self.app_id is None:
            return
        self._version = data_version(self.store)
        page = self.pages.currentWidget()
        assert isinstance(page, ChartPage)
        for key, canvas in page.canvases.items():
            figure = self.cache.get(self._key(key))
            if figure is not None:
                canvas.set_figure(figure)
            else:
                canvas.show_message(self.tr("正在绘制…"))
                self._pending.append((canvas, key))
        if self._pending:
            self._timer.start()

    def current_canvases(self) -> dict[str, ChartCanvas]:
        """The canvases of the page in view, by chart kind."""
        page = self.pages.currentWidget()
        assert isinstance(page, ChartPage)
        return page.canvases

    def is_drawing(self) -> bool:
        """True while charts of the page in view are still queued."""
        return bool(self._pending)

    # ----- drawing ----------------------------------------------------------------------------------

    def _key(self, kind: str) -> tuple[str, object, int]:
        from zc_review.charts.registry import CHART_KINDS

        scope = self.app_id if CHART_KINDS[kind].scope == "application" else self.batch_id
        return (kind, scope, self._version)

    def _draw_next(self) -> None:
        if not self._pending:
            self._timer.stop()
            return
        canvas, kind = self._pending.pop(0)
        from zc_review.charting import draw_chart

        try:
            figure = draw_chart(self.store, kind, self.app_id, self.expert_id, batch_id=self.batch_id)
        except UserError as exc:
            canvas.show_message(str(exc))
        else:
            self.draw_count += 1
            self.cache.put(self._key(kind), figure)
            canvas.set_figure(figure)
        if not self._pending:
            self._timer.stop()
