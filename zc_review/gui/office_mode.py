"""办公室汇总: the office's window for collating a batch of signed review opinions.

Staff add signed opinion PDFs, folders or zips of them (buttons or drag and drop);
汇总 verifies and reads every file on a worker (:func:`zc_review.office.intake.intake`
through :func:`zc_review.gui.tasks.run_task`, cancellable) and collates what was
accepted. The tabs show the ranked summary, each expert's scores, what was not counted
and why, and the roster. A conclusion can be overridden with a required reason; the
override is kept in the office's store (:func:`zc_review.office.collate.set_override`)
and shows as the final conclusion. 回避登记… records the experts who recused (they sign
nothing): the opinions are decided again and collated at once. An application whose
expert sent opinions that are not one revision chain shows 冲突 (amber, no conclusion,
not ranked); 选定计入的意见表… (button, context menu, or the 文件 menu) lists the conflict's
files and records the clerk's choice with a reason (:mod:`zc_review.gui.conflict_choice_dialog`),
and the opinions are decided and collated again. 汇总规则… sets the batch's
collation rules, stored and audited in the office records (:func:`records.save_rules`,
with the 经办人 of the override panel). The collation itself is
:func:`zc_review.office.pipeline.run_collation`, the one ``zc-review collate`` runs, so
both give the same result. The results export as the collated workbook and the summary report,
unsigned or (导出并签章汇总报告…) signed by the office CA, whose folder is remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from cryptography import x509
from PySide6.QtCore import QCoreApplication, QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from zc_review.core.collation import CONFLICT, AppResult
from zc_review.core.collation_rules import CollationRules
from zc_review.core.intake_result import Conflict
from zc_review.core.rubric import Rubric
from zc_review.errors import UserError
from zc_review.gui.collation_rules_dialog import CollationRulesDialog, adopt_legacy_rules
from zc_review.gui.conflict_choice_dialog import ConflictChoiceDialog
from zc_review.gui.opinion_flow import ask_checked_password
from zc_review.gui.recusal_dialog import RecusalDialog
from zc_review.gui.tasks import CancelledFn, ReportFn, TaskCancelled, TaskHandle, run_task
from zc_review.i18n import language, pick
from zc_review.office import intake as intake_mod
from zc_review.office import ledger, records
from zc_review.office.pipeline import OfficeResult, collate_intake, recollate, run_collation
from zc_review.reports import collation_workbook as wbtext
from zc_review.reports.collation_workbook import write_workbook
from zc_review.reports.summary_pdf import write_summary_pdf
from zc_review.signing.ca import CA_CERT_NAME, CA_KEY_NAME, OfficeCA, common_name
from zc_review.signing.credentials import office_ca_certs, trust_office_ca
from zc_review.signing.office_signature import open_office_ca
from zc_review.store import models as m
from zc_review.store.store import Store

LAST_DIR_KEY = "office/last_dir"
EXPORT_DIR_KEY = "office/export_dir"
CA_DIR_KEY = "office/ca_dir"  # the office CA that signs the summary report
BY_KEY = "office/by"
PREFERRED_SIZE = QSize(1360, 820)
# Title bar and borders, until the window manager says (after the first show).
FRAME_ALLOWANCE = QSize(16, 48)
ACCEPTED_SUFFIXES = (".pdf", ".zip")

TAB_SUMMARY, TAB_EXPERTS, TAB_EXCLUDED, TAB_ROSTER = range(4)

_FAIL_BG = QColor("#f8d7d7")
_FLAG_BG = QColor("#fce8c8")
_OVERRIDE_BG = QColor("#e3f0e0")
_UNREVIEWED_BG = QColor("#e8e8e8")  # grey: no panel result yet, neither good nor bad
_CONFLICT_BG = QColor("#ffe8a8")  # amber: 冲突, a clerk must choose the file that counts
_MUTED_FG = QColor("#57606a")


__all__ = ["OfficeResult", "OfficeWindow", "OverridePanel", "open_office_window"]  # OfficeResult: pipeline's


def _num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class _Table(QTableWidget):
    """A read-only, sortable-free table whose rows are filled from lists of strings."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        # Long names and reasons wrap in their (capped) column, so nothing ends in "…".
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())

    def fill(self, rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> None:
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                if c in numeric:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
        for c in range(self.columnCount() - 1):  # long names must not push everything off screen
            self.setColumnWidth(c, min(self.columnWidth(c), 320))
        self.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resizeRowsToContents()  # the last column stretches: its wrapped lines change

    def paint_row(self, r: int, columns: Sequence[int], background: QColor) -> None:
        for c in columns:
            item = self.item(r, c)
            if item is not None:
                item.setBackground(background)


class OverridePanel(QGroupBox):
    """Change the selected application's conclusion, with a required reason."""

    overrideRequested = Signal(str, str, str)  # conclusion key, reason, by
    clearRequested = Signal(str)  # by

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("调整结论"), parent)
        self.settings = settings
        self.target = QLabel(self.tr("请在上表中选择一个申报。"))
        self.target.setWordWrap(True)
        self.proposed = QLabel("—")
        self.conclusion = QComboBox()
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("必须填写调整理由，例如专家组会议讨论的结论。"))
        self.reason.setFixedHeight(64)
        self.reason.setTabChangesFocus(True)
        # The name typed last time; never the computer's login name ("root", "admin"...), which
        # would go into the audit log as if a person had given it.
        self.by = QLineEdit(str(settings.value(BY_KEY, "", type=str) or ""))
        self.by.setPlaceholderText(self.tr("请填写经办人姓名"))
        self.apply_button = QPushButton(self.tr("确认调整(&O)"))
        self.apply_button.clicked.connect(self._apply)
        self.clear_button = QPushButton(self.tr("恢复拟定结论"))
        self.clear_button.clicked.connect(self._clear)
        self.reason.textChanged.connect(self._update)
        self.by.textChanged.connect(self._update)
        self.conclusion.currentIndexChanged.connect(self._update)
        form = QFormLayout()
        form.addRow(self.tr("申报："), self.target)
        form.addRow(self.tr("拟定结论："), self.proposed)
        form.addRow(self.tr("最终结论(&C)："), self.conclusion)
        form.addRow(self.tr("调整理由(&R)："), self.reason)
        form.addRow(self.tr("经办人(&B)："), self.by)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.clear_button)
        row.addWidget(self.apply_button)
        layout.addLayout(row)
        self.set_application(None, None)

    def set_application(self, app: AppResult | None, rubric: Rubric | None) -> None:
        """Show ``app`` (an AppResult) for adjusting, or nothing."""
        self.app = app
        self.conclusion.blockSignals(True)
        self.conclusion.clear()
        if app is not None and rubric is not None:
            for rec in rubric.recommendations:
                self.conclusion.addItem(rec.label, rec.key)
            index = self.conclusion.findData(app.final.key) if app.final is not None else -1
            self.conclusion.setCurrentIndex(max(index, 0))
            self.target.setText(app.community_name)
            self.proposed.setText(wbtext.conclusion_label(app.proposed) or app.status_label() or "—")
            self.reason.setPlainText(app.override.reason if app.override is not None else "")
        else:
            self.target.setText(self.tr("请在上表中选择一个申报。"))
            self.proposed.setText("—")
            self.reason.clear()
        self.conclusion.blockSignals(False)
        self.setEnabled(app is not None)
        self._update()

    def _update(self) -> None:
        ready = (
            self.app is not None
            and self.conclusion.currentIndex() >= 0
            and bool(self.reason.toPlainText().strip())
            and bool(self.by.text().strip())
        )
        self.apply_button.setEnabled(ready)
        self.clear_button.setEnabled(self.app is not None and self.app.override is not None)

    def _apply(self) -> None:
        if not self.apply_button.isEnabled():
            return
        by = self.by.text().strip()
        self.settings.setValue(BY_KEY, by)
        self.overrideRequested.emit(str(self.conclusion.currentData()), self.reason.toPlainText().strip(), by)

    def _clear(self) -> None:
        if self.app is not None and self.app.override is not None:
            self.clearRequested.emit(self.by.text().strip())


