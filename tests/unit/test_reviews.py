"""The review lifecycle on a real store: open, declare, autosave, submit, recuse, new versions."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.data.bundles import county_zip, demo_case, import_demo
from zc_review import experts, reviews
from zc_review.core.rubric import Rubric
from zc_review.core.scoring import FieldKind, ScoreSheet, goal_total
from zc_review.errors import UserError
from zc_review.experts import ExpertProfile
from zc_review.reviews import IncompleteReview, ReviewState, SheetProblems
from zc_review.store import Store
from zc_review.store.models import AuditLog, Batch, Review, ReviewScore, ReviewStatus
from zc_review.workspace import list_applications

D = Decimal
CLEAN, HARD_FAIL, MISSING_MATERIAL = 0, 2, 6  # demo cases: good; 高新产值占比恰为60%; 缺概念性规划
OPINION = (
    "该社区区位条件优越，产业定位清晰，创业服务体系较完整，建设计划可行，建议按程序备案试点并加强统计监测。"
)
GOAL_TEXT = "材料翔实，论证充分，基本符合政策要求。"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with three demo applications imported once for the whole module."""
    root = tmp_path_factory.mktemp("reviews-template")
    import_demo(root / "data", root / "work", (CLEAN, HARD_FAIL, MISSING_MATERIAL))
    return root / "data"


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Store]:
    data = tmp_path / "store"
    shutil.copytree(template, data)
    with Store.open(data) as s:
        yield s


def app_id(store: Store, case: int) -> int:
    name = demo_case(case).app.community_name
    return next(a.id for a in list_applications(store) if a.community_name == name)


def make_expert(store: Store, name: str = "张三", *, pledge: bool = True) -> int:
    expert_id = experts.find_or_create_expert(store, ExpertProfile(name=name, title="研究员"))
    if pledge:
        experts.accept_pledge(store, expert_id)
    return expert_id


def complete_sheet(state: ReviewState) -> ScoreSheet:
    """A sheet that satisfies every rule for ``state``: built from its rubric, not from fixed ids."""
    rubric = state.rubric
    scores = {i.id: i.max_points for i in rubric.items()}
    comments = {
        i.id: "相关硬指标不达标，已核对申报材料。"
        for i in rubric.items()
        if i.comment_required(scores[i.id], state.failed_checks)
    }
    allowed = [r for r in rubric.recommendations if not (state.failed_checks and r.blocked_by_hard_failure)]
    return ScoreSheet(
        scores=scores,
        item_comments=comments,
        goal_comments={g.key: GOAL_TEXT for g in rubric.goals},
        overall_opinion=OPINION,
        recommendation=allowed[0].key,
    )


def audit(store: Store, entity: str = "review") -> list[AuditLog]:
    with store.session() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)))


def audit_count(store: Store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(AuditLog)) or 0


def status_changes(store: Store, review_id: int) -> list[tuple[str, object]]:
    return [
        (row.actor, row.changes["status"])
        for row in audit(store)
        if row.entity_id == str(review_id) and "status" in row.changes
    ]


def opened(store: Store, case: int = CLEAN, name: str = "张三") -> ReviewState:
    return reviews.open_review(store, make_expert(store, name), app_id(store, case))


# --- opening ------------------------------------------------------------------------------------------


def test_opening_creates_one_review_under_the_batchs_rubric(store: Store) -> None:
    state = opened(store)
    with store.session() as s:
        batch = s.scalars(select(Batch)).one()
    assert (state.rubric.id, state.rubric.version) == (batch.rubric_id, batch.rubric_version)
    assert state.status is ReviewStatus.NOT_STARTED
    assert (state.conflict, state.formal_acknowledged, state.sheet) == (None, False, ScoreSheet())
    assert (state.version, state.latest_version, state.newer_version_available) == (1, 1, False)
    assert not state.editable and not state.locked

    again = reviews.open_review(store, state.expert_id, state.application_id)
    assert again.review_id == state.review_id
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Review)) == 1


def test_an_application_cannot_be_opened_before_the_pledge(store: Store) -> None:
    expert_id = make_expert(store, pledge=False)
    with pytest.raises(UserError) as info:
        reviews.open_review(store, expert_id, app_id(store, CLEAN))
    assert "评审承诺" in info.value.zh and "pledge" in info.value.en
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Review)) == 0


