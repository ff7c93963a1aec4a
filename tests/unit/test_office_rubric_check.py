"""Every counted review obeys its rubric, and its visible page shows its embedded totals.

Each case is a forged but validly signed opinion: a payload edited before it is
rendered and signed with the real renderer and signer (its totals re-added with
``retotal``, so that only the rule the edit breaks can catch it), or a page
rendered from one payload over another payload embedded and signed. The
signature verifies; intake must still refuse to count it, and say why.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from zc_review.core.intake_result import IntakeResult, Rejection
from zc_review.core.rubric_check import violations
from zc_review.office.intake import gather, intake
from zc_review.office.page_check import compare, page_text

A = ob.App("NJ-01", "江宁科学城众创社区")
HARD = ("hightech_output_share",)


def _edited(
    expert: str, edit: Callable[[dict[str, Any]], None], total: str = "80", **kw: Any
) -> dict[str, Any]:
    p = copy.deepcopy(ob.payload(expert, A, total, **kw))
    edit(p)
    return ob.retotal(p)


def _over_max(p: dict[str, Any]) -> None:
    p["scores"]["1.1"] = "10"  # item 1.1 is worth at most 6


def _off_step(p: dict[str, Any]) -> None:
    p["scores"]["1.1"] = "4.3"  # the step is 0.5


def _item_missing(p: dict[str, Any]) -> None:
    del p["scores"]["1.2"]


def _unknown_item(p: dict[str, Any]) -> None:
    p["scores"]["9.9"] = "1"


def _bonus_over_item_max(p: dict[str, Any]) -> None:
    p["scores"]["B1"] = "2"  # a bonus item is worth 1
    p["item_comments"]["B1"] = "位于国家级高新区核心区，给予加分。"


def _bonus_over_cap(p: dict[str, Any]) -> None:
    # Every bonus item awarded (7 points), each with its reason, and counted uncapped: 5 is the cap.
    for n in range(1, 8):
        p["scores"][f"B{n}"] = "1"
        p["item_comments"][f"B{n}"] = "材料中有相应证明，给予加分。"


def _comment_dropped(p: dict[str, Any]) -> None:
    # 62 points leave item 1.1 at 3 of 6, below 60% of its maximum: it needs a comment.
    del p["item_comments"]["1.1"]


def _hard_marked_soft(p: dict[str, Any]) -> None:
    # The failed hard indicator passed off as an advisory one, so the positive recommendation looks allowed.
    for c in p["checks"]:
        if c["key"] in HARD:
            c["hard"] = False


def _shifted(p: dict[str, Any]) -> None:
    # One point moved from goal 1 to goal 2: the same total, other goal totals (no comment needed).
    p["scores"]["1.3"] = str(Decimal(p["scores"]["1.3"]) - 1)
    p["scores"]["2.1"] = str(Decimal(p["scores"]["2.1"]) + 1)


def _forged_cases() -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
    """file name -> (embedded payload, payload the page is drawn from when it differs)."""
    over_cap = _edited("孙强", _bonus_over_cap)
    over_cap["bonus"] = "7"  # the uncapped sum, and a total that adds it up
    over_cap["total"] = str(sum(Decimal(v) for v in over_cap["goal_totals"].values()) + 7)
    moved = copy.deepcopy(ob.payload("冯涛", A, "80"))
    moved["goal_totals"]["innovation_resources"] = str(
        Decimal(moved["goal_totals"]["innovation_resources"]) + 1
    )
    moved["goal_totals"]["entrepreneurship_services"] = str(
        Decimal(moved["goal_totals"]["entrepreneurship_services"]) - 1
    )
    page_80 = ob.payload("何琳", A, "80")
    return {
        "over_max.pdf": (_edited("张伟", _over_max), None),
        "off_step.pdf": (_edited("李娜", _off_step), None),
        "item_missing.pdf": (_edited("王芳", _item_missing), None),
        "unknown_item.pdf": (_edited("刘洋", _unknown_item), None),
        "bonus_item.pdf": (_edited("陈静", _bonus_over_item_max), None),
        "bonus_cap.pdf": (over_cap, None),
        "goal_total.pdf": (moved, None),
        "comment.pdf": (_edited("郑洁", _comment_dropped, total="62"), None),
        "blocked.pdf": (ob.payload("周敏", A, "85", hard_fail=HARD, recommendation="recommend"), None),
        "soft.pdf": (
            _edited("吴刚", _hard_marked_soft, total="85", hard_fail=HARD, recommendation="recommend"),
            None,
        ),
        "page_total.pdf": (ob.payload("何琳", A, "88"), page_80),
        "page_goals.pdf": (_edited("赵磊", _shifted), ob.payload("赵磊", A, "80")),
    }


VALID = {
    "valid.pdf": lambda: ob.payload("钱多", A, "80"),
    "valid_low.pdf": lambda: ob.payload("孙丽", A, "45"),  # low scores, each with its comment
    "valid_hard.pdf": lambda: ob.payload("李强", A, "85", hard_fail=HARD),  # "revise", with the comment
    "valid_bonus.pdf": lambda: ob.payload("周杰", A, "100", bonus=5),
}


@pytest.fixture(scope="module")
def forged() -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
    return _forged_cases()


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, forged: dict[str, Any]) -> IntakeResult:
    folder = tmp_path_factory.mktemp("forged")
    for name, (embedded, page) in forged.items():
        ob.write(folder, name, ob.signed_opinion(embedded, page=page))
    for name, make in VALID.items():
        ob.write(folder, name, ob.signed_opinion(make()))
    # Two workers: the page is read back in the worker processes, as in the office.
    return intake(gather([folder]), [pk.office_ca().cert], workers=2)


def _rejection(result: IntakeResult, name: str) -> Rejection:
    [r] = [r for r in result.rejected if Path(r.source).name == name]
    return r


def test_valid_opinions_still_count(result: IntakeResult) -> None:
    assert sorted(Path(o.source).name for o in result.accepted) == sorted(VALID)
    assert sorted(Path(r.source).name for r in result.rejected) == sorted(_forged_cases())


def test_the_forged_opinions_carry_a_valid_signature(result: IntakeResult) -> None:
    # What rejects them is the rubric (or the page), never the signature.
    assert {r.kind for r in result.rejected} <= {"rubric", "inconsistent", "page_mismatch"}


def test_a_score_above_the_items_maximum_is_rejected_naming_the_item(
    result: IntakeResult, forged: dict[str, Any]
) -> None:
    r = _rejection(result, "over_max.pdf")
    assert r.kind == "rubric"
    assert "第 1.1 项" in r.reason_zh and "得分 10 超出范围（0–6 分）" in r.reason_zh
    assert "item 1.1" in r.reason_en and "outside 0–6" in r.reason_en
    assert "zc-application" in r.reason_zh and "不计入汇总" in r.reason_zh
    assert (r.expert, r.application_key) == ("张伟", A.key)
    # The totals were re-added, so the maximum is the only rule it breaks.
    [v] = violations(forged["over_max.pdf"][0], ob.rubric())
    assert v.kind == "rubric"


def test_a_score_off_the_items_step_is_rejected(result: IntakeResult, forged: dict[str, Any]) -> None:
    r = _rejection(result, "off_step.pdf")
    assert r.kind == "rubric" and "第 1.1 项" in r.reason_zh and "4.3 不是 0.5 分的整数倍" in r.reason_zh
    assert len(violations(forged["off_step.pdf"][0], ob.rubric())) == 1


def test_an_unscored_item_is_rejected(result: IntakeResult, forged: dict[str, Any]) -> None:
    r = _rejection(result, "item_missing.pdf")
    assert r.kind == "rubric" and "第 1.2 项" in r.reason_zh and "尚未评分" in r.reason_zh
    assert "has no score" in r.reason_en
    assert len(violations(forged["item_missing.pdf"][0], ob.rubric())) == 1


def test_a_score_for_an_item_the_rubric_lacks_is_rejected(
    result: IntakeResult, forged: dict[str, Any]
) -> None:
    r = _rejection(result, "unknown_item.pdf")
    assert r.kind == "rubric" and "第 9.9 项不是该评分细则中的指标" in r.reason_zh
    assert "item 9.9 is not an item of the rubric" in r.reason_en
    assert len(violations(forged["unknown_item.pdf"][0], ob.rubric())) == 1


def test_a_bonus_item_above_its_maximum_is_rejected(result: IntakeResult, forged: dict[str, Any]) -> None:
    r = _rejection(result, "bonus_item.pdf")
    assert r.kind == "rubric" and "第 B1 项" in r.reason_zh and "超出范围（0–1 分）" in r.reason_zh
    assert len(violations(forged["bonus_item.pdf"][0], ob.rubric())) == 1


def test_a_bonus_above_the_cap_is_rejected(result: IntakeResult) -> None:
    r = _rejection(result, "bonus_cap.pdf")
    assert r.kind == "inconsistent"
    assert "加分 7 不等于各加分项得分之和（合计不超过 5 分）5" in r.reason_zh
    assert "capped at 5" in r.reason_en


def test_a_goal_total_that_is_not_the_sum_of_its_items_is_rejected(result: IntakeResult) -> None:
    # The overall total still adds up (one point moved between goals): only the goal sums show it.
    r = _rejection(result, "goal_total.pdf")
    assert r.kind == "inconsistent"
    assert "“创新资源富集”的得分小计" in r.reason_zh and "不等于其各项得分之和" in r.reason_zh
    assert "“创业服务完善”的得分小计" in r.reason_zh


def test_a_missing_required_comment_is_rejected(result: IntakeResult, forged: dict[str, Any]) -> None:
    assert "1.1" in ob.payload("郑洁", A, "62")["item_comments"]  # the builder writes the comment it needs
    r = _rejection(result, "comment.pdf")
    assert r.kind == "rubric"
    assert "第 1.1 项“规划范围与创新创业载体”需要填写说明：得分偏低" in r.reason_zh
    assert "item 1.1" in r.reason_en and "needs a comment: the score is low" in r.reason_en
    assert len(violations(forged["comment.pdf"][0], ob.rubric())) == 1


def test_a_recommendation_a_failed_hard_indicator_forbids_is_rejected(
    result: IntakeResult, forged: dict[str, Any]
) -> None:
    r = _rejection(result, "blocked.pdf")
    assert r.kind == "rubric" and "有硬指标不达标，不能选择“建议备案试点”" in r.reason_zh
    assert "cannot be chosen" in r.reason_en
    assert len(violations(forged["blocked.pdf"][0], ob.rubric())) == 1


def test_a_hard_indicator_marked_advisory_is_rejected(result: IntakeResult) -> None:
    r = _rejection(result, "soft.pdf")
    assert r.kind == "rubric"
    assert "“高新技术产业产值占比”在评审数据中标为提示性指标" in r.reason_zh
    assert "不能选择“建议备案试点”" in r.reason_zh  # hardness is the program's, not the file's


def test_a_page_showing_another_total_than_the_embedded_review_is_rejected(
    result: IntakeResult, forged: dict[str, Any]
) -> None:
    embedded, page = forged["page_total.pdf"]
    assert violations(embedded, ob.rubric()) == [] and violations(page, ob.rubric()) == []
    r = _rejection(result, "page_total.pdf")
    assert r.kind == "page_mismatch"
    assert "页面上的总分为 80，评审数据中为 88" in r.reason_zh
    assert "the page shows the total as 80, the review data 88" in r.reason_en


def test_a_page_showing_other_goal_totals_is_rejected_even_when_the_total_agrees(
    result: IntakeResult,
) -> None:
    r = _rejection(result, "page_goals.pdf")
    assert r.kind == "page_mismatch" and "总分" not in r.reason_zh
    assert "页面上“创新资源富集”的小计为" in r.reason_zh and "“创业服务完善”" in r.reason_zh
    assert "“创新资源富集”分项评价的得分" in r.reason_zh  # the goal comment headings are read too


def test_an_unknown_rubric_version_is_rejected(tmp_path: Path) -> None:
    # Every opinion names version 9.9, so the batch is 9.9, which this program does not have.
    ob.write(tmp_path, "a.pdf", ob.signed_opinion(ob.payload("张伟", A, "80", rubric_version="9.9")))
    res = intake(gather([tmp_path]), [pk.office_ca().cert], workers=1)
    [r] = res.rejected
    assert res.accepted == [] and r.kind == "unknown_rubric"
    assert "本程序没有该意见所依据的评分细则“zc-application”第 9.9 版" in r.reason_zh
    assert "version 9.9" in r.reason_en


def test_the_page_text_of_a_real_opinion_agrees_with_its_payload() -> None:
    # Long comments (moved below the table as notes) and several paragraphs do not confuse the reading.
    p = ob.payload("张伟", A, "62", bonus=2)
    p["item_comments"] = {k: "载体清单不够具体，部分载体尚在规划。" * 8 for k in p["item_comments"]}
    p["goal_comments"]["innovation_resources"] = "第一段意见。\n第二段意见，得分 3 分的理由。"
    text = page_text(ob.signed_opinion(p))
    assert "总分" in text and compare(text, p, ob.rubric()) == []
    other = {**p, "total": "63", "bonus": "3"}
    assert [zh for zh, _ in compare(text, other, ob.rubric())] == [
        "页面上的总分为 62，评审数据中为 63",
        "页面上的加分小计为 2，评审数据中为 3",
    ]
