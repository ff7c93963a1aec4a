"""Collate a batch's counted opinions: per-application statistics, conclusions, ranking.

Arithmetic is exact: totals are the signed decimal strings, every statistic is
computed with :class:`fractions.Fraction` and rounded **once**, at the end, with
ROUND_HALF_UP (四舍五入) to the rubric's precision plus one decimal. The
rubric's precision is the number of decimals of its finest item step (0.5 →
1 decimal), so means, medians, trimmed means, goal means, standard deviations
and deviations are shown with 2 decimals on the packaged rubrics; a total is
shown as signed. The standard deviation is the sample one (n − 1), its square
root taken with 50 significant digits before the one rounding.

Conclusions and ranks are decided on the numbers **as shown** (rounded), so any
reader can check them from the printed table.

Ranking (1 = best, every rank distinct, ties broken in this order):
trimmed mean (higher first), then fewer hard indicators failed by a majority
of the reviews, then mean (higher), then median (higher), then application key
(ascending; the last resort is arbitrary but fixed). Only applications with
enough counted reviews and no unresolved conflict are ranked; after them, unranked,
come the ones in conflict (冲突: an expert's opinions are not one revision chain and
no clerk chose the one that counts), then those with too few reviews (评审不足),
then those with none (未评审).

Same opinions in any order → identical :class:`Collation`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from zc_review import i18n
from zc_review.core.checks import check_info
from zc_review.core.collation_rules import CollationRules, positive_option
from zc_review.core.intake_result import Conflict, Opinion
from zc_review.core.rubric import Recommendation, Rubric
from zc_review.errors import UserError

__all__ = [
    "CONFLICT",
    "INSUFFICIENT",
    "NOT_REVIEWED",
    "REVIEWED",
    "AppResult",
    "Collation",
    "Conclusion",
    "ExpertRow",
    "Override",
    "collate",
    "find_rubric",
    "precision",
    "quantize",
]


def find_rubric(rubric_id: str, rubric_version: str) -> Rubric:
    """The packaged rubric with this id and version (UserError when the program lacks it)."""
    from zc_review.core.rubric import find_rubric as _find

    return _find(rubric_id, rubric_version)


@dataclass(frozen=True)
class Override:
    """Staff's decision replacing the proposed conclusion, with the required reason."""

    conclusion_key: str
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Conclusion:
    """A recommendation option of the rubric as a panel conclusion."""

    key: str
    label: str
    label_en: str = ""

    @classmethod
    def of(cls, rec: Recommendation) -> Conclusion:
        return cls(rec.key, rec.label, rec.label_en)


@dataclass(frozen=True)
class ExpertRow:
    """One expert's counted total for an application and its deviation from the panel median."""

    expert: str
    total: Decimal
    deviation: Decimal  # total − median, quantized like the means
    flagged: bool  # |deviation| > rules.deviation_flag
    recommendation_key: str = ""
    source: str = ""


REVIEWED = "reviewed"
INSUFFICIENT = "insufficient"  # 评审不足: some counted reviews, fewer than the batch's minimum
NOT_REVIEWED = "not_reviewed"  # 未评审: no counted review at all
CONFLICT = "conflict"  # 冲突: an expert's opinions are not one revision chain; a clerk must choose


