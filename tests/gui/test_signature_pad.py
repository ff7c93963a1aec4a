"""Capturing the handwritten signature: strokes become a cropped, transparent PNG."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from zc_review.gui.signature_pad import SignatureDialog, SignaturePad


def stroke(pad: SignaturePad, points: list[tuple[float, float]]) -> None:
    def send(kind: QEvent.Type, x: float, y: float, buttons: Qt.MouseButton) -> None:
        pos = QPointF(x, y)
        event = QMouseEvent(
            kind,
            pos,
            pad.mapToGlobal(pos),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(pad, event)

    send(QEvent.Type.MouseButtonPress, *points[0], Qt.MouseButton.LeftButton)
    for x, y in points[1:]:
        send(QEvent.Type.MouseMove, x, y, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, *points[-1], Qt.MouseButton.NoButton)


def test_strokes_make_a_cropped_transparent_png(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(600, 200)
    pad.show()
    assert pad.is_empty()
    stroke(pad, [(100, 120), (140, 80), (180, 130), (220, 90)])
    assert not pad.is_empty()
    image = QImage.fromData(pad.to_png())
    assert not image.isNull()
    # Cropped to the ink (plus a margin), not the whole pad at 2x.
    assert image.width() < 2 * 200 and image.height() < 2 * 100
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0
    pad.clear()
    assert pad.is_empty()


def test_the_dialog_needs_a_signature(qtbot: QtBot) -> None:
    dialog = SignatureDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    assert dialog.png() is None and dialog.isVisible()
    stroke(dialog.pad, [(50, 60), (120, 40), (200, 90)])
    dialog.save_button.click()
    assert dialog.png() is not None and not dialog.isVisible()


def test_the_settings_menu_saves_the_signature_for_the_expert(qtbot: QtBot, tmp_path: object) -> None:
    from pathlib import Path

    from PySide6.QtCore import QTimer

    from zc_review.experts import ExpertProfile, accept_pledge, save_profile, signature_image
    from zc_review.gui.app import open_settings
    from zc_review.gui.main_window import MainWindow
    from zc_review.store.store import Store

    data = Path(str(tmp_path)) / "data"
    store = Store.open(data)
    expert = save_profile(store, ExpertProfile("刘海涛"))
    accept_pledge(store, expert)
    window = MainWindow(store, expert, open_settings(data))
    qtbot.addWidget(window)

    def sign() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignatureDialog):
            QTimer.singleShot(20, sign)
            return
        stroke(dialog.pad, [(60, 80), (140, 40), (220, 100)])
        dialog.save_button.click()

    QTimer.singleShot(0, sign)
    window.capture_signature()
    png = signature_image(store, expert)
    assert png is not None and QImage.fromData(png).width() > 0
    window.close()
    store.close()
