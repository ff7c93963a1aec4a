"""The local store: SQLAlchemy models in SQLite (migrated by alembic) and a content-addressed blob store.

Typical use::

    store = Store.open(paths.data_dir())
    with acting_as(expert_name), store.session() as session:
        review = session.get(Review, review_id)
        review.status = ReviewStatus.SUBMITTED

The names below load on first use, so that the SQLAlchemy-free modules of this package
(``status``, ``readonly``) can be imported by the window's start without SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zc_review.store.audit import acting_as, current_actor
    from zc_review.store.blobs import BlobMissingError, BlobStore
    from zc_review.store.store import Store

__all__ = ["BlobMissingError", "BlobStore", "Store", "acting_as", "current_actor"]

_HOMES = {
    "acting_as": "audit",
    "current_actor": "audit",
    "BlobMissingError": "blobs",
    "BlobStore": "blobs",
    "Store": "store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
