"""Migrations: the hand-written revisions build exactly the models' schema and keep existing data."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, inspect, select

from zc_review.core.application import Stage
from zc_review.errors import StoreError
from zc_review.store import Store
from zc_review.store.migrate import MIGRATIONS_DIR, alembic_config, head_revision
from zc_review.store.models import (
    Application,
    ApplicationVersion,
    Base,
    Batch,
    Expert,
    IndicatorValue,
    Material,
    Review,
)

IMPORT_TABLES = {"batch", "application", "application_version", "material", "indicator_value"}
REVIEW_TABLES = {"expert", "review", "review_score", "goal_comment", "audit_log", "signed_opinion"}
OFFICE_TABLES = {
    "panel_override",
    "recusal_record",
    "batch_rules",
    "conflict_choice",
    "ledger_entry",
    "ledger_seal",
}


def _diffs(store: Store, metadata: MetaData) -> list[object]:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert _diffs(store, Base.metadata) == []

        # The comparison is live: a model change the migrations lack shows up.
        changed = MetaData(naming_convention=Base.metadata.naming_convention)
        for table in Base.metadata.sorted_tables:
            table.to_metadata(changed)
        changed.tables["review"].append_column(Column("extra_points", Integer, nullable=True))
        assert [d[0] for d in _diffs(store, changed) if isinstance(d, tuple)] == ["add_column"]


def test_migrations_create_import_tables_first_then_review_tables(tmp_path: Path) -> None:
    db = tmp_path / "zc-review.sqlite3"
    command.upgrade(alembic_config(db), "0001")
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == IMPORT_TABLES | {"alembic_version"}

    with Store.open(tmp_path) as store:
        assert set(
            inspect(store.engine).get_table_names()
        ) == IMPORT_TABLES | REVIEW_TABLES | OFFICE_TABLES | {"alembic_version"}


def _insert_rows_as_revision_0001(db: Path) -> None:
    """Data an older program (schema 0001) wrote, with plain SQL as that program stored it."""
    manifest = {"format": 1, "files": [{"name": "创建方案.pdf", "sha256": "b" * 64}]}
    data = {"community_name": "江宁众创社区", "planned_area_km2": "3.10"}
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO batch (id, name, stage, rubric_id, rubric_version, roster, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                "2026-SQ-01",
                "第一批",
                "application",
                "application",
                "1.0",
                '["张三"]',
                "2026-01-02 03:04:05.000000",
            ),
        )
        conn.execute(
            "INSERT INTO application (id, batch_id, key, community_name, city, county, industry, created_at)"
            " VALUES (7, '2026-SQ-01', 'NJ-JN-01', '江宁众创社区', '南京市', '江宁区', '新材料',"
            " '2026-01-02 03:04:06.000000')"
        )
        conn.execute(
            "INSERT INTO application_version (id, application_id, number, bundle_sha256, manifest, data,"
            " source_name, imported_at) VALUES (11, 7, 1, ?, ?, ?, '江宁.zcb', '2026-01-02 03:04:07.000000')",
            ("a" * 64, json.dumps(manifest, ensure_ascii=False), json.dumps(data, ensure_ascii=False)),
        )
        conn.execute(
            "INSERT INTO material (id, version_id, kind, name, sha256, size, media_type)"
            " VALUES (21, 11, 'plan', '创建方案.pdf', ?, 123456, 'application/pdf')",
            ("b" * 64,),
        )
        conn.executemany(
            "INSERT INTO indicator_value (id, version_id, year, key, value) VALUES (?, 11, ?, ?, ?)",
            [
                (31, 2026, "sei_share", "70.00"),
                (32, 2027, "sei_share", "0.1"),
                (33, None, "carrier_floor_area_m2", "1234567890.123456"),
            ],
        )


def test_upgrading_from_0001_keeps_every_imported_row_and_value(tmp_path: Path) -> None:
    db = tmp_path / "zc-review.sqlite3"
    command.upgrade(alembic_config(db), "0001")
    _insert_rows_as_revision_0001(db)

    with Store.open(tmp_path) as store:
        with store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        with store.session() as session:
            batch = session.get_one(Batch, "2026-SQ-01")
            assert (batch.name, batch.stage, batch.rubric_id, batch.rubric_version, batch.roster) == (
                "第一批",
                Stage.APPLICATION,
                "application",
                "1.0",
                ["张三"],
            )
            assert batch.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

            application = session.get_one(Application, 7)
            assert (application.batch_id, application.key, application.community_name) == (
                "2026-SQ-01",
                "NJ-JN-01",
                "江宁众创社区",
            )
            assert (application.city, application.county, application.industry) == (
                "南京市",
                "江宁区",
                "新材料",
            )

            version = session.get_one(ApplicationVersion, 11)
            assert (version.application_id, version.number, version.bundle_sha256) == (7, 1, "a" * 64)
            assert version.manifest == {"format": 1, "files": [{"name": "创建方案.pdf", "sha256": "b" * 64}]}
            assert version.data == {"community_name": "江宁众创社区", "planned_area_km2": "3.10"}
            assert version.source_name == "江宁.zcb"
            assert version.imported_at == datetime(2026, 1, 2, 3, 4, 7, tzinfo=UTC)

            material = session.get_one(Material, 21)
            assert (
                material.version_id,
                material.kind,
                material.name,
                material.size,
                material.media_type,
            ) == (
                11,
                "plan",
                "创建方案.pdf",
                123456,
                "application/pdf",
            )
            assert material.sha256 == "b" * 64

            values = {
                (v.id, v.year, v.key): v.value
                for v in session.scalars(select(IndicatorValue).order_by(IndicatorValue.id))
            }
            assert values == {
                (31, 2026, "sei_share"): Decimal("70.00"),
                (32, 2027, "sei_share"): Decimal("0.1"),
                (33, None, "carrier_floor_area_m2"): Decimal("1234567890.123456"),
            }
            assert [str(v) for v in values.values()] == ["70.00", "0.1", "1234567890.123456"]

        # The new tables work with the old rows.
        with store.session() as session:
            expert = Expert(name="张三")
            session.add(
                Review(
                    expert=expert,
                    application_id=7,
                    version_id=11,
                    rubric_id="application",
                    rubric_version="1.0",
                )
            )
        with store.session() as session:
            assert session.scalar(select(Review.version_id)) == 11


def test_a_database_from_a_newer_program_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")

    with pytest.raises(StoreError) as info:
        Store.open(tmp_path)
    assert "9999" in info.value.zh
    assert "newer" in info.value.en


FAILING_REVISIONS = {
    "bug in migration": 'op.create_table("scratch", sa.Column("id", sa.Integer(), primary_key=True))\n'
    '    op.add_column("expert", sa.Column("phone", sa.String(30)))\n'
    '    raise RuntimeError("bug in migration")',
    "broken foreign keys": 'op.execute("INSERT INTO material'
    " (version_id, kind, name, sha256, size, media_type)"
    f" VALUES (999, 'plan', 'x.pdf', '{'c' * 64}', 1, 'application/pdf')\")",
}


@pytest.mark.parametrize(("error", "body"), FAILING_REVISIONS.items(), ids=["raises", "breaks_foreign_keys"])
def test_a_failing_migration_changes_nothing(tmp_path: Path, error: str, body: str) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_broken.py").write_text(
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        f'revision = "9001"\ndown_revision = "{head_revision()}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        f"def upgrade() -> None:\n    {body}\n",
        encoding="utf-8",
    )
    data_dir = tmp_path / "data"
    with Store.open(data_dir) as store:
        with store.session() as session:
            session.add(Expert(name="张三"))
        db = data_dir / "zc-review.sqlite3"
        cfg = alembic_config(db)
        cfg.set_main_option("script_location", str(scripts))

        with pytest.raises(RuntimeError, match=error):
            command.upgrade(cfg, "head")

        tables = set(inspect(store.engine).get_table_names())
        columns = {c["name"] for c in inspect(store.engine).get_columns("expert")}
        with store.engine.connect() as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
            materials = conn.exec_driver_sql("SELECT count(*) FROM material").scalar()
            experts = conn.exec_driver_sql("SELECT name FROM expert").scalars().all()
    assert revision == head_revision()
    assert "scratch" not in tables
    assert "phone" not in columns
    assert materials == 0
    assert experts == ["张三"]
