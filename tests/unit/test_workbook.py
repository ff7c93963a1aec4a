"""The application workbook: template, filled copy, and reading back by labels."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zc_review import i18n
from zc_review.bundles.workbook import (
    WorkbookError,
    WorkbookProblem,
    read_workbook,
    write_filled,
    write_template,
)
from zc_review.bundles.workbook_layout import (
    INDICATORS_TABLE,
    INVESTMENT_TABLE,
    MATERIALS_TABLE,
    PLAN_TABLE,
    SHEET_BASICS,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_INVESTMENT,
    SHEET_MATERIALS,
    SHEET_PLAN,
    STAGE_TITLES,
    basic_fields,
    normalise_label,
)
from zc_review.core.application import (
    JIANGSU_CITIES,
    POLICY_INDUSTRIES,
    REQUIRED_MATERIALS,
    Application,
    Boundary,
    MaterialKind,
    MaterialRef,
    PlanItem,
    Stage,
    YearFigures,
)
from zc_review.errors import BundleError

# --------------------------------------------------------------------------- builders


def rich_app(stage: Stage = Stage.APPLICATION) -> Application:
    """An application with every field set to a non-default value."""
    return Application(
        community_name="苏州独墅湖众创社区",
        city="苏州市",
        county="苏州工业园区",
        applicant="苏州工业园区管理委员会",
        stage=stage,
        contact_name="张三",
        contact_phone="0512-66881234",
        leading_industry="电子信息",
        industry_positioning="聚焦集成电路设计与软件服务，\n打造“芯片＋软件”特色产业集群。",
        boundary=Boundary(east="星湖街", south="独墅湖", west="南施街", north="金鸡湖大道"),
        planned_area_km2=Decimal("3.15"),
        carrier_floor_area_m2=Decimal("215000.5"),
        makerspaces=6,
        nurseries=2,
        incubators=4,
        accelerators=1,
        thousand_talents=12,
        dual_innovation_talents=35,
        returnees=420,
        graduates=1500,
        partner_universities=8,
        partner_enterprises=11,
        enclave_incubation=True,
        finance_institutions=23,
        intermediary_institutions=17,
        online_platform=True,
        wifi_coverage_pct=Decimal("100"),
        digital_mgmt_coverage_pct=Decimal("92.5"),
        service_platforms=("创业服务", "教育培训", "文体娱乐"),
        management_body="独墅湖众创社区管理办公室",
        support_policies=True,
        statistics_system=False,
        years=(
            YearFigures(
                2017, Decimal("12000.1"), Decimal("8400.07"), Decimal("56000"), Decimal("34000.3"), 120, 980
            ),
            YearFigures(
                2018, Decimal("13500"), Decimal("9450"), Decimal("61000.25"), Decimal("37000"), 133, 1085
            ),
            YearFigures(2019, Decimal("15000"), Decimal("10500"), None, None, 147, None),
        ),
        construction_plan=(
            PlanItem("2017年", "改造存量厂房，建设专业化众创空间", Decimal("3000")),
            PlanItem("2018年1月—2018年12月", "建设科技企业加速器", Decimal("4500.5")),
            PlanItem("2019年", "完善人才公寓和文体设施"),
        ),
        materials=(
            MaterialRef(MaterialKind.PLAN, "附件/创建方案.pdf", "独墅湖众创社区创建方案"),
            MaterialRef(MaterialKind.BOUNDARY, "附件/四至范围图.jpg"),
            MaterialRef(MaterialKind.POSITIONING, "附件/产业定位.pdf"),
            MaterialRef(MaterialKind.INVESTMENT, "附件/投资规模.xlsx"),
            MaterialRef(MaterialKind.SCHEDULE, "附件/建设计划.docx"),
            MaterialRef(MaterialKind.CONCEPT, "附件/概念性规划.pdf", "概念性规划文本"),
            MaterialRef(MaterialKind.OTHER, "附件/其他/政策汇编.pdf", "扶持政策汇编"),
        ),
        pilot_year=2 if stage is Stage.ANNUAL else None,
    )


def filled(tmp_path: Path, app: Application | None = None, name: str = "filled.xlsx") -> Path:
    path = tmp_path / name
    write_filled(app or rich_app(), path)
    return path


def label_cell(ws: Worksheet, label: str) -> tuple[int, int]:
    """(row, column) of the cell holding ``label`` (compared the way the reader compares)."""
    key = normalise_label(label)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and normalise_label(cell.value) == key:
                return cell.row, cell.column
    raise AssertionError(f"label {label} not in {ws.title}")


def set_value(path: Path, sheet: str, label: str, value: object) -> None:
    """Overwrite the value right of ``label`` on the basics sheet."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row, col = label_cell(ws, label)
    ws.cell(row=row, column=col + 1).value = value
    wb.save(path)


