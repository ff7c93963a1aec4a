"""Content-addressed file store: a material's bytes live at ``root/ab/cd/<sha256>``.

A blob appears whole or not at all: bytes go to a temporary file in the
staging directory (same file system), are fsynced, renamed into place with
``os.replace`` (atomic) and the directory is fsynced, so a crash or a failing
source leaves at most a stale temporary file, never a truncated blob.
Identical content is stored once.

Staging is shared by every process using the store, so each temporary file or directory in
it is held under an advisory lock (``fcntl.flock``) by the process writing it, for as long as
it writes. :meth:`BlobStore.clean_staging` (run when the store opens) removes what no living
process holds: a crash's leftovers go at the next open, a running import's files stay. An entry
is made under a ``new-`` name, locked, then renamed, so an unlocked entry without that prefix
is never one still being set up. Where there is no ``flock`` (Windows) the old rule applies:
only entries older than a day go.

An import writes, in its staging directory, the list of blobs it is about to add
(:meth:`StagingArea.note_adopting`) before adding them: if it dies before its rows commit,
the next open finds that list in the unlocked directory and removes those blobs unless a
committed row refers to them (see :meth:`zc_review.store.store.Store.clean_leftovers`).

A blob that was checked against its SHA-256 gets a stamp beside it (``<sha>.ok``: size,
mtime and inode); :meth:`BlobStore.status` trusts a blob whose stamp still matches without
reading it again, so showing a material is cheap, and re-hashes it otherwise.

A write that fails raises the StoreError subclass that says why (no space, read-only, …;
see :mod:`zc_review.store.health`), naming the blob store; a failing source's OSError passes
as it is.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, Literal

try:
    import fcntl
except ImportError:  # Windows: no flock; staging is cleaned by age only
    fcntl = None  # type: ignore[assignment]

from zc_review.errors import StoreError
from zc_review.store import health

# The store's columns that name a blob by its SHA-256: the one list the orphan cleaning, the
# backup and anything else that asks "is this blob used?" read. A new table that keeps blobs is
# added here, or its blobs are removed as orphans and left out of backups.
BLOB_COLUMNS: tuple[tuple[str, str], ...] = (
    ("material", "sha256"),
    ("expert", "signature_sha256"),
    ("signed_opinion", "pdf_sha256"),
)

CHUNK_SIZE = 1 << 20  # 1 MiB: bundles carry files of a few hundred MB
STAGING_NAME = ".staging"
NEW_PREFIX = "new-"  # a staging entry being set up (not yet locked)
JOURNAL_NAME = "adopting"  # in an import's staging directory: the blobs it is adding
STAMP_SUFFIX = ".ok"
# An unlocked ``new-`` entry younger than this may be a process between mkdtemp and flock.
NEW_GRACE_S = 60.0
# Without flock (Windows), staging entries younger than this are taken to be in use.
UNLOCKED_MAX_AGE_S = 24 * 3600.0
BlobStatus = Literal["ok", "missing", "damaged"]
_SHA256_RE = re.compile(r"[0-9a-f]{64}")


class BlobMissingError(StoreError):
    """A blob the database refers to is not in the blob store."""


@dataclass
class StagingArea:
    """A staging directory held (locked) by this process while it imports; see :meth:`BlobStore.staging_area`."""

    path: Path
    fd: int | None  # the locked directory's descriptor (None without flock)

    def note_adopting(self, shas: Iterable[str]) -> None:
        """Record, durably, the blobs this import is about to add, before adding them.

        If the process dies before its rows commit, the next open removes these blobs unless a
        committed row refers to them.
        """
        journal = self.path / JOURNAL_NAME
        with open(journal, "a", encoding="ascii") as f:
            for sha in shas:
                f.write(_check_sha(sha) + "\n")
            f.flush()
            os.fsync(f.fileno())


def read_journal(directory: Path) -> set[str]:
    """The blobs a (dead) import's staging directory says it was adding."""
    try:
        text = (directory / JOURNAL_NAME).read_text(encoding="ascii", errors="replace")
    except OSError:
        return set()
    return {line for line in text.split() if _SHA256_RE.fullmatch(line)}


