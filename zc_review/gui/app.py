"""GUI bootstrap: QApplication, the shipped CJK font, the UI language, first start, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from zc_review import i18n
from zc_review.errors import StoreForeignFileError, UserError
from zc_review.gui import relative_size
from zc_review.resources import cjk_font_path, resource_path
from zc_review.store.opening import PendingStore, StoreOpening
from zc_review.store.readonly import quick_start_expert

if TYPE_CHECKING:
    from zc_review.gui.main_window import MainWindow
    from zc_review.store.store import Store

SETTINGS_FILE = "settings.ini"


# Settings ▸ 字号: the whole interface's text size, in percent of the platform's own.
TEXT_SCALES: tuple[int, ...] = (100, 125, 150, 175, 200)
TEXT_SCALE_KEY = "ui/text_scale"
_BASE_SIZE = "zcBasePointSize"  # the application font's size at 100%, kept on the QApplication
_SCALE = "zcTextScale"


def install_cjk_font(app: QApplication) -> None:
    """Use the shipped font so Chinese renders even where the system has no CJK font.

    For Latin text too: with the family left to fontconfig, English labels fell back to a
    serif face here and there. The sans-serif hint keeps any glyph the font lacks sans as well.
    """
    base = base_point_size(app)
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QFont(app.font())
        font.setFamilies([families[0], "DejaVu Sans", "sans-serif"])
        font.setStyleHint(QFont.StyleHint.SansSerif)
        font.setPointSizeF(base * text_scale(app) / 100)
        app.setFont(font)


def base_point_size(app: QApplication) -> float:
    """The application font's point size at 100% (the platform's, read the first time asked)."""
    stored = app.property(_BASE_SIZE)
    if isinstance(stored, (int, float)) and stored > 0:
        return float(stored)
    size = app.font().pointSizeF()
    size = size if size > 0 else 9.0
    app.setProperty(_BASE_SIZE, size)
    return size


def text_scale(app: QApplication) -> int:
    """The text size in use, in percent (100 until :func:`apply_text_scale` is called)."""
    scale = app.property(_SCALE)
    return int(scale) if isinstance(scale, int) else 100


def clamp_text_scale(value: object) -> int:
    """A stored or chosen text size as a percentage in 100–200 (100 for anything unreadable)."""
    try:
        percent = round(float(str(value)))
    except (TypeError, ValueError):
        return 100
    return max(TEXT_SCALES[0], min(TEXT_SCALES[-1], percent))


def apply_text_scale(app: QApplication, percent: int) -> None:
    """Set the whole interface's text size to ``percent`` of the base size, at once.

    The application font changes; every widget that has not set its own font follows
    (Qt sends them a FontChange and their layouts recompute their sizes), so no restart.
    """
    base = base_point_size(app)
    percent = clamp_text_scale(percent)
    app.setProperty(_SCALE, percent)
    font = QFont(app.font())
    font.setPointSizeF(base * percent / 100)
    app.setFont(font)
    relative_size.refresh(app)  # titles and other sized text grow with the body text


def saved_text_scale(settings: QSettings) -> int:
    """The text size chosen in Settings, 100 if none or unreadable."""
    return clamp_text_scale(settings.value(TEXT_SCALE_KEY, 100))


def open_settings(data_dir: Path) -> QSettings:
    """Window geometry, last selection, recent bundles and language live with the data, not in the registry."""
    return QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def ensure_expert(store: Store, parent: QWidget | None = None) -> int | None:
    """First start: the expert's profile and the integrity pledge; None if the expert declines."""
    from zc_review.experts import accept_pledge, current_expert, has_accepted_pledge, save_profile
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