def table_cell(ws: Worksheet, header: str, data_row: int) -> tuple[int, int]:
    """(row, column) of the ``data_row``-th (1-based) record under ``header``."""
    row, col = label_cell(ws, header)
    return row + data_row, col


def problems_of(path: Path) -> list[WorkbookProblem]:
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    return info.value.problems


def has_problem(problems: list[WorkbookProblem], label: str, needle: str) -> bool:
    return any(p.label == label and needle in p.zh for p in problems)


# --------------------------------------------------------------------------- round trips


def test_rich_app_sets_every_field() -> None:
    # Guards the round-trip tests: a field left at its default would not be exercised.
    app = rich_app(Stage.ANNUAL)
    defaults = Application(community_name="", city="", county="", applicant="")
    for f in dataclasses.fields(Application):
        if f.name != "stage":
            assert getattr(app, f.name) != getattr(defaults, f.name), f.name


@pytest.mark.parametrize("stage", list(Stage))
def test_filled_workbook_reads_back_equal(tmp_path: Path, stage: Stage) -> None:
    app = rich_app(stage)
    assert read_workbook(filled(tmp_path, app)) == app


def test_minimal_application_round_trips(tmp_path: Path) -> None:
    app = Application(community_name="某众创社区", city="宿迁市", county="宿城区", applicant="宿城区人民政府")
    assert read_workbook(filled(tmp_path, app)) == app


def test_reading_is_fast(tmp_path: Path) -> None:
    path = filled(tmp_path)
    read_workbook(path)  # warm imports
    start = time.perf_counter()
    read_workbook(path)
    assert time.perf_counter() - start < 0.5


def test_unknown_service_platform_is_refused_on_write(tmp_path: Path) -> None:
    app = dataclasses.replace(rich_app(), service_platforms=("空中花园",))
    with pytest.raises(ValueError):
        write_filled(app, tmp_path / "x.xlsx")


# --------------------------------------------------------------------------- the template


@pytest.mark.parametrize("stage", list(Stage))
def test_template_title_and_sheets_follow_the_stage(tmp_path: Path, stage: Stage) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, stage)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        SHEET_GUIDE,
        SHEET_BASICS,
        SHEET_INVESTMENT,
        SHEET_INDICATORS,
        SHEET_PLAN,
        SHEET_MATERIALS,
    ]
    assert wb[SHEET_BASICS]["A1"].value == STAGE_TITLES[stage]
    assert STAGE_TITLES[stage] in str(wb[SHEET_GUIDE]["A1"].value)
    basics_text = {
        normalise_label(str(c.value)) for row in wb[SHEET_BASICS].iter_rows() for c in row if c.value
    }
    assert ("试点年度" in basics_text) == (stage is Stage.ANNUAL)


def test_guide_sheet_explains_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    ws = openpyxl.load_workbook(path)[SHEET_GUIDE]
    text = "".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for phrase in ("必填", "公式", "万元", "材料清单", ".xlsx"):
        assert phrase in text


def _input_cells(ws: Worksheet) -> list[str]:
    return [c.coordinate for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == "00FFF2CC"]


def test_every_input_cell_has_data_validation(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, Stage.ANNUAL)
    wb = openpyxl.load_workbook(path)
    for name in (SHEET_BASICS, SHEET_INVESTMENT, SHEET_INDICATORS, SHEET_PLAN, SHEET_MATERIALS):
        ws = wb[name]
        inputs = _input_cells(ws)
        assert inputs, name
        for coord in inputs:
            dvs = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
            assert dvs, f"{name}!{coord} has no validation"
            assert dvs[0].showErrorMessage and dvs[0].error and dvs[0].prompt
            assert not ws[coord].protection.locked


def _validation_of(path: Path, label: str) -> openpyxl.worksheet.datavalidation.DataValidation:
    ws = openpyxl.load_workbook(path)[SHEET_BASICS]
    row, col = label_cell(ws, label)
    coord = ws.cell(row=row, column=col + 1).coordinate
    return next(dv for dv in ws.data_validations.dataValidation if coord in dv.sqref)


