"""Every chart kind by key, and one call to draw any of them from its data.

Reading that data from the store is :mod:`zc_review.charting`'s (:func:`~zc_review.charting.draw_chart`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from zc_review.charts import application_charts, batch_charts, style
from zc_review.charts.data import ApplicationChartData, BatchChartData
from zc_review.charts.kinds import CHART_INFO, Scope
from zc_review.errors import UserError


@dataclass(frozen=True)
class ChartKind:
    """One kind of chart: its key (as in ``zc-review chart KIND``), titles and drawing function.

    ``draw(data, figsize=..., dpi=...)`` takes :class:`ApplicationChartData` for the
    ``"application"`` scope and :class:`BatchChartData` for ``"batch"``.
    """

    key: str
    title_zh: str
    title_en: str
    scope: Scope
    draw: Callable[..., Figure]


_DRAW: dict[str, Callable[..., Figure]] = {
    "radar": application_charts.goals_radar,
    "hard-indicators": application_charts.hard_indicators,
    "growth": application_charts.growth,
    "investment": application_charts.investment,
    "ranking": batch_charts.ranking,
    "spread": batch_charts.spread,
    "by-city": batch_charts.by_city,
    "by-industry": batch_charts.by_industry,
}
CHART_KINDS: dict[str, ChartKind] = {
    i.key: ChartKind(i.key, i.title_zh, i.title_en, i.scope, _DRAW[i.key]) for i in CHART_INFO
}
APPLICATION_KINDS: tuple[str, ...] = tuple(k for k, v in CHART_KINDS.items() if v.scope == "application")
BATCH_KINDS: tuple[str, ...] = tuple(k for k, v in CHART_KINDS.items() if v.scope == "batch")


def chart_kind(kind: str) -> ChartKind:
    """The chart kind with key ``kind``; UserError listing the keys if there is none."""
    try:
        return CHART_KINDS[kind]
    except KeyError:
        keys = "、".join(CHART_KINDS)
        raise UserError(
            f"没有“{kind}”这种图表，可选：{keys}。",
            f"There is no chart kind “{kind}”; choose one of {', '.join(CHART_KINDS)}.",
        ) from None


def draw(
    kind: str,
    data: ApplicationChartData | BatchChartData,
    *,
    figsize: tuple[float, float] = style.DEFAULT_FIGSIZE,
    dpi: float = style.DEFAULT_DPI,
    show_names: bool = False,
) -> Figure:
    """Draw chart ``kind`` from data already built (the GUI builds it once per application)."""
    spec = chart_kind(kind)
    wanted = ApplicationChartData if spec.scope == "application" else BatchChartData
    if not isinstance(data, wanted):
        raise TypeError(f"chart {kind!r} draws {wanted.__name__}, not {type(data).__name__}")
    extra: dict[str, Any] = {"show_names": show_names} if kind == "spread" else {}
    return spec.draw(data, figsize=figsize, dpi=dpi, **extra)
