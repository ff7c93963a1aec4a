"""Domain words as the UI shows them, through Qt's translation (the core keeps the Chinese)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from zc_review.core.application import MaterialKind, Stage


def stage_label(stage: Stage) -> str:
    return {
        Stage.APPLICATION: QCoreApplication.translate("Stage", "申报论证"),
        Stage.ANNUAL: QCoreApplication.translate("Stage", "年度考核"),
        Stage.ACCEPTANCE: QCoreApplication.translate("Stage", "评估验收"),
    }[stage]


def material_label(kind: MaterialKind | str) -> str:
    """The name of a material of clause 三(二) (or 申报书 for the workbook)."""
    if kind == "workbook":
        return QCoreApplication.translate("Material", "申报书")
    return {
        MaterialKind.PLAN: QCoreApplication.translate("Material", "创建方案"),
        MaterialKind.BOUNDARY: QCoreApplication.translate("Material", "四至范围"),
        MaterialKind.POSITIONING: QCoreApplication.translate("Material", "产业定位"),
        MaterialKind.INVESTMENT: QCoreApplication.translate("Material", "投资规模"),
        MaterialKind.SCHEDULE: QCoreApplication.translate("Material", "建设计划"),
        MaterialKind.CONCEPT: QCoreApplication.translate("Material", "概念性规划"),
        MaterialKind.OTHER: QCoreApplication.translate("Material", "其他附件"),
    }[MaterialKind(kind)]


def fmt_points(points: Decimal) -> str:
    """``Decimal`` points as a person writes them: 18, 18.5 (no trailing zeros, no exponent)."""
    text = format(points, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
