"""Decode the names of zip entries the way the county's zipping tool meant them.

Zip names carry no reliable encoding. Flag bit 11 says UTF-8; without it the
bytes are whatever the tool wrote: UTF-8 (macOS Finder), the OEM code page
(GBK on Chinese Windows), or plain ASCII. Python's :mod:`zipfile` decodes
unflagged names as cp437, which is a lossless byte-to-character mapping, so the
original bytes can be recovered and decoded properly here.
"""

from __future__ import annotations

import struct
import unicodedata
import zipfile
import zlib

UTF8_FLAG = 0x800
UNICODE_PATH_EXTRA_ID = 0x7075  # Info-ZIP Unicode Path Extra Field

# Tried in order for names without the UTF-8 flag. UTF-8 first: it is strict
# enough that GBK bytes almost never pass as UTF-8. GB18030 is a superset of GBK.
_FALLBACK_ENCODINGS = ("utf-8", "gb18030")


def raw_name(info: zipfile.ZipInfo) -> bytes:
    """The entry name exactly as stored in the central directory.

    Uses ``orig_filename``: ``filename`` is cut at a NUL byte and, on Windows,
    has backslashes replaced by ``/`` already, which would corrupt GBK names
    whose second byte is 0x5C.
    """
    if info.flag_bits & UTF8_FLAG:
        return info.orig_filename.encode("utf-8")
    return info.orig_filename.encode("cp437")


def decode_raw_name(raw: bytes, utf8_flag: bool) -> str:
    """Decode name bytes, without normalising separators or Unicode form."""
    if utf8_flag:
        return raw.decode("utf-8", errors="replace")
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
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


def decode_entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as text: decoded, NFC, with ``/`` as the only separator.

    Order: the Unicode Path extra field, then the UTF-8 flag, then strict UTF-8,
    then GB18030/GBK. Decoding happens before separators are touched, so GBK
    characters whose trail byte is 0x5C (``\\``), e.g. 運 (DF 5C), survive.
    The result is not checked for safety; see :mod:`zc_review.bundles.safe_zip`.
    """
    raw = raw_name(info)
    utf8_flag = bool(info.flag_bits & UTF8_FLAG)
    name = None if utf8_flag else unicode_path_extra(info.extra, raw)
    if name is None:
        name = decode_raw_name(raw, utf8_flag)
    return to_posix(name)
