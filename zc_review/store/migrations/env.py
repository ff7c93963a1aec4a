"""Alembic environment of the local store, run by zc_review.store.migrate.

There is no alembic.ini: ``migrate.alembic_config`` builds the Config in code
and passes either an open connection (``attributes["connection"]``) or the
database file (``attributes["db_path"]``).

All pending revisions run in one transaction (SQLite DDL is transactional once
the engine emits BEGIN itself), with foreign keys off so that batch-mode table
rebuilds do not cascade; the foreign keys are checked before commit, so a
migration that breaks them fails and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import context
from sqlalchemy import Connection

from zc_review.store.engine import make_engine
from zc_review.store.models import Base

config = context.config
target_metadata = Base.metadata


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:10]!r}")


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER by copying the table
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        _check_foreign_keys(connection)


def run_migrations_online() -> None:
    """Run the pending revisions on the given connection or database file."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    db_path = config.attributes.get("db_path")
    if db_path is None:
        raise RuntimeError("zc_review migrations need config.attributes['db_path'] or ['connection']")
    engine = make_engine(Path(db_path), foreign_keys=False, pooled=False)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("zc_review migrations run online only")
run_migrations_online()
