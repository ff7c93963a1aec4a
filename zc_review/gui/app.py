"""GUI bootstrap: QApplication, the shipped CJK font, and the main window.

The window here is the foundation's: the application list and each one's
indicator checks. The review workstation grows from it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zc_review import __version__
from zc_review.core.application import MATERIAL_LABELS
from zc_review.core.indicators import CheckStatus
from zc_review.resources import cjk_font_path
from zc_review.store.store import Store
from zc_review.workspace import application_checks, list_applications, load_application

_STATUS_TEXT = {
    CheckStatus.PASS: "达标",
    CheckStatus.FAIL: "不达标",
    CheckStatus.WARNING: "提示",
    CheckStatus.MISSING: "缺数据",
}
_STATUS_COLOUR = {
    CheckStatus.PASS: "#1a7f37",
    CheckStatus.FAIL: "#c62828",
    CheckStatus.WARNING: "#9a6700",
    CheckStatus.MISSING: "#57606a",
}


def install_cjk_font(app: QApplication) -> None:
    """Use the shipped font so Chinese renders even where the system has no CJK font."""
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QFont(families[0])
        font.setPointSizeF(app.font().pointSizeF())
        app.setFont(font)


class MainWindow(QMainWindow):
    """The application list with the selected application's indicator checks."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle(f"众创社区评审工作站 ZC Review {__version__}")
        self.resize(1280, 800)

        self.apps = QTableWidget(0, 7)
        self.apps.setHorizontalHeaderLabels(
            ["编号", "众创社区", "设区市", "县（市、区）", "主导产业", "形式审查", "硬指标"]
        )
        self.apps.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.apps.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.apps.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.apps.verticalHeader().setVisible(False)
        self.apps.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.apps.itemSelectionChanged.connect(self._show_checks)

        self.title = QLabel("请选择一个申报")
        self.title.setStyleSheet("font-weight: bold; font-size: 14pt; padding: 4px;")
        self.checks = QTableWidget(0, 4)
        self.checks.setHorizontalHeaderLabels(["指标", "结果", "数值", "政策依据"])
        self.checks.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.checks.verticalHeader().setVisible(False)
        self.checks.setWordWrap(True)
        header = self.checks.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        lower = QWidget()
        layout = QVBoxLayout(lower)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.checks)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.apps)
        splitter.addWidget(lower)
        splitter.setSizes([380, 420])
        self.setCentralWidget(splitter)
        self.reload()

    def reload(self) -> None:
        apps = list_applications(self.store)
        self.apps.setRowCount(len(apps))
        for row, a in enumerate(apps):
            formal = (
                "缺：" + "、".join(MATERIAL_LABELS[k] for k in a.missing_materials)
                if a.missing_materials
                else "齐全"
            )
            hard = f"{a.hard_failures} 项不达标" if a.hard_failures else "全部达标"
            cells = [str(a.id), a.community_name, a.city, a.county, a.industry, formal, hard]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                if (col == 5 and a.missing_materials) or (col == 6 and a.hard_failures):
                    item.setForeground(QColor(_STATUS_COLOUR[CheckStatus.FAIL]))
                self.apps.setItem(row, col, item)
        self.apps.resizeColumnsToContents()
        self.statusBar().showMessage(f"共 {len(apps)} 个申报 · 数据目录：{self.store.data_dir}")
        if apps:
            self.apps.selectRow(0)

    def _show_checks(self) -> None:
        items = self.apps.selectedItems()
        if not items:
            return
        loaded = load_application(self.store, int(items[0].data(Qt.ItemDataRole.UserRole)))
        self.title.setText(f"{loaded.app.community_name}（{loaded.app.city}{loaded.app.county}）· 指标核查")
        results = application_checks(loaded)
        self.checks.setRowCount(len(results))
        for row, c in enumerate(results):
            status = QTableWidgetItem(_STATUS_TEXT[c.status])
            status.setForeground(QColor(_STATUS_COLOUR[c.status]))
            values = "；".join(f"{k}：{v}" for k, v in c.values.items())
            cells = [
                QTableWidgetItem(c.title_zh),
                status,
                QTableWidgetItem(f"{c.detail_zh}\n{values}"),
                QTableWidgetItem(c.clause),
            ]
            for col, item in enumerate(cells):
                item.setToolTip(c.threshold_zh)
                self.checks.setItem(row, col, item)
        self.checks.resizeRowsToContents()


def run_gui(data_dir: Path) -> int:
    """Open the workstation on ``data_dir``; return the exit status."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("ZC Review")
    app.setOrganizationName("ZCReview")
    install_cjk_font(app)
    store = Store.open(data_dir)
    try:
        window = MainWindow(store)
        window.show()
        return app.exec()
    finally:
        store.close()
