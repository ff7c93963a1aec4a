"""Charts of one application: goals radar, hard indicators, growth, investment.

Each function takes :class:`~zc_review.charts.data.ApplicationChartData` and returns a
new :class:`matplotlib.figure.Figure` (never pyplot), sized ``figsize`` inches at ``dpi``.
Artists that carry data have a ``gid`` (e.g. ``"expert"``, ``"threshold"``) so tests and
the GUI can find them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.projections.polar import PolarAxes
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from zc_review.charts import style
from zc_review.charts.data import ApplicationChartData, HardIndicator, YearShare
from zc_review.core.indicators import CheckStatus

GROWTH_REFERENCE = 0.10  # 年均增长10%以上 (clause 一, 产业特色鲜明)
GROWTH_REFERENCE_LABEL = "年均增长10%参考线"
SEI_SHARE_LINE = 0.70
SEI_SHARE_WORDING = "不低于70%"

Size = tuple[float, float]


def goals_radar(
    data: ApplicationChartData, *, figsize: Size = style.DEFAULT_FIGSIZE, dpi: float = 100
) -> Figure:
    """The five goals as a radar: points as a fraction of each goal's maximum.

    This expert's scores (gid ``"expert"``) and the panel mean (gid ``"panel"``) where present.
    """
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        ax = fig.add_subplot(projection="polar")
        assert isinstance(ax, PolarAxes)
        style.finish_axes(ax)
        n = len(data.goals)
        angles = [2 * math.pi * i / n for i in range(n)]
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        loop = [*angles, angles[0]]
        if data.goals and data.goals[0].points is not None:
            fr = [(g.points or 0.0) / g.max_points for g in data.goals]
            ax.plot(loop, [*fr, fr[0]], color=style.BLUE, marker="o", label="本专家评分", gid="expert")
            ax.fill(loop, [*fr, fr[0]], color=style.BLUE, alpha=0.15)
        if any(g.panel_mean is not None for g in data.goals):
            fr = [(g.panel_mean or 0.0) / g.max_points for g in data.goals]
            ax.plot(
                loop,
                [*fr, fr[0]],
                color=style.VERMILLION,
                linestyle="--",
                marker="s",
                label=f"专家组平均分（{data.panel_size} 位专家）",
                gid="panel",
            )
        ax.set_ylim(0, 1)
        ax.set_yticks([0.2, 0.4, 0.6, 0.8, 1.0])
        ax.set_yticklabels(["20%", "40%", "60%", "80%", "100%"], color=style.GREY)
        ax.set_rlabel_position(180 / n)
        ax.set_xticks(angles)
        ax.set_xticklabels([_goal_label(g.title, g.points, g.max_points) for g in data.goals])
        ax.tick_params(axis="x", pad=12 * style.font_scale(figsize))
        _align_outward(ax, angles)
        ax.grid(color=style.LIGHT_GREY)
        if data.has_scores:
            ax.legend(loc="upper right", bbox_to_anchor=(1.35, 1.12))
        else:
            style.empty_note(ax, "尚未评分")
        style.title(fig, "五个目标得分（占各目标满分的比例）", _caption(data))
    return fig


def hard_indicators(
    data: ApplicationChartData, *, figsize: Size = style.DEFAULT_FIGSIZE, dpi: float = 100
) -> Figure:
    """Each quantitative hard indicator as a bar normalised to its policy threshold (= 100%).

    Bars (gid ``"indicator:<key>"``) are coloured, hatched and marked by the engine's verdict;
    each row's threshold tick (gid ``"threshold:<key>"``) is labelled with the policy wording.
    """
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        ax = fig.add_subplot()
        style.finish_axes(ax)
        rows = data.checks
        ys = list(range(len(rows)))[::-1]  # first indicator on top
        top = max([1.3, *[min(r.ratio, 2.0) * 1.05 for r in rows if r.ratio is not None]])
        measured = [(y, row) for y, row in zip(ys, rows, strict=True) if row.ratio is not None]
        # One call for all the bars (each then gets its row's verdict style), not one per row.
        widths = [row.ratio or 0.0 for _, row in measured]
        bars = ax.barh([y for y, _ in measured], widths, height=0.5, linewidth=1)
        for bar, (_y, row) in zip(bars, measured, strict=True):
            st = style.STATUS_STYLES[row.status]
            bar.set(facecolor=st.face, edgecolor=st.edge, hatch=st.hatch, gid=f"indicator:{row.key}")
        for y, row in zip(ys, rows, strict=True):
            st = style.STATUS_STYLES[row.status]
            ax.add_line(
                Line2D(
                    [1, 1], [y - 0.38, y + 0.38], color=style.DARK, linewidth=2.5, gid=f"threshold:{row.key}"
                )
            )
            ax.text(
                1, y + 0.3, f" {row.wording}", ha="left", va="bottom", fontsize=_small(), color=style.DARK
            )
            note = f"（{row.note}）" if row.note else ""
            shown = f"{row.value_text}{note}  {st.mark}" if row.ratio is not None else st.mark
            # Right of both the bar and the threshold tick, so neither hides the text.
            x = max(min(row.ratio or 0.0, top), 1.0)
            ax.text(x + top * 0.015, y, shown, ha="left", va="center", fontsize=_small(), clip_on=False)
        ax.set_yticks(ys)
        ax.set_yticklabels([r.title for r in rows])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlim(0, top * 1.45)  # room for the value text right of the longest bar
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("指标值 ÷ 政策门槛（门槛 = 100%）")
        ax.legend(handles=_status_handles(rows), loc="lower right")
        if not rows:
            style.empty_note(ax, "本阶段没有可量化的硬指标")
        style.title(fig, "硬指标与政策门槛", _caption(data))
    return fig


def growth(data: ApplicationChartData, *, figsize: Size = style.DEFAULT_FIGSIZE, dpi: float = 100) -> Figure:
    """New startups and employees absorbed by year, each with the 10% compound-growth path.

    Actual figures have gid ``"actual"``; the reference path from the first year ``"reference"``.
    """
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        axes = fig.subplots(1, 2)
        series = (
            ("新登记注册初创企业数（家）", [y.new_startups for y in data.years]),
            ("吸纳从业人员数（人）", [y.new_employees for y in data.years]),
        )
        years = [y.year for y in data.years]
        checks = {c.key: c for c in data.checks}
        for ax, (label, values), key in zip(axes, series, ("startup_growth", "employee_growth"), strict=True):
            check = checks.get(key)
            verdict = ""
            if check is not None and check.value is not None:
                verdict = f"\n年均增长{check.value_text}  {style.STATUS_STYLES[check.status].mark}"
            _growth_panel(ax, label + verdict, years, values)
        style.title(fig, "新增初创企业与从业人员（年均增长10%以上）", _caption(data))
    return fig


def investment(
    data: ApplicationChartData, *, figsize: Size = style.DEFAULT_FIGSIZE, dpi: float = 100
) -> Figure:
    """Investment by year: the strategic emerging industry part and the rest as stacked bars
    (gids ``"sei"``, ``"other"``); its share on a twin axis (gid ``"share"``) against the
    70% line (gid ``"share-line"``) labelled "不低于70%".
    """
    with style.chart_style(figsize):
        fig = style.new_figure(figsize, dpi)
        ax = fig.add_subplot()
        style.finish_axes(ax)
        years = [y.year for y in data.years]
        sei = [float(y.sei_investment) if y.sei_investment is not None else math.nan for y in data.years]
        totals = [
            float(y.total_investment) if y.total_investment is not None else math.nan for y in data.years
        ]
        rest = [t - s for t, s in zip(totals, sei, strict=True)]
        ax.bar(years, sei, width=0.6, color=style.BLUE, label="特色战略新兴产业项目投资", gid="sei")
        ax.bar(
            years,
            rest,
            width=0.6,
            bottom=sei,
            color=style.SKY,
            edgecolor=style.BLUE,
            hatch="//",
            label="其他建设项目投资",
            gid="other",
        )
        ax.set_ylabel("建设项目投资（万元）")
        ax.set_xticks(years)
        ax.set_xticklabels([f"{y}年" for y in years])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
        finite = [t for t in totals if not math.isnan(t)]
        ax.set_ylim(0, (max(finite) if finite else 1) * 1.25)
        share_ax = ax.twinx()
        style.finish_axes(share_ax)
        share_ax.spines["right"].set_visible(True)
        _share_line(share_ax, data.sei_share)
        share_ax.set_ylim(0, 1.1)
        share_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        share_ax.set_ylabel("特色战略新兴产业投资占比")
        handles, labels = ax.get_legend_handles_labels()
        h2, l2 = share_ax.get_legend_handles_labels()
        ax.legend(handles + h2, labels + l2, loc="upper left", ncols=2)
        if not data.years:
            style.empty_note(ax, "申报书未填写年度投资数据")
        style.title(fig, "建设项目投资与特色战略新兴产业投资占比", _caption(data))
    return fig


# --- helpers ---------------------------------------------------------------------------------------


def _caption(data: ApplicationChartData) -> str:
    return f"{data.community_name}（{data.city}{data.county}）"


def _small() -> float:
    return float(matplotlib.rcParams["legend.fontsize"])


def _align_outward(ax: PolarAxes, angles: Sequence[float]) -> None:
    """Anchor each goal label on the ring's side of it, so it grows away from the ring.

    Centred on its angle, a wide label beside the ring (管理体制科学, 创业服务完善) ran back
    over it. With 0 at the top and angles clockwise, a label right of the centre starts at its
    anchor, one left of it ends there; the top one sits above its anchor, the bottom ones below.
    """
    for label, angle in zip(ax.get_xticklabels(), angles, strict=False):
        across, up = math.sin(angle), math.cos(angle)
        label.set_horizontalalignment("left" if across > 0.1 else "right" if across < -0.1 else "center")
        label.set_verticalalignment("bottom" if up > 0.5 else "top" if up < -0.5 else "center")


def _goal_label(title: str, points: float | None, max_points: float) -> str:
    return title if points is None else f"{title}\n{points:g} / {max_points:g} 分"


def _status_handles(rows: Sequence[HardIndicator]) -> list[Patch]:
    present = {r.status for r in rows}
    out = []
    for status in (CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.WARNING, CheckStatus.MISSING):
        if status in present:
            st = style.STATUS_STYLES[status]
            out.append(Patch(facecolor=st.face, edgecolor=st.edge, hatch=st.hatch, label=st.mark))
    return out


def _growth_panel(ax: Axes, label: str, years: list[int], values: list[int | None]) -> None:
    style.finish_axes(ax)
    ys = [math.nan if v is None else float(v) for v in values]
    ax.plot(years, ys, color=style.BLUE, marker="o", label="申报数据", gid="actual")
    first = next(((yr, v) for yr, v in zip(years, values, strict=True) if v), None)
    if first is not None:
        y0, v0 = first
        ref = [v0 * (1 + GROWTH_REFERENCE) ** (yr - y0) for yr in years]
        ax.plot(
            years, ref, color=style.DARK, linestyle="--", linewidth=1.5, label=GROWTH_REFERENCE_LABEL,
            gid="reference",
        )  # fmt: skip
    ax.set_title(label)
    ax.set_xticks(years)
    ax.set_xticklabels([f"{y}年" for y in years])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.grid(axis="y")
    finite = [v for v in ys if not math.isnan(v)]
    if first is not None:
        finite += ref
    if finite:
        ax.set_ylim(0, max(finite) * 1.25)
    else:
        style.empty_note(ax, "缺数据")
    ax.legend(loc="lower right")


def _share_line(ax: Axes, shares: tuple[YearShare, ...]) -> None:
    years = [s.year for s in shares]
    values = [math.nan if s.share is None else s.share for s in shares]
    ax.plot(
        years,
        values,
        color=style.DARK,
        linewidth=1.5,
        marker="o",
        label="特色战略新兴产业投资占比",
        gid="share",
    )
    # Failing years get a second, unmistakable marker (shape and colour), not colour alone.
    bad = [(s.year, s.share) for s in shares if s.meets is False and s.share is not None]
    if bad:
        ax.plot(
            [b[0] for b in bad], [b[1] for b in bad], linestyle="none", marker="X", markersize=14,
            color=style.VERMILLION, markeredgecolor=style.DARK, label="✘ 未达到70%", gid="share-fail",
        )  # fmt: skip
    for yr, v in zip(years, values, strict=True):
        if not math.isnan(v):
            ax.annotate(f"{v:.1%}", (yr, v), textcoords="offset points", xytext=(0, 12), ha="center",
                        fontsize=_small())  # fmt: skip
    ax.axhline(SEI_SHARE_LINE, color=style.VERMILLION, linestyle="--", linewidth=1.5, gid="share-line")
    ax.text(
        0.01, SEI_SHARE_LINE, f"{SEI_SHARE_WORDING}", transform=ax.get_yaxis_transform(), ha="left", va="bottom",
        color=style.VERMILLION, fontsize=_small(), bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
    )  # fmt: skip
