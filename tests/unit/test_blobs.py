"""The content-addressed blob store keeps materials whole, once, and findable by hash."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from zc_review.store.blobs import CHUNK_SIZE, NEW_GRACE_S, BlobMissingError, BlobStore


def _all_files(root: Path) -> list[Path]:
    # Verified stamps (``<sha>.ok``) are a cache beside the blobs, not content.
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".ok"))


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


def test_put_bytes_stores_content_under_its_sha256(blobs: BlobStore) -> None:
    data = "创建方案 v1".encode()
    sha, size, created = blobs.put_bytes(data)

    assert sha == hashlib.sha256(data).hexdigest()
    assert size == len(data)
    assert created is True
    assert blobs.path(sha) == blobs.root / sha[:2] / sha[2:4] / sha
    assert blobs.has(sha)
    with blobs.open(sha) as f:
        assert f.read() == data
    assert list(blobs.iter_shas()) == [sha]


def test_same_content_is_stored_once(blobs: BlobStore, tmp_path: Path) -> None:
    data = b"%PDF-1.7 same attachment in two bundles"
    source = tmp_path / "attachment.pdf"
    source.write_bytes(data)

    first = blobs.put_bytes(data)
    second = blobs.put_file(source)

    assert first[0] == second[0]
    assert (first[2], second[2]) == (True, False)
    stored = [p for p in _all_files(blobs.root) if p.parent.name != ".staging"]
    assert stored == [blobs.path(first[0])]
    assert list((blobs.root / ".staging").iterdir()) == []


def test_large_stream_is_hashed_across_chunks(blobs: BlobStore) -> None:
    data = os.urandom(2 * CHUNK_SIZE + 12345)
    sha, size, _ = blobs.put_stream(io.BytesIO(data))

    assert (sha, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert blobs.path(sha).read_bytes() == data
    assert blobs.verify(sha)


class _FailingStream(io.RawIOBase):
    """Yields some chunks, then fails like a broken USB stick."""

    def __init__(self, good_chunks: int) -> None:
        self.left = good_chunks

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.left == 0:
            raise OSError("device disconnected")
        self.left -= 1
        return b"x" * max(size, 1)


def test_failing_stream_leaves_no_partial_blob_and_no_temp_file(blobs: BlobStore) -> None:
    with pytest.raises(OSError, match="device disconnected"):
        blobs.put_stream(_FailingStream(good_chunks=2))  # type: ignore[arg-type]

    assert _all_files(blobs.root) == []
    assert list(blobs.iter_shas()) == []


def test_adopt_moves_an_already_hashed_file_without_copying(blobs: BlobStore) -> None:
    data = b"extracted while hashing"
    sha = hashlib.sha256(data).hexdigest()
    tmp = blobs.staging_dir() / "extract-1.tmp"
    tmp.write_bytes(data)
    inode = tmp.stat().st_ino

    assert blobs.adopt(tmp, sha, len(data)) is True

    assert not tmp.exists()
    assert blobs.path(sha).read_bytes() == data
    assert blobs.path(sha).stat().st_ino == inode  # renamed, not rewritten


def test_adopt_of_content_already_stored_deletes_the_temp_file(blobs: BlobStore) -> None:
    data = b"imported twice"
    sha, _, _ = blobs.put_bytes(data)
    tmp = blobs.staging_dir() / "extract-2.tmp"
    tmp.write_bytes(data)

    assert blobs.adopt(tmp, sha, len(data)) is False

    assert not tmp.exists()
    assert blobs.path(sha).read_bytes() == data


def test_adopt_refuses_a_file_of_the_wrong_size(blobs: BlobStore) -> None:
    tmp = blobs.staging_dir() / "truncated.tmp"
    tmp.write_bytes(b"short")
    sha = hashlib.sha256(b"the full content").hexdigest()

    with pytest.raises(ValueError, match="size"):
        blobs.adopt(tmp, sha, len(b"the full content"))

    assert not blobs.has(sha)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ab" * 31, "g" * 64, ""])
def test_names_that_are_not_sha256_are_refused(blobs: BlobStore, bad: str) -> None:
    with pytest.raises(ValueError):
        blobs.path(bad)


def test_verify_detects_a_changed_or_missing_blob(blobs: BlobStore) -> None:
    sha, _, _ = blobs.put_bytes(b"original")
    assert blobs.verify(sha)

    blobs.path(sha).write_bytes(b"tampered")
    assert not blobs.verify(sha)

    assert blobs.remove(sha) is True
    assert not blobs.verify(sha)
    assert blobs.remove(sha) is False


def test_opening_a_missing_blob_is_a_bilingual_store_error(blobs: BlobStore) -> None:
    sha = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(BlobMissingError) as info:
        blobs.open(sha)
    assert "缺失" in info.value.zh
    assert "missing" in info.value.en
    assert info.value.path == str(blobs.path(sha))


def test_concurrent_puts_of_the_same_content_create_it_once(blobs: BlobStore) -> None:
    data = os.urandom(300_000)
    results: list[tuple[str, int, bool]] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        results.append(blobs.put_bytes(data))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len({sha for sha, _, _ in results}) == 1
    assert sum(created for _, _, created in results) == 1
    assert blobs.verify(results[0][0])
    assert list((blobs.root / ".staging").iterdir()) == []


def test_clean_staging_removes_what_no_process_holds_and_keeps_what_one_does(blobs: BlobStore) -> None:
    staging = blobs.staging_dir()
    crashed = staging / "put-crashed.tmp"  # unlocked: its writer is gone, however young
    crashed.write_bytes(b"left by a crash")
    crashed_dir = staging / "bundle-crashed"
    crashed_dir.mkdir()
    (crashed_dir / "material.tmp").write_bytes(b"half extracted")
    being_set_up = staging / "new-bundle-just-made"  # between mkdtemp and flock: left for a minute
    being_set_up.mkdir()
    with blobs.staging_area() as live:
        (live.path / "material.tmp").write_bytes(b"being extracted")
        # Another process's cleaner: a child process, so the flock is really another's.
        code = (
            "import sys; from pathlib import Path; from zc_review.store.blobs import BlobStore; "
            "print(BlobStore(Path(sys.argv[1])).clean_staging())"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(blobs.root)], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "2", out.stderr
        assert live.path.is_dir() and (live.path / "material.tmp").exists()
    assert not live.path.exists()  # the area removes itself
    assert not crashed.exists() and not crashed_dir.exists()
    assert being_set_up.exists()
    old = time.time() - 2 * NEW_GRACE_S
    os.utime(being_set_up, (old, old))
    assert blobs.clean_staging() == 1
    assert list(staging.iterdir()) == []


def test_a_verified_stamp_makes_the_status_cheap_and_a_change_is_seen(blobs: BlobStore) -> None:
    data = os.urandom(50_000)
    sha, size, _ = blobs.put_bytes(data)
    assert blobs.status(sha, size, full=False) == "ok"  # stamped when stored: no read needed
    path = blobs.path(sha)
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, altered, new mtime
    assert blobs.status(sha, size, full=False) is None  # the stamp no longer vouches for it
    assert blobs.status(sha, size) == "damaged"
    path.write_bytes(data[:100])
    assert blobs.status(sha, size) == "damaged"  # wrong size: said without hashing
    path.unlink()
    assert blobs.status(sha, size) == "missing"
    blobs.put_bytes(data)
    assert blobs.status(sha, size) == "ok"
