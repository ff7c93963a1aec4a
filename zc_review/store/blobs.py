"""Content-addressed file store: a material's bytes live at ``root/ab/cd/<sha256>``.

A blob appears whole or not at all: bytes go to a temporary file in the
staging directory (same file system), are fsynced, renamed into place with
``os.replace`` (atomic) and the directory is fsynced, so a crash or a failing
source leaves at most a stale temporary file, never a truncated blob.
Identical content is stored once.

A write that fails raises the StoreError subclass that says why (no space, read-only, …;
see :mod:`zc_review.store.health`), naming the blob store; a failing source's OSError passes
as it is.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from zc_review.errors import StoreError
from zc_review.store import health

CHUNK_SIZE = 1 << 20  # 1 MiB: bundles carry files of a few hundred MB
STAGING_NAME = ".staging"
_SHA256_RE = re.compile(r"[0-9a-f]{64}")


class BlobMissingError(StoreError):
    """A blob the database refers to is not in the blob store."""


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
        with self._writing():
            fd, tmp_name = tempfile.mkstemp(dir=self.staging_dir(), prefix="put-", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
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
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return sha, size, created

    def put_file(self, path: Path) -> tuple[str, int, bool]:
        """Store a copy of the file at ``path``; return (sha256, size, created)."""
        with open(path, "rb") as src:
            return self.put_stream(src)

    def put_bytes(self, data: bytes) -> tuple[str, int, bool]:
        """Store ``data``; return (sha256, size, created)."""
        return self.put_stream(BytesIO(data))

    def adopt(self, tmp_path: Path, sha: str, size: int) -> bool:
        """Move an already-hashed file into the store without reading it again.

        The caller hashed ``tmp_path`` while writing it (the importer does, while
        extracting). The file is moved in if the blob is absent (True), else
        deleted (False); either way ``tmp_path`` is gone afterwards. Only the size
        is checked here, so the caller vouches for ``sha``. Put the file in
        :meth:`staging_dir` so that the move is a rename.
        """
        sha = _check_sha(sha)
        tmp_path = Path(tmp_path)
        actual = tmp_path.stat().st_size
        if actual != size:
            raise ValueError(f"{tmp_path}: size is {actual}, expected {size}")
        with self._writing():
            _fsync_file(tmp_path)
        try:
            with self._writing():
                return self._install(tmp_path, sha)
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
                created = self._install(copy, sha)
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
        tmp_path.unlink(missing_ok=True)
        return created

    def _install(self, tmp: Path, sha: str) -> bool:
        dest = self.path(sha)
        with self._lock:
            if dest.is_file():
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
        """Re-hash the stored blob; False if it is missing or its content changed."""
        path = self.path(sha)
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as src:
                while chunk := src.read(CHUNK_SIZE):
                    digest.update(chunk)
        except FileNotFoundError:
            return False
        return digest.hexdigest() == path.name

    def remove(self, sha: str) -> bool:
        """Delete the blob; True if it was there."""
        path = self.path(sha)
        with self._lock:
            try:
                path.unlink()
            except FileNotFoundError:
                return False
        return True

    def clean_staging(self, older_than_s: float = 24 * 3600) -> int:
        """Delete temporary files and directories left by a crash; return how many went.

        Only files older than ``older_than_s`` go, so a write in progress in
        another thread or process is left alone.
        """
        staging = self.root / STAGING_NAME
        if not staging.is_dir():
            return 0
        cutoff = time.time() - older_than_s
        removed = 0
        for path in staging.iterdir():
            try:
                if path.stat().st_mtime >= cutoff:
                    continue
                if path.is_dir():  # an importer's per-bundle temp directory
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed += 1
            except FileNotFoundError:
                continue
        return removed


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
