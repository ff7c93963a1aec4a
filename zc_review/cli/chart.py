"""``zc-review chart KIND [APP] -o FILE``: draw one chart from the store and export it.

Exit status: 0 written; 1 bad input (unknown application, unwritable file; reason on
stderr); 2 usage (unknown kind, bad --size, an application chart without APP).
matplotlib is imported only when the command runs, so other commands start fast.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from zc_review import i18n, paths
from zc_review.charts.kinds import CHART_INFO

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
# From the matplotlib-free list, so that building the parser does not import matplotlib.
CHART_KEYS: tuple[str, ...] = tuple(c.key for c in CHART_INFO)
DEFAULT_SIZE = (8.0, 5.0)
_MAX_INCHES = 100.0


def parse_size(value: str) -> tuple[float, float]:
    """``"8x5"`` (inches, width × height) as (8.0, 5.0); ArgumentTypeError if malformed."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*", value)
    if match is None or not all(0 < float(g) <= _MAX_INCHES for g in match.groups()):
        raise argparse.ArgumentTypeError(
            i18n.pick(
                f"尺寸“{value}”应为“宽x高”（英寸，0–{_MAX_INCHES:g}），如 8x5。",
                f"size “{value}” must be WIDTHxHEIGHT in inches (0–{_MAX_INCHES:g}), e.g. 8x5.",
            )
        )
    return float(match.group(1)), float(match.group(2))


def add_chart_parser(subparsers: Any) -> None:
    """Add ``chart`` to the ``zc-review`` subparsers."""
    p = subparsers.add_parser(
        "chart",
        help="draw a chart of one application or of the batch and export it (.png 300 dpi, .svg, .pdf)",
        description="Charts: " + ", ".join(CHART_KEYS) + ". The first four need APP.",
    )
    p.add_argument("kind", choices=CHART_KEYS, metavar="KIND", help=" | ".join(CHART_KEYS))
    p.add_argument(
        "app", nargs="?", metavar="APP", help="application number, key or name (application charts)"
    )
    p.add_argument(
        "-o", "--out", type=Path, required=True, metavar="FILE", help="FILE.png, FILE.svg or FILE.pdf"
    )
    p.add_argument(
        "--size", type=parse_size, default=DEFAULT_SIZE, metavar="WxH", help="size in inches (default 8x5)"
    )
    p.add_argument("--batch", metavar="ID", help="batch of the batch charts (default: APP's batch, or all)")
    p.add_argument(
        "--panel",
        action="store_true",
        help="scores of the whole panel only (ignore this workstation's expert)",
    )
    p.add_argument("--names", action="store_true", help="show expert names on the spread chart")
    p.set_defaults(func=cmd_chart)


def cmd_chart(args: argparse.Namespace) -> int:
    """Draw ``args.kind`` and write it to ``args.out``."""
    from zc_review.charting import draw_chart
    from zc_review.charts.export import EXPORT_FORMATS, export_figure
    from zc_review.charts.registry import chart_kind
    from zc_review.experts import current_expert
    from zc_review.store.store import Store
    from zc_review.workspace import find_application

    spec = chart_kind(args.kind)
    if spec.scope == "application" and not args.app:
        return _usage(
            f"“{args.kind}”（{spec.title_zh}）是单个申报的图表，请给出申报编号或名称：zc-review chart {args.kind} APP -o FILE",
            f"“{args.kind}” ({spec.title_en}) is a chart of one application: zc-review chart {args.kind} APP -o FILE",
        )
    if args.out.suffix.lower() not in EXPORT_FORMATS:
        return _usage(
            f"输出文件“{args.out.name}”的扩展名应为 .png、.svg 或 .pdf。",
            f"The output file “{args.out.name}” must end in .png, .svg or .pdf.",
        )
    store = Store.open(paths.data_dir())
    try:
        app_id = find_application(store, args.app) if args.app else None
        expert = None if args.panel else current_expert(store)
        fig = draw_chart(
            store,
            args.kind,
            app_id,
            expert.id if expert is not None else None,
            args.size,
            batch_id=args.batch,
            show_names=args.names,
        )
    finally:
        store.close()
    export_figure(fig, args.out)
    print(i18n.pick(f"已导出“{spec.title_zh}”：{args.out}", f"Exported “{spec.title_en}”: {args.out}"))
    return EXIT_OK


def _usage(zh: str, en: str) -> int:
    print(f"zc-review chart: {i18n.pick(zh, en)}", file=sys.stderr)
    return EXIT_USAGE
