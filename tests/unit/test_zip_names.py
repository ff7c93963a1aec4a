"""Entry names come out as the county's zipping tool meant them, whatever encoding it used."""

from __future__ import annotations

import os
import unicodedata
import zipfile
from pathlib import Path

import pytest

from tests.data.zips import (
    HOST_MACOS,
    HOST_MSDOS,
    HOST_UNIX,
    entry,
    gbk_latin_lookalikes,
    gbk_utf8_lookalikes,
    lookalike_name,
    make_unicode_extra_zip,
    make_zip,
    unicode_path_field,
    write_raw_zip,
)
from zc_review.bundles.safe_zip import open_safe_zip
from zc_review.bundles.zip_names import (
    archive_name_encoding,
    decode_entry_name,
    decode_names,
    decode_raw_name,
    raw_name,
)

# Each of these characters has 0x5C ("\") as its second GBK byte.
TRAIL_5C = "衆運誠錦診‐"


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return decode_names(zf.infolist())


def _decision(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return archive_name_encoding(zf.infolist()).encoding


def _safe_names(path: Path) -> list[str]:
    with open_safe_zip(path) as zf:
        return [e.name for e in zf.entries]


def _valid_both_ways(name: str, written_as: str) -> bool:
    raw = name.encode(written_as)
    try:
        raw.decode("utf-8")
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


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


# --------------------------------------------------------------------------- one decision per archive

TUZHI = "图纸.pdf"  # GBK CD BC D6 BD, which is also valid UTF-8: "ͼֽ.pdf"


def test_the_literal_case_is_valid_utf8_and_reads_wrongly_as_such() -> None:
    raw = TUZHI.encode("gbk")
    assert raw == b"\xcd\xbc\xd6\xbd.pdf"
    assert raw.decode("utf-8") == "\u037c\u05bd.pdf"  # what an entry-by-entry UTF-8-first decoder gives


def test_the_search_finds_many_lookalikes_including_tuzhi() -> None:
    chars = gbk_utf8_lookalikes()
    assert "图" in chars and "纸" in chars
    assert len(chars) > 300
    for ch in chars:
        assert len(ch.encode("gbk")[:2].decode("utf-8")) == 1
    names = [lookalike_name(i) for i in range(20)]
    assert len(set(names)) == 20
    assert all(_valid_both_ways(n, "gbk") for n in names)


@pytest.mark.parametrize("host", [HOST_MSDOS, HOST_UNIX])
def test_gbk_names_that_are_all_valid_utf8_are_read_as_gbk(tmp_path: Path, host: int) -> None:
    # Every non-ASCII name is valid both ways; ASCII names tell nothing. Even with a
    # Unix host byte (a Windows folder zipped on Linux) the GBK reading is the likely one.
    names = [TUZHI, lookalike_name(1), lookalike_name(2, 2, "/") + lookalike_name(3, 3, ".jpg")]
    names += ["readme.txt", "scan/001.png"]
    assert all(_valid_both_ways(n, "gbk") for n in names)
    path = make_zip(tmp_path / "gbk.zip", dict.fromkeys(names, b"x"), name_encoding="gbk", host=host)
    assert _decision(path) == "gb18030"
    assert _names(path) == names
    assert _safe_names(path) == names


def test_the_literal_case_alone_in_its_archive(tmp_path: Path) -> None:
    for host in (HOST_MSDOS, HOST_UNIX):
        path = make_zip(tmp_path / f"one-{host}.zip", {TUZHI: b"x"}, name_encoding="gbk", host=host)
        assert _names(path) == [TUZHI]


def test_one_name_that_alone_looks_utf8_follows_the_gbk_names_around_it(tmp_path: Path) -> None:
    names = ["申报书.xlsx", "附件/创建方案.pdf", TUZHI, "附件/" + lookalike_name(5)]
    assert not _valid_both_ways("申报书.xlsx", "gbk")  # the others give the archive away
    path = make_zip(tmp_path / "mixed.zip", dict.fromkeys(names, b"x"), name_encoding="gbk", host=HOST_UNIX)
    with zipfile.ZipFile(path) as zf:
        info = next(i for i in zf.infolist() if raw_name(i) == TUZHI.encode("gbk"))
        assert decode_entry_name(info, "utf-8") != TUZHI  # what deciding by this entry's bytes alone risks
    assert _names(path) == names
    assert _safe_names(path) == names


def _utf8_names_valid_as_gb18030() -> list[str]:
    """Real-looking names whose UTF-8 bytes are valid GB18030 too, found by search."""
    words = ["创建方案", "四至范围", "产业定位", "投资规模", "建设计划", "概念性规划", "附件", "现场照片",
             "证明材料", "汇报", "图纸", "申报书", "政策文件", "照片", "合同", "批复"]  # fmt: skip
    return [w + ".pdf" for w in words if _valid_both_ways(w + ".pdf", "utf-8")]


@pytest.mark.parametrize("host", [HOST_MACOS, HOST_UNIX, HOST_MSDOS])
def test_macos_utf8_names_without_the_flag_stay_utf8(tmp_path: Path, host: int) -> None:
    both = _utf8_names_valid_as_gb18030()
    assert both, "the search should find UTF-8 names that are valid GB18030 as well"
    names = [*both, "资料/" + unicodedata.normalize("NFD", "Café 创建方案.pdf"), "a.txt"]
    path = make_zip(tmp_path / "mac.zip", dict.fromkeys(names, b"x"), name_encoding="utf-8-noflag", host=host)
    assert _decision(path) == "utf-8"
    assert _names(path) == [unicodedata.normalize("NFC", n) for n in names]


def test_flagged_names_stay_utf8_whatever_the_unflagged_ones_are(tmp_path: Path) -> None:
    path = write_raw_zip(
        tmp_path / "flagged.zip",
        [
            entry(TUZHI, b"x", "utf-8", host=HOST_MSDOS),  # flagged UTF-8
            entry("申报书.xlsx", b"x", "gbk"),  # unflagged GBK: the archive's other names are GBK
            entry(lookalike_name(7), b"x", "gbk"),
        ],
    )
    assert _decision(path) == "gb18030"
    assert _names(path) == [TUZHI, "申报书.xlsx", lookalike_name(7)]


def test_an_all_flagged_archive_is_utf8(tmp_path: Path) -> None:
    names = [TUZHI, "附件/四至范围图.png"]
    path = make_zip(tmp_path / "u.zip", dict.fromkeys(names, b"x"), host=HOST_MSDOS)
    assert _names(path) == names


def test_unicode_path_fields_show_how_the_tool_wrote_the_other_names(tmp_path: Path) -> None:
    described = lookalike_name(8)
    plain = [lookalike_name(9), lookalike_name(10)]
    raw = described.encode("gbk")
    first = entry(described, b"x", "gbk", host=HOST_UNIX, extra=unicode_path_field(described, raw))
    path = write_raw_zip(
        tmp_path / "infozip.zip", [first, *(entry(n, b"x", "gbk", host=HOST_UNIX) for n in plain)]
    )
    with zipfile.ZipFile(path) as zf:
        decision = archive_name_encoding(zf.infolist())
    assert decision.encoding == "gb18030"
    assert "Unicode Path" in decision.reason
    assert _names(path) == [described, *plain]


def test_extra_field_name_wins_over_the_archive_decision(tmp_path: Path) -> None:
    # The header bytes are UTF-8, the archive is GBK: the field still gives the entry's name.
    raw = "创建方案.pdf".encode()
    odd = entry("x", b"x", "gbk")
    odd.name, odd.extra = raw, unicode_path_field("创建方案.pdf", raw)
    path = write_raw_zip(tmp_path / "extra.zip", [odd, entry("申报书.xlsx", b"x", "gbk")])
    assert _names(path) == ["创建方案.pdf", "申报书.xlsx"]


def test_a_name_the_archive_encoding_cannot_read_falls_back() -> None:
    assert decode_raw_name("产业定位.pdf".encode("gbk"), False, "utf-8") == "产业定位.pdf"


def test_a_name_only_the_archive_can_decide(tmp_path: Path) -> None:
    # 脩 (C3 91) is Ñ in UTF-8: both are rare, so the name alone is a toss-up, decided for
    # UTF-8 by the Unix host byte. The archive's other names are GBK, and so is this one.
    rare = gbk_latin_lookalikes()
    assert "脩" in rare and len(rare) > 50
    name = rare[:3] + ".pdf"
    names = ["申报书.xlsx", name]
    path = make_zip(tmp_path / "rare.zip", dict.fromkeys(names, b"x"), name_encoding="gbk", host=HOST_UNIX)
    with zipfile.ZipFile(path) as zf:
        alone = decode_entry_name(zf.infolist()[1])  # judged without the archive
    assert alone != name
    assert _names(path) == names
    assert _safe_names(path) == names
