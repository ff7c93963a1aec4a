"""The machine-readable review (review.json): built from the store, strict schema, canonical bytes."""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from tests.data.bundles import demo_case, import_demo
from zc_review import experts, reviews
from zc_review.core.schema import json_path
from zc_review.core.scoring import ScoreSheet, bonus_total, goal_total
from zc_review.errors import UserError
from zc_review.experts import ExpertProfile
from zc_review.opinions import build_payload
from zc_review.reports.review_payload import (
    SUBMITTED,
    embed_payload,
    extract_payload,
    is_final,
    payload_bytes,
    validate_payload,
)
from zc_review.reviews import ReviewState
from zc_review.store import Store
from zc_review.store.status import ReviewStatus
from zc_review.workspace import list_applications, load_application

CLEAN, HARD_FAIL = 0, 2  # demo cases: all indicators pass; 高新技术产业产值占比恰为60% (fails)
PROFILE = ExpertProfile(
    name="王建国", title="研究员", organisation="江苏省科学技术发展战略研究院", field="科技政策与产业经济"
)
OPINION = (
    "该社区区位条件优越，产业定位清晰，创业服务体系较完整，建设计划可行。\n"
    "建议按程序备案试点，并加强统计监测，进一步完善创业苗圃－孵化器－加速器全链条服务。"
)


# --- building reviews (also used by test_opinion_pdf) ------------------------------------------------


def app_id(store: Store, case: int) -> int:
    name = demo_case(case).app.community_name
    return next(a.id for a in list_applications(store) if a.community_name == name)


def expert(store: Store, profile: ExpertProfile = PROFILE) -> int:
    expert_id = experts.save_profile(store, profile)
    experts.accept_pledge(store, expert_id)
    return expert_id


def realistic_sheet(state: ReviewState) -> ScoreSheet:
    """A complete sheet with varied scores (halves, a missed point, bonus) built from the rubric."""
    rubric = state.rubric
    scores = {i.id: i.max_points - i.step * (n % 3) for n, i in enumerate(rubric.items())}
    scores.update({b.id: b.max_points for b in rubric.bonus.items[:2]})
    comments = {
        i.id: "相关硬指标不达标或给予加分，已逐项核对申报材料。"
        for i in rubric.items(include_bonus=True)
        if i.id in scores and i.comment_required(scores[i.id], state.failed_checks)
    }
    first = rubric.goals[0].items[0].id
    comments[first] = "规划范围清晰，载体面积充足，但部分载体尚在建设中。"
    allowed = [r for r in rubric.recommendations if not (state.failed_checks and r.blocked_by_hard_failure)]
    return ScoreSheet(
        scores=scores,
        item_comments=comments,
        goal_comments={g.key: f"{g.title}方面材料翔实，论证较充分，基本符合政策要求。" for g in rubric.goals},
        overall_opinion=OPINION,
        recommendation=allowed[0].key,
    )


def submitted_review(store: Store, case: int, expert_id: int) -> ReviewState:
    """Open, declare no conflict, acknowledge the formal check, score and submit case ``case``."""
    state = reviews.open_review(store, expert_id, app_id(store, case))
    state = reviews.declare_no_conflict(store, state.review_id)
    if state.missing_materials:
        state = reviews.acknowledge_formal_check(store, state.review_id)
    state = reviews.save_sheet(store, state.review_id, realistic_sheet(state))
    return reviews.submit(store, state.review_id)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    root = tmp_path_factory.mktemp("payload")
    import_demo(root / "data", root / "work", (CLEAN, HARD_FAIL))
    with Store.open(root / "data") as s:
        yield s


@pytest.fixture(scope="module")
def submitted(store: Store) -> ReviewState:
    return submitted_review(store, HARD_FAIL, expert(store))


@pytest.fixture(scope="module")
def payload(store: Store, submitted: ReviewState) -> dict[str, Any]:
    return build_payload(store, submitted.review_id)


# --- build_payload ------------------------------------------------------------------------------------


def test_payload_ties_the_review_to_the_sealed_bundle_rubric_and_expert(
    store: Store, submitted: ReviewState, payload: dict[str, Any]
) -> None:
    loaded = load_application(store, submitted.application_id, submitted.version)
    assert (payload["format"], payload["format_version"], payload["revision"]) == ("zc-review-opinion", 1, 1)
    assert payload["supersedes"] is None
    assert payload["application"]["bundle_sha256"] == loaded.bundle_sha256
    assert re.fullmatch(r"[0-9a-f]{64}", payload["application"]["bundle_sha256"])
    assert payload["application"]["key"] == loaded.key
    assert payload["application"]["community_name"] == demo_case(HARD_FAIL).app.community_name
    assert payload["application"]["version"] == 1
    assert payload["batch"]["id"] == submitted.batch_id
    assert payload["rubric"] == {"id": submitted.rubric.id, "version": submitted.rubric.version}
    assert payload["expert"] == {
        "name": PROFILE.name,
        "title": PROFILE.title,
        "organisation": PROFILE.organisation,
        "field": PROFILE.field,
    }
    assert payload["generator"]["name"] == "ZC Review"


