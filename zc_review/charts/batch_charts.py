"""Charts of a whole batch: ranking, spread of expert totals, applications by city and industry.

Each function takes :class:`~zc_review.charts.data.BatchChartData` and returns a new
:class:`matplotlib.figure.Figure`. Data-carrying artists have a ``gid`` (``"total:<app id>"``,
``"experts:<app id>"``, ``"line:<points>"``, ``"count:<name>"``).
"""

from __future__ import annotations

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from zc_review.charts import style
from zc_review.charts.data import BatchChartData, BatchRow, RecommendationLine

Size = tuple[float, float]

# Score bands from the highest recommendation line down: dark, light, lightest (and hatched),
# so the bands stay apart in greyscale.
_BAND_FACES = (style.BLUE, style.SKY, style.LIGHT_GREY)
_BAND_HATCHES = (None, None, "..")


def ranking(data: BatchChartData, *, figsize: Size = style.DEFAULT_FIGSIZE, dpi: float = 100) -> Figure:
    """Applications ranked by total score, with the rubric's recommendation lines.

    The total is this expert's when the data is for an expert, otherwise the panel mean.
    Unscored applications are left out and counted under the chart.
    """
    by_expert = data.expert_id is not None
    scored = [(r, t) for r in data.rows if (t := _ranked_total(r, by_expert)) is not None]
    scored.sort(key=lambda rt: (-rt[1], rt[0].name))
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        ax = fig.add_subplot()
        style.finish_axes(ax)
        size = _row_font(figsize, len(scored))
        ys = list(range(len(scored)))[::-1]
        bars = ax.barh(ys, [value for _row, value in scored], height=0.7, edgecolor=style.DARK, linewidth=0.6)
        for y, bar, (row, value) in zip(ys, bars, scored, strict=True):
            band = _band(value, data.lines)
            bar.set(facecolor=_BAND_FACES[band], hatch=_BAND_HATCHES[band], gid=f"total:{row.app_id}")
            flag = "  ✘ 硬指标不达标" if row.hard_failures else ""
            ax.text(value, y, f" {value:.1f}{flag}", va="center", ha="left", fontsize=size)
        ax.set_yticks(ys)
        ax.set_yticklabels([f"{i}. {r.name}" for i, (r, _t) in enumerate(scored, start=1)], fontsize=size)
        ax.set_ylim(-0.6, max(len(scored), 1) - 0.4)
        ax.set_xlim(0, data.max_total * 1.12)
        _lines(ax, data.lines, len(scored))
        ax.set_xlabel("总分（分）" if by_expert else "专家组平均总分（分）")
        ax.legend(handles=_band_handles(data.lines), loc="lower right")
        if not scored:
            style.empty_note(ax, "尚无评分")
        left = len(data.rows) - len(scored)
        note = f"；另有 {left} 个申报尚未评分" if left else ""
        who = "本专家评分" if by_expert else "专家组平均分"
        style.title(fig, f"申报总分排序（{who}）", f"{data.batch_name}，共 {len(data.rows)} 个申报{note}")
    return fig