@dataclass(frozen=True)
class AppResult:
    """The panel's result for one application.

    Only a ``REVIEWED`` application (at least ``rules.min_reviews`` counted reviews and no
    unresolved conflict) has a proposed conclusion and a rank; the others have ``proposed``,
    ``rank`` (and, unless staff set one, ``final``) None: not reviewed is not rejected. A
    ``CONFLICT`` application's statistics are those of the reviews that do count (the
    conflicting expert's are not among them). ``conflicts`` are the application's conflict
    groups, resolved by a clerk's choice or not.
    """

    application_key: str
    community_name: str
    n_reviews: int
    mean: Decimal
    median: Decimal
    trimmed_mean: Decimal
    trimmed: bool
    stdev: Decimal | None
    goal_means: dict[str, Decimal]
    experts: list[ExpertRow]
    hard_failures: dict[str, int]  # check key -> number of reviews reporting it failed
    recommendations: dict[str, int]  # recommendation key -> count (every option of the rubric)
    proposed: Conclusion | None
    final: Conclusion | None
    override: Override | None
    rank: int | None
    bonus_mean: Decimal = Decimal(0)
    majority_hard_failures: tuple[str, ...] = ()  # failed according to a majority of the reviews
    trimmed_out: tuple[str, ...] = ()  # the experts whose totals the trimmed mean dropped
    rule_notes: tuple[str, ...] = ()  # why the proposed conclusion is what it is (Chinese)
    status: str = REVIEWED  # REVIEWED, CONFLICT, INSUFFICIENT or NOT_REVIEWED
    min_reviews: int = 0  # the batch's minimum when this result was made
    conflicts: tuple[Conflict, ...] = ()

    @property
    def unresolved(self) -> tuple[Conflict, ...]:
        """The conflicts no clerk's choice resolves (the application is 冲突 while there are any)."""
        return tuple(c for c in self.conflicts if not c.resolved)

    @property
    def reviewed(self) -> bool:
        """Enough counted reviews for a proposed conclusion and a rank."""
        return self.status == REVIEWED

    def status_label(self, en: bool | None = None) -> str:
        """ "" when reviewed; else 冲突（…）, 评审不足（计入 2 份，至少 3 份） or 未评审.

        In the UI language unless ``en`` says (the workbook and the summary are Chinese).
        """
        english = i18n.language() == "en" if en is None else en
        if self.status == CONFLICT:
            names = ", " if english else "、"
            who = names.join(c.expert for c in self.unresolved)
            if english:
                return f"conflict (several opinions of {who}; a clerk must choose the one that counts)"
            return f"冲突（{who}的多份意见表待经办人选定）"
        if self.status == NOT_REVIEWED:
            return "not reviewed" if english else "未评审"
        if self.status == INSUFFICIENT:
            if english:
                return f"too few reviews ({self.n_reviews} counted, at least {self.min_reviews})"
            return f"评审不足（计入 {self.n_reviews} 份，至少 {self.min_reviews} 份）"
        return ""


@dataclass(frozen=True)
class Collation:
    """The collated batch: one :class:`AppResult` per application, in rank order."""

    batch_id: str
    rubric_id: str
    rubric_version: str
    rules: CollationRules
    apps: list[AppResult]
    places: int = 2  # decimals of the means (rubric precision + 1)
    pass_line: Decimal = Decimal(0)  # the line in force (rules.pass_line or the rubric's)
    ignored_overrides: tuple[str, ...] = field(default=())  # overrides for applications not collated
    conflicts: tuple[Conflict, ...] = ()  # every conflict group, resolved or not, by application then expert

    @property
    def unresolved(self) -> tuple[Conflict, ...]:
        """The conflicts no clerk's choice resolves; ``zc-review collate`` exits 1 while there are any."""
        return tuple(c for c in self.conflicts if not c.resolved)


# --- numbers --------------------------------------------------------------------------------------


def precision(rubric: Rubric) -> int:
    """Decimals of the rubric's finest item step (0.5 → 1, 1 → 0)."""
    exps = [i.step.normalize().as_tuple().exponent for i in rubric.items(include_bonus=True)]
    return max([0, *(-e for e in exps if isinstance(e, int))])