def test_validation_lists_and_ranges(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    city = _validation_of(path, "设区市")
    assert city.type == "list" and city.errorStyle in (None, "stop")
    assert city.formula1 == '"' + ",".join(JIANGSU_CITIES) + '"'
    industry = _validation_of(path, "主导特色战略新兴产业")
    assert industry.type == "list" and all(i in industry.formula1 for i in POLICY_INDUSTRIES)
    assert _validation_of(path, "是否建有开放式互联网线上平台").formula1 == '"是,否"'
    wifi = _validation_of(path, "公共无线网络覆盖率（%）")
    assert (wifi.type, wifi.formula1, wifi.formula2) == ("decimal", "0", "100")
    assert _validation_of(path, "科技企业孵化器（家）").type == "whole"
    assert "请" in wifi.error


def test_template_is_ready_to_print(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert STAGE_TITLES[Stage.APPLICATION] in ws.oddHeader.center.text


def test_materials_checklist_has_a_row_per_required_material(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    assert _checklist_kinds(path) == [k.label_zh for k in REQUIRED_MATERIALS] + ["其他附件"] * 3


def _checklist_kinds(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)[SHEET_MATERIALS]
    row, col = label_cell(ws, "材料类别")
    return [ws.cell(row=r, column=col).value for r in range(row + 1, ws.max_row + 1)]


def test_checklist_keeps_required_rows_in_place_when_materials_are_missing(tmp_path: Path) -> None:
    app = rich_app()
    app = dataclasses.replace(
        app, materials=tuple(m for m in app.materials if m.kind != MaterialKind.BOUNDARY)
    )
    path = filled(tmp_path, app)
    assert _checklist_kinds(path) == [k.label_zh for k in REQUIRED_MATERIALS] + ["其他附件"] * 4
    assert read_workbook(path) == app


def test_materials_in_any_order_read_back_in_the_same_order(tmp_path: Path) -> None:
    app = dataclasses.replace(rich_app(), materials=tuple(reversed(rich_app().materials)))
    assert read_workbook(filled(tmp_path, app)) == app


def test_empty_template_reports_every_missing_required_value(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, Stage.ANNUAL)
    problems = problems_of(path)
    assert {p.label for p in problems} == {"试点年度", "众创社区名称", "设区市", "县（市、区）", "申报单位"}
    assert all(p.sheet == SHEET_BASICS and p.row and "必填" in p.zh for p in problems)


# --------------------------------------------------------------------------- found by labels


def test_inserted_rows_and_columns_still_read(tmp_path: Path) -> None:
    app = rich_app()
    path = filled(tmp_path, app)
    wb = openpyxl.load_workbook(path)
    basics = wb[SHEET_BASICS]
    basics.insert_rows(10, 2)
    basics.insert_cols(2)  # between every label and its value
    basics.insert_cols(1)
    for name in (SHEET_INVESTMENT, SHEET_INDICATORS, SHEET_PLAN, SHEET_MATERIALS):
        ws = wb[name]
        ws.insert_rows(2, 3)  # above the header
        ws.insert_cols(2)  # inside the table
        ws.insert_cols(1)
    wb.save(path)
    assert read_workbook(path) == app


def test_renamed_and_reordered_sheets_are_found_by_content(tmp_path: Path) -> None:
    app = rich_app()
    path = filled(tmp_path, app)
    wb = openpyxl.load_workbook(path)
    for i, ws in enumerate(wb.worksheets):
        ws.title = f"Sheet{i + 1}"
    wb.move_sheet("Sheet6", offset=-4)
    wb.save(path)
    assert read_workbook(path) == app


def test_labels_with_other_punctuation_and_spaces_still_match(tmp_path: Path) -> None:
    app = rich_app()
    path = filled(tmp_path, app)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_BASICS]
    edits = {
        "县（市、区）": "县 (市、区)：",
        "规划面积（平方公里）": "规划面积(平方公里):",
        "众创社区名称": " 众创社区名称 * ",
    }
    for old, new in edits.items():
        row, col = label_cell(ws, old)
        ws.cell(row=row, column=col).value = new
    wb.save(path)
    assert read_workbook(path) == app


def test_empty_row_inside_a_table_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_PLAN]
    row, _ = table_cell(ws, "建设内容", 2)
    ws.insert_rows(row)
    wb.save(path)
    problems = problems_of(path)
    assert any(p.sheet == SHEET_PLAN and p.row == row and "空行" in p.zh for p in problems)


# --------------------------------------------------------------------------- value checks


def test_all_value_problems_are_reported_together(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    basics = wb[SHEET_BASICS]

    def put(label: str, value: object) -> None:
        row, col = label_cell(basics, label)
        basics.cell(row=row, column=col + 1).value = value

    put("规划面积（平方公里）", "abc")
    put("专业化众创空间（家）", -3)
    put("公共无线网络覆盖率（%）", 120)
    put("设区市", "北京市")
    put("众创社区名称", None)
    put("加速器（家）", 2.5)
    put("是否建有开放式互联网线上平台", "可能")
    put("创新创业服务载体建筑面积（平方米）", "=100000*2")
    inv = wb[SHEET_INVESTMENT]
    r, c = table_cell(inv, "其中：特色战略新兴产业项目投资（万元）", 1)
    inv.cell(row=r, column=c).value = 99999  # larger than the year's total investment
    r, c = table_cell(inv, "年度", 3)
    inv.cell(row=r, column=c).value = 2017  # a repeated year
    wb.save(path)

    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    problems = info.value.problems
    assert has_problem(problems, "规划面积（平方公里）", "应填写数字")
    assert has_problem(problems, "专业化众创空间（家）", "负数")
    assert has_problem(problems, "公共无线网络覆盖率（%）", "不能大于 100")
    assert has_problem(problems, "设区市", "北京市")
    assert has_problem(problems, "众创社区名称", "必填")
    assert has_problem(problems, "加速器（家）", "整数")
    assert has_problem(problems, "是否建有开放式互联网线上平台", "“是”或“否”")
    assert has_problem(problems, "创新创业服务载体建筑面积（平方米）", "公式")
    assert has_problem(problems, "其中：特色战略新兴产业项目投资（万元）", "大于")
    assert has_problem(problems, "年度", "重复")
    # The year replaced by the repeat is now only in the indicators table.
    assert has_problem(problems, "年度", "两表的年度须一致")
    assert len(problems) == 11
    for p in problems:
        assert p.sheet in (SHEET_BASICS, SHEET_INVESTMENT, SHEET_INDICATORS) and p.row is not None and p.en
    # The message lists every problem with its place.
    message = info.value.zh
    assert "11 处问题" in message and message.count("\n") == 11
    assert "〔基本情况〕" in message and "「设区市」" in message and "〔投资规模〕" in message


def test_formula_in_a_table_is_refused_by_label(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INDICATORS]
    r, c = table_cell(ws, "社区产业总产值（万元）", 2)
    ws.cell(row=r, column=c).value = "=SUM(B4:B5)"
    wb.save(path)
    problems = problems_of(path)
    assert [(p.sheet, p.row, p.label) for p in problems] == [(SHEET_INDICATORS, r, "社区产业总产值（万元）")]
    assert "公式" in problems[0].zh and "formula" in problems[0].en


def test_hightech_output_above_total_output_is_refused(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INDICATORS]
    r, c = table_cell(ws, "其中：高新技术产业产值（万元）", 1)
    ws.cell(row=r, column=c).value = 56000.01
    wb.save(path)
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].row == r and "2017" in problems[0].zh


def _read_with(tmp_path: Path, label: str, value: object, number_format: str | None = None) -> Application:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_BASICS]
    row, col = label_cell(ws, label)
    cell = ws.cell(row=row, column=col + 1)
    cell.value = value
    if number_format:
        cell.number_format = number_format
    wb.save(path)
    return read_workbook(path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, Decimal("0.1")),
        (3.0, Decimal("3")),
        ("1,234.5", Decimal("1234.5")),
        ("１２.５", Decimal("12.5")),  # full-width digits
        (" 7 ", Decimal("7")),
    ],
)
def test_numbers_are_read_as_exact_decimals(tmp_path: Path, value: object, expected: Decimal) -> None:
    app = _read_with(tmp_path, "创新创业服务载体建筑面积（平方米）", value)
    assert app.carrier_floor_area_m2 == expected
    assert str(app.carrier_floor_area_m2) == str(expected)


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        ("70%", None, Decimal("70")),
        (0.955, "0.0%", Decimal("95.5")),
        (1, "0%", Decimal("100")),
        (88, None, 88),
    ],
)
def test_percentages_accept_percent_text_and_percent_cells(
    tmp_path: Path, value: object, number_format: str | None, expected: Decimal
) -> None:
    app = _read_with(tmp_path, "数字化管理覆盖率（%）", value, number_format)
    assert app.digital_mgmt_coverage_pct == expected


