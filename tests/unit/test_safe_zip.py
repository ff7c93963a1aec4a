"""Untrusted zips: whatever is inside, nothing escapes, nothing explodes, and the error says why."""

from __future__ import annotations

import hashlib
import io
import random
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.data import zips
from tests.data.zips import MiB, RawEntry, entry, make_zip, write_raw_zip
from zc_review import i18n
from zc_review.bundles.safe_zip import DEFAULT_LIMITS, SafeZip, ZipLimits, open_safe_zip
from zc_review.errors import BundleError


class CountingSink:
    """A destination that keeps only a count, so memory measurements see the reader alone."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return len(data)


def _rejection(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(BundleError) as info:
        open_safe_zip(path, limits).close()
    return str(info.value)


def _copy(zf: SafeZip, name: str) -> bytes:
    buf = io.BytesIO()
    (e,) = [e for e in zf.files() if e.name == name]
    zf.copy_to(e, buf)
    return buf.getvalue()


# -- good zips ------------------------------------------------------------------


def test_reads_entries_and_streams_with_hash(tmp_path: Path) -> None:
    content = {"申报材料/创建方案.pdf": zips.fake_pdf("方案") * 1000, "申报材料/照片.png": zips.fake_png()}
    for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        path = make_zip(tmp_path / f"ok{method}.zip", {"申报材料/": b"", **content}, method=method)
        with open_safe_zip(path) as zf:
            assert [(e.name, e.is_dir) for e in zf.entries] == [
                ("申报材料/", True),
                ("申报材料/创建方案.pdf", False),
                ("申报材料/照片.png", False),
            ]
            for e in zf.files():
                buf = io.BytesIO()
                sha, size = zf.copy_to(e, buf)
                assert buf.getvalue() == content[e.name]
                assert (sha, size) == (hashlib.sha256(content[e.name]).hexdigest(), len(content[e.name]))


def test_files_skips_junk_that_zipping_tools_add(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "junk.zip",
        {
            "材料/方案.pdf": b"a",
            "__MACOSX/材料/._方案.pdf": b"b",
            "材料/.DS_Store": b"c",
            "材料/Thumbs.db": b"d",
            "材料/desktop.ini": b"e",
            "材料/~$申报书.xlsx": b"f",
        },
    )
    with open_safe_zip(path) as zf:
        assert [e.name for e in zf.files()] == ["材料/方案.pdf"]
        assert len(zf.entries) == 6


def test_progress_reports_bytes_of_the_entry(tmp_path: Path) -> None:
    data = random.Random(1).randbytes(5 * MiB)  # several chunks
    path = make_zip(tmp_path / "big.zip", {"big.bin": data})
    calls: list[tuple[int, int]] = []
    with open_safe_zip(path) as zf:
        zf.copy_to(zf.files()[0], CountingSink(), progress=lambda d, t: calls.append((d, t)))
    assert len(calls) > 1
    assert calls[-1] == (len(data), len(data))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_small_highly_compressible_files_are_fine(tmp_path: Path) -> None:
    # 512 KiB of spaces compresses about 1000:1, but is too small to hurt anyone.
    path = make_zip(tmp_path / "text.zip", {"说明.txt": b" " * (512 * 1024)})
    with open_safe_zip(path) as zf:
        assert _copy(zf, "说明.txt") == b" " * (512 * 1024)


def test_reads_lzma_entries_and_zip64_headers(tmp_path: Path) -> None:
    path = tmp_path / "mixed.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("a.txt"), b"lzma " * 1000, compress_type=zipfile.ZIP_LZMA)
        info = zipfile.ZipInfo("b.pdf")
        with zf.open(info, "w", force_zip64=True) as out:  # as sealed bundles are written
            out.write(b"%PDF" * 1000)
    with open_safe_zip(path) as zf:
        assert _copy(zf, "a.txt") == b"lzma " * 1000
        assert _copy(zf, "b.pdf") == b"%PDF" * 1000


def test_tolerates_data_before_the_zip(tmp_path: Path) -> None:
    # Self-extracting archives put an executable stub before the zip.
    inner = make_zip(tmp_path / "inner.zip", {"方案.pdf": b"plan"})
    path = tmp_path / "sfx.zip"
    path.write_bytes(b"MZ" + bytes(5000) + inner.read_bytes())
    with open_safe_zip(path) as zf:
        assert _copy(zf, "方案.pdf") == b"plan"


# -- malicious zips: rejected up front, with the zip, the entry and the reason named ------------

MALICIOUS: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("traversal", zips.make_traversal_zip, ("附件/../../evil.txt", "“..”")),
    ("absolute", zips.make_absolute_zip, ("/etc/cron.d/evil", "绝对路径")),
    ("drive", zips.make_drive_zip, ("evil.dll", "盘符")),
    ("unc", zips.make_unc_zip, ("server/share/evil.txt", "UNC")),
    ("symlink", zips.make_symlink_zip, ("附件.pdf", "符号链接")),
    ("encrypted", zips.make_encrypted_zip, ("申报书.pdf", "加密")),
    ("overlap", zips.make_overlapping_zip, ("a.txt", "b.txt", "重叠")),
    ("shared-header", zips.make_shared_header_zip, ("a.txt", "b.txt", "重叠")),
    ("ratio-bomb", zips.make_ratio_bomb_zip, ("数据.bin", "压缩比", "压缩炸弹")),
    ("many", zips.make_many_entries_zip, ("5001", "条目过多")),
    ("duplicate-case", zips.make_duplicate_zip, ("附件/方案.pdf", "附件/方案.PDF", "重名")),
]


@pytest.mark.parametrize(("label", "build", "expected"), MALICIOUS, ids=[m[0] for m in MALICIOUS])
def test_malicious_zip_is_rejected_naming_zip_and_entry(
    tmp_path: Path, label: str, build: Callable[[Path], Path], expected: tuple[str, ...]
) -> None:
    path = build(tmp_path / f"{label}-县.zip")
    message = _rejection(path)
    assert message.startswith(f"{label}-县.zip：")
    for fragment in expected:
        assert fragment in message


def test_backslash_traversal_in_a_gbk_name_is_caught_after_decoding(tmp_path: Path) -> None:
    path = zips.make_evil_name_zip(tmp_path / "z.zip", "運營\\..\\..\\evil.txt", encoding="gbk")
    assert "運營/../../evil.txt" in _rejection(path)


def test_exact_duplicates_and_file_folder_clashes(tmp_path: Path) -> None:
    dup = write_raw_zip(tmp_path / "dup.zip", [entry("a.pdf", b"1"), entry("a.pdf", b"2")])
    assert "重名" in _rejection(dup)
    clash = make_zip(tmp_path / "clash.zip", {"材料": b"1", "材料/方案.pdf": b"2"})
    assert "既是文件又是文件夹" in _rejection(clash)


def test_control_characters_in_names(tmp_path: Path) -> None:
    nul = write_raw_zip(tmp_path / "nul.zip", [RawEntry(b"plan.pdf\x00.exe", b"x")])
    assert "控制字符" in _rejection(nul)


def test_unsupported_compression_method(tmp_path: Path) -> None:
    path = write_raw_zip(tmp_path / "d64.zip", [RawEntry(b"a.pdf", b"x", method=9, payload=b"x")])
    assert "不支持的压缩方式" in _rejection(path)


def test_declared_sizes_over_limits(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "sizes.zip", {"a.bin": bytes(range(256)) * 8, "b.bin": bytes(range(256)) * 8})
    assert "a.bin" in _rejection(path, ZipLimits(max_entry_bytes=1000))
    assert "超过上限" in _rejection(path, ZipLimits(max_total_bytes=3000))
    assert "条目过多" in _rejection(path, ZipLimits(max_entries=1))


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"just some text, not a zip", "不是有效的 ZIP"), (b"Rar!\x1a\x07\x01\x00" + bytes(100), "RAR")],
)
def test_not_a_zip(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "县.zip"
    path.write_bytes(content)
    assert why in _rejection(path)


def test_truncated_zip(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "cut.zip", {"a.pdf": bytes(range(256)) * 100})
    path.write_bytes(path.read_bytes()[:-30])
    assert "cut.zip" in _rejection(path)


def test_english_messages(tmp_path: Path) -> None:
    i18n.set_language("en")
    message = _rejection(zips.make_symlink_zip(tmp_path / "link.zip"))
    assert message.startswith("link.zip: ")
    assert "symbolic link" in message


# -- while streaming ----------------------------------------------------------------


def test_lying_header_bomb_stops_at_declared_size_with_flat_memory(tmp_path: Path) -> None:
    # Headers say 1 MiB at a ratio of about 1; the data inflates to 1 GiB.
    path = zips.make_lying_bomb_zip(tmp_path / "bomb.zip", expands_to_mib=1024, declared=MiB)
    sink = CountingSink()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with open_safe_zip(path) as zf, pytest.raises(BundleError) as info:
            zf.copy_to(zf.files()[0], sink)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 20 * MiB
    assert sink.written <= MiB
    message = str(info.value)
    assert message.startswith("bomb.zip：")
    assert "创建方案.pdf" in message and "多于声明" in message


def test_running_total_is_enforced_while_reading(tmp_path: Path) -> None:
    data = random.Random(2).randbytes(2 * MiB)
    path = make_zip(tmp_path / "twice.zip", {"a.bin": data})
    with open_safe_zip(path, ZipLimits(max_total_bytes=3 * MiB)) as zf:
        zf.copy_to(zf.files()[0], CountingSink())
        with pytest.raises(BundleError, match="上限"):
            zf.copy_to(zf.files()[0], CountingSink())


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_crc_error(tmp_path: Path, method: int) -> None:
    path = zips.make_crc_error_zip(tmp_path / "crc.zip", method)
    with open_safe_zip(path) as zf, pytest.raises(BundleError) as info:
        zf.copy_to(zf.files()[0], io.BytesIO())
    assert "crc.zip" in str(info.value) and "附件.txt" in str(info.value) and "CRC" in str(info.value)


def test_truncated_deflate_stream(tmp_path: Path) -> None:
    data = bytes(range(256)) * 400
    full = RawEntry(b"a.bin", data).compressed()
    path = write_raw_zip(tmp_path / "short.zip", [RawEntry(b"a.bin", data, payload=full[: len(full) // 2])])
    with open_safe_zip(path) as zf, pytest.raises(BundleError, match=r"不完整|有误"):
        zf.copy_to(zf.files()[0], io.BytesIO())


@pytest.mark.parametrize("size", [2 * MiB, 2 * MiB + 1, 3 * MiB - 1])
def test_output_pending_at_a_chunk_boundary_is_not_lost(tmp_path: Path, size: int) -> None:
    # With zeros of 2 MiB + 1, zlib has all the input but still holds output when a chunk fills.
    path = make_zip(tmp_path / "zeros.zip", {"zeros.bin": bytes(size)})
    with open_safe_zip(path, ZipLimits(max_ratio=10_000)) as zf:
        sink = CountingSink()
        sha, written = zf.copy_to(zf.files()[0], sink)
    assert (sha, written, sink.written) == (hashlib.sha256(bytes(size)).hexdigest(), size, size)


def test_bidi_override_in_a_name_is_refused(tmp_path: Path) -> None:
    from tests.data.zips import make_zip

    path = make_zip(tmp_path / "b.zip", {"南京/附件9-\u202efdp.exe": b"%PDF-1.4"})
    with pytest.raises(BundleError) as info:
        open_safe_zip(path).close()
    assert "b.zip" in str(info.value) and "格式字符" in str(info.value)
