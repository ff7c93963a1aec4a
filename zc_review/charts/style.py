"""The look of every chart: palette, pass/fail marks, fonts, sizes.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies),
picked so that the pairs that must be told apart also differ in lightness and therefore
survive greyscale print. Pass and fail are never colour alone: a failing bar is also
hatched and labelled "✘ 不达标", a passing one "✔ 达标".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from zc_review.charts import fonts
from zc_review.core.indicators import CheckStatus

# Okabe–Ito. Greyscale luminance (ITU-R 601) in brackets.
BLUE = "#0072B2"  # (87)  this expert / main series
SKY = "#56B4E9"  # (158) light series
ORANGE = "#E69F00"  # (162) panel mean / second series
VERMILLION = "#D55E00"  # (119) failure
GREEN = "#009E73"  # (106)
GREY = "#999999"
DARK = "#222222"
LIGHT_GREY = "#DDDDDD"

DEFAULT_FIGSIZE: tuple[float, float] = (8.0, 5.0)
DEFAULT_DPI = 100

# Why not green/red: they collapse to similar greys and confuse red–green colour blindness.
# A light sky-blue pass against a darker, hatched vermillion fail differs in hue and lightness.


@dataclass(frozen=True)
class StatusStyle:
    """How one check status is drawn."""

    face: str
    edge: str
    hatch: str | None
    mark: str  # shown next to the value: the status in words, with a symbol


STATUS_STYLES: dict[CheckStatus, StatusStyle] = {
    CheckStatus.PASS: StatusStyle(SKY, BLUE, None, "✔ 达标"),
    CheckStatus.FAIL: StatusStyle(VERMILLION, DARK, "xx", "✘ 不达标"),
    CheckStatus.WARNING: StatusStyle(ORANGE, DARK, "..", "！提示"),
    CheckStatus.MISSING: StatusStyle(LIGHT_GREY, GREY, "..", "缺数据"),
}

TITLE_SIZE = 14.0
LABEL_SIZE = 11.0
TICK_SIZE = 10.0
NOTE_SIZE = 9.0
_BASE_FIGSIZE = (8.0, 5.0)


def font_scale(figsize: tuple[float, float]) -> float:
    """How much larger than at 8×5 inches the type is: a full-screen slide gets large type."""
    w, h = figsize
    return max(0.75, min(2.5, w / _BASE_FIGSIZE[0], h / _BASE_FIGSIZE[1]))


def rc_params(figsize: tuple[float, float] = DEFAULT_FIGSIZE) -> dict[Any, Any]:
    """matplotlib settings for chart drawing: the CJK font for every text, type scaled to the size."""
    k = font_scale(figsize)
    return {
        "font.family": [fonts.cjk_family()],
        "font.size": TICK_SIZE * k,
        "figure.titlesize": TITLE_SIZE * k,
        "axes.titlesize": LABEL_SIZE * k,
        "axes.labelsize": LABEL_SIZE * k,
        "xtick.labelsize": TICK_SIZE * k,
        "ytick.labelsize": TICK_SIZE * k,
        "legend.fontsize": NOTE_SIZE * k,
        "lines.linewidth": 2.0 * k,
        "lines.markersize": 7.0 * k,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "grid.color": LIGHT_GREY,
        "grid.linewidth": 0.8,
        "hatch.linewidth": 1.0 * k,
        # The shipped font has U+2212, but an ASCII hyphen keeps exported text searchable.
        "axes.unicode_minus": False,
        # Stable ids in SVG output: the same chart gives the same file.
        "svg.hashsalt": "zc-review",
    }


@contextmanager
def chart_style(figsize: tuple[float, float] = DEFAULT_FIGSIZE) -> Iterator[None]:
    """Draw inside this context so every artist is created with the chart settings.

    rcParams are process-global; ``rc_context`` restores them afterwards, so other
    matplotlib users (the demo maps, the GUI) are not affected. Artists keep the font
    they were created with, so the figure renders the same later, outside the context.
    """
    with matplotlib.rc_context(rc_params(figsize)):
        yield


def new_figure(figsize: tuple[float, float] = DEFAULT_FIGSIZE, dpi: float = DEFAULT_DPI) -> Figure:
    """A Figure on an Agg canvas (the GUI re-parents it onto its own Qt canvas)."""
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def finish_axes(ax: Axes) -> None:
    """Pin tick labels to the CJK font, so ticks created later at draw time keep it."""
    ax.tick_params(labelfontfamily=fonts.cjk_family())


def title(fig: Figure, text: str, subtitle: str = "") -> None:
    """The chart's title (and a smaller second line, e.g. the community's name)."""
    fig.suptitle(text, fontsize=matplotlib.rcParams["figure.titlesize"])
    if subtitle:
        # A figure-level second line; constrained layout keeps the axes clear of both.
        fig.supxlabel(
            subtitle, fontsize=matplotlib.rcParams["legend.fontsize"], color=GREY, ha="right", x=0.99
        )


def empty_note(ax: Axes, text: str) -> None:
    """A centred message on an axes with nothing to plot (e.g. "尚未评分")."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=matplotlib.rcParams["axes.labelsize"],
        color=GREY,
    )
