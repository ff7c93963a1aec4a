"""The sqlite3 listing (store/readonly.py) says what the ORM says, field by field.

The list is read with raw SQL so the window can show it before SQLAlchemy is loaded; the SQL
repeats the schema. Here the same listing is built through the models and the review rules
(:func:`zc_review.workspace.load_application`, :func:`zc_review.reviews.review_state`) on a
store with every demo application and reviews in every state: submitted, in progress,
recused, opened but untouched, a review left on version 1 of an application now at version 2,
another expert's reviews, a material whose stored copy is gone, and a batch sealed under a
later rubric.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.data.bundles import county_zip, import_demo
from tests.data.rubrics import SEI_FAIL, new_batch, ship_next_application_rubric
from zc_review import experts, reviews, workspace
from zc_review.bundles.importer import import_paths
from zc_review.bundles.seal import seal_county_zip
from zc_review.core.application import REQUIRED_MATERIALS
from zc_review.core.indicators import CheckStatus
from zc_review.core.rubric import rubric_for
from zc_review.core.scoring import ScoreSheet
from zc_review.demo import demo_applications
from zc_review.store import models as m
from zc_review.store import readonly
from zc_review.store.models import ReviewStatus
from zc_review.store.readonly import ApplicationSummary, Listing, ReviewSummary
from zc_review.store.store import Store

D = Decimal
SUBMITTED, IN_PROGRESS, RECUSED, UNTOUCHED, REVISED, DAMAGED = 0, 1, 3, 4, 5, 6


def _full_sheet(state: reviews.ReviewState) -> ScoreSheet:
    rubric = state.rubric
    scores = {i.id: i.max_points for i in rubric.items()}
    comments = {
        i.id: "已核对申报材料。"
        for i in rubric.items()
        if i.comment_required(scores[i.id], state.failed_checks)
    }
    allowed = [r for r in rubric.recommendations if not (state.failed_checks and r.blocked_by_hard_failure)]
    return ScoreSheet(
        scores=scores,
        item_comments=comments,
        goal_comments={g.key: "材料翔实，论证充分。" for g in rubric.goals},
        overall_opinion="该社区产业定位清晰，创业服务体系较完整，建设计划可行，建议按程序备案试点。" * 2,
        recommendation=allowed[0].key,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """(data dir, expert, other expert) of the store described in the module docstring."""
    root = tmp_path_factory.mktemp("listing")
    data = root / "data"
    import_demo(data, root / "work", tuple(range(len(demo_applications()))))
    with Store.open(data) as store:
        ids = {a.community_name: a.id for a in workspace.list_applications(store)}

        def app(case: int) -> int:
            return ids[demo_applications()[case].app.community_name]

        me = experts.save_profile(store, experts.ExpertProfile(name="张三", title="研究员"))
        experts.accept_pledge(store, me)
        other = experts.find_or_create_expert(store, experts.ExpertProfile(name="李四"))
        experts.accept_pledge(store, other)

        done = reviews.declare_no_conflict(store, reviews.open_review(store, me, app(SUBMITTED)).review_id)
        reviews.save_sheet(store, done.review_id, _full_sheet(done))
        assert reviews.submit(store, done.review_id).status is ReviewStatus.SUBMITTED
        for case, points in ((IN_PROGRESS, D(3)), (REVISED, D("2.5"))):
            state = reviews.declare_no_conflict(store, reviews.open_review(store, me, app(case)).review_id)
            reviews.save_sheet(
                store, state.review_id, ScoreSheet(scores={"1.1": points, "2.1": D(4), "B1": D(1)})
            )
        recused = reviews.open_review(store, me, app(RECUSED))
        reviews.declare_conflict(store, recused.review_id, "合作关系", "与申报单位有合作项目。")
        reviews.open_review(store, me, app(UNTOUCHED))
        theirs = reviews.declare_no_conflict(
            store, reviews.open_review(store, other, app(IN_PROGRESS)).review_id
        )
        reviews.save_sheet(store, theirs.review_id, ScoreSheet(scores={"1.1": D(1)}))

        materials = workspace.version_materials(store, app(DAMAGED), 1)
        store.blobs.path(next(r.sha256 for r in materials if r.kind != "workbook")).unlink()

    # A second version of REVISED (its review stays on version 1) and a batch under rubric 2.0.
    v2 = seal_county_zip(county_zip(root / "zips2", REVISED, planned_area_km2=D("5.5")), root / "bundles2")
    with pytest.MonkeyPatch.context() as mp:
        ship_next_application_rubric(root / "update", mp)
        later = seal_county_zip(county_zip(root / "zips3", SEI_FAIL), root / "bundles3", batch=new_batch())
        assert v2.bundle is not None and later.bundle is not None
        with Store.open(data) as store:
            assert import_paths(store, [v2.bundle, later.bundle]).ok
    return data, me, other


@pytest.fixture
def data(demo: tuple[Path, int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ship_next_application_rubric(tmp_path / "update", monkeypatch)  # the program after the update
    return Path(shutil.copytree(demo[0], tmp_path / "data"))


def orm_listing(store: Store, expert_id: int) -> Listing:
    """The listing, read through the ORM and the review rules."""
    with store.read() as s:
        app_rows = s.scalars(select(m.Application)).all()
        batches = {b.id: (b.name, b.stage) for b in s.scalars(select(m.Batch))}
        newest: dict[int, int] = {}
        for review in s.scalars(
            select(m.Review)
            .join(m.ApplicationVersion, m.Review.version_id == m.ApplicationVersion.id)
            .where(m.Review.expert_id == expert_id)
            .order_by(m.ApplicationVersion.number.desc())
        ):
            newest.setdefault(review.application_id, review.id)
    applications, summaries, totals = [], {}, {}
    for row in app_rows:
        loaded = workspace.load_application(store, row.id, expert_id=expert_id)
        checks = workspace.application_checks(loaded)
        unavailable = tuple(
            r.name
            for r in workspace.version_materials(store, row.id, loaded.version)
            if not store.blobs.path(r.sha256).is_file() or store.blobs.path(r.sha256).stat().st_size != r.size
        )
        name, stage = batches[row.batch_id]
        applications.append(
            ApplicationSummary(
                id=row.id,
                key=loaded.key,
                batch_id=loaded.batch_id,
                batch_name=name,
                stage=stage.value,
                community_name=loaded.app.community_name,
                city=loaded.app.city,
                county=loaded.app.county,
                industry=loaded.app.leading_industry,
                version=loaded.version,
                missing_materials=tuple(k for k in REQUIRED_MATERIALS if k not in loaded.present_materials),
                hard_failures=sum(1 for c in checks if c.hard and c.status is CheckStatus.FAIL),
                warnings=sum(1 for c in checks if c.status is CheckStatus.WARNING),
                unavailable_materials=unavailable,
            )
        )
        if row.id not in newest:
            summaries[row.id] = ReviewSummary(ReviewStatus.NOT_STARTED, 0, len(loaded.rubric.items()))
            continue
        state = reviews.review_state(store, newest[row.id])
        summaries[row.id] = ReviewSummary(state.status, *state.progress)
        if state.status in (ReviewStatus.IN_PROGRESS, ReviewStatus.SUBMITTED):
            totals[row.id] = state.total
    return Listing(applications, summaries, totals)


@pytest.mark.parametrize("who", ["expert", "other expert"])
def test_the_sqlite3_listing_equals_the_orms_field_by_field(
    demo: tuple[Path, int, int], data: Path, who: str
) -> None:
    expert_id = demo[1] if who == "expert" else demo[2]
    fast = readonly.read_listing(data, expert_id)
    with Store.open(data) as store:
        slow = orm_listing(store, expert_id)
    by_id = {a.id: asdict(a) for a in slow.applications}
    assert [asdict(a) for a in fast.applications] == [by_id[a.id] for a in fast.applications]
    assert len(fast.applications) == len(slow.applications) == len(demo_applications()) + 1
    assert fast.summaries == slow.summaries
    assert fast.totals == slow.totals


def test_the_store_has_what_the_comparison_is_about(demo: tuple[Path, int, int], data: Path) -> None:
    # So the equality above is not between two empty or uniform listings.
    listing = readonly.read_listing(data, demo[1])
    statuses = {s.status for s in listing.summaries.values()}
    assert statuses == set(ReviewStatus)
    assert any(a.unavailable_materials for a in listing.applications)
    assert any(a.missing_materials for a in listing.applications)
    assert {a.version for a in listing.applications} == {1, 2}
    assert len({a.batch_id for a in listing.applications}) == 2
    with Store.open(data) as store, store.read() as s:
        assert len({rubric_for(b).version for b in s.scalars(select(m.Batch))}) == 2
