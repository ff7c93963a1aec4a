"""The application list: filters, search, the open application kept, columns to choose."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from zc_review.core.application import MaterialKind
from zc_review.gui.app_list import COL_CITY, COL_HARD, COL_INDUSTRY, ApplicationList
from zc_review.reviews import ReviewSummary
from zc_review.store.models import ReviewStatus
from zc_review.workspace import ApplicationSummary


def _app(i: int, name: str, city: str, industry: str, hard: int = 0) -> ApplicationSummary:
    return ApplicationSummary(
        id=i, key=f"k{i}", batch_id="b", batch_name="2026年第一批", stage="application",
        community_name=name, city=city, county="某区", industry=industry, version=1,
        missing_materials=(MaterialKind.CONCEPT,) if hard else (), hard_failures=hard, warnings=0,
    )  # fmt: skip


APPS = [
    _app(1, "南京江北新区智能制造众创社区", "南京市", "高端装备制造"),
    _app(2, "苏州工业园区纳米众创社区", "苏州市", "新材料"),
    _app(3, "宿迁宿城电子商务众创社区", "宿迁市", "现代服务业", hard=10),
]


def make_list(qtbot: QtBot) -> ApplicationList:
    lst = ApplicationList()
    qtbot.addWidget(lst)
    reviews = {3: ReviewSummary(ReviewStatus.IN_PROGRESS, 5, 22)}
    lst.set_applications(APPS, reviews, {3: "41.5"})
    lst.show()
    return lst


def test_filters_and_search_keep_the_open_application(qtbot: QtBot) -> None:
    lst = make_list(qtbot)
    assert lst.visible_count() == 3
    assert lst.select_application(2)
    lst.search.setText("纳米")
    assert lst.visible_count() == 1 and lst.current_application() == 2
    lst.search.setText("新材料")  # industry is searched although its column is hidden
    assert lst.visible_count() == 1 and lst.current_application() == 2
    lst.search.clear()
    assert lst.visible_count() == 3 and lst.current_application() == 2  # still the one the expert had open
    lst.city_combo.setCurrentIndex(lst.city_combo.findData("宿迁市"))
    assert lst.visible_count() == 1 and lst.current_application() == 3  # the open one was filtered out
    lst.city_combo.setCurrentIndex(0)
    lst.status_combo.setCurrentIndex(lst.status_combo.findData(ReviewStatus.IN_PROGRESS.value))
    assert lst.visible_count() == 1


def test_columns_show_findings_and_can_be_chosen(qtbot: QtBot) -> None:
    lst = make_list(qtbot)
    assert lst.select_application(3)
    row = lst.view.currentIndex().row()
    assert lst.proxy.index(row, COL_HARD).data() == "✗ 10"
    assert lst.proxy.index(row, COL_CITY).data() == "宿迁"
    assert lst.view.isColumnHidden(COL_INDUSTRY)
    state = lst.header_state()
    lst.view.setColumnHidden(COL_INDUSTRY, False)
    assert not lst.view.isColumnHidden(COL_INDUSTRY)
    lst.restore_header_state(state)
    assert lst.view.isColumnHidden(COL_INDUSTRY)
