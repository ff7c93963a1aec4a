"""A county zip becomes one application plus its materials, matched to the policy's six kinds."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from pathlib import Path

import pytest

from tests.data.zips import (
    HOST_MSDOS,
    HOST_UNIX,
    NameEncoding,
    RawEntry,
    deflate_zeros,
    entry,
    fake_pdf,
    fake_png,
    gbk_latin_lookalikes,
    lookalike_name,
    make_zip,
    write_raw_zip,
)
from zc_review.bundles.county_zip import classify_materials, read_county_zip
from zc_review.bundles.workbook import WorkbookError, write_filled
from zc_review.core.application import Application, MaterialKind, MaterialRef
from zc_review.errors import BundleError

K = MaterialKind
TOP = "紫金众创社区申报材料/"

APP = Application(
    community_name="紫金（江宁）众创社区",
    city="南京市",
    county="江宁区",
    applicant="南京市江宁区人民政府",
    materials=(MaterialRef(K.PLAN, "创建方案.pdf"), MaterialRef(K.BOUNDARY, "附图1.jpg")),
)

ATTACHMENTS = {
    TOP + "创建方案.pdf": fake_pdf("方案"),
    TOP + "附件/附图1.jpg": b"\xff\xd8\xff\xe0 jpeg",
    TOP + "附件/产业定位及投资规模.pdf": fake_pdf("定位"),
    TOP + "附件/建设计划.docx": b"PK\x03\x04 docx",
    TOP + "附件/概念性规划图.png": fake_png(),
    TOP + "附件/现场照片.jpg": b"\xff\xd8\xff\xe0 photo",
}


def _workbook(tmp_path: Path, app: Application = APP) -> bytes:
    path = tmp_path / "wb.xlsx"
    write_filled(app, path)
    return path.read_bytes()


def _county_zip(
    tmp_path: Path,
    app: Application = APP,
    extra: dict[str, bytes] | None = None,
    encoding: NameEncoding = "utf-8",
    attachments: dict[str, bytes] | None = None,
) -> Path:
    entries = {TOP + "申报书.xlsx": _workbook(tmp_path, app)}
    entries.update(ATTACHMENTS if attachments is None else attachments)
    entries.update(extra or {})
    return make_zip(tmp_path / "江宁区.zip", entries, name_encoding=encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-noflag", "gbk"])
def test_reads_workbook_and_matches_every_material(tmp_path: Path, encoding: NameEncoding) -> None:
    junk = {"__MACOSX/" + TOP + "._创建方案.pdf": b"x", TOP + "~$申报书.xlsx": b"lock"}
    path = _county_zip(tmp_path, extra=junk, encoding=encoding)
    work = tmp_path / "work"
    sub = read_county_zip(path, work)

    assert sub.source == path
    assert sub.app.community_name == APP.community_name
    assert sub.workbook.name == TOP + "申报书.xlsx"
    assert {a.name: a.kind for a in sub.attachments} == {
        TOP + "创建方案.pdf": K.PLAN,  # checklist
        TOP + "附件/附图1.jpg": K.BOUNDARY,  # checklist, though the name says nothing
        TOP + "附件/产业定位及投资规模.pdf": K.POSITIONING,  # keyword named first
        TOP + "附件/建设计划.docx": K.SCHEDULE,
        TOP + "附件/概念性规划图.png": K.CONCEPT,
        TOP + "附件/现场照片.jpg": K.OTHER,
    }
    assert sub.missing_materials == ()
    assert K.INVESTMENT in sub.present_materials  # the combined document covers it too
    assert sub.warnings == ()


def test_extracts_under_generated_names_with_hashes(tmp_path: Path) -> None:
    work = tmp_path / "work"
    sub = read_county_zip(_county_zip(tmp_path), work)
    for att in (sub.workbook, *sub.attachments):
        assert att.path.parent == work
        assert re.fullmatch(r"\d{4}\.[a-z0-9]+", att.path.name)
        data = att.path.read_bytes()
        assert (att.sha256, att.size) == (hashlib.sha256(data).hexdigest(), len(data))
    for att in sub.attachments:
        assert att.path.read_bytes() == ATTACHMENTS[att.name]
    assert sorted(p.name for p in work.iterdir()) == sorted(
        a.path.name for a in (sub.workbook, *sub.attachments)
    )
    media = {a.name.rsplit("/", 1)[-1]: a.media_type for a in sub.attachments}
    assert media["创建方案.pdf"] == "application/pdf"
    assert media["附图1.jpg"] == "image/jpeg"
    assert media["概念性规划图.png"] == "image/png"


def test_never_overwrites_files_already_in_workdir(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "0000.xlsx").write_bytes(b"keep me")
    (work / "0001.pdf").write_bytes(b"keep me too")
    sub = read_county_zip(_county_zip(tmp_path), work)
    assert (work / "0000.xlsx").read_bytes() == b"keep me"
    assert (work / "0001.pdf").read_bytes() == b"keep me too"
    assert len({a.path for a in (sub.workbook, *sub.attachments)}) == 1 + len(ATTACHMENTS)


def test_checklist_file_not_in_zip_is_a_warning_and_a_missing_kind(tmp_path: Path) -> None:
    app = dataclasses.replace(APP, materials=(MaterialRef(K.PLAN, "创建方案（定稿）.pdf"),))
    sub = read_county_zip(_county_zip(tmp_path, app), tmp_path / "work")
    # PLAN is listed, so the file named 创建方案.pdf is not taken by keyword in its place.
    assert sub.missing_materials == (K.PLAN, K.BOUNDARY)
    assert len(sub.warnings) == 1
    assert "创建方案（定稿）.pdf" in sub.warnings[0] and "创建方案" in sub.warnings[0]
    kinds = {a.name: a.kind for a in sub.attachments}
    assert kinds[TOP + "创建方案.pdf"] is K.OTHER


def test_checklist_matches_basename_case_and_unicode_form_insensitively() -> None:
    nfd = unicodedata.normalize("NFD", "Café-Plan.PDF")
    app = dataclasses.replace(
        APP, materials=(MaterialRef(K.PLAN, "café-plan.pdf"), MaterialRef(K.BOUNDARY, "四至图"))
    )
    names = ["材料/" + unicodedata.normalize("NFC", nfd), "材料/四至图.jpg"]
    kinds, present, warnings = classify_materials(app, names)
    assert kinds == {names[0]: K.PLAN, names[1]: K.BOUNDARY}
    assert present == {K.PLAN, K.BOUNDARY}
    assert warnings == []


def test_keywords_ignore_the_shared_top_folder() -> None:
    # The folder is named after the plan; only the files' own names count.
    app = dataclasses.replace(APP, materials=())
    names = ["众创社区创建方案/照片.jpg", "众创社区创建方案/四至范围.pdf"]
    kinds, present, _ = classify_materials(app, names)
    assert kinds == {names[0]: K.OTHER, names[1]: K.BOUNDARY}
    assert K.PLAN not in present


def test_missing_materials_are_reported_in_policy_order(tmp_path: Path) -> None:
    app = dataclasses.replace(APP, materials=())
    sub = read_county_zip(
        _county_zip(tmp_path, app, attachments={"建设计划.pdf": fake_pdf(), "空.pdf": b""}), tmp_path / "w"
    )
    assert sub.missing_materials == (K.PLAN, K.BOUNDARY, K.POSITIONING, K.INVESTMENT, K.CONCEPT)
    assert any("空.pdf" in w and "空文件" in w for w in sub.warnings)


def test_progress_covers_all_bytes(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    sub = read_county_zip(_county_zip(tmp_path), tmp_path / "w", progress=lambda d, t: calls.append((d, t)))
    total = sub.workbook.size + sum(a.size for a in sub.attachments)
    assert calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def _rejected(path: Path, work: Path) -> str:
    with pytest.raises(BundleError) as info:
        read_county_zip(path, work)
    assert not work.exists() or not any(work.iterdir())  # nothing half-extracted is left
    return str(info.value)


def test_no_workbook(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "江宁区.zip", {"创建方案.pdf": fake_pdf()})
    message = _rejected(path, tmp_path / "w")
    assert message.startswith("江宁区.zip：") and "没有申报书" in message


def test_old_excel_format_says_what_to_do(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "江宁区.zip", {"申报书.xls": b"\xd0\xcf\x11\xe0", "创建方案.pdf": fake_pdf()})
    message = _rejected(path, tmp_path / "w")
    assert "申报书.xls" in message and ".xlsx" in message and "另存为" in message


def test_two_unnamed_workbooks_are_ambiguous(tmp_path: Path) -> None:
    wb = _workbook(tmp_path)
    path = make_zip(tmp_path / "江宁区.zip", {"表一.xlsx": wb, "附件/投资明细.XLSX": wb})
    message = _rejected(path, tmp_path / "w")
    assert "表一.xlsx" in message and "投资明细.XLSX" in message and "2 个 Excel" in message


def test_the_workbook_named_as_the_template_wins_and_other_spreadsheets_are_attachments(
    tmp_path: Path,
) -> None:
    wb = _workbook(tmp_path)
    path = make_zip(tmp_path / "江宁区.zip", {"紫金申报书.xlsx": wb, "附件/投资明细.xlsx": b"PK other"})
    sub = read_county_zip(path, tmp_path / "w")
    assert sub.workbook.name == "紫金申报书.xlsx"
    assert sub.app == APP
    assert [a.name for a in sub.attachments] == ["附件/投资明细.xlsx"]


def test_workbook_problems_name_the_zip_and_keep_the_list(tmp_path: Path) -> None:
    app = dataclasses.replace(APP, community_name="")
    path = _county_zip(tmp_path, app)
    work = tmp_path / "w"
    with pytest.raises(WorkbookError) as info:
        read_county_zip(path, work)
    message = str(info.value)
    assert message.startswith("江宁区.zip：")
    assert TOP + "申报书.xlsx" in message and "众创社区名称" in message
    assert [p.label for p in info.value.problems] == ["众创社区名称"]
    assert not any(work.iterdir())


def test_damaged_workbook(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "江宁区.zip", {"申报书.xlsx": b"not really a workbook"})
    message = _rejected(path, tmp_path / "w")
    assert message.startswith("江宁区.zip：") and "申报书.xlsx" in message


def test_bomb_among_attachments_leaves_nothing_behind(tmp_path: Path) -> None:
    bomb = RawEntry(
        "附件/创建方案.pdf".encode(), payload=deflate_zeros(64), file_size=4096, flags=0x800
    )  # declares 4 KiB, inflates to 64 MiB
    path = write_raw_zip(tmp_path / "江宁区.zip", [entry("申报书.xlsx", _workbook(tmp_path)), bomb])
    message = _rejected(path, tmp_path / "w")
    assert message.startswith("江宁区.zip：") and "附件/创建方案.pdf" in message


def test_malicious_zip_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "江宁区.zip", {"申报书.xlsx": _workbook(tmp_path), "../../创建方案.pdf": fake_pdf()}
    )
    assert "“..”" in _rejected(path, tmp_path / "w")


def test_a_file_whose_content_does_not_match_its_extension_does_not_count(tmp_path: Path) -> None:
    attachments = dict(ATTACHMENTS)
    attachments[TOP + "创建方案.pdf"] = b"\xff\xd8\xff\xe0 a photo renamed to pdf"
    sub = read_county_zip(_county_zip(tmp_path, APP, attachments=attachments), tmp_path / "w")
    assert K.PLAN in sub.missing_materials
    assert any("创建方案.pdf" in w and "扩展名不符" in w for w in sub.warnings)


def test_programs_are_refused(tmp_path: Path) -> None:
    attachments = {**ATTACHMENTS, TOP + "附件/说明.pdf.exe": b"MZ"}
    message = _rejected(_county_zip(tmp_path, APP, attachments=attachments), tmp_path / "w")
    assert "说明.pdf.exe" in message and "程序" in message


# --------------------------------------------------------------------------- names valid in GBK and UTF-8


def _lookalike_app_and_files() -> tuple[Application, dict[str, bytes]]:
    """Files at the zip's root whose GBK names are all valid UTF-8 too (图纸.pdf among them)."""
    contents = {K.PLAN: fake_pdf("方案"), K.POSITIONING: fake_pdf("定位"), K.INVESTMENT: fake_pdf("投资"),
                K.SCHEDULE: b"PK\x03\x04 docx", K.CONCEPT: fake_png()}  # fmt: skip
    suffixes = {K.SCHEDULE: ".docx", K.CONCEPT: ".png"}
    files = {"图纸.pdf": fake_pdf("四至")}
    refs = [MaterialRef(K.BOUNDARY, "图纸.pdf")]
    for i, (kind, data) in enumerate(contents.items()):
        name = lookalike_name(i, 3, suffixes.get(kind, ".pdf"))
        files[name] = data
        refs.append(MaterialRef(kind, name))
    return dataclasses.replace(APP, materials=tuple(refs)), files