def test_an_expert_missing_from_the_batch_roster_cannot_open_its_applications(store: Store) -> None:
    with store.session() as s:
        s.scalars(select(Batch)).one().roster = ["李四"]
    with pytest.raises(UserError) as info:
        opened(store, name="张三")
    assert "名单" in info.value.zh
    assert opened(store, name="李四").status is ReviewStatus.NOT_STARTED


def test_the_state_reports_failed_hard_checks_and_missing_materials(store: Store) -> None:
    clean = opened(store, CLEAN)
    assert (clean.failed_checks, clean.missing_materials) == ((), ())
    failing = opened(store, HARD_FAIL)
    assert failing.failed_checks == ("hightech_output_share",)
    lacking = opened(store, MISSING_MATERIAL)
    assert lacking.missing_materials == ("概念性规划",)
    assert "required_materials" in lacking.failed_checks


# --- declaring and saving -----------------------------------------------------------------------------


def test_scores_cannot_be_saved_before_declaring_no_conflict(store: Store) -> None:
    state = opened(store)
    with pytest.raises(UserError) as info:
        reviews.save_sheet(store, state.review_id, complete_sheet(state))
    assert "无利益冲突" in info.value.zh
    assert reviews.review_state(store, state.review_id).sheet == ScoreSheet()


def test_autosave_stores_the_sheet_and_starts_the_review(store: Store) -> None:
    state = reviews.declare_no_conflict(store, opened(store).review_id)
    assert state.declared_no_conflict and state.editable
    assert state.status is ReviewStatus.NOT_STARTED  # declaring alone is not scoring

    goal = state.rubric.goals[0]
    first = goal.items[0]
    sheet = ScoreSheet().with_score(first.id, D("5.5")).with_goal_comment(goal.key, GOAL_TEXT)
    saved = reviews.save_sheet(store, state.review_id, sheet)
    assert saved.status is ReviewStatus.IN_PROGRESS
    assert saved.sheet == sheet
    assert goal_total(saved.rubric, saved.sheet, goal.key) == saved.total == D("5.5")
    assert saved.progress == (1, len(state.rubric.items()))
    with store.session() as s:
        assert s.scalar(select(ReviewScore.score)) == D("5.5")

    # Clearing a score removes it; a recommendation given by its label is stored by key.
    rec = state.rubric.recommendations[1]
    cleared = ScoreSheet(goal_comments=sheet.goal_comments, recommendation=rec.label)
    after = reviews.save_sheet(store, state.review_id, cleared)
    assert after.sheet.scores == {}
    assert after.sheet.recommendation == rec.key


def test_saving_the_same_sheet_again_writes_no_audit_rows(store: Store) -> None:
    state = reviews.declare_no_conflict(store, opened(store).review_id)
    sheet = complete_sheet(state)
    reviews.save_sheet(store, state.review_id, sheet)
    before = audit_count(store)
    first_saved = reviews.review_state(store, state.review_id).updated_at

    again = reviews.save_sheet(store, state.review_id, sheet)
    # Equal values written differently ("6" vs "6.0", an empty comment vs none) are the same sheet.
    respelled = ScoreSheet(
        scores={k: v.quantize(D("0.1")) for k, v in sheet.scores.items()},
        item_comments={**sheet.item_comments, state.rubric.items()[0].id: ""},
        goal_comments=sheet.goal_comments,
        overall_opinion=sheet.overall_opinion,
        recommendation=sheet.recommendation,
    )
    reviews.save_sheet(store, state.review_id, respelled)
    assert audit_count(store) == before
    assert again.updated_at == first_saved


