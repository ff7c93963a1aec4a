"""Benchmark: drawing every chart of a 60-application batch, as a ratio to empty figures.

All charts = 4 per application + 4 batch charts, each built from data already read from
the store and rendered on an Agg canvas. The floor is drawing the same number of empty
matplotlib Figures of the same size on Agg, measured in the same run. Target <= 4x.
Reading the data from the store is timed and printed separately.

    .venv/bin/python tests/benchmarks/bench_charts.py [--apps 60] [--runs 3] [--size 8x5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from tests.data.bundles import import_batch_of  # noqa: E402
from zc_review.charting import application_chart_data, batch_chart_data  # noqa: E402
from zc_review.charts.registry import APPLICATION_KINDS, BATCH_KINDS, draw  # noqa: E402
from zc_review.cli.chart import parse_size  # noqa: E402
from zc_review.store import Store  # noqa: E402
from zc_review.workspace import list_applications  # noqa: E402


def best_of(runs: int, fn: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=parse_size, default=(8.0, 5.0))
    parser.add_argument("--dpi", type=float, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        import_batch_of(root / "data", root / "work", args.apps)
        with Store.open(root / "data") as store:
            t = time.perf_counter()
            apps = [application_chart_data(store, a.id, None) for a in list_applications(store)]
            batch = batch_chart_data(store, None, None)
            data_s = time.perf_counter() - t
        jobs = [(k, d) for d in apps for k in APPLICATION_KINDS] + [(k, batch) for k in BATCH_KINDS]

        def charts() -> None:
            for kind, data in jobs:
                draw(kind, data, figsize=args.size, dpi=args.dpi).canvas.draw()

        def empty() -> None:
            for _ in jobs:
                fig = Figure(figsize=args.size, dpi=args.dpi)
                FigureCanvasAgg(fig).draw()

        def bare_axes() -> None:
            # A second, informative reference: what one default Axes costs matplotlib.
            for _ in jobs:
                fig = Figure(figsize=args.size, dpi=args.dpi)
                fig.add_subplot()
                FigureCanvasAgg(fig).draw()

        empty()  # warm-up: imports, font cache
        charts()
        floor = best_of(args.runs, empty)
        axes_floor = best_of(args.runs, bare_axes)
        ours = best_of(args.runs, charts)
    n = len(jobs)
    print(
        f"{n} charts ({args.apps} applications x {len(APPLICATION_KINDS)} + {len(BATCH_KINDS)} batch charts)"
    )
    print(
        f"reading the chart data from the store: {data_s:.2f} s ({data_s / len(apps) * 1000:.1f} ms/application)"
    )
    print(f"empty figures:  {floor:.3f} s ({floor / n * 1000:.2f} ms each)")
    print(f"one empty Axes: {axes_floor:.3f} s ({axes_floor / n * 1000:.2f} ms each)")
    print(f"charts:         {ours:.3f} s ({ours / n * 1000:.1f} ms each)")
    ratio = ours / floor
    print(f"ratio to empty figures: {ratio:.1f}x (target <= 4x)")
    print(f"ratio to figures with one empty Axes (reference): {ours / axes_floor:.1f}x")
    return 0 if ratio <= 4 else 1


if __name__ == "__main__":
    raise SystemExit(main())
