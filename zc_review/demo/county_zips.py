"""County zips as counties really send them: workbook plus attachments in a folder, zipped.

The entry names are written the way the common zipping tools write them, because that is
what the importer has to cope with:

- ``"utf-8"``: UTF-8 names with the UTF-8 flag (bit 11) set (7-Zip, WinRAR, Python);
- ``"utf-8-noflag"``: UTF-8 names without the flag, plus ``__MACOSX/`` AppleDouble junk
  (macOS Finder's "Compress");
- ``"gbk"``: GBK names without the flag, with a folder entry (Explorer on Chinese Windows).
"""

from __future__ import annotations

import struct
import tempfile
import zipfile
from pathlib import Path

from zc_review.bundles.workbook import write_filled
from zc_review.core.application import Stage
from zc_review.demo.communities import DemoCase, demo_applications
from zc_review.demo.documents import render_attachment

NAME_ENCODINGS: tuple[str, ...] = ("utf-8", "gbk", "utf-8-noflag")
UTF8_FLAG = 0x800
# Fixed entry timestamps: with the invariant PDFs only the workbook's own save time varies.
_DATE_TIME = (2025, 3, 18, 9, 30, 0)
_WORKBOOK_SUFFIX = {Stage.APPLICATION: "申报书", Stage.ANNUAL: "年度考核表", Stage.ACCEPTANCE: "评估验收表"}
# The smallest valid AppleDouble file: magic, version, 16 filler bytes, no entries.
_APPLE_DOUBLE = struct.pack(">II16sH", 0x00051607, 0x00020000, b"Mac OS X        ", 0)


class _RawNameZipInfo(zipfile.ZipInfo):
    """A ZipInfo whose name is stored as the given bytes, with the UTF-8 flag cleared.

    :mod:`zipfile` writes every non-ASCII name as flagged UTF-8; tools on Chinese Windows
    and macOS do not, and the importer must be tested against what they do write.
    """

    __slots__ = ("raw_name",)

    def __init__(self, raw_name: bytes, date_time: tuple[int, int, int, int, int, int]) -> None:
        # cp437 maps every byte to one character: the name a reader sees for unflagged bytes.
        super().__init__(raw_name.decode("cp437"), date_time)
        self.raw_name = raw_name

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # overrides zipfile's private hook
        return self.raw_name, self.flag_bits & ~UTF8_FLAG


def workbook_name(case: DemoCase) -> str:
    """The workbook's file name inside the zip, e.g. ``苏州工业园区纳米众创社区申报书.xlsx``."""
    return f"{case.app.community_name}{_WORKBOOK_SUFFIX[case.app.stage]}.xlsx"


def _zip_info(name: str, name_encoding: str, is_dir: bool = False) -> zipfile.ZipInfo:
    if name_encoding == "utf-8":
        info = zipfile.ZipInfo(name, _DATE_TIME)
    else:
        raw = name.encode("gbk" if name_encoding == "gbk" else "utf-8")
        info = _RawNameZipInfo(raw, _DATE_TIME)
    if is_dir:
        info.external_attr = (0o40755 << 16) | 0x10  # unix mode and MS-DOS directory bit
    else:
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_county_zip(case: DemoCase, path: Path, name_encoding: str = "utf-8") -> Path:
    """Write the case's county zip to ``path``: ``<community>/`` holding the workbook and attachments.

    ``name_encoding`` is one of :data:`NAME_ENCODINGS` and decides how entry names are stored.
    """
    if name_encoding not in NAME_ENCODINGS:
        raise ValueError(f"name_encoding must be one of {NAME_ENCODINGS}, not {name_encoding!r}")
    top = case.app.community_name
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zc-demo-") as tmp:
        book = Path(tmp) / "workbook.xlsx"
        write_filled(case.app, book)
        files: list[tuple[str, bytes]] = [(workbook_name(case), book.read_bytes())]
    files += [(name, render_attachment(case, name)) for name in case.attachment_names]
    with zipfile.ZipFile(path, "w") as zf:
        if name_encoding == "gbk":
            zf.writestr(_zip_info(f"{top}/", name_encoding, is_dir=True), b"")
        for name, data in files:
            zf.writestr(_zip_info(f"{top}/{name}", name_encoding), data)
        if name_encoding == "utf-8-noflag":
            for name, _data in files:
                zf.writestr(_zip_info(f"__MACOSX/{top}/._{name}", name_encoding), _APPLE_DOUBLE)
    return path


def write_demo_batch(out_dir: Path, stage: Stage = Stage.APPLICATION) -> list[Path]:
    """Write one county zip per demo case into ``out_dir`` (``<key>.zip``), varying the name encodings."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_county_zip(case, out_dir / f"{case.key}.zip", NAME_ENCODINGS[i % len(NAME_ENCODINGS)])
        for i, case in enumerate(demo_applications(stage))
    ]
