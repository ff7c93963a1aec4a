"""The local store: durable SQLite settings, all-or-nothing units of work, exact values, audit trail."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from zc_review.core.application import Stage
from zc_review.errors import StoreError
from zc_review.store import Store, acting_as
from zc_review.store.models import (
    Application,
    ApplicationVersion,
    AuditLog,
    Batch,
    Expert,
    IndicatorValue,
    Material,
    Review,
    ReviewScore,
    ReviewStatus,
)

SEEDED_TABLES = (
    "batch",
    "application",
    "application_version",
    "material",
    "indicator_value",
    "expert",
    "review",
)
EXACT_DECIMALS = ["0.1", "70.00", "1234567890.123456", "-3", "0E-8"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data")
    yield opened
    opened.close()


def _seed(session: Session) -> Review:
    """A batch with one application, one imported version and an expert's review of it."""
    batch = Batch(
        id="2026-SQ-01",
        name="2026年第一批众创社区申报论证",
        stage=Stage.APPLICATION,
        rubric_id="application",
        rubric_version="1.0",
        roster=["张三", "李四"],
    )
    application = Application(
        batch=batch, key="NJ-JN-01", community_name="江宁众创社区", city="南京市", county="江宁区"
    )
    version = ApplicationVersion(
        application=application,
        number=1,
        bundle_sha256="a" * 64,
        manifest={"files": []},
        data={"community_name": "江宁众创社区"},
        source_name="江宁.zcb",
    )
    version.materials.append(Material(kind="plan", name="创建方案.pdf", sha256="b" * 64, size=10))
    version.indicators.append(IndicatorValue(year=2026, key="sei_share", value=Decimal("70.00")))
    expert = Expert(name="张三", title="研究员", organisation="省科技厅", field="新材料")
    review = Review(
        expert=expert,
        application=application,
        version=version,
        rubric_id="application",
        rubric_version="1.0",
    )
    session.add(review)
    session.flush()
    return review


def _audit(store: Store, entity: str | None = None) -> list[AuditLog]:
    with store.session() as session:
        query = select(AuditLog).order_by(AuditLog.id)
        if entity is not None:
            query = query.where(AuditLog.entity == entity)
        return list(session.scalars(query))


# --- engine settings --------------------------------------------------------------


def test_every_connection_has_the_durable_sqlite_settings(store: Store) -> None:
    with store.session() as session:
        conn = session.connection()
        values = {
            pragma: conn.exec_driver_sql(f"PRAGMA {pragma}").scalar()
            for pragma in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert values == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10_000}


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(Application(batch_id="no-such-batch", key="k", community_name="x", city="y", county="z"))


# --- units of work ----------------------------------------------------------------


def test_committed_work_is_visible_later_and_objects_stay_readable(store: Store) -> None:
    with store.session() as session:
        review = _seed(session)
    # expire_on_commit=False: the GUI can show what it just saved without a new query.
    assert review.status is ReviewStatus.NOT_STARTED
    assert review.version.materials[0].name == "创建方案.pdf"

    with store.session() as session:
        batch = session.get(Batch, "2026-SQ-01")
        assert batch is not None
        assert batch.stage is Stage.APPLICATION
        assert batch.roster == ["张三", "李四"]
        assert [a.key for a in batch.applications] == ["NJ-JN-01"]


def test_an_exception_inside_a_session_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError, match="disk full"), store.session() as session:
        _seed(session)  # flushed: rows (and audit rows) were written inside the transaction
        raise RuntimeError("disk full")

    with store.session() as session:
        for model in (Batch, Application, ApplicationVersion, Material, Expert, Review, AuditLog):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model.__tablename__


def test_overlapping_units_of_work_in_two_threads_both_commit(store: Store) -> None:
    with store.session() as session:
        _seed(session)
    a_has_read = threading.Event()
    errors: list[BaseException] = []

    def read_then_write() -> None:
        try:
            with store.session() as session:
                batch = session.get(Batch, "2026-SQ-01")
                assert batch is not None
                a_has_read.set()
                time.sleep(0.3)  # the other thread tries to commit meanwhile
                batch.name = "renamed by A"
        except BaseException as exc:
            errors.append(exc)
            a_has_read.set()

    def write() -> None:
        a_has_read.wait()
        try:
            with store.session() as session:
                session.add(Expert(name="李四"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read_then_write), threading.Thread(target=write)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    with store.session() as session:
        assert session.get_one(Batch, "2026-SQ-01").name == "renamed by A"
        assert session.scalar(select(Expert.id).where(Expert.name == "李四")) is not None


def test_a_nested_session_fails_at_once_instead_of_waiting_for_the_lock(store: Store) -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="nested"), store.session() as outer:
        outer.add(Expert(name="张三"))
        outer.flush()
        with store.session():
            pass
    assert time.monotonic() - started < 2  # the busy timeout is 10 s

    with store.session() as session:  # the store is usable again and kept nothing
        assert session.scalar(select(func.count()).select_from(Expert)) == 0


def test_deleting_an_application_with_reviews_is_refused(store: Store) -> None:
    with store.session() as session:
        review = _seed(session)
    with pytest.raises(IntegrityError), store.session() as session:
        session.delete(session.get_one(Application, review.application_id))

    with store.session() as session:
        assert session.get(Review, review.id) is not None
        assert session.get(Application, review.application_id) is not None


def test_one_key_per_batch_and_one_value_per_indicator(store: Store) -> None:
    with store.session() as session:
        review = _seed(session)
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(
            Application(batch_id="2026-SQ-01", key="NJ-JN-01", community_name="x", city="y", county="z")
        )
    # Year-less figures are unique too, although SQL treats NULL years as distinct.
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(IndicatorValue(version_id=review.version_id, year=None, key="area", value=Decimal("3")))
        session.add(IndicatorValue(version_id=review.version_id, year=None, key="area", value=Decimal("3.1")))


