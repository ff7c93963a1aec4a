"""Scoring rules: totals with the capped bonus, valid scores, what must be filled in, calibration."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import pytest

from zc_review.core.application import Stage
from zc_review.core.rubric import Item, Rubric, load_rubric
from zc_review.core.scoring import (
    FieldKind,
    Problem,
    ScoreSheet,
    bonus_total,
    calibration,
    completeness,
    goal_total,
    score_problem,
    scored_count,
    total,
)

D = Decimal
LONG_GOAL = "该目标的材料翔实，论证充分，基本符合政策要求。"
LONG_OPINION = (
    "该社区区位条件优越，产业定位清晰，创业服务体系较完整，建设计划可行，建议按程序备案试点并加强统计监测。"
)


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric(Stage.APPLICATION)


def full_marks(rubric: Rubric) -> ScoreSheet:
    """Every scored item at its maximum, a comment on every goal, an opinion and the top recommendation."""
    return ScoreSheet(
        scores={i.id: i.max_points for i in rubric.items()},
        goal_comments={g.key: LONG_GOAL for g in rubric.goals},
        overall_opinion=LONG_OPINION,
        recommendation=rubric.recommendations[0].key,
    )


def linked_item(rubric: Rubric) -> tuple[Item, str]:
    """An item whose comment rule fires when a linked hard check fails, and that check's key."""
    item = next(i for i in rubric.items() if i.comment_rule.on_check_fail and i.checks)
    return item, item.checks[0]


def kinds(problems: Sequence[Problem]) -> list[tuple[FieldKind, str | None]]:
    return [(p.kind, p.key) for p in problems]


# --- totals -----------------------------------------------------------------------------------------


def test_total_is_goal_points_plus_bonus_capped_by_the_rubric(rubric: Rubric) -> None:
    sheet = full_marks(rubric)
    assert total(rubric, sheet) == D(100) == rubric.max_total

    every_bonus = sheet
    for item in rubric.bonus.items:
        every_bonus = every_bonus.with_score(item.id, item.max_points)
    raw = sum((i.max_points for i in rubric.bonus.items), D(0))
    assert raw > rubric.bonus.cap  # the rubric has more bonus items than the cap allows
    assert bonus_total(rubric, every_bonus) == rubric.bonus.cap
    assert total(rubric, every_bonus) == D(100) + rubric.bonus.cap == rubric.max_with_bonus

    two = sheet.with_score(rubric.bonus.items[0].id, D(1)).with_score(rubric.bonus.items[1].id, D(1))
    assert total(rubric, two) == D(102)


def test_goal_totals_add_the_goals_items_exactly(rubric: Rubric) -> None:
    sheet = ScoreSheet()
    expected: dict[str, Decimal] = {}
    for goal in rubric.goals:
        running = D(0)
        for n, item in enumerate(goal.items):
            points = item.max_points - item.step * n  # different points on every item
            sheet = sheet.with_score(item.id, points)
            running += points
        expected[goal.key] = running
    for goal in rubric.goals:
        assert goal_total(rubric, sheet, goal.key) == expected[goal.key]
    assert total(rubric, sheet) == sum(expected.values(), D(0))


def test_progress_counts_required_items_only(rubric: Rubric) -> None:
    items = rubric.items()
    sheet = ScoreSheet(scores={items[0].id: D(1), items[1].id: D(0)})
    sheet = sheet.with_score(rubric.bonus.items[0].id, D(1))  # bonus items are not required
    assert scored_count(rubric, sheet) == (2, len(items))
    assert scored_count(rubric, sheet.with_score(items[0].id, None)) == (1, len(items))


# --- valid scores -----------------------------------------------------------------------------------


def test_scores_must_be_in_range_and_on_the_items_step(rubric: Rubric) -> None:
    item = next(i for i in rubric.items() if i.step == D("0.5"))
    assert score_problem(item, item.max_points) is None
    assert score_problem(item, D(0)) is None
    assert score_problem(item, item.max_points - D("0.5")) is None

    for bad in (item.max_points + item.step, D("-0.5")):
        problem = score_problem(item, bad)
        assert problem is not None and problem.kind is FieldKind.SCORE and problem.key == item.id
        assert "超出范围" in problem.zh and item.title in problem.zh
    off_grid = score_problem(item, D("2.25"))
    assert off_grid is not None and "0.5 分的整数倍" in off_grid.zh


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_non_number_score_is_a_problem_not_a_crash(rubric: Rubric, value: str) -> None:
    item = rubric.items()[0]
    problem = score_problem(item, D(value))
    assert problem is not None and problem.kind is FieldKind.SCORE


# --- completeness -------------------------------------------------------------------------------------


def test_a_complete_sheet_has_no_problems(rubric: Rubric) -> None:
    assert completeness(rubric, full_marks(rubric), declared_no_conflict=True) == []


