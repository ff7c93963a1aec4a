"""Capturing the expert's handwritten signature once: drawn with mouse, pen or finger, or imported.

The image is drawn on the opinion PDF's signature block; the PAdES signature
field sits over it. It is kept as a PNG with a transparent background, cropped
to the ink.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QTabletEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

INK = QColor("#0b1f4d")  # dark blue-black, as a signing pen


class SignaturePad(QWidget):
    """A writing surface; strokes are kept as paths so the image can be rendered at any resolution."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._strokes: list[QPainterPath] = []
        self._current: QPainterPath | None = None
        self._image: QImage | None = None  # an imported signature, shown instead of strokes

    def is_empty(self) -> bool:
        return not self._strokes and self._image is None

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self._image = None
        self.update()

    def set_image(self, image: QImage) -> None:
        self._strokes.clear()
        self._image = image
        self.update()

    # -- input ----------------------------------------------------------------------------------

    def _begin(self, pos: QPointF) -> None:
        self._image = None
        self._current = QPainterPath(pos)
        self._strokes.append(self._current)

    def _extend(self, pos: QPointF) -> None:
        if self._current is not None:
            self._current.lineTo(pos)
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._current = None

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Signature pads and pens arrive as tablet events; accept them so no mouse events are synthesised.
        if event.type() == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif event.type() == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        else:
            self._current = None
        event.accept()

    # -- drawing --------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.setPen(QPen(QColor("#c9d3e0"), 1, Qt.PenStyle.DashLine))
        baseline = int(self.height() * 0.75)
        painter.drawLine(16, baseline, self.width() - 16, baseline)
        if self._image is not None:
            scaled = self._image.scaled(
                self.size() * 0.9,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawImage(
                (self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2, scaled
            )
            return
        self._draw_strokes(painter, 1.0)

    def _draw_strokes(self, painter: QPainter, scale: float) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(
            QPen(INK, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        )
        painter.scale(scale, scale)
        for path in self._strokes:
            painter.drawPath(path)

    def to_png(self, scale: float = 2.0) -> bytes:
        """The signature as PNG bytes: transparent background, cropped to the ink, at ``scale`` × resolution."""
        if self._image is not None:
            image = self._image
        else:
            image = QImage(self.size() * scale, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            self._draw_strokes(painter, scale)
            painter.end()
        image = _crop_to_ink(image)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # PySide6 takes str at run time
        return bytes(data.data())


def _crop_to_ink(image: QImage, margin: int = 8) -> QImage:
    """The smallest rectangle holding every non-transparent (or non-white) pixel, plus a margin."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    w, h = image.width(), image.height()
    left, top, right, bottom = w, h, -1, -1
    for y in range(0, h, 2):
        for x in range(0, w, 2):
            c = image.pixelColor(x, y)
            if c.alpha() > 16 and (c.red() < 235 or c.green() < 235 or c.blue() < 235):
                left, right = min(left, x), max(right, x)
                top, bottom = min(top, y), max(bottom, y)
    if right < 0:
        return image
    rect = QRect(left, top, right - left + 1, bottom - top + 1).adjusted(-margin, -margin, margin, margin)
    return image.copy(rect.intersected(image.rect()))


class SignatureDialog(QDialog):
    """Draw or import the handwritten signature; accept gives PNG bytes via :meth:`png`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("手写签名"))
        self.pad = SignaturePad()
        hint = QLabel(self.tr("请在下方区域用鼠标、手写笔或签名板签名。签名将印在您的评审意见表上。"))
        hint.setWordWrap(True)
        clear = QPushButton(self.tr("清除(&C)"))
        clear.clicked.connect(self.pad.clear)
        load = QPushButton(self.tr("从图片导入…(&I)"))
        load.clicked.connect(self._import)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("保存签名(&S)"), QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        cancel.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(clear)
        row.addWidget(load)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.pad, 1)
        layout.addLayout(row)
        self._png: bytes | None = None
        self.resize(640, 320)

    def _import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择签名图片"), str(Path.home()), self.tr("图片 (*.png *.jpg *.jpeg *.bmp)")
        )
        if name:
            image = QImage(name)
            if image.isNull():
                self.setWindowTitle(self.tr("手写签名 — 无法读取该图片"))
                return
            self.pad.set_image(image)

    def _accept(self) -> None:
        if self.pad.is_empty():
            self.setWindowTitle(self.tr("手写签名 — 请先签名"))
            return
        self._png = self.pad.to_png()
        self.accept()

    def png(self) -> bytes | None:
        return self._png