# --- exact values -----------------------------------------------------------------


@pytest.mark.parametrize("text", EXACT_DECIMALS)
def test_decimals_round_trip_exactly(store: Store, text: str) -> None:
    with store.session() as session:
        review = _seed(session)
        session.add(IndicatorValue(version_id=review.version_id, year=2027, key="x", value=Decimal(text)))
        review.scores.append(ReviewScore(item_id="1.1", score=Decimal(text)))

    with store.session() as session:
        value = session.scalar(select(IndicatorValue.value).where(IndicatorValue.key == "x"))
        score = session.scalar(select(ReviewScore.score))
        stored = session.connection().exec_driver_sql("SELECT score FROM review_score").scalar()
    assert str(value) == text
    assert str(score) == text
    assert stored == text  # kept as TEXT: SQLite's NUMERIC would have made "70.00" a float


def test_float_scores_are_refused(store: Store) -> None:
    with pytest.raises(StatementError, match="float"), store.session() as session:
        review = _seed(session)
        review.scores.append(ReviewScore(item_id="1.1", score=0.1))
        session.flush()


def test_timestamps_are_stored_in_utc_and_come_back_aware(store: Store) -> None:
    beijing = timezone(timedelta(hours=8))
    declared = datetime(2026, 3, 1, 9, 30, tzinfo=beijing)
    with store.session() as session:
        review = _seed(session)
        review.declared_at = declared

    with store.session() as session:
        loaded = session.get_one(Review, review.id)
        raw = session.connection().exec_driver_sql("SELECT declared_at FROM review").scalar()
    assert loaded.declared_at == declared
    assert loaded.declared_at is not None and loaded.declared_at.tzinfo == UTC
    assert str(raw).startswith("2026-03-01 01:30:00")
    assert loaded.created_at.tzinfo == UTC


def test_naive_timestamps_are_refused(store: Store) -> None:
    with pytest.raises(StatementError, match="aware"), store.session() as session:
        review = _seed(session)
        review.submitted_at = datetime(2026, 3, 1, 9, 30)
        session.flush()


# --- audit trail ------------------------------------------------------------------


def test_inserts_are_audited_with_their_new_ids(store: Store) -> None:
    with acting_as("办公室"), store.session() as session:
        review = _seed(session)

    rows = _audit(store)
    assert {(r.entity, r.action) for r in rows} == {(table, "insert") for table in SEEDED_TABLES}
    assert all(r.actor == "办公室" for r in rows)
    review_row = next(r for r in rows if r.entity == "review")
    assert review_row.entity_id == str(review.id)
    assert review_row.changes["id"] == [None, review.id]
    assert review_row.changes["status"] == [None, "not_started"]
    indicator_row = next(r for r in rows if r.entity == "indicator_value")
    assert indicator_row.changes["value"] == [None, "70.00"]  # Decimal kept exact as a string
    assert review_row.at.tzinfo == UTC


def test_a_status_change_is_audited_with_old_and_new_value_and_actor(store: Store) -> None:
    with store.session() as session:
        review = _seed(session)
    before = len(_audit(store))

    with acting_as("张三"), store.session() as session:
        loaded = session.get_one(Review, review.id)
        loaded.status = ReviewStatus.SUBMITTED
        loaded.submitted_at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    new_rows = _audit(store)[before:]
    assert [(r.entity, r.entity_id, r.action, r.actor) for r in new_rows] == [
        ("review", str(review.id), "update", "张三")
    ]
    changes = new_rows[0].changes
    assert changes["status"] == ["not_started", "submitted"]
    assert changes["submitted_at"] == [None, "2026-03-02T08:00:00+00:00"]
    assert "rubric_id" not in changes


def test_setting_a_value_to_what_it_already_is_is_not_audited(store: Store) -> None:
    with store.session() as session:
        review = _seed(session)
    before = len(_audit(store))

    with store.session() as session:
        session.get_one(Review, review.id).rubric_id = "application"

    assert len(_audit(store)) == before


def test_deletes_are_audited_with_the_deleted_values_including_cascades(store: Store) -> None:
    with store.session() as session:
        review = _seed(session)
        review.scores.append(ReviewScore(item_id="1.1", score=Decimal("8.5"), comment="载体面积达标"))
    before = len(_audit(store))

    with store.session() as session:
        session.delete(session.get_one(Review, review.id))

    new_rows = _audit(store)[before:]
    assert {(r.entity, r.action, r.actor) for r in new_rows} == {
        ("review", "delete", "system"),
        ("review_score", "delete", "system"),
    }
    score_row = next(r for r in new_rows if r.entity == "review_score")
    assert score_row.changes["score"] == ["8.5", None]
    assert score_row.changes["comment"] == ["载体面积达标", None]


# --- opening ----------------------------------------------------------------------


def test_a_file_that_is_not_a_database_gives_a_bilingual_error(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "zc-review.sqlite3").write_bytes(b"this is a spreadsheet, not SQLite" * 100)

    with pytest.raises(StoreError) as info:
        Store.open(data_dir)
    assert "数据库" in info.value.zh
    assert "database" in info.value.en
    assert info.value.path == str(data_dir / "zc-review.sqlite3")


def test_open_creates_the_data_directory_and_blob_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "home"
    with Store.open(data_dir) as store:
        sha, _, _ = store.blobs.put_bytes(b"material")
        assert (data_dir / "zc-review.sqlite3").is_file()
        assert store.blobs.path(sha).is_relative_to(data_dir / "blobs")