@pytest.mark.parametrize("value", ["1,23", "12万元", "70%", "1e5"])
def test_malformed_number_text_is_refused(tmp_path: Path, value: str) -> None:
    path = filled(tmp_path)
    set_value(path, SHEET_BASICS, "规划面积（平方公里）", value)
    problems = problems_of(path)
    assert [p.label for p in problems] == ["规划面积（平方公里）"]


def test_numbers_typed_into_text_fields_become_text(tmp_path: Path) -> None:
    app = _read_with(tmp_path, "联系电话", 13912345678)
    assert app.contact_phone == "13912345678"


def test_city_without_shi_suffix_is_accepted(tmp_path: Path) -> None:
    assert _read_with(tmp_path, "设区市", "南通").city == "南通市"


def test_unknown_material_kind_and_backslash_paths(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MATERIALS]
    r, c = table_cell(ws, "文件名（压缩包内路径）", 1)
    ws.cell(row=r, column=c).value = "附件\\创建方案.pdf"
    r2, c2 = table_cell(ws, "材料类别", 2)
    ws.cell(row=r2, column=c2).value = "宣传册"
    wb.save(path)
    problems = problems_of(path)
    assert [(p.row, p.label) for p in problems] == [(r2, "材料类别")]
    ws.cell(row=r2, column=c2).value = "四至范围"
    wb.save(path)
    assert read_workbook(path).materials[0].filename == "附件/创建方案.pdf"


def test_missing_sheet_is_reported(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb[SHEET_PLAN]
    wb.save(path)
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].sheet == SHEET_PLAN and "找不到" in problems[0].zh


