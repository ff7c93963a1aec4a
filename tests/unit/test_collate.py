"""Collation: every number against an independent computation, conclusions, ranking, overrides."""

from __future__ import annotations

import random
import statistics
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.data import opinions as ob
from zc_review.core.collation import AppResult, Override, collate, precision, quantize
from zc_review.core.collation_rules import CollationRules
from zc_review.core.intake_result import Opinion
from zc_review.errors import UserError
from zc_review.office import records
from zc_review.store import Store
from zc_review.store.models import AuditLog

X = ob.App("NJ-01", "江宁科学城众创社区")
Y = ob.App("SZ-02", "苏州工业园区众创社区")
Z = ob.App("WX-03", "无锡太湖湾众创社区")
NAMES = ["张伟", "李娜", "王芳", "刘洋", "陈静", "赵磊", "周敏", "孙强", "吴刚"]
HARD = ("hightech_output_share",)
CENT = Decimal("0.01")


def _q(value: Fraction | Decimal) -> Decimal:
    """The test's own rounding: long division in a 60-digit context, then ROUND_HALF_UP."""
    f = Fraction(value)
    with localcontext() as ctx:
        ctx.prec = 60
        return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def _ops(app: ob.App, totals: list[str], **kwargs: object) -> list[Opinion]:
    return [ob.opinion(NAMES[i], app, t, **kwargs) for i, t in enumerate(totals)]  # type: ignore[arg-type]


def _check_every_number(a: AppResult, ops: list[Opinion], rules: CollationRules) -> None:
    """Recompute every number of ``a`` from ``ops`` with statistics/Fraction and compare."""
    totals = [Fraction(o.total) for o in ops]
    n = len(totals)
    assert a.n_reviews == n
    assert a.mean == _q(statistics.mean(totals))
    assert a.median == _q(statistics.median(totals))
    k = rules.trim_each_side
    if n >= rules.trim_when_at_least:
        assert a.trimmed
        assert a.trimmed_mean == _q(statistics.mean(sorted(totals)[k : n - k]))
    else:
        assert not a.trimmed and a.trimmed_mean == a.mean
    if n >= 2:
        assert a.stdev == statistics.stdev([o.total for o in ops]).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        assert a.stdev is None
    rubric = ob.rubric()
    for g in rubric.goals:
        assert a.goal_means[g.key] == _q(statistics.mean(Fraction(o.goal_totals[g.key]) for o in ops))
    assert a.bonus_mean == _q(statistics.mean(Fraction(o.bonus) for o in ops))
    median = statistics.median(totals)
    rows = {r.expert: r for r in a.experts}
    for o in ops:
        row = rows[o.expert_name]
        assert row.total == o.total
        assert row.deviation == _q(Fraction(o.total) - median)
        assert row.flagged == (abs(row.deviation) > rules.deviation_flag)
    expected_recs = {r.key: 0 for r in rubric.recommendations}
    for o in ops:
        expected_recs[o.recommendation_key] += 1
    assert a.recommendations == expected_recs
    expected_hard: dict[str, int] = {}
    for o in ops:
        for key in o.hard_failures:
            expected_hard[key] = expected_hard.get(key, 0) + 1
    assert a.hard_failures == expected_hard


def test_five_reviews_are_trimmed_and_every_number_is_exact() -> None:
    ops = _ops(X, ["88", "85.5", "90", "62", "86.5"], bonus=2)
    rules = CollationRules()
    [a] = collate(ops, ob.rubric(), rules).apps
    _check_every_number(a, ops, rules)
    assert (a.mean, a.median, a.trimmed_mean) == (Decimal("82.40"), Decimal("86.50"), Decimal("86.67"))
    assert a.trimmed_out == ("刘洋", "王芳")  # 62 and 90 dropped
    assert [r.expert for r in a.experts if r.flagged] == ["刘洋"]


