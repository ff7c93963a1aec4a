"""GUI bootstrap: QApplication, the shipped CJK font, the UI language, first start, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from zc_review import i18n
from zc_review.errors import UserError
from zc_review.experts import accept_pledge, current_expert, has_accepted_pledge, save_profile
from zc_review.resources import cjk_font_path, resource_path
from zc_review.store.store import Store

SETTINGS_FILE = "settings.ini"


def install_cjk_font(app: QApplication) -> None:
    """Use the shipped font so Chinese renders even where the system has no CJK font."""
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QFont(families[0])
        font.setPointSizeF(app.font().pointSizeF())
        app.setFont(font)


def open_settings(data_dir: Path) -> QSettings:
    """Window geometry, last selection, recent bundles and language live with the data, not in the registry."""
    return QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def ensure_expert(store: Store, parent: QWidget | None = None) -> int | None:
    """First start: the expert's profile and the integrity pledge; None if the expert declines."""
    from zc_review.gui.dialogs import PledgeDialog, ProfileDialog

    expert = current_expert(store)
    if expert is None:
        dialog = ProfileDialog(None, parent)
        dialog.setWindowTitle(
            QCoreApplication.translate("FirstStart", "欢迎使用众创社区评审工作站：请填写专家信息")
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        expert_id = save_profile(store, dialog.profile())
    else:
        expert_id = expert.id
    if not has_accepted_pledge(store, expert_id):
        pledge = PledgeDialog(parent=parent)
        if pledge.exec() != QDialog.DialogCode.Accepted:
            return None
        accept_pledge(store, expert_id)
    return expert_id


def _display_missing() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(data_dir: Path) -> int:
    """Open the workstation on ``data_dir``; return the exit status."""
    if _display_missing():
        print(
            i18n.pick(
                "没有图形界面（未设置 DISPLAY 或 WAYLAND_DISPLAY）。请在桌面环境中运行，"
                "或用 xvfb-run 运行；命令行功能见 zc-review --help。",
                "No graphical display (DISPLAY/WAYLAND_DISPLAY unset). Run on a desktop or under xvfb-run; "
                "see zc-review --help for the command line.",
            ),
            file=sys.stderr,
        )
        return 1
    from zc_review.gui.main_window import MainWindow
    from zc_review.gui.tasks import wait_for_all
    from zc_review.gui.translation import install_language

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("ZC Review")
    app.setOrganizationName("ZCReview")
    icon = resource_path("icons", "zc-review.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_cjk_font(app)
    settings = open_settings(data_dir)
    try:
        install_language(app, str(settings.value("ui/language", "zh")))
    except UserError as exc:
        QMessageBox.warning(None, "ZC Review", str(exc))
    try:
        store = Store.open(data_dir)
    except UserError as exc:
        QMessageBox.critical(None, "ZC Review", str(exc))
        return 1
    try:
        expert_id = ensure_expert(store)
        if expert_id is None:
            return 0
        holder: dict[str, MainWindow] = {}

        def show(lang: str | None = None) -> None:
            old = holder.get("window")
            if lang is not None:
                install_language(app, lang)
            window = MainWindow(store, expert_id, settings)
            window.languageChangeRequested.connect(show)
            holder["window"] = window
            if old is not None:
                # A fresh window in the new language, where the old one stood.
                old.save_state()
                window.restoreGeometry(old.saveGeometry())
                old.close()
                old.deleteLater()
            window.show()

        show()
        return app.exec()
    finally:
        wait_for_all(30)
        store.close()