class OfficeWindow(QMainWindow):
    """办公室汇总: add signed opinions, collate, review, override, export."""

    closed = Signal()

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        batch_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.batch_id = batch_id
        self.rules = self._batch_rules(batch_id)
        self.inputs: list[Path] = []
        self.result: OfficeResult | None = None
        self.task: TaskHandle[Any] | None = None
        self.setWindowTitle(self.tr("办公室汇总"))
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

        # Inputs: the files and folders to collate.
        self.input_list = QListWidget()
        self.input_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.input_list.setToolTip(self.tr("可将意见表 PDF、文件夹或压缩包拖放到此窗口"))
        self.add_files_button = QPushButton(self.tr("添加文件(&A)…"))
        self.add_folder_button = QPushButton(self.tr("添加文件夹(&D)…"))
        self.remove_button = QPushButton(self.tr("移除所选"))
        self.clear_button = QPushButton(self.tr("清空"))
        self.trust_button = QPushButton(self.tr("信任办公室证书(&T)…"))
        self.run_button = QPushButton(self.tr("开始汇总(&G)"))
        self.run_button.setDefault(True)
        self.add_files_button.clicked.connect(self.add_files)
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button.clicked.connect(self.clear_inputs)
        self.trust_button.clicked.connect(self.trust_certificate)
        self.run_button.clicked.connect(self.run_collation)
        self.trust_label = QLabel()
        self.trust_label.setWordWrap(True)
        left = QWidget()
        llayout = QVBoxLayout(left)
        llayout.setContentsMargins(0, 0, 4, 0)
        llayout.addWidget(QLabel(self.tr("待汇总的意见表（PDF、文件夹或压缩包）：")))
        llayout.addWidget(self.input_list, 1)
        for row_buttons in (
            (self.add_files_button, self.add_folder_button),
            (self.remove_button, self.clear_button),
        ):
            row = QHBoxLayout()
            for b in row_buttons:
                row.addWidget(b)
            llayout.addLayout(row)
        llayout.addWidget(self.trust_label)
        llayout.addWidget(self.trust_button)
        llayout.addWidget(self.run_button)

        # Results.
        self.summary_table = _Table(
            [
                self.tr("排名"),
                self.tr("众创社区"),
                self.tr("有效评审数"),
                self.tr("平均分"),
                self.tr("中位数"),
                self.tr("去极值平均分"),
                self.tr("标准差"),
                self.tr("硬指标不达标"),
                self.tr("建议分布"),
                self.tr("拟定结论"),
                self.tr("最终结论"),
            ]
        )
        self.summary_table.itemSelectionChanged.connect(self._selection_changed)
        self.summary_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.summary_table.customContextMenuRequested.connect(self._summary_menu)
        self.override_panel = OverridePanel(settings)
        self.override_panel.overrideRequested.connect(self.apply_override)
        self.override_panel.clearRequested.connect(self.clear_override)
        self.conflict_label = QLabel()
        self.conflict_label.setWordWrap(True)
        self.conflict_button = QPushButton(self.tr("选定计入的意见表(&K)…"))
        self.conflict_button.clicked.connect(lambda _checked=False: self.choose_conflict_file())
        conflict_row = QHBoxLayout()
        conflict_row.setContentsMargins(0, 0, 0, 0)
        conflict_row.addWidget(self.conflict_label, 1)
        conflict_row.addWidget(self.conflict_button)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.summary_table, 1)
        table_layout.addLayout(conflict_row)
        summary_page = QSplitter(Qt.Orientation.Vertical)
        summary_page.addWidget(table_box)
        summary_page.addWidget(self.override_panel)
        summary_page.setStretchFactor(0, 3)
        summary_page.setStretchFactor(1, 1)
        self.expert_table = _Table(
            [
                self.tr("排名"),
                self.tr("众创社区"),
                self.tr("专家"),
                self.tr("总分"),
                self.tr("与中位数之差"),
                self.tr("偏差较大"),
            ]
        )
        self.excluded_table = _Table(
            [
                self.tr("类别"),
                self.tr("文件"),
                self.tr("专家"),
                self.tr("众创社区"),
                self.tr("原因"),
            ]
        )
        self.roster_table = _Table(
            [
                self.tr("专家"),
                self.tr("众创社区"),
                self.tr("申报编号"),
                self.tr("状态"),
            ]
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(summary_page, self.tr("汇总"))
        self.tabs.addTab(self.expert_table, self.tr("专家明细"))
        self.tabs.addTab(self.excluded_table, self.tr("排除与重复"))
        self.tabs.addTab(self.roster_table, self.tr("名单"))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1000])
        self.setCentralWidget(splitter)
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.statusBar().addPermanentWidget(self.counts_label)

        self._build_menus()
        self._update_trust()
        self._update_actions()
        self._placed = False
        self.place_on_screen()

    def _remember_clerk(self, name: str) -> None:
        """The 经办人 typed in a dialog: remembered, and shown in the panel when it has none yet."""
        name = name.strip()
        if not name:
            return
        self.settings.setValue(BY_KEY, name)
        if not self.override_panel.by.text().strip():
            self.override_panel.by.setText(name)

    # ----- placement -------------------------------------------------------------------------------

    def _available(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)

    def place_on_screen(self, frame: QSize = FRAME_ALLOWANCE) -> None:
        """Centre the window on its screen's available area, no larger than fits (frame included).

        It opened at a fixed 1360×820 in the corner, past the bottom of a 768-pixel screen.
        """
        self.setGeometry(window_rect(self._available(), PREFERRED_SIZE, frame))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._placed:
            self._placed = True
            # Once shown the frame is known: place again with the real one if it does not fit.
            QTimer.singleShot(0, self._fit_frame)

    def _fit_frame(self) -> None:
        frame = self.frameGeometry()
        if self._available().contains(frame):
            return
        margins = QSize(frame.width() - self.width(), frame.height() - self.height())
        self.place_on_screen(margins.expandedTo(QSize(0, 0)))

    # ----- menus ------------------------------------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: str | QKeySequence.StandardKey | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        file_menu.addAction(
            self._action(
                self.tr("添加意见表…(&A)"),
                self.add_files,
                QKeySequence.StandardKey.Open,
            )
        )
        file_menu.addAction(self._action(self.tr("添加文件夹…(&D)"), self.add_folder))
        file_menu.addAction(self._action(self.tr("信任办公室证书…(&T)"), self.trust_certificate))
        file_menu.addAction(self._action(self.tr("汇总规则…(&R)"), self.edit_rules))
        self.recusal_action = self._action(self.tr("回避登记…(&H)"), self.edit_recusals)
        file_menu.addAction(self.recusal_action)
        self.conflict_action = self._action(self.tr("选定计入的意见表…(&K)"), self.choose_conflict_file)
        file_menu.addAction(self.conflict_action)
        file_menu.addSeparator()
        self.run_action = self._action(self.tr("开始汇总(&G)"), self.run_collation, "F9")
        file_menu.addAction(self.run_action)
        file_menu.addSeparator()
        self.export_xlsx_action = self._action(
            self.tr("导出汇总表…(&X)"),
            self.export_workbook,
            "Ctrl+Shift+X",
        )
        self.export_pdf_action = self._action(self.tr("导出汇总报告…(&P)"), self.export_pdf, "Ctrl+Shift+P")
        self.export_signed_pdf_action = self._action(
            self.tr("导出并签章汇总报告…(&S)"), self.export_signed_pdf, "Ctrl+Shift+S"
        )
        file_menu.addAction(self.export_xlsx_action)
        file_menu.addAction(self.export_pdf_action)
        file_menu.addAction(self.export_signed_pdf_action)
        file_menu.addAction(self._action(self.tr("签章用的证书机构文件夹…(&O)"), self.choose_office_ca_dir))
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                self.tr("关闭(&C)"),
                self.close,
                QKeySequence.StandardKey.Close,
            )
        )
        view_menu = bar.addMenu(self.tr("视图(&V)"))
        for i, name in enumerate(
            (
                self.tr("汇总"),
                self.tr("专家明细"),
                self.tr("排除与重复"),
                self.tr("名单"),
            )
        ):
            view_menu.addAction(self._action(name, partial(self.tabs.setCurrentIndex, i), f"Alt+{i + 1}"))

    # ----- inputs -----------------------------------------------------------------------------------

    def _start_dir(self, key: str) -> str:
        last = str(self.settings.value(key, "", type=str) or "")
        return last if last and Path(last).is_dir() else str(Path.home())

    def add_files(self) -> None:
        """Ask for signed opinion PDFs or zips of them."""
        names, _selected = QFileDialog.getOpenFileNames(
            self,
            self.tr("选择签署的意见表"),
            self._start_dir(LAST_DIR_KEY),
            self.tr("意见表或压缩包 (*.pdf *.zip)"),
        )
        self.add_paths([Path(n) for n in names])

    def add_folder(self) -> None:
        """Ask for a folder of signed opinions (searched with its subfolders)."""
        name = QFileDialog.getExistingDirectory(
            self,
            self.tr("选择意见表所在的文件夹"),
            self._start_dir(LAST_DIR_KEY),
        )
        if name:
            self.add_paths([Path(name)])

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Add files or folders to the inputs (each once)."""
        added = False
        for p in paths:
            if p in self.inputs:
                continue
            self.inputs.append(p)
            icon = QStyle.StandardPixmap.SP_DirIcon if p.is_dir() else QStyle.StandardPixmap.SP_FileIcon
            item = QListWidgetItem(self.style().standardIcon(icon), p.name)
            item.setToolTip(str(p))
            item.setData(Qt.ItemDataRole.UserRole, str(p))
            self.input_list.addItem(item)
            added = True
        if paths:
            self.settings.setValue(LAST_DIR_KEY, str(paths[0] if paths[0].is_dir() else paths[0].parent))
        if added:
            self._update_actions()

    def remove_selected(self) -> None:
        for item in self.input_list.selectedItems():
            path = Path(item.data(Qt.ItemDataRole.UserRole))
            if path in self.inputs:
                self.inputs.remove(path)
            self.input_list.takeItem(self.input_list.row(item))
        self._update_actions()

    def clear_inputs(self) -> None:
        self.inputs.clear()
        self.input_list.clear()
        self._update_actions()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if any(_droppable(Path(u.toLocalFile())) for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()]
        paths = [p for p in paths if _droppable(p)]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    # ----- trust ------------------------------------------------------------------------------------

    def trust_roots(self) -> list[x509.Certificate]:
        return office_ca_certs(self.store.data_dir)

    def trust_certificate(self) -> None:
        """Trust an office CA certificate file on this machine (its signers' opinions then verify)."""
        name, _selected = QFileDialog.getOpenFileName(
            self,
            self.tr("选择办公室证书"),
            self._start_dir(LAST_DIR_KEY),
            self.tr("证书 (*.pem *.crt *.cer *.der);;所有文件 (*)"),
        )
        if not name:
            return
        try:
            trust_office_ca(self.store.data_dir, Path(name))
        except UserError as exc:
            QMessageBox.warning(self, self.tr("信任办公室证书"), str(exc))
            return
        self._update_trust()

    def _update_trust(self) -> None:
        n = len(self.trust_roots())
        if n:
            self.trust_label.setText(self.tr("已信任 %1 个办公室证书。").replace("%1", str(n)))
            self.trust_label.setStyleSheet("")
        else:
            self.trust_label.setText(
                QCoreApplication.translate(
                    "OfficeWindow", "尚未信任任何办公室证书：所有意见表都将无法通过验证。"
                )
            )
            self.trust_label.setStyleSheet("color: #b71c1c;")

    # ----- collation --------------------------------------------------------------------------------

    def run_collation(self) -> TaskHandle[Any] | None:
        """Verify and read every input on a worker, then collate (汇总)."""
        if not self.inputs or (self.task is not None and self.task.is_running()):
            return None
        inputs = list(self.inputs)
        roots = self.trust_roots()
        store, batch_id = self.store, self.batch_id

        def work(report: ReportFn, cancelled: CancelledFn) -> OfficeResult:
            # The batch's stored rules: the same collation as zc-review collate.
            try:
                return run_collation(store, inputs, roots, batch_id, progress=report, cancelled=cancelled)
            except intake_mod.IntakeCancelled:
                raise TaskCancelled() from None

        self.task = run_task(self, self.tr("正在验证并汇总意见表"), work, self._show_result)
        self._update_actions()
        self.task.finished.connect(self._update_actions)
        return self.task

    def _batch_rules(self, batch: str | None) -> CollationRules:
        """The rules stored for ``batch`` (moving an older version's QSettings entry in, once)."""
        if batch:
            adopt_legacy_rules(self.store, self.settings, batch)
        return records.load_rules(self.store, batch)

    def edit_rules(self) -> None:
        """Set this batch's collation rules (stored, audited); collate again with them."""
        batch = self.current_batch() or self._choose_batch(self.tr("汇总规则"))
        if batch is None:
            return
        dialog = CollationRulesDialog(batch, self._batch_rules(batch), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        by = self.override_panel.by.text().strip()
        try:
            rules = dialog.rules()
            records.save_rules(self.store, batch, rules, by)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("汇总规则"), str(exc))
            return
        self.settings.setValue(BY_KEY, by)
        self.batch_id = batch
        self.rules = rules
        self._apply_rules()

    def _apply_rules(self) -> None:
        result = self.result
        if result is None or result.collation is None or result.collation.batch_id != self.batch_id:
            return
        selected = self.selected_application()
        self.result = recollate(self.store, result, self.rules)
        self._fill()
        if selected is not None:
            self._select_application(selected.application_key)

    # ----- recusals ---------------------------------------------------------------------------------

    def current_batch(self) -> str | None:
        """The batch collated (or given when the window opened), if any."""
        result = self.result
        if result is not None and result.intake.batch is not None and result.intake.batch.batch_id:
            return result.intake.batch.batch_id
        return self.batch_id

    def edit_recusals(self) -> RecusalDialog | None:
        """回避登记…: the recusals of the current batch (chosen among the store's when none is yet)."""
        batch = self.current_batch() or self._choose_batch()
        if batch is None:
            return None
        experts, roster = self._experts_of(batch)
        dialog = RecusalDialog(
            self.store,
            batch,
            self._applications_of(batch),
            experts,
            roster,
            self.override_panel.by.text().strip(),
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.changed.connect(partial(self._recusals_changed, batch, dialog))
        dialog.open()
        return dialog

    def _choose_batch(self, title: str | None = None) -> str | None:
        title = title or self.tr("回避登记")
        with self.store.read() as s:
            batches = [(b.id, b.name) for b in s.scalars(select(m.Batch).order_by(m.Batch.id))]
        if not batches:
            QMessageBox.information(
                self,
                title,
                self.tr("尚不知道是哪个批次：请先汇总该批次的意见表，或导入该批次的封装包。"),
            )
            return None
        if len(batches) == 1:
            return batches[0][0]
        labels = [f"{bid}  {name}" for bid, name in batches]
        chosen, ok = QInputDialog.getItem(self, title, self.tr("哪个批次："), labels, 0, False)
        return batches[labels.index(chosen)][0] if ok and chosen in labels else None

    def _applications_of(self, batch: str) -> dict[str, str]:
        """Key -> community name of the batch's applications this store or the collation knows."""
        names = records.application_names(self.store, batch)
        result = self.result
        if result is not None and result.collation is not None and result.collation.batch_id == batch:
            for app in result.collation.apps:
                if names.get(app.application_key, app.application_key) == app.application_key:
                    names[app.application_key] = app.community_name
        for rec in records.recusals(self.store, batch):
            names.setdefault(rec.application_key, rec.application_key)
        return names

    def _experts_of(self, batch: str) -> tuple[list[str], list[str] | None]:
        """Names to offer (the roster, else every expert the collation saw) and the roster, if any."""
        expected = self.result.intake.batch if self.result is not None else None
        if expected is None or expected.batch_id != batch:
            expected = records.expectation_from_store(self.store, batch)
        roster = list(expected.roster) if expected.roster is not None else None
        names = set(roster or [])
        if self.result is not None and self.current_batch() == batch:
            names |= {row.expert for row in self.result.roster}
            names |= {o.expert_name for o in self.result.intake.accepted}
        return sorted(names), roster

    def _recusals_changed(self, batch: str, dialog: RecusalDialog) -> None:
        """Decide the opinions again with the recusals now recorded, and collate again (no re-verification)."""
        self._remember_clerk(dialog.by.text())
        result = self.result
        expected = result.intake.batch if result is not None else None
        if result is None or expected is None or expected.batch_id != batch:
            return
        recused = frozenset((r.expert, r.application_key) for r in records.recusals(self.store, batch))
        intake = intake_mod.reconsider(result.intake, replace(expected, recused=recused))
        selected = self.selected_application()
        self.result = collate_intake(self.store, intake, self.rules)
        self._fill()
        if selected is not None:
            self._select_application(selected.application_key)
        self.statusBar().showMessage(self.tr("回避登记已更改，已重新汇总。"), 5000)

    def _show_result(self, result: OfficeResult) -> None:
        self.result = result
        if result.collation is not None:
            self.batch_id = result.collation.batch_id
            # The batch is known now: its stored rules applied; an older version's QSettings rules move in.
            self.rules = self._batch_rules(self.batch_id)
            if self.rules != result.collation.rules:
                self.result = recollate(self.store, result, self.rules)
        self._after_result()

    def _after_result(self) -> None:
        result = self.result
        assert result is not None
        self._fill()
        if result.collation is None:
            self.tabs.setCurrentIndex(TAB_EXCLUDED)
            QMessageBox.warning(
                self,
                self.tr("办公室汇总"),
                self.tr(
                    "没有一份意见表可以计入汇总，原因见“排除与重复”。请检查是否已信任办公室证书，以及所选文件是否属于同一批次。"
                ),
            )
        else:
            self.tabs.setCurrentIndex(TAB_SUMMARY)

    def apply_override(self, conclusion: str, reason: str, by: str) -> None:
        """Record the override of the selected application and show it as the final conclusion."""
        app = self.override_panel.app
        result = self.result
        if app is None or result is None or result.collation is None:
            return
        batch = result.collation.batch_id
        try:
            records.set_override(
                self.store, batch, app.application_key, conclusion, reason, by, result.rubric
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("调整结论"), str(exc))
            return
        self._recollate(app)
        self.statusBar().showMessage(
            self.tr("已调整“%1”的结论。").replace("%1", app.community_name),
            5000,
        )

    def clear_override(self, by: str) -> None:
        """Drop the selected application's override: the proposed conclusion applies again."""
        app = self.override_panel.app
        result = self.result
        if app is None or result is None or result.collation is None:
            return
        records.clear_override(self.store, result.collation.batch_id, app.application_key, by)
        self._recollate(app)

    def _recollate(self, app: AppResult) -> None:
        """Collate again with the stored overrides (pure arithmetic: fast, on the GUI thread)."""
        result = self.result
        assert result is not None and result.collation is not None and result.rubric is not None
        self.result = recollate(self.store, result, self.rules)
        self._fill()
        self._select_application(app.application_key)

    # ----- showing ----------------------------------------------------------------------------------

    def _fill(self) -> None:
        result = self.result
        if result is None:
            return
        col, rubric = result.collation, result.rubric
        apps = col.apps if col is not None else []
        rows = []
        for app in apps:
            rows.append(
                [
                    "" if app.rank is None else str(app.rank),
                    app.community_name,
                    str(app.n_reviews),
                    *(
                        _num(v if app.n_reviews else None)
                        for v in (app.mean, app.median, app.trimmed_mean, app.stdev)
                    ),
                    wbtext.failures_text(app),
                    wbtext.recommendations_text(app.recommendations, rubric) if rubric is not None else "",
                    # Not reviewed is not rejected: where a conclusion would be, say why there is none.
                    wbtext.conclusion_label(app.proposed) or app.status_label(),
                    (wbtext.conclusion_label(app.final) or "—")
                    + (self.tr("（已调整）") if app.override is not None else ""),
                ]
            )
        self.summary_table.fill(rows, numeric=(0, 2, 3, 4, 5, 6))
        for r, app in enumerate(apps):
            if app.status == CONFLICT:
                self.summary_table.paint_row(r, (0, 1, 2, 9), _CONFLICT_BG)
                item = self.summary_table.item(r, 9)
                if item is not None:
                    item.setToolTip("\n".join(c.reason for c in app.unresolved))
            elif not app.reviewed:
                self.summary_table.paint_row(r, (2, 9), _UNREVIEWED_BG)
            if any(app.hard_failures.values()):
                self.summary_table.paint_row(r, (7,), _FAIL_BG)
            if app.override is not None:
                self.summary_table.paint_row(r, (10,), _OVERRIDE_BG)
                item = self.summary_table.item(r, 10)
                if item is not None:
                    item.setToolTip(app.override.reason)

        expert_rows: list[list[str]] = []
        flagged: list[int] = []
        for app in apps:
            for e in app.experts:
                if e.flagged:
                    flagged.append(len(expert_rows))
                expert_rows.append(
                    [
                        "" if app.rank is None else str(app.rank),
                        app.community_name,
                        e.expert,
                        _num(e.total),
                        _num(e.deviation),
                        self.tr("是") if e.flagged else "",
                    ]
                )
        self.expert_table.fill(expert_rows, numeric=(0, 3, 4))
        for r in flagged:
            self.expert_table.paint_row(r, (3, 4, 5), _FLAG_BG)

        excluded: list[list[str]] = []
        for rej in result.intake.rejected:
            community = self._community(rej.application_key) if rej.application_key else ""
            excluded.append(
                [
                    self.tr("无效（未计入）"),
                    wbtext.source_name(rej.source),
                    rej.expert or "",
                    community,
                    pick(rej.reason_zh, rej.reason_en),
                ]
            )
        for dup in result.intake.duplicates:
            excluded.append(
                [
                    self.tr("重复"),
                    wbtext.source_name(dup.source),
                    "",
                    "",
                    self.tr("与 %1 相同，只计一次").replace("%1", wbtext.source_name(dup.same_as)),
                ]
            )
        for sup in result.intake.superseded:
            excluded.append(
                [
                    self.tr("被替代的修订"),
                    wbtext.source_name(sup.older_source),
                    sup.expert,
                    self._community(sup.application_key),
                    self.tr("第 %1 版已被第 %2 版（%3）替代")
                    .replace("%1", str(sup.older_revision))
                    .replace("%2", str(sup.newer_revision))
                    .replace("%3", wbtext.source_name(sup.newer_source)),
                ]
            )
        conflict_rows: list[int] = []
        for c in result.intake.conflicts:
            chosen = c.chosen
            for f in c.files:
                if c.choice is None:
                    conflict_rows.append(len(excluded))
                    category = self.tr("意见冲突（待选定）")
                elif f is chosen:
                    category = self.tr("意见冲突（选定计入）")
                else:
                    category = self.tr("意见冲突（未计入）")
                excluded.append(
                    [
                        category,
                        wbtext.source_name(f.source),
                        c.expert,
                        self._community(c.application_key),
                        f"{intake_mod.describe_file(f, language() == 'en')} {c.reason}",
                    ]
                )
        self.excluded_table.fill(excluded)
        for r in range(len(result.intake.rejected)):
            self.excluded_table.paint_row(r, (0,), _FAIL_BG)
        for r in conflict_rows:
            self.excluded_table.paint_row(r, (0,), _CONFLICT_BG)

        roster = sorted(
            result.roster, key=lambda x: (wbtext.status_order(x.status), x.expert, x.application_key)
        )
        self.roster_table.fill(
            [
                [
                    row.expert,
                    self._community(row.application_key),
                    row.application_key,
                    wbtext.status_label(row.status),
                ]
                for row in roster
            ]
        )
        for r, row in enumerate(roster):
            if wbtext.status_order(row.status) <= 1:  # not (validly) submitted: to chase
                self.roster_table.paint_row(r, (3,), _FAIL_BG)

        missing = sum(1 for row in result.roster if wbtext.status_order(row.status) == 0)
        self.counts_label.setText(
            QCoreApplication.translate(
                "OfficeWindow",
                "批次 %1：%2 个申报，计入 %3 份意见表，无效 %4 份，重复 %5 份，被替代 %6 份，尚未提交 %7 份",
            )
            .replace("%1", col.batch_id if col is not None else "—")
            .replace("%2", str(len(apps)))
            .replace("%3", str(len(result.intake.accepted)))
            .replace("%4", str(len(result.intake.rejected)))
            .replace("%5", str(len(result.intake.duplicates)))
            .replace("%6", str(len(result.intake.superseded)))
            .replace("%7", str(missing))
        )
        received, unsealed = ledger.counts(self.store)
        if unsealed:
            self.counts_label.setText(
                self.counts_label.text()
                + self.tr("；收件登记 %1 条（%2 条待签章）")
                .replace("%1", str(received))
                .replace("%2", str(unsealed))
            )
        unresolved = len(result.intake.unresolved)
        if unresolved:
            self.counts_label.setText(
                self.counts_label.text() + self.tr("，意见冲突 %1 处待选定").replace("%1", str(unresolved))
            )
        self.tabs.setTabText(
            TAB_EXCLUDED,
            self.tr("排除与重复 (%1)").replace("%1", str(len(excluded))),
        )
        self._selection_changed()
        self._update_actions()

    def _community(self, key: str) -> str:
        col = self.result.collation if self.result is not None else None
        return wbtext.community_of(col, key) if col is not None else key

    def _select_application(self, key: str) -> None:
        if self.result is None or self.result.collation is None:
            return
        for r, app in enumerate(self.result.collation.apps):
            if app.application_key == key:
                self.summary_table.selectRow(r)
                return

    def selected_application(self) -> AppResult | None:
        """The AppResult of the selected summary row, if any."""
        if self.result is None or self.result.collation is None:
            return None
        rows = self.summary_table.selectionModel().selectedRows()
        if not rows:
            return None
        r = rows[0].row()
        apps = self.result.collation.apps
        return apps[r] if 0 <= r < len(apps) else None

    def _selection_changed(self) -> None:
        app = self.selected_application()
        self.override_panel.set_application(app, self.result.rubric if self.result is not None else None)
        conflicts = app.conflicts if app is not None else ()
        self.conflict_button.setEnabled(bool(conflicts))
        self.conflict_action.setEnabled(bool(conflicts))
        if app is not None and app.unresolved:
            self.conflict_label.setText(
                self.tr(
                    "“%1”为冲突：%2的多份意见表不是一条修订链，待选定计入的一份，之前不拟定结论、不排名。"
                )
                .replace("%1", app.community_name)
                .replace("%2", "、".join(c.expert for c in app.unresolved))
            )
            self.conflict_label.setStyleSheet("color: #8a5a00;")
        elif conflicts:
            self.conflict_label.setText(
                self.tr("“%1”的意见冲突已由经办人选定计入的意见表。").replace(
                    "%1", app.community_name if app else ""
                )
            )
            self.conflict_label.setStyleSheet("")
        else:
            self.conflict_label.setText("")

    def _summary_menu(self, pos: Any) -> None:
        """The summary table's context menu: 选定计入的意见表… on an application with a conflict."""
        row = self.summary_table.rowAt(pos.y())
        if row < 0:
            return
        self.summary_table.selectRow(row)
        app = self.selected_application()
        if app is None or not app.conflicts:
            return
        menu = QMenu(self)
        menu.addAction(self.conflict_action)
        menu.popup(self.summary_table.viewport().mapToGlobal(pos))
        self._menu = menu  # kept for tests

    # ----- conflicts --------------------------------------------------------------------------------

    def choose_conflict_file(self, expert: str | None = None) -> ConflictChoiceDialog | None:
        """选定计入的意见表…: the selected application's conflict (which expert's, asked when several)."""
        app = self.selected_application()
        result = self.result
        if app is None or result is None or result.collation is None or not app.conflicts:
            return None
        conflicts: Sequence[Conflict] = app.conflicts
        if expert is not None:
            conflicts = [c for c in conflicts if c.expert == expert]
        if not conflicts:
            return None
        conflict = conflicts[0]
        if len(conflicts) > 1:
            names = [c.expert for c in conflicts]
            chosen, ok = QInputDialog.getItem(
                self, self.tr("选定计入的意见表"), self.tr("哪位专家的意见表："), names, 0, False
            )
            if not ok or chosen not in names:
                return None
            conflict = conflicts[names.index(chosen)]
        batch = result.collation.batch_id
        dialog = ConflictChoiceDialog(
            self.store, batch, conflict, app.community_name, self.override_panel.by.text().strip(), self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.changed.connect(partial(self._choices_changed, batch, app.application_key, dialog))
        dialog.open()
        return dialog

    def _choices_changed(self, batch: str, key: str, dialog: ConflictChoiceDialog) -> None:
        """Decide the opinions again with the choices now recorded, and collate again (no re-verification)."""
        self._remember_clerk(dialog.by.text())
        result = self.result
        expected = result.intake.batch if result is not None else None
        if result is None or expected is None or expected.batch_id != batch:
            return
        choices = tuple(records.conflict_choices(self.store, batch))
        intake = intake_mod.reconsider(result.intake, replace(expected, choices=choices))
        self.result = collate_intake(self.store, intake, self.rules)
        self._fill()
        self._select_application(key)
        self.statusBar().showMessage(self.tr("意见冲突的选定已更改，已重新汇总。"), 5000)

    def _update_actions(self) -> None:
        busy = self.task is not None and self.task.is_running()
        self.run_button.setEnabled(bool(self.inputs) and not busy)
        self.run_action.setEnabled(bool(self.inputs) and not busy)
        has = self.result is not None and self.result.collation is not None and not busy
        self.export_xlsx_action.setEnabled(has)
        self.export_pdf_action.setEnabled(has)
        self.export_signed_pdf_action.setEnabled(has)
        self.remove_button.setEnabled(bool(self.inputs))
        self.clear_button.setEnabled(bool(self.inputs))

    # ----- export -----------------------------------------------------------------------------------

    def _ask_save(self, title: str, name: str, pattern: str) -> Path | None:
        start = Path(self._start_dir(EXPORT_DIR_KEY)) / name
        chosen, _selected = QFileDialog.getSaveFileName(self, title, str(start), pattern)
        if not chosen:
            return None
        path = Path(chosen)
        suffix = "." + pattern.rsplit("*.", 1)[-1].rstrip(")")
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self.settings.setValue(EXPORT_DIR_KEY, str(path.parent))
        return path

    def export_workbook(self) -> TaskHandle[Any] | None:
        """导出汇总表…: the collated workbook (.xlsx)."""
        result = self.result
        collation = result.collation if result is not None else None
        if result is None or collation is None:
            return None
        path = self._ask_save(
            self.tr("导出汇总表"),
            f"汇总表_{collation.batch_id}.xlsx",
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if path is None:
            return None

        def work(_report: ReportFn, _cancelled: CancelledFn) -> Path:
            return write_workbook(collation, result.intake, result.roster, path)

        return run_task(
            self,
            self.tr("正在导出汇总表"),
            work,
            self._exported,
            cancellable=False,
        )

    def export_pdf(self) -> TaskHandle[Any] | None:
        """导出汇总报告…: the summary report (.pdf) with the ranking and the batch charts."""
        collation = self.result.collation if self.result is not None else None
        if collation is None:
            return None
        path = self._ask_save(
            self.tr("导出汇总报告"),
            f"汇总报告_{collation.batch_id}.pdf",
            self.tr("PDF 文件 (*.pdf)"),
        )
        if path is None:
            return None

        def work(_report: ReportFn, _cancelled: CancelledFn) -> Path:
            return write_summary_pdf(collation, path)

        def done(written: Path) -> None:
            self.last_export = written
            self.statusBar().showMessage(self.tr("已导出（未签章）：%1").replace("%1", str(written)), 8000)

        return run_task(
            self,
            self.tr("正在导出汇总报告"),
            work,
            done,
            cancellable=False,
        )

    def export_signed_pdf(self) -> TaskHandle[Any] | None:
        """导出并签章汇总报告…: the summary report signed by the office CA (PAdES, whole file).

        The CA's folder is the one remembered (asked the first time); its password is asked in
        the password dialog, which says a wrong one and asks again; then where to save. The
        rendering and signing run on a worker; nothing is written unless the signed file is whole.
        """
        collation = self.result.collation if self.result is not None else None
        if collation is None:
            return None
        title = self.tr("导出并签章汇总报告")
        directory = self._office_ca_dir()
        if directory is None:
            return None
        prompt = (
            self.tr("为汇总报告签章：请输入办公室证书机构“%1”的密码。\n证书机构文件夹：%2")
            .replace("%1", _ca_name(directory))
            .replace("%2", str(directory))
        )
        try:
            accepted, ca = ask_checked_password(self, title, prompt, partial(_open_signing_ca, directory))
        except UserError as exc:  # not a usable CA folder (files missing, damaged, mismatched)
            self.settings.remove(CA_DIR_KEY)
            QMessageBox.warning(self, title, str(exc))
            return None
        if not accepted or ca is None:
            return None
        path = self._ask_save(title, f"汇总报告_{collation.batch_id}.pdf", self.tr("PDF 文件 (*.pdf)"))
        if path is None:
            return None

        sealer = self.override_panel.by.text().strip() or self.tr("办公室汇总窗口（签章导出）")

        def work(_report: ReportFn, _cancelled: CancelledFn) -> Path:
            written = write_summary_pdf(collation, path, sign_with=ca)
            # The key is open: the receipts this collation entered in the intake ledger are sealed too.
            ledger.seal(self.store, ca, sealer)
            return written

        def done(written: Path) -> None:
            self.last_export = written
            self.statusBar().showMessage(
                self.tr("已导出并由“%1”签章：%2").replace("%1", ca.name).replace("%2", str(written)), 8000
            )

        return run_task(self, self.tr("正在导出并签章汇总报告"), work, done, cancellable=False)

    def _office_ca_dir(self) -> Path | None:
        """The remembered office CA folder if it still holds a CA, else the one the person chooses."""
        remembered = str(self.settings.value(CA_DIR_KEY, "", type=str) or "")
        for candidate in (remembered, str(self.store.data_dir / "office-ca")):
            if candidate and (Path(candidate) / CA_KEY_NAME).is_file():
                self.settings.setValue(CA_DIR_KEY, candidate)
                return Path(candidate)
        return self.choose_office_ca_dir()

    def choose_office_ca_dir(self) -> Path | None:
        """签章用的证书机构文件夹…: choose (and remember) the folder of the office CA that signs."""
        remembered = str(self.settings.value(CA_DIR_KEY, "", type=str) or "")
        start = remembered if remembered and Path(remembered).is_dir() else self._start_dir(EXPORT_DIR_KEY)
        name = QFileDialog.getExistingDirectory(
            self, self.tr("选择办公室证书机构所在的文件夹（含 office-ca.key.pem）"), start
        )
        if not name:
            return None
        if not (Path(name) / CA_KEY_NAME).is_file() or not (Path(name) / CA_CERT_NAME).is_file():
            QMessageBox.warning(
                self,
                self.tr("签章用的证书机构文件夹"),
                self.tr("此文件夹中没有办公室证书机构（%1 和 %2）。")
                .replace("%1", CA_CERT_NAME)
                .replace("%2", CA_KEY_NAME),
            )
            return None
        self.settings.setValue(CA_DIR_KEY, name)
        return Path(name)

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.statusBar().showMessage(self.tr("已导出：%1").replace("%1", str(path)), 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task is not None and self.task.is_running():
            self.task.cancel()
        self.closed.emit()
        super().closeEvent(event)


def _open_signing_ca(directory: Path, password: str) -> OfficeCA:
    """The office CA of ``directory``, if ``password`` opens it and it may sign now."""
    from zc_review.signing.pades import check_office_can_sign

    ca = open_office_ca(directory, password)
    check_office_can_sign(ca)
    return ca


def _ca_name(directory: Path) -> str:
    """The name in the CA certificate of ``directory`` (for the password prompt), or the folder's name."""
    try:
        return common_name(x509.load_pem_x509_certificate((directory / CA_CERT_NAME).read_bytes()))
    except (OSError, ValueError):
        return directory.name


def _droppable(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in ACCEPTED_SUFFIXES


def window_rect(available: QRect, preferred: QSize, frame: QSize = FRAME_ALLOWANCE) -> QRect:
    """Where a window of ``preferred`` client size goes on a screen's ``available`` area.

    As large as preferred but no larger than the area less the window frame (``frame``: the
    title bar and borders, added by the window manager), and centred in it.
    """
    width = max(1, min(preferred.width(), available.width() - frame.width()))
    height = max(1, min(preferred.height(), available.height() - frame.height()))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def open_office_window(store: Store, settings: QSettings) -> OfficeWindow:
    """Show the 办公室汇总 window (a separate top-level window)."""
    window = OfficeWindow(store, settings, parent=None)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