def test_every_unscored_item_is_listed_by_title_in_form_order(rubric: Rubric) -> None:
    sheet = full_marks(rubric)
    dropped = [rubric.items()[3], rubric.items()[10]]
    for item in dropped:
        sheet = sheet.with_score(item.id, None)
    problems = completeness(rubric, sheet, declared_no_conflict=True)
    assert kinds(problems) == [(FieldKind.SCORE, dropped[0].id), (FieldKind.SCORE, dropped[1].id)]
    assert [p.zh for p in problems] == [f"“{i.title}”尚未评分。" for i in dropped]


def test_declaration_formal_check_goal_comments_opinion_and_recommendation_are_required(
    rubric: Rubric,
) -> None:
    sheet = ScoreSheet(scores={i.id: i.max_points for i in rubric.items()})
    problems = completeness(rubric, sheet, declared_no_conflict=False, missing_materials=("概念性规划",))
    expected: list[tuple[FieldKind, str | None]] = [
        (FieldKind.DECLARATION, None),
        (FieldKind.FORMAL_CHECK, None),
    ]
    expected += [(FieldKind.GOAL_COMMENT, g.key) for g in rubric.goals]
    expected += [(FieldKind.OVERALL_OPINION, None), (FieldKind.RECOMMENDATION, None)]
    assert kinds(problems) == expected
    assert "概念性规划" in problems[1].zh

    acknowledged = completeness(
        rubric,
        full_marks(rubric),
        declared_no_conflict=True,
        missing_materials=("概念性规划",),
        formal_acknowledged=True,
    )
    assert acknowledged == []


def test_a_too_short_goal_comment_or_opinion_counts_as_missing(rubric: Rubric) -> None:
    goal = rubric.goals[2]
    sheet = full_marks(rubric).with_goal_comment(goal.key, "   很好    ")
    sheet = ScoreSheet(
        scores=sheet.scores,
        goal_comments=sheet.goal_comments,
        overall_opinion="同意。",
        recommendation=sheet.recommendation,
    )
    assert kinds(completeness(rubric, sheet, declared_no_conflict=True)) == [
        (FieldKind.GOAL_COMMENT, goal.key),
        (FieldKind.OVERALL_OPINION, None),
    ]


def test_a_low_score_needs_a_comment(rubric: Rubric) -> None:
    item = next(i for i in rubric.items() if i.comment_rule.below_fraction is not None)
    limit = item.max_points * item.comment_rule.below_fraction  # type: ignore[operator]
    low = max(p for p in (item.step * k for k in range(100)) if p < limit)
    sheet = full_marks(rubric).with_score(item.id, low)
    problems = completeness(rubric, sheet, declared_no_conflict=True)
    assert kinds(problems) == [(FieldKind.ITEM_COMMENT, item.id)]
    assert "得分偏低" in problems[0].zh

    at_limit = min(p for p in (item.step * k for k in range(100)) if p >= limit)
    assert (
        completeness(rubric, full_marks(rubric).with_score(item.id, at_limit), declared_no_conflict=True)
        == []
    )
    explained = sheet.with_item_comment(item.id, "载体多为在建，尚未投入使用。")
    assert completeness(rubric, explained, declared_no_conflict=True) == []


def test_an_item_linked_to_a_failed_hard_check_needs_a_comment_even_at_full_marks(rubric: Rubric) -> None:
    item, check = linked_item(rubric)
    sheet = full_marks(rubric)
    other_item = next(i for i in rubric.items() if i.checks and not set(i.checks) & set(item.checks))
    other = other_item.checks[0]
    revise = next(r.key for r in rubric.recommendations if not r.blocked_by_hard_failure)
    sheet = ScoreSheet(
        scores=sheet.scores,
        goal_comments=sheet.goal_comments,
        overall_opinion=sheet.overall_opinion,
        recommendation=revise,
    )
    problems = completeness(rubric, sheet, [check], declared_no_conflict=True)
    assert kinds(problems) == [(FieldKind.ITEM_COMMENT, item.id)]
    assert "相关硬指标不达标" in problems[0].zh
    # A failure of a check the item is not linked to asks nothing of it (only of the linked item).
    assert kinds(completeness(rubric, sheet, [other], declared_no_conflict=True)) == [
        (FieldKind.ITEM_COMMENT, other_item.id)
    ]
    explained = sheet.with_item_comment(item.id, "2025年高新技术产业产值占比恰为60%，未超过60%。")
    assert completeness(rubric, explained, [check], declared_no_conflict=True) == []


def test_awarded_bonus_points_need_a_reason_but_bonus_items_are_optional(rubric: Rubric) -> None:
    bonus = rubric.bonus.items[0]
    sheet = full_marks(rubric)
    assert completeness(rubric, sheet, declared_no_conflict=True) == []
    assert completeness(rubric, sheet.with_score(bonus.id, D(0)), declared_no_conflict=True) == []
    awarded = sheet.with_score(bonus.id, bonus.max_points)
    problems = completeness(rubric, awarded, declared_no_conflict=True)
    assert kinds(problems) == [(FieldKind.ITEM_COMMENT, bonus.id)]
    assert "加分" in problems[0].zh


