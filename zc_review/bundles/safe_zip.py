"""Read untrusted zip files without letting them harm the machine.

:func:`open_safe_zip` checks the whole central directory and every local file
header before anything is read: names that would escape a folder, symlinks,
encryption, overlapping entries (the "better zip bomb" of David Fifield),
duplicate names, and sizes or compression ratios over :class:`ZipLimits`.
:meth:`SafeZip.copy_to` then streams one entry in bounded chunks and enforces
the same limits on the bytes actually produced, so a header that lies about the
size cannot make it expand more than declared. Memory stays flat.

Entry names are never used as paths here; callers choose their own file names.
"""

from __future__ import annotations

import hashlib
import itertools
import lzma
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import BinaryIO, Protocol

from zc_review.bundles.zip_names import NameEncoding, archive_name_encoding, decode_entry_name, raw_name
from zc_review.errors import BundleError

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

_CHUNK_IN = 256 * KiB  # compressed bytes read at a time
_CHUNK_OUT = 1 * MiB  # most decompressed bytes held at a time

_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
# Reading the central directory costs memory per entry; a directory larger
# than this many bytes per allowed entry is refused before it is parsed.
_CENTRAL_BYTES_PER_ENTRY = 4 * KiB

_SUPPORTED_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}

_JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_DRIVE = re.compile(r"^[A-Za-z]:")

ProgressFn = Callable[[int, int], None]


class Writable(Protocol):
    """Where :meth:`SafeZip.copy_to` writes: a binary file, ``BytesIO``, or anything with ``write``."""

    def write(self, data: bytes, /) -> object: ...


@dataclass(frozen=True)
class ZipLimits:
    """How much a zip may hold and expand to.

    ``max_ratio`` (uncompressed / compressed, per entry) only applies to
    entries larger than ``ratio_floor_bytes``: small text files legitimately
    compress a thousandfold, and cannot hurt.
    """

    max_entries: int = 5000
    max_total_bytes: int = 4 * GiB
    max_entry_bytes: int = 1 * GiB
    max_ratio: float = 200
    ratio_floor_bytes: int = 1 * MiB


DEFAULT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class SafeEntry:
    """One checked entry: ``name`` is the decoded posix path inside the zip (dirs end with ``/``)."""

    name: str
    is_dir: bool
    size: int
    compressed_size: int
    info: zipfile.ZipInfo = field(repr=False, compare=False)
    data_offset: int = field(default=0, repr=False, compare=False)

    @property
    def basename(self) -> str:
        """The last path component."""
        return PurePosixPath(self.name).name

    @property
    def is_junk(self) -> bool:
        """Files tools add on their own: macOS resource forks, Finder/Explorer metadata, Office locks."""
        parts = self.name.rstrip("/").split("/")
        base = parts[-1]
        return (
            any(p.casefold() == "__macosx" for p in parts)
            or base.casefold() in _JUNK_NAMES
            or base.startswith(("._", "~$"))
        )


