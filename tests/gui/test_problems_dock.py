"""The 待完善事项 dock: its title counts what it lists, its rows are tall enough to read and hit."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.data.bundles import import_demo
from tests.gui.test_main_window import no_conflict, when_dialog
from zc_review.core.scoring import FieldKind
from zc_review.experts import ExpertProfile, accept_pledge, save_profile
from zc_review.gui.app import open_settings
from zc_review.gui.dialogs import ConflictDialog
from zc_review.gui.main_window import MainWindow
from zc_review.store.store import Store
from zc_review.workspace import list_applications


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("dock")
    data = root / "data"
    import_demo(data, root / "work", (0, 11))  # 11: 宿迁, two required materials missing
    with Store.open(data) as store:
        expert = save_profile(store, ExpertProfile("王立新"))
        accept_pledge(store, expert)
    return data, expert


@pytest.fixture
def window(qtbot: QtBot, template: tuple[Path, int], tmp_path: Path) -> Iterator[MainWindow]:
    source, expert = template
    data = Path(shutil.copytree(source, tmp_path / "data"))
    store = Store.open(data)
    win = MainWindow(store, expert, open_settings(data))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    store.close()


def test_the_dock_title_counts_the_entries_it_lists_however_they_change(
    qtbot: QtBot, window: MainWindow
) -> None:
    lacking = next(a for a in list_applications(window.store) if a.missing_materials)
    assert window.app_list.select_application(lacking.id)
    when_dialog(ConflictDialog, no_conflict)
    window.declare_conflict()
    assert window.state is not None and window.state.editable
    window.submit()
    dock, panel = window.problems_dock, window.problems
    assert dock.isVisible() and panel.count() > 1
    assert dock.windowTitle() == f"待完善事项（{panel.count()}）"
    kinds = [panel.item(i).data(256).kind for i in range(panel.count())]
    assert FieldKind.FORMAL_CHECK in kinds
    # Dealt with outside the form (知悉 on the overview): the list loses the entry, so does the title.
    before = panel.count()
    window.overview.ack_button.click()
    assert panel.count() == before - 1
    assert dock.windowTitle() == f"待完善事项（{panel.count()}）"
    # Emptied: no count over an empty list.
    panel.set_problems([])
    assert dock.windowTitle() == "待完善事项"
    # The rows: at least one and a half times the text's height.
    window.submit()
    assert panel.count() > 0
    assert panel.visualItemRect(panel.item(0)).height() >= 1.5 * panel.fontMetrics().height()
    window.grab().save("/tmp/problems-dock.png")
