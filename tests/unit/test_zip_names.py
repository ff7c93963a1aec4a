"""Entry names come out as the county's zipping tool meant them, whatever encoding it used."""

from __future__ import annotations

import os
import unicodedata
import zipfile
from pathlib import Path

import pytest

from tests.data.zips import make_unicode_extra_zip, make_zip
from zc_review.bundles.zip_names import decode_entry_name, decode_raw_name, raw_name

# Each of these characters has 0x5C ("\") as its second GBK byte.
TRAIL_5C = "衆運誠錦診‐"


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [decode_entry_name(i) for i in zf.infolist()]


def test_trail_bytes_are_really_backslashes() -> None:
    for ch in TRAIL_5C:
        assert ch.encode("gbk")[1] == 0x5C, ch


def test_gbk_names_with_backslash_trail_bytes_decode(tmp_path: Path) -> None:
    names = ["衆創社區/運營計劃表.pdf", "誠信‐錦標.docx", "診所照片.jpg"]
    path = make_zip(tmp_path / "gbk.zip", dict.fromkeys(names, b"x"), name_encoding="gbk")
    assert _names(path) == names


def test_gbk_backslash_separators_become_slashes_after_decoding(tmp_path: Path) -> None:
    # Old Windows zippers write "\" between folders; the trail byte of 運 must not split the name.
    path = make_zip(tmp_path / "gbk.zip", {"衆創社區\\運營\\計劃表.pdf": b"x"}, name_encoding="gbk")
    with zipfile.ZipFile(path) as zf:
        info = zf.infolist()[0]
        assert raw_name(info).count(b"\\") == 4  # two separators, two trail bytes
        assert decode_entry_name(info) == "衆創社區/運營/計劃表.pdf"


def test_uses_orig_filename_where_windows_zipfile_rewrote_backslashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_zip(tmp_path / "gbk.zip", {"運營報告.pdf": b"x"}, name_encoding="gbk")
    with monkeypatch.context() as m:
        m.setattr(os, "sep", "\\")  # what zipfile does on Windows: "\" in filename becomes "/"
        with zipfile.ZipFile(path) as zf:
            info = zf.infolist()[0]
    assert "/" in info.filename  # the damage the decoder must avoid
    assert decode_entry_name(info) == "運營報告.pdf"


def test_utf8_without_flag_macos_nfd_becomes_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "资料/Café 创建方案 한글.pdf")
    assert nfd != unicodedata.normalize("NFC", nfd)
    path = make_zip(tmp_path / "mac.zip", {nfd: b"x"}, name_encoding="utf-8-noflag")
    assert _names(path) == [unicodedata.normalize("NFC", nfd)]


def test_flagged_utf8_and_ascii(tmp_path: Path) -> None:
    names = ["附件/四至范围图.png", "plain/readme.txt"]
    assert _names(make_zip(tmp_path / "u.zip", dict.fromkeys(names, b"x"))) == names


def test_unicode_path_extra_field_wins(tmp_path: Path) -> None:
    path = make_unicode_extra_zip(tmp_path / "extra.zip", "创建方案.pdf")
    assert _names(path) == ["创建方案.pdf"]


def test_stale_unicode_path_extra_field_is_ignored(tmp_path: Path) -> None:
    path = make_unicode_extra_zip(tmp_path / "extra.zip", "创建方案.pdf")
    data = bytearray(path.read_bytes())
    # Rename the entry in both headers without updating the field's CRC, as some tools do.
    data[:] = data.replace(b"????.pdf", b"plan.pdf")
    path.write_bytes(bytes(data))
    assert _names(path) == ["plan.pdf"]


def test_undecodable_bytes_still_give_a_name() -> None:
    assert decode_raw_name(b"\xff\xfe.pdf", utf8_flag=False).endswith(".pdf")


def test_utf8_is_tried_before_gbk() -> None:
    text = "产业定位.pdf"
    assert decode_raw_name(text.encode("utf-8"), utf8_flag=False) == text
    assert decode_raw_name(text.encode("gbk"), utf8_flag=False) == text
