"""Render 演示模式 slides and the 图表 tab into a folder, to look at them.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tests/screenshots_meeting.py OUT_DIR
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/screenshots_meeting.py OUT_DIR

Builds a throw-away store with a few demo communities reviewed by two experts (one
recused from the first community), opens the meeting full screen on the (only)
screen and saves every slide of the batch overview and of the first application,
then the same with expert names shown, and the main window's 图表 tab. Files are
named after the screen size, so both runs can share OUT_DIR.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", default="0,1,2,11", help="demo cases to import")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from tests.gui.test_meeting_mode import build_panel_store
    from zc_review.gui.app import install_cjk_font, open_settings
    from zc_review.gui.main_window import TAB_CHARTS, MainWindow
    from zc_review.gui.meeting_mode import MeetingStartDialog, MeetingWindow, meeting_slides
    from zc_review.store.store import Store

    app = QApplication(sys.argv)
    install_cjk_font(app)
    screen = QGuiApplication.primaryScreen()
    size = f"{screen.geometry().width()}x{screen.geometry().height()}"

    def settle(until: object = None, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            if until is None or until():  # type: ignore[operator]
                break
            time.sleep(0.01)
        for _ in range(5):
            app.processEvents()

    def shot(widget: QWidget, name: str) -> None:
        path = args.out / f"{size}-{name}.png"
        widget.grab().save(str(path))
        print(path)

    with tempfile.TemporaryDirectory(prefix="zc-meeting-") as tmp:
        cases = tuple(int(c) for c in args.cases.split(","))
        presenter, _second = build_panel_store(Path(tmp) / "data", Path(tmp) / "work", cases)
        store = Store.open(Path(tmp) / "data")
        try:
            dialog = MeetingStartDialog()
            dialog.show()
            settle()
            shot(dialog, "start-dialog")
            dialog.close()
            slides = meeting_slides(store, None)
            first_app_end = next(i for i, s in enumerate(slides) if s.group == 2)
            for names in (False, True):
                meeting = MeetingWindow(store, None, slides, show_names=names)
                meeting.present(screen)
                settle(meeting.isFullScreen)
                tag = "names" if names else "anon"
                for i in range(first_app_end):
                    settle(meeting.is_ready)
                    shot(meeting, f"slide{i + 1:02d}-{slides[i].kind}-{tag}")
                    QTest.keyClick(meeting, Qt.Key.Key_Right)
                meeting.close()
                settle()

            window = MainWindow(store, presenter, open_settings(Path(tmp) / "data"))
            window.setGeometry(screen.availableGeometry())
            window.show()
            window.app_list.select_row(0)
            window.tabs.setCurrentIndex(TAB_CHARTS)
            settle(lambda: not window.charts.is_drawing())
            shot(window, "tab-application")
            window.show_batch_charts()
            settle(lambda: not window.charts.is_drawing())
            shot(window, "tab-batch")
            window.close()
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
