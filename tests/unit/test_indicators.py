"""The indicator checks against the policy's thresholds, boundaries as DESIGN.md pins them."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from zc_review.core.application import (
    REQUIRED_MATERIALS,
    SERVICE_PLATFORMS,
    Application,
    MaterialKind,
    MaterialRef,
    Stage,
    YearFigures,
)
from zc_review.core.checks import CHECK_KEYS
from zc_review.core.indicators import (
    CAGR_LABEL,
    CheckResult,
    CheckStatus,
    evaluate,
    hard_failures,
    summarize,
)
from zc_review.core.rubric import load_rubric
from zc_review.core.thresholds import format_number

D = Decimal
PASS, FAIL, WARNING, MISSING = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.WARNING, CheckStatus.MISSING


def _year(year: int, **overrides: Any) -> YearFigures:
    """A year that clears every threshold comfortably; growth 20% a year from 2024."""
    n = year - 2024
    base: dict[str, Any] = {
        "total_investment": D(10000),
        "sei_investment": D(8000),
        "total_output": D(50000),
        "hightech_output": D(35000),
        "new_startups": 100 * 6**n // 5**n,
        "new_employees": 1000 * 6**n // 5**n,
    }
    base.update(overrides)
    return YearFigures(year=year, **base)


def _app(**overrides: Any) -> Application:
    """An application that passes every check."""
    fields: dict[str, Any] = {
        "community_name": "紫金山众创社区",
        "city": "南京市",
        "county": "玄武区",
        "applicant": "南京市玄武区人民政府",
        "planned_area_km2": D("3.1"),
        "carrier_floor_area_m2": D(250000),
        "makerspaces": 4,
        "nurseries": 2,
        "incubators": 3,
        "accelerators": 1,
        "wifi_coverage_pct": D(100),
        "digital_mgmt_coverage_pct": D(100),
        "service_platforms": SERVICE_PLATFORMS,
        "years": (_year(2024), _year(2025), _year(2026)),
        "materials": tuple(MaterialRef(kind, f"{kind.value}.pdf") for kind in REQUIRED_MATERIALS),
    }
    fields.update(overrides)
    return Application(**fields)


def _check(app: Application, key: str, **kwargs: Any) -> CheckResult:
    results = {r.key: r for r in evaluate(app, **kwargs)}
    return results[key]


def _years(**series: list[Any]) -> tuple[YearFigures, ...]:
    """Years 2024.. with the given per-year values overriding the passing defaults."""
    count = len(next(iter(series.values())))
    return tuple(
        _year(2024 + i, **{name: values[i] for name, values in series.items()}) for i in range(count)
    )


# --- the whole engine ---------------------------------------------------------------------------


def test_a_good_application_passes_every_check_in_rubric_order() -> None:
    results = evaluate(_app())
    assert [r.key for r in results] == list(load_rubric(Stage.APPLICATION).checks)
    assert {r.key for r in results} == set(CHECK_KEYS)
    assert {r.key: r.status for r in results} == dict.fromkeys(CHECK_KEYS, PASS)
    assert hard_failures(results) == []


def test_every_result_explains_itself_and_names_real_source_fields() -> None:
    app_fields = {f.name for f in dataclasses.fields(Application)}
    year_fields = {f.name for f in dataclasses.fields(YearFigures)}
    goal_keys = {g.key for g in load_rubric(Stage.APPLICATION).goals} | {"formal"}
    for r in evaluate(_app()):
        assert r.title_zh and r.title_en and r.clause and r.threshold_zh, r.key
        assert r.detail_zh.endswith("。") and r.detail_en.endswith("."), r.key
        assert r.goal in goal_keys
        assert r.values, r.key
        for source in r.sources:
            head, _, tail = source.partition(".")
            assert (head == "years" and tail in year_fields) or (not tail and head in app_fields), source


def test_threshold_wording_is_the_policys() -> None:
    r = _check(_app(), "sei_investment_share")
    assert r.threshold_zh == "每年特色战略新兴产业建设项目投资占比不低于70%"
    assert r.clause == "一、产业特色鲜明"


def test_stage_rubric_decides_which_checks_run() -> None:
    annual = _app(stage=Stage.ANNUAL, materials=())
    keys = [r.key for r in evaluate(annual)]
    assert "required_materials" not in keys
    assert keys == list(load_rubric(Stage.ANNUAL).checks)


def test_summarize_counts_every_status_and_hard_failures_skip_soft_and_missing() -> None:
    app = _app(planned_area_km2=D(6), carrier_floor_area_m2=D(1000), wifi_coverage_pct=None)
    results = evaluate(app)
    counts = summarize(results)
    assert counts == {PASS: len(CHECK_KEYS) - 3, FAIL: 1, WARNING: 1, MISSING: 1}
    assert [r.key for r in hard_failures(results)] == ["carrier_floor_area"]


# --- planned area (soft) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "status"),
    [("3", PASS), ("2.0", PASS), ("4.0", PASS), ("1.99", WARNING), ("4.01", WARNING), ("12", WARNING)],
)
def test_planned_area_is_a_soft_band_that_never_fails(area: str, status: CheckStatus) -> None:
    r = _check(_app(planned_area_km2=D(area)), "planned_area")
    assert r.status is status
    assert r.hard is False
    assert r.values["规划面积（平方公里）"] == format_number(D(area))


def test_planned_area_band_comes_from_the_rubric() -> None:
    rub = dataclasses.replace(load_rubric(Stage.APPLICATION), area_band_km2=(D("2.5"), D("3.5")))
    assert _check(_app(planned_area_km2=D(4)), "planned_area", rubric=rub).status is WARNING
    assert _check(_app(planned_area_km2=D(4)), "planned_area").status is PASS


def test_planned_area_missing() -> None:
    r = _check(_app(planned_area_km2=None), "planned_area")
    assert r.status is MISSING and "规划面积" in r.detail_zh


# --- carrier floor area 不低于 200,000 m² ----------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "status"),
    [("200000", PASS), ("200000.01", PASS), ("199999.99", FAIL), ("50000", FAIL)],
)
def test_carrier_floor_area_not_below_200000(area: str, status: CheckStatus) -> None:
    r = _check(_app(carrier_floor_area_m2=D(area)), "carrier_floor_area")
    assert r.status is status and r.hard


def test_carrier_floor_area_missing() -> None:
    assert _check(_app(carrier_floor_area_m2=None), "carrier_floor_area").status is MISSING


# --- strategic emerging industry investment share 不低于 70% every year ----------------------------


@pytest.mark.parametrize(
    ("sei", "status"),
    [("7000", PASS), ("7000.01", PASS), ("6999.99", FAIL), ("6999.6", FAIL)],
)
def test_sei_share_exactly_70_percent_passes(sei: str, status: CheckStatus) -> None:
    years = _years(sei_investment=[D(8000), D(sei), D(9000)])
    r = _check(_app(years=years), "sei_investment_share")
    assert r.status is status


def test_sei_share_failure_names_the_year_and_shows_the_share_without_rounding_onto_70() -> None:
    years = _years(sei_investment=[D(8000), D("6999.6"), D(9000)])
    r = _check(_app(years=years), "sei_investment_share")
    assert r.values == {"2024": "80.00%", "2025": "69.996%", "2026": "90.00%"}
    assert "2025年69.996%" in r.detail_zh and "2025" in r.detail_en


def test_sei_share_must_hold_in_every_year_not_on_average() -> None:
    years = _years(sei_investment=[D(9900), D(6900), D(9900)])  # average 90%, one year 69%
    assert _check(_app(years=years), "sei_investment_share").status is FAIL


def test_sei_share_missing_year_data_or_zero_total() -> None:
    years = _years(total_investment=[D(10000), None, D(0)])
    r = _check(_app(years=years), "sei_investment_share")
    assert r.status is MISSING
    assert "2025年" in r.detail_zh and "2026年" in r.detail_zh
    assert r.values["2025"] == "—"


def test_a_part_larger_than_its_total_is_a_data_error_not_a_pass() -> None:
    years = _years(hightech_output=[D(35000), D(60000)])  # total output is 50000
    r = _check(_app(years=years), "hightech_output_share")
    assert r.status is MISSING and "2025年" in r.detail_zh


def test_a_failing_year_outweighs_a_missing_one() -> None:
    years = _years(sei_investment=[D(1000), D(8000), None])
    assert _check(_app(years=years), "sei_investment_share").status is FAIL


def test_sei_share_without_any_years() -> None:
    assert _check(_app(years=()), "sei_investment_share").status is MISSING


# --- high-tech output share 超过 60% -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("hightech", "status"),
    [("30000", FAIL), ("30000.01", PASS), ("29999.99", FAIL), ("35000", PASS)],
)
def test_hightech_share_exactly_60_percent_fails(hightech: str, status: CheckStatus) -> None:
    years = _years(hightech_output=[D(35000), D(hightech)])
    r = _check(_app(years=years), "hightech_output_share")
    assert r.status is status


def test_hightech_share_missing() -> None:
    years = _years(total_output=[None, None])
    assert _check(_app(years=years), "hightech_output_share").status is MISSING


# --- growth 年均增长10%以上 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "status"),
    [
        ([1000, 1100, 1210, 1331], PASS),  # exactly 10% a year
        ([1000, 1100, 1210, 1330], FAIL),  # just below
        ([1000, 1100, 1210, 1332], PASS),  # just above
        ([1000, 900, 1000, 1331], PASS),  # first to last, not year by year
        ([1000, 1500, 1500, 1300], FAIL),
    ],
)
def test_startup_growth_exactly_ten_percent_passes(series: list[int], status: CheckStatus) -> None:
    r = _check(_app(years=_years(new_startups=series)), "startup_growth")
    assert r.status is status and r.hard


def test_growth_values_show_each_year_and_the_rate() -> None:
    r = _check(_app(years=_years(new_startups=[1000, 1100, 1210, 1331])), "startup_growth")
    assert r.values == {"2024": "1000", "2025": "1100", "2026": "1210", "2027": "1331", CAGR_LABEL: "10.00%"}
    assert "10.00%" in r.detail_zh


@pytest.mark.parametrize(("last", "status"), [(605, PASS), (604, FAIL), (606, PASS)])
def test_employee_growth_boundary(last: int, status: CheckStatus) -> None:
    r = _check(_app(years=_years(new_employees=[500, 550, last])), "employee_growth")
    assert r.status is status


def test_growth_uses_the_span_of_years_not_the_number_of_rows() -> None:
    years = (_year(2024, new_startups=100), _year(2026, new_startups=121))  # 10% a year over 2 years
    assert _check(_app(years=years), "startup_growth").status is PASS


def test_growth_needs_two_years() -> None:
    r = _check(_app(years=(_year(2024),)), "startup_growth")
    assert r.status is MISSING and "两个年度" in r.detail_zh
    assert _check(_app(years=()), "employee_growth").status is MISSING


def test_growth_with_a_blank_year_is_missing_and_says_which() -> None:
    r = _check(_app(years=_years(new_employees=[500, None, 700])), "employee_growth")
    assert r.status is MISSING and "2025年" in r.detail_zh
    assert r.values["2025"] == "—"


def test_growth_from_zero_cannot_be_computed_and_is_left_to_the_expert() -> None:
    r = _check(_app(years=_years(new_startups=[0, 10, 20])), "startup_growth")
    assert r.status is WARNING


# --- incubation chain, coverage, platforms -------------------------------------------------------


def test_incubation_chain_complete() -> None:
    assert _check(_app(nurseries=1, incubators=1, accelerators=1), "incubation_chain").status is PASS


def test_incubation_chain_missing_link_fails_and_names_it() -> None:
    r = _check(_app(accelerators=0), "incubation_chain")
    assert r.status is FAIL and "加速器" in r.detail_zh and "accelerator" in r.detail_en
    assert r.values == {"创业苗圃": "2", "孵化器": "3", "加速器": "0"}


def test_incubation_chain_unknown_count_is_missing() -> None:
    r = _check(_app(nurseries=None), "incubation_chain")
    assert r.status is MISSING and "创业苗圃" in r.detail_zh


@pytest.mark.parametrize("key,field", [("wifi_coverage", "wifi_coverage_pct"),
                                       ("digital_management", "digital_mgmt_coverage_pct")])  # fmt: skip
@pytest.mark.parametrize(
    ("pct", "status"), [("100", PASS), ("100.0", PASS), ("99.99", FAIL), (None, MISSING)]
)
def test_full_coverage_means_100_percent(key: str, field: str, pct: str | None, status: CheckStatus) -> None:
    r = _check(_app(**{field: None if pct is None else D(pct)}), key)
    assert r.status is status and r.hard


def test_service_platforms_all_four() -> None:
    padded = tuple(f" {p} " for p in SERVICE_PLATFORMS)  # stray spaces from a spreadsheet cell
    assert _check(_app(service_platforms=padded), "service_platforms").status is PASS


def test_service_platforms_missing_one_fails_and_names_it() -> None:
    r = _check(_app(service_platforms=("创业服务", "商务商贸", "教育培训", "咖啡馆")), "service_platforms")
    assert r.status is FAIL and "文体娱乐" in r.detail_zh
    assert r.values["文体娱乐"] == "无" and r.values["创业服务"] == "有"


def test_service_platforms_none_listed_fails() -> None:
    assert _check(_app(service_platforms=()), "service_platforms").status is FAIL


# --- the six materials of clause 三(二) -----------------------------------------------------------


def test_materials_default_to_the_checklist_of_the_application() -> None:
    app = _app(materials=tuple(MaterialRef(k, "x.pdf") for k in REQUIRED_MATERIALS[:-1]))
    r = _check(app, "required_materials")
    assert r.status is FAIL and "概念性规划" in r.detail_zh and "conceptual plan" in r.detail_en
    assert r.goal == "formal" and r.clause == "三（二）"


def test_materials_whose_files_are_absent_fail_even_if_listed() -> None:
    present = set(REQUIRED_MATERIALS) - {MaterialKind.BOUNDARY}
    r = _check(_app(), "required_materials", present_materials=present)
    assert r.status is FAIL and r.values["四至范围"] == "无"


def test_other_attachments_do_not_stand_in_for_required_materials() -> None:
    r = _check(_app(), "required_materials", present_materials=[MaterialKind.OTHER] * 6)
    assert r.status is FAIL
    assert _check(_app(), "required_materials", present_materials=REQUIRED_MATERIALS).status is PASS