def test_error_is_a_bilingual_bundle_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "申报书.xlsx"
    write_template(path)
    with pytest.raises(BundleError) as info:
        read_workbook(path)
    assert str(info.value).startswith("申报书.xlsx：")
    i18n.set_language("en")
    try:
        assert "problem(s)" in str(info.value)
    finally:
        i18n.set_language("zh")


# --------------------------------------------------------------------------- hostile and broken files

_BOMB_DTD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + "]>\n"
)


def _rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in replace.items():
            if name not in zin.namelist():
                zout.writestr(name, data)


def _bomb_in_shared_strings(src: Path, dst: Path) -> None:
    """Add a sharedStrings part, properly registered, whose one string expands to a billion 'lol'."""
    with zipfile.ZipFile(src) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdBomb" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    sst = (
        _BOMB_DTD + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    _rewrite_zip(
        src,
        dst,
        {
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "xl/sharedStrings.xml": sst.encode(),
        },
    )


def _bomb_in_sheet(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(src) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    body = body.replace("<t>众创社区名称", "<t>&lol9;众创社区名称", 1)
    _rewrite_zip(src, dst, {"xl/worksheets/sheet2.xml": (_BOMB_DTD + body).encode()})


def test_openpyxl_parses_with_defusedxml(tmp_path: Path) -> None:
    # The second line of defence, independent of the reader's own pre-check.
    assert openpyxl.DEFUSEDXML is True
    bomb = tmp_path / "bomb.xlsx"
    _bomb_in_shared_strings(filled(tmp_path), bomb)
    with pytest.raises(Exception) as info:
        openpyxl.load_workbook(bomb)
    chain = [info.value, info.value.__cause__, info.value.__context__]
    assert any(isinstance(e, EntitiesForbidden) for e in chain)


@pytest.mark.parametrize("inject", [_bomb_in_shared_strings, _bomb_in_sheet])
def test_xml_bomb_is_refused_quickly_without_blowing_memory(tmp_path: Path, inject: object) -> None:
    bomb = tmp_path / "bomb.xlsx"
    inject(filled(tmp_path), bomb)  # type: ignore[operator]
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(WorkbookError) as info:
            read_workbook(bomb)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 2 and peak < 50 * 1024 * 1024
    assert "拒绝读取" in info.value.zh


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a spreadsheet",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,  # a legacy .xls / encrypted workbook
        b"PK\x03\x04 truncated zip",
    ],
)
def test_corrupt_file_gives_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    assert info.value.problems and ".xlsx" in info.value.zh


def test_zip_that_is_not_a_workbook_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    assert "xl/workbook.xml" in info.value.zh


def test_broken_sheet_xml_gives_a_clear_error(tmp_path: Path) -> None:
    src = filled(tmp_path)
    path = tmp_path / "broken.xlsx"
    _rewrite_zip(src, path, {"xl/worksheets/sheet2.xml": b"<worksheet><sheetData><row>"})
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    assert "损坏" in info.value.zh


def test_missing_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as info:
        read_workbook(tmp_path / "nowhere.xlsx")
    assert "无法打开" in info.value.zh


def test_external_links_are_refused(tmp_path: Path) -> None:
    src = filled(tmp_path)
    path = tmp_path / "linked.xlsx"
    link = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><ddeLink ddeService="cmd" '
        b'ddeTopic="/c calc"/></externalLink>'
    )
    _rewrite_zip(src, path, {"xl/externalLinks/externalLink1.xml": link})
    problems = problems_of(path)
    assert len(problems) == 1 and "外部链接" in problems[0].zh


