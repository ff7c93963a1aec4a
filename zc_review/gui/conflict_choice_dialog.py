"""选定计入的意见表: the clerk chooses which of an expert's conflicting opinions counts.

When one expert's signed opinions on one application are not one revision chain (two
different files of one revision, a forked chain), intake makes them a conflict and the
application is 冲突. The dialog lists the group's files (signing time, revision, SHA-256
prefix, what each supersedes) and asks for the file that counts, the reason and the
经办人. It records the choice through :func:`zc_review.office.records.choose_conflict_file`
(or removes it: 撤销选定), which the audit log keeps under the 经办人's name, and emits
``changed`` so the office window decides and collates again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zc_review.core.intake_result import Conflict
from zc_review.errors import UserError
from zc_review.i18n import local_minute_zoned, pick
from zc_review.office import records
from zc_review.reports.collation_workbook import source_name
from zc_review.store.store import Store

COL_FILE, COL_REVISION, COL_SIGNED, COL_SHA, COL_SUPERSEDES, COL_STATE = range(6)


class ConflictChoiceDialog(QDialog):
    """The files of one conflict: choose the one that counts (reason and 经办人 required), or undo a choice."""

    changed = Signal()

    def __init__(
        self,
        store: Store,
        batch_id: str,
        conflict: Conflict,
        community: str,
        default_by: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.batch_id = batch_id
        self.conflict = conflict
        self.setWindowTitle(self.tr("选定计入的意见表"))

        intro = QLabel(
            self.tr(
                "“%1”：%2。无法确定以哪一份为准：在经办人选定之前，这些意见表均不计入，"
                "该申报为“冲突”，不拟定结论、不排名。请向专家核实后，选定计入的一份并填写理由（记入审计日志）。"
            )
            .replace("%1", community)
            .replace("%2", pick(conflict.why_zh, conflict.why_en))
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(conflict.files), 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("文件"),
                self.tr("版次"),
                self.tr("签署时间"),
                self.tr("SHA-256"),
                self.tr("声明取代"),
                self.tr("状态"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for c in range(self.table.columnCount() - 1):  # a few short columns: always wide enough
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        chosen = conflict.chosen
        for r, f in enumerate(conflict.files):
            supersedes = (
                self.tr("第 %1 版（%2…）")
                .replace("%1", str(f.supersedes_revision))
                .replace("%2", f.supersedes_sha256[:12])
                if f.supersedes_sha256
                else "—"
            )
            state = self.tr("选定计入") if f is chosen else ("" if chosen is None else self.tr("不计入"))
            values = (
                source_name(f.source),
                str(f.revision),
                local_minute_zoned(f.signed_at) if f.signed_at is not None else "—",
                f.sha_prefix + "…",
                supersedes,
                state,
            )
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == COL_FILE:
                    item.setToolTip(f.source)
                elif c == COL_SHA:
                    item.setToolTip(f.pdf_sha256)
                self.table.setItem(r, c, item)
        self.table.itemSelectionChanged.connect(self._update)

        self.stale_label = QLabel()
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet("color: #b71c1c;")
        if conflict.stale_choice is not None:
            self.stale_label.setText(pick(conflict.stale_zh, conflict.stale_en))
        self.stale_label.setVisible(conflict.stale_choice is not None)

        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("必须填写理由，例如：经电话向专家核实，以此份为准。"))
        self.reason.setFixedHeight(64)
        self.reason.setTabChangesFocus(True)
        if conflict.choice is not None:
            self.reason.setPlainText(conflict.choice.reason)
        self.by = QLineEdit(default_by)
        self.by.setPlaceholderText(self.tr("选定和撤销都记入审计日志"))
        self.reason.textChanged.connect(self._update)
        self.by.textChanged.connect(self._update)
        form = QFormLayout()
        form.addRow(self.tr("理由(&R)："), self.reason)
        form.addRow(self.tr("经办人(&B)："), self.by)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.choose_button = QPushButton(self.tr("以所选文件为准(&O)"))
        self.choose_button.setDefault(True)
        self.clear_button = QPushButton(self.tr("撤销选定(&U)"))
        self.buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.choose_button.clicked.connect(self.choose)
        self.clear_button.clicked.connect(self.clear)
        self.buttons.rejected.connect(self.reject)
        self.clear_button.setVisible(conflict.choice is not None)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.stale_label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(860, 420)
        if chosen is not None:
            self.table.selectRow(conflict.files.index(chosen))
        self._update()

    def selected_sha256(self) -> str | None:
        """The full SHA-256 of the selected file, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.conflict.files):
            return None
        return self.conflict.files[rows[0].row()].pdf_sha256

    def _update(self) -> None:
        ready = (
            self.selected_sha256() is not None
            and bool(self.reason.toPlainText().strip())
            and bool(self.by.text().strip())
        )
        self.choose_button.setEnabled(ready)
        self.clear_button.setEnabled(bool(self.by.text().strip()))

    def choose(self) -> None:
        """Record the selected file as the one that counts, then close."""
        sha = self.selected_sha256()
        if sha is None or not self.choose_button.isEnabled():
            return
        c = self.conflict
        try:
            records.choose_conflict_file(
                self.store,
                self.batch_id,
                c.application_key,
                c.expert,
                sha,
                self.reason.toPlainText(),
                self.by.text(),
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("选定计入的意见表"), str(exc))
            return
        self.changed.emit()
        self.accept()

    def clear(self) -> None:
        """Remove the recorded choice (the conflict is open again), then close."""
        c = self.conflict
        try:
            records.clear_conflict_choice(
                self.store, self.batch_id, c.application_key, c.expert, self.by.text()
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("选定计入的意见表"), str(exc))
            return
        self.changed.emit()
        self.accept()
