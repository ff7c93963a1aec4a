"""The indicator-check engine: an application's figures against the policy's thresholds.

Each check has a stable key, the goal it belongs to, the policy clause and
wording it enforces, and says which Application fields its values came from.
The thresholds are the policy's own (clause 一) and compare with the legal
meaning of the comparison words (see :mod:`zc_review.core.thresholds`); only the
soft "3平方公里左右" band comes from the rubric. Which checks run at a stage is
the rubric's ``checks`` list; what each check is comes from :mod:`zc_review.core.checks`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from zc_review.core.application import (
    MATERIAL_LABELS,
    REQUIRED_MATERIALS,
    SERVICE_PLATFORMS,
    Application,
    MaterialKind,
    YearFigures,
)
from zc_review.core.checks import CHECK_KEYS, SPEC_BY_KEY
from zc_review.core.rubric import Rubric, load_rubric
from zc_review.core.thresholds import (
    Comparison,
    cagr,
    compare,
    compare_growth,
    format_number,
    format_percent,
    share,
)

CAGR_LABEL = "年均增长率"  # the ``values`` key of a growth check's computed rate
NO_VALUE = "—"  # shown in ``values`` for a year whose figure is absent

CARRIER_FLOOR_AREA_MIN_M2 = Decimal(200_000)
SEI_SHARE_MIN = Decimal("0.70")
HIGHTECH_SHARE_MIN = Decimal("0.60")
GROWTH_MIN = Decimal("0.10")
FULL_COVERAGE_PCT = Decimal(100)


class CheckStatus(StrEnum):
    """Outcome of one check."""

    PASS = "pass"
    FAIL = "fail"
    WARNING = "warning"  # soft target missed, or data that needs the expert's judgement
    MISSING = "missing"  # the data needed is absent


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome, with the values used and where they came from."""

    key: str
    goal: str  # goal key, or zc_review.core.checks.FORMAL_GOAL
    title_zh: str
    title_en: str
    clause: str
    hard: bool
    status: CheckStatus
    threshold_zh: str  # the policy's wording
    # What was compared, ready to show: the year for per-year figures ("2024": "72.50%"),
    # otherwise a short Chinese label ("载体建筑面积（平方米）": "200000"); NO_VALUE where absent.
    values: dict[str, str] = field(default_factory=dict)
    detail_zh: str = ""
    detail_en: str = ""
    sources: tuple[str, ...] = ()  # Application field names; "years.x" for a YearFigures field


@dataclass(frozen=True)
class _Outcome:
    status: CheckStatus
    values: dict[str, str]
    detail_zh: str
    detail_en: str


@dataclass(frozen=True)
class _Context:
    app: Application
    rubric: Rubric
    present: frozenset[MaterialKind]


_PLATFORMS_EN = {
    "创业服务": "entrepreneurship services",
    "商务商贸": "business and trade",
    "教育培训": "education and training",
    "文体娱乐": "culture, sports and leisure",
}
_MATERIALS_EN = {
    MaterialKind.PLAN: "creation plan",
    MaterialKind.BOUNDARY: "boundaries",
    MaterialKind.POSITIONING: "industry positioning",
    MaterialKind.INVESTMENT: "investment scale",
    MaterialKind.SCHEDULE: "construction schedule",
    MaterialKind.CONCEPT: "conceptual plan",
}


def evaluate(
    app: Application,
    rubric: Rubric | None = None,
    present_materials: Collection[MaterialKind] | None = None,
) -> list[CheckResult]:
    """Run the rubric's checks on ``app`` (the stage's packaged rubric when none is given).

    ``present_materials`` are the material kinds really present; by default the kinds the
    application's checklist names (the bundle reader passes the kinds whose files exist).
    """
    rub = rubric if rubric is not None else load_rubric(app.stage)
    present = frozenset(
        present_materials if present_materials is not None else (m.kind for m in app.materials)
    )
    ctx = _Context(app, rub, present)
    results = []
    for key in rub.checks:
        spec = SPEC_BY_KEY[key]
        out = _CHECKS[key](ctx)
        results.append(
            CheckResult(
                key=spec.key,
                goal=spec.goal,
                title_zh=spec.title_zh,
                title_en=spec.title_en,
                clause=spec.clause,
                hard=spec.hard,
                status=out.status,
                threshold_zh=spec.threshold_zh,
                values=out.values,
                detail_zh=out.detail_zh,
                detail_en=out.detail_en,
                sources=spec.sources,
            )
        )
    return results


