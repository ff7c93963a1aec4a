"""Where a value came from: an Application field named back to its workbook sheet and label."""

from __future__ import annotations

from zc_review.bundles.workbook_layout import (
    INDICATORS_TABLE,
    INVESTMENT_TABLE,
    PLAN_TABLE,
    SHEET_BASICS,
    STAGE_TITLES,
    basic_fields,
)
from zc_review.core.application import Stage


def source_location(source: str, stage: Stage = Stage.APPLICATION) -> str:
    """A person's description of where ``source`` (an Application field path) is entered.

    ``"carrier_floor_area_m2"`` → ``"众创社区申报书 › 基本情况 › 创新创业服务载体建筑面积（平方米）"``;
    ``"years.sei_investment"`` → the by-year table column. Unknown paths are returned unchanged.
    """
    book = STAGE_TITLES[stage]
    if source.startswith("years."):
        key = source.removeprefix("years.")
        for table in (INVESTMENT_TABLE, INDICATORS_TABLE):
            for col in table.data_columns:
                if col.key == key:
                    return f"{book} › {table.sheet} › “{col.label}”列（各年度）"
        return source
    if source.startswith("construction_plan"):
        return f"{book} › {PLAN_TABLE.sheet}"
    if source in ("materials", "present_materials"):
        return f"{book} › 材料清单，及压缩包中的附件"
    specs = basic_fields(stage)
    if source == "service_platforms":
        labels = "、".join(f"“{s.label}”" for s in specs if s.attr.startswith("platform:"))
        return f"{book} › {SHEET_BASICS} › {labels}"
    for spec in specs:
        if spec.attr == source:
            return f"{book} › {SHEET_BASICS} › “{spec.label}”"
    return source