@pytest.mark.parametrize(
    ("change", "zh"),
    [
        ("over_max", "超出范围"),
        ("off_step", "整数倍"),
        ("unknown_item", "没有编号为“9.9”的指标"),
        ("unknown_goal", "没有“culture”这一目标"),
        ("bad_recommendation", "评审建议“强烈推荐”无效"),
    ],
)
def test_an_invalid_sheet_is_refused_whole_and_nothing_is_saved(store: Store, change: str, zh: str) -> None:
    state = reviews.declare_no_conflict(store, opened(store).review_id)
    good = complete_sheet(state)
    reviews.save_sheet(store, state.review_id, good)
    item = state.rubric.items()[0]
    bad = {
        "over_max": good.with_score(item.id, item.max_points + item.step),
        "off_step": good.with_score(item.id, item.step / 2),
        "unknown_item": good.with_score("9.9", D(1)),
        "unknown_goal": good.with_goal_comment("culture", GOAL_TEXT),
        "bad_recommendation": ScoreSheet(
            scores=good.scores, goal_comments=good.goal_comments, recommendation="强烈推荐"
        ),
    }[change]
    with pytest.raises(SheetProblems) as info:
        reviews.save_sheet(store, state.review_id, bad)
    assert zh in info.value.zh
    assert info.value.problems
    assert reviews.review_state(store, state.review_id).sheet == good


# --- submitting ---------------------------------------------------------------------------------------


def test_submit_lists_every_missing_field_and_keeps_the_review_open(store: Store) -> None:
    state = reviews.declare_no_conflict(store, opened(store).review_id)
    sheet = complete_sheet(state)
    missing = [state.rubric.items()[0], state.rubric.items()[-1]]
    for item in missing:
        sheet = sheet.with_score(item.id, None)
    reviews.save_sheet(store, state.review_id, sheet)

    with pytest.raises(IncompleteReview) as info:
        reviews.submit(store, state.review_id)
    assert [(p.kind, p.key) for p in info.value.problems] == [(FieldKind.SCORE, i.id) for i in missing]
    for item in missing:
        assert item.title in info.value.zh
    after = reviews.review_state(store, state.review_id)
    assert after.status is ReviewStatus.IN_PROGRESS and after.submitted_at is None
    assert reviews.submission_problems(after) == list(info.value.problems)


def test_a_submitted_review_is_read_only(store: Store) -> None:
    state = reviews.declare_no_conflict(store, opened(store).review_id)
    sheet = complete_sheet(state)
    reviews.save_sheet(store, state.review_id, sheet)
    assert reviews.submission_problems(reviews.review_state(store, state.review_id)) == []
    done = reviews.submit(store, state.review_id)
    assert done.status is ReviewStatus.SUBMITTED and done.locked and not done.editable
    assert done.submitted_at is not None
    assert done.total == D(100)

    before = audit_count(store)
    edits = [
        lambda: reviews.save_sheet(
            store, state.review_id, sheet.with_score(state.rubric.items()[0].id, D(0))
        ),
        lambda: reviews.declare_conflict(store, state.review_id, "其他", "补充回避"),
        lambda: reviews.declare_no_conflict(store, state.review_id),
        lambda: reviews.acknowledge_formal_check(store, state.review_id),
        lambda: reviews.submit(store, state.review_id),
    ]
    for edit in edits:
        with pytest.raises(UserError) as info:
            edit()
        assert "已提交" in info.value.zh and "read-only" in info.value.en
    assert audit_count(store) == before
    assert reviews.review_state(store, state.review_id).sheet == sheet


def test_a_hard_failure_needs_its_linked_item_explained_and_blocks_recommending(store: Store) -> None:
    state = reviews.declare_no_conflict(store, opened(store, HARD_FAIL).review_id)
    rubric = state.rubric
    linked = [i for i in rubric.items() if set(i.checks) & set(state.failed_checks)]
    assert linked, "the failed check is linked to an item"
    positive = next(r for r in rubric.recommendations if r.blocked_by_hard_failure)
    unexplained = ScoreSheet(
        scores={i.id: i.max_points for i in rubric.items()},
        goal_comments={g.key: GOAL_TEXT for g in rubric.goals},
        overall_opinion=OPINION,
        recommendation=positive.key,
    )
    reviews.save_sheet(store, state.review_id, unexplained)
    with pytest.raises(IncompleteReview) as info:
        reviews.submit(store, state.review_id)
    assert [(p.kind, p.key) for p in info.value.problems] == [
        (FieldKind.ITEM_COMMENT, i.id) for i in linked
    ] + [(FieldKind.RECOMMENDATION, None)]
    reviews.save_sheet(store, state.review_id, complete_sheet(state))
    assert reviews.submit(store, state.review_id).status is ReviewStatus.SUBMITTED