def test_payload_scores_and_totals_are_exact_decimal_strings(
    submitted: ReviewState, payload: dict[str, Any]
) -> None:
    rubric, sheet = submitted.rubric, submitted.sheet
    assert payload["scores"] == {k: f"{v:f}" for k, v in sheet.scores.items()}
    assert {Decimal(v) for v in payload["scores"].values()} >= {Decimal("5.5")}  # halves survive
    assert payload["goal_totals"] == {g.key: f"{goal_total(rubric, sheet, g.key):f}" for g in rubric.goals}
    assert Decimal(payload["bonus"]) == bonus_total(rubric, sheet) == Decimal(2)
    assert Decimal(payload["total"]) == submitted.total
    assert sum(Decimal(v) for v in payload["goal_totals"].values()) + Decimal(payload["bonus"]) == Decimal(
        payload["total"]
    )


def test_payload_carries_opinion_recommendation_declaration_and_checks(
    submitted: ReviewState, payload: dict[str, Any]
) -> None:
    rubric = submitted.rubric
    assert payload["overall_opinion"] == OPINION
    assert set(payload["goal_comments"]) == {g.key for g in rubric.goals}
    assert payload["item_comments"] == dict(submitted.sheet.item_comments)
    chosen = next(r for r in rubric.recommendations if r.key == submitted.sheet.recommendation)
    assert payload["recommendation"] == {"key": chosen.key, "label": chosen.label}
    assert payload["conflict"]["conflicted"] is False
    failing = [c["key"] for c in payload["checks"] if c["status"] == "fail" and c["hard"]]
    assert failing == list(submitted.failed_checks) == ["hightech_output_share"]
    assert [c["key"] for c in payload["checks"]] == list(rubric.checks)
    assert payload["formal_check"] == {"missing_materials": [], "acknowledged": False}


def test_payload_times_are_iso_utc_and_submission_is_recorded(
    submitted: ReviewState, payload: dict[str, Any]
) -> None:
    stamps = payload["timestamps"]
    assert payload["status"] == "submitted"
    for value in (*stamps.values(), payload["conflict"]["declared_at"]):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value)
    assert submitted.submitted_at is not None
    assert stamps["submitted"] == submitted.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert stamps["created"] <= stamps["updated"]


def test_a_revision_names_the_signed_opinion_it_supersedes(store: Store, submitted: ReviewState) -> None:
    previous = "ab" * 32
    payload = build_payload(store, submitted.review_id, revision=2, supersedes=(1, previous))
    validate_payload(payload, "rev2.pdf")
    assert (payload["revision"], payload["supersedes"]) == (2, {"revision": 1, "sha256": previous})
    with pytest.raises(UserError, match=r"\$\.supersedes"):
        validate_payload({**payload, "supersedes": None}, "rev2.pdf")


def test_a_draft_payload_is_valid_and_says_it_is_not_submitted(store: Store) -> None:
    other = expert(store, ExpertProfile(name="李敏", title="教授"))
    state = reviews.open_review(store, other, app_id(store, CLEAN))
    reviews.declare_no_conflict(store, state.review_id)
    payload = build_payload(store, state.review_id)
    validate_payload(payload, "draft.pdf")
    assert payload["status"] == "not_started"
    assert payload["timestamps"]["submitted"] is None
    assert payload["recommendation"] is None and payload["scores"] == {}


def test_the_payload_of_a_submitted_review_is_final_and_a_draft_is_not(payload: dict[str, Any]) -> None:
    # The file format names the status itself (it loads nothing of the store): the same word as the store's.
    assert ReviewStatus.SUBMITTED.value == SUBMITTED
    assert is_final(payload)
    assert not is_final({**payload, "status": ReviewStatus.IN_PROGRESS.value})


def test_a_recused_review_has_no_opinion_to_build(store: Store) -> None:
    other = expert(store, ExpertProfile(name="赵磊", title="高级工程师"))
    state = reviews.open_review(store, other, app_id(store, CLEAN))
    reviews.declare_conflict(store, state.review_id, "合作关系", "近三年与申报单位有项目合作。")
    with pytest.raises(UserError, match="回避"):
        build_payload(store, state.review_id)


