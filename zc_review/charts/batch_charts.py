"""Charts of a whole batch: ranking, spread of expert totals, applications by city and industry.

Each function takes :class:`~zc_review.charts.data.BatchChartData` and returns a new
:class:`matplotlib.figure.Figure`. Data-carrying artists have a ``gid`` (``"total:<app id>"``,
``"experts:<app id>"``, ``"line:<points>"``, ``"count:<name>"``); the ranking's flag overlays are
``"hard:<app id>"`` and ``"no-majority:<app id>"``, its score labels ``"label:<app id>"``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from zc_review.charts import style
from zc_review.charts.data import BatchChartData, BatchRow, RecommendationLine, score_text

Size = tuple[float, float]

# Score bands from the highest recommendation line down: dark, light, lightest (and hatched),
# so the bands stay apart in greyscale.
_BAND_FACES = (style.BLUE, style.SKY, style.LIGHT_GREY)
_BAND_HATCHES = (None, None, "..")
_BAR_HEIGHT = 0.7


@dataclass(frozen=True)
class _Flag:
    """Something a ranking bar is marked with besides its score: a hatch, a word, a legend entry."""

    key: str  # the overlay's gid prefix
    hatch: str
    color: str
    mark: str  # said after the score
    legend: str
    applies: Callable[[BatchRow], bool]

    def handle(self) -> Patch:
        return Patch(facecolor="white", edgecolor=style.DARK, hatch=self.hatch, hatchcolor=self.color,
                     linewidth=0.6, label=self.legend)  # fmt: skip


def _flags(positive: str | None) -> tuple[_Flag, ...]:
    option = f"“{positive}”" if positive else "推荐意见"
    return (
        _Flag("hard", "xx", style.VERMILLION, "✘ 硬指标不达标", "硬指标不达标", lambda r: r.hard_failures > 0),
        _Flag("no-majority", "---", style.DARK, "未获多数建议", f"未获多数建议（选{option}的专家未达多数）",
              lambda r: r.no_majority),
    )  # fmt: skip


def ranking(data: BatchChartData, *, figsize: Size = style.DEFAULT_FIGSIZE, dpi: float = 100) -> Figure:
    """Applications ranked by total score, with the rubric's recommendation lines.

    The total is this expert's when the data is for an expert, otherwise the panel's score
    (labelled with the collated table's decimals). A hard-indicator failure and a positive
    recommendation without a majority are hatched over the bar, said after its score and
    explained in the legend. Unscored applications, and (from a collation) those with counted
    reviews but too few to be ranked, are left out and counted under the chart.
    """
    by_expert = data.expert_id is not None
    scored = [(r, t) for r in data.rows if (t := _ranked_total(r, by_expert)) is not None]
    scored.sort(key=lambda rt: (-rt[1], rt[0].name))
    unranked = 0 if by_expert else sum(r.unranked for r in data.rows)
    unscored = len(data.rows) - len(scored) - unranked
    places = max(0, data.places - 1) if by_expert else data.places
    positive = data.recommendation_line
    flags = _flags(positive.label if positive is not None else None)
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        ax = fig.add_subplot()
        style.finish_axes(ax)
        size = _row_font(figsize, len(scored))
        ys = list(range(len(scored)))[::-1]
        bars = ax.barh(ys, [value for _row, value in scored], height=_BAR_HEIGHT, edgecolor=style.DARK,
                       linewidth=0.6)  # fmt: skip
        shown: set[str] = set()
        labels: list[tuple[float, Text]] = []
        for y, bar, (row, value) in zip(ys, bars, scored, strict=True):
            band = _band(value, data.lines)
            bar.set(facecolor=_BAND_FACES[band], hatch=_BAND_HATCHES[band], gid=f"total:{row.app_id}")
            marks = []
            for flag in flags:
                if flag.applies(row):
                    # A second, transparent bar on top carries the flag's hatch in its own colour.
                    ax.barh([y], [value], height=_BAR_HEIGHT, facecolor="none", edgecolor="none",
                            hatch=flag.hatch, hatchcolor=flag.color, linewidth=0,
                            gid=f"{flag.key}:{row.app_id}")  # fmt: skip
                    marks.append(flag.mark)
                    shown.add(flag.key)
            text = score_text(value, places) + "".join(f"  {m}" for m in marks)
            # Just right of the bar, above the score lines and on white, so a line through a
            # long label does not cross it out.
            label = ax.annotate(text, (value, y), xytext=(3, 0), textcoords="offset points", va="center",
                                ha="left", fontsize=size, zorder=6, bbox=_LABEL_BOX)  # fmt: skip
            label.set_gid(f"label:{row.app_id}")
            labels.append((value, label))
        ax.set_yticks(ys)
        ax.set_yticklabels([f"{i}. {r.name}" for i, (r, _t) in enumerate(scored, start=1)], fontsize=size)
        ax.set_ylim(-0.6, max(len(scored), 1) - 0.4)
        ax.set_xlim(0, data.max_total * 1.12)
        _lines(ax, data.lines, len(scored))
        ax.set_xlabel("总分（分）" if by_expert else "专家组平均总分（分）")
        handles = _band_handles(data.lines) + [f.handle() for f in flags if f.key in shown]
        # Under the axis, not over the bars: a flagged bar's label runs far to the right.
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=min(len(handles), 3),
                  frameon=False, handleheight=1.6, handlelength=2.4)  # fmt: skip
        if not scored:
            style.empty_note(ax, "尚无评分" if not unranked else "评审不足，未排名")
        note = ""
        if unranked:
            note += f"；另有 {unranked} 个申报评审不足，未排名"
        if unscored:
            note += f"；另有 {unscored} 个申报尚未评分"
        who = "本专家评分" if by_expert else "专家组平均分"
        style.title(fig, f"申报总分排序（{who}）", f"{data.batch_name}，共 {len(data.rows)} 个申报{note}")
        _fit_labels(fig, ax, labels)
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


_LABEL_BOX = {"boxstyle": "square,pad=0", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def _fit_labels(fig: Figure, ax: Axes, labels: list[tuple[float, Text]]) -> None:
    """Widen the x axis until every bar's label ends inside it (a flagged label is long).

    Measured on a laid-out draw, without rendering: a label's width is fixed in points, so a
    label at ``x`` reaching ``share`` of the axes' width past it fits when the axis spans
    ``(x - low) / (0.98 - share)``, 2% to spare.
    """
    if not labels:
        return
    for _x, label in labels:  # kept inside the axes below, so the layout need not make room for them
        label.set_in_layout(False)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    axes_width = ax.get_window_extent(renderer).width
    low, high = ax.get_xlim()
    need = high
    for x, label in labels:
        start = ax.transData.transform((x, 0.0))[0]
        share = (label.get_window_extent(renderer).x1 - start) / axes_width
        if share < 0.9:  # a label nearly as wide as the plot cannot be fitted by scaling
            need = max(need, low + (x - low) / (0.98 - share))
    if need > high:
        ax.set_xlim(low, need)


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
