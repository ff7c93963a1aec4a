"""Benchmark: cold start to an interactive main window with 60 applications in the store.

Printed as a ratio to a bare PySide6 window (import, QApplication, QMainWindow
shown) measured in the same run; target <= 3x. Each start is a fresh process
through the program's own start path (``open_workstation``), timed from launch
until the window, its list filled, has been shown and the event loop has run
(the child reports that moment; its exit afterwards is not timed, for either).
The window is then interactive: its list scrolls, searches and filters, its menus
work. The ORM store opens on a worker meanwhile, and the selected application's
tabs fill in once it has (clicking one before that shows "正在打开…"): the time
until the first application's tabs are filled is printed too, for information.

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

# Each child prints time.monotonic() (system-wide on Linux, so comparable with the parent's)
# once its window has been shown and the event loop has run: the end of the start-up.
# Tearing the interpreter down afterwards is not start-up, for either program.
BARE = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1366, 800); w.show()
def up():
    print(time.monotonic()); app.quit()
QTimer.singleShot(0, up)
app.exec()
"""

OURS = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from zc_review.gui.app import open_workstation
app = QApplication([])
w, store = open_workstation(app, Path(sys.argv[1]))
assert w is not None and w.isVisible()
assert w.app_list.visible_count() == int(sys.argv[2]), w.app_list.visible_count()
def up():
    # "shown": the event loop has run once; "ready": also the selected application's tabs are filled
    if sys.argv[3] == "shown" or w.loaded is not None:
        print(time.monotonic())
        app.quit()
    else:
        QTimer.singleShot(5, up)
QTimer.singleShot(0, up)
app.exec()
store.close()
"""


def timed(code: str, *args: str) -> float:
    # A real window where there is a display (run under xvfb-run), else offscreen.
    env = dict(os.environ)
    # As installed (pip and the PyInstaller build compile every module): bytecode is cached,
    # so the warm-up run below writes it where a session's environment says not to.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    t0 = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, env=env, cwd=ROOT, capture_output=True, text=True
    ).stdout
    return float(out.split()[-1]) - t0


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
        timed(OURS, str(data), str(args.apps), "shown")
        bare, ours, ready = [], [], []
        for _ in range(args.runs):
            bare.append(timed(BARE))
            ours.append(timed(OURS, str(data), str(args.apps), "shown"))
            ready.append(timed(OURS, str(data), str(args.apps), "ready"))
    b, o, r = statistics.median(bare), statistics.median(ours), statistics.median(ready)
    print(f"bare PySide6 window: {b:.3f} s   ZC Review with {args.apps} applications: {o:.3f} s")
    print(f"(until the first application's tabs are also filled: {r:.3f} s, {r / b:.2f}x)")
    print(f"ratio: {o / b:.2f}x (target <= 3x)")
    return 0 if o / b <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