def test_four_reviews_are_not_trimmed() -> None:
    ops = _ops(Y, ["88", "85.5", "90", "62"])
    rules = CollationRules()
    [a] = collate(ops, ob.rubric(), rules).apps
    _check_every_number(a, ops, rules)
    assert a.trimmed_mean == a.mean == Decimal("81.38")  # 325.5 / 4 = 81.375, rounded half up
    assert a.trimmed_out == ()


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6, 7, 8, 9])
def test_every_number_for_varied_panels(n: int) -> None:
    rng = random.Random(n)
    ops = [
        ob.opinion(NAMES[i], Z, Decimal(rng.randrange(80, 200)) / 2, bonus=rng.randrange(0, 3))
        for i in range(n)
    ]
    rules = CollationRules(trim_when_at_least=7, trim_each_side=2, deviation_flag=Decimal("7.5"))
    [a] = collate(ops, ob.rubric(), rules).apps
    _check_every_number(a, ops, rules)


def test_means_round_half_up_not_to_even() -> None:
    # 80 + 80 + 80 + 80.5 = 320.5; / 4 = 80.125 -> 80.13 (banker's rounding would give 80.12).
    [a] = collate(_ops(X, ["80", "80", "80", "80.5"]), ob.rubric()).apps
    assert a.mean == Decimal("80.13")
    assert precision(ob.rubric()) == 1
    assert quantize(Fraction(-1, 8), 2) == Decimal("-0.13")  # halves go away from zero
    assert str(quantize(Fraction(80), 2)) == "80.00"


def test_deviation_flag_is_strictly_more_than_the_threshold() -> None:
    # Median 80: 70 deviates exactly 10 (not flagged), 69.5 by 10.5 (flagged).
    [a] = collate(_ops(X, ["80", "80", "80", "70", "90.5", "69.5", "85"]), ob.rubric()).apps
    rows = {r.total: r for r in a.experts}
    assert rows[Decimal("70")].deviation == Decimal("-10.00") and not rows[Decimal("70")].flagged
    assert rows[Decimal("69.5")].flagged and rows[Decimal("90.5")].flagged
    assert sum(r.flagged for r in a.experts) == 2


def test_proposed_conclusion_follows_the_documented_rule() -> None:
    r = ob.rubric()

    def proposed(totals: list[str], **kw: object) -> str:
        [a] = collate(_ops(X, totals, **kw), r).apps
        return a.proposed.key

    assert proposed(["80", "80", "80"]) == "recommend"  # at the line counts (以上 includes 80)
    assert proposed(["79.5", "80", "80"]) == "revise"  # mean 79.83 < 80
    assert proposed(["90", "90", "90"], hard_fail=HARD) == "revise"  # a hard failure by the majority
    assert proposed(["90", "90", "90", "90"], recommendation="revise") == "revise"  # no one recommends
    assert proposed(["60", "60", "60"]) == "revise"
    assert proposed(["59.5", "60", "60"]) == "reject"  # mean 59.83
    # Two of four recommending is not more than half.
    ops = _ops(X, ["90", "90"]) + _ops(X, ["90", "90", "90", "90"], recommendation="revise")[2:]
    [a] = collate(ops, r).apps
    assert (a.recommendations["recommend"], a.proposed.key) == (2, "revise")
    assert any("2/4" in note for note in a.rule_notes)
    # Three of four is; and a lower pass line set for the batch applies.
    ops = [ob.opinion(NAMES[i], X, "75", recommendation="recommend") for i in range(3)]
    ops.append(ob.opinion(NAMES[3], X, "75", recommendation="revise"))
    assert collate(ops, r).apps[0].proposed.key == "revise"
    assert collate(ops, r, CollationRules(pass_line=Decimal(75))).apps[0].proposed.key == "recommend"
    two_thirds = CollationRules(pass_line=Decimal(75), majority="at-least-two-thirds")
    assert collate(ops, r, two_thirds).apps[0].proposed.key == "recommend"  # 3 of 4 ≥ 2/3


