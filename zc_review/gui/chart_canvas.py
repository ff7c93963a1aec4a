"""One chart on screen: a matplotlib Figure in a Qt canvas, with its title and an export menu.

Figures are built by the Qt-free core (zc_review.charts); this widget only shows
them (``FigureCanvasQTAgg``) and saves them through the core's ``export_figure``
as PNG (300 dpi), SVG or PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zc_review.errors import UserError

if TYPE_CHECKING:  # matplotlib loads only when a chart is first shown
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

EXPORT_DIR_KEY = "charts/last_dir"

# Characters Windows refuses in a file name.
_BAD_NAME_CHARS = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


def _formats() -> list[tuple[str, str, str]]:
    """(suffix, menu text, file-dialog filter) of each export format."""
    return [
        (
            ".png",
            QCoreApplication.translate("ChartCanvas", "导出 PNG 图片（300 dpi）…"),
            QCoreApplication.translate("ChartCanvas", "PNG 图片 (*.png)"),
        ),
        (
            ".svg",
            QCoreApplication.translate("ChartCanvas", "导出 SVG 矢量图…"),
            QCoreApplication.translate("ChartCanvas", "SVG 矢量图 (*.svg)"),
        ),
        (
            ".pdf",
            QCoreApplication.translate("ChartCanvas", "导出 PDF…"),
            QCoreApplication.translate("ChartCanvas", "PDF 文件 (*.pdf)"),
        ),
    ]


def chart_file_name(title: str, suffix: str) -> str:
    """A default file name for a chart: its title made safe for every file system."""
    stem = title.strip().translate(_BAD_NAME_CHARS) or "chart"
    return stem + suffix


class ChartCanvas(QWidget):
    """A titled chart with an 导出 button; empty (a placeholder text) until a figure is set."""

    def __init__(
        self, title: str = "", settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._figure: Figure | None = None
        self._title = title
        self.canvas: FigureCanvasQTAgg | None = None
        self.title_label = QLabel(title)
        self.title_label.setStyleSheet("font-weight: bold;")
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("导出"))
        self.export_button.setToolTip(self.tr("把该图表导出为 PNG、SVG 或 PDF 文件"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setEnabled(False)
        menu = QMenu(self.export_button)
        for suffix, text, _filter in _formats():
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, s=suffix: self.export(s))
        self.export_button.setMenu(menu)
        self.placeholder = QLabel(self.tr("正在绘制…"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #57606a;")
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title_label, 1)
        head.addWidget(self.export_button)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.addLayout(head)
        self._layout.addWidget(self.placeholder, 1)

    def figure(self) -> Figure | None:
        """The figure shown, or None while nothing is."""
        return self._figure

    def title(self) -> str:
        return self._title

    def set_title(self, title: str) -> None:
        self._title = title
        self.title_label.setText(title)

    def set_figure(self, figure: Figure | None) -> None:
        """Show ``figure`` (the same object again is a no-op; None shows the placeholder)."""
        if figure is self._figure:
            return
        self._figure = figure
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.hide()
            self.canvas.deleteLater()
            self.canvas = None
        self.export_button.setEnabled(figure is not None)
        if figure is None:
            self.placeholder.show()
            return
        # A figure has one canvas at a time; a cached figure shown again simply gets a new one.
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.canvas.installEventFilter(self)
        self.placeholder.hide()
        self._layout.addWidget(self.canvas, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The charts are pictures, not zoomable plots: matplotlib's canvas accepts every wheel
        # event, so the wheel over a chart did not scroll the 图表 page. The event goes to the
        # scroll area around the chart instead (when there is one).
        if watched is self.canvas and event.type() == QEvent.Type.Wheel:
            area = self.parentWidget()
            while area is not None and not isinstance(area, QAbstractScrollArea):
                area = area.parentWidget()
            if area is not None:
                QCoreApplication.sendEvent(area.viewport(), event)
            else:
                event.ignore()
            return True
        return super().eventFilter(watched, event)

    def show_message(self, text: str) -> None:
        """Show ``text`` instead of a chart (e.g. why it cannot be drawn)."""
        self.set_figure(None)
        self.placeholder.setText(text)

    def export(self, suffix: str) -> Path | None:
        """Ask where to save the chart as ``suffix`` (.png/.svg/.pdf) and write it; the path or None."""
        figure = self._figure
        if figure is None:
            return None
        from zc_review.charts.export import export_figure

        caption = self.tr("导出图表")
        chosen_filter = next(f for s, _t, f in _formats() if s == suffix)
        start = self._start_dir() / chart_file_name(self._title, suffix)
        name, _ = QFileDialog.getSaveFileName(self, caption, str(start), chosen_filter)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            export_figure(figure, path)
        except (OSError, UserError) as exc:
            QMessageBox.warning(
                self,
                caption,
                self.tr("无法写入文件“%1”：%2。请换一个文件夹再试。")
                .replace("%1", str(path))
                .replace("%2", str(exc)),
            )
            return None
        if self.settings is not None:
            self.settings.setValue(EXPORT_DIR_KEY, str(path.parent))
        return path

    def _start_dir(self) -> Path:
        last = (
            str(self.settings.value(EXPORT_DIR_KEY, "", type=str) or "") if self.settings is not None else ""
        )
        return Path(last) if last and Path(last).is_dir() else Path.home()
