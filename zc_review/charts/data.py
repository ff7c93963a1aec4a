"""What the charts draw, read from the store into plain dataclasses.

The drawing functions take these and nothing else, so a test can compare the
values a Figure plots with the values the store holds, and the GUI can build the
data once (on a worker) and draw several charts from it.

Scores:
- *this expert's* points/total: the expert's newest review of the application when it is
  in progress or submitted (the same rule as :func:`zc_review.reviews.review_totals`);
- the *panel*: the submitted reviews of every expert in the store (each expert's newest
  version); an expert who recused from an application is never counted for it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from zc_review.core.application import JIANGSU_CITIES, Application, YearFigures
from zc_review.core.indicators import (
    CARRIER_FLOOR_AREA_MIN_M2,
    FULL_COVERAGE_PCT,
    GROWTH_MIN,
    HIGHTECH_SHARE_MIN,
    SEI_SHARE_MIN,
    CheckResult,
    CheckStatus,
)
from zc_review.core.rubric import Rubric, rubric_for
from zc_review.core.scoring import ScoreSheet, goal_total, total
from zc_review.core.thresholds import Comparison, cagr, compare, share
from zc_review.errors import UserError
from zc_review.store import models as m
from zc_review.store.models import ReviewStatus
from zc_review.store.store import Store
from zc_review.workspace import application_checks, list_applications, load_application

if TYPE_CHECKING:
    from zc_review.office.collate import AppResult, Collation

# --- application ---------------------------------------------------------------------------------


class GoalScore(NamedTuple):
    """One of the five goals: its maximum, this expert's points and the panel mean (None if absent)."""

    title: str
    max_points: float
    points: float | None
    panel_mean: float | None


class YearShare(NamedTuple):
    """A share for one year (0.76 for 76%) and whether it meets the policy (None: no data)."""

    year: int
    share: float | None
    meets: bool | None


@dataclass(frozen=True)
class HardIndicator:
    """A quantitative hard indicator against its policy threshold.

    ``value`` and ``threshold`` are in the same unit (m², a fraction such as 0.7, or %);
    for per-year shares ``value`` is the lowest year's, which decides the check.
    """

    key: str
    title: str
    value: float | None
    threshold: float
    status: CheckStatus  # the indicator engine's verdict, exact (not re-derived from floats)
    wording: str  # the policy's comparison, short: "不低于70%"
    policy: str  # the policy's full sentence
    value_text: str  # "76.00%", "26.8万平方米"
    note: str = ""  # e.g. "最低为2026年"

    @property
    def ratio(self) -> float | None:
        """``value`` as a multiple of the threshold (1.0 = exactly on it)."""
        return None if self.value is None else self.value / self.threshold


@dataclass(frozen=True)
class ApplicationChartData:
    """Everything the per-application charts show."""

    app_id: int
    community_name: str
    city: str
    county: str
    industry: str
    expert_id: int | None
    goals: tuple[GoalScore, ...]
    checks: tuple[HardIndicator, ...]
    years: tuple[YearFigures, ...]  # sorted by year
    sei_share: tuple[YearShare, ...]  # 特色战略新兴产业投资占比, per year
    hightech_share: tuple[YearShare, ...]  # 高新技术产业产值占比, per year
    panel_size: int  # submitted reviews the panel means are over

    @property
    def has_scores(self) -> bool:
        return any(g.points is not None or g.panel_mean is not None for g in self.goals)


def application_chart_data(store: Store, app_id: int, expert_id: int | None) -> ApplicationChartData:
    """The chart data of application ``app_id`` (latest version) for expert ``expert_id``."""
    loaded = load_application(store, app_id, expert_id=expert_id)
    app = loaded.app
    checks = application_checks(loaded)
    with store.read() as s:
        batch = _batch(s, loaded.batch_id)
        per_expert = _reviews_by_expert(s, [app_id]).get(app_id, {})
        own = per_expert.get(expert_id) if expert_id is not None else None
        own_sheet = _sheet(own) if own is not None and own.status in _SCORED else None
        rubric = rubric_for(batch, own)
        panel = [
            (rubric_for(batch, r), _sheet(r))
            for r in per_expert.values()
            if r.status is ReviewStatus.SUBMITTED
        ]
    goals = tuple(
        GoalScore(
            title=g.title,
            max_points=float(g.max_points),
            points=float(goal_total(rubric, own_sheet, g.key)) if own_sheet is not None else None,
            panel_mean=_mean([goal_total(r, sh, g.key) for r, sh in panel if _has_goal(r, g.key)]),
        )
        for g in rubric.goals
    )
    years = tuple(sorted(app.years, key=lambda y: y.year))
    return ApplicationChartData(
        app_id=app_id,
        community_name=app.community_name,
        city=app.city,
        county=app.county,
        industry=app.leading_industry,
        expert_id=expert_id,
        goals=goals,
        checks=tuple(h for c in checks if (h := hard_indicator(c, app)) is not None),
        years=years,
        sei_share=_shares(years, lambda y: y.sei_investment, lambda y: y.total_investment, SEI_SHARE_MIN,
                          Comparison.NOT_BELOW),
        hightech_share=_shares(years, lambda y: y.hightech_output, lambda y: y.total_output,
                               HIGHTECH_SHARE_MIN, Comparison.OVER),
        panel_size=len(panel),
    )  # fmt: skip


