"""Scoring rules: totals, completeness before submit, recommendation, calibration.

Pure functions over a rubric and a :class:`ScoreSheet`; the form, the CLI's
``score --from`` and the store all go through them, so a paper score sheet
entered by staff is held to exactly the same rules as the form.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from zc_review.core.rubric import BONUS_GOAL, Item, Recommendation, Rubric

ZERO = Decimal(0)
CENT = Decimal("0.01")
MIN_GOAL_COMMENT = 10  # characters; one real sentence in Chinese
MIN_OVERALL_OPINION = 30


@dataclass(frozen=True)
class ScoreSheet:
    """What an expert has entered for one application so far."""

    scores: Mapping[str, Decimal] = field(default_factory=dict)  # item id -> points
    item_comments: Mapping[str, str] = field(default_factory=dict)  # item id -> text
    goal_comments: Mapping[str, str] = field(default_factory=dict)  # goal key -> text
    overall_opinion: str = ""
    recommendation: str | None = None  # Recommendation.key

    def with_score(self, item_id: str, points: Decimal | None) -> ScoreSheet:
        scores = dict(self.scores)
        if points is None:
            scores.pop(item_id, None)
        else:
            scores[item_id] = points
        return replace(self, scores=scores)

    def with_item_comment(self, item_id: str, text: str) -> ScoreSheet:
        return replace(self, item_comments={**self.item_comments, item_id: text})

    def with_goal_comment(self, goal_key: str, text: str) -> ScoreSheet:
        return replace(self, goal_comments={**self.goal_comments, goal_key: text})


class FieldKind(StrEnum):
    """Which part of the form a problem points at (the GUI jumps there)."""

    DECLARATION = "declaration"
    FORMAL_CHECK = "formal_check"
    SCORE = "score"
    ITEM_COMMENT = "item_comment"
    GOAL_COMMENT = "goal_comment"
    OVERALL_OPINION = "overall_opinion"
    RECOMMENDATION = "recommendation"


@dataclass(frozen=True)
class Problem:
    """Something that stops a review from being submitted."""

    kind: FieldKind
    key: str | None  # item id or goal key where it applies
    zh: str
    en: str


def goal_total(rubric: Rubric, sheet: ScoreSheet, goal_key: str) -> Decimal:
    """Points entered so far on one goal's items."""
    return sum((sheet.scores.get(i.id, ZERO) for i in rubric.goal(goal_key).items), ZERO)


def bonus_raw(rubric: Rubric, sheet: ScoreSheet) -> Decimal:
    return sum((sheet.scores.get(i.id, ZERO) for i in rubric.bonus.items), ZERO)


def bonus_total(rubric: Rubric, sheet: ScoreSheet) -> Decimal:
    """Bonus points that count: their sum, capped by the rubric."""
    return rubric.bonus.capped(bonus_raw(rubric, sheet))


def total(rubric: Rubric, sheet: ScoreSheet) -> Decimal:
    """The total: every goal's points plus the capped bonus."""
    return sum((goal_total(rubric, sheet, g.key) for g in rubric.goals), ZERO) + bonus_total(rubric, sheet)


def scored_count(rubric: Rubric, sheet: ScoreSheet) -> tuple[int, int]:
    """(required items scored, required items): the progress shown in the list."""
    items = rubric.items()
    return sum(1 for i in items if i.id in sheet.scores), len(items)


def score_problem(item: Item, points: Decimal) -> Problem | None:
    """Why ``points`` is not a valid score for ``item``, or None."""
    # NaN and infinities (Decimal("NaN") from a typed-in sheet) cannot even be compared.
    if not points.is_finite() or points < 0 or points > item.max_points:
        return Problem(
            FieldKind.SCORE,
            item.id,
            f"“{item.title}”的得分 {points} 超出范围（0–{item.max_points} 分）。",
            f"The score {points} for “{item.title_en}” is outside 0–{item.max_points}.",
        )
    if points % item.step != 0:
        return Problem(
            FieldKind.SCORE,
            item.id,
            f"“{item.title}”的得分 {points} 不是 {item.step} 分的整数倍。",
            f"The score {points} for “{item.title_en}” is not a multiple of {item.step}.",
        )
    return None


def recommendation_by_key(rubric: Rubric, key: str | None) -> Recommendation | None:
    """The rubric's recommendation with ``key`` (or label, as a paper sheet writes it)."""
    if key is None:
        return None
    return next((r for r in rubric.recommendations if key in (r.key, r.label, r.label_en)), None)


