"""文件 ▸ 备份…: a verified backup archive to a folder of the person's choice (a USB stick), on a worker.

And the automatic daily copy of the database (``<data>/backups/``), started once the window is up,
on a plain thread: a failure is logged and shown once, never fatal.
See :mod:`zc_review.store.backup`.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from zc_review import i18n
from zc_review.gui.tasks import CancelledFn, ReportFn, TaskCancelled, TaskHandle, run_task

log = logging.getLogger(__name__)

LAST_DIR_KEY = "backup/last_dir"
# How long after the window is up the daily copy starts (the start-up's own work comes first).
DAILY_DELAY_MS = 3000


def backup_flow(
    parent: QWidget, data_dir: Path, settings: QSettings, folder: Path | None = None
) -> TaskHandle[Any] | None:
    """Ask for a folder (unless given), then write the backup there with a cancellable progress dialog.

    Returns the running task, or None if the person chose no folder.
    """
    if folder is None:
        start = str(settings.value(LAST_DIR_KEY, "") or Path.home())
        chosen = QFileDialog.getExistingDirectory(
            parent, QCoreApplication.translate("Backup", "选择备份保存的文件夹（如 U 盘）"), start
        )
        if not chosen:
            return None
        folder = Path(chosen)
        settings.setValue(LAST_DIR_KEY, str(folder))

    def work(report: ReportFn, cancelled: CancelledFn) -> Any:
        from zc_review.store.backup import BackupCancelled, default_name, write_backup

        try:  # a dated name inside the folder; a folder gone meanwhile (a stick pulled out) is said so
            return write_backup(data_dir, folder / default_name(), report, cancelled)
        except BackupCancelled as exc:
            raise TaskCancelled from exc

    def done(result: Any) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("Backup", "备份完成"),
            result.describe(i18n.language() == "en"),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setObjectName("backupDoneBox")
        box.setInformativeText(
            QCoreApplication.translate(
                "Backup",
                "备份文件可以复制到其他电脑；用“zc-review restore 备份文件”恢复（恢复前会先完整校验，原有数据另行保留）。",
            )
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()

    return run_task(parent, QCoreApplication.translate("Backup", "正在备份…"), work, done)


# --- the daily copy --------------------------------------------------------------------------------

_failure_shown = False


class DailyCopy:
    """:func:`zc_review.store.backup.daily_copy` on a daemon thread; the window polls :meth:`done`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.result: Path | None = None
        self.error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="zc-daily-copy", daemon=True)

    def start(self) -> DailyCopy:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            from zc_review.store.backup import daily_copy

            self.result = daily_copy(self.data_dir)
        except BaseException as exc:  # shown by the window; never fatal
            self.error = exc
        finally:
            self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float) -> bool:
        return self._done.wait(timeout)


def schedule_daily_copy(window: QMainWindow, data_dir: Path, delay_ms: int = DAILY_DELAY_MS) -> None:
    """Start the daily copy ``delay_ms`` after now (the window being up); report a failure once."""

    def start() -> None:
        job = DailyCopy(data_dir).start()
        timer = QTimer(window)
        timer.setInterval(100)

        def poll() -> None:
            if job.done():
                timer.stop()
                timer.deleteLater()
                _daily_done(window, job)

        timer.timeout.connect(poll)
        timer.start()

    QTimer.singleShot(delay_ms, window, start)


def _daily_done(window: QMainWindow, job: DailyCopy) -> None:
    global _failure_shown
    if job.error is None:
        if job.result is not None:
            log.info("daily copy of the database: %s", job.result)
        return
    log.warning("daily copy of the database failed: %s", job.error, exc_info=job.error)
    if _failure_shown:
        return
    _failure_shown = True
    text = QCoreApplication.translate("Backup", "今天的数据库自动备份（%1）没有做成：").replace(
        "%1", str(Path(job.data_dir) / "backups")
    )
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("Backup", "自动备份未完成"),
        f"{text}\n{job.error}",
        QMessageBox.StandardButton.Ok,
        window,
    )
    box.setObjectName("dailyCopyFailedBox")
    box.setInformativeText(
        QCoreApplication.translate(
            "Backup", "评审可以照常进行，数据没有受影响。请用“文件 ▸ 备份…”另做一份备份。"
        )
    )
    box.open()