def quantize(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half away from zero (ROUND_HALF_UP) to ``places`` decimals, exactly."""
    scaled = abs(value) * 10**places
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r >= scaled.denominator:
        q += 1
    sign = -1 if value < 0 else 1
    return (Decimal(sign * q) / Decimal(10**places)).quantize(Decimal(1).scaleb(-places))


def _frac(d: Decimal) -> Fraction:
    return Fraction(d)


def _median(values: Sequence[Fraction]) -> Fraction:
    s = sorted(values)
    n, mid = len(s), len(s) // 2
    return s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2


def _stdev(values: Sequence[Fraction], places: int) -> Decimal | None:
    n = len(values)
    if n < 2:
        return None
    mean = sum(values, Fraction(0)) / n
    var = sum(((v - mean) ** 2 for v in values), Fraction(0)) / (n - 1)
    ctx = Context(prec=50)
    root = ctx.sqrt(ctx.divide(Decimal(var.numerator), Decimal(var.denominator)))
    return root.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- collation ------------------------------------------------------------------------------------


def collate(
    opinions: Sequence[Opinion],
    rubric: Rubric,
    rules: CollationRules | None = None,
    overrides: Mapping[str, Override] | None = None,
    batch_id: str | None = None,
    applications: Mapping[str, str] | None = None,
    conflicts: Sequence[Conflict] = (),
) -> Collation:
    """Collate ``opinions`` (one per expert and application, as :func:`intake` accepts them).

    ``conflicts`` (``IntakeResult.conflicts``): an application with an unresolved one is
    ``CONFLICT`` — no proposed conclusion, not ranked, listed after the ranked ones.

    ``overrides`` maps application key -> staff's :class:`Override` (its
    conclusion must be one of the rubric's options). ``applications`` (key ->
    community name) adds applications that have no counted opinion yet, so
    they are listed (with zero reviews) rather than forgotten. ``batch_id``
    defaults to the opinions' (they must agree).
    """
    rules = rules or CollationRules()
    overrides = dict(overrides or {})
    places = precision(rubric) + 1
    keys = {r.key for r in rubric.recommendations}
    for key, ov in sorted(overrides.items()):
        if ov.conclusion_key not in keys:
            raise UserError(
                f"申报“{key}”的人工调整结论“{ov.conclusion_key}”不是评分细则中的选项"
                f"（可选：{'、'.join(r.label for r in rubric.recommendations)}）。",
                f"The override of “{key}” names “{ov.conclusion_key}”, which is not an option of the rubric.",
            )
        if not ov.reason.strip():
            raise UserError(f"申报“{key}”的人工调整结论缺少理由。", f"The override of “{key}” has no reason.")
    batches = sorted({o.batch_id for o in opinions})
    rubrics = sorted({(o.rubric_id, o.rubric_version) for o in opinions})
    if len(batches) > 1 or (batch_id is not None and batches and batches != [batch_id]):
        raise ValueError(f"opinions of several batches: {batches}")
    if rubrics and rubrics != [(rubric.id, rubric.version)]:
        raise ValueError(f"opinions scored under {rubrics}, not {rubric.id} {rubric.version}")
    seen: set[tuple[str, str]] = set()
    by_app: dict[str, list[Opinion]] = {}
    for op in sorted(opinions, key=lambda o: (o.application_key, o.expert_name, o.source)):
        pair = (op.expert_name, op.application_key)
        if pair in seen:
            raise ValueError(f"two opinions of {pair}: intake must resolve revisions first")
        seen.add(pair)
        by_app.setdefault(op.application_key, []).append(op)
    names = dict(applications or {})
    for key, ops in by_app.items():
        names.setdefault(key, _community(ops))
    ordered = tuple(sorted(conflicts, key=lambda c: (c.application_key, c.expert)))
    by_app_conflicts: dict[str, tuple[Conflict, ...]] = {}
    for c in ordered:
        by_app_conflicts[c.application_key] = (*by_app_conflicts.get(c.application_key, ()), c)
        names.setdefault(c.application_key, c.application_key)

    line = rules.line(rubric)
    results = [
        _with_conflicts(
            _app_result(
                key, names[key], by_app.get(key, []), rubric, rules, overrides.get(key), places, line
            ),
            by_app_conflicts.get(key, ()),
        )
        for key in sorted(names)
    ]
    # Ranked: the reviewed ones only. Then, unranked, those in conflict, with too few reviews, with none.
    ranked = sorted((a for a in results if a.reviewed), key=_rank_key)
    unranked = sorted(
        (a for a in results if not a.reviewed),
        key=lambda a: (_UNRANKED_ORDER[a.status], -a.n_reviews, a.application_key),
    )
    apps = [_with_rank(a, n) for n, a in enumerate(ranked, start=1)] + unranked
    return Collation(
        batch_id=batch_id or (batches[0] if batches else ""),
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rules=rules,
        apps=apps,
        places=places,
        pass_line=line,
        ignored_overrides=tuple(sorted(set(overrides) - set(names))),
        conflicts=ordered,
    )


_UNRANKED_ORDER = {CONFLICT: 0, INSUFFICIENT: 1, NOT_REVIEWED: 2}


def _with_conflicts(a: AppResult, conflicts: tuple[Conflict, ...]) -> AppResult:
    """``a`` with its conflict groups; 冲突 (no proposed conclusion, no rank) while one is unresolved."""
    from dataclasses import replace

    if not conflicts:
        return a
    open_ = [c for c in conflicts if not c.resolved]
    if not open_:
        return replace(a, conflicts=conflicts)
    who = "、".join(c.expert for c in open_)
    note = (
        f"专家{who}对该申报有多份互相冲突的意见表（不是一条完整的修订链），待经办人选定计入哪一份："
        "冲突，不拟定结论、不排名。"
    )
    return replace(
        a,
        conflicts=conflicts,
        status=CONFLICT,
        proposed=None,
        final=a.final if a.override is not None else None,
        rank=None,
        rule_notes=(note,),
    )


def _community(ops: Sequence[Opinion]) -> str:
    """The community name most opinions give (ties: the smallest), for a stable display."""
    counts = Counter(o.community_name for o in ops)
    best = max(counts.values())
    return min(n for n, c in counts.items() if c == best)


def _rank_key(a: AppResult) -> tuple[object, ...]:
    return (
        -a.trimmed_mean,
        len(a.majority_hard_failures),
        -a.mean,
        -a.median,
        a.application_key,
    )


def _with_rank(a: AppResult, rank: int) -> AppResult:
    from dataclasses import replace

    return replace(a, rank=rank)


def _app_result(
    key: str,
    community: str,
    ops: Sequence[Opinion],
    rubric: Rubric,
    rules: CollationRules,
    override: Override | None,
    places: int,
    line: Decimal,
) -> AppResult:
    n = len(ops)
    totals = [_frac(o.total) for o in ops]
    zero = quantize(Fraction(0), places)
    rec_counts = {r.key: 0 for r in rubric.recommendations}
    for o in ops:
        rec_counts[o.recommendation_key] = rec_counts.get(o.recommendation_key, 0) + 1
    failures: Counter[str] = Counter(k for o in ops for k in set(o.hard_failures))
    hard = {k: failures[k] for k in sorted(failures)}
    majority_hard = tuple(k for k, c in hard.items() if rules.is_majority(c, n))
    if n == 0:
        return AppResult(
            application_key=key,
            community_name=community,
            n_reviews=0,
            mean=zero,
            median=zero,
            trimmed_mean=zero,
            trimmed=False,
            stdev=None,
            goal_means={g.key: zero for g in rubric.goals},
            experts=[],
            hard_failures={},
            recommendations=rec_counts,
            proposed=None,
            final=_final(None, override, rubric),
            override=override,
            rank=None,
            bonus_mean=zero,
            rule_notes=("没有计入的评审意见：未评审，不拟定结论、不排名。",),
            status=NOT_REVIEWED,
            min_reviews=rules.min_reviews,
        )
    mean_f = sum(totals, Fraction(0)) / n
    median_f = _median(totals)
    trimmed = n >= rules.trim_when_at_least and rules.trim_each_side > 0
    # Drop by total; among equal totals the expert name decides which one is dropped (same value either way).
    order = sorted(ops, key=lambda o: (o.total, o.expert_name))
    kept = order[rules.trim_each_side : n - rules.trim_each_side] if trimmed else order
    dropped = tuple(sorted(o.expert_name for o in order if o not in kept)) if trimmed else ()
    trimmed_f = sum((_frac(o.total) for o in kept), Fraction(0)) / len(kept)
    mean, median, trimmed_mean = (quantize(v, places) for v in (mean_f, median_f, trimmed_f))
    goal_means = {
        g.key: quantize(
            sum((_frac(o.goal_totals.get(g.key, Decimal(0))) for o in ops), Fraction(0)) / n, places
        )
        for g in rubric.goals
    }
    bonus_mean = quantize(sum((_frac(o.bonus) for o in ops), Fraction(0)) / n, places)
    experts = []
    for o in sorted(ops, key=lambda o: (-o.total, o.expert_name)):
        deviation = quantize(_frac(o.total) - median_f, places)
        experts.append(
            ExpertRow(
                expert=o.expert_name,
                total=o.total,
                deviation=deviation,
                flagged=abs(deviation) > rules.deviation_flag,
                recommendation_key=o.recommendation_key,
                source=o.source,
            )
        )
    enough = n >= rules.min_reviews
    if enough:
        proposed: Conclusion | None
        proposed, notes = _propose(rubric, rules, line, trimmed_mean, majority_hard, rec_counts, n)
    else:
        proposed = None
        notes = (
            f"计入 {n} 份评审意见，少于本批次规定的最少 {rules.min_reviews} 份：评审不足，不拟定结论、不排名。",
        )
    return AppResult(
        application_key=key,
        community_name=community,
        n_reviews=n,
        mean=mean,
        median=median,
        trimmed_mean=trimmed_mean,
        trimmed=trimmed,
        stdev=_stdev(totals, places),
        goal_means=goal_means,
        experts=experts,
        hard_failures=hard,
        recommendations=rec_counts,
        proposed=proposed,
        final=_final(proposed, override, rubric),
        override=override,
        rank=None,
        bonus_mean=bonus_mean,
        majority_hard_failures=majority_hard,
        trimmed_out=dropped,
        rule_notes=notes,
        status=REVIEWED if enough else INSUFFICIENT,
        min_reviews=rules.min_reviews,
    )


def _propose(
    rubric: Rubric,
    rules: CollationRules,
    line: Decimal,
    score: Decimal,
    majority_hard: tuple[str, ...],
    rec_counts: Mapping[str, int],
    n: int,
) -> tuple[Conclusion, tuple[str, ...]]:
    """The proposed conclusion (see :class:`CollationRules`) and why, in Chinese."""
    positive = positive_option(rubric)
    votes = rec_counts.get(positive.key, 0)
    reasons: list[str] = []
    if score < line:
        reasons.append(f"得分 {score} 低于分数线 {line}")
    if majority_hard:
        named = "、".join(_check_title(k) for k in majority_hard)
        reasons.append(f"多数专家报告硬性指标不达标（{named}）")
    if not rules.is_majority(votes, n):
        reasons.append(f"建议“{positive.label}”的专家 {votes}/{n}，未达多数")
    if not reasons:
        return Conclusion.of(positive), (
            f"得分 {score} ≥ {line}，无多数报告的硬性指标不达标，多数专家建议“{positive.label}”。",
        )
    for rec in rubric.recommendations:
        if not rec.positive and score >= rec.min_total:
            return Conclusion.of(rec), (*reasons, f"得分 {score} ≥ {rec.min_total}：{rec.label}")
    return Conclusion.of(rubric.recommendations[-1]), tuple(reasons)


def _final(proposed: Conclusion | None, override: Override | None, rubric: Rubric) -> Conclusion | None:
    if override is None:
        return proposed
    rec = next(r for r in rubric.recommendations if r.key == override.conclusion_key)
    return Conclusion.of(rec)


def _check_title(key: str) -> str:
    # Reports show the check's name; an unknown key (a newer program's check) stays as it is.
    try:
        return check_info(key).title_zh
    except KeyError:
        return key
