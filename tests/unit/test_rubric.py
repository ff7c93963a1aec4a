"""The three packaged rubrics and the loader's rejection of broken rubric files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zc_review.core.application import Stage
from zc_review.core.checks import CHECK_KEYS
from zc_review.core.rubric import (
    GOAL_KEYS,
    PREVIOUS_DIR,
    Rubric,
    RubricRef,
    find_rubric,
    load_rubric,
    load_rubric_file,
    rubric_for,
)
from zc_review.errors import UserError
from zc_review.resources import resource_path

D = Decimal
STAGES = list(Stage)

GOAL_TITLES = {
    "innovation_resources": "创新资源富集",
    "entrepreneurship_services": "创业服务完善",
    "industry_specialization": "产业特色鲜明",
    "living_environment": "人居环境适宜",
    "management_system": "管理体制科学",
}
RECOMMENDATIONS = {
    Stage.APPLICATION: ["建议备案试点", "修改完善后再议", "不建议"],
    Stage.ANNUAL: ["考核通过", "限期整改", "考核不通过"],
    Stage.ACCEPTANCE: ["建议认定为省级众创社区", "限期整改后复验", "不予通过"],
}


@pytest.fixture(params=STAGES, ids=[s.value for s in STAGES])
def rubric(request: pytest.FixtureRequest) -> Rubric:
    return load_rubric(request.param)


def test_each_stage_loads_its_own_rubric(rubric: Rubric) -> None:
    assert load_rubric(rubric.stage.value) is rubric  # also accepts the plain string
    assert rubric.id and rubric.version
    assert len(rubric.rationale) > 100  # the weights are explained


def test_five_goals_total_one_hundred_points(rubric: Rubric) -> None:
    assert rubric.total == rubric.max_total == D(100)
    assert [g.key for g in rubric.goals] == list(GOAL_KEYS)
    assert {g.key: g.title for g in rubric.goals} == GOAL_TITLES
    for goal in rubric.goals:
        assert sum(i.max_points for i in goal.items) == goal.max_points


def test_bonus_is_one_point_items_capped_at_five(rubric: Rubric) -> None:
    bonus = rubric.bonus
    assert bonus.cap == D(5)
    assert all(i.max_points == D(1) for i in bonus.items)
    assert len(bonus.items) > 5  # so the cap really bites
    assert bonus.capped(D(len(bonus.items))) == D(5)
    assert bonus.capped(D(3)) == D(3)
    assert rubric.max_with_bonus == D(105)


def test_every_item_names_its_policy_clause_and_known_checks(rubric: Rubric) -> None:
    for item in rubric.items(include_bonus=True):
        assert item.clause.strip(), item.id
        assert set(item.checks) <= set(rubric.checks) <= set(CHECK_KEYS)


def test_every_hard_check_of_the_stage_is_scored_by_some_item(rubric: Rubric) -> None:
    linked = {c for item in rubric.items() for c in item.checks}
    assert set(rubric.checks) - linked <= {"required_materials"}  # the formal check gates, it is not scored


def test_anchors_cover_every_allowed_score_exactly_once(rubric: Rubric) -> None:
    for item in rubric.items():
        assert [a.band for a in item.anchors] == ["优", "良", "中", "差"]
        k = 0
        while item.step * k <= item.max_points:
            points = item.step * k
            assert sum(a.contains(points) for a in item.anchors) == 1, (item.id, points)
            k += 1
        assert all(len(a.description) >= 4 for a in item.anchors)


def test_points_are_exact_decimals(rubric: Rubric) -> None:
    item = rubric.items()[0]
    assert item.step == D("0.5") and isinstance(item.step, Decimal)
    assert isinstance(rubric.area_band_km2[0], Decimal)


def test_recommendation_options_per_stage(rubric: Rubric) -> None:
    assert [r.label for r in rubric.recommendations] == RECOMMENDATIONS[rubric.stage]
    assert [r.positive for r in rubric.recommendations] == [True, False, False]


def test_application_recommendation_line() -> None:
    rub = load_rubric(Stage.APPLICATION)
    assert rub.suggest(D(80)).label == "建议备案试点"  # 80分以上 includes 80
    assert rub.suggest(D("79.5")).label == "修改完善后再议"
    assert rub.suggest(D(95), hard_failure=True).label == "修改完善后再议"
    assert rub.suggest(D(60)).label == "修改完善后再议"
    assert rub.suggest(D("59.5")).label == "不建议"


def test_annual_and_acceptance_lines() -> None:
    annual = load_rubric(Stage.ANNUAL)
    assert annual.suggest(D(75)).label == "考核通过"
    assert annual.suggest(D("74.5")).label == "限期整改"
    acceptance = load_rubric(Stage.ACCEPTANCE)
    assert acceptance.suggest(D(80)).label == "建议认定为省级众创社区"
    assert acceptance.suggest(D(90), hard_failure=True).label == "限期整改后复验"
    assert acceptance.suggest(D("69.5")).label == "不予通过"


def test_soft_area_band_and_stage_checks() -> None:
    app = load_rubric(Stage.APPLICATION)
    assert app.area_band_km2 == (D(2), D(4))
    assert set(app.checks) == set(CHECK_KEYS)
    # Later stages judge performance, not the application's six materials.
    assert "required_materials" not in load_rubric(Stage.ANNUAL).checks
    assert "required_materials" not in load_rubric(Stage.ACCEPTANCE).checks


def test_item_lookup_scores_and_bands() -> None:
    rub = load_rubric(Stage.APPLICATION)
    item = rub.item("3.2")
    assert item.goal == "industry_specialization"
    assert item.checks == ("sei_investment_share",)
    assert rub.item("B1").goal == "bonus"
    with pytest.raises(KeyError):
        rub.item("9.9")
    assert item.is_valid_score(D("5.5"))
    assert not item.is_valid_score(D("5.25"))
    assert not item.is_valid_score(D("6.5"))
    assert not item.is_valid_score(D("-0.5"))
    anchor = item.anchor_for(D("5.5"))
    assert anchor is not None and anchor.band == "优"
    assert len(rub.items()) + len(rub.bonus.items) == len(rub.items(include_bonus=True))


def test_comment_required_below_sixty_percent_or_on_failed_check() -> None:
    item = load_rubric(Stage.APPLICATION).item("3.2")  # max 6: 60% is 3.6
    assert item.comment_required(D("3.5"))
    assert not item.comment_required(D(4))
    assert item.comment_required(D(6), failed_checks={"sei_investment_share"})
    assert not item.comment_required(D(6), failed_checks={"wifi_coverage"})
    bonus = load_rubric(Stage.APPLICATION).item("B2")
    assert bonus.comment_required(D(1))  # name the evidence for a bonus point
    assert not bonus.comment_required(D(0))


def test_unknown_stage_is_a_user_error() -> None:
    with pytest.raises(UserError) as exc:
        load_rubric("midterm")
    assert "midterm" in exc.value.zh and "midterm" in exc.value.en


# --- broken rubric files ------------------------------------------------------------------------


def _packaged() -> dict[str, Any]:
    text = resource_path("rubrics", "application.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _load_error(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> UserError:
    data = copy.deepcopy(_packaged())
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(UserError) as exc:
        load_rubric_file(path)
    assert exc.value.path == str(path)
    assert str(exc.value).startswith("broken.json")  # the person is told which file
    return exc.value


def test_an_unchanged_copy_loads(tmp_path: Path) -> None:
    rub = load_rubric_file(_write(tmp_path, _packaged()))
    assert rub == load_rubric(Stage.APPLICATION)


def _drop_goals(d: dict[str, Any]) -> None:
    del d["goals"]


def _string_points(d: dict[str, Any]) -> None:
    d["goals"][0]["items"][0]["max"] = "6"


def _bad_stage(d: dict[str, Any]) -> None:
    d["stage"] = "midterm"


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [(_drop_goals, "goals"), (_string_points, "max"), (_bad_stage, "stage")],
    ids=["missing-goals", "points-as-string", "unknown-stage"],
)
def test_schema_violations_are_rejected(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], needle: str
) -> None:
    err = _load_error(tmp_path, mutate)
    assert "schema" in err.en and needle in err.en


def test_total_not_matching_goal_maxima(tmp_path: Path) -> None:
    err = _load_error(tmp_path, lambda d: d.update(total=99))
    assert "declared total 99" in err.en and "总分99" in err.zh


def test_items_not_matching_their_goal_maximum(tmp_path: Path) -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["goals"][0]["max"] = 23
        d["goals"][1]["max"] = 21

    err = _load_error(tmp_path, mutate)
    assert "innovation_resources" in err.en and "entrepreneurship_services" in err.en


def test_anchor_gap_is_rejected(tmp_path: Path) -> None:
    err = _load_error(tmp_path, lambda d: d["goals"][0]["items"][0]["anchors"].pop(2))
    assert "item 1.1" in err.en and "in no band" in err.en


def test_overlapping_anchors_are_rejected(tmp_path: Path) -> None:
    def mutate(d: dict[str, Any]) -> None:
        anchors = d["goals"][0]["items"][0]["anchors"]
        anchors[1]["max"] = anchors[0]["min"]

    err = _load_error(tmp_path, mutate)
    assert "several bands" in err.en


def test_unknown_check_key_is_rejected(tmp_path: Path) -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["checks"].append("moon_landing")
        d["goals"][0]["items"][0]["checks"].append("moon_landing")

    err = _load_error(tmp_path, mutate)
    assert "unknown check keys: moon_landing" in err.en


def test_item_linking_a_check_the_stage_does_not_run_is_rejected(tmp_path: Path) -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["checks"].remove("wifi_coverage")

    err = _load_error(tmp_path, mutate)
    assert "wifi_coverage" in err.en


def test_duplicate_item_ids_are_rejected(tmp_path: Path) -> None:
    err = _load_error(tmp_path, lambda d: d["goals"][0]["items"][1].update(id="1.1"))
    assert "duplicate item id 1.1" in err.en


def test_bonus_item_above_cap_is_rejected(tmp_path: Path) -> None:
    err = _load_error(tmp_path, lambda d: d["bonus"]["items"][0].update(max=6))
    assert "bonus cap" in err.en


def test_recommendations_without_a_zero_line_are_rejected(tmp_path: Path) -> None:
    err = _load_error(tmp_path, lambda d: d["recommendations"][2].update(min_total=10))
    assert "0 points" in err.en


def test_invalid_json_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": ', encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_rubric_file(path)
    assert "JSON" in exc.value.zh and exc.value.path == str(path)
    with pytest.raises(UserError) as exc:
        load_rubric_file(tmp_path / "absent.json")
    assert exc.value.path is not None and exc.value.path.endswith("absent.json")


@pytest.mark.parametrize("stage", STAGES, ids=[s.value for s in STAGES])
def test_every_shipped_rubric_matches_the_schema(stage: Stage) -> None:
    # The program skips the schema check for its own files at start-up; this is where it holds.
    rub = load_rubric_file(resource_path("rubrics", f"{stage.value}.json"), check_schema=True)
    assert rub == load_rubric(stage)


def test_a_damaged_installed_rubric_is_reported_with_the_schema_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zc_review.core.rubric as rubric_module

    data = _packaged()
    del data["goals"][0]["items"][0]["max"]  # the quick build fails; the full check explains
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "application.json").write_text(json.dumps(data), encoding="utf-8")
    real = rubric_module.resource_path
    monkeypatch.setattr(
        rubric_module,
        "resource_path",
        lambda *parts: tmp_path.joinpath(*parts) if parts[0] == "rubrics" else real(*parts),
    )
    rubric_module._load_packaged.cache_clear()
    try:
        with pytest.raises(UserError, match="不符合格式要求"):
            load_rubric(Stage.APPLICATION)
    finally:
        rubric_module._load_packaged.cache_clear()


def test_every_shipped_version_is_valid_distinct_and_found_by_its_pin() -> None:
    # Versions superseded by an update stay under rubrics/previous/, for the reviews made under them.
    files = [resource_path("rubrics", f"{s.value}.json") for s in Stage]
    files += sorted(resource_path("rubrics", PREVIOUS_DIR).glob("*.json"))
    pins = [(r.id, r.version) for r in (load_rubric_file(p, check_schema=True) for p in files)]
    assert len(set(pins)) == len(pins), pins
    for rubric_id, version in pins:
        assert (find_rubric(rubric_id, version).id, find_rubric(rubric_id, version).version) == (
            rubric_id,
            version,
        )


def test_a_rubric_the_program_lacks_is_said_as_such() -> None:
    with pytest.raises(UserError, match="本程序没有评分细则"):
        rubric_for(RubricRef("zc-application", "0.0"))