def test_missing_materials_must_be_acknowledged_before_submitting(store: Store) -> None:
    state = reviews.declare_no_conflict(store, opened(store, MISSING_MATERIAL).review_id)
    reviews.save_sheet(store, state.review_id, complete_sheet(state))
    with pytest.raises(IncompleteReview) as info:
        reviews.submit(store, state.review_id)
    assert [p.kind for p in info.value.problems] == [FieldKind.FORMAL_CHECK]
    assert "概念性规划" in info.value.zh
    acked = reviews.acknowledge_formal_check(store, state.review_id)
    assert acked.formal_acknowledged
    assert reviews.submit(store, state.review_id).status is ReviewStatus.SUBMITTED


# --- recusal ------------------------------------------------------------------------------------------


def test_a_recusal_is_recorded_and_locks_the_review(store: Store) -> None:
    state = reviews.declare_no_conflict(store, opened(store).review_id)
    reviews.save_sheet(store, state.review_id, complete_sheet(state))  # conflict found midway
    recused = reviews.declare_conflict(store, state.review_id, "合作关系", "  近三年与申报单位有项目合作。 ")
    assert recused.status is ReviewStatus.RECUSED and recused.locked
    assert recused.conflict is not None and recused.conflict.conflicted
    assert (recused.conflict.type, recused.conflict.reason) == ("合作关系", "近三年与申报单位有项目合作。")

    before = audit_count(store)
    for edit in (
        lambda: reviews.save_sheet(store, state.review_id, ScoreSheet()),
        lambda: reviews.declare_no_conflict(store, state.review_id),
        lambda: reviews.acknowledge_formal_check(store, state.review_id),
        lambda: reviews.submit(store, state.review_id),
        lambda: reviews.declare_conflict(store, state.review_id, "其他", "再次声明"),
        lambda: reviews.start_latest_version(store, state.review_id),
    ):
        with pytest.raises(UserError) as info:
            edit()
        assert "已声明回避本申报，评审已锁定" in info.value.zh
        assert "locked" in info.value.en
    assert audit_count(store) == before
    # Reopening the application shows the locked review, not a fresh one.
    again = reviews.open_review(store, state.expert_id, state.application_id)
    assert (again.review_id, again.status) == (state.review_id, ReviewStatus.RECUSED)


@pytest.mark.parametrize(
    ("ctype", "reason", "zh"),
    [
        ("同事", "同一课题组", "回避类型“同事”无效"),
        ("亲属关系", "   ", "回避理由"),
        ("其他", "理" * 501, "最多 500 字"),
    ],
)
def test_a_recusal_needs_a_known_type_and_a_reason(store: Store, ctype: str, reason: str, zh: str) -> None:
    state = opened(store)
    with pytest.raises(UserError) as info:
        reviews.declare_conflict(store, state.review_id, ctype, reason)
    assert zh in info.value.zh
    assert reviews.review_state(store, state.review_id).status is ReviewStatus.NOT_STARTED


def test_conflict_types_are_the_five_kinds_and_accept_english_labels(store: Store) -> None:
    assert reviews.CONFLICT_TYPES == ("亲属关系", "同一单位或曾在其任职", "合作关系", "经济利益", "其他")
    state = opened(store)
    recused = reviews.declare_conflict(store, state.review_id, "Financial interest", "持有申报企业股份")
    assert recused.conflict is not None and recused.conflict.type == "经济利益"


# --- audit --------------------------------------------------------------------------------------------


