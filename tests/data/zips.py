"""Builders of good and malicious zip files, written byte by byte.

:mod:`zipfile` always writes non-ASCII names as flagged UTF-8 and always tells
the truth about sizes, so it cannot produce what Chinese Windows, macOS Finder
or an attacker produce. :func:`write_raw_zip` writes local headers, central
directory and end record directly, with every field under the caller's control.
"""

from __future__ import annotations

import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

NameEncoding = Literal["utf-8", "utf-8-noflag", "gbk"]

UTF8_FLAG = 0x800
# "Version made by" host bytes: what Explorer/WinRAR on Windows and Finder/Info-ZIP on macOS/Linux write.
HOST_MSDOS, HOST_UNIX, HOST_MACOS = 0, 3, 19
MiB = 1024 * 1024
GiB = 1024 * MiB

_LOCAL = struct.Struct("<4s5H3I2H")
_CENTRAL = struct.Struct("<4s6H3I5H2I")
_END = struct.Struct("<4s4H2IH")
_DOS_TIME, _DOS_DATE = 0, (2016 - 1980) << 9 | 12 << 5 | 21  # 2016-12-21 00:00


@dataclass
class RawEntry:
    """One entry as it will be written; ``None`` fields are computed from ``data``."""

    name: bytes
    data: bytes = b""
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0
    external_attr: int = (stat.S_IFREG | 0o644) << 16
    create_system: int = 3  # unix
    payload: bytes | None = None  # the compressed bytes, instead of compressing ``data``
    file_size: int | None = None  # declared uncompressed size (both headers)
    crc: int | None = None
    extra: bytes = b""
    header_offset: int | None = None  # central record points here instead of at its own header
    write_local: bool = True  # False: a central record only (pointing into another entry)

    def compressed(self) -> bytes:
        if self.payload is not None:
            return self.payload
        if self.method == zipfile.ZIP_STORED:
            return self.data
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return c.compress(self.data) + c.flush()


def default_host(encoding: NameEncoding) -> int:
    """The host byte the usual tool for ``encoding`` writes: GBK names come from Windows."""
    return HOST_MSDOS if encoding == "gbk" else HOST_UNIX


def encode_name(name: str, encoding: NameEncoding) -> tuple[bytes, int]:
    """Name bytes and flag bits as the given kind of zipping tool writes them."""
    if encoding == "utf-8":
        return name.encode("utf-8"), UTF8_FLAG
    if encoding == "utf-8-noflag":
        return name.encode("utf-8"), 0
    return name.encode("gbk"), 0


def local_header_bytes(e: RawEntry, payload: bytes) -> bytes:
    """The local file header (and name and extra) of ``e``."""
    size = len(e.data) if e.file_size is None else e.file_size
    crc = zlib.crc32(e.data) if e.crc is None else e.crc
    head = _LOCAL.pack(
        b"PK\x03\x04", 20, e.flags, e.method, _DOS_TIME, _DOS_DATE, crc, len(payload), size,
        len(e.name), len(e.extra),
    )  # fmt: skip
    return head + e.name + e.extra