def _show(name: str) -> str:
    """A name safe to print: control characters made visible."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in name)


class SafeZip:
    """A validated zip, open for streaming its entries. Use :func:`open_safe_zip`."""

    def __init__(self, path: Path, limits: ZipLimits) -> None:
        self.path = path
        self.limits = limits
        self.entries: list[SafeEntry] = []
        # How the unflagged names were decoded: decided once for the whole archive.
        self.name_encoding = NameEncoding("utf-8", "not read yet")
        self.total_read = 0  # decompressed bytes produced by copy_to so far
        try:
            self._fh: BinaryIO = path.open("rb")
        except OSError as exc:
            raise self._error(
                f"无法打开压缩包（{exc.strerror or exc}）。请确认文件存在且未被其他程序占用。",
                f"Cannot open the zip ({exc.strerror or exc}). Check that it exists and is not in use.",
            ) from exc
        try:
            self._zf = self._open_central_directory()
            self.entries = self._check_entries(self._zf.infolist())
            self._check_layout()
        except BaseException:
            self.close()
            raise

    # -- public API -------------------------------------------------------

    def files(self) -> list[SafeEntry]:
        """The regular files, without directories and without junk (__MACOSX/, .DS_Store, ...)."""
        return [e for e in self.entries if not e.is_dir and not e.is_junk]

    def copy_to(
        self, entry: SafeEntry, dest: Writable, progress: ProgressFn | None = None
    ) -> tuple[str, int]:
        """Stream one entry into ``dest``; return ``(sha256 hex, size)``.

        Raises :class:`BundleError` as soon as the output would exceed the
        declared size, the per-entry or total limit, or the ratio limit, and on
        CRC or format errors. ``progress(done, entry.size)`` is called per chunk.
        What was written to ``dest`` before an error is the caller's to discard.
        """
        if entry.is_dir:
            raise ValueError(f"{entry.name} is a directory")
        sink = _Sink(self, entry, dest, progress)
        if entry.info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            self._stream_raw(entry, sink)
        else:
            self._stream_zipfile(entry, sink)
        if sink.size != entry.size:
            raise self._corrupt(
                entry, "解压后的大小与声明不符", "the decompressed size differs from the header"
            )
        if sink.crc != entry.info.CRC:
            raise self._corrupt(entry, "CRC 校验失败", "CRC check failed")
        self.total_read += sink.size
        return sink.sha256.hexdigest(), sink.size

    def close(self) -> None:
        """Close the underlying file."""
        zf = getattr(self, "_zf", None)
        if zf is not None:
            zf.close()
        self._fh.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- errors -----------------------------------------------------------

    def _error(self, zh: str, en: str) -> BundleError:
        return BundleError(zh, en, self.path)

    def _corrupt(self, entry: SafeEntry, zh_why: str, en_why: str) -> BundleError:
        return self._error(
            f"压缩包已损坏：条目“{_show(entry.name)}”{zh_why}。请重新压缩后再报送。",
            f"The zip is damaged: entry “{_show(entry.name)}”: {en_why}. Please zip the files again.",
        )

    def _rejected(self, name: str, zh_why: str, en_why: str) -> BundleError:
        return self._error(
            f"压缩包中的条目“{_show(name)}”{zh_why}，出于安全考虑已拒绝。请只压缩申报书和附件本身后重新报送。",
            f"Entry “{_show(name)}” {en_why}; refused for safety. Zip only the workbook and its "
            "attachments and submit again.",
        )

    # -- validation -------------------------------------------------------

    def _open_central_directory(self) -> zipfile.ZipFile:
        head = self._fh.read(8)
        self._fh.seek(0)
        if head.startswith((b"Rar!", b"7z\xbc\xaf")):
            raise self._error(
                "这是 RAR 或 7z 压缩包，不是 ZIP。请用“压缩为 ZIP 文件”重新压缩。",
                "This is a RAR or 7z archive, not a zip. Please compress it as a ZIP file.",
            )
        end_record = getattr(zipfile, "_EndRecData", None)
        if end_record is not None:
            try:
                endrec = end_record(self._fh)
            except (OSError, struct.error):
                endrec = None
            if endrec is None:
                raise self._not_a_zip()
            count, cd_size = endrec[4], endrec[5]
            if count > self.limits.max_entries or (
                cd_size > self.limits.max_entries * _CENTRAL_BYTES_PER_ENTRY
            ):
                raise self._too_many(count)
        try:
            return zipfile.ZipFile(self._fh)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error) as exc:
            # UnicodeDecodeError (a flagged name that is not UTF-8) is a ValueError.
            raise self._not_a_zip() from exc
        except NotImplementedError as exc:
            raise self._error(
                "压缩包使用了不支持的 ZIP 版本。请用标准 ZIP 格式重新压缩。",
                "The zip uses an unsupported ZIP version. Please compress it as a standard ZIP.",
            ) from exc

    def _not_a_zip(self) -> BundleError:
        return self._error(
            "不是有效的 ZIP 压缩包，或文件已损坏。请重新压缩后再报送。",
            "Not a valid zip file, or the file is damaged. Please zip the files again.",
        )

    def _too_many(self, count: int) -> BundleError:
        return self._error(
            f"压缩包中的条目过多（{count} 个，上限 {self.limits.max_entries} 个）。",
            f"The zip holds too many entries ({count}, at most {self.limits.max_entries}).",
        )

    def _check_entries(self, infos: list[zipfile.ZipInfo]) -> list[SafeEntry]:
        lim = self.limits
        if len(infos) > lim.max_entries:
            raise self._too_many(len(infos))
        entries: list[SafeEntry] = []
        total = 0
        self.name_encoding = archive_name_encoding(infos)
        for info in infos:
            decoded = decode_entry_name(info, self.name_encoding.encoding)
            why = _unsafe_name(decoded)
            if why is not None:
                raise self._rejected(decoded, *why)
            name, is_dir = _clean(decoded)
            if not name:
                if is_dir:
                    continue  # a "./" entry: nothing to extract
                raise self._rejected(decoded, "文件名为空", "has an empty name")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise self._rejected(name, "是符号链接", "is a symbolic link")
            if info.flag_bits & 0x1:
                raise self._error(
                    f"压缩包中的条目“{_show(name)}”已加密（设置了密码）。请不加密码重新压缩。",
                    f"Entry “{_show(name)}” is encrypted (password protected). "
                    "Please zip without a password.",
                )
            if info.compress_type not in _SUPPORTED_METHODS:
                raise self._error(
                    f"压缩包中的条目“{_show(name)}”使用了不支持的压缩方式（{info.compress_type}）。"
                    "请用标准 ZIP（Deflate）格式重新压缩。",
                    f"Entry “{_show(name)}” uses an unsupported compression method ({info.compress_type}). "
                    "Please compress with standard ZIP (Deflate).",
                )
            entry = SafeEntry(name, is_dir, info.file_size, info.compress_size, info)
            self._check_declared_size(entry)
            total += entry.size
            entries.append(entry)
        if total > lim.max_total_bytes:
            raise self._error(
                f"压缩包解压后共 {_human(total)}，超过上限 {_human(lim.max_total_bytes)}。",
                f"The zip expands to {_human(total)}, over the limit of {_human(lim.max_total_bytes)}.",
            )
        self._check_duplicates(entries)
        return entries

    def _check_declared_size(self, entry: SafeEntry) -> None:
        lim = self.limits
        if entry.info.compress_type == zipfile.ZIP_STORED and entry.size != entry.compressed_size:
            raise self._corrupt(entry, "的大小记录自相矛盾", "declares inconsistent sizes")
        if entry.size > lim.max_entry_bytes:
            raise self._error(
                f"压缩包中的文件“{_show(entry.name)}”解压后有 {_human(entry.size)}，"
                f"超过单个文件上限 {_human(lim.max_entry_bytes)}。",
                f"“{_show(entry.name)}” expands to {_human(entry.size)}, over the per-file limit of "
                f"{_human(lim.max_entry_bytes)}.",
            )
        if entry.size > lim.ratio_floor_bytes and entry.size > lim.max_ratio * entry.compressed_size:
            raise self._bomb(entry)

    def _bomb(self, entry: SafeEntry) -> BundleError:
        return self._error(
            f"压缩包中的文件“{_show(entry.name)}”压缩比异常（超过 {self.limits.max_ratio:g} 倍），"
            "疑似“压缩炸弹”，已拒绝。",
            f"“{_show(entry.name)}” has an abnormal compression ratio (over {self.limits.max_ratio:g}x) "
            "and looks like a zip bomb; refused.",
        )

    def _check_duplicates(self, entries: list[SafeEntry]) -> None:
        # Case-insensitive, as Windows and macOS file systems would clash.
        files: dict[str, str] = {}
        dirs: set[str] = set()
        for e in entries:
            key = e.name.rstrip("/").casefold()
            parents = key.split("/")[:-1]
            dirs.update("/".join(parents[: i + 1]) for i in range(len(parents)))
            if e.is_dir:
                dirs.add(key)
            elif key in files:
                raise self._error(
                    f"压缩包中有重名文件“{_show(files[key])}”和“{_show(e.name)}”"
                    "（不区分大小写时同名）。请改名后重新压缩。",
                    f"The zip holds two files named “{_show(files[key])}” and “{_show(e.name)}” "
                    "(the same name ignoring case). Rename one and zip again.",
                )
            else:
                files[key] = e.name
        for key in files.keys() & dirs:
            raise self._error(
                f"压缩包中的“{_show(files[key])}”既是文件又是文件夹。请改名后重新压缩。",
                f"“{_show(files[key])}” is both a file and a folder in the zip. Rename one and zip again.",
            )

    def _check_layout(self) -> None:
        """Read each local header; entries must not overlap each other or the central directory."""
        end_of_data = int(getattr(self._zf, "start_dir", 0)) or self._fh.seek(0, 2)
        located = [self._read_local_header(entry, end_of_data) for entry in self.entries]
        self.entries = [e for e, _ in located]
        spans = sorted(
            ((e.info.header_offset, e.data_offset + e.compressed_size, e) for e in self.entries),
            key=lambda span: span[0],
        )
        for (_, end, first), (start, _, second) in itertools.pairwise(spans):
            if end > start:
                raise self._error(
                    f"压缩包中的条目“{_show(first.name)}”与“{_show(second.name)}”的数据相互重叠，"
                    "这是“压缩炸弹”的手法，已拒绝。",
                    f"Entries “{_show(first.name)}” and “{_show(second.name)}” overlap, a zip-bomb "
                    "technique; refused.",
                )
        # Checked after overlaps: an overlapping record usually also points at a foreign header.
        for e, consistent in located:
            if not consistent:
                raise self._corrupt(e, "的文件头与目录不一致", "has a local header unlike the directory")

    def _read_local_header(self, entry: SafeEntry, end_of_data: int) -> tuple[SafeEntry, bool]:
        """The entry with its data offset, and whether the local header agrees with the directory."""
        info = entry.info
        self._fh.seek(info.header_offset)
        head = self._fh.read(_LOCAL_HEADER.size)
        if len(head) != _LOCAL_HEADER.size or not head.startswith(_LOCAL_SIGNATURE):
            raise self._corrupt(entry, "的文件头缺失", "has no local header")
        fields = _LOCAL_HEADER.unpack(head)
        method, name_len, extra_len = fields[3], fields[9], fields[10]
        consistent = self._fh.read(name_len) == raw_name(info) and method == info.compress_type
        data_offset = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
        if data_offset + entry.compressed_size > end_of_data:
            raise self._corrupt(entry, "的数据超出了文件范围", "extends past the end of the data")
        located = SafeEntry(entry.name, entry.is_dir, entry.size, entry.compressed_size, info, data_offset)
        return located, consistent

    # -- streaming --------------------------------------------------------

    def _stream_raw(self, entry: SafeEntry, sink: _Sink) -> None:
        """Stored and deflate entries: read the compressed bytes ourselves, so nothing is trusted."""
        inflater = zlib.decompressobj(-15) if entry.info.compress_type == zipfile.ZIP_DEFLATED else None
        remaining = entry.compressed_size
        pos = entry.data_offset
        while remaining > 0 and not (inflater is not None and inflater.eof):
            self._fh.seek(pos)
            buf = self._fh.read(min(_CHUNK_IN, remaining))
            if not buf:
                raise self._corrupt(entry, "的数据被截断", "is truncated")
            pos += len(buf)
            remaining -= len(buf)
            if inflater is None:
                sink.write(buf)
                continue
            while True:
                try:
                    piece = inflater.decompress(buf, _CHUNK_OUT)
                except zlib.error as exc:
                    raise self._corrupt(entry, "的压缩数据有误", "has invalid compressed data") from exc
                sink.write(piece)
                buf = inflater.unconsumed_tail
                # A full chunk may leave output pending inside zlib even with no input left.
                if inflater.eof or (not buf and len(piece) < _CHUNK_OUT):
                    break
        if inflater is not None and not inflater.eof:
            raise self._corrupt(entry, "的压缩数据不完整", "has incomplete compressed data")

    def _stream_zipfile(self, entry: SafeEntry, sink: _Sink) -> None:
        """bzip2 and LZMA entries: :mod:`zipfile` decodes them and never yields more than declared."""
        errors = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError)
        try:
            src = self._zf.open(entry.info)
        except errors as exc:
            raise self._corrupt(entry, "无法读取", "cannot be read") from exc
        with src:
            while True:
                try:
                    piece = src.read(_CHUNK_OUT)
                except errors as exc:
                    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
                        raise self._corrupt(entry, "CRC 校验失败", "CRC check failed") from exc
                    raise self._corrupt(entry, "的压缩数据有误", "has invalid compressed data") from exc
                if not piece:
                    break
                sink.write(piece)


class _Sink:
    """Counts, hashes and limits the decompressed bytes of one entry before passing them on."""

    def __init__(self, owner: SafeZip, entry: SafeEntry, dest: Writable, progress: ProgressFn | None) -> None:
        self.owner = owner
        self.entry = entry
        self.dest = dest
        self.progress = progress
        self.size = 0
        self.crc = 0
        self.sha256 = hashlib.sha256()
        lim = owner.limits
        # The ratio ceiling is exact: at most compressed_size bytes are ever consumed.
        self.ratio_ceiling = max(lim.ratio_floor_bytes, lim.max_ratio * entry.compressed_size)

    def write(self, piece: bytes) -> None:
        if not piece:
            return
        owner, entry, lim = self.owner, self.entry, self.owner.limits
        size = self.size + len(piece)
        if size > entry.size:
            raise owner._error(
                f"压缩包中的文件“{_show(entry.name)}”实际解压出的数据多于声明的 {_human(entry.size)}，"
                "文件头被篡改或疑似“压缩炸弹”，已停止解压。",
                f"“{_show(entry.name)}” expands to more than its declared {_human(entry.size)}; the header "
                "lies or this is a zip bomb. Extraction stopped.",
            )
        if size > lim.max_entry_bytes or owner.total_read + size > lim.max_total_bytes:
            raise owner._error(
                f"解压“{_show(entry.name)}”时超过了大小上限，已停止解压。",
                f"Extracting “{_show(entry.name)}” exceeded the size limit; extraction stopped.",
            )
        if size > self.ratio_ceiling:
            raise owner._bomb(entry)
        self.size = size
        self.crc = zlib.crc32(piece, self.crc)
        self.sha256.update(piece)
        self.dest.write(piece)
        if self.progress is not None:
            self.progress(size, entry.size)


def _unsafe_name(name: str) -> tuple[str, str] | None:
    """Why a decoded name must not be accepted (Chinese, English), or ``None``."""
    if any(ord(c) < 32 or ord(c) == 0x7F for c in name):
        return "的文件名含有控制字符", "has control characters in its name"
    # Bidi overrides and other invisible format characters disguise names ("…\u202efdp.exe" shows as "…exe.pdf").
    if any(unicodedata.category(c) in ("Cf", "Cc", "Co", "Cs") for c in name):
        return (
            "的文件名含有不可见的格式字符（可能用于伪装文件类型）",
            "has invisible format characters in its name",
        )
    if name.startswith("//"):
        return "指向网络共享路径（UNC）", "points to a network share (UNC path)"
    if name.startswith("/"):
        return "使用了绝对路径", "has an absolute path"
    if _DRIVE.match(name):
        return "带有盘符（如 C:）", "has a drive letter (such as C:)"
    if ".." in name.split("/"):
        return (
            "试图写到解压目录之外（路径含“..”）",
            "tries to escape the folder (“..” in its path)",
        )
    return None


def _clean(name: str) -> tuple[str, bool]:
    """Drop empty and "." components; return the name and whether it is a directory."""
    is_dir = name.endswith("/")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    joined = "/".join(parts)
    return (joined + "/" if is_dir and joined else joined), is_dir


def _human(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def open_safe_zip(path: str | Path, limits: ZipLimits = DEFAULT_LIMITS) -> SafeZip:
    """Open and validate an untrusted zip; raise :class:`BundleError` naming the zip and the entry.

    Use as a context manager: ``with open_safe_zip(p) as zf: ...``.
    """
    return SafeZip(Path(path), limits)
