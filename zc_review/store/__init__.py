"""The local store: SQLAlchemy models in SQLite (migrated by alembic) and a content-addressed blob store.

Typical use::

    store = Store.open(paths.data_dir())
    with acting_as(expert_name), store.session() as session:
        review = session.get(Review, review_id)
        review.status = ReviewStatus.SUBMITTED
"""

from zc_review.store.audit import acting_as, current_actor
from zc_review.store.blobs import BlobMissingError, BlobStore
from zc_review.store.store import Store

__all__ = ["BlobMissingError", "BlobStore", "Store", "acting_as", "current_actor"]
