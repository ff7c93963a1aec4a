"""The image viewer of the materials tab: PNG/JPEG maps and photos, zoomable.

Keys (while focus is inside the viewer): Ctrl+= / Ctrl+- zoom, Ctrl+0 fit window,
Ctrl+1 actual size, Ctrl+wheel zoom; arrows and PgUp/PgDn scroll.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImageReader, QKeySequence, QPainter, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from zc_review.gui.viewer_toolbar import ZOOM_STEP, chain_tab_order, clamp_zoom, make_action, tool_button


class _ImageView(QGraphicsView):
    """QGraphicsView that turns Ctrl+wheel into zoom requests and reports resizes."""

    zoomStepRequested = Signal(int)
    resized = Signal()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoomStepRequested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class ImageViewer(QWidget):
    """Shows one image; opens fitted to the window but never enlarged beyond its own size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fit = True
        self._zoom = 1.0
        self._image_size = QSize()
        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)

        # No parent yet: parented by the layout after the tool bar, so Tab reaches the image last.
        self.view = _ImageView(self._scene)
        self.view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.zoomStepRequested.connect(self._zoom_step)
        self.view.resized.connect(self._refit)

        self.zoom_out_action = make_action(
            self, self.tr("缩小"), self.zoom_out, ["Ctrl+-", QKeySequence.StandardKey.ZoomOut]
        )
        self.zoom_in_action = make_action(
            self, self.tr("放大"), self.zoom_in, ["Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn]
        )
        self.fit_action = make_action(self, self.tr("适合窗口"), self.fit_to_window, ["Ctrl+0"])
        self.actual_size_action = make_action(self, self.tr("实际大小"), self.actual_size, ["Ctrl+1"])
        for action, short in (
            (self.zoom_out_action, "−"),
            (self.zoom_in_action, "+"),
            (self.fit_action, "▢"),
            (self.actual_size_action, "1:1"),
        ):
            action.setIconText(short)  # compact; the full names are in the tooltips

        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setAccessibleName(self.tr("缩放比例"))
        self.size_label = QLabel()
        self.size_label.setAccessibleName(self.tr("图片尺寸"))

        tab_chain: list[QWidget] = [
            tool_button(action)
            for action in (
                self.zoom_out_action,
                self.zoom_in_action,
                self.fit_action,
                self.actual_size_action,
            )
        ]
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.setSpacing(2)
        bar.addWidget(tab_chain[0])
        bar.addWidget(self.zoom_label)
        for button in tab_chain[1:]:
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.size_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        chain_tab_order([*tab_chain, self.view])

    def load(self, path: Path) -> str | None:
        """Show the image at ``path``; None on success, else a Chinese message why not."""
        self.close_image()
        reader = QImageReader(str(path))
        # Blobs have no extension: the format comes from the bytes; EXIF rotation is honoured.
        reader.setDecideFormatFromContent(True)
        reader.setAutoTransform(True)
        image = reader.read()
        if image.isNull():
            if not path.is_file():
                return self.tr("本机数据目录中找不到这个文件。请重新导入该申报包。")
            return self.tr("图片已损坏或格式不受支持，无法显示。请与省联席会议办公室核对原始申报材料。")
        self._item.setPixmap(QPixmap.fromImage(image))
        self._image_size = image.size()
        self._scene.setSceneRect(self._item.boundingRect())
        self.size_label.setText(self.tr("{0} × {1} 像素").format(image.width(), image.height()))
        self._fit = True
        self._refit()
        return None

    def close_image(self) -> None:
        """Release the image shown."""
        self._item.setPixmap(QPixmap())
        self._image_size = QSize()
        self.size_label.clear()
        self.zoom_label.clear()

    def image_size(self) -> QSize:
        """Pixel size of the image shown (empty when none)."""
        return QSize(self._image_size)

    def zoom_factor(self) -> float:
        """Screen pixels per image pixel (1.0 = actual size)."""
        return self._zoom

    def set_zoom(self, factor: float) -> None:
        """Show the image at ``factor`` times its size; leaves fit mode."""
        self._fit = False
        self._apply_zoom(clamp_zoom(factor))

    def zoom_in(self) -> None:
        """Zoom in one step."""
        self._zoom_step(1)

    def zoom_out(self) -> None:
        """Zoom out one step."""
        self._zoom_step(-1)

    def actual_size(self) -> None:
        """Show the image pixel for pixel."""
        self.set_zoom(1.0)

    def fit_to_window(self) -> None:
        """Scale the whole image into the view, never above its own size, and keep it so on resize."""
        self._fit = True
        self._refit()

    def _zoom_step(self, direction: int) -> None:
        if not self._image_size.isEmpty():
            self.set_zoom(self._zoom * (ZOOM_STEP if direction > 0 else 1 / ZOOM_STEP))

    def _refit(self) -> None:
        if not self._fit or self._image_size.isEmpty():
            return
        viewport = self.view.viewport().size()
        scale = min(
            (viewport.width() - 4) / self._image_size.width(),
            (viewport.height() - 4) / self._image_size.height(),
            1.0,
        )
        self._apply_zoom(max(scale, 0.01))

    def _apply_zoom(self, factor: float) -> None:
        self._zoom = factor
        self.view.resetTransform()
        self.view.scale(factor, factor)
        self.zoom_label.setText(f"{round(factor * 100)}%")
