"""The chart kinds by key, without matplotlib: what the GUI and the CLI list before anything is drawn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal["application", "batch"]


@dataclass(frozen=True)
class ChartInfo:
    key: str
    title_zh: str
    title_en: str
    scope: Scope


CHART_INFO: tuple[ChartInfo, ...] = (
    ChartInfo("radar", "五个目标得分雷达图", "Five goals radar", "application"),
    ChartInfo("hard-indicators", "硬指标与政策门槛", "Hard indicators against thresholds", "application"),
    ChartInfo("growth", "新增初创企业与从业人员", "Startups and employees by year", "application"),
    ChartInfo(
        "investment", "建设项目投资与特色产业占比", "Investment and strategic industry share", "application"
    ),
    ChartInfo("ranking", "申报总分排序", "Ranking by total score", "batch"),
    ChartInfo("spread", "专家评分分布", "Spread of expert scores", "batch"),
    ChartInfo("by-city", "各设区市申报数", "Applications by city", "batch"),
    ChartInfo("by-industry", "各主导产业申报数", "Applications by industry", "batch"),
)
INFO_BY_KEY: dict[str, ChartInfo] = {c.key: c for c in CHART_INFO}