def completeness(
    rubric: Rubric,
    sheet: ScoreSheet,
    failed_checks: Collection[str] = (),
    *,
    declared_no_conflict: bool,
    missing_materials: Collection[str] = (),
    formal_acknowledged: bool = False,
) -> list[Problem]:
    """Everything that must be fixed before submitting, in form order.

    ``failed_checks`` are the keys of hard indicator checks that failed (an item
    linked to one needs a comment); ``missing_materials`` the labels of required
    materials absent from the bundle, which the expert must acknowledge.
    """
    problems: list[Problem] = []
    if not declared_no_conflict:
        problems.append(
            Problem(
                FieldKind.DECLARATION,
                None,
                "尚未声明与本申报无利益冲突（回避声明）。",
                "The conflict-of-interest declaration has not been made.",
            )
        )
    if missing_materials and not formal_acknowledged:
        listed = "、".join(missing_materials)
        problems.append(
            Problem(
                FieldKind.FORMAL_CHECK,
                None,
                f"申报材料不齐（缺：{listed}），请在“概况”中确认已知悉。",
                f"Required materials are missing ({listed}); acknowledge this on the overview.",
            )
        )
    for goal in rubric.goals:
        for item in goal.items:
            problems += _item_problems(item, sheet, failed_checks, required=True)
        text = sheet.goal_comments.get(goal.key, "").strip()
        if len(text) < MIN_GOAL_COMMENT:
            problems.append(
                Problem(
                    FieldKind.GOAL_COMMENT,
                    goal.key,
                    f"请填写“{goal.title}”的评价意见（不少于 {MIN_GOAL_COMMENT} 字）。",
                    f"Write a comment on “{goal.title_en}” (at least {MIN_GOAL_COMMENT} characters).",
                )
            )
    for item in rubric.bonus.items:
        problems += _item_problems(item, sheet, failed_checks, required=False)
    if len(sheet.overall_opinion.strip()) < MIN_OVERALL_OPINION:
        problems.append(
            Problem(
                FieldKind.OVERALL_OPINION,
                None,
                f"请填写总体评审意见（不少于 {MIN_OVERALL_OPINION} 字）。",
                f"Write the overall opinion (at least {MIN_OVERALL_OPINION} characters).",
            )
        )
    rec = recommendation_by_key(rubric, sheet.recommendation)
    if rec is None:
        problems.append(
            Problem(
                FieldKind.RECOMMENDATION,
                None,
                "请选择评审建议。",
                "Choose a recommendation.",
            )
        )
    elif rec.blocked_by_hard_failure and failed_checks:
        problems.append(
            Problem(
                FieldKind.RECOMMENDATION,
                None,
                f"有硬指标不达标，不能选择“{rec.label}”。",
                f"A hard indicator fails, so “{rec.label_en}” cannot be chosen.",
            )
        )
    return problems


def _item_problems(
    item: Item, sheet: ScoreSheet, failed_checks: Collection[str], *, required: bool
) -> list[Problem]:
    points = sheet.scores.get(item.id)
    if points is None:
        if not required:
            return []
        return [
            Problem(
                FieldKind.SCORE,
                item.id,
                f"“{item.title}”尚未评分。",
                f"“{item.title_en}” has no score yet.",
            )
        ]
    bad = score_problem(item, points)
    if bad is not None:
        return [bad]
    if item.comment_required(points, failed_checks) and not sheet.item_comments.get(item.id, "").strip():
        why_zh, why_en = _comment_reason(item, points, failed_checks)
        return [
            Problem(
                FieldKind.ITEM_COMMENT,
                item.id,
                f"“{item.title}”需要填写说明：{why_zh}。",
                f"“{item.title_en}” needs a comment: {why_en}.",
            )
        ]
    return []


def _comment_reason(item: Item, points: Decimal, failed_checks: Collection[str]) -> tuple[str, str]:
    rule = item.comment_rule
    if rule.on_check_fail and any(k in failed_checks for k in item.checks):
        return "相关硬指标不达标", "a linked hard indicator fails"
    if item.goal == BONUS_GOAL or rule.when_awarded:
        return "给予加分须说明依据", "bonus points need a reason"
    if rule.always:
        return "本项要求说明", "this item always needs one"
    return "得分偏低", "the score is low"


@dataclass(frozen=True)
class GoalCalibration:
    """Where this review's score on a goal sits, for the hint before submit."""

    goal_key: str
    title: str
    points: Decimal
    max_points: Decimal
    bands: Mapping[str, int]  # anchor band -> how many of the goal's items score in it
    own_mean: Decimal | None  # this expert's mean on the goal over other reviews in the batch
    own_count: int
    own_stdev: Decimal | None

    @property
    def fraction(self) -> Decimal:
        return self.points / self.max_points if self.max_points else ZERO

    @property
    def unusual(self) -> bool:
        """Far from the expert's own habit: more than 2 SD (or 20% of the maximum) off their mean."""
        if self.own_mean is None or self.own_count < 2:
            return False
        gap = abs(self.points - self.own_mean)
        limit = max(self.own_stdev * 2 if self.own_stdev else ZERO, self.max_points / 5)
        return gap > limit


def calibration(rubric: Rubric, sheet: ScoreSheet, others: Sequence[ScoreSheet]) -> list[GoalCalibration]:
    """Per goal: this score against the anchors and against the expert's other reviews in the batch."""
    out = []
    for goal in rubric.goals:
        bands: dict[str, int] = {}
        for item in goal.items:
            points = sheet.scores.get(item.id)
            anchor = item.anchor_for(points) if points is not None else None
            if anchor is not None:
                bands[anchor.band] = bands.get(anchor.band, 0) + 1
        own = [goal_total(rubric, o, goal.key) for o in others]
        # Exact Decimal arithmetic, rounded half up (四舍五入) as people round by hand;
        # a float mean would round 10.125 down to 10.12.
        mean = (sum(own, ZERO) / len(own)).quantize(CENT, ROUND_HALF_UP) if own else None
        stdev = statistics.stdev(own).quantize(CENT, ROUND_HALF_UP) if len(own) >= 2 else None
        out.append(
            GoalCalibration(
                goal_key=goal.key,
                title=goal.title,
                points=goal_total(rubric, sheet, goal.key),
                max_points=goal.max_points,
                bands=bands,
                own_mean=mean,
                own_count=len(own),
                own_stdev=stdev,
            )
        )
    return out