def test_the_positive_recommendation_is_blocked_by_a_hard_failure(rubric: Rubric) -> None:
    item, check = linked_item(rubric)
    sheet = full_marks(rubric).with_item_comment(item.id, "硬指标不达标，已核实。")
    blocked = [r for r in rubric.recommendations if r.blocked_by_hard_failure]
    assert blocked, "the rubric blocks at least one recommendation on a hard failure"
    for rec in rubric.recommendations:
        for choice in (rec.key, rec.label):  # a paper sheet may write the label
            chosen = ScoreSheet(
                scores=sheet.scores,
                item_comments=sheet.item_comments,
                goal_comments=sheet.goal_comments,
                overall_opinion=sheet.overall_opinion,
                recommendation=choice,
            )
            problems = completeness(rubric, chosen, [check], declared_no_conflict=True)
            if rec.blocked_by_hard_failure:
                assert kinds(problems) == [(FieldKind.RECOMMENDATION, None)]
                assert rec.label in problems[0].zh
            else:
                assert problems == []
            assert completeness(rubric, chosen, [], declared_no_conflict=True) == []


def test_an_unknown_recommendation_is_not_a_choice(rubric: Rubric) -> None:
    sheet = full_marks(rubric)
    odd = ScoreSheet(
        scores=sheet.scores,
        goal_comments=sheet.goal_comments,
        overall_opinion=sheet.overall_opinion,
        recommendation="强烈推荐",
    )
    assert kinds(completeness(rubric, odd, declared_no_conflict=True)) == [(FieldKind.RECOMMENDATION, None)]


# --- calibration -----------------------------------------------------------------------------------


def goal_sheet(rubric: Rubric, goal_key: str, goal_points: Decimal) -> ScoreSheet:
    """A sheet whose goal ``goal_key`` totals ``goal_points`` (filled item by item)."""
    scores: dict[str, Decimal] = {}
    left = goal_points
    for item in rubric.goal(goal_key).items:
        take = min(left, item.max_points)
        scores[item.id] = take
        left -= take
    assert left == 0
    return ScoreSheet(scores=scores)


def test_calibration_mean_and_spread_of_the_experts_other_reviews(rubric: Rubric) -> None:
    goal = rubric.goals[0]
    others = [goal_sheet(rubric, goal.key, D(p)) for p in ("10", "12.5", "15")]
    this = goal_sheet(rubric, goal.key, D("20"))
    cal = {c.goal_key: c for c in calibration(rubric, this, others)}[goal.key]
    # By hand: mean (10 + 12.5 + 15) / 3 = 12.5; sample SD sqrt((2.5² + 0 + 2.5²) / 2) = 2.5.
    assert (cal.points, cal.max_points, cal.own_count) == (D(20), goal.max_points, 3)
    assert cal.own_mean == D("12.50")
    assert cal.own_stdev == D("2.50")
    assert cal.fraction == D(20) / goal.max_points
    # 20 is 7.5 away: more than 2 SD (5) and more than a fifth of the maximum.
    assert cal.unusual == (D("7.5") > max(D(5), goal.max_points / 5))


def test_calibration_rounds_half_up_to_the_cent(rubric: Rubric) -> None:
    goal = rubric.goals[1]
    values = [D(10)] * 7 + [D(11)]
    others = [goal_sheet(rubric, goal.key, v) for v in values]
    cal = {c.goal_key: c for c in calibration(rubric, goal_sheet(rubric, goal.key, D(10)), others)}[goal.key]
    # Mean 81 / 8 = 10.125 -> 10.13 (四舍五入); SD sqrt(0.875 / 7) = 0.3536 -> 0.35.
    assert cal.own_mean == D("10.13")
    sd = math.sqrt(sum((float(v) - 10.125) ** 2 for v in values) / 7)
    assert cal.own_stdev == D(f"{sd:.2f}") == D("0.35")
    assert not cal.unusual


def test_calibration_counts_items_per_anchor_band_and_needs_two_reviews_to_judge(rubric: Rubric) -> None:
    goal = rubric.goals[3]
    this = ScoreSheet(scores={i.id: i.max_points for i in goal.items})
    expected: dict[str, int] = {}
    for item in goal.items:
        band = next(a.band for a in item.anchors if a.min_points <= item.max_points <= a.max_points)
        expected[band] = expected.get(band, 0) + 1
    one_other = [goal_sheet(rubric, goal.key, D(0))]
    cal = {c.goal_key: c for c in calibration(rubric, this, one_other)}[goal.key]
    assert cal.bands == expected
    assert (cal.own_mean, cal.own_stdev, cal.own_count) == (D("0.00"), None, 1)
    assert not cal.unusual  # one other review is no habit to compare with

    alone = {c.goal_key: c for c in calibration(rubric, this, [])}[goal.key]
    assert (alone.own_mean, alone.own_count) == (None, 0)