# Short policy wording of each quantitative hard indicator (the threshold line's label).
WORDING: dict[str, str] = {
    "carrier_floor_area": "不低于20万平方米",
    "sei_investment_share": "不低于70%",
    "hightech_output_share": "超过60%",
    "startup_growth": "年均增长10%以上",
    "employee_growth": "年均增长10%以上",
    "wifi_coverage": "全覆盖（100%）",
    "digital_management": "全覆盖（100%）",
}
QUANTITATIVE_KEYS: tuple[str, ...] = tuple(WORDING)
_SHORT_TITLES: dict[str, str] = {
    "carrier_floor_area": "服务载体建筑面积",
    "sei_investment_share": "特色战略新兴产业投资占比",
    "hightech_output_share": "高新技术产业产值占比",
    "startup_growth": "初创企业数年均增长",
    "employee_growth": "吸纳从业人员年均增长",
    "wifi_coverage": "公共无线网络覆盖率",
    "digital_management": "数字化管理覆盖率",
}


def hard_indicator(check: CheckResult, app: Application) -> HardIndicator | None:
    """The chart row of a quantitative hard check on ``app``, or None for checks that are not numbers."""
    if not check.hard or check.key not in WORDING:
        return None
    key = check.key
    years = sorted(app.years, key=lambda y: y.year)
    values = {
        "carrier_floor_area": app.carrier_floor_area_m2,
        "wifi_coverage": app.wifi_coverage_pct,
        "digital_management": app.digital_mgmt_coverage_pct,
    }
    value: float | None
    note = ""
    if key == "carrier_floor_area":
        threshold = float(CARRIER_FLOOR_AREA_MIN_M2)
        raw = values[key]
        value = None if raw is None else float(raw)
        text = "—" if value is None else f"{value / 10000:g}万平方米"
    elif key in ("wifi_coverage", "digital_management"):
        threshold = float(FULL_COVERAGE_PCT)
        raw = values[key]
        value = None if raw is None else float(raw)
        text = "—" if value is None else f"{value:g}%"
    elif key in ("sei_investment_share", "hightech_output_share"):
        minimum, word = (
            (SEI_SHARE_MIN, Comparison.NOT_BELOW)
            if key == "sei_investment_share"
            else (HIGHTECH_SHARE_MIN, Comparison.OVER)
        )
        part, whole = (
            (_attr("sei_investment"), _attr("total_investment"))
            if key == "sei_investment_share"
            else (_attr("hightech_output"), _attr("total_output"))
        )
        threshold = float(minimum)
        rows = [r for r in _shares(years, part, whole, minimum, word) if r.share is not None]
        lowest = min(rows, key=lambda r: r.share or 0.0) if rows else None
        value = None if lowest is None else lowest.share
        text = "—" if value is None else f"{value:.2%}"
        note = "" if lowest is None else f"最低为{lowest.year}年"
    else:  # startup_growth / employee_growth
        field = "new_startups" if key == "startup_growth" else "new_employees"
        threshold = float(GROWTH_MIN)
        rate = _growth_rate(years, field)
        value = None if rate is None else float(rate)
        text = "—" if value is None else f"{value:.2%}"
        if value is not None:
            note = f"{years[0].year}—{years[-1].year}年"
    return HardIndicator(
        key=key,
        title=_SHORT_TITLES[key],
        value=value,
        threshold=threshold,
        status=check.status,
        wording=WORDING[key],
        policy=check.threshold_zh,
        value_text=text,
        note=note,
    )


def _attr(name: str) -> Callable[[YearFigures], Decimal | None]:
    return lambda y: getattr(y, name)


