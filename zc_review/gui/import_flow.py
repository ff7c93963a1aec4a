"""Importing bundles from the GUI: choose files, import on a worker, report what happened.

The import itself is :func:`zc_review.bundles.importer.import_paths`, run through
:func:`zc_review.gui.tasks.run_task`; this module adapts its progress to the
task's, and shows the outcome of every file in :class:`ImportReportDialog`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zc_review.core.application import MATERIAL_LABELS, MaterialKind
from zc_review.gui.tasks import CancelledFn, ReportFn, TaskHandle, run_task

if TYPE_CHECKING:
    # The importer (zip, workbook and seal readers, the ORM) loads with the first import,
    # not with the window, which needs only the recent-bundles menu from here.
    from zc_review.bundles.importer import ImportOutcome, ImportProgress, ImportReport
    from zc_review.store.store import Store

LAST_DIR_KEY = "import/last_dir"
RECENT_KEY = "import/recent"
RECENT_LIMIT = 8
IMPORTABLE = (".zcb", ".zip")

# Per-file steps of the overall progress bar: file i of n fills [i, i + 1) * _STEPS.
_STEPS = 1000

_FAILED_FG = QColor("#b71c1c")
_FAILED_BG = QColor("#fdecea")
_CANCELLED_FG = QColor("#57606a")


def _file_filter() -> str:
    return ";;".join(
        (
            QCoreApplication.translate("ImportFlow", "可导入的文件 (*.zcb *.zip)"),
            QCoreApplication.translate("ImportFlow", "评审封装包 (*.zcb)"),
            QCoreApplication.translate("ImportFlow", "县级申报压缩包 (*.zip)"),
        )
    )


# ----- choosing files ---------------------------------------------------------


def choose_bundles(parent: QWidget, settings: QSettings) -> list[Path]:
    """Ask for bundles or county zips to import; remembers the folder in ``settings``.

    Returns the chosen paths, or an empty list if the person cancelled.
    """
    last = str(settings.value(LAST_DIR_KEY, "", type=str) or "")
    start = last if last and Path(last).is_dir() else str(Path.home())
    names, _selected = QFileDialog.getOpenFileNames(
        parent, QCoreApplication.translate("ImportFlow", "选择要导入的文件"), start, _file_filter()
    )
    paths = [Path(n) for n in names]
    if paths:
        settings.setValue(LAST_DIR_KEY, str(paths[0].parent))
    return paths


class RecentBundles:
    """The most recently imported files (newest first, at most :data:`RECENT_LIMIT`), kept in QSettings."""

    def __init__(self, settings: QSettings, key: str = RECENT_KEY, limit: int = RECENT_LIMIT) -> None:
        self._settings = settings
        self._key = key
        self._limit = limit

    def paths(self) -> list[Path]:
        """The remembered paths, newest first (including ones that no longer exist)."""
        raw = self._settings.value(self._key, [], type=list)
        items = raw if isinstance(raw, list) else []
        return [Path(str(p)) for p in items if p][: self._limit]

    def add(self, paths: Iterable[Path]) -> None:
        """Put ``paths`` at the front (first one newest), dropping duplicates and the oldest."""
        new = [Path(p).absolute() for p in paths]
        kept = [p for p in self.paths() if p not in new]
        self._store((new + kept)[: self._limit])

    def remove(self, path: Path) -> None:
        """Forget one path."""
        self._store([p for p in self.paths() if p != Path(path).absolute()])

    def clear(self) -> None:
        """Forget every path."""
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self._settings.setValue(self._key, [str(p) for p in paths])

    def populate(self, menu: QMenu, on_pick: Callable[[Path], None]) -> None:
        """Fill ``menu`` with the recent files; missing files are shown greyed out.

        Call it from the menu's ``aboutToShow`` so the list and the greying are current.
        """
        menu.clear()
        paths = self.paths()
        if not paths:
            empty = menu.addAction(QCoreApplication.translate("ImportFlow", "（无）"))
            empty.setEnabled(False)
            return
        for number, path in enumerate(paths, start=1):
            # Numbers 1-8 double as keyboard accelerators; && shows a literal &.
            text = f"&{number} {path.name.replace('&', '&&')}"
            action = menu.addAction(text)
            action.setData(str(path))
            if path.is_file():
                action.setToolTip(str(path))
                action.setStatusTip(str(path))
                action.triggered.connect(lambda _checked=False, p=path: on_pick(p))
            else:
                action.setText(text + QCoreApplication.translate("ImportFlow", "（文件不存在）"))
                action.setToolTip(str(path))
                action.setEnabled(False)
        menu.setToolTipsVisible(True)
        menu.addSeparator()
        clear = menu.addAction(QCoreApplication.translate("ImportFlow", "清除列表"))
        clear.triggered.connect(self.clear)


# ----- importing --------------------------------------------------------------


def import_bundles(
    parent: QWidget,
    store: Store,
    paths: list[Path],
    on_finished: Callable[[ImportReport], None],
) -> TaskHandle[ImportReport]:
    """Import ``paths`` on a worker with a cancellable progress dialog, then report.

    A folder in ``paths`` stands for the .zcb and .zip files directly inside it.
    When the import ends (also when cancelled), ``on_finished(report)`` runs on
    the GUI thread and then an :class:`ImportReportDialog` opens, window-modal
    over ``parent``. An unexpected error shows an error box instead; files
    imported before it stay imported (each file is all or nothing).
    """
    files = importable_files(paths)
    # Translated here: the worker only formats the text.
    label = QCoreApplication.translate("ImportFlow", "正在导入 {index}/{count}：{name}")

    def work(report: ReportFn, cancelled: CancelledFn) -> ImportReport:
        from zc_review.bundles.importer import import_paths

        total = len(files) * _STEPS
        if files:
            report(0, total, label.format(index=1, count=len(files), name=files[0].name))

        def progress(p: ImportProgress) -> None:
            fraction = min(1.0, p.done_bytes / p.total_bytes) if p.total_bytes > 0 else 0.0
            report(
                p.file_index * _STEPS + int(fraction * _STEPS),
                p.file_count * _STEPS,
                label.format(index=p.file_index + 1, count=p.file_count, name=p.name),
            )

        return import_paths(store, files, progress=progress, should_cancel=cancelled)

    def done(report: ImportReport) -> None:
        on_finished(report)
        show_import_report(parent, report)

    return run_task(parent, QCoreApplication.translate("ImportFlow", "导入申报"), work, done)


def importable_files(paths: Iterable[Path]) -> list[Path]:
    """``paths`` with each folder replaced by the bundles and zips directly inside it (by name)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMPORTABLE)
        else:
            files.append(path)  # a missing or wrong file is reported by the import itself
    return files


