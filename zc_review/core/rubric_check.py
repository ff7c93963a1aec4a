"""Does a signed review obey the rubric it names? The office's own re-check, before it counts.

A valid signature proves who signed a file and that it was not changed since; it
does not prove that the program which wrote the review kept to the rubric. The
expert's program refuses to submit a review that breaks it
(:func:`zc_review.core.scoring.completeness`); the office does not rely on that
and applies the same rules again to the embedded ``review.json``:

* every score is within 0…its maximum and on its step, every scored item of the
  rubric has one, no score or comment names an item the rubric does not have
  (JSON object keys are unique: :func:`~zc_review.reports.review_payload.extract_payload`
  refuses a key given twice, so "exactly once" follows);
* the comments, the declaration, the formal-check acknowledgement and the
  recommendation are what :func:`~zc_review.core.scoring.completeness` demands
  before submitting: a comment wherever the rubric requires one, and no
  recommendation the rubric blocks when a hard indicator fails;
* the indicator checks are the rubric's, each marked hard exactly when the
  program's indicator engine says it is (so a failed hard indicator cannot be
  passed off as a soft one);
* each goal total is the sum of its items, the bonus the capped sum of the bonus
  items (:func:`~zc_review.core.scoring.bonus_total`), the total goals + bonus.

:func:`violations` lists what is wrong, each as a :class:`Violation` whose
``kind`` is ``"rubric"`` (a rule of the rubric is broken) or ``"inconsistent"``
(the totals do not add up); :func:`rubric_of` finds the rubric a payload names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from zc_review.core import scoring
from zc_review.core.checks import check_info
from zc_review.core.rubric import Rubric, find_rubric
from zc_review.core.scoring import FieldKind, ScoreSheet
from zc_review.core.thresholds import format_number
from zc_review.errors import UserError

__all__ = ["Violation", "failed_hard_checks", "rubric_of", "violations"]

ViolationKind = Literal["rubric", "inconsistent"]


@dataclass(frozen=True)
class Violation:
    """One way a review breaks its rubric, in Chinese and English (without a final full stop)."""

    kind: ViolationKind
    zh: str
    en: str


def rubric_of(payload: Mapping[str, Any]) -> Rubric | None:
    """The packaged rubric with the id and version ``payload`` names, or None if this program lacks it."""
    try:
        return find_rubric(str(payload["rubric"]["id"]), str(payload["rubric"]["version"]))
    except UserError:
        return None


def failed_hard_checks(payload: Mapping[str, Any], rubric: Rubric) -> tuple[str, ...]:
    """Keys of the rubric's hard indicator checks the payload reports failed (hardness by the program)."""
    return tuple(
        c["key"]
        for c in payload["checks"]
        if c["key"] in rubric.checks and c["status"] == "fail" and check_info(c["key"]).hard
    )


def violations(payload: Mapping[str, Any], rubric: Rubric) -> list[Violation]:
    """Everything in the (schema-valid) ``payload`` that breaks ``rubric``, in form order; empty if none."""
    out: list[Violation] = []
    known = {i.id for i in rubric.items(include_bonus=True)}
    scores: dict[str, Decimal] = {}
    for item_id, text in payload["scores"].items():
        if item_id not in known:
            out.append(
                Violation(
                    "rubric",
                    f"第 {item_id} 项不是该评分细则中的指标，却有得分 {text}",
                    f"item {item_id} is not an item of the rubric, yet it is scored {text}",
                )
            )
            continue
        try:
            scores[item_id] = Decimal(text)
        except InvalidOperation:  # the schema's pattern makes this unreachable
            out.append(
                Violation(
                    "rubric",
                    f"第 {item_id} 项的得分“{text}”不是数字",
                    f"item {item_id}: “{text}” is no number",
                )
            )
    out += [
        Violation(
            "rubric",
            f"第 {item_id} 项不是该评分细则中的指标，却有评分说明",
            f"item {item_id} is not an item of the rubric, yet it has a comment",
        )
        for item_id in payload["item_comments"]
        if item_id not in known
    ]
    out += _check_list_violations(payload, rubric)
    failed = failed_hard_checks(payload, rubric)
    chosen = payload["recommendation"] or {}
    rec = next((r for r in rubric.recommendations if r.key == chosen.get("key")), None)
    if chosen and rec is None:
        out.append(
            Violation(
                "rubric",
                f"评审建议“{chosen.get('label')}”（{chosen.get('key')}）不是该评分细则的选项",
                f"the recommendation “{chosen.get('label')}” ({chosen.get('key')}) is not an option of the rubric",
            )
        )
    elif rec is not None and chosen.get("label") != rec.label:
        out.append(
            Violation(
                "rubric",
                f"评审建议的名称“{chosen.get('label')}”与评分细则中该选项的名称“{rec.label}”不符",
                f"the recommendation is labelled “{chosen.get('label')}”, the rubric calls it “{rec.label}”",
            )
        )
    sheet = ScoreSheet(
        scores=scores,
        item_comments=dict(payload["item_comments"]),
        goal_comments=dict(payload["goal_comments"]),
        overall_opinion=str(payload["overall_opinion"]),
        recommendation=None if rec is None else rec.key,
    )
    formal = payload["formal_check"]
    problems = scoring.completeness(
        rubric,
        sheet,
        failed,
        declared_no_conflict=payload["conflict"]["conflicted"] is False,
        missing_materials=tuple(formal["missing_materials"]),
        formal_acknowledged=bool(formal["acknowledged"]),
    )
    for p in problems:
        if p.kind is FieldKind.RECOMMENDATION and rec is None:
            continue  # said above: the recommendation is not one of the rubric's (drafts never get here)
        where_zh = f"第 {p.key} 项" if p.kind in (FieldKind.SCORE, FieldKind.ITEM_COMMENT) else ""
        where_en = f"item {p.key}: " if where_zh else ""
        out.append(
            Violation("rubric", where_zh + p.zh.rstrip("。"), where_en + _lower_first(p.en.rstrip(".")))
        )
    out += _total_violations(payload, rubric, sheet)
    return out


