"""The 指标核查 tab: every indicator check, and where the selected one's values came from."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zc_review.core.application import Stage
from zc_review.core.indicators import CheckResult, CheckStatus
from zc_review.i18n import pick


def status_label(status: CheckStatus) -> str:
    """A check's result as shown, in the UI language."""
    return {
        CheckStatus.PASS: QCoreApplication.translate("CheckStatus", "达标"),
        CheckStatus.FAIL: QCoreApplication.translate("CheckStatus", "不达标"),
        CheckStatus.WARNING: QCoreApplication.translate("CheckStatus", "提示"),
        CheckStatus.MISSING: QCoreApplication.translate("CheckStatus", "缺数据"),
    }[status]


def check_title(c: CheckResult) -> str:
    return pick(c.title_zh, c.title_en)


def check_detail(c: CheckResult) -> str:
    return pick(c.detail_zh, c.detail_en)


STATUS_COLOUR = {
    CheckStatus.PASS: "#1a7f37",
    CheckStatus.FAIL: "#c62828",
    CheckStatus.WARNING: "#9a6700",
    CheckStatus.MISSING: "#57606a",
}
# Symbols as well as colours, so the result reads without colour vision and in greyscale.
STATUS_MARK = {
    CheckStatus.PASS: "✔",
    CheckStatus.FAIL: "✘",
    CheckStatus.WARNING: "▲",
    CheckStatus.MISSING: "？",
}


class ChecksView(QWidget):
    """A table of checks; selecting one shows its threshold, values and their sources."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("指标"), self.tr("结果"), self.tr("数值"), self.tr("政策要求"), self.tr("政策依据")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fit_columns()
        self.table.itemSelectionChanged.connect(self._show_detail)
        # Wrapped cells need their rows re-measured whenever the columns change width.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.detail = QTextBrowser()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([420, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._checks: list[CheckResult] = []
        self._stage = Stage.APPLICATION

    def _fit_columns(self) -> None:
        # Widths in lines of text, so they follow Settings ▸ 字号; long cells wrap. The value column takes
        # what is left but keeps a readable width: when all cannot fit, the table scrolls sideways.
        table = self.table
        em = table.fontMetrics().height()
        table.horizontalHeader().setMinimumSectionSize(3 * em)
        caps = {0: 14 * em, 1: 8 * em, 4: 10 * em}
        for col, cap in caps.items():
            content = max(table.sizeHintForColumn(col), table.horizontalHeader().sectionSizeHint(col))
            table.setColumnWidth(col, min(content, cap))
        table.setColumnWidth(3, 17 * em)
        rest = table.viewport().width() - sum(table.columnWidth(c) for c in (0, 1, 3, 4))
        table.setColumnWidth(2, max(8 * em, rest))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_columns()

    def set_checks(self, checks: Sequence[CheckResult], stage: Stage) -> None:
        self._checks = list(checks)
        self._stage = stage
        self.table.setRowCount(len(self._checks))
        for row, c in enumerate(self._checks):
            status = QTableWidgetItem(f"{STATUS_MARK[c.status]} {status_label(c.status)}")
            status.setForeground(QColor(STATUS_COLOUR[c.status]))
            title = check_title(c) + ("" if c.hard else self.tr("（参考）"))
            cells = [
                QTableWidgetItem(title),
                status,
                QTableWidgetItem(check_detail(c)),
                QTableWidgetItem(c.threshold_zh),
                QTableWidgetItem(c.clause),
            ]
            for col, item in enumerate(cells):
                self.table.setItem(row, col, item)
        self._fit_columns()
        self.table.resizeRowsToContents()
        self.detail.clear()
        if self._checks:
            self.table.selectRow(0)
            self._show_detail()  # the row may have been selected already: no signal then

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def select_check(self, key: str) -> bool:
        for row, c in enumerate(self._checks):
            if c.key == key:
                self.table.selectRow(row)
                return True
        return False

    def current_check(self) -> CheckResult | None:
        rows = self.table.selectionModel().selectedRows()
        return self._checks[rows[0].row()] if rows else None

    def _show_detail(self) -> None:
        c = self.current_check()
        if c is None:
            return
        colour = STATUS_COLOUR[c.status]
        policy, soft, used, sources = (
            self.tr("政策要求"),
            self.tr("软性指标，仅作提示"),
            self.tr("所用数值"),
            self.tr("数据来源"),
        )
        parts = [
            f"<h3 style='margin:0'>{escape(check_title(c))}　<span style='color:{colour}'>"
            f"{STATUS_MARK[c.status]} {status_label(c.status)}</span></h3>",
            f"<p>{escape(check_detail(c))}</p>",
            f"<p><b>{policy}：</b>{escape(c.threshold_zh)}（{escape(c.clause)}）"
            + (f"　<i>{soft}</i>" if not c.hard else "")
            + "</p>",
        ]
        if c.values:
            parts.append(f"<p><b>{used}：</b></p><table cellpadding='2'>")
            parts += [
                f"<tr><td style='color:#555'>{escape(k)}</td><td>{escape(v)}</td></tr>"
                for k, v in c.values.items()
            ]
            parts.append("</table>")
        if c.sources:
            parts.append(f"<p><b>{sources}：</b></p><ul>")
            from zc_review.bundles.sources import source_location  # the workbook's layout: on demand

            parts += [f"<li>{escape(source_location(s, self._stage))}</li>" for s in c.sources]
            parts.append("</ul>")
        self.detail.setHtml("".join(parts))
