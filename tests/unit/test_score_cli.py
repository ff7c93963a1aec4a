"""``zc-review score APP --from FILE.json``: a paper score sheet entered under the form's rules."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import select

from tests.data.bundles import demo_case, import_demo
from zc_review import experts, reviews
from zc_review.cli import main
from zc_review.core.application import Stage
from zc_review.core.rubric import Rubric, load_rubric
from zc_review.experts import ExpertProfile
from zc_review.resources import resource_path
from zc_review.store import Store
from zc_review.store.models import AuditLog, Review, ReviewScore, ReviewStatus
from zc_review.workspace import list_applications

CLEAN, HARD_FAIL = 0, 2
OPINION = (
    "该社区区位条件优越，产业定位清晰，创业服务体系较完整，建设计划可行，建议按程序备案试点并加强统计监测。"
)
GOAL_TEXT = "材料翔实，论证充分，基本符合政策要求。"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("score-cli-template")
    import_demo(root / "data", root / "work", (CLEAN, HARD_FAIL))
    return root / "data"


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(template, target)
    return target


@pytest.fixture
def rubric() -> Rubric:
    return load_rubric(Stage.APPLICATION)


@pytest.fixture
def store(data: Path) -> Iterator[Store]:
    with Store.open(data) as s:
        yield s


def app_id(data: Path, case: int) -> int:
    with Store.open(data) as s:
        name = demo_case(case).app.community_name
        return next(a.id for a in list_applications(s) if a.community_name == name)


def complete(rubric: Rubric, **extra: Any) -> dict[str, Any]:
    """A complete sheet as staff would type it: numbers and strings mixed, built from the rubric."""
    items = rubric.items()
    scores: dict[str, Any] = {}
    for n, item in enumerate(items):
        points = item.max_points - item.step  # e.g. 5.5 of 6: high enough to need no comment
        scores[item.id] = float(points) if n % 2 else str(points)
    sheet: dict[str, Any] = {
        "expert": {"name": "王五", "title": "教授", "organisation": "东南大学", "field": "城市规划"},
        "pledge_accepted": True,
        "conflict": {"declared": False},
        "formal_acknowledged": True,
        "scores": scores,
        "item_comments": {},
        "goal_comments": {g.key: GOAL_TEXT for g in rubric.goals},
        "overall_opinion": OPINION,
        "recommendation": rubric.recommendations[0].label,
    }
    sheet.update(extra)
    return sheet


def write(tmp_path: Path, sheet: dict[str, Any], name: str = "评分表.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(sheet, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def score(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def stored_reviews(data: Path) -> list[Review]:
    with Store.open(data) as s, s.session() as session:
        rows = list(session.scalars(select(Review).order_by(Review.id)))
        for r in rows:
            _ = (r.scores, r.expert)
        return rows


def test_the_shipped_schema_is_valid_and_accepts_the_documented_shape(rubric: Rubric) -> None:
    schema = json.loads(resource_path("schema", "score-sheet.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(complete(rubric))
    recusal = {"conflict": {"declared": True, "type": "亲属关系", "reason": "申报单位负责人系本人亲属。"}}
    jsonschema.Draft202012Validator(schema).validate(recusal)


def test_a_complete_sheet_is_submitted_with_exact_scores(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    target = app_id(data, CLEAN)
    sheet = complete(rubric)
    code, out, err = score(capsys, data, "score", str(target), "--from", str(write(tmp_path, sheet)))
    assert code == 0, err
    expected_total = sum((i.max_points - i.step for i in rubric.items()), Decimal(0))
    assert "已提交" in out and str(expected_total) in out and rubric.recommendations[0].label in out

    [review] = stored_reviews(data)
    assert (review.application_id, review.status) == (target, ReviewStatus.SUBMITTED)
    assert review.expert.name == "王五" and review.expert.organisation == "东南大学"
    assert review.recommendation == rubric.recommendations[0].key
    assert {s.item_id: s.score for s in review.scores} == {
        i.id: i.max_points - i.step for i in rubric.items()
    }
    # Floats like 5.5 are stored as the exact text a person wrote, never 5.4999….
    with Store.open(data) as s, s.engine.connect() as conn:
        texts = set(conn.exec_driver_sql("SELECT score FROM review_score").scalars())
    assert texts == {str(i.max_points - i.step) for i in rubric.items()}
    with Store.open(data) as s, s.session() as session:
        actors = set(session.scalars(select(AuditLog.actor).where(AuditLog.entity == "review")))
    assert actors == {"王五（书面评分表录入）"}


def test_an_incomplete_sheet_lists_every_missing_item_by_title_and_enters_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    sheet = complete(rubric)
    dropped = [rubric.items()[1], rubric.items()[7]]
    for item in dropped:
        del sheet["scores"][item.id]
    first_goal = rubric.goals[0]
    del sheet["goal_comments"][first_goal.key]
    path = write(tmp_path, sheet, "incomplete.json")

    code, out, err = score(capsys, data, "score", str(app_id(data, CLEAN)), "--from", str(path))
    assert code == 1 and out == ""
    assert "incomplete.json" in err and "不能提交" in err
    for item in dropped:
        assert f"“{item.title}”尚未评分" in err
    assert f"“{first_goal.title}”的评价意见" in err

    [review] = stored_reviews(data)  # opened, as the form opens it, but nothing entered
    assert review.status is ReviewStatus.NOT_STARTED
    assert review.conflict_declared is None and review.scores == []


def test_problems_are_in_english_with_lang_en(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    sheet = complete(rubric)
    item = rubric.items()[0]
    del sheet["scores"][item.id]
    path = write(tmp_path, sheet)
    code, _, err = score(capsys, data, "--lang", "en", "score", str(app_id(data, CLEAN)), "--from", str(path))
    assert code == 1
    assert f"“{item.title_en}” has no score yet" in err and "cannot be submitted" in err


def test_a_hard_failure_needs_the_linked_comment_and_blocks_the_positive_recommendation(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    target = app_id(data, HARD_FAIL)
    path = write(tmp_path, complete(rubric))
    code, _, err = score(capsys, data, "score", str(target), "--from", str(path))
    assert code == 1
    linked = [i for i in rubric.items() if "hightech_output_share" in i.checks]
    for item in linked:
        assert f"“{item.title}”需要填写说明" in err
    assert f"不能选择“{rubric.recommendations[0].label}”" in err

    fixed = complete(
        rubric,
        item_comments={i.id: "2025年高新技术产业产值占比恰为60%，未超过60%。" for i in linked},
        recommendation=rubric.recommendations[1].key,
    )
    code, _, err = score(capsys, data, "score", str(target), "--from", str(write(tmp_path, fixed)))
    assert code == 0, err


def test_a_recusal_from_the_sheet_is_recorded_and_locks_the_application(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    target = app_id(data, CLEAN)
    recusal = {
        "expert": {"name": "王五"},
        "pledge_accepted": True,
        "conflict": {"declared": True, "type": "同一单位或曾在其任职", "reason": "曾在申报单位挂职两年。"},
    }
    code, out, err = score(
        capsys, data, "score", str(target), "--from", str(write(tmp_path, recusal, "r.json"))
    )
    assert code == 0, err
    assert "已记录回避" in out
    [review] = stored_reviews(data)
    assert review.status is ReviewStatus.RECUSED
    assert (review.conflict_type, review.conflict_reason) == (
        "同一单位或曾在其任职",
        "曾在申报单位挂职两年。",
    )

    code, _, err = score(capsys, data, "score", str(target), "--from", str(write(tmp_path, complete(rubric))))
    assert code == 1 and "回避" in err and "锁定" in err
    assert stored_reviews(data)[0].scores == []


def test_a_submitted_review_cannot_be_entered_again(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    path = write(tmp_path, complete(rubric))
    target = str(app_id(data, CLEAN))
    assert score(capsys, data, "score", target, "--from", str(path))[0] == 0
    code, _, err = score(capsys, data, "score", target, "--from", str(path))
    assert code == 1 and "已提交" in err


def test_schema_errors_name_the_file_and_the_json_path_in_chinese(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    sheet = complete(rubric)
    first = rubric.items()[0].id
    sheet["scores"][first] = "八分"
    sheet["conflict"] = {"declared": True, "type": "同事"}
    sheet["opinion"] = "拼错的字段"
    path = write(tmp_path, sheet, "坏的评分表.json")
    code, out, err = score(capsys, data, "score", str(app_id(data, CLEAN)), "--from", str(path))
    assert code == 1 and out == ""
    assert "坏的评分表.json" in err and "不符合格式要求" in err
    assert f'位置 $.scores["{first}"]' in err and "得分应为数字" in err
    assert "位置 $.conflict" in err and "回避类型可选" in err
    assert "位置 $.opinion：不认识的字段" in err
    assert stored_reviews(data) == []  # nothing opened, nothing written


def test_unreadable_json_is_reported_with_line_and_column(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "conflict": {"declared": false},\n  "scores": {"1.1": 5,}\n}', encoding="utf-8")
    code, _, err = score(capsys, data, "score", "1", "--from", str(path))
    assert code == 1 and "broken.json" in err and "第 3 行" in err

    nan = tmp_path / "nan.json"
    nan.write_text('{"conflict": {"declared": false}, "scores": {"1.1": NaN}}', encoding="utf-8")
    code, _, err = score(capsys, data, "score", "1", "--from", str(nan))
    assert code == 1 and "NaN" in err

    code, _, err = score(capsys, data, "score", "1", "--from", str(tmp_path / "absent.json"))
    assert code == 1 and "absent.json" in err


def test_an_invalid_score_is_refused_with_the_items_title(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    item = rubric.items()[2]
    sheet = complete(rubric)
    sheet["scores"][item.id] = float(item.max_points + 1)
    sheet["scores"]["9.9"] = 1
    code, _, err = score(
        capsys, data, "score", str(app_id(data, CLEAN)), "--from", str(write(tmp_path, sheet))
    )
    assert code == 1
    assert f"“{item.title}”的得分" in err and "超出范围" in err and "“9.9”" in err
    assert all(r.scores == [] for r in stored_reviews(data))


def test_the_expert_defaults_to_the_workstation_expert_who_must_have_taken_the_pledge(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    sheet = complete(rubric)
    del sheet["expert"]
    del sheet["pledge_accepted"]
    path = write(tmp_path, sheet)
    target = str(app_id(data, CLEAN))

    code, _, err = score(capsys, data, "score", target, "--from", str(path))
    assert code == 1 and "未指定评审专家" in err

    with Store.open(data) as s:
        me = experts.save_profile(s, ExpertProfile(name="张三"))
    code, _, err = score(capsys, data, "score", target, "--from", str(path))
    assert code == 1 and "评审承诺" in err and "pledge_accepted" in err

    with Store.open(data) as s:
        experts.accept_pledge(s, me)
    code, _, err = score(capsys, data, "score", target, "--from", str(path))
    assert code == 0, err
    assert [r.expert_id for r in stored_reviews(data)] == [me]


def test_the_expert_option_must_agree_with_the_sheet(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    path = write(tmp_path, complete(rubric))
    target = str(app_id(data, CLEAN))
    code, _, err = score(capsys, data, "score", target, "--from", str(path), "--expert", "赵六")
    assert code == 1 and "不一致" in err
    code, _, err = score(capsys, data, "score", target, "--from", str(path), "--expert", "王五")
    assert code == 0, err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--data-dir", str(data), "score", "1"])
    assert info.value.code == 2
    assert "--from" in capsys.readouterr().err


def test_the_cli_uses_the_same_rules_as_the_form(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, rubric: Rubric
) -> None:
    # What the CLI submitted is what the lifecycle functions consider complete.
    target = app_id(data, CLEAN)
    assert score(capsys, data, "score", str(target), "--from", str(write(tmp_path, complete(rubric))))[0] == 0
    with Store.open(data) as s:
        [review] = stored_reviews(data)
        state = reviews.review_state(s, review.id)
        assert reviews.submission_problems(state) == []
        assert state.locked and state.declared_no_conflict and state.formal_acknowledged
        with s.session() as session:
            assert len(session.scalars(select(ReviewScore)).all()) == len(rubric.items())