def write_raw_zip(path: Path, entries: list[RawEntry], comment: bytes = b"") -> Path:
    """Write ``entries`` as a zip at ``path``, exactly as described."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = bytearray()
    offsets: list[int] = []
    payloads: list[bytes] = []
    for e in entries:
        payload = e.compressed()
        payloads.append(payload)
        offsets.append(len(body))
        if e.write_local:
            body += local_header_bytes(e, payload) + payload
    central = bytearray()
    for e, payload, own_offset in zip(entries, payloads, offsets, strict=True):
        size = len(e.data) if e.file_size is None else e.file_size
        crc = zlib.crc32(e.data) if e.crc is None else e.crc
        offset = own_offset if e.header_offset is None else e.header_offset
        central += _CENTRAL.pack(
            b"PK\x01\x02", e.create_system << 8 | 20, 20, e.flags, e.method, _DOS_TIME, _DOS_DATE,
            crc, len(payload), size, len(e.name), len(e.extra), 0, 0, 0, e.external_attr, offset,
        )  # fmt: skip
        central += e.name + e.extra
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), len(comment))
    path.write_bytes(bytes(body) + bytes(central) + end + comment)
    return path


def entry(
    name: str,
    data: bytes = b"",
    encoding: NameEncoding = "utf-8",
    *,
    method: int = zipfile.ZIP_DEFLATED,
    flags: int = 0,
    external_attr: int | None = None,
    payload: bytes | None = None,
    crc: int | None = None,
    host: int | None = None,
    extra: bytes = b"",
) -> RawEntry:
    """A :class:`RawEntry` for a text name; directories (names ending in / or \\) get a dir mode.

    ``host`` is the "version made by" host byte, by default the one of the usual tool for ``encoding``.
    """
    raw, flag = encode_name(name, encoding)
    if external_attr is None:
        is_dir = name.endswith(("/", "\\"))
        external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10 if is_dir else (stat.S_IFREG | 0o644) << 16
    return RawEntry(
        raw,
        data,
        method=method,
        flags=flag | flags,
        external_attr=external_attr,
        create_system=default_host(encoding) if host is None else host,
        payload=payload,
        crc=crc,
        extra=extra,
    )


def make_zip(
    path: Path,
    entries: dict[str, bytes],
    name_encoding: NameEncoding = "utf-8",
    method: int = zipfile.ZIP_DEFLATED,
    host: int | None = None,
) -> Path:
    """A well-formed zip; ``name_encoding`` picks how names are written.

    ``"utf-8"`` sets flag bit 11 (7-Zip, Windows 11), ``"utf-8-noflag"`` writes
    UTF-8 bytes without it (macOS Finder), ``"gbk"`` writes GBK bytes without it
    (Explorer and WinRAR on Chinese Windows). Names are written as given, so a
    name with ``\\`` separators keeps them. ``host`` overrides the "version made
    by" host byte (by default MS-DOS for GBK, Unix otherwise).
    """
    return write_raw_zip(
        path,
        [entry(name, data, name_encoding, method=method, host=host) for name, data in entries.items()],
    )


def unicode_path_field(name: str, header_bytes: bytes) -> bytes:
    """An Info-ZIP Unicode Path extra field (0x7075) giving ``name`` for an entry stored as ``header_bytes``."""
    field = struct.pack("<BI", 1, zlib.crc32(header_bytes)) + name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(field)) + field


@cache
def gbk_utf8_lookalikes() -> str:
    """Common hanzi (GB2312 level 1) whose two GBK bytes are also one valid UTF-8 character.

    图 is CD BC (U+037C ͼ as UTF-8) and 纸 is D6 BD (U+05BD): a name made only of
    these, written by Chinese Windows, is valid UTF-8 too. Found by search rather
    than listed, keeping only those whose UTF-8 reading is a visible character (so
    a wrong reading is not caught by the control-character check instead).
    """
    found = []
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            raw = bytes((lead, trail))
            try:
                hanzi, other = raw.decode("gb2312"), raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if other.isprintable() and unicodedata.category(other) not in ("Cf", "Cn", "Co"):
                found.append(hanzi)
    return "".join(found)


@cache
def gbk_latin_lookalikes() -> str:
    """Hanzi outside GB2312 (GBK only, mostly traditional forms) whose GBK bytes are a UTF-8 Latin letter.

    脩 is C3 91, which as UTF-8 is Ñ. Both readings are rare characters, so a name
    made of these cannot be told apart on its own: only the archive's other names can.
    """
    found = []
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            raw = bytes((lead, trail))
            try:
                hanzi, other = raw.decode("gbk"), raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            try:
                hanzi.encode("gb2312")
                continue
            except UnicodeEncodeError:
                pass
            if unicodedata.category(hanzi) == "Lo" and 0xC0 <= ord(other) <= 0x24F and other.isalpha():
                found.append(hanzi)
    return "".join(found)


def lookalike_name(index: int, length: int = 4, suffix: str = ".pdf") -> str:
    """A distinct file name of ``length`` hanzi from :func:`gbk_utf8_lookalikes`, valid in GBK and UTF-8."""
    chars = gbk_utf8_lookalikes()
    picked = "".join(chars[(index * length + i) % len(chars)] for i in range(length))
    return picked + suffix


# -- small plausible attachments --------------------------------------------


def fake_pdf(text: str = "附件") -> bytes:
    """Bytes that start and end like a PDF (enough for media-type and hash tests)."""
    return b"%PDF-1.4\n% " + text.encode("utf-8") + b"\n%%EOF\n"


def fake_png() -> bytes:
    """A PNG signature followed by a few bytes."""
    return b"\x89PNG\r\n\x1a\n" + bytes(range(32))


# -- malicious zips -------------------------------------------------------------


def make_evil_name_zip(path: Path, evil_name: str, encoding: NameEncoding = "utf-8") -> Path:
    """A harmless file plus one entry named ``evil_name`` (traversal, absolute, drive, UNC...)."""
    return write_raw_zip(path, [entry("说明.txt", b"ok"), entry(evil_name, b"owned", encoding)])


def make_traversal_zip(path: Path) -> Path:
    """An entry that climbs out of the extraction folder."""
    return make_evil_name_zip(path, "附件/../../evil.txt")


def make_absolute_zip(path: Path) -> Path:
    """An entry with an absolute posix path."""
    return make_evil_name_zip(path, "/etc/cron.d/evil")


def make_drive_zip(path: Path) -> Path:
    """An entry with a Windows drive letter."""
    return make_evil_name_zip(path, "C:\\Windows\\evil.dll")


def make_unc_zip(path: Path) -> Path:
    """An entry naming a Windows network share."""
    return make_evil_name_zip(path, "\\\\server\\share\\evil.txt")


def make_symlink_zip(path: Path, target: str = "/etc/passwd") -> Path:
    """A unix symlink entry (mode S_IFLNK in the high 16 bits of external_attr)."""
    return write_raw_zip(
        path,
        [
            entry("说明.txt", b"ok"),
            entry("附件.pdf", target.encode(), external_attr=(stat.S_IFLNK | 0o777) << 16),
        ],
    )


def make_encrypted_zip(path: Path) -> Path:
    """An entry with the encryption flag (bit 0) set and ZipCrypto-looking bytes."""
    return write_raw_zip(
        path,
        [
            entry(
                "申报书.pdf", b"", method=zipfile.ZIP_STORED, flags=0x1, payload=bytes(range(12)) + b"x" * 20
            )
        ],
    )


def make_overlapping_zip(path: Path) -> Path:
    """Entry A's data contains entry B's whole local header and data (Fifield's overlap).

    Every header is valid and every CRC right; only the layout betrays it.
    """
    inner = RawEntry(b"b.txt", b"B" * 100)
    inner_bytes = local_header_bytes(inner, inner.compressed()) + inner.compressed()
    outer = RawEntry(b"a.txt", inner_bytes, method=zipfile.ZIP_STORED)
    outer_header = len(local_header_bytes(outer, inner_bytes))
    inner.header_offset = outer_header  # B's central record points inside A's data
    inner.write_local = False
    return write_raw_zip(path, [outer, inner])


def make_shared_header_zip(path: Path) -> Path:
    """Two central records pointing at one local header (the fully overlapping variant)."""
    first = RawEntry(b"a.txt", b"A" * 100)
    second = RawEntry(b"b.txt", b"A" * 100, header_offset=0, write_local=False)
    return write_raw_zip(path, [first, second])


@cache
def deflate_zeros(n_mib: int) -> bytes:
    """A raw deflate stream of ``n_mib`` MiB of zeros, about 1 KB per MiB, built in milliseconds.

    After a full flush the compressor starts afresh, so one compressed MiB can be
    repeated instead of compressing the whole gigabyte.
    """
    zeros = bytes(MiB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(zeros)
    c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)  # steady state, repeatable
    return block * n_mib + b"\x03\x00"  # an empty final block ends the stream


def make_lying_bomb_zip(path: Path, expands_to_mib: int = 1024, declared: int = MiB) -> Path:
    """Headers declare ``declared`` bytes at an innocent ratio; the data expands to ``expands_to_mib`` MiB."""
    payload = deflate_zeros(expands_to_mib)
    lie = RawEntry(
        "创建方案.pdf".encode(), b"", payload=payload, file_size=declared, crc=zlib.crc32(bytes(declared))
    )
    lie.flags = UTF8_FLAG
    return write_raw_zip(path, [lie])


def make_ratio_bomb_zip(path: Path, size_mib: int = 8) -> Path:
    """Honest headers, but ``size_mib`` MiB of zeros squeezed about 1000 to 1."""
    payload = deflate_zeros(size_mib)
    size = size_mib * MiB
    bomb = RawEntry("数据.bin".encode(), b"", payload=payload, file_size=size, crc=zlib.crc32(bytes(size)))
    bomb.flags = UTF8_FLAG
    return write_raw_zip(path, [bomb])


def make_many_entries_zip(path: Path, count: int = 5001) -> Path:
    """``count`` tiny stored entries."""
    return write_raw_zip(
        path, [RawEntry(f"f{i:05d}.txt".encode(), b"x", method=zipfile.ZIP_STORED) for i in range(count)]
    )


def make_duplicate_zip(path: Path, first: str = "附件/方案.pdf", second: str = "附件/方案.PDF") -> Path:
    """Two entries whose names clash (exactly, or ignoring case)."""
    return write_raw_zip(path, [entry(first, fake_pdf("1")), entry(second, fake_pdf("2"))])


def make_crc_error_zip(path: Path, method: int = zipfile.ZIP_DEFLATED) -> Path:
    """One entry whose data does not match its CRC-32."""
    data = b"content " * 100
    return write_raw_zip(path, [entry("附件.txt", data, method=method, crc=zlib.crc32(data) ^ 0xFFFF)])


def make_unicode_extra_zip(path: Path, name: str, shown_as: bytes = b"????.pdf") -> Path:
    """A name stored as meaningless bytes plus an Info-ZIP Unicode Path extra field with the real one."""
    return write_raw_zip(path, [RawEntry(shown_as, fake_pdf(), extra=unicode_path_field(name, shown_as))])