class BlobStore:
    """Blobs under ``root``; safe for concurrent use by the threads of one process."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        # Serialises "is it there? then rename" so that ``created`` is exact and a
        # concurrent remove() cannot interleave with an install.
        self._lock = threading.Lock()

    # --- locating -----------------------------------------------------------------

    def path(self, sha: str) -> Path:
        """Where the blob ``sha`` lives (whether or not it exists).

        Raises ValueError for anything but 64 hex digits, so a name taken from a
        manifest can never point outside the store.
        """
        sha = _check_sha(sha)
        return self.root / sha[:2] / sha[2:4] / sha

    def has(self, sha: str) -> bool:
        """Whether the blob ``sha`` is stored."""
        return self.path(sha).is_file()

    def staging_dir(self) -> Path:
        """A directory on the store's file system for temporary files to :meth:`adopt`."""
        staging = self.root / STAGING_NAME
        with self._writing():
            staging.mkdir(parents=True, exist_ok=True)
        return staging

    @contextmanager
    def staging_area(self, prefix: str = "bundle-") -> Iterator[StagingArea]:
        """A new directory in staging, locked by this process until the block ends, then removed.

        Made as ``new-…``, locked, then renamed to ``prefix…``: the cleaner of another process
        removes an unlocked entry only if it is not a ``new-`` one (or one older than a minute).
        """
        with self._writing():
            tmp = Path(tempfile.mkdtemp(prefix=NEW_PREFIX + prefix, dir=self.staging_dir()))
        fd = _lock_path(tmp)
        final = tmp.with_name(tmp.name[len(NEW_PREFIX) :])
        try:
            with self._writing():
                os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            _unlock(fd)
            raise
        try:
            yield StagingArea(final, fd)
        finally:
            shutil.rmtree(final, ignore_errors=True)
            _unlock(fd)

    def _locked_temp_file(self, prefix: str) -> tuple[int, Path]:
        """A new temporary file in staging, open for writing and locked (see :meth:`staging_area`)."""
        with self._writing():
            fd, name = tempfile.mkstemp(dir=self.staging_dir(), prefix=NEW_PREFIX + prefix, suffix=".tmp")
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        tmp = Path(name)
        final = tmp.with_name(tmp.name[len(NEW_PREFIX) :])
        try:
            with self._writing():
                os.rename(tmp, final)
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        return fd, final

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write into the store that fails says why (no space, read-only…) and names the blob store.

        EXDEV passes as it is: :meth:`adopt` answers it by copying.
        """
        try:
            yield
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                raise
            raise health.os_error(exc, self.root) from exc

    def iter_shas(self) -> Iterator[str]:
        """Every stored blob's SHA-256 (for garbage collection and checks)."""
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*"):
            if _SHA256_RE.fullmatch(path.name) and path.parent.parent.name == path.name[:2]:
                yield path.name

    # --- writing ------------------------------------------------------------------

    def put_stream(self, src: BinaryIO) -> tuple[str, int, bool]:
        """Store everything read from ``src``; return (sha256, size, created).

        ``created`` is False when the same content was already stored. If reading
        fails, nothing is stored and the temporary file is removed.
        """
        fd, tmp = self._locked_temp_file("put-")
        try:
            digest = hashlib.sha256()
            size = 0
            # The descriptor stays open (so the file stays locked) until it is installed.
            with os.fdopen(os.dup(fd), "wb") as out:
                while chunk := src.read(CHUNK_SIZE):  # a failing read is the source's, not the store's
                    digest.update(chunk)
                    with self._writing():
                        out.write(chunk)
                    size += len(chunk)
                with self._writing():
                    out.flush()
                    os.fsync(out.fileno())
            sha = digest.hexdigest()
            with self._writing():
                created = self._install(tmp, sha)
            if created:
                self._stamp(sha)
            else:
                # Someone may be about to refer to this blob (a row not yet committed): a fresh
                # mtime keeps the cleaner's age rule for unreferenced blobs off it.
                with contextlib.suppress(OSError):
                    os.utime(self.path(sha))
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        finally:
            os.close(fd)
        return sha, size, created

    def put_file(self, path: Path) -> tuple[str, int, bool]:
        """Store a copy of the file at ``path``; return (sha256, size, created)."""
        with open(path, "rb") as src:
            return self.put_stream(src)

    def put_bytes(self, data: bytes) -> tuple[str, int, bool]:
        """Store ``data``; return (sha256, size, created)."""
        return self.put_stream(BytesIO(data))

    def adopt(
        self, tmp_path: Path, sha: str, size: int, *, synced: bool = False, replace: bool = False
    ) -> bool:
        """Move an already-hashed file into the store without reading it again.

        The caller hashed ``tmp_path`` while writing it (the importer does, while
        extracting). The file is moved in if the blob is absent (True), else
        deleted (False); either way ``tmp_path`` is gone afterwards. Only the size
        is checked here, so the caller vouches for ``sha``. Put the file in
        :meth:`staging_dir` so that the move is a rename. ``synced``: the caller fsynced the
        file already (so the lock it may hold is not held during the fsync). ``replace``: the
        stored blob is damaged (repair): the verified file takes its place.

        The blob gets a verified stamp (the caller hashed it).
        """
        sha = _check_sha(sha)
        tmp_path = Path(tmp_path)
        actual = tmp_path.stat().st_size
        if actual != size:
            raise ValueError(f"{tmp_path}: size is {actual}, expected {size}")
        if not synced:
            with self._writing():
                _fsync_file(tmp_path)
        try:
            with self._writing():
                created = self._install(tmp_path, sha, replace=replace)
            self._stamp(sha)
            return created
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
        # Another file system after all: copy into staging, then rename from there.
        with self._writing():
            fd, copy_name = tempfile.mkstemp(dir=self.staging_dir(), prefix="adopt-", suffix=".tmp")
            os.close(fd)
        copy = Path(copy_name)
        try:
            with self._writing():
                shutil.copyfile(tmp_path, copy)
                _fsync_file(copy)
                created = self._install(copy, sha, replace=replace)
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
        tmp_path.unlink(missing_ok=True)
        self._stamp(sha)
        return created

    def _install(self, tmp: Path, sha: str, replace: bool = False) -> bool:
        dest = self.path(sha)
        with self._lock:
            if dest.is_file() and not replace:
                tmp.unlink()
                return False
            new_dirs = [d for d in (dest.parent.parent, dest.parent) if not d.is_dir()]
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, dest)
        # Make the rename (and any new directory) survive a power cut.
        _fsync_dir(dest.parent)
        for directory in new_dirs:
            _fsync_dir(directory.parent)
        return True

    # --- reading, checking, removing ----------------------------------------------

    def open(self, sha: str) -> BinaryIO:
        """Open the blob for reading; raises BlobMissingError if it is not stored."""
        path = self.path(sha)
        try:
            return open(path, "rb")
        except FileNotFoundError as exc:
            raise BlobMissingError(
                "材料文件在本地存储中缺失，请重新导入该申报材料包。",
                "A material file is missing from the local store. Import the application bundle again.",
                path,
            ) from exc

    def verify(self, sha: str) -> bool:
        """Re-hash the stored blob; False if it is missing or its content changed.

        A blob that checks out gets a fresh verified stamp (see :meth:`status`).
        """
        return file_status(self.path(sha), sha) == "ok"

    def status(self, sha: str, size: int | None = None, *, full: bool = True) -> BlobStatus | None:
        """``"ok"``, ``"missing"`` or ``"damaged"`` (see :func:`file_status`)."""
        return file_status(self.path(sha), sha, size, full=full)

    def _stamp(self, sha: str, st: os.stat_result | None = None) -> None:
        _write_stamp(self.path(sha), st)

    def _unstamp(self, sha: str) -> None:
        with contextlib.suppress(OSError):
            _stamp_file(self.path(sha)).unlink()

    def remove(self, sha: str) -> bool:
        """Delete the blob (and its stamp); True if it was there."""
        path = self.path(sha)
        with self._lock:
            self._unstamp(sha)
            try:
                path.unlink()
            except FileNotFoundError:
                return False
        return True

    def blob_mtime(self, sha: str) -> float | None:
        """When the blob was last written or re-put (None if absent)."""
        try:
            return self.path(sha).stat().st_mtime
        except OSError:
            return None

    @contextmanager
    def dead_staging(self) -> Iterator[list[Path]]:
        """The staging entries no living process holds, locked by this one until the block ends.

        With flock: every entry whose lock can be taken (its writer is gone), except a
        ``new-`` entry younger than :data:`NEW_GRACE_S`. Without flock: entries older than
        :data:`UNLOCKED_MAX_AGE_S`.
        """
        staging = self.root / STAGING_NAME
        held: list[int] = []
        dead: list[Path] = []
        try:
            if staging.is_dir():
                now = time.time()
                for path in sorted(staging.iterdir()):
                    try:
                        age = now - path.lstat().st_mtime
                    except FileNotFoundError:
                        continue
                    if fcntl is None:
                        if age > UNLOCKED_MAX_AGE_S:
                            dead.append(path)
                        continue
                    if path.name.startswith(NEW_PREFIX) and age < NEW_GRACE_S:
                        continue
                    fd = _try_lock(path)
                    if fd is None:
                        continue  # a living process writes it
                    held.append(fd)
                    dead.append(path)
            yield dead
        finally:
            for fd in held:
                os.close(fd)

    def remove_staging_entry(self, path: Path) -> None:
        """Delete one staging entry (file or directory tree)."""
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

    def clean_staging(self) -> int:
        """Delete the staging entries left by processes that are gone; return how many went.

        Blobs a dead import was adding are not looked at here (see
        :meth:`zc_review.store.store.Store.clean_leftovers`, which also needs the database).
        """
        with self.dead_staging() as dead:
            for path in dead:
                self.remove_staging_entry(path)
            return len(dead)


