"""Automatic audit trail: every ORM insert, update and delete leaves an AuditLog row.

A session ``after_flush`` listener does the recording. At that point the
flush has run its INSERTs (so new rows have their ids) but the session still
shows the pre-flush ``new``/``dirty``/``deleted`` sets and attribute
histories (documented SQLAlchemy behaviour), so one listener sees both the ids
and the old values. The audit rows are written with a Core INSERT on the
session's own connection: they commit or roll back with the change they
describe, and adding no ORM objects during the flush avoids re-entering it.

Not audited: AuditLog itself, and bulk ``update()``/``delete()`` statements
that bypass the unit of work (the store's code does not use them for audited data).

Who made the change comes from the ``current_actor`` context variable; wrap a
unit of work in ``with acting_as("张三"):``. Context variables do not follow
work handed to another thread, so a worker thread sets its own actor.
"""

from __future__ import annotations

import enum
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import InstanceState, Session, UOWTransaction, sessionmaker

from zc_review.store.models import AuditLog, Base
from zc_review.store.types import utcnow

current_actor: ContextVar[str] = ContextVar("current_actor", default="system")


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Record changes made inside the block as made by ``name``."""
    token = current_actor.set(name)
    try:
        yield
    finally:
        current_actor.reset(token)


_installed: weakref.WeakSet[sessionmaker[Session]] = weakref.WeakSet()


def install(factory: sessionmaker[Session]) -> None:
    """Audit every session ``factory`` makes (idempotent)."""
    # Not event.contains(): SQLAlchemy's event registry is keyed by id(), and a new factory that
    # reuses the id of a collected one was seen as already listened to, so its sessions went
    # unaudited now and then. A WeakSet compares the objects themselves.
    if factory not in _installed:
        event.listen(factory, "after_flush", record_flush)
        _installed.add(factory)


def to_json(value: Any) -> Any:
    """``value`` as JSON-ready data; Decimals and datetimes become exact strings."""
    if isinstance(value, enum.Enum):  # before str: a StrEnum is a str
        return to_json(value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def record_flush(session: Session, flush_context: UOWTransaction) -> None:
    """after_flush listener: write one AuditLog row per changed audited object."""
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if _audited(obj):
            rows.append(_row(inspect(obj), "insert", _inserted(inspect(obj))))
    for obj in session.dirty:
        if _audited(obj):
            changes = _updated(inspect(obj))
            if changes:  # touched but no column changed (e.g. set to the same value)
                rows.append(_row(inspect(obj), "update", changes))
    for obj in session.deleted:
        if _audited(obj):
            rows.append(_row(inspect(obj), "delete", _deleted(inspect(obj))))
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def _audited(obj: object) -> bool:
    return isinstance(obj, Base) and not isinstance(obj, AuditLog)


def _row(state: InstanceState[Any], action: str, changes: dict[str, Any]) -> dict[str, Any]:
    mapper = state.mapper
    pk = [state.dict.get(mapper.get_property_by_column(col).key) for col in mapper.primary_key]
    return {
        "at": utcnow(),
        "actor": current_actor.get(),
        "entity": mapper.persist_selectable.name,  # type: ignore[attr-defined]
        "entity_id": "/".join(str(v) for v in pk),
        "action": action,
        "changes": changes,
    }


def _column_keys(state: InstanceState[Any]) -> list[str]:
    return [attr.key for attr in state.mapper.column_attrs]


def _inserted(state: InstanceState[Any]) -> dict[str, Any]:
    # Python-side defaults and the new id are in the instance dict after the INSERT.
    return {
        key: [None, to_json(state.dict[key])]
        for key in _column_keys(state)
        if state.dict.get(key) is not None
    }


def _updated(state: InstanceState[Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in _column_keys(state):
        history = state.attrs[key].history  # does not load anything
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            changes[key] = [to_json(old), to_json(new)]
    return changes


def _deleted(state: InstanceState[Any]) -> dict[str, Any]:
    # The row as it was (what was loaded), so a deletion can be understood later.
    return {key: [to_json(state.dict[key]), None] for key in _column_keys(state) if key in state.dict}
