"""Where an expert's review stands: kept apart from the models so the window's start needs no SQLAlchemy."""

from __future__ import annotations

from enum import StrEnum


class ReviewStatus(StrEnum):
    """Where an expert's review of one application version stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    RECUSED = "recused"  # the expert declared a conflict of interest (回避)

    @property
    def label_zh(self) -> str:
        return {
            "not_started": "未开始",
            "in_progress": "评审中",
            "submitted": "已提交",
            "recused": "已回避",
        }[self.value]
