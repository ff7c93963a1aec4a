"""Benchmark: cold start to an interactive main window with 60 applications in the store.

Printed as a ratio to a bare PySide6 window (import, QApplication, QMainWindow
shown) measured in the same run; target <= 3x. Each start is a fresh process,
timed from launch until the window has been shown and the event loop has run.

    .venv/bin/python tests/benchmarks/bench_startup.py [--apps 60] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1366, 800); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

OURS = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from zc_review.gui.app import install_cjk_font, open_settings
from zc_review.gui.main_window import MainWindow
from zc_review.gui.translation import install_language
from zc_review.experts import current_expert
from zc_review.store.store import Store
data = Path(sys.argv[1])
app = QApplication([])
install_cjk_font(app)
settings = open_settings(data)
install_language(app, str(settings.value("ui/language", "zh")))
store = Store.open(data)
w = MainWindow(store, current_expert(store).id, settings); w.show()
assert w.app_list.visible_count() == int(sys.argv[2]), w.app_list.visible_count()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed(code: str, *args: str) -> float:
    # A real window where there is a display (run under xvfb-run), else offscreen.
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apps", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from tests.data.bundles import import_batch_of
    from zc_review.experts import ExpertProfile, accept_pledge, save_profile
    from zc_review.store.store import Store

    with tempfile.TemporaryDirectory(prefix="zc-bench-start-") as tmp:
        data = Path(tmp) / "data"
        print(f"building a store with {args.apps} applications…", file=sys.stderr)
        import_batch_of(data, Path(tmp) / "work", args.apps)
        store = Store.open(data)
        accept_pledge(store, save_profile(store, ExpertProfile("基准测试专家")))
        store.close()
        timed(BARE)  # warm the file cache for both
        timed(OURS, str(data), str(args.apps))
        bare, ours = [], []
        for _ in range(args.runs):
            bare.append(timed(BARE))
            ours.append(timed(OURS, str(data), str(args.apps)))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare PySide6 window: {b:.3f} s   ZC Review with {args.apps} applications: {o:.3f} s")
    print(f"ratio: {o / b:.2f}x (target <= 3x)")
    return 0 if o / b <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
