"""The window after a rubric update: each application's badges and checks come from its own rubric.

The store of :func:`tests.data.rubrics.reviewed_across_update`: two applications of a batch
sealed under the shipped application rubric (one scored), then rubric 2.0 (no investment-share
check, bonus cap 2) and an application of a batch sealed after it. The list's hard-failure
column and total, the 指标核查 table, the form's red notes and its hard-failure line all
follow the rubric the review is pinned to.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.data.rubrics import (
    BONUS,
    DROPPED_CHECK,
    SCORES,
    AcrossUpdate,
    reviewed_across_update,
)
from zc_review.gui.app import open_settings
from zc_review.gui.app_list import APP_ID_ROLE, COL_HARD, COL_TOTAL
from zc_review.gui.main_window import TAB_SCORING, MainWindow
from zc_review.store.store import Store

INVESTMENT_ITEM = "3.2"  # the item the investment-share check belongs to


@pytest.fixture
def across(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AcrossUpdate:
    return reviewed_across_update(tmp_path, monkeypatch)


@pytest.fixture
def window(qtbot: QtBot, across: AcrossUpdate) -> Iterator[MainWindow]:
    store = Store.open(across.data_dir)
    win = MainWindow(store, across.expert_id, open_settings(across.data_dir))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    store.close()


def list_cell(window: MainWindow, app_id: int, column: int) -> str:
    model = window.app_list.model
    for row in range(model.rowCount()):
        first = model.item(row, 0)
        if first is not None and first.data(APP_ID_ROLE) == app_id:
            return model.item(row, column).text()
    raise AssertionError(app_id)


def test_list_badges_checks_and_form_follow_each_reviews_rubric(
    qtbot: QtBot, window: MainWindow, across: AcrossUpdate
) -> None:
    # The list: 1.0 counts the investment share among the failures, 2.0 does not.
    assert list_cell(window, across.old_reviewed, COL_HARD) == "✗ 3"
    assert list_cell(window, across.old_unreviewed, COL_HARD) == "✗ 10"
    assert list_cell(window, across.new, COL_HARD) == "✗ 2"
    scored = sum(SCORES.values())
    assert Decimal(list_cell(window, across.old_reviewed, COL_TOTAL)) == scored + len(BONUS)  # cap 5

    window.tabs.setCurrentIndex(TAB_SCORING)
    for app_id, failures, pinned in (
        (across.old_reviewed, 3, True),
        (across.old_unreviewed, 10, True),
        (across.new, 2, False),
    ):
        assert window.app_list.select_application(app_id)
        assert window.state is not None and window.state.application_id == app_id
        checks = {window.checks.table.item(row, 0).text() for row in range(window.checks.table.rowCount())}
        assert any("投资占比" in title for title in checks) is pinned
        form = window.ensure_form()
        assert form is not None
        notes = [label.text() for label in form.cards[INVESTMENT_ITEM].fail_labels]
        assert (len(notes) == 1 and "投资占比" in notes[0]) if pinned else notes == []
        assert (DROPPED_CHECK in form.rubric.checks) is pinned
        qtbot.waitUntil(form.summary.hard_note.isVisible)
        assert form.summary.hard_note.text() == f"✘ {failures} 项硬指标不达标"