def test_dde_formula_anywhere_is_refused(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb[SHEET_PLAN]["H20"] = "=cmd|' /C calc'!A0"
    wb.save(path)
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].sheet == SHEET_PLAN and "DDE" in problems[0].zh


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; in CI this test must run",
)
def test_libreoffice_resave_still_reads(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "soffice is missing: apt-get install libreoffice-calc-nogui"
    app = rich_app(Stage.ANNUAL)
    src = filled(tmp_path, app, "申报书.xlsx")
    out = tmp_path / "out"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = out / "申报书.xlsx"
    assert resaved.read_bytes() != src.read_bytes()
    assert read_workbook(resaved) == app


# Keep the layout's two by-year tables distinct: the reader finds them by their headers.
def test_by_year_tables_have_distinct_headers() -> None:
    inv = {c.label for c in INVESTMENT_TABLE.data_columns} - {"年度"}
    ind = {c.label for c in INDICATORS_TABLE.data_columns} - {"年度"}
    assert inv and ind and not inv & ind


def test_a_year_in_only_one_of_the_two_yearly_tables_is_reported(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INDICATORS]
    r, c = table_cell(ws, "年度", 1)
    first_year = ws.cell(row=r, column=c).value
    ws.cell(row=r, column=c).value = 2099
    wb.save(path)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    problems = info.value.problems
    assert any(p.sheet == SHEET_INDICATORS and p.row == r and "2099" in p.zh for p in problems)
    assert any(p.sheet == SHEET_INVESTMENT and str(first_year) in p.zh for p in problems)


# --------------------------------------------------------------------------- bounded, human messages

MAX_LINES = 22  # the header, at most 20 problems, the count of the rest


def assert_human(error: BundleError, max_chars: int = 4000) -> None:
    """A screenful, in words: no Python data, every line short, in both languages."""
    for text in (error.zh, error.en, str(error)):
        assert len(text) <= max_chars, len(text)
        assert text.count("\n") < MAX_LINES
        for bad in ("[", "]", "{", "}", "Decimal(", "datetime(", "None", "\\x", "\\u"):
            assert bad not in text, (bad, text[:300])
        assert all(len(line) <= 300 for line in text.splitlines())


def _error(path: Path) -> WorkbookError:
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    return info.value


def _edit(path: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _fill_rows(ws: Worksheet, header: str, count: int, values: dict[str, object]) -> None:
    """Write ``count`` records under the table whose header holds ``header`` (column -> value)."""
    row, _ = label_cell(ws, header)
    cols = {label: label_cell(ws, label)[1] for label in values}
    for i in range(count):
        for label, value in values.items():
            ws.cell(row=row + 1 + i, column=cols[label], value=value(i) if callable(value) else value)


def test_ten_thousand_plan_rows_give_one_short_message(tmp_path: Path) -> None:
    def many(wb: openpyxl.Workbook) -> None:
        _fill_rows(
            wb[SHEET_PLAN],
            "建设期间",
            10_000,
            {"建设期间": "2017年", "建设内容": "扩建", "计划投资（万元）": 1},
        )

    error = _error(_edit(filled(tmp_path), many))
    assert_human(error, 600)
    (problem,) = error.problems
    assert problem.sheet == SHEET_PLAN and problem.label == "建设期间"
    assert problem.row == 4 + 200  # the first row over the limit
    assert "最多可填 200 行" in problem.zh and "10000 行" in problem.zh
    assert "at most 200 rows" in problem.en


def test_ten_thousand_year_rows_give_one_short_message(tmp_path: Path) -> None:
    def many(wb: openpyxl.Workbook) -> None:
        _fill_rows(
            wb[SHEET_INVESTMENT],
            "年度",
            10_000,
            {"年度": lambda i: 2000 + i % 50, "建设项目总投资（万元）": 1},
        )

    error = _error(_edit(filled(tmp_path), many))
    assert_human(error, 600)
    assert [(p.sheet, p.label) for p in error.problems] == [(SHEET_INVESTMENT, "年度")]
    assert "最多可填 20 行" in error.zh


def test_many_problems_list_a_screenful_then_count_the_rest(tmp_path: Path) -> None:
    def bad_rows(wb: openpyxl.Workbook) -> None:
        # 150 rows (under the limit), each with two bad values: 300 problems.
        _fill_rows(
            wb[SHEET_PLAN],
            "建设期间",
            150,
            {"建设期间": "", "建设内容": "扩建", "计划投资（万元）": "很多"},
        )

    error = _error(_edit(filled(tmp_path), bad_rows))
    assert len(error.problems) == 300
    assert_human(error)
    lines = error.zh.splitlines()
    assert len(lines) == 1 + 20 + 1
    assert lines[0].startswith("工作簿有 300 处问题")
    assert "另有 280 处问题" in lines[-1]
    assert "280 more problem(s)" in error.en.splitlines()[-1]
    for line in lines[1:-1]:
        assert "〔建设计划〕第" in line and "行「" in line  # sheet, row and label on every line


def test_user_text_quoted_in_a_message_is_cut_and_made_visible(tmp_path: Path) -> None:
    path = filled(tmp_path)
    set_value(path, SHEET_BASICS, "规划面积（平方公里）", "很大" * 3000)
    error = _error(path)
    assert_human(error, 800)
    assert "…" in error.zh


@pytest.mark.parametrize(
    "char",
    [
        "\u202e",
        "\u202a",
        "\u2066",
        "\u2069",
        "\u200e",
        "\u200f",
        "\u061c",
        "\u200b",
        "\u200d",
        "\u2060",
        "\ufeff",
    ],
)
def test_bidi_and_zero_width_characters_in_the_community_name_are_refused(tmp_path: Path, char: str) -> None:
    path = filled(tmp_path)
    set_value(path, SHEET_BASICS, "众创社区名称", f"紫金{char}众创社区")
    error = _error(path)
    assert_human(error)
    (problem,) = error.problems
    assert (problem.sheet, problem.label) == (SHEET_BASICS, "众创社区名称")
    assert problem.row is not None
    assert f"U+{ord(char):04X}" in problem.zh and f"U+{ord(char):04X}" in problem.en
    assert char not in error.zh and char not in error.en  # never echoed as is


def test_invisible_characters_are_refused_in_any_text_field(tmp_path: Path) -> None:
    path = filled(tmp_path)
    set_value(path, SHEET_BASICS, "申报单位", "南京市\u200b人民政府")
    set_value(path, SHEET_BASICS, "东至", "星湖街\u202e")

    def plan_and_checklist(wb: openpyxl.Workbook) -> None:
        ws = wb[SHEET_PLAN]
        r, c = table_cell(ws, "建设内容", 1)
        ws.cell(row=r, column=c, value="建设\u2067加速器")
        ws = wb[SHEET_MATERIALS]
        r, c = table_cell(ws, "文件名（压缩包内路径）", 1)
        ws.cell(row=r, column=c, value="附件/\u202efdp.exe")

    error = _error(_edit(path, plan_and_checklist))
    assert_human(error)
    assert {(p.sheet, p.label) for p in error.problems} == {
        (SHEET_BASICS, "申报单位"),
        (SHEET_BASICS, "东至"),
        (SHEET_PLAN, "建设内容"),
        (SHEET_MATERIALS, "文件名（压缩包内路径）"),
    }


def test_a_hidden_row_with_data_is_refused_naming_the_row(tmp_path: Path) -> None:
    path = filled(tmp_path)
    row, _ = label_cell(openpyxl.load_workbook(path)[SHEET_BASICS], "设区市")

    def hide(wb: openpyxl.Workbook) -> None:
        wb[SHEET_BASICS].row_dimensions[row].hidden = True

    error = _error(_edit(path, hide))
    assert_human(error)
    (problem,) = error.problems
    assert (problem.sheet, problem.row, problem.label) == (SHEET_BASICS, row, "设区市")
    assert "隐藏" in problem.zh and "hidden" in problem.en


def test_hidden_table_rows_are_refused_naming_row_and_label(tmp_path: Path) -> None:
    path = filled(tmp_path)

    def hide(wb: openpyxl.Workbook) -> None:
        ws = wb[SHEET_INDICATORS]
        r, _ = table_cell(ws, "年度", 2)
        ws.row_dimensions[r].hidden = True
        ws = wb[SHEET_PLAN]
        r, _ = table_cell(ws, "建设内容", 1)
        ws.row_dimensions[r].hidden = True  # as a filter or a collapsed outline leaves it

    error = _error(_edit(path, hide))
    assert_human(error)
    assert [(p.sheet, p.row, p.label) for p in error.problems] == [
        (SHEET_INDICATORS, 5, "年度"),
        (SHEET_PLAN, 4, "建设期间"),
    ]


def test_an_empty_hidden_row_is_harmless(tmp_path: Path) -> None:
    path = filled(tmp_path)

    def hide(wb: openpyxl.Workbook) -> None:
        ws = wb[SHEET_PLAN]
        r, _ = table_cell(ws, "建设内容", 6)  # one of the template's blank rows
        ws.row_dimensions[r].hidden = True

    assert read_workbook(_edit(path, hide)) == rich_app()


def test_a_hidden_column_with_data_is_refused_naming_the_label(tmp_path: Path) -> None:
    path = filled(tmp_path)

    def hide(wb: openpyxl.Workbook) -> None:
        wb[SHEET_BASICS].column_dimensions["B"].hidden = True
        ws = wb[SHEET_INVESTMENT]
        _, c = label_cell(ws, "建设项目总投资（万元）")
        ws.column_dimensions[get_column_letter(c)].hidden = True

    error = _error(_edit(path, hide))
    assert_human(error)
    assert has_problem(error.problems, "众创社区名称", "B 列")
    assert has_problem(error.problems, "建设项目总投资（万元）", "被隐藏")
    assert all(p.row is not None for p in error.problems)


def test_a_hidden_sheet_is_refused(tmp_path: Path) -> None:
    def hide(wb: openpyxl.Workbook) -> None:
        wb[SHEET_PLAN].sheet_state = "hidden"

    error = _error(_edit(filled(tmp_path), hide))
    assert_human(error)
    assert [(p.sheet, p.zh[:12]) for p in error.problems] == [(SHEET_PLAN, "这张工作表被隐藏，但其中")]


def test_a_merged_cell_over_inputs_is_refused_naming_the_label(tmp_path: Path) -> None:
    path = filled(tmp_path)
    row, _ = label_cell(openpyxl.load_workbook(path)[SHEET_BASICS], "设区市")

    def merge(wb: openpyxl.Workbook) -> None:
        wb[SHEET_BASICS].merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=2)

    error = _error(_edit(path, merge))
    assert_human(error)
    merged = [p for p in error.problems if "合并" in p.zh]
    assert [(p.sheet, p.row, p.label) for p in merged] == [(SHEET_BASICS, row, "设区市")]
    assert f"A{row}:B{row + 1}" in merged[0].zh and "merged" in merged[0].en


def test_a_merged_value_cell_spanning_two_inputs_is_refused(tmp_path: Path) -> None:
    path = filled(tmp_path)
    ws = openpyxl.load_workbook(path)[SHEET_BASICS]
    east, _ = label_cell(ws, "东至")

    def merge(wb: openpyxl.Workbook) -> None:
        wb[SHEET_BASICS].merge_cells(f"B{east}:B{east + 1}")  # 南至's value is lost

    error = _error(_edit(path, merge))
    assert_human(error)
    assert has_problem(error.problems, "东至", f"B{east}:B{east + 1}")
    assert has_problem(error.problems, "南至", f"B{east}:B{east + 1}")


def test_a_merge_that_keeps_the_value_right_of_its_label_is_accepted(tmp_path: Path) -> None:
    path = filled(tmp_path)
    row, _ = label_cell(openpyxl.load_workbook(path)[SHEET_BASICS], "申报单位")

    def merge(wb: openpyxl.Workbook) -> None:
        wb[SHEET_BASICS].merge_cells(f"B{row}:D{row}")  # a wider box for a long name
        wb[SHEET_BASICS].merge_cells("A1:B1")  # the title

    assert read_workbook(_edit(path, merge)) == rich_app()


def test_a_merged_cell_in_a_table_is_refused_naming_the_column(tmp_path: Path) -> None:
    path = filled(tmp_path)

    def merge(wb: openpyxl.Workbook) -> None:
        ws = wb[SHEET_PLAN]
        r, c = table_cell(ws, "建设期间", 1)
        ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)

    error = _error(_edit(path, merge))
    assert_human(error)
    assert [(p.sheet, p.row, p.label) for p in error.problems if "合并" in p.zh] == [
        (SHEET_PLAN, 4, "建设期间")
    ]