@pytest.mark.parametrize("host", [HOST_MSDOS, HOST_UNIX])
def test_gbk_names_that_are_also_valid_utf8_find_every_listed_material(tmp_path: Path, host: int) -> None:
    app, files = _lookalike_app_and_files()
    book = lookalike_name(40, 4, ".xlsx")
    entries = {book: _workbook(tmp_path, app), **files}
    for name in entries:
        name.encode("gbk").decode("utf-8")  # valid UTF-8 too: the case an entry-by-entry guess gets wrong
    path = make_zip(tmp_path / "root.zip", entries, name_encoding="gbk", host=host)
    sub = read_county_zip(path, tmp_path / "work")
    assert sub.workbook.name == book
    assert {a.name for a in sub.attachments} == set(files)
    assert sub.missing_materials == ()
    assert sub.warnings == ()


def test_one_lookalike_name_among_gbk_names_is_found(tmp_path: Path) -> None:
    app = dataclasses.replace(APP, materials=(*APP.materials[:1], MaterialRef(K.BOUNDARY, "图纸.pdf")))
    attachments = {k: v for k, v in ATTACHMENTS.items() if not k.endswith("附图1.jpg")}
    attachments = {k.removeprefix(TOP): v for k, v in attachments.items()}  # files at the root
    attachments["图纸.pdf"] = fake_pdf("四至")
    entries = {"申报书.xlsx": _workbook(tmp_path, app), **attachments}
    path = make_zip(tmp_path / "root.zip", entries, name_encoding="gbk", host=HOST_UNIX)
    sub = read_county_zip(path, tmp_path / "work")
    assert "图纸.pdf" in {a.name for a in sub.attachments}
    assert sub.missing_materials == ()
    assert sub.warnings == ()


def test_a_listed_name_only_the_archive_can_decode_is_found(tmp_path: Path) -> None:
    rare = gbk_latin_lookalikes()[10:13] + ".pdf"  # valid UTF-8 too, and as unlikely read either way
    app = dataclasses.replace(APP, materials=(*APP.materials[:1], MaterialRef(K.BOUNDARY, rare)))
    entries = {TOP + "申报书.xlsx": _workbook(tmp_path, app), rare: fake_pdf("四至")}  # at the root
    entries.update({k: v for k, v in ATTACHMENTS.items() if not k.endswith("附图1.jpg")})
    path = make_zip(tmp_path / "unix.zip", entries, name_encoding="gbk", host=HOST_UNIX)
    sub = read_county_zip(path, tmp_path / "work")
    assert {a.name: a.kind for a in sub.attachments}[rare] is K.BOUNDARY
    assert sub.missing_materials == ()
    assert sub.warnings == ()
