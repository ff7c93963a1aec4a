"""The local store: one SQLite database plus a blob store under one data directory."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from zc_review.errors import StoreError
from zc_review.store import audit, health, migrate
from zc_review.store.blobs import BLOB_COLUMNS, BlobStore, read_journal
from zc_review.store.engine import BEGIN_OPTION, make_engine
from zc_review.store.readonly import BLOBS_DIRNAME as BLOBS_DIRNAME  # re-exported
from zc_review.store.readonly import DB_FILENAME as DB_FILENAME  # re-exported

# Every column that names a blob. A blob no row names is garbage (see clean_leftovers).
BLOB_REFERENCES_SQL = " UNION ".join(
    f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL' for table, column in BLOB_COLUMNS
)
# An unreferenced blob no dead import listed is removed only once it is this old: a writer that
# stores the blob before its row commits (a signed opinion, a signature) outside the write lock
# may be about to name it.
ORPHAN_MIN_AGE_S = 3600.0
# How long the cleaning at open waits for another process's write lock before leaving it for later.
CLEAN_LOCK_TIMEOUT_S = 0.5


@dataclass(frozen=True)
class CleanReport:
    """What :func:`clean_leftovers` removed."""

    staging_entries: int = 0
    blobs: int = 0
    skipped: bool = False  # another process held the write lock: blobs were left for a later open


class Store:
    """The database and blobs of one data directory. Open with :meth:`Store.open`."""

    def __init__(self, data_dir: Path, engine: Engine, blobs: BlobStore) -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / DB_FILENAME
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
        # Reads begin deferred: in WAL mode they read a snapshot without the write lock, so a
        # listing or an application being shown never queues behind an autosave or an import.
        self._reads = sessionmaker(bind=engine, expire_on_commit=False)
        event.listen(self._reads, "before_flush", _refuse_write)
        self._local = threading.local()

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        """Open (creating if needed) the store in ``data_dir`` and migrate it to this program's schema.

        Checked first (:func:`zc_review.store.health.check_database`): a store that cannot be
        written, an empty or foreign file where the database should be, or a database SQLite's
        ``quick_check`` finds damaged is refused with its own StoreError subclass, and nothing on
        disk changes. A new database is built under a temporary name and linked into place whole,
        so an empty file at the database's path is never one of ours.
        """
        data_dir = Path(data_dir)
        db_path = data_dir / DB_FILENAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise health.os_error(exc, data_dir) from exc
        health.check_database(db_path)
        try:
            blobs = BlobStore(data_dir / BLOBS_DIRNAME)
            blobs.staging_dir()
        except OSError as exc:
            raise health.os_error(exc, data_dir / BLOBS_DIRNAME) from exc
        if not db_path.exists():
            _create(db_path)
        engine = make_engine(db_path)
        try:
            migrate.upgrade(db_path, engine)
        except DBAPIError as exc:
            engine.dispose()
            raise _classified(exc, db_path) from exc
        except OSError as exc:
            engine.dispose()
            raise health.os_error(exc, db_path) from exc
        except BaseException:
            engine.dispose()
            raise
        clean_leftovers(db_path, blobs)
        return cls(data_dir, engine, blobs)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits if the block succeeds, rolls back if it raises.

        Do not open a second session of the same store inside the block on the
        same thread: the outer one holds the write lock, so the inner one could
        only wait for it until the busy timeout. That mistake raises at once.
        Pass the session down instead.
        """
        with self._unit(self._sessions) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read-only unit of work, in a deferred transaction that waits for no writer.

        For pure reads (listings, an application or a review being shown): it sees one
        snapshot and takes no lock, so it completes while another connection or process
        holds the write lock. Changing an object in it raises at flush; writes belong in
        :meth:`session`, which takes the write lock at once. Not nested either.
        """
        with self._unit(self._reads) as session:
            yield session

    @contextmanager
    def _unit(self, sessions: sessionmaker[Session]) -> Iterator[Session]:
        if getattr(self._local, "active", False):
            raise RuntimeError(
                "Store.session() and read() blocks must not be nested on one thread; pass the session down"
            )
        self._local.active = True
        try:
            with sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            # A full disk, a read-only file, another process's lock, damage: said as such, naming
            # the database. Anything else (a constraint, a bad statement) is the caller's.
            mapped = health.sqlite_error(exc.orig, self.db_path)
            if mapped is None:
                raise
            raise mapped from exc
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


def _refuse_write(session: Session, flush_context: object, instances: object) -> None:
    raise RuntimeError("Store.read() is for reads; write in a Store.session() block")


def _classified(exc: DBAPIError, db_path: Path) -> StoreError:
    """The StoreError for a database error met while opening (migrating) the store."""
    mapped = health.sqlite_error(exc.orig, db_path)
    if mapped is not None:
        return mapped
    return health.io_error(db_path, str(exc.orig))


# A database under construction is left this long before another open may delete it as a crash's leftover.
_STALE_NEW_S = 3600


def _create(db_path: Path) -> None:
    """Make a new, migrated database at ``db_path``, appearing there whole or not at all.

    Built as ``NAME.new-PID-THREAD`` beside it, checkpointed into one file, then hard-linked
    into place (which fails, harmlessly, if another process made one meanwhile: theirs is kept).
    """
    tmp = db_path.with_name(f"{db_path.name}.new-{os.getpid()}-{threading.get_ident()}")
    _remove_with_side_files(tmp)
    for stale in db_path.parent.glob(f"{db_path.name}.new-*"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > _STALE_NEW_S:
                stale.unlink()
    try:
        engine = make_engine(tmp, pooled=False)
        try:
            migrate.upgrade(tmp, engine)
        finally:
            engine.dispose()
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
        finally:
            conn.close()
        try:
            os.link(tmp, db_path)
        except FileExistsError:
            pass  # another process made the store meanwhile: use theirs
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            if not db_path.exists():  # no hard links here (FAT): a rename is the next best thing
                os.rename(tmp, db_path)
    except DBAPIError as exc:
        raise _classified(exc, db_path) from exc
    except OSError as exc:
        raise health.os_error(exc, db_path) from exc
    finally:
        _remove_with_side_files(tmp)


def _remove_with_side_files(path: Path) -> None:
    for p in (path, *(path.with_name(path.name + s) for s in health.SIDE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def referenced_blobs(conn: sqlite3.Connection) -> set[str]:
    """Every blob SHA-256 a row of the database names."""
    return {str(row[0]).lower() for row in conn.execute(BLOB_REFERENCES_SQL) if row[0]}


def clean_leftovers(
    db_path: Path, blobs: BlobStore, orphan_min_age_s: float = ORPHAN_MIN_AGE_S
) -> CleanReport:
    """Remove what crashed processes left: staging entries no process holds, and blobs no row names.

    Runs at every open. Under SQLite's write lock (``BEGIN IMMEDIATE``), which every import
    holds from its duplicate check through adopting its blobs to its commit, so no import is
    half-way while this looks:

    - a staging entry no living process holds (its flock is free) goes; if it is a dead import's
      directory, the blobs it listed as being added (:meth:`StagingArea.note_adopting`) go too
      unless a committed row names them;
    - any other blob no row names goes once it is :data:`ORPHAN_MIN_AGE_S` old.

    If another process holds the write lock longer than :data:`CLEAN_LOCK_TIMEOUT_S`, only the
    staging entries that promise no blobs go; the rest waits for a later open. Never raises for
    that: cleaning is housekeeping, the open goes on.
    """
    removed_entries = removed_blobs = 0
    try:
        conn = sqlite3.connect(db_path, timeout=CLEAN_LOCK_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error:
        return CleanReport(skipped=True)
    try:
        with blobs.dead_staging() as dead:
            journals = {path: read_journal(path) if path.is_dir() else set() for path in dead}
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error:
                for path, listed in journals.items():
                    if not listed:
                        blobs.remove_staging_entry(path)
                        removed_entries += 1
                return CleanReport(removed_entries, 0, skipped=True)
            try:
                referenced = referenced_blobs(conn)
                listed_by_dead = set().union(*journals.values()) if journals else set()
                for sha in listed_by_dead - referenced:
                    removed_blobs += blobs.remove(sha)
                now = time.time()
                for sha in set(blobs.iter_shas()) - referenced - listed_by_dead:
                    mtime = blobs.blob_mtime(sha)
                    if mtime is not None and now - mtime >= orphan_min_age_s:
                        removed_blobs += blobs.remove(sha)
                for path in dead:
                    blobs.remove_staging_entry(path)
                    removed_entries += 1
            finally:
                conn.execute("ROLLBACK")  # nothing was written; the lock only kept imports out
    except (OSError, sqlite3.Error):
        return CleanReport(removed_entries, removed_blobs, skipped=True)
    finally:
        conn.close()
    return CleanReport(removed_entries, removed_blobs)
