"""Settings ▸ 字号: the whole interface's text size, applied at once, remembered, read at start-up."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.data.bundles import ready_expert_dir
from zc_review.gui import app as gui_app
from zc_review.gui.app import (
    TEXT_SCALE_KEY,
    apply_text_scale,
    base_point_size,
    open_settings,
    open_workstation,
    text_scale,
)
from zc_review.gui.dialogs import SettingsDialog
from zc_review.gui.main_window import MainWindow
from zc_review.store.store import Store


@pytest.fixture(autouse=True)
def _back_to_100(qapp: QApplication) -> Iterator[None]:
    yield
    apply_text_scale(qapp, 100)


@pytest.fixture(scope="module")
def ready_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ready_expert_dir(tmp_path_factory.mktemp("textsize"))


@pytest.fixture
def ready_dir(ready_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(ready_template, tmp_path / "data"))


def test_choosing_a_text_size_applies_at_once_and_cancel_restores_it(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    base = base_point_size(qapp)
    label = QLabel("众创社区评审 Review")
    qtbot.addWidget(label)
    label.show()
    before = label.fontMetrics().height()
    dialog = SettingsDialog(tmp_path)
    qtbot.addWidget(dialog)
    assert [dialog.ui.textSizeCombo.itemText(i) for i in range(dialog.ui.textSizeCombo.count())] == [
        "100%", "125%", "150%", "175%", "200%",
    ]  # fmt: skip
    assert dialog.text_scale() == 100
    dialog.ui.textSizeCombo.setCurrentIndex(2)

    # At once, without OK and without a restart: the application font and an open label.
    assert dialog.text_scale() == 150 and text_scale(qapp) == 150
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.5)
    # Qt tells the widgets from the event loop, as soon as the dialog returns to it.
    qtbot.waitUntil(lambda: label.font().pointSizeF() == pytest.approx(base * 1.5), timeout=1000)
    assert label.fontMetrics().height() >= before * 1.35
    assert label.sizeHint().height() >= before * 1.35

    dialog.cancel_button.click()
    assert text_scale(qapp) == 100
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    qtbot.waitUntil(lambda: label.fontMetrics().height() == before, timeout=1000)


def test_the_text_size_chosen_is_saved_and_a_new_start_uses_it(
    qtbot: QtBot, qapp: QApplication, ready_dir: Path
) -> None:
    base = base_point_size(qapp)
    store = Store.open(ready_dir)
    try:
        window = MainWindow(store, 1, open_settings(ready_dir))
        qtbot.addWidget(window)
        window.show()

        def choose() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, SettingsDialog):
                QTimer.singleShot(20, choose)
                return
            dialog.ui.textSizeCombo.setCurrentIndex(4)  # 200%
            dialog.ok_button.click()

        QTimer.singleShot(0, choose)
        window.open_settings()
        assert text_scale(qapp) == 200
        qtbot.waitUntil(
            lambda: window.counts_label.font().pointSizeF() == pytest.approx(base * 2), timeout=1000
        )
        window.settings.sync()
        assert open_settings(ready_dir).value(TEXT_SCALE_KEY) in (200, "200")
        window.close()
    finally:
        store.close()

    # As if the application started again: back at 100%, then the start reads the setting.
    apply_text_scale(qapp, 100)
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    settings = open_settings(ready_dir)
    settings.setValue(TEXT_SCALE_KEY, 175)
    settings.sync()
    started, opened = open_workstation(qapp, ready_dir)
    assert isinstance(started, MainWindow) and opened is not None
    qtbot.addWidget(started)
    try:
        assert text_scale(qapp) == 175
        assert QApplication.font().pointSizeF() == pytest.approx(base * 1.75)
        qtbot.waitUntil(
            lambda: started.expert_label.font().pointSizeF() == pytest.approx(base * 1.75), timeout=1000
        )
    finally:
        started.close()
        gui_app._close(opened)


def test_an_unreadable_stored_text_size_is_100_and_sizes_are_kept_in_range(tmp_path: Path) -> None:
    settings = open_settings(tmp_path)
    assert gui_app.saved_text_scale(settings) == 100
    settings.setValue(TEXT_SCALE_KEY, "huge")
    assert gui_app.saved_text_scale(settings) == 100
    settings.setValue(TEXT_SCALE_KEY, 900)
    assert gui_app.saved_text_scale(settings) == 200
    settings.setValue(TEXT_SCALE_KEY, 50)
    assert gui_app.saved_text_scale(settings) == 100


def test_the_application_font_is_the_bundled_sans_for_latin_text_too(qapp: QApplication) -> None:
    from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

    from zc_review.gui.app import install_cjk_font
    from zc_review.resources import cjk_font_path

    install_cjk_font(qapp)
    bundled = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(cjk_font_path())))[0]
    font = QApplication.font()
    assert font.families()[0] == bundled
    assert font.styleHint() == QFont.StyleHint.SansSerif  # a glyph it lacks falls back to a sans face
    assert "Serif" not in QFontInfo(QLabel("Total incl. bonus").font()).family()


def test_titles_and_scores_keep_their_size_beside_the_body_text_as_it_grows(
    qtbot: QtBot, qapp: QApplication
) -> None:
    """Sizes set in style sheets (titles, the total) and on fonts (the score box) follow Settings ▸ 字号."""
    from zc_review.core.rubric import load_rubric
    from zc_review.gui.scoring_form import ScoringForm

    form = ScoringForm(load_rubric("application"))
    qtbot.addWidget(form)
    form.resize(1000, 700)
    form.show()
    title = form.goal_sections[next(iter(form.goal_sections))].title
    total = form.summary.total
    spin = next(card.spin for card in form.cards.values() if card.spin is not None)
    body = QLabel("正文")
    qtbot.addWidget(body)
    before = {w: w.fontInfo().pointSizeF() for w in (title, total, spin, body)}
    assert before[title] > before[body] and before[total] > before[title] and before[spin] > before[body]
    width = form.summary.width()
    apply_text_scale(qapp, 150)
    QApplication.processEvents()
    for widget, size in before.items():
        assert widget.fontInfo().pointSizeF() == pytest.approx(size * 1.5, rel=0.08), widget
    assert spin.font().bold()
    assert form.summary.width() > width  # the side panel widens with its text
    apply_text_scale(qapp, 100)
    QApplication.processEvents()
    for widget, size in before.items():
        assert widget.fontInfo().pointSizeF() == pytest.approx(size, rel=0.05), widget
