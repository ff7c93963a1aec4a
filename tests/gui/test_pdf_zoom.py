"""The PDF viewer opens fitting the width, and then at the zoom the person chose last."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PySide6.QtCore import QSettings
from PySide6.QtPdfWidgets import QPdfView
from pytestqt.qtbot import QtBot

from zc_review.gui.app import open_settings
from zc_review.gui.pdf_viewer import PdfViewer
from zc_review.gui.viewer_toolbar import FIT_PAGE, PDF_ZOOM_KEY, use_zoom_settings


def _pdf(path: Path, text: str) -> Path:
    fig = Figure(figsize=(8.27, 11.69))  # A4, portrait
    fig.text(0.1, 0.9, text)
    fig.savefig(path, format="pdf")
    return path


@pytest.fixture
def pdfs(tmp_path: Path) -> tuple[Path, Path]:
    return _pdf(tmp_path / "a.pdf", "first"), _pdf(tmp_path / "b.pdf", "second")


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[QSettings]:
    s = open_settings(tmp_path)
    use_zoom_settings(s)
    yield s
    use_zoom_settings(None)


def _viewer(qtbot: QtBot) -> PdfViewer:
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.resize(900, 700)
    viewer.show()
    qtbot.waitExposed(viewer)
    return viewer


def test_a_pdf_opens_fitting_the_width_then_at_the_zoom_chosen_last(
    qtbot: QtBot, pdfs: tuple[Path, Path], settings: QSettings
) -> None:
    first, second = pdfs
    viewer = _viewer(qtbot)
    assert viewer.load(first) is None
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth  # the first time: the page's width
    fitted = viewer.zoom_factor()

    viewer.zoom_in_action.trigger()
    chosen = viewer.zoom_factor()
    assert chosen == pytest.approx(fitted * 1.25)
    assert viewer.load(second) is None
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert viewer.zoom_factor() == pytest.approx(chosen, rel=1e-3)  # the next document, as chosen
    assert viewer.zoom_label.text() == f"{round(chosen * 100)}%"

    # Remembered in the settings: a viewer of the next start opens at it too.
    settings.sync()
    assert float(str(open_settings(Path(settings.fileName()).parent).value(PDF_ZOOM_KEY))) == pytest.approx(
        chosen, rel=1e-3
    )
    again = _viewer(qtbot)
    assert again.load(first) is None
    assert again.zoom_factor() == pytest.approx(chosen, rel=1e-3)

    # A fit mode is remembered as the mode, not as the factor it happened to give.
    again.fit_page_action.trigger()
    assert settings.value(PDF_ZOOM_KEY) == FIT_PAGE
    assert viewer.load(second) is None
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitInView
    viewer.fit_width_action.trigger()
    assert viewer.load(first) is None
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_an_unreadable_remembered_zoom_opens_fitting_the_width(
    qtbot: QtBot, pdfs: tuple[Path, Path], settings: QSettings
) -> None:
    settings.setValue(PDF_ZOOM_KEY, "huge")
    viewer = _viewer(qtbot)
    assert viewer.load(pdfs[0]) is None
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