def test_too_many_decimal_places_are_refused_and_negative_zero_is_zero(tmp_path: Path) -> None:
    path = filled(tmp_path)
    set_value(path, SHEET_BASICS, "规划面积（平方公里）", "3.1234567")
    error = _error(path)
    assert_human(error)
    assert has_problem(error.problems, "规划面积（平方公里）", "最多保留 6 位小数")
    set_value(path, SHEET_BASICS, "规划面积（平方公里）", "-0")
    area = read_workbook(path).planned_area_km2
    assert area == 0 and str(area) == "0"
    set_value(path, SHEET_BASICS, "规划面积（平方公里）", "3.1500000000")
    assert str(read_workbook(path).planned_area_km2) == "3.150000"


def test_the_county_is_limited_to_what_a_bundle_can_carry(tmp_path: Path) -> None:
    path = filled(tmp_path)
    set_value(path, SHEET_BASICS, "县（市、区）", "区" * 51)
    error = _error(path)
    assert has_problem(error.problems, "县（市、区）", "不能超过 50 字")


def test_error_messages_of_damaged_files_carry_no_exception_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    error = _error(path)
    assert_human(error)
    assert "BadZipFile" not in error.en and "Error" not in error.en


def test_row_and_length_limits_match_what_a_sealed_bundle_may_carry() -> None:
    # A workbook the reader accepts must make a manifest the schema accepts, or the county
    # would be told its bundle is malformed instead of which rows to delete.
    from zc_review.resources import resource_path

    schema = json.loads(resource_path("schema/manifest.schema.json").read_text("utf-8"))
    data = schema["properties"]["application"]["properties"]["data"]["properties"]
    assert INVESTMENT_TABLE.max_rows <= data["years"]["maxItems"]
    assert INDICATORS_TABLE.max_rows <= data["years"]["maxItems"]
    assert PLAN_TABLE.max_rows <= data["construction_plan"]["maxItems"]
    assert MATERIALS_TABLE.max_rows <= data["materials"]["maxItems"]
    county = next(f for f in basic_fields() if f.attr == "county")
    assert county.max_length is not None and county.max_length <= data["county"]["maxLength"]


def test_a_zero_height_row_with_data_counts_as_hidden(tmp_path: Path) -> None:
    # Excel can save a row dragged to no height as ht="0" without the hidden flag.
    src = filled(tmp_path)
    row, _ = label_cell(openpyxl.load_workbook(src)[SHEET_BASICS], "申报单位")
    sheet_xml = "xl/worksheets/sheet2.xml"  # the basics sheet, second in the template
    xml = zipfile.ZipFile(src).read(sheet_xml).decode()
    assert f'<row r="{row}">' in xml
    flat = tmp_path / "flat.xlsx"
    _rewrite_zip(
        src,
        flat,
        {sheet_xml: xml.replace(f'<row r="{row}">', f'<row r="{row}" ht="0" customHeight="1">').encode()},
    )
    error = _error(flat)
    assert [(p.sheet, p.row, p.label) for p in error.problems] == [(SHEET_BASICS, row, "申报单位")]
    assert "隐藏" in error.problems[0].zh