def _lower_first(text: str) -> str:
    # "The score …" continues a sentence as "the score …" (an acronym such as "SEI" stays).
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def _shown(text: str) -> str:
    # A decimal string of the payload as the page prints it ("17.0" -> "17").
    return format_number(Decimal(text))


def _check_list_violations(payload: Mapping[str, Any], rubric: Rubric) -> list[Violation]:
    """The indicator checks must be the rubric's, in its order, each as hard as the program says."""
    keys = [c["key"] for c in payload["checks"]]
    if keys != list(rubric.checks):
        missing = [k for k in rubric.checks if k not in keys]
        extra = [k for k in keys if k not in rubric.checks]
        detail_zh = "；".join(
            part
            for part in (
                f"缺少 {'、'.join(missing)}" if missing else "",
                f"多出 {'、'.join(extra)}" if extra else "",
                "顺序或次数不同" if not missing and not extra else "",
            )
            if part
        )
        detail_en = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"extra {', '.join(extra)}" if extra else "",
                "in another order or repeated" if not missing and not extra else "",
            )
            if part
        )
        return [
            Violation(
                "rubric",
                f"评审数据中的指标核查项目与评分细则规定的不同（{detail_zh}）",
                f"the indicator checks in the review data are not the rubric's ({detail_en})",
            )
        ]
    out = []
    for c in payload["checks"]:
        info = check_info(c["key"])
        if bool(c["hard"]) != info.hard:
            said_zh, said_en = ("硬性", "hard") if c["hard"] else ("提示性", "advisory")
            out.append(
                Violation(
                    "rubric",
                    f"指标核查“{info.title_zh}”在评审数据中标为{said_zh}指标，与评分细则不符",
                    f"the indicator check “{info.title_en}” is marked {said_en} in the review data, "
                    "unlike the rubric",
                )
            )
    return out


def _total_violations(payload: Mapping[str, Any], rubric: Rubric, sheet: ScoreSheet) -> list[Violation]:
    """Each goal total the sum of its items, the bonus the capped bonus sum, the total goals + bonus."""
    out: list[Violation] = []
    stated: dict[str, str] = payload["goal_totals"]
    for goal in rubric.goals:
        if goal.key not in stated:
            out.append(
                Violation(
                    "inconsistent",
                    f"评审数据缺少“{goal.title}”的得分小计",
                    f"the review data lacks the subtotal of “{goal.title_en}”",
                )
            )
            continue
        want = scoring.goal_total(rubric, sheet, goal.key)
        if Decimal(stated[goal.key]) != want:
            out.append(
                Violation(
                    "inconsistent",
                    f"“{goal.title}”的得分小计 {_shown(stated[goal.key])} 不等于其各项得分之和 {format_number(want)}",
                    f"the subtotal {_shown(stated[goal.key])} of “{goal.title_en}” is not the sum "
                    f"{format_number(want)} of its items",
                )
            )
    bonus = scoring.bonus_total(rubric, sheet)
    if Decimal(payload["bonus"]) != bonus:
        cap, capped = format_number(rubric.bonus.cap), format_number(bonus)
        out.append(
            Violation(
                "inconsistent",
                f"加分 {_shown(payload['bonus'])} 不等于各加分项得分之和（合计不超过 {cap} 分）{capped}",
                f"the bonus {_shown(payload['bonus'])} is not the sum of the bonus items capped at {cap} ({capped})",
            )
        )
    total = scoring.total(rubric, sheet)
    if Decimal(payload["total"]) != total:
        out.append(
            Violation(
                "inconsistent",
                f"总分 {_shown(payload['total'])} 不等于各目标得分与加分之和 {format_number(total)}",
                f"the total {_shown(payload['total'])} is not the goals' points plus the bonus "
                f"({format_number(total)})",
            )
        )
    return out
