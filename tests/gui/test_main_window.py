"""The foundation's window: the application list and the selected application's checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.data.bundles import import_demo
from zc_review.store.store import Store
from zc_review.workspace import list_applications


@pytest.fixture
def store(data_dir: Path, tmp_path: Path) -> Iterator[Store]:
    import_demo(data_dir, tmp_path / "work", (0, 1, 2))
    s = Store.open(data_dir)
    yield s
    s.close()


def test_window_lists_applications_and_shows_checks_of_the_selected_one(qtbot: QtBot, store: Store) -> None:
    from zc_review.gui.app import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    apps = list_applications(store)
    assert window.apps.rowCount() == len(apps) == 3
    names = {window.apps.item(r, 1).text() for r in range(3)}
    assert names == {a.community_name for a in apps}

    window.apps.selectRow(2)
    shown = window.apps.item(2, 1).text()
    assert shown in window.title.text()
    assert window.checks.rowCount() >= 10
    statuses = {window.checks.item(r, 1).text() for r in range(window.checks.rowCount())}
    assert statuses <= {"达标", "不达标", "提示", "缺数据"}