def store_may_open(data_dir: Path) -> bool:
    """Check the database before anything is shown (:func:`zc_review.store.health.check_database`).

    A store that cannot be written, or that SQLite finds damaged, is refused with its reason in a
    message box: the window does not open as if all were well (and a read-only store is not
    opened for reading: every unit of work takes the write lock). An empty or foreign file where
    the database should be is kept: only with the person's consent is it renamed aside
    (``….damaged-YYYYMMDD-HHMMSS``), and then a new, empty store is made. True if the store may open.
    """
    from zc_review.store import health
    from zc_review.store.readonly import DB_FILENAME

    title = QCoreApplication.translate("StoreCheck", "无法打开本地数据库")
    db_path = Path(data_dir) / DB_FILENAME
    try:
        health.check_database(db_path)
    except StoreForeignFileError as exc:
        question = QCoreApplication.translate(
            "StoreCheck",
            "要把它改名为“%1”，保存在原文件夹中（不删除），然后新建一个空的本地数据库吗？"
            "选“否”则不打开：您可以先从备份恢复，或自行处理该文件。",
        ).replace("%1", exc.aside.name)
        answer = QMessageBox.question(
            None,
            title,
            f"{i18n.pick(exc.problem_zh, exc.problem_en)}\n\n{question}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            health.set_aside(db_path, exc.aside)
        except (UserError, OSError) as err:
            QMessageBox.critical(None, title, str(err))
            return False
        return True
    except UserError as exc:
        QMessageBox.critical(None, title, str(exc))
        return False
    return True


def _display_missing() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_workstation(
    app: QApplication, data_dir: Path, lang: str | None = None
) -> tuple[MainWindow | None, Store | None]:
    """Show the main window on ``data_dir``: (window, store), or (None, store or None) if it does not open.

    At an ordinary start (schema current, profile and pledge accepted) the window shows
    its list at once, read with sqlite3, while the ORM store opens on a worker thread;
    the first start, a migration or a damaged database wait for the store instead, so
    their dialogs and messages come first. The caller closes the store.
    """
    from zc_review.gui.main_window import MainWindow
    from zc_review.gui.translation import install_language
    from zc_review.gui.viewer_toolbar import use_zoom_settings

    opening = StoreOpening(data_dir)
    settings = open_settings(data_dir)
    app.setProperty(_SCALE, saved_text_scale(settings))  # the chosen text size, from the first window on
    use_zoom_settings(settings)  # the PDF viewers open at the zoom chosen last
    install_cjk_font(app)
    try:
        # ``--lang`` wins for this session; the language chosen in Preferences otherwise.
        install_language(app, lang or str(settings.value("ui/language", "zh")))
    except UserError as exc:
        QMessageBox.warning(None, "ZC Review", str(exc))
    if not store_may_open(data_dir):
        return None, None
    quick_expert = quick_start_expert(data_dir)
    if quick_expert is not None:
        store: Store = PendingStore(opening)  # type: ignore[assignment]  # stands in until opened
        window = MainWindow(store, quick_expert, settings, opening)
        window.show()
        # Started from the event loop, once the window is up: a worker importing SQLAlchemy
        # meanwhile would share the interpreter with the window's own start and slow it.
        QTimer.singleShot(0, opening.start)
        return window, store
    try:
        store = opening.result()
    except UserError as exc:
        QMessageBox.critical(None, "ZC Review", str(exc))
        return None, None
    expert_id = ensure_expert(store)
    if expert_id is None:
        return None, store
    window = MainWindow(store, expert_id, settings)
    window.show()
    return window, store


def run_gui(data_dir: Path, lang: str | None = None) -> int:
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
    _schedule_journey(app)
    first, store = open_workstation(app, data_dir, lang)
    if first is None:
        if store is not None:
            store.close()
        return 1 if store is None else 0
    assert store is not None
    from zc_review.gui.backup_flow import schedule_daily_copy

    schedule_daily_copy(first, data_dir)  # <data>/backups/, once a day, after the window is up
    try:
        holder: dict[str, MainWindow] = {"window": first}

        def relaunch(lang: str) -> None:
            # A fresh window in the new language, where the old one stood.
            old = holder["window"]
            install_language(app, lang)
            # Still opening (a language chosen in the first moments): the new window waits for it too.
            opening = store.opening if isinstance(store, PendingStore) else None
            window = MainWindow(store, old.expert_id, old.settings, opening)
            window.languageChangeRequested.connect(relaunch)
            holder["window"] = window
            old.save_state()
            window.restoreGeometry(old.saveGeometry())
            old.close()
            old.deleteLater()
            window.show()

        first.languageChangeRequested.connect(relaunch)
        status = app.exec()
        return 1 if _failed_to_open(store) else status
    finally:
        wait_for_all(30)
        _close(store)


def _schedule_journey(app: QApplication) -> None:
    """Run a scripted journey named by ``ZC_REVIEW_JOURNEY`` (a Python file) from the event loop.

    For the journey tests (tests/journeys/): the app starts exactly as a person starts it, and
    the script, loaded only once the event loop runs (the first-start dialogs' loop included),
    drives the real widgets. Without the variable nothing is loaded and nothing changes.
    """
    script = os.environ.get("ZC_REVIEW_JOURNEY")
    if not script:
        return

    def start() -> None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("zc_review_journey", script)
        if spec is None or spec.loader is None:
            raise SystemExit(f"ZC_REVIEW_JOURNEY: cannot load {script}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.start(app)

    QTimer.singleShot(0, start)


def _failed_to_open(store: Store) -> bool:
    # The window showed while the store opened on its worker, and the opening failed.
    return isinstance(store, PendingStore) and store.opening.error is not None


def _close(store: Store) -> None:
    if isinstance(store, PendingStore):
        try:
            store.opening.result()  # the window may have closed before the opening ended
        except Exception:  # it never opened: nothing to close (the window said why, or had gone)
            return
    store.close()
