"""Decode the names of zip entries the way the county's zipping tool meant them.

Zip names carry no reliable encoding. Flag bit 11 says UTF-8; without it the
bytes are whatever the tool wrote: UTF-8 (macOS Finder), the OEM code page
(GBK on Chinese Windows), or plain ASCII. Python's :mod:`zipfile` decodes
unflagged names as cp437, which is a lossless byte-to-character mapping, so the
original bytes can be recovered and decoded properly here.

The encoding of unflagged names is decided once per archive
(:func:`archive_name_encoding`), from all its names together: one tool wrote
them all, and a GBK name on its own may well be valid UTF-8 too.
"""

from __future__ import annotations

import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

UTF8_FLAG = 0x800
UNICODE_PATH_EXTRA_ID = 0x7075  # Info-ZIP Unicode Path Extra Field

# The two encodings unflagged names come in; GB18030 is a superset of GBK and GB2312.
_ENCODINGS = ("utf-8", "gb18030")


def raw_name(info: zipfile.ZipInfo) -> bytes:
    """The entry name exactly as stored in the central directory.

    Uses ``orig_filename``: ``filename`` is cut at a NUL byte and, on Windows,
    has backslashes replaced by ``/`` already, which would corrupt GBK names
    whose second byte is 0x5C.
    """
    if info.flag_bits & UTF8_FLAG:
        return info.orig_filename.encode("utf-8")
    return info.orig_filename.encode("cp437")


def decode_raw_name(raw: bytes, utf8_flag: bool, encoding: str | None = None) -> str:
    """Decode name bytes, without normalising separators or Unicode form.

    ``encoding`` is the archive's decision for unflagged names (see
    :func:`archive_name_encoding`); without it the name is judged on its own.
    A name the archive's encoding cannot decode is tried in the other one.
    """
    if utf8_flag:
        return raw.decode("utf-8", errors="replace")
    if encoding is None:
        encoding = _decide([raw], [], {}).encoding if not raw.isascii() else "utf-8"
    for candidate in (encoding, *(e for e in _ENCODINGS if e != encoding)):
        text = _strict(raw, candidate)
        if text is not None:
            return text
    return raw.decode("cp437")  # never fails: every byte maps to a character