def show_import_report(parent: QWidget, report: ImportReport) -> ImportReportDialog:
    """Open the report window-modal over ``parent`` without blocking; it deletes itself when closed."""
    dialog = ImportReportDialog(report, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# ----- the report -------------------------------------------------------------


def status_text(status: str) -> str:
    """The short Chinese word for an outcome status."""
    return {
        "new": QCoreApplication.translate("ImportFlow", "已导入"),
        "new_version": QCoreApplication.translate("ImportFlow", "新版本"),
        "unchanged": QCoreApplication.translate("ImportFlow", "无变化"),
        "repaired": QCoreApplication.translate("ImportFlow", "已修复"),
        "failed": QCoreApplication.translate("ImportFlow", "失败"),
        "cancelled": QCoreApplication.translate("ImportFlow", "已取消"),
    }.get(status, status)


def _material_labels(keys: Iterable[str]) -> str:
    labels = []
    for key in keys:
        try:
            labels.append(MATERIAL_LABELS[MaterialKind(key)])
        except ValueError:
            labels.append(key)
    return "、".join(labels)


def outcome_detail(outcome: ImportOutcome) -> str:
    """The explanation column: the full reason of a failure, else what was stored."""
    if outcome.status == "failed":
        return outcome.message or QCoreApplication.translate("ImportFlow", "原因不明")
    if outcome.status == "cancelled":
        return QCoreApplication.translate("ImportFlow", "导入已取消，此文件未导入")
    parts = []
    if outcome.status == "new_version":
        parts.append(
            QCoreApplication.translate("ImportFlow", "作为第 {n} 版导入，旧版本保留").format(
                n=outcome.version
            )
        )
    elif outcome.status == "unchanged" and outcome.concurrent:
        parts.append(
            QCoreApplication.translate("ImportFlow", "已由另一导入完成（同时进行的另一次导入），未作改动")
        )
    elif outcome.status == "unchanged":
        parts.append(
            QCoreApplication.translate("ImportFlow", "此前已导入（第 {n} 版），未作改动").format(
                n=outcome.version
            )
        )
    if outcome.repaired:
        parts.append(
            QCoreApplication.translate(
                "ImportFlow", "已修复 {n} 个材料文件（本机副本缺失或损坏，已从封装包恢复）"
            ).format(n=outcome.repaired)
        )
    if outcome.missing_materials:
        parts.append(
            QCoreApplication.translate("ImportFlow", "形式审查缺少：{m}").format(
                m=_material_labels(outcome.missing_materials)
            )
        )
    return "；".join(parts)


def summary_text(report: ImportReport) -> str:
    """One line: how many files were imported, failed, unchanged and cancelled."""
    counts = {s: 0 for s in ("new", "new_version", "unchanged", "repaired", "failed", "cancelled")}
    for o in report.outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    text = QCoreApplication.translate("ImportFlow", "导入 {ok} 个，失败 {failed} 个").format(
        ok=counts["new"] + counts["new_version"], failed=counts["failed"]
    )
    if counts["unchanged"]:
        text += QCoreApplication.translate("ImportFlow", "，无变化 {n} 个").format(n=counts["unchanged"])
    if counts["repaired"]:
        text += QCoreApplication.translate("ImportFlow", "，已修复 {n} 个").format(n=counts["repaired"])
    if counts["cancelled"]:
        text += QCoreApplication.translate("ImportFlow", "，已取消 {n} 个").format(n=counts["cancelled"])
    return text


def ordered_outcomes(report: ImportReport) -> list[ImportOutcome]:
    """Failures first (they need attention), otherwise in the order the files were given."""
    return sorted(report.outcomes, key=lambda o: o.status != "failed")


class ImportReportDialog(QDialog):
    """Each imported file with its outcome; failures first, with their full reason."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.outcomes = ordered_outcomes(report)
        self.setWindowTitle(self.tr("导入报告"))
        self.resize(960, 440)

        self.summary = QLabel(summary_text(report))
        self.summary.setObjectName("importSummary")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        if report.failed:
            self.summary.setStyleSheet(f"color: {_FAILED_FG.name()};")

        self.headers = [self.tr("结果"), self.tr("文件"), self.tr("众创社区"), self.tr("说明")]
        self.table = QTableWidget(len(self.outcomes), len(self.headers))
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for row, outcome in enumerate(self.outcomes):
            self._fill_row(row, outcome)
        self.table.resizeColumnToContents(1)
        header.resizeSection(1, min(header.sectionSize(1), 320))
        # Wrapped reasons need their height recomputed whenever the widths settle.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())

        self.copy_button = QPushButton(self.tr("复制到剪贴板(&C)"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        close.setDefault(True)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.close_button = close

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.setTabOrder(self.table, self.copy_button)
        self.setTabOrder(self.copy_button, close)
        self.table.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def _fill_row(self, row: int, outcome: ImportOutcome) -> None:
        cells = [
            status_text(outcome.status),
            outcome.source.name,
            outcome.community or "",
            outcome_detail(outcome),
        ]
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(str(outcome.source) if col == 1 else text)
            if outcome.status == "failed":
                item.setForeground(_FAILED_FG)
                item.setBackground(_FAILED_BG)
            elif outcome.status == "cancelled":
                item.setForeground(_CANCELLED_FG)
            self.table.setItem(row, col, item)

    def as_text(self) -> str:
        """The report as plain text: the summary, then one tab-separated line per file."""
        lines = [self.summary.text(), "\t".join(self.headers)]
        for outcome in self.outcomes:
            lines.append(
                "\t".join(
                    (
                        status_text(outcome.status),
                        str(outcome.source),
                        outcome.community or "",
                        outcome_detail(outcome),
                    )
                )
            )
        return "\n".join(lines) + "\n"

    def copy_to_clipboard(self) -> None:
        """Put :meth:`as_text` on the clipboard, e.g. to mail the failures to the county."""
        QGuiApplication.clipboard().setText(self.as_text())
        self.copy_button.setText(self.tr("已复制"))