def file_status(path: Path, sha: str, size: int | None = None, *, full: bool = True) -> BlobStatus | None:
    """Whether the file at ``path`` is what was sealed: ``"ok"``, ``"missing"`` or ``"damaged"``.

    ``"damaged"``: its size is not ``size``, or its SHA-256 is not ``sha``. Cheap when the file's
    verified stamp (``<path>.ok``: size, mtime in ns, inode, written when it last checked out)
    still matches; otherwise the file is hashed (``full``), or, with ``full=False``, None is
    returned: not known without reading it (the GUI then hashes it on a worker thread).
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "damaged"
    if size is not None and st.st_size != size:
        return "damaged"
    if _stamp_ok(path, st):
        return "ok"
    if not full:
        return None
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as src:
            while chunk := src.read(CHUNK_SIZE):
                digest.update(chunk)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "damaged"
    if digest.hexdigest() == sha.lower():
        _write_stamp(path, st)
        return "ok"
    with contextlib.suppress(OSError):
        _stamp_file(path).unlink()
    return "damaged"


def _stamp_file(path: Path) -> Path:
    return path.with_name(path.name + STAMP_SUFFIX)


def _stamp_text(st: os.stat_result) -> str:
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"


def _write_stamp(path: Path, st: os.stat_result | None = None) -> None:
    """Record that ``path``, as it is now (size, mtime, inode), was checked against its SHA-256."""
    try:
        if st is None:
            st = path.stat()
        stamp = _stamp_file(path)
        tmp = stamp.with_name(f"{stamp.name}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(_stamp_text(st), encoding="ascii")
        os.replace(tmp, stamp)
    except OSError:
        pass  # only a cache: without it the file is hashed again when shown


def _stamp_ok(path: Path, st: os.stat_result) -> bool:
    try:
        return _stamp_file(path).read_text(encoding="ascii") == _stamp_text(st)
    except (OSError, UnicodeDecodeError):
        return False


def _lock_path(path: Path) -> int | None:
    """Open ``path`` (a file or directory) and take an exclusive flock on it; None without flock."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _try_lock(path: Path) -> int | None:
    """The descriptor of ``path`` locked by us, or None if another process holds it (or it is gone)."""
    assert fcntl is not None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _check_sha(sha: str) -> str:
    sha = sha.lower()
    if not _SHA256_RE.fullmatch(sha):
        raise ValueError(f"not a SHA-256 hex digest: {sha!r}")
    return sha


def _fsync_file(path: Path) -> None:
    # "r+b": Windows flushes only through a handle opened for writing.
    with open(path, "r+b") as f:
        os.fsync(f.fileno())


def _fsync_dir(directory: Path) -> None:
    # Windows cannot open a directory; NTFS journals the rename itself.
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