def test_ranking_tie_breaks_in_the_documented_order() -> None:
    apps = {
        # trimmed 80, no hard failure, mean 80
        "A": ["70", "80", "80", "80", "90"],
        # trimmed 80, mean 78: below A
        "B": ["60", "80", "80", "80", "90"],
        # trimmed 80 but a hard failure by the majority: below A and B despite the higher mean
        "C": ["80", "80", "80", "80", "100"],
        # four reviews: trimmed = mean = 78, median 82.5 ...
        "D": ["62", "85", "85", "80"],
        # ... same trimmed and mean, median 78: below D
        "E": ["78", "78", "78", "78"],
        # identical to E: the key decides
        "F": ["78", "78", "78", "78"],
        "G": ["90", "90", "90"],  # best
    }
    ops: list[Opinion] = []
    for key, totals in apps.items():
        app = ob.App(key, f"社区{key}")
        ops += _ops(app, totals, hard_fail=HARD if key == "C" else ())
    collation = collate(ops, ob.rubric(), applications={"H": "没有评审的社区"})
    order = [a.application_key for a in collation.apps]
    assert order == ["G", "A", "B", "C", "D", "E", "F", "H"]
    # Not reviewed is not ranked: H comes last, without a rank.
    assert [a.rank for a in collation.apps] == [*range(1, 8), None]
    by_key = {a.application_key: a for a in collation.apps}
    assert by_key["C"].trimmed_mean == by_key["A"].trimmed_mean == Decimal("80.00")
    assert by_key["C"].majority_hard_failures == HARD
    assert (by_key["D"].trimmed_mean, by_key["D"].median) == (Decimal("78.00"), Decimal("82.50"))
    assert by_key["H"].n_reviews == 0 and by_key["H"].stdev is None


def test_same_opinions_in_any_order_give_the_identical_collation() -> None:
    ops = (
        _ops(X, ["88", "85.5", "90", "62", "86.5"]) + _ops(Y, ["70", "71"]) + _ops(Z, ["90"], hard_fail=HARD)
    )
    first = collate(ops, ob.rubric())
    for seed in range(5):
        shuffled = ops[:]
        random.Random(seed).shuffle(shuffled)
        assert collate(shuffled, ob.rubric()) == first


def test_an_override_is_final_with_its_reason_and_the_proposal_is_kept() -> None:
    ops = _ops(X, ["90", "90", "90"], hard_fail=HARD)
    ov = Override("recommend", "硬性指标数据经核实为统计口径错误，已更正。", "省办公室 王科长", ob.pk.NOW)
    [a] = collate(ops, ob.rubric(), overrides={X.key: ov}).apps
    assert (a.proposed.key, a.final.key, a.final.label) == ("revise", "recommend", "建议备案试点")
    assert a.override == ov
    with pytest.raises(UserError, match="不是评分细则中的选项"):
        collate(ops, ob.rubric(), overrides={X.key: Override("pass", "理由", "王科长", ob.pk.NOW)})
    with pytest.raises(UserError, match="缺少理由"):
        collate(ops, ob.rubric(), overrides={X.key: Override("recommend", "  ", "王科长", ob.pk.NOW)})