# --- canonical bytes -----------------------------------------------------------------------------------


def test_payload_bytes_are_canonical_compact_utf8(payload: dict[str, Any]) -> None:
    data = payload_bytes(payload)
    assert json.loads(data.decode("utf-8")) == payload
    assert payload["application"]["community_name"].encode("utf-8") in data  # not \\u-escaped
    assert b": " not in data and b", " not in data and b"\n" not in data
    shuffled = dict(reversed(list(payload.items())))
    assert payload_bytes(shuffled) == data  # key order does not matter
    keys = list(json.loads(data))
    assert keys == sorted(keys)


# --- validation -------------------------------------------------------------------------------------


def _invalid(payload: dict[str, Any], edit: Any) -> UserError:
    bad = copy.deepcopy(payload)
    edit(bad)
    with pytest.raises(UserError) as info:
        validate_payload(bad, Path("/exports/王建国-opinion.pdf"))
    return info.value


def test_the_built_payload_is_valid(payload: dict[str, Any]) -> None:
    validate_payload(payload, "opinion.pdf")


def test_a_missing_field_is_named_by_its_json_path(payload: dict[str, Any]) -> None:
    err = _invalid(payload, lambda p: p["application"].pop("bundle_sha256"))
    assert "$.application.bundle_sha256" in err.zh and "$.application.bundle_sha256" in err.en
    assert "缺少必填字段" in err.zh
    assert err.path is not None and err.path.endswith("王建国-opinion.pdf")
    assert str(err).startswith("王建国-opinion.pdf")

    err = _invalid(payload, lambda p: p.pop("total"))
    assert "$.total" in err.zh


def test_an_extra_field_is_refused_and_named(payload: dict[str, Any]) -> None:
    err = _invalid(payload, lambda p: p["expert"].update(phone="13800000000"))
    assert "$.expert.phone" in err.zh and "不认识的字段" in err.zh
    err = _invalid(payload, lambda p: p.update(note="x"))
    assert "$.note" in err.en


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda p: p["scores"].update({"1.1": 6.0}), '$.scores["1.1"]'),  # a float, not a decimal string
        (lambda p: p["scores"].update({"1.1": "1E+1"}), '$.scores["1.1"]'),
        (lambda p: p["scores"].update({"1.1": "-1"}), '$.scores["1.1"]'),
        (lambda p: p.update(total="92,5"), "$.total"),
        (lambda p: p["application"].update(bundle_sha256="XYZ"), "$.application.bundle_sha256"),
        (lambda p: p["timestamps"].update(created="2026-03-01 08:00:00"), "$.timestamps.created"),
        (lambda p: p["checks"][0].update(status="ok"), "$.checks[0].status"),
        (lambda p: p["conflict"].update(conflicted=True), "$.conflict.conflicted"),
        (lambda p: p["expert"].update(name="王\n建国"), "$.expert.name"),
    ],
)
def test_a_wrong_value_is_refused_and_named(payload: dict[str, Any], edit: Any, where: str) -> None:
    err = _invalid(payload, edit)
    assert where in err.zh and where in err.en


def test_json_path_quotes_keys_that_are_not_identifiers() -> None:
    assert json_path(["scores", "1.1"]) == '$.scores["1.1"]'
    assert json_path(["checks", 2, "status"]) == "$.checks[2].status"
    assert json_path([]) == "$"


# --- the attachment ----------------------------------------------------------------------------------


def _blank_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_an_embedded_payload_reads_back_equal(payload: dict[str, Any]) -> None:
    assert extract_payload(embed_payload(_blank_pdf(), payload), "x.pdf") == payload


def test_a_pdf_without_review_data_is_refused_by_name() -> None:
    with pytest.raises(UserError, match=re.escape("review.json")) as info:
        extract_payload(_blank_pdf(), "别的文件.pdf")
    assert info.value.path == "别的文件.pdf"


def test_an_embedded_payload_that_breaks_the_schema_is_refused(payload: dict[str, Any]) -> None:
    bad = copy.deepcopy(payload)
    bad["scores"]["1.1"] = "9.5.1"
    with pytest.raises(UserError, match=re.escape('$.scores["1.1"]')):
        extract_payload(embed_payload(_blank_pdf(), bad), "tampered.pdf")


def test_not_a_pdf_is_refused_with_a_message() -> None:
    with pytest.raises(UserError, match="PDF"):
        extract_payload(b"PK\x03\x04 this is a zip", "opinion.pdf")