def summarize(results: Iterable[CheckResult]) -> dict[CheckStatus, int]:
    """How many results have each status (every status present, zero if none)."""
    counts = dict.fromkeys(CheckStatus, 0)
    for r in results:
        counts[r.status] += 1
    return counts


def hard_failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The hard checks that failed (MISSING and WARNING are not failures; the expert weighs them)."""
    return [r for r in results if r.hard and r.status is CheckStatus.FAIL]


# --- the checks -------------------------------------------------------------------------------


def _planned_area(ctx: _Context) -> _Outcome:
    area = ctx.app.planned_area_km2
    low, high = ctx.rubric.area_band_km2
    band = f"{format_number(low)}–{format_number(high)}"
    if area is None:
        return _missing({}, "申报书未填写规划面积。", "The planned area is not given.")
    values = {"规划面积（平方公里）": format_number(area), "提示区间（平方公里）": band}
    if low <= area <= high:
        return _Outcome(
            CheckStatus.PASS,
            values,
            f"规划面积{format_number(area)}平方公里，在3平方公里左右的合理区间（{band}）内。",
            f"The planned area of {format_number(area)} km² is within the band {band} km² around 3 km².",
        )
    return _Outcome(
        CheckStatus.WARNING,
        values,
        f"规划面积{format_number(area)}平方公里，不在3平方公里左右的合理区间（{band}）内，请专家判断。",
        f"The planned area of {format_number(area)} km² is outside the band {band} km²; the expert decides.",
    )


def _carrier_floor_area(ctx: _Context) -> _Outcome:
    area = ctx.app.carrier_floor_area_m2
    if area is None:
        return _missing(
            {}, "申报书未填写创新创业服务载体建筑面积。", "The service carrier floor area is not given."
        )
    values = {"载体建筑面积（平方米）": format_number(area)}
    ok = compare(area, CARRIER_FLOOR_AREA_MIN_M2, Comparison.NOT_BELOW)
    text = f"载体建筑面积{format_number(area)}平方米，{'不低于' if ok else '低于'}20万平方米。"
    text_en = f"The carrier floor area is {area:,f} m², {'not below' if ok else 'below'} 200,000 m²."
    return _Outcome(CheckStatus.PASS if ok else CheckStatus.FAIL, values, text, text_en)


def _incubation_chain(ctx: _Context) -> _Outcome:
    app = ctx.app
    parts = (("nurseries", "创业苗圃", "nursery", app.nurseries),
             ("incubators", "孵化器", "incubator", app.incubators),
             ("accelerators", "加速器", "accelerator", app.accelerators))  # fmt: skip
    values = {zh: str(n) for _, zh, _, n in parts if n is not None}
    absent = [(zh, en) for _, zh, en, n in parts if n is not None and n < 1]
    unknown = [(zh, en) for _, zh, en, n in parts if n is None]
    if absent:
        return _Outcome(
            CheckStatus.FAIL,
            values,
            f"孵化链条不完整：没有{'、'.join(z for z, _ in absent)}。",
            f"The incubation chain is incomplete: no {', '.join(e for _, e in absent)}.",
        )
    if unknown:
        return _missing(
            values,
            f"申报书未填写{'、'.join(z for z, _ in unknown)}的数量。",
            f"The number of {', '.join(e for _, e in unknown)} is not given.",
        )
    return _Outcome(
        CheckStatus.PASS,
        values,
        "创业苗圃、孵化器、加速器均已建有，孵化链条完整。",
        "Nursery, incubator and accelerator are all present; the chain is complete.",
    )


def _yearly_share(
    ctx: _Context,
    part_of: Callable[[YearFigures], Decimal | None],
    whole_of: Callable[[YearFigures], Decimal | None],
    minimum: Decimal,
    word: Comparison,
    what_zh: str,
    what_en: str,
) -> _Outcome:
    years = sorted(ctx.app.years, key=lambda y: y.year)
    if not years:
        return _missing({}, f"申报书未填写任何年度的{what_zh}数据。", f"No year gives {what_en} figures.")
    values: dict[str, str] = {}
    failed: list[tuple[int, str]] = []
    missing: list[int] = []
    lowest: tuple[int, Fraction, str] | None = None
    for y in years:
        part, whole = part_of(y), whole_of(y)
        ratio = share(part, whole) if part is not None and whole is not None else None
        if ratio is None or ratio > 1:  # a part larger than its whole is a data error, not a pass
            missing.append(y.year)
            values[str(y.year)] = NO_VALUE
            continue
        shown = format_percent(ratio, boundary=minimum)
        values[str(y.year)] = shown
        if not compare(ratio, minimum, word):
            failed.append((y.year, shown))
        if lowest is None or ratio < lowest[1]:
            lowest = (y.year, ratio, shown)
    limit = format_percent(minimum, places=0)
    if failed:
        listing = "、".join(f"{yr}年{s}" for yr, s in failed)
        listing_en = ", ".join(f"{s} in {yr}" for yr, s in failed)
        return _Outcome(
            CheckStatus.FAIL,
            values,
            f"{what_zh}未达到“{word.value}{limit}”：{listing}。",
            f"The {what_en} is not {word.label_en} {limit}: {listing_en}.",
        )
    if missing:
        yrs = "、".join(f"{yr}年" for yr in missing)
        return _missing(
            values,
            f"{yrs}缺少计算{what_zh}所需的数据（或总数为0、分项大于总数）。",
            f"{', '.join(map(str, missing))}: the figures for the {what_en} are missing or inconsistent "
            "(total 0, or the part larger than the total).",
        )
    assert lowest is not None
    return _Outcome(
        CheckStatus.PASS,
        values,
        f"各年度{what_zh}均{word.value}{limit}（最低为{lowest[0]}年{lowest[2]}）。",
        f"The {what_en} is {word.label_en} {limit} in every year (lowest {lowest[2]} in {lowest[0]}).",
    )


def _sei_share(ctx: _Context) -> _Outcome:
    return _yearly_share(
        ctx,
        lambda y: y.sei_investment,
        lambda y: y.total_investment,
        SEI_SHARE_MIN,
        Comparison.NOT_BELOW,
        "特色战略新兴产业建设项目投资占比",
        "strategic emerging industry share of project investment",
    )


def _hightech_share(ctx: _Context) -> _Outcome:
    return _yearly_share(
        ctx,
        lambda y: y.hightech_output,
        lambda y: y.total_output,
        HIGHTECH_SHARE_MIN,
        Comparison.OVER,
        "高新技术产业产值占比",
        "high-tech share of output value",
    )


def _growth(
    ctx: _Context, value_of: Callable[[YearFigures], int | None], what_zh: str, what_en: str
) -> _Outcome:
    years = sorted(ctx.app.years, key=lambda y: y.year)
    values = {str(y.year): _shown(value_of(y)) for y in years}
    reported = [(y.year, v) for y in years if (v := value_of(y)) is not None]
    if len(reported) < 2 or reported[-1][0] <= reported[0][0]:
        return _missing(
            values,
            f"计算{what_zh}年均增长率至少需要两个年度的数据，目前只有{len(reported)}个。",
            f"Growth of {what_en} needs figures for at least two years; {len(reported)} given.",
        )
    gaps = [y.year for y in years if value_of(y) is None]
    if gaps:
        # A blank year inside the reported period could change the rate; do not guess around it.
        return _missing(
            values,
            f"{'、'.join(f'{yr}年' for yr in gaps)}缺少{what_zh}数据，无法计算报告期的年均增长率。",
            f"{', '.join(map(str, gaps))}: {what_en} not given, so the growth over the period is unknown.",
        )
    (y0, first), (y1, last) = reported[0], reported[-1]
    span = y1 - y0
    meets = compare_growth(first, last, span, GROWTH_MIN, Comparison.AT_LEAST)
    rate = cagr(first, last, span)
    if meets is None or rate is None:
        return _Outcome(
            CheckStatus.WARNING,
            values,
            f"{y0}年{what_zh}为{first}，无法计算年均增长率，请专家判断。",
            f"{what_en.capitalize()} is {first} in {y0}, so no growth rate can be computed; "
            "the expert decides.",
        )
    shown = format_percent(rate, boundary=GROWTH_MIN)
    values[CAGR_LABEL] = shown
    ok_zh, ok_en = ("达到", "meets") if meets else ("未达到", "does not meet")
    return _Outcome(
        CheckStatus.PASS if meets else CheckStatus.FAIL,
        values,
        f"{y0}—{y1}年{what_zh}由{first}增至{last}，年均增长{shown}，{ok_zh}“年均增长10%以上”。",
        f"{what_en.capitalize()} went from {first} ({y0}) to {last} ({y1}), {shown} a year, "
        f"which {ok_en} 'at least 10% a year'.",
    )


def _startup_growth(ctx: _Context) -> _Outcome:
    return _growth(ctx, lambda y: y.new_startups, "新登记注册初创企业数", "new startups")


def _employee_growth(ctx: _Context) -> _Outcome:
    return _growth(ctx, lambda y: y.new_employees, "吸纳从业人员数", "employees absorbed")


def _coverage(value: Decimal | None, what_zh: str, what_en: str) -> _Outcome:
    if value is None:
        return _missing({}, f"申报书未填写{what_zh}。", f"The {what_en} is not given.")
    values = {what_zh: f"{format_number(value)}%"}
    if compare(value, FULL_COVERAGE_PCT, Comparison.NOT_BELOW):
        return _Outcome(CheckStatus.PASS, values, f"{what_zh}为100%，实现全覆盖。", f"The {what_en} is 100%.")
    return _Outcome(
        CheckStatus.FAIL,
        values,
        f"{what_zh}为{format_number(value)}%，未实现全覆盖。",
        f"The {what_en} is {format_number(value)}%, not full coverage.",
    )


def _wifi(ctx: _Context) -> _Outcome:
    return _coverage(ctx.app.wifi_coverage_pct, "公共无线网络覆盖率", "public Wi-Fi coverage")


def _digital(ctx: _Context) -> _Outcome:
    return _coverage(
        ctx.app.digital_mgmt_coverage_pct,
        "数字化管理覆盖率",
        "digital management coverage",
    )


def _service_platforms(ctx: _Context) -> _Outcome:
    listed = {p.strip() for p in ctx.app.service_platforms}
    values = {p: ("有" if p in listed else "无") for p in SERVICE_PLATFORMS}
    lacking = [p for p in SERVICE_PLATFORMS if p not in listed]
    if lacking:
        return _Outcome(
            CheckStatus.FAIL,
            values,
            f"缺少{'、'.join(lacking)}综合服务平台。",
            f"Service platforms missing: {', '.join(_PLATFORMS_EN.get(p, p) for p in lacking)}.",
        )
    return _Outcome(
        CheckStatus.PASS, values, "四类综合服务平台均已建有。", "All four service platforms exist."
    )


def _required_materials(ctx: _Context) -> _Outcome:
    values = {MATERIAL_LABELS[k]: ("有" if k in ctx.present else "无") for k in REQUIRED_MATERIALS}
    lacking = [k for k in REQUIRED_MATERIALS if k not in ctx.present]
    if lacking:
        return _Outcome(
            CheckStatus.FAIL,
            values,
            f"缺少申报材料：{'、'.join(MATERIAL_LABELS[k] for k in lacking)}，形式审查不通过。",
            f"Required materials missing: {', '.join(_MATERIALS_EN[k] for k in lacking)}; "
            "the formal check fails.",
        )
    return _Outcome(
        CheckStatus.PASS,
        values,
        "第三条第二款规定的六项申报材料齐全。",
        "All six materials of clause 3(2) are present.",
    )


def _shown(value: int | None) -> str:
    return NO_VALUE if value is None else str(value)


def _missing(values: dict[str, str], zh: str, en: str) -> _Outcome:
    return _Outcome(CheckStatus.MISSING, values, zh, en)


_CHECKS: dict[str, Callable[[_Context], _Outcome]] = {
    "planned_area": _planned_area,
    "carrier_floor_area": _carrier_floor_area,
    "incubation_chain": _incubation_chain,
    "sei_investment_share": _sei_share,
    "hightech_output_share": _hightech_share,
    "startup_growth": _startup_growth,
    "employee_growth": _employee_growth,
    "service_platforms": _service_platforms,
    "wifi_coverage": _wifi,
    "digital_management": _digital,
    "required_materials": _required_materials,
}
assert set(_CHECKS) == set(CHECK_KEYS)