def _shares(
    years: Iterable[YearFigures],
    part_of: Callable[[YearFigures], Decimal | None],
    whole_of: Callable[[YearFigures], Decimal | None],
    minimum: Decimal,
    word: Comparison,
) -> tuple[YearShare, ...]:
    out = []
    for y in years:
        part, whole = part_of(y), whole_of(y)
        ratio: Fraction | None = share(part, whole) if part is not None and whole is not None else None
        if ratio is None or ratio > 1:  # as the indicator engine: a part above its whole is no share
            out.append(YearShare(y.year, None, None))
        else:
            # Compared exactly, so 60% against "超过60%" fails even though the floats are equal.
            out.append(YearShare(y.year, float(ratio), compare(ratio, minimum, word)))
    return tuple(out)


def _growth_rate(years: Sequence[YearFigures], field: str) -> Decimal | None:
    reported = [(y.year, v) for y in years if (v := getattr(y, field)) is not None]
    if len(reported) < 2 or len(reported) != len(years) or reported[-1][0] <= reported[0][0]:
        return None
    (y0, first), (y1, last) = reported[0], reported[-1]
    return cagr(first, last, y1 - y0)


# --- batch -----------------------------------------------------------------------------------------


class ExpertTotal(NamedTuple):
    """One expert's submitted total for one application."""

    expert_id: int
    name: str
    total: float


class RecommendationLine(NamedTuple):
    """A recommendation's score line from the rubric, e.g. (80, "建议备案试点")."""

    min_total: float
    label: str
    positive: bool


@dataclass(frozen=True)
class BatchRow:
    """One application in the batch charts."""

    app_id: int
    name: str
    city: str
    industry: str
    total: float | None  # this expert's (in progress or submitted); None if unscored or recused
    expert_totals: tuple[ExpertTotal, ...]  # submitted, recused experts excluded
    hard_failures: int
    # The positive recommendation (建议备案试点) lacks a majority of the counted reviews
    # (see :func:`lacks_majority`); only a collation knows this, the store's data leaves it False.
    no_majority: bool = False

    @property
    def panel_mean(self) -> float | None:
        """The panel's score: the plain mean of the counted totals (None: no counted review).

        A collation's ranking chart overrides it with the trimmed mean, and with None for an
        application the collation did not rank although it has counted reviews (评审不足).
        """
        return _mean(e.total for e in self.expert_totals)

    @property
    def unranked(self) -> bool:
        """Counted reviews but no panel score: too few reviews to rank (评审不足)."""
        return self.panel_mean is None and bool(self.expert_totals)


@dataclass(frozen=True)
class BatchChartData:
    """Everything the batch charts show."""

    batch_id: str | None  # None: every application in the store
    batch_name: str
    expert_id: int | None
    rows: tuple[BatchRow, ...]  # in the application list's order (city, county, name)
    lines: tuple[RecommendationLine, ...]  # rubric lines above 0, highest first
    max_total: float
    # Decimals of a mean as the collated table prints it (the rubric's precision + 1, see
    # zc_review.office.collate.precision); a single expert's total has one fewer.
    places: int = 2

    @property
    def recommendation_line(self) -> RecommendationLine | None:
        """The line of the positive recommendation (建议备案试点)."""
        return next((line for line in self.lines if line.positive), None)

    def by_city(self) -> list[tuple[str, int]]:
        """(city, applications) for the 13 cities in the province's order, then any others."""
        counts = Counter(r.city for r in self.rows)
        others = sorted(c for c in counts if c not in JIANGSU_CITIES)
        return [(c, counts.get(c, 0)) for c in (*JIANGSU_CITIES, *others)]

    def by_industry(self) -> list[tuple[str, int]]:
        """(leading industry, applications), most first; "未填写" for a blank industry."""
        counts = Counter(r.industry.strip() or "未填写" for r in self.rows)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def batch_chart_data(store: Store, batch_id: str | None, expert_id: int | None) -> BatchChartData:
    """The chart data of batch ``batch_id`` (None: all applications) for expert ``expert_id``."""
    apps = list_applications(store, batch_id)
    ids = [a.id for a in apps]
    with store.read() as s:
        if batch_id is not None and s.get(m.Batch, batch_id) is None:
            raise UserError(f"没有编号为 {batch_id} 的批次。", f"There is no batch {batch_id}.")
        batch_ids = [batch_id] if batch_id is not None else [a.batch_id for a in apps]
        if not batch_ids:
            first = s.scalars(select(m.Batch.id).order_by(m.Batch.created_at)).first()
            batch_ids = [first] if first is not None else []
        rubric = rubric_for(_batch(s, Counter(batch_ids).most_common(1)[0][0])) if batch_ids else None
        batches = {b.id: b for b in s.scalars(select(m.Batch))}
        reviews = _reviews_by_expert(s, ids)
        names: dict[int, str] = {eid: name for eid, name in s.execute(select(m.Expert.id, m.Expert.name))}
        rows = []
        for a in apps:
            per_expert = reviews.get(a.id, {})
            own = per_expert.get(expert_id) if expert_id is not None else None
            rows.append(
                BatchRow(
                    app_id=a.id,
                    name=a.community_name,
                    city=a.city,
                    industry=a.industry,
                    total=_total(batches[a.batch_id], own)
                    if own is not None and own.status in _SCORED
                    else None,
                    expert_totals=tuple(
                        ExpertTotal(e, names.get(e, ""), _total(batches[a.batch_id], r))
                        for e, r in sorted(per_expert.items())
                        if r.status is ReviewStatus.SUBMITTED
                    ),
                    hard_failures=a.hard_failures,
                )
            )
    batch_names = {a.batch_name for a in apps}
    return BatchChartData(
        batch_id=batch_id,
        batch_name=batch_names.pop() if len(batch_names) == 1 else "全部申报",
        expert_id=expert_id,
        rows=tuple(rows),
        lines=tuple(
            RecommendationLine(float(r.min_total), r.label, r.positive)
            for r in (rubric.recommendations if rubric is not None else ())
            if r.min_total > 0
        ),
        max_total=float(rubric.max_with_bonus if rubric is not None else 100),
        places=_places(rubric) if rubric is not None else 2,
    )