def test_every_state_change_is_audited_with_the_expert_as_actor(store: Store) -> None:
    state = opened(store, name="张三")
    reviews.declare_no_conflict(store, state.review_id)
    reviews.save_sheet(store, state.review_id, complete_sheet(state))
    reviews.submit(store, state.review_id)
    assert status_changes(store, state.review_id) == [
        ("张三", [None, "not_started"]),
        ("张三", ["not_started", "in_progress"]),
        ("张三", ["in_progress", "submitted"]),
    ]
    declared = [
        r for r in audit(store) if r.entity_id == str(state.review_id) and "conflict_declared" in r.changes
    ]
    assert [(r.actor, r.changes["conflict_declared"]) for r in declared] == [("张三", [None, False])]
    scores = audit(store, "review_score")
    assert len(scores) == len(state.rubric.items()) and {r.actor for r in scores} == {"张三"}

    other = opened(store, name="李四")
    reviews.declare_conflict(store, other.review_id, "亲属关系", "申报单位负责人系本人亲属。")
    assert status_changes(store, other.review_id)[-1] == ("李四", ["not_started", "recused"])


# --- rubric pinning and new versions ----------------------------------------------------------------


def test_a_review_keeps_the_rubric_version_it_was_started_under(store: Store) -> None:
    started = opened(store, name="张三")
    with store.session() as s:
        s.scalars(select(Batch)).one().rubric_version = "9.9"  # the office moves the batch on

    kept = reviews.open_review(store, started.expert_id, started.application_id)
    assert (kept.rubric.id, kept.rubric.version) == (started.rubric.id, started.rubric.version)
    with store.session() as s:
        assert s.get_one(Review, started.review_id).rubric_version == started.rubric.version

    # A new review would need rubric 9.9, which this program does not ship: refused, nothing created.
    with pytest.raises(UserError) as info:
        opened(store, name="李四")
    assert "9.9" in info.value.zh and "9.9" in info.value.en


def import_new_version(store: Store, tmp: Path, case: int = CLEAN) -> None:
    from zc_review.bundles.importer import import_paths
    from zc_review.bundles.seal import seal_county_zip

    app = demo_case(case).app
    changed = county_zip(tmp / "zips", case, planned_area_km2=(app.planned_area_km2 or D(3)) + D("0.1"))
    sealed = seal_county_zip(changed, tmp / "bundles")
    assert sealed.bundle is not None
    report = import_paths(store, [sealed.bundle])
    assert [o.status for o in report.outcomes] == ["new_version"]


def test_a_review_in_progress_stays_on_its_version_when_a_new_one_arrives(
    store: Store, tmp_path: Path
) -> None:
    state = reviews.declare_no_conflict(store, opened(store).review_id)
    sheet = complete_sheet(state).with_score(state.rubric.items()[0].id, None)
    reviews.save_sheet(store, state.review_id, sheet)
    import_new_version(store, tmp_path)

    still = reviews.open_review(store, state.expert_id, state.application_id)
    assert still.review_id == state.review_id
    assert (still.version, still.latest_version, still.newer_version_available) == (1, 2, True)
    assert still.bundle_sha256 == state.bundle_sha256
    assert still.sheet == sheet

    moved = reviews.start_latest_version(store, state.review_id)
    assert moved.review_id != state.review_id
    assert (moved.version, moved.newer_version_available) == (2, False)
    assert moved.declared_no_conflict and moved.status is ReviewStatus.IN_PROGRESS
    assert moved.sheet == sheet  # carried over as a draft
    assert moved.bundle_sha256 != state.bundle_sha256
    # The old review is untouched; the list and the next open follow the new one.
    assert reviews.review_state(store, state.review_id).sheet == sheet
    assert reviews.open_review(store, state.expert_id, state.application_id).review_id == moved.review_id
    summary = reviews.review_summaries(store, state.expert_id)[state.application_id]
    assert summary == (ReviewStatus.IN_PROGRESS, len(state.rubric.items()) - 1, len(state.rubric.items()))
    with pytest.raises(UserError):
        reviews.start_latest_version(store, moved.review_id)  # already on the latest version


def test_a_review_with_nothing_scored_follows_the_new_version(store: Store, tmp_path: Path) -> None:
    state = reviews.declare_no_conflict(store, opened(store).review_id)
    assert reviews.acknowledge_formal_check(store, state.review_id).formal_acknowledged
    import_new_version(store, tmp_path)
    moved = reviews.open_review(store, state.expert_id, state.application_id)
    assert moved.review_id == state.review_id
    assert (moved.version, moved.latest_version) == (2, 2)
    assert moved.declared_no_conflict  # the declaration concerns the applicant, not the bundle
    assert moved.bundle_sha256 != state.bundle_sha256
    [change] = [
        r
        for r in audit(store)
        if r.entity_id == str(state.review_id) and r.action == "update" and "version_id" in r.changes
    ]
    assert change.actor == "张三"
    assert not moved.formal_acknowledged  # that acknowledgement was about the old bundle's materials


