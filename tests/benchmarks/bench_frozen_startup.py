"""Benchmark: start-up of the packaged app to an interactive main window, as a ratio to the source tree.

Both sides run the same probe, ``zc-review --data-dir D --self-test=startup`` (opens the main
window on a store of 60 applications, lets the event loop run, exits): once as
``dist/zc-review/zc-review`` and once as ``python -m zc_review`` from the checkout, each a fresh
process, alternated, median of ``--runs``. Target: packaged <= 1.5x source. Also prints the
size of the bundle folder.

    bash packaging/build_bundle.sh      # or pass --build
    .venv/bin/python tests/benchmarks/bench_frozen_startup.py [--apps 60] [--runs 5]
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
BUNDLE = ROOT / "dist" / "zc-review"
TARGET = 1.5


def timed(cmd: list[str]) -> float:
    # A real window where there is a display (run under xvfb-run), else offscreen.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the checkout with cached bytecode, as the bundle has it
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t0


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apps", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", action="store_true", help="build the bundle first")
    args = parser.parse_args()
    if args.build:
        subprocess.run(["bash", str(ROOT / "packaging" / "build_bundle.sh")], check=True)
    exe = BUNDLE / "zc-review"
    if not exe.exists():
        print(f"no bundle at {BUNDLE}: run bash packaging/build_bundle.sh (or pass --build)", file=sys.stderr)
        return 2
    from tests.data.bundles import import_batch_of
    from zc_review.experts import ExpertProfile, accept_pledge, save_profile
    from zc_review.store.store import Store

    with tempfile.TemporaryDirectory(prefix="zc-bench-frozen-") as tmp:
        data = Path(tmp) / "data"
        print(f"building a store with {args.apps} applications…", file=sys.stderr)
        import_batch_of(data, Path(tmp) / "work", args.apps)
        store = Store.open(data)
        accept_pledge(store, save_profile(store, ExpertProfile("基准测试专家")))
        store.close()
        probe = ["--data-dir", str(data), "--self-test=startup"]
        source_cmd = [sys.executable, "-m", "zc_review", *probe]
        frozen_cmd = [str(exe), *probe]
        timed(source_cmd)  # warm the file cache for both
        timed(frozen_cmd)
        source, frozen = [], []
        for _ in range(args.runs):
            source.append(timed(source_cmd))
            frozen.append(timed(frozen_cmd))
    s, f = statistics.median(source), statistics.median(frozen)
    size = folder_size(BUNDLE)
    print(
        f"source tree: {s:.3f} s   packaged: {f:.3f} s   (to the main window with {args.apps} applications)"
    )
    print(f"ratio: {f / s:.2f}x (target <= {TARGET}x)")
    print(f"bundle folder: {size / 2**20:.0f} MiB in {sum(1 for _ in BUNDLE.rglob('*'))} entries ({BUNDLE})")
    return 0 if f / s <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