def score_text(value: float, places: int) -> str:
    """``value`` as the collated table prints it: rounded half up (四舍五入) to ``places`` decimals.

    The value is a float, a mean or one of the collation's (already rounded) statistics, perhaps
    nudged by far less than a unit of the last place to keep a tie-break; it is read back as the
    shortest decimal of its 9-decimal rounding, so 67.125 gives 67.13, like the table, not 67.12.
    """
    from zc_review.office.collate import quantize

    return str(quantize(Fraction(Decimal(repr(round(value, 9)))), places))


def lacks_majority(app: AppResult, collation: Collation, rubric: Rubric) -> bool:
    """Whether the positive recommendation lacks a majority of ``app``'s counted reviews.

    The collation's own rule (过半数 or 三分之二以上), as its proposed conclusion uses it;
    False for an application without a counted review. For :attr:`BatchRow.no_majority`.
    """
    from zc_review.office.rules import positive_option

    if not app.n_reviews:
        return False
    votes = app.recommendations.get(positive_option(rubric).key, 0)
    return not collation.rules.is_majority(votes, app.n_reviews)


# --- helpers -----------------------------------------------------------------------------------------

_SCORED = (ReviewStatus.IN_PROGRESS, ReviewStatus.SUBMITTED)


def _batch(s: Session, batch_id: str) -> m.Batch:
    batch = s.get(m.Batch, batch_id)
    if batch is None:
        raise UserError(f"没有编号为 {batch_id} 的批次。", f"There is no batch {batch_id}.")
    return batch


def _reviews_by_expert(s: Session, app_ids: Sequence[int]) -> dict[int, dict[int, m.Review]]:
    """Application -> expert -> that expert's newest review; recusal on any version wins.

    A recusal concerns the applicant, whatever the version, so an expert who recused
    from an application is represented by the recused review (never counted).
    """
    rows = s.scalars(
        select(m.Review)
        .join(m.ApplicationVersion, m.Review.version_id == m.ApplicationVersion.id)
        .where(m.Review.application_id.in_(app_ids))
        .order_by(m.Review.application_id, m.Review.expert_id, m.ApplicationVersion.number.desc())
        .options(selectinload(m.Review.scores))
    ).all()
    out: dict[int, dict[int, m.Review]] = {}
    for row in rows:
        per_app = out.setdefault(row.application_id, {})
        kept = per_app.get(row.expert_id)
        if kept is None or (row.status is ReviewStatus.RECUSED and kept.status is not ReviewStatus.RECUSED):
            per_app[row.expert_id] = row
    return out


def _sheet(review: m.Review) -> ScoreSheet:
    return ScoreSheet(scores={sc.item_id: sc.score for sc in review.scores if sc.score is not None})


def _total(batch: m.Batch, review: m.Review) -> float:
    return float(total(rubric_for(batch, review), _sheet(review)))


def _places(rubric: Rubric) -> int:
    from zc_review.office.collate import precision

    return precision(rubric) + 1


def _has_goal(rubric: Rubric, key: str) -> bool:
    return any(g.key == key for g in rubric.goals)


def _mean(values: Iterable[Decimal | float]) -> float | None:
    vals = [float(v) for v in values]
    return statistics.fmean(vals) if vals else None