# --- lists and calibration ------------------------------------------------------------------------------


def test_summaries_give_status_and_progress_for_every_application(store: Store) -> None:
    expert_id = make_expert(store)
    ids = [app_id(store, c) for c in (CLEAN, HARD_FAIL, MISSING_MATERIAL)]
    a = reviews.declare_no_conflict(store, reviews.open_review(store, expert_id, ids[0]).review_id)
    required = len(a.rubric.items())
    three = dict(list(complete_sheet(a).scores.items())[:3])
    reviews.save_sheet(store, a.review_id, ScoreSheet(scores=three))
    b = reviews.open_review(store, expert_id, ids[1])
    reviews.declare_conflict(store, b.review_id, "其他", "曾参与该社区规划编制。")

    summaries = reviews.review_summaries(store, expert_id)
    assert summaries == {
        ids[0]: (ReviewStatus.IN_PROGRESS, 3, required),
        ids[1]: (ReviewStatus.RECUSED, 0, required),
        ids[2]: (ReviewStatus.NOT_STARTED, 0, required),
    }
    # The list's total column: only reviews with scores that count.
    assert reviews.review_totals(store, expert_id) == {ids[0]: sum(three.values(), D(0))}
    status, scored, total_items = summaries[ids[0]]
    assert status.label_zh == "评审中" and (scored, total_items) == (3, required)
    # Another expert's list is their own.
    assert (
        reviews.review_summaries(store, make_expert(store, "李四"))[ids[0]].status is ReviewStatus.NOT_STARTED
    )


def sheet_with_goal_points(rubric: Rubric, base: ScoreSheet, goal_key: str, points: Decimal) -> ScoreSheet:
    left = points
    sheet = base
    for item in rubric.goal(goal_key).items:
        take = min(left, item.max_points)
        sheet = sheet.with_score(item.id, take)
        left -= take
    assert left == 0
    return sheet


def test_calibration_compares_with_the_experts_other_reviews_in_the_batch(store: Store) -> None:
    expert_id = make_expert(store)
    ids = [app_id(store, c) for c in (CLEAN, HARD_FAIL, MISSING_MATERIAL)]
    states = [
        reviews.declare_no_conflict(store, reviews.open_review(store, expert_id, i).review_id) for i in ids
    ]
    goal = states[0].rubric.goals[0]
    points = [D("20"), D("11.5"), D("14")]
    for state, p in zip(states, points, strict=True):
        reviews.save_sheet(
            store, state.review_id, sheet_with_goal_points(state.rubric, ScoreSheet(), goal.key, p)
        )
    # Someone else's review of the same application never counts.
    other = reviews.declare_no_conflict(
        store, reviews.open_review(store, make_expert(store, "李四"), ids[1]).review_id
    )
    reviews.save_sheet(
        store, other.review_id, sheet_with_goal_points(other.rubric, ScoreSheet(), goal.key, D(0))
    )

    cal = {c.goal_key: c for c in reviews.calibration_for(store, states[0].review_id)}[goal.key]
    # By hand: others are 11.5 and 14 -> mean 12.75, SD sqrt((1.25² + 1.25²) / 1) = 1.7678 -> 1.77.
    assert (cal.points, cal.own_count, cal.own_mean, cal.own_stdev) == (D(20), 2, D("12.75"), D("1.77"))
    assert cal.unusual  # 7.25 above the own mean: more than 2 SD (3.54) and than 22 / 5

    # A recused review is no part of the expert's habit.
    reviews.declare_conflict(store, states[2].review_id, "其他", "发现与申报单位存在合作。")
    cal = {c.goal_key: c for c in reviews.calibration_for(store, states[0].review_id)}[goal.key]
    assert (cal.own_count, cal.own_mean) == (1, D("11.50"))
