"""The local store: one SQLite database plus a blob store under one data directory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from zc_review.errors import StoreError
from zc_review.store import audit, migrate
from zc_review.store.blobs import BlobStore
from zc_review.store.engine import BEGIN_OPTION, make_engine
from zc_review.store.readonly import DB_FILENAME as DB_FILENAME  # re-exported

BLOBS_DIRNAME = "blobs"


class Store:
    """The database and blobs of one data directory. Open with :meth:`Store.open`."""

    def __init__(self, data_dir: Path, engine: Engine, blobs: BlobStore) -> None:
        self.data_dir = data_dir
        self.engine = engine
        self.blobs = blobs
        # Each unit of work takes SQLite's write lock when it begins (BEGIN
        # IMMEDIATE). With a deferred BEGIN, a session that read before another
        # thread committed would fail at once on its first write (SQLITE_BUSY
        # snapshot); this way it waits up to the busy timeout instead.
        self._sessions = sessionmaker(
            bind=engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}),
            expire_on_commit=False,  # objects stay readable after the session ends
        )
        audit.install(self._sessions)
        self._local = threading.local()

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        """Open (creating if needed) the store in ``data_dir`` and migrate it to this program's schema."""
        data_dir = Path(data_dir)
        db_path = data_dir / DB_FILENAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            blobs = BlobStore(data_dir / BLOBS_DIRNAME)
            blobs.staging_dir()
        except OSError as exc:
            raise StoreError(
                f"无法创建数据目录：{exc.strerror or exc}。请检查磁盘空间和文件夹权限。",
                f"Cannot create the data directory: {exc.strerror or exc}. "
                "Check the free disk space and the folder's permissions.",
                data_dir,
            ) from exc
        engine = make_engine(db_path)
        try:
            migrate.upgrade(db_path, engine)
        except OperationalError as exc:
            engine.dispose()
            if "locked" in str(exc.orig):
                raise StoreError(
                    "本地数据库正被另一个评审工作站窗口占用。请关闭其他窗口后重试。",
                    "The local database is in use by another ZC Review window. Close it and try again.",
                    db_path,
                ) from exc
            raise _unreadable(db_path) from exc
        except DatabaseError as exc:
            engine.dispose()
            raise _unreadable(db_path) from exc
        except BaseException:
            engine.dispose()
            raise
        blobs.clean_staging()
        return cls(data_dir, engine, blobs)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits if the block succeeds, rolls back if it raises.

        Do not open a second session of the same store inside the block on the
        same thread: the outer one holds the write lock, so the inner one could
        only wait for it until the busy timeout. That mistake raises at once.
        Pass the session down instead.
        """
        if getattr(self._local, "active", False):
            raise RuntimeError(
                "Store.session() blocks must not be nested on one thread; pass the session down"
            )
        self._local.active = True
        try:
            with self._sessions.begin() as session:
                yield session
        finally:
            self._local.active = False

    def close(self) -> None:
        """Close every pooled database connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _unreadable(db_path: Path) -> StoreError:
    return StoreError(
        "本地数据库文件已损坏或不是评审工作站的数据库，无法打开。请从备份恢复，或换一个数据目录。",
        "The local database file is damaged or is not a ZC Review database. "
        "Restore it from a backup or choose another data directory.",
        db_path,
    )
