"""The application list: filters, search, the open application kept, columns to choose."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
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


def test_rows_are_at_least_one_and_a_half_times_the_text_height_at_any_text_size(
    qtbot: QtBot, qapp: QApplication
) -> None:
    from zc_review.gui.app import apply_text_scale

    lst = make_list(qtbot)
    text = lst.view.fontMetrics().height()
    assert lst.view.rowHeight(0) >= 1.5 * text
    try:
        apply_text_scale(qapp, 200)
        qtbot.waitUntil(lambda: lst.view.fontMetrics().height() > 1.6 * text, timeout=1000)
        assert lst.view.rowHeight(0) >= 1.5 * lst.view.fontMetrics().height()  # they grew with the text
    finally:
        apply_text_scale(qapp, 100)


def test_an_empty_filter_result_says_so_offers_to_clear_and_the_count_follows(qtbot: QtBot) -> None:
    lst = make_list(qtbot)
    counts: list[str] = []
    lst.countsChanged.connect(lambda: counts.append(lst.counts_text()))
    assert lst.counts_text() == "共 3 个申报，已提交 0 个"
    assert not lst.empty_hint.isVisible() and lst.view.isVisible()

    lst.search.setText("纳米")
    assert counts[-1] == "显示 1 个，共 3 个申报，已提交 0 个"
    lst.search.setText("没有这个社区")
    assert lst.visible_count() == 0
    assert lst.empty_hint.isVisible() and not lst.view.isVisible()
    assert lst.empty_label.text() == "没有符合“没有这个社区”的申报。"
    assert counts[-1] == "显示 0 个，共 3 个申报，已提交 0 个"
    assert lst.clear_filters_button.isVisible()

    qtbot.mouseClick(lst.clear_filters_button, Qt.MouseButton.LeftButton)
    assert lst.search.text() == "" and lst.visible_count() == 3
    assert lst.view.isVisible() and not lst.empty_hint.isVisible()
    assert counts[-1] == "共 3 个申报，已提交 0 个"

    # A filter without a search text: said in general terms; 清除筛选 resets the combo boxes too.
    lst.search.setText("宿迁")
    lst.status_combo.setCurrentIndex(lst.status_combo.findData(ReviewStatus.SUBMITTED.value))
    assert lst.visible_count() == 0 and lst.empty_label.text() == "没有符合“宿迁”的申报。"
    lst.search.clear()
    lst.city_combo.setCurrentIndex(lst.city_combo.findData("苏州市"))
    assert lst.empty_label.text() == "没有符合筛选条件的申报。"
    lst.clear_filters()
    assert lst.status_combo.currentIndex() == 0 and lst.city_combo.currentIndex() == 0
    assert lst.visible_count() == 3


def test_in_english_the_community_names_fit_their_column_at_the_list_s_width(
    qtbot: QtBot, qapp: QApplication
) -> None:
    from zc_review.gui.translation import install_language

    install_language(qapp, "en")
    try:
        lst = make_list(qtbot)
        lst.resize(520, 400)  # the list's share of a 1366-pixel window
        qtbot.waitUntil(lambda: lst.view.columnWidth(0) > 0)
        qapp.processEvents()
        assert lst.model.headerData(COL_HARD, Qt.Orientation.Horizontal) == "Hard\nindicators"
        metrics = lst.view.fontMetrics()
        widest = max(metrics.horizontalAdvance(a.community_name) for a in APPS)
        assert lst.view.columnWidth(0) - 8 >= widest  # at the list's usual width, on one line
        lst.grab().save("/tmp/app-list-en.png")
        lst.resize(400, 400)  # narrower (a larger text size has the same effect): wrapped, never cut
        qapp.processEvents()
        width = lst.view.columnWidth(0) - 8  # the cell's margins
        assert widest > width
        for row in range(lst.visible_count()):
            name = str(lst.proxy.index(row, 0).data())
            needed = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, name)
            assert needed.height() <= lst.view.rowHeight(row), name  # wrapped, whole, not cut off
            assert lst.proxy.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)  # the full name on hover too
        lst.grab().save("/tmp/app-list-en-narrow.png")
    finally:
        install_language(qapp, "zh")
