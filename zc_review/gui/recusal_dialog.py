"""回避登记: the office records that an expert recused from an application of a batch.

An expert who recused tells the office on paper or by phone and signs no opinion for
that application. The dialog lists the recusals recorded for the batch and adds or
removes one through :mod:`zc_review.office.records` (each change is in the audit log
under the name in 经办人). ``changed`` tells the office window to collate again (and to
remember the 经办人 for next time, as the override panel does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zc_review.core.intake_result import normalize_name
from zc_review.errors import UserError
from zc_review.i18n import local_minute
from zc_review.office import records
from zc_review.store.store import Store

COL_COMMUNITY, COL_EXPERT, COL_BY, COL_AT, COL_REASON = range(5)


class RecusalDialog(QDialog):
    """The recusals of one batch: the table, add one, remove the selected one."""

    changed = Signal()

    def __init__(
        self,
        store: Store,
        batch_id: str,
        applications: Mapping[str, str],
        experts: Sequence[str] = (),
        roster: Sequence[str] | None = None,
        default_by: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """``applications`` maps key -> community name; ``experts`` are offered as names;
        with a ``roster``, only its names can be recorded."""
        super().__init__(parent)
        self.store = store
        self.batch_id = batch_id
        self.applications = dict(applications)
        self.roster = [normalize_name(n) for n in roster] if roster is not None else None
        self.shown: list[records.Recusal] = []
        self.setWindowTitle(self.tr("回避登记"))

        intro = QLabel(
            self.tr(
                "批次 %1。专家以书面或电话方式告知回避的，在此登记：其对该申报的意见表不计入汇总，"
                "名单中显示为“已回避”。"
            ).replace("%1", batch_id)
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("众创社区"),
                self.tr("专家"),
                self.tr("经办人"),
                self.tr("登记时间"),
                self.tr("回避理由"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update)
        self.empty_label = QLabel(self.tr("本批次尚未登记回避。"))
        self.empty_label.setStyleSheet("color: #57606a;")
        self.remove_button = QPushButton(self.tr("删除所选登记(&R)"))
        self.remove_button.clicked.connect(self.remove_selected)

        self.application = QComboBox()
        self.application.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        names = sorted(self.applications.items(), key=lambda kv: (kv[1], kv[0]))
        duplicated = {n for _k, n in names if sum(1 for _x, m in names if m == n) > 1}
        for key, name in names:
            self.application.addItem(f"{name}（{key}）" if name in duplicated or name == key else name, key)
            self.application.setItemData(self.application.count() - 1, key, Qt.ItemDataRole.ToolTipRole)
        self.application.setCurrentIndex(-1)
        self.expert = QComboBox()
        self.expert.setEditable(True)
        self.expert.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.expert.addItems(sorted({normalize_name(n) for n in experts if n.strip()}))
        self.expert.setCurrentIndex(-1)
        edit = self.expert.lineEdit()
        assert edit is not None
        edit.setPlaceholderText(self.tr("专家姓名"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("可不填，例如：与申报单位存在任职关系"))
        self.reason.setMaxLength(records.MAX_REASON)
        self.by = QLineEdit(default_by)
        self.by.setPlaceholderText(self.tr("登记和删除都记入审计日志"))
        self.add_button = QPushButton(self.tr("登记回避(&S)"))
        self.add_button.clicked.connect(self.add_recusal)
        for signal in (
            self.application.currentIndexChanged,
            self.expert.currentTextChanged,
            self.by.textChanged,
        ):
            signal.connect(self._update)

        form = QFormLayout()
        form.addRow(self.tr("申报(&A)："), self.application)
        form.addRow(self.tr("专家(&E)："), self.expert)
        form.addRow(self.tr("回避理由(&N)："), self.reason)
        add_box = QGroupBox(self.tr("新增回避登记"))
        add_layout = QVBoxLayout(add_box)
        add_layout.addLayout(form)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        add_layout.addLayout(add_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        by_label = QLabel(self.tr("经办人(&B)："))
        by_label.setBuddy(self.by)
        bottom = QHBoxLayout()
        bottom.addWidget(by_label)
        bottom.addWidget(self.by, 1)
        bottom.addSpacing(24)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        table_row = QHBoxLayout()
        table_row.addWidget(self.empty_label)
        table_row.addStretch(1)
        table_row.addWidget(self.remove_button)
        layout.addLayout(table_row)
        layout.addWidget(add_box)
        layout.addLayout(bottom)
        self.resize(760, 520)
        self.refresh()

    # ----- showing ----------------------------------------------------------------------------------

    def community(self, key: str) -> str:
        return self.applications.get(key, key)

    def refresh(self) -> None:
        """Show the recusals recorded for the batch now."""
        self.shown = records.recusals(self.store, self.batch_id)
        self.table.setRowCount(len(self.shown))
        for r, rec in enumerate(self.shown):
            when = local_minute(rec.recorded_at)
            reason = " ".join(rec.reason.split())
            for c, text in enumerate(
                (self.community(rec.application_key), rec.expert, rec.recorded_by, when, reason)
            ):
                item = QTableWidgetItem(text)
                if c == COL_COMMUNITY:
                    item.setToolTip(rec.application_key)
                elif c == COL_REASON and rec.reason:
                    item.setToolTip(rec.reason)
                self.table.setItem(r, c, item)
        for c in range(self.table.columnCount() - 1):  # the reason stretches; its tooltip has it whole
            self.table.resizeColumnToContents(c)
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 280))
        self.empty_label.setVisible(not self.shown)
        self._update()

    def selected(self) -> records.Recusal | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def _update(self) -> None:
        by = bool(self.by.text().strip())
        self.remove_button.setEnabled(by and self.selected() is not None)
        self.add_button.setEnabled(
            by and self.application.currentIndex() >= 0 and bool(self.expert.currentText().strip())
        )

    # ----- changing ---------------------------------------------------------------------------------

    def add_recusal(self) -> None:
        """Record the recusal the fields describe (again: its reason is updated)."""
        if not self.add_button.isEnabled():
            return
        key = str(self.application.currentData())
        expert = normalize_name(self.expert.currentText())
        if self.roster is not None and expert not in self.roster:
            QMessageBox.warning(
                self,
                self.tr("回避登记"),
                self.tr("专家“%1”不在本批次的专家名单中，请从列表中选择。").replace("%1", expert),
            )
            return
        by = self._by()
        try:
            records.record_recusal(self.store, self.batch_id, key, expert, self.reason.text(), by)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("回避登记"), str(exc))
            return
        self.reason.clear()
        self.expert.setCurrentIndex(-1)
        self.expert.setEditText("")
        self.refresh()
        self._select(key, expert)
        self.changed.emit()

    def remove_selected(self) -> None:
        """Remove the selected recusal, after asking (the expert's opinion is expected again)."""
        rec = self.selected()
        if rec is None or not self.remove_button.isEnabled():
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除回避登记"),
            self.tr("删除专家“%1”对“%2”的回避登记？其意见表将重新计入汇总。")
            .replace("%1", rec.expert)
            .replace("%2", self.community(rec.application_key)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        records.clear_recusal(self.store, self.batch_id, rec.application_key, rec.expert, self._by())
        self.refresh()
        self.changed.emit()

    def _by(self) -> str:
        return self.by.text().strip()

    def _select(self, key: str, expert: str) -> None:
        for r, rec in enumerate(self.shown):
            if rec.application_key == key and rec.expert == expert:
                self.table.selectRow(r)
                return