def test_overrides_and_recusals_persist_in_the_store_and_are_audited(tmp_path: Path) -> None:
    rubric = ob.rubric()
    with Store.open(tmp_path / "data") as store:
        with pytest.raises(UserError, match="理由"):
            records.set_override(store, ob.BATCH_ID, X.key, "recommend", " ", "王科长", rubric)
        with pytest.raises(UserError, match="不是评分细则中的结论选项"):
            records.set_override(store, ob.BATCH_ID, X.key, "maybe", "理由", "王科长", rubric)
        records.set_override(store, ob.BATCH_ID, X.key, "revise", "需补充材料", "王科长", rubric)
        records.set_override(store, ob.BATCH_ID, X.key, "recommend", "会议讨论后一致同意", "李处长", rubric)
        records.set_override(store, "other-batch", X.key, "reject", "另一批次", "李处长", rubric)
        overrides = records.load_overrides(store, ob.BATCH_ID)
        assert list(overrides) == [X.key]
        assert (overrides[X.key].conclusion_key, overrides[X.key].reason, overrides[X.key].by) == (
            "recommend",
            "会议讨论后一致同意",
            "李处长",
        )
        [a] = collate(_ops(X, ["70", "70"]), rubric, overrides=overrides).apps
        assert (a.final.key, a.override) == ("recommend", overrides[X.key])

        records.record_recusal(store, ob.BATCH_ID, Y.key, " 陈静 ", "曾参与该社区规划编制", "王科长")
        [rec] = records.recusals(store, ob.BATCH_ID)
        assert (rec.expert, rec.application_key, rec.reason) == ("陈静", Y.key, "曾参与该社区规划编制")
        exp = records.expectation_from_store(store, ob.BATCH_ID)
        assert (
            exp.recused == frozenset({("陈静", Y.key)}) and exp.rubric_id is None
        )  # batch not imported here

        assert records.clear_override(store, ob.BATCH_ID, X.key, "李处长")
        assert not records.clear_override(store, ob.BATCH_ID, X.key, "李处长")
        assert records.load_overrides(store, ob.BATCH_ID) == {}
        assert records.clear_recusal(store, ob.BATCH_ID, Y.key, "陈静", "王科长")
        with store.session() as s:
            audit = s.scalars(
                select(AuditLog).where(AuditLog.entity == "panel_override").order_by(AuditLog.id)
            ).all()
            trail = [(x.actor, x.action, x.changes.get("conclusion_key")) for x in audit]
        assert trail == [
            ("王科长", "insert", [None, "revise"]),
            ("李处长", "update", ["revise", "recommend"]),
            ("李处长", "insert", [None, "reject"]),
            ("李处长", "delete", ["recommend", None]),
        ]


def test_rules_refuse_settings_that_make_no_sense() -> None:
    with pytest.raises(UserError, match="去极值"):
        CollationRules(trim_when_at_least=2, trim_each_side=1)
    with pytest.raises(UserError, match="多数规则"):
        CollationRules(majority="most")
    with pytest.raises(UserError, match="偏差"):
        CollationRules(deviation_flag=Decimal(-1))
    assert CollationRules().line(ob.rubric()) == Decimal(80)


def test_not_reviewed_is_not_rejected_too_few_reviews_get_no_conclusion_and_no_rank() -> None:
    r = ob.rubric()
    low = ob.App("low", "低分社区")
    two = ob.App("two", "两份评审社区")
    ops = _ops(X, ["90", "88", "86"]) + _ops(low, ["40", "42", "45"]) + _ops(two, ["95", "96"])
    collation = collate(ops, r, applications={"none": "无人评审社区"})
    by_key = {a.application_key: a for a in collation.apps}
    # Reviewed by a full panel: ranked and concluded, the low one 不建议 on its merits.
    assert [by_key[k].rank for k in (X.key, "low")] == [1, 2]
    assert by_key["low"].proposed is not None and by_key["low"].proposed.key == "reject"
    # Two reviews (fewer than the default 3): 评审不足, however high the scores; none: 未评审.
    for key, status, label in (
        ("two", "insufficient", "评审不足（计入 2 份，至少 3 份）"),
        ("none", "not_reviewed", "未评审"),
    ):
        app = by_key[key]
        assert (app.status, app.rank, app.proposed, app.final) == (status, None, None, None)
        assert app.status_label(en=False) == label
    assert [a.application_key for a in collation.apps] == [X.key, "low", "two", "none"]
    assert by_key["two"].mean == Decimal("95.50")  # the numbers are still shown
    # The batch's minimum is a rule: with 2 the same reviews are concluded and ranked.
    two_ok = {a.application_key: a for a in collate(ops, r, CollationRules(min_reviews=2)).apps}
    assert two_ok["two"].rank == 1 and two_ok["two"].proposed is not None


def test_an_override_on_an_application_with_too_few_reviews_is_the_only_conclusion_it_has() -> None:

    two = ob.App("two", "两份评审社区")
    ov = Override("revise", "会议决定补充评审后再议", "办公室王", ob.pk.NOW)
    [app] = collate(_ops(two, ["95", "96"]), ob.rubric(), overrides={"two": ov}).apps
    assert app.proposed is None and app.rank is None
    assert app.final is not None and app.final.key == "revise"
