"""The SQLite engine: durable settings on every connection, real transactions.

Every pooled connection gets WAL (readers never block the writer),
``synchronous=FULL`` (a committed review survives a power cut), foreign keys on
(SQLite's default is off) and a busy timeout (a second writer waits instead of
failing at once).

Python's sqlite3 module, in its legacy mode, does not BEGIN before SELECT or
DDL, so reads are not repeatable and a migration is not atomic. SQLAlchemy
takes over: the driver's own BEGIN is switched off and the engine's ``begin``
event emits it (SQLAlchemy's documented recipe).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from zc_review.store.health import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS  # re-exported

# Execution option naming how a transaction begins (see ``make_engine``).
BEGIN_OPTION = "zc_sqlite_begin"


def make_engine(db_path: Path, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    """Create the engine for the SQLite file at ``db_path``.

    ``foreign_keys=False`` is for migrations only: rebuilding a table (alembic
    batch mode) with foreign keys on would cascade-delete the rows that refer to it.
    ``pooled=False`` gives a throw-away engine that keeps no connection open.

    A transaction begins with a plain (deferred) ``BEGIN``; a connection whose
    execution options set ``zc_sqlite_begin="IMMEDIATE"`` takes the write lock
    at once (see :class:`zc_review.store.store.Store`).
    """
    url = URL.create("sqlite", database=str(db_path))
    kwargs: dict[str, Any] = {}
    if not pooled:
        kwargs["poolclass"] = NullPool
    engine = create_engine(url, **kwargs)
    fk_value = "ON" if foreign_keys else "OFF"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # No implicit BEGIN from the driver; the "begin" listener below emits it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute(f"PRAGMA foreign_keys={fk_value}")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        if mode not in ("DEFERRED", "IMMEDIATE"):
            raise ValueError(f"unknown {BEGIN_OPTION}: {mode!r}")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
