"""The batch and application list: filter, search, status and progress of the expert's reviews."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from zc_review.core.application import JIANGSU_CITIES, Stage
from zc_review.gui.labels import material_label, stage_label
from zc_review.store.readonly import ApplicationSummary, ReviewSummary
from zc_review.store.status import ReviewStatus

APP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
BATCH_ROLE = Qt.ItemDataRole.UserRole + 3
SORT_ROLE = Qt.ItemDataRole.UserRole + 4
CITY_ROLE = Qt.ItemDataRole.UserRole + 5
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 6

# Rows at least this many times the text's height: 15-pixel rows were hard to read and to hit.
ROW_HEIGHT_FACTOR = 1.6

# Columns: what an expert scans for fits a 1366-pixel laptop; industry and stage are there
# too but hidden until chosen from the header's menu (and are in the name's tooltip and the search).
COL_NAME, COL_CITY, COL_INDUSTRY, COL_STAGE, COL_STATUS, COL_PROGRESS, COL_TOTAL, COL_HARD, COL_FORMAL = (
    range(9)
)
HIDDEN_BY_DEFAULT = (COL_CITY, COL_INDUSTRY, COL_STAGE)

STATUS_COLOUR = {
    ReviewStatus.NOT_STARTED: "#57606a",
    ReviewStatus.IN_PROGRESS: "#0b62c4",
    ReviewStatus.SUBMITTED: "#1a7f37",
    ReviewStatus.RECUSED: "#8250df",
}


class TallRowDelegate(QStyledItemDelegate):
    """Rows at least ROW_HEIGHT_FACTOR times the text height (of the view's font, as it changes)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        size.setHeight(max(size.height(), round(option.fontMetrics.height() * ROW_HEIGHT_FACTOR)))
        view = self.parent()
        if isinstance(view, QTreeView) and view.wordWrap():
            # Qt sizes a wrapped row for an unbounded width; wrap at the column's text box instead.
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.rect = QRect(0, 0, view.header().sectionSize(index.column()), 100000)
            style = view.style()
            box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, view)
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
            width = box.width() - 2 * margin
            if width > 0 and opt.text:
                flags = int(Qt.TextFlag.TextWordWrap)
                high = opt.fontMetrics.boundingRect(QRect(0, 0, width, 100000), flags, opt.text).height()
                size.setHeight(max(size.height(), high + opt.fontMetrics.height() // 2))
        return size


def status_text(status: ReviewStatus) -> str:
    """The status as the list shows it (已回避 etc.), in the UI language."""
    text = {
        ReviewStatus.NOT_STARTED: QCoreApplication.translate("ReviewStatus", "未开始"),
        ReviewStatus.IN_PROGRESS: QCoreApplication.translate("ReviewStatus", "评审中"),
        ReviewStatus.SUBMITTED: QCoreApplication.translate("ReviewStatus", "已提交"),
        ReviewStatus.RECUSED: QCoreApplication.translate("ReviewStatus", "已回避"),
    }
    return text[status]


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.text = ""
        self.status: str | None = None
        self.city: str | None = None
        self.batch: str | None = None
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        first = model.index(row, 0, parent)
        if self.status and model.data(first, STATUS_ROLE) != self.status:
            return False
        if self.batch and model.data(first, BATCH_ROLE) != self.batch:
            return False
        if self.city and model.data(first, CITY_ROLE) != self.city:
            return False
        if self.text:
            haystack = str(model.data(first, SEARCH_ROLE) or "")
            return all(word in haystack for word in self.text.split())
        return True


class ApplicationList(QWidget):
    """Filters on top of a sortable table of the applications; emits the selected application's id."""

    currentApplicationChanged = Signal(object)  # int | None
    #: The rows shown changed (filter, search, new data): for the status bar's count.
    countsChanged = Signal()

    COLUMNS = 9

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.batch_combo = QComboBox()
        self.batch_combo.setAccessibleName(self.tr("批次"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索社区、城市、产业…（Ctrl+L）"))
        self.search.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName(self.tr("评审状态"))
        self.status_combo.addItem(self.tr("全部状态"), None)
        for status in ReviewStatus:
            self.status_combo.addItem(status_text(status), status.value)
        self.city_combo = QComboBox()
        self.city_combo.setAccessibleName(self.tr("设区市"))
        self.city_combo.addItem(self.tr("全部城市"), None)
        for city in JIANGSU_CITIES:
            self.city_combo.addItem(city, city)

        self.model = QStandardItemModel(0, self.COLUMNS, self)
        self.model.setHorizontalHeaderLabels(
            [
                self.tr("众创社区"),
                self.tr("设区市"),
                self.tr("主导产业"),
                self.tr("阶段"),
                self.tr("状态"),
                self.tr("进度"),
                self.tr("总分"),
                self.tr("硬指标"),
                self.tr("形式审查"),
            ]
        )
        self._wrap_headers()
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        # A name wider than its column goes on to a second line rather than losing its end
        # (English headers leave it less room); the full name is in the tooltip as well.
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setItemDelegate(TallRowDelegate(self.view))
        header = self.view.horizontalHeader()
        # The name column keeps a readable width (a stretched column collapses when the pane is
        # narrow); the others fit their contents and the last one takes what is left.
        # Sized by _fit_columns, not ResizeToContents: that reserves a sort arrow as wide as the
        # header is tall beside every title, which in English left the names too little room.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # The name takes what the other columns leave, but no less than seven characters: the
        # list scrolls sideways rather than squeezing a name into a column of single characters.
        self.view.viewport().installEventFilter(self)
        header.setMinimumSectionSize(40)
        for column in HIDDEN_BY_DEFAULT:
            self.view.setColumnHidden(column, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setSortIndicatorShown(True)
        # Initially in the list's own order (batch, then the province's city order).
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        # Each row as tall as its wrapped name needs, and never less than 1.6 lines (the delegate).
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        # An empty result says so and offers the way back, instead of a blank list.
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyFilterLabel")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_filters_button = QPushButton(self.tr("清除筛选(&C)"))
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.empty_hint = QWidget()
        hint = QVBoxLayout(self.empty_hint)
        hint.addStretch(1)
        hint.addWidget(self.empty_label)
        hint.addWidget(self.clear_filters_button, 0, Qt.AlignmentFlag.AlignHCenter)
        hint.addStretch(2)
        self.empty_hint.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.status_combo)
        filters.addWidget(self.city_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.batch_combo)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint, 1)

        self.search.textChanged.connect(self._set_text)
        self.status_combo.currentIndexChanged.connect(self._apply_filters)
        self.city_combo.currentIndexChanged.connect(self._apply_filters)
        self.batch_combo.currentIndexChanged.connect(self._apply_filters)
        self._ids: list[int] = []

    def _show_column(self, column: int, shown: bool) -> None:
        self.view.setColumnHidden(column, not shown)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Each column but the name as wide as its cells or its title (and the sort arrow)."""
        header = self.view.horizontalHeader()
        metrics = header.fontMetrics()
        style = header.style()
        room = 2 * style.pixelMetric(style.PixelMetric.PM_HeaderMargin, None, header)
        arrow = style.pixelMetric(style.PixelMetric.PM_HeaderMarkSize, None, header)
        for column in range(1, self.COLUMNS):
            if self.view.isColumnHidden(column):
                continue
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            title_width = max(metrics.horizontalAdvance(line) for line in title.split("\n")) + room + arrow
            header.resizeSection(column, max(self.view.sizeHintForColumn(column), title_width))
        self._fit_name_column()

    def _fit_name_column(self) -> None:
        header = self.view.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(1, self.COLUMNS) if not self.view.isColumnHidden(c))
        least = self.view.fontMetrics().horizontalAdvance("众" * 7) + 12
        header.resizeSection(0, max(least, self.view.viewport().width() - others))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_name_column()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # Settings ▸ 字号
            self._fit_columns()

    def _wrap_headers(self) -> None:
        # In English the headers ("Hard indicators", "Formal check") were wider than their cells
        # and the community names paid for it; on two lines they take a cell's width.
        horizontal = Qt.Orientation.Horizontal
        for column in range(1, self.COLUMNS):
            text = str(self.model.headerData(column, horizontal) or "")
            if " " in text and len(text) > 9:
                self.model.setHeaderData(column, horizontal, text.replace(" ", "\n", 1))
                self.model.setHeaderData(column, horizontal, text, Qt.ItemDataRole.ToolTipRole)

    # -- data -----------------------------------------------------------------------------------

    def set_applications(
        self,
        apps: Sequence[ApplicationSummary],
        reviews: Mapping[int, ReviewSummary],
        totals: Mapping[int, str],
    ) -> None:
        """Fill the list, keeping the selection where the application is still there."""
        keep = self.current_application()
        self.view.setSortingEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        batches: dict[str, str] = {}
        for order, a in enumerate(apps):
            batches.setdefault(a.batch_id, a.batch_name)
            summary = reviews.get(a.id, ReviewSummary(ReviewStatus.NOT_STARTED, 0, 0))
            name = QStandardItem(a.community_name)
            name.setData(a.id, APP_ID_ROLE)
            name.setData(summary.status.value, STATUS_ROLE)
            name.setData(a.batch_id, BATCH_ROLE)
            name.setData(order, SORT_ROLE)
            name.setData(a.city, CITY_ROLE)
            name.setData(
                " ".join((a.community_name, a.city, a.county, a.industry, a.batch_name)), SEARCH_ROLE
            )
            name.setToolTip(
                f"{a.community_name}\n{a.city}{a.county} · {a.industry}\n{a.batch_name} · v{a.version}"
            )
            status = QStandardItem(status_text(summary.status))
            status.setForeground(QColor(STATUS_COLOUR[summary.status]))
            status.setData(list(ReviewStatus).index(summary.status), SORT_ROLE)
            progress = QStandardItem(f"{summary.scored}/{summary.required}" if summary.required else "—")
            progress.setData(summary.scored / summary.required if summary.required else 0, SORT_ROLE)
            progress.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            total_text = totals.get(a.id, "")
            total = QStandardItem(total_text)
            total.setData(float(total_text) if total_text else -1.0, SORT_ROLE)
            total.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            # Symbols as well as colour, so the columns read without colour vision.
            hard = QStandardItem(f"✗ {a.hard_failures}" if a.hard_failures else "✓")
            hard.setToolTip(
                self.tr("%n 项不达标", "", a.hard_failures) if a.hard_failures else self.tr("达标")
            )
            hard.setData(a.hard_failures, SORT_ROLE)
            hard.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if a.hard_failures:
                hard.setForeground(QColor("#c62828"))
            missing = self.tr("、").join(material_label(k) for k in a.missing_materials)
            formal = QStandardItem(
                self.tr("缺 %1 项").replace("%1", str(len(a.missing_materials)))
                if a.missing_materials
                else self.tr("齐全")
            )
            formal.setToolTip(self.tr("缺：") + missing if a.missing_materials else self.tr("齐全"))
            formal.setData(len(a.missing_materials), SORT_ROLE)
            if a.missing_materials:
                formal.setForeground(QColor("#c62828"))
            city = QStandardItem(a.city.removesuffix("市"))
            city.setData(JIANGSU_CITIES.index(a.city) if a.city in JIANGSU_CITIES else 99, SORT_ROLE)
            industry = QStandardItem(a.industry)
            industry.setData(a.industry, SORT_ROLE)
            stage = QStandardItem(stage_label(Stage(a.stage)))
            stage.setData(a.stage, SORT_ROLE)
            self.model.appendRow([name, city, industry, stage, status, progress, total, hard, formal])
        self.view.setSortingEnabled(True)
        self._fill_batches(batches)
        self._fit_columns()
        if keep is None or not self.select_application(keep):
            self.select_row(0)

    def _fill_batches(self, batches: Mapping[str, str]) -> None:
        current = self.batch_combo.currentData()
        self.batch_combo.blockSignals(True)
        self.batch_combo.clear()
        self.batch_combo.addItem(self.tr("全部批次（%1 个）").replace("%1", str(len(batches))), None)
        for batch_id, name in batches.items():
            self.batch_combo.addItem(name, batch_id)
        index = self.batch_combo.findData(current)
        self.batch_combo.setCurrentIndex(max(index, 0))
        self.batch_combo.blockSignals(False)
        self.batch_combo.setVisible(len(batches) > 1)
        self._apply_filters()

    def update_review(self, app_id: int, summary: ReviewSummary, total_text: str) -> None:
        """Refresh one row's status, progress and total (after a save), keeping order and selection."""
        for row in range(self.model.rowCount()):
            first = self.model.item(row, 0)
            if first is None or first.data(APP_ID_ROLE) != app_id:
                continue
            first.setData(summary.status.value, STATUS_ROLE)
            status = self.model.item(row, COL_STATUS)
            status.setText(status_text(summary.status))
            status.setForeground(QColor(STATUS_COLOUR[summary.status]))
            status.setData(list(ReviewStatus).index(summary.status), SORT_ROLE)
            progress = self.model.item(row, COL_PROGRESS)
            progress.setText(f"{summary.scored}/{summary.required}" if summary.required else "—")
            progress.setData(summary.scored / summary.required if summary.required else 0, SORT_ROLE)
            total = self.model.item(row, COL_TOTAL)
            total.setText(total_text)
            total.setData(float(total_text) if total_text else -1.0, SORT_ROLE)
            self._fit_columns()  # 未开始 → 评审中, a total where there was none
            return

    def _column_menu(self, pos: QPoint) -> None:
        """Right-click on the header: show or hide any column but the name."""
        menu = QMenu(self)
        for column in range(1, self.COLUMNS):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            action = menu.addAction(title.replace("\n", " "))
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: self._show_column(c, on))
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))

    def header_state(self) -> QByteArray:
        return self.view.horizontalHeader().saveState()

    def restore_header_state(self, state: QByteArray) -> None:
        self.view.horizontalHeader().restoreState(state)

    # -- selection ------------------------------------------------------------------------------

    def current_application(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return int(self.proxy.index(index.row(), 0).data(APP_ID_ROLE))

    def current_batch(self) -> str | None:
        """The batch of the selected application (None when nothing is selected)."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        batch = self.proxy.index(index.row(), 0).data(BATCH_ROLE)
        return str(batch) if batch is not None else None

    def select_application(self, app_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(APP_ID_ROLE) == app_id:
                self.select_row(row)
                return True
        return False

    def select_row(self, row: int) -> bool:
        if not 0 <= row < self.proxy.rowCount():
            return False
        index = self.proxy.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def step(self, delta: int) -> bool:
        """Select the next (+1) or previous (-1) application in the list as shown."""
        current = self.view.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        return self.select_row(row)

    def visible_count(self) -> int:
        return self.proxy.rowCount()

    def filtered(self) -> bool:
        """Whether a search text, status, city or batch hides some applications."""
        return bool(self.proxy.text or self.proxy.status or self.proxy.city or self.proxy.batch)

    def counts_text(self) -> str:
        """The status bar's count: all applications and those submitted, or what the filter shows."""
        rows = self.model.rowCount()
        submitted = sum(
            1 for r in range(rows) if self.model.item(r, 0).data(STATUS_ROLE) == ReviewStatus.SUBMITTED.value
        )
        if self.filtered():
            return (
                self.tr("显示 %1 个，共 %2 个申报，已提交 %3 个")
                .replace("%1", str(self.visible_count()))
                .replace("%2", str(rows))
                .replace("%3", str(submitted))
            )
        return self.tr("共 %1 个申报，已提交 %2 个").replace("%1", str(rows)).replace("%2", str(submitted))

    def clear_filters(self) -> None:
        """Show every application again: no search text, all statuses, cities and batches."""
        for combo in (self.status_combo, self.city_combo, self.batch_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.proxy.text = ""
        self._apply_filters()
        self.view.setFocus()

    def _update_empty_hint(self) -> None:
        empty = self.model.rowCount() > 0 and self.proxy.rowCount() == 0
        if empty:
            text = self.proxy.text
            self.empty_label.setText(
                self.tr("没有符合“%1”的申报。").replace("%1", text)
                if text
                else self.tr("没有符合筛选条件的申报。")
            )
        self.empty_hint.setVisible(empty)
        self.view.setVisible(not empty)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.currentApplicationChanged.emit(
            int(self.proxy.index(current.row(), 0).data(APP_ID_ROLE)) if current.isValid() else None
        )

    # -- filters --------------------------------------------------------------------------------

    def _set_text(self, text: str) -> None:
        self.proxy.text = text.strip()
        self._apply_filters()

    def _apply_filters(self) -> None:
        keep = self.current_application()
        self.proxy.status = self.status_combo.currentData()
        self.proxy.city = self.city_combo.currentData()
        self.proxy.batch = self.batch_combo.currentData()
        self.proxy.invalidate()
        self._update_empty_hint()
        self.countsChanged.emit()
        # The open application stays open while it is still listed; only when the filter hides it
        # does the first listed one open.
        if keep is not None and self.select_application(keep):
            return
        if not self.view.currentIndex().isValid():
            self.select_row(0)