def unicode_path_extra(extra: bytes, raw: bytes) -> str | None:
    """The name from an Info-ZIP Unicode Path extra field, if present and current.

    The field stores the CRC-32 of the header's name bytes; a mismatch means
    another tool renamed the entry without updating the field, so it is ignored.
    """
    pos = 0
    while pos + 4 <= len(extra):
        header_id, size = struct.unpack_from("<HH", extra, pos)
        data = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if header_id != UNICODE_PATH_EXTRA_ID or len(data) < 5 or data[0] != 1:
            continue
        (name_crc,) = struct.unpack_from("<I", data, 1)
        if name_crc != zlib.crc32(raw):
            return None
        try:
            return data[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def to_posix(name: str) -> str:
    """Backslashes to ``/`` and NFC form; only ever applied to decoded text."""
    return unicodedata.normalize("NFC", name.replace("\\", "/"))


def decode_entry_name(info: zipfile.ZipInfo, encoding: str | None = None) -> str:
    """The entry's name as text: decoded, NFC, with ``/`` as the only separator.

    Order: the UTF-8 flag, then the Unicode Path extra field, then ``encoding``,
    the archive's decision for unflagged names (:func:`archive_name_encoding`;
    pass it, or use :func:`decode_names`: without it the entry is judged alone,
    which cannot tell GBK names that happen to be valid UTF-8). Decoding happens
    before separators are touched, so GBK characters whose trail byte is 0x5C
    (``\\``), e.g. 運 (DF 5C), survive. The result is not checked for safety;
    see :mod:`zc_review.bundles.safe_zip`.
    """
    raw = raw_name(info)
    utf8_flag = bool(info.flag_bits & UTF8_FLAG)
    name = None if utf8_flag else unicode_path_extra(info.extra, raw)
    if name is None:
        if encoding is None and not utf8_flag:
            encoding = archive_name_encoding([info]).encoding
        name = decode_raw_name(raw, utf8_flag, encoding)
    return to_posix(name)


# -- one decision per archive ---------------------------------------------------

# "Version made by" host bytes (APPNOTE 4.4.2) of systems whose zippers write the OEM code page.
_WINDOWS_HOSTS = frozenset({0, 11, 14})  # MS-DOS/OS2 FAT, Windows NTFS, VFAT
_UTF8_HOSTS = frozenset({3, 19})  # Unix, OS X (Darwin)
_CJK = (0x4E00, 0x9FFF)
# Punctuation people put in Chinese file names: dashes, quotes, ellipsis, middle dot, CJK and full-width forms.
_NAME_PUNCTUATION = ((0x00B7, 0x00B7), (0x2010, 0x2027), (0x3000, 0x303F), (0xFF01, 0xFF5E))


@dataclass(frozen=True)
class NameEncoding:
    """How an archive's unflagged names are decoded, and why (for diagnostics and tests).

    ``encoding`` is ``"utf-8"`` or ``"gb18030"`` (a superset of GBK and GB2312).
    """

    encoding: str
    reason: str


def _char_cost(ch: str) -> int:
    """How unlikely ``ch`` is in a file name a Chinese county office typed (0 = ordinary)."""
    if ch.isascii():
        return 0 if ch.isprintable() else 8
    category = unicodedata.category(ch)
    if category[0] == "C":  # control, format, private use, unassigned, surrogate
        return 8
    if category[0] == "M":  # a combining mark on its own, e.g. U+05BD from 纸 read as UTF-8
        return 5
    try:
        gb = ch.encode("gb2312")
    except UnicodeEncodeError:
        return 3  # outside GB2312: rare hanzi, Greek/Hebrew/Arabic letters, odd symbols
    if _CJK[0] <= ord(ch) <= _CJK[1]:
        return 0 if gb[0] <= 0xD7 else 1  # level 1 (the 3755 common hanzi) or level 2
    if any(lo <= ord(ch) <= hi for lo, hi in _NAME_PUNCTUATION):
        return 0
    return 2  # other GB2312 symbols and letters: §, ±, Greek, Cyrillic, box drawing...


def _cost(names: list[str]) -> int:
    return sum(_char_cost(ch) for name in names for ch in name)


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def archive_name_encoding(infos: Iterable[zipfile.ZipInfo]) -> NameEncoding:
    """Decide once, for the whole archive, how its unflagged non-ASCII names are encoded.

    A zipping tool writes every name of an archive the same way, so the names are
    weighed together instead of one by one (one by one, GBK bytes that happen to
    be valid UTF-8, such as 图纸 = CD BC D6 BD, would be read as ``ͼֽ``). In order:

    1. Only unflagged names with non-ASCII bytes and no current Unicode Path extra
       field count; flagged names are UTF-8 and extra-field names win regardless.
    2. If any counted name is not valid UTF-8, the archive is GBK; if any is not
       valid GB18030, it is UTF-8.
    3. Valid both ways: entries whose Unicode Path extra field equals their header
       bytes read as GBK (or as UTF-8) show how the tool wrote the other names.
    4. No such entries: the reading with fewer unlikely characters wins (common
       hanzi and CJK punctuation are ordinary; combining marks, control and
       private-use characters, symbols, letters and hanzi outside GB2312 are not).
    5. Still even: the "version made by" host byte of those entries (0/11/14:
       Windows, GBK; 3/19: Unix/macOS, UTF-8); without a hint, UTF-8.
    """
    counted: list[zipfile.ZipInfo] = []
    votes = {"utf-8": 0, "gb18030": 0}
    for info in infos:
        if info.flag_bits & UTF8_FLAG:
            continue
        raw = raw_name(info)
        if raw.isascii():
            continue
        extra = unicode_path_extra(info.extra, raw)
        if extra is None:
            counted.append(info)
            continue
        for encoding in votes:
            if _strict(raw, encoding) == extra:
                votes[encoding] += 1
    hosts = [i.create_system for i in counted]
    return _decide([raw_name(i) for i in counted], hosts, votes)


def _decide(raws: list[bytes], hosts: list[int], votes: dict[str, int]) -> NameEncoding:
    if not raws:
        return NameEncoding("utf-8", "no unflagged non-ASCII name without a Unicode Path field")
    as_utf8 = [_strict(r, "utf-8") for r in raws]
    as_gbk = [_strict(r, "gb18030") for r in raws]
    utf8_ok = all(n is not None for n in as_utf8)
    gbk_ok = all(n is not None for n in as_gbk)
    if not utf8_ok:
        return NameEncoding("gb18030", "a name is not valid UTF-8")
    if not gbk_ok:
        return NameEncoding("utf-8", "a name is not valid GB18030")
    utf8_votes, gbk_votes = votes.get("utf-8", 0), votes.get("gb18030", 0)
    if utf8_votes != gbk_votes:
        winner = "utf-8" if utf8_votes > gbk_votes else "gb18030"
        return NameEncoding(winner, "Unicode Path extra fields show the tool's encoding")
    cost_utf8 = _cost([n for n in as_utf8 if n is not None])
    cost_gbk = _cost([n for n in as_gbk if n is not None])
    if cost_utf8 != cost_gbk:
        winner = "utf-8" if cost_utf8 < cost_gbk else "gb18030"
        return NameEncoding(winner, f"valid both ways; unlikely characters UTF-8 {cost_utf8}, GBK {cost_gbk}")
    windows = sum(h in _WINDOWS_HOSTS for h in hosts)
    unix = sum(h in _UTF8_HOSTS for h in hosts)
    if windows > unix:
        return NameEncoding("gb18030", "valid and as likely both ways; made on Windows")
    return NameEncoding("utf-8", "valid and as likely both ways; not made on Windows")


def decode_names(infos: Sequence[zipfile.ZipInfo]) -> list[str]:
    """Every entry's name, with one encoding decision for the whole archive."""
    decision = archive_name_encoding(infos)
    return [decode_entry_name(info, decision.encoding) for info in infos]