def spread(
    data: BatchChartData,
    *,
    figsize: Size = style.DEFAULT_FIGSIZE,
    dpi: float = 100,
    show_names: bool = False,
) -> Figure:
    """Each expert's submitted total per application (a strip plot), with the mean and range.

    Experts who recused from an application are not in its data. Names are shown only when
    ``show_names`` (the presenter turns them on).
    """
    rows = [r for r in data.rows if r.expert_totals]
    rows.sort(key=lambda r: (-(r.panel_mean or 0.0), r.name))
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        ax = fig.add_subplot()
        style.finish_axes(ax)
        size = _row_font(figsize, len(rows))
        ys = list(range(len(rows)))[::-1]
        for y, row in zip(ys, rows, strict=True):
            xs = [e.total for e in row.expert_totals]
            if len(xs) > 1:
                ax.plot([min(xs), max(xs)], [y, y], color=style.GREY, linewidth=1.2, zorder=1)
            ax.scatter(
                xs, [y] * len(xs), s=36 * style.font_scale(figsize), color=style.BLUE, edgecolors="white",
                linewidths=0.6, zorder=3, gid=f"experts:{row.app_id}",
            )  # fmt: skip
            mean = row.panel_mean or 0.0
            ax.plot([mean], [y], marker="|", markersize=16, markeredgewidth=2.5, color=style.VERMILLION,
                    linestyle="none", zorder=4, gid=f"mean:{row.app_id}")  # fmt: skip
            if show_names:
                # Alternate above and below the points: close totals would otherwise stack names.
                for k, e in enumerate(sorted(row.expert_totals, key=lambda e: e.total)):
                    ax.annotate(e.name, (e.total, y), textcoords="offset points", xytext=(0, 5 if k % 2 else -5),
                                ha="center", va="bottom" if k % 2 else "top", fontsize=size * 0.85)  # fmt: skip
        ax.set_yticks(ys)
        ax.set_yticklabels([r.name for r in rows], fontsize=size)
        ax.set_ylim(-0.6, max(len(rows), 1) - 0.4)
        # A dot plot need not start at 0: zoom to the scores and the lines, in steps of 10.
        low = min([*(e.total for r in rows for e in r.expert_totals), *(ln.min_total for ln in data.lines)],
                  default=0.0)  # fmt: skip
        ax.set_xlim(max(0.0, (low - 5) // 10 * 10), data.max_total * 1.02)
        _lines(ax, data.lines, len(rows))
        ax.grid(axis="x")
        ax.set_xlabel("已提交的专家总分（分）")
        handles = [
            Line2D([], [], marker="o", color=style.BLUE, linestyle="none", label="一位专家的总分"),
            Line2D(
                [], [], marker="|", markersize=14, markeredgewidth=2.5, color=style.VERMILLION, linestyle="none",
                label="平均分",
            ),
        ]  # fmt: skip
        ax.legend(handles=handles, loc="lower right")
        if not rows:
            style.empty_note(ax, "尚无已提交的专家评分")
        experts = len({e.expert_id for r in rows for e in r.expert_totals})
        style.title(fig, "专家评分分布", f"{data.batch_name}，{experts} 位专家，回避的专家不计入")
    return fig


def by_city(data: BatchChartData, *, figsize: Size = style.DEFAULT_FIGSIZE, dpi: float = 100) -> Figure:
    """Applications per city (the 13 设区市 in the province's order)."""
    counts = data.by_city()
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        ax = fig.add_subplot()
        style.finish_axes(ax)
        xs = list(range(len(counts)))
        bars = ax.bar(xs, [n for _, n in counts], width=0.65, color=style.BLUE)
        for x, bar, (city, n) in zip(xs, bars, counts, strict=True):
            bar.set_gid(f"count:{city}")
            if n:
                ax.text(x, n, f"{n}", ha="center", va="bottom")
        ax.set_xticks(xs)
        ax.set_xticklabels([c for c, _ in counts], rotation=45, ha="right", rotation_mode="anchor")
        _count_axis(ax, max((n for _, n in counts), default=0), "y")
        ax.set_ylabel("申报数（个）")
        style.title(fig, "各设区市申报数", f"{data.batch_name}，共 {len(data.rows)} 个申报")
    return fig


def by_industry(data: BatchChartData, *, figsize: Size = style.DEFAULT_FIGSIZE, dpi: float = 100) -> Figure:
    """Applications per leading industry, most first."""
    counts = data.by_industry()
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        ax = fig.add_subplot()
        style.finish_axes(ax)
        ys = list(range(len(counts)))[::-1]
        bars = ax.barh(ys, [n for _, n in counts], height=0.65, color=style.BLUE)
        for y, bar, (industry, n) in zip(ys, bars, counts, strict=True):
            bar.set_gid(f"count:{industry}")
            ax.text(n, y, f" {n}", ha="left", va="center")
        ax.set_yticks(ys)
        ax.set_yticklabels([i for i, _ in counts])
        _count_axis(ax, max((n for _, n in counts), default=0), "x")
        ax.set_xlabel("申报数（个）")
        if not counts:
            style.empty_note(ax, "没有申报")
        style.title(fig, "各主导产业申报数", f"{data.batch_name}，共 {len(data.rows)} 个申报")
    return fig


# --- helpers ---------------------------------------------------------------------------------------


def _ranked_total(row: BatchRow, by_expert: bool) -> float | None:
    return row.total if by_expert else row.panel_mean


def _band(value: float, lines: tuple[RecommendationLine, ...]) -> int:
    for i, line in enumerate(lines[: len(_BAND_FACES) - 1]):
        if value >= line.min_total:
            return i
    return min(len(lines), len(_BAND_FACES) - 1)


def _band_handles(lines: tuple[RecommendationLine, ...]) -> list[Patch]:
    out = []
    shown = lines[: len(_BAND_FACES) - 1]
    for i, line in enumerate(shown):
        out.append(Patch(facecolor=_BAND_FACES[i], hatch=_BAND_HATCHES[i], edgecolor=style.DARK,
                         label=f"{line.min_total:g} 分以上"))  # fmt: skip
    if shown:
        last = len(shown)
        out.append(Patch(facecolor=_BAND_FACES[last], hatch=_BAND_HATCHES[last], edgecolor=style.DARK,
                         label=f"不满 {shown[-1].min_total:g} 分"))  # fmt: skip
    return out


def _lines(ax: Axes, lines: tuple[RecommendationLine, ...], rows: int) -> None:
    """Vertical score lines, each labelled "80 分 建议备案试点" above the plot."""
    for line in lines:
        solid = line.positive
        ax.axvline(
            line.min_total, color=style.VERMILLION if solid else style.DARK, linestyle="-" if solid else "--",
            linewidth=1.8 if solid else 1.2, zorder=5, gid=f"line:{line.min_total:g}",
        )  # fmt: skip
        # The positive (highest) line is labelled to its right, the others to their left,
        # so labels of lines 20 points apart never overlap.
        ax.text(
            line.min_total, 1.0, f" {line.min_total:g} 分 {line.label} ", transform=ax.get_xaxis_transform(),
            ha="left" if solid else "right", va="bottom", fontsize=matplotlib.rcParams["legend.fontsize"],
            color=style.VERMILLION if solid else style.DARK,
        )  # fmt: skip


def _row_font(figsize: Size, rows: int) -> float:
    """Type small enough that one label per row fits, never below 5 pt or above the tick size."""
    base = float(matplotlib.rcParams["ytick.labelsize"])
    if rows == 0:
        return base
    per_row = figsize[1] * 72 * 0.75 / rows
    return max(5.0, min(base, per_row * 0.72))


def _count_axis(ax: Axes, top: int, which: str) -> None:
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    if which == "y":
        ax.set_ylim(0, max(top, 1) * 1.15)
    else:
        ax.set_xlim(0, max(top, 1) * 1.15)
