"""The application workbook (申报书 .xlsx): template, filled copy, and reading it back.

The writer lays out the labels of :mod:`zc_review.bundles.workbook_layout` with
data validation, input styling and print setup. The reader finds every value by
its label (key/value rows: the first non-empty cell right of the label; tables:
the column under a header found by its labels), so rows or columns inserted by
the county, or a re-save in WPS or LibreOffice, do not break it.

What the reader accepts as a number: numeric cells; text such as ``"1234.5"``,
``"1,234.5"`` (correct thousands grouping), full-width digits, surrounding
spaces; for percentages also ``"70%"`` (meaning 70) and a numeric cell with a
percent number format (0.7 shown as 70% means 70). Floats become ``Decimal`` via
their shortest repr, so a cell holding 0.1 gives ``Decimal("0.1")``. Whole-number
fields accept ``12`` and ``12.0`` but not ``12.5``. Yes/no fields accept 是/否
(also 有/无 and TRUE/FALSE). Formulas, error values and external/DDE links are
refused: a submission must carry its values, not instructions to compute them.

What a reviewer could not see is refused rather than read: data in hidden rows,
columns or sheets, merged ranges over input cells (merging keeps only the
top-left value), and bidirectional or zero-width characters in any value (they
make text look unlike what it is). Tables hold at most what a sealed bundle may
carry (``TableSpec.max_rows``). Problems name sheet, row and label; a message
lists at most :data:`MAX_LISTED_PROBLEMS` of them and counts the rest, and user
text quoted in it is cut short with invisible characters spelled out.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from zc_review.bundles.workbook_layout import (
    BASIC_SECTIONS,
    BASICS_ANCHOR,
    INDICATORS_TABLE,
    INVESTMENT_TABLE,
    MATERIAL_BY_LABEL,
    MATERIALS_TABLE,
    MAX_DECIMAL_PLACES,
    MAX_LONG_TEXT,
    MAX_TEXT,
    NO,
    PLAN_TABLE,
    SHEET_BASICS,
    SHEET_GUIDE,
    STAGE_BY_LABEL,
    STAGE_TITLES,
    YES,
    FieldSpec,
    Kind,
    TableSpec,
    basic_fields,
    display_label,
    normalise_label,
)
from zc_review.core.application import (
    JIANGSU_CITIES,
    MATERIAL_LABELS,
    POLICY_INDUSTRIES,
    REQUIRED_MATERIALS,
    SERVICE_PLATFORMS,
    Application,
    Boundary,
    MaterialKind,
    MaterialRef,
    PlanItem,
    Stage,
    YearFigures,
)
from zc_review.errors import BundleError

__all__ = ["WorkbookError", "WorkbookProblem", "read_workbook", "write_filled", "write_template"]


# --------------------------------------------------------------------------- errors


# At most this many problems are listed in a message (a screenful); the rest are counted.
MAX_LISTED_PROBLEMS = 20
# User content quoted in a message is cut to this many characters.
_QUOTE_LIMIT = 40
_SHEET_TITLE_LIMIT = 31  # Excel's own limit; a crafted file may have longer titles


def _invisible(text: str) -> list[str]:
    """The invisible characters of ``text`` that can disguise it, as ``U+XXXX``, in order of appearance.

    Format characters (bidirectional embeddings, overrides and isolates U+202A–U+202E
    and U+2066–U+2069, the marks U+200E/U+200F/U+061C, zero-width U+200B–U+200D,
    U+2060, U+FEFF, soft hyphens...) and control characters other than tab and line breaks.
    """
    found: dict[str, None] = {}
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf" or (category == "Cc" and ch not in "\t\n\r"):
            found.setdefault(f"U+{ord(ch):04X}")
    return list(found)


def shown(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """User content made safe to quote in a message: invisible characters spelled out, long text cut."""
    visible = "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cf", "Cc") and c not in "\t\n\r" else c
        for c in text
    )
    visible = " ".join(visible.split())  # line breaks and runs of spaces become one space
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


@dataclass(frozen=True)
class WorkbookProblem:
    """One thing wrong in a workbook, located by sheet, row and label."""

    sheet: str
    row: int | None
    label: str
    zh: str
    en: str

    def where_zh(self) -> str:
        """Location in Chinese, e.g. ``〔基本情况〕第5行「设区市」``."""
        parts = [f"〔{shown(self.sheet, _SHEET_TITLE_LIMIT)}〕"] if self.sheet else []
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.label:
            parts.append(f"「{self.label}」")
        return "".join(parts)

    def where_en(self) -> str:
        """Location in English, e.g. ``sheet “基本情况”, row 5, “设区市”``."""
        parts = [f"sheet “{shown(self.sheet, _SHEET_TITLE_LIMIT)}”"] if self.sheet else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.label:
            parts.append(f"“{self.label}”")
        return ", ".join(parts)


class WorkbookError(BundleError):
    """A workbook that cannot be read; ``problems`` lists everything found, not just the first.

    The message lists at most :data:`MAX_LISTED_PROBLEMS` of them (a screenful), then
    says how many more there are: 另有 K 处问题.
    """

    def __init__(self, problems: Sequence[WorkbookProblem], path: str | Path | None = None) -> None:
        self.problems: list[WorkbookProblem] = list(problems)
        total = len(self.problems)
        zh_lines = [f"工作簿有 {total} 处问题，请修改后重新提交："]
        en_lines = [f"The workbook has {total} problem(s); please correct and resubmit:"]
        for i, p in enumerate(self.problems[:MAX_LISTED_PROBLEMS], 1):
            where_zh, where_en = p.where_zh(), p.where_en()
            zh_lines.append(f"{i}. {where_zh}：{p.zh}" if where_zh else f"{i}. {p.zh}")
            en_lines.append(f"{i}. {where_en}: {p.en}" if where_en else f"{i}. {p.en}")
        rest = total - MAX_LISTED_PROBLEMS
        if rest > 0:
            zh_lines.append(f"……另有 {rest} 处问题未列出；请先修改以上问题，再重新检查。")
            en_lines.append(f"… and {rest} more problem(s) not listed; correct the above and check again.")
        super().__init__("\n".join(zh_lines), "\n".join(en_lines), path)


def _fatal(path: Path, zh: str, en: str) -> WorkbookError:
    return WorkbookError([WorkbookProblem("", None, "", zh, en)], path)


# --------------------------------------------------------------------------- styles

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TITLE_FONT = Font(name="宋体", size=16, bold=True)
_SECTION_FONT = Font(name="宋体", size=12, bold=True)
_LABEL_FONT = Font(name="宋体", size=11)
_REQUIRED_FONT = Font(name="宋体", size=11, bold=True, color="C00000")
_INPUT_FONT = Font(name="宋体", size=11, color="1F3864")
_NOTE_FONT = Font(name="宋体", size=10, italic=True, color="595959")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Titles are centred across the empty cells to their right instead of merged: openpyxl's
# insert_rows/insert_cols (and some hand edits) do not move merged ranges, and a label that
# lands inside a stale merge is lost. No merged cells at all keeps every label readable.
_ACROSS = Alignment(horizontal="centerContinuous", vertical="center")
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)

_NUMBER_FORMATS = {Kind.INT: "0", Kind.DECIMAL: "General", Kind.PERCENT: "General"}
_TEXT_FORMAT = "@"  # keeps phone numbers and periods as typed


def _style_label(cell: Cell, required: bool = False) -> None:
    cell.font = _REQUIRED_FONT if required else _LABEL_FONT
    cell.fill = _LABEL_FILL
    cell.border = _BORDER
    cell.alignment = _WRAP
    cell.protection = _LOCKED


def _style_input(cell: Cell, kind: Kind) -> None:
    cell.font = _INPUT_FONT
    cell.fill = _INPUT_FILL
    cell.border = _BORDER
    cell.alignment = _WRAP
    cell.protection = _UNLOCKED
    cell.number_format = _NUMBER_FORMATS.get(kind, _TEXT_FORMAT)


def _print_setup(ws: Worksheet, title: str, landscape: bool, title_rows: str) -> None:
    """A4, fit to one page wide, repeated title rows, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_title_rows = title_rows
    ws.oddHeader.center.text = f"{title} — {ws.title}"
    ws.oddHeader.center.size = 10
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


# --------------------------------------------------------------------------- data validation


def _quoted_list(items: Iterable[str]) -> str:
    return '"' + ",".join(items) + '"'


def _validation(
    kind: Kind,
    label: str,
    minimum: Decimal | None,
    maximum: Decimal | None,
    prompt: str,
    max_length: int | None = None,
) -> DataValidation:
    """The Excel data validation of one input (cell or column), with Chinese prompt and error."""
    name = normalise_label(label)
    title = name[:32]  # Excel limits titles to 32 characters
    dv: DataValidation
    if kind is Kind.CITY:
        dv = DataValidation(type="list", formula1=_quoted_list(JIANGSU_CITIES))
        error = "请从下拉列表中选择江苏省的设区市。"
    elif kind is Kind.INDUSTRY:
        dv = DataValidation(type="list", formula1=_quoted_list(POLICY_INDUSTRIES), errorStyle="warning")
        error = "该产业不在政策列举的领域中，确认无误可点“是”继续。"
    elif kind is Kind.YES_NO:
        dv = DataValidation(type="list", formula1=_quoted_list((YES, NO)))
        error = "请选择“是”或“否”。"
    elif kind is Kind.STAGE:
        dv = DataValidation(type="list", formula1=_quoted_list(STAGE_BY_LABEL))
        error = "请选择申报论证、年度考核或评估验收。"
    elif kind is Kind.MATERIAL:
        dv = DataValidation(type="list", formula1=_quoted_list(MATERIAL_LABELS.values()))
        error = "请从下拉列表中选择材料类别。"
    elif kind in (Kind.INT, Kind.DECIMAL, Kind.PERCENT):
        lo = minimum if minimum is not None else Decimal(0)
        hi = maximum if maximum is not None else Decimal("1e12")
        whole = kind is Kind.INT
        dv = DataValidation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1=str(lo),
            formula2=str(hi),
        )
        error = f"请填写 {lo} 到 {hi} 之间的{'整数' if whole else '数字'}，不要带单位或公式。"
    else:
        limit = max_length or (MAX_LONG_TEXT if kind is Kind.LONG_TEXT else MAX_TEXT)
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(limit))
        error = f"内容不能超过 {limit} 个字。"
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorTitle = "输入有误"
    dv.error = error
    dv.promptTitle = title
    dv.prompt = (prompt or f"请填写{name}。")[:250]
    return dv


# --------------------------------------------------------------------------- writer


def write_template(path: Path, stage: Stage = Stage.APPLICATION) -> None:
    """Write an empty application workbook for ``stage`` to ``path``."""
    _build(stage, None).save(path)


def write_filled(app: Application, path: Path) -> None:
    """Write ``app`` into a workbook with the template's layout (for demo data and tests)."""
    unknown = [p for p in app.service_platforms if p not in SERVICE_PLATFORMS]
    if unknown:
        raise ValueError(f"service platforms not in SERVICE_PLATFORMS: {unknown}")
    _build(app.stage, app).save(path)


def _build(stage: Stage, app: Application | None) -> Workbook:
    title = STAGE_TITLES[stage]
    wb = Workbook()
    guide = wb.active
    assert isinstance(guide, Worksheet)
    guide.title = SHEET_GUIDE
    _write_guide(guide, stage)
    _write_basics(wb.create_sheet(SHEET_BASICS), stage, app)
    _write_table(wb.create_sheet(INVESTMENT_TABLE.sheet), INVESTMENT_TABLE, title, _year_rows(app))
    _write_table(wb.create_sheet(INDICATORS_TABLE.sheet), INDICATORS_TABLE, title, _year_rows(app))
    _write_table(wb.create_sheet(PLAN_TABLE.sheet), PLAN_TABLE, title, _plan_rows(app))
    _write_table(wb.create_sheet(MATERIALS_TABLE.sheet), MATERIALS_TABLE, title, _material_rows(app))
    wb.properties.title = title
    wb.properties.creator = "ZC Review 众创社区评审工作站"
    wb.active = 0
    return wb


def _guide_lines(stage: Stage) -> list[str]:
    title = STAGE_TITLES[stage]
    figures = "计划数" if stage is Stage.APPLICATION else "实际数"
    lines = [
        f"1. 本表为《{title}》，适用于江苏省众创社区{stage.label_zh}，由“众创社区评审工作站”生成。",
        "2. 黄色底色的单元格为填写项；灰色底色的为项目名称，蓝色底色的为表头，请勿修改项目名称和表头文字。"
        "项目名称后带“＊”的为必填项。",
        "3. 请直接填写数值，不要使用公式、外部链接或引用其他工作簿。"
        "从其他表格复制时，请使用“选择性粘贴→数值”。",
        "4. 金额单位为万元；规划面积单位为平方公里，载体建筑面积单位为平方米；人数、家数填整数。"
        "百分比填 0 到 100 之间的数（如 95 表示 95%，也可填“95%”）。",
        "5. 数字可带千位分隔符（如 1,234.5），但不要在数字后加单位或文字说明。",
        f"6. “投资规模”和“年度指标”两张表每年一行，年度不得重复，两表的年度相互对应；"
        f"“其中”一列不得大于对应的总数。本次填写{figures}。",
        "7. 表格中间不要留空行。行数不够时可在表格末尾继续填写或插入行；"
        "可以调整行高、列宽，插入行列，系统按项目名称和表头读取数据。",
        "8. “材料清单”中填写每份附件在压缩包内的相对路径（如“附件/创建方案.pdf”）。"
        "创建方案、四至范围、产业定位、投资规模、建设计划、概念性规划六项为必备材料，缺少任何一项将不能通过形式审查。",
        "9. 可用 Excel、WPS 表格或 LibreOffice 填写，请保存为 .xlsx 格式（不要另存为 .xls 或 .et）。",
        "10. 填好后，将本表与全部附件放在同一文件夹中，压缩为 zip 文件报送。",
    ]
    if stage is Stage.ANNUAL:
        lines.insert(1, "※ 年度考核请在“基本情况”表中填写试点年度（1、2 或 3）。")
    return lines


def _write_guide(ws: Worksheet, stage: Stage) -> None:
    title = STAGE_TITLES[stage]
    ws.column_dimensions["A"].width = 100
    ws["A1"] = f"{title}填表说明"
    ws["A1"].font = _TITLE_FONT
    ws["A1"].alignment = _CENTER
    row = 3
    for line in _guide_lines(stage):
        cell = ws.cell(row=row, column=1, value=line)
        cell.font = _LABEL_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 32 if len(line) > 50 else 18
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="颜色示例：").font = _SECTION_FONT
    sample = ws.cell(row=row + 1, column=1, value="项目名称（灰色，请勿修改）")
    _style_label(sample)
    sample = ws.cell(row=row + 2, column=1, value="填写项（黄色）")
    _style_input(sample, Kind.TEXT)
    _print_setup(ws, title, landscape=False, title_rows="1:1")


def _field_value(app: Application, spec: FieldSpec) -> Any:
    if spec.attr == "stage":
        return app.stage.label_zh
    if spec.attr.startswith("boundary."):
        return getattr(app.boundary, spec.attr.split(".", 1)[1])
    if spec.attr.startswith("platform:"):
        return spec.attr.split(":", 1)[1] in app.service_platforms
    return getattr(app, spec.attr)


def _cell_value(value: Any) -> Any:
    """What goes into a cell: 是/否 for booleans, nothing for empty text."""
    if isinstance(value, bool):
        return YES if value else NO
    if value == "":
        return None
    return value


def _write_basics(ws: Worksheet, stage: Stage, app: Application | None) -> None:
    title = STAGE_TITLES[stage]
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 52
    ws["A1"] = title
    ws["A1"].font = _TITLE_FONT
    ws["A1"].alignment = _ACROSS
    ws["B1"].alignment = _ACROSS
    ws.row_dimensions[1].height = 30
    ws["A2"] = "黄色单元格为填写项，带“＊”的为必填项；请勿修改灰色的项目名称。"
    ws["A2"].font = _NOTE_FONT
    row = 3
    show_pilot = stage is Stage.ANNUAL or (app is not None and app.pilot_year is not None)
    for section in BASIC_SECTIONS:
        head = ws.cell(row=row, column=1, value=section.title)
        head.font = _SECTION_FONT
        head.fill = _SECTION_FILL
        ws.cell(row=row, column=2).fill = _SECTION_FILL
        row += 1
        for spec in section.fields:
            if stage not in spec.stages and not (spec.attr == "pilot_year" and show_pilot):
                continue
            required = spec.required and stage in spec.stages
            _style_label(ws.cell(row=row, column=1, value=display_label(spec.label, required)), required)
            value_cell = ws.cell(row=row, column=2)
            _style_input(value_cell, spec.kind)
            if spec.attr == "stage":
                # Set by the template; shown like a label so nobody thinks it needs filling.
                value_cell.fill = _LABEL_FILL
                value_cell.value = stage.label_zh
            elif app is not None:
                value_cell.value = _cell_value(_field_value(app, spec))
            dv = _validation(spec.kind, spec.label, spec.minimum, spec.maximum, spec.prompt, spec.max_length)
            dv.add(value_cell.coordinate)
            ws.add_data_validation(dv)
            if spec.kind is Kind.LONG_TEXT:
                ws.row_dimensions[row].height = 90
            row += 1
    ws.freeze_panes = "A3"
    _print_setup(ws, title, landscape=False, title_rows="1:1")


def _year_rows(app: Application | None) -> list[dict[str, Any]]:
    if app is None:
        return []
    return [
        {
            "year": y.year,
            "total_investment": y.total_investment,
            "sei_investment": y.sei_investment,
            "total_output": y.total_output,
            "hightech_output": y.hightech_output,
            "new_startups": y.new_startups,
            "new_employees": y.new_employees,
        }
        for y in app.years
    ]


def _plan_rows(app: Application | None) -> list[dict[str, Any]]:
    if app is None:
        return []
    return [
        {"period": p.period, "content": p.content, "investment": p.investment} for p in app.construction_plan
    ]


def _material_rows(app: Application | None) -> list[dict[str, Any]]:
    """Checklist rows: a row per required kind (filled or not), the app's other materials, 其他附件 blanks.

    Materials listed in checklist order get their empty required rows slotted in
    place; any other order is kept as given (empty required rows follow), so that
    reading the workbook back always gives the same tuple.
    """
    refs = app.materials if app is not None else ()
    rank = {kind: i for i, kind in enumerate((*REQUIRED_MATERIALS, MaterialKind.OTHER))}
    present = {m.kind for m in refs}
    missing = [{"kind": k, "filename": "", "title": ""} for k in REQUIRED_MATERIALS if k not in present]
    rows: list[dict[str, Any]] = [{"kind": m.kind, "filename": m.filename, "title": m.title} for m in refs]
    if list(refs) == sorted(refs, key=lambda m: rank[m.kind]):
        rows = sorted(rows + missing, key=lambda r: rank[r["kind"]])  # stable: given order within a kind
    else:
        rows += missing
    rows += [
        {"kind": MaterialKind.OTHER, "filename": "", "title": ""} for _ in range(MATERIALS_TABLE.blank_rows)
    ]
    return rows


def _write_table(ws: Worksheet, table: TableSpec, title: str, records: list[dict[str, Any]]) -> None:
    ncols = len(table.columns)
    ws["A1"] = table.title
    ws["A1"].font = _TITLE_FONT
    for col in range(1, ncols + 1):
        ws.cell(row=1, column=col).alignment = _ACROSS
    ws.row_dimensions[1].height = 28
    ws["A2"] = table.note
    ws["A2"].font = _NOTE_FONT
    ws["A2"].alignment = Alignment(vertical="center")  # not wrapped: it overflows across the table
    header = 3
    first = header + 1
    is_materials = table is MATERIALS_TABLE
    nrows = len(records) if is_materials else len(records) + table.blank_rows
    for col, spec in enumerate(table.columns, 1):
        ws.column_dimensions[get_column_letter(col)].width = spec.width
        cell = ws.cell(row=header, column=col, value=display_label(spec.label, spec.required))
        cell.font = Font(name="宋体", size=11, bold=True, color="C00000" if spec.required else "000000")
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _CENTER
        cell.protection = _LOCKED
        if not spec.key:
            continue
        dv = _validation(spec.kind, spec.label, spec.minimum, spec.maximum, spec.prompt)
        dv.add(f"{get_column_letter(col)}{first}:{get_column_letter(col)}{first + nrows - 1}")
        ws.add_data_validation(dv)
    ws.row_dimensions[header].height = 36
    for i in range(nrows):
        row = first + i
        record = records[i] if i < len(records) else {}
        for col, spec in enumerate(table.columns, 1):
            cell = ws.cell(row=row, column=col)
            if spec.key:
                _style_input(cell, spec.kind)
                value = record.get(spec.key)
                if isinstance(value, MaterialKind):
                    value = value.label_zh
                cell.value = _cell_value(value)
            else:
                _style_label(cell)
                cell.alignment = _CENTER
        if is_materials:
            kind = record["kind"]
            ws.cell(row=row, column=1, value=i + 1)
            ws.cell(row=row, column=ncols, value="必备" if kind in REQUIRED_MATERIALS else "可选")
        elif not table.columns[0].key:
            ws.cell(row=row, column=1, value=i + 1)
    ws.freeze_panes = ws.cell(row=first, column=1).coordinate
    _print_setup(ws, title, landscape=table.landscape, title_rows=f"{header}:{header}")


# --------------------------------------------------------------------------- loading

_MAX_XML_BYTES = 20 * 1024 * 1024  # uncompressed XML; a filled template is well under 100 KB
_MAX_TOTAL_BYTES = 200 * 1024 * 1024  # including pasted images
_MAX_MEMBERS = 2000
_CHUNK = 64 * 1024
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_package(path: Path) -> bool:
    """Refuse what openpyxl should never see; return whether the package has external links.

    Raises WorkbookError for a missing, non-xlsx, oversized file or one whose XML
    declares a DTD/entities (the "billion laughs" family). defusedxml inside
    openpyxl refuses those too; checking here first fails fast and does not
    depend on openpyxl's choice of parser.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _fatal(
            path, f"无法打开文件（{exc.strerror or exc}）。", f"Cannot open the file ({exc})."
        ) from exc
    if head == _OLE_MAGIC:
        raise _fatal(
            path,
            "这是旧版 .xls 文件或加密的工作簿，请在 Excel/WPS 中另存为 .xlsx（不设密码）后重新提交。",
            "This is a legacy .xls or an encrypted workbook; save it as an unencrypted .xlsx.",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > _MAX_MEMBERS:
                raise _fatal(path, "文件内部结构异常（部件过多），不是正常的申报书。", "Too many parts.")
            xml_infos = [i for i in infos if i.filename.lower().endswith((".xml", ".rels", ".vml"))]
            if sum(i.file_size for i in xml_infos) > _MAX_XML_BYTES or (
                sum(i.file_size for i in infos) > _MAX_TOTAL_BYTES
            ):
                raise _fatal(
                    path,
                    "工作簿解压后过大，不是正常的申报书，拒绝读取。",
                    "The workbook is far too large when decompressed; refused.",
                )
            if not any(i.filename == "xl/workbook.xml" for i in infos):
                raise _fatal(
                    path,
                    "不是有效的 .xlsx 工作簿（缺少 xl/workbook.xml）。"
                    "请用 Excel、WPS 或 LibreOffice 另存为 .xlsx。",
                    "Not a valid .xlsx workbook (xl/workbook.xml missing).",
                )
            for info in xml_infos:
                if _declares_dtd(zf, info):
                    raise _fatal(
                        path,
                        f"工作簿内部的 {info.filename} 含有 DTD/实体声明（可能是恶意构造的文件），"
                        "出于安全考虑拒绝读取。",
                        f"{info.filename} declares a DTD or entities (possibly malicious); refused.",
                    )
            return any(i.filename.lower().startswith("xl/externallinks/") for i in infos)
    except WorkbookError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        ValueError,
    ) as exc:
        raise _fatal(
            path,
            "文件已损坏或不是 .xlsx 工作簿，请用 Excel、WPS 或 LibreOffice 重新保存为 .xlsx。",
            "The file is damaged or not an .xlsx workbook; save it again as .xlsx in Excel, WPS or "
            "LibreOffice.",
        ) from exc


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    tail = b""
    read = 0
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            read += len(chunk)
            if read > info.file_size + _CHUNK:  # the header lied about the size
                return True
            window = tail + chunk
            if any(m in window for m in _DTD_MARKERS):
                return True
            tail = window[-16:]
    return False


def _load(path: Path) -> tuple[Workbook, bool]:
    has_links = _check_package(path)
    try:
        with path.open("rb") as fh, warnings.catch_warnings():
            # WPS and LibreOffice write extensions openpyxl warns about and then ignores.
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(fh, data_only=False, keep_links=True, keep_vba=False)
    except Exception as exc:  # openpyxl raises many types for broken files; none may escape raw
        if _defused(exc):
            raise _fatal(
                path,
                "工作簿含有不安全的 XML 内容（DTD/实体声明），出于安全考虑拒绝读取。",
                "The workbook contains unsafe XML (a DTD or entity declarations); refused.",
            ) from exc
        raise _fatal(
            path,
            "工作簿无法解析，文件可能已损坏。请用 Excel、WPS 或 LibreOffice 打开后另存为 .xlsx 再提交。",
            "The workbook cannot be parsed; it may be damaged. Open it in Excel, WPS or LibreOffice, "
            "save it as .xlsx and submit again.",
        ) from exc
    return wb, has_links or bool(getattr(wb, "_external_links", None))


def _defused(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML (openpyxl may wrap its exception in a ValueError)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# --------------------------------------------------------------------------- reader


def read_workbook(path: Path) -> Application:
    """Read a filled workbook by its labels; raise WorkbookError listing every problem found."""
    path = Path(path)
    wb, has_links = _load(path)
    reader = _Reader(wb)
    if has_links:
        reader.problem(
            "",
            None,
            "",
            "工作簿含有外部链接或 DDE 链接，出于安全考虑不予读取；"
            "请删除外部链接（“数据→编辑链接→断开链接”）后重新保存。",
            "The workbook has external or DDE links; break the links and save again.",
        )
    app = reader.read()
    if reader.problems or app is None:
        raise WorkbookError(reader.problems, path)
    return app


_DDE = re.compile(r"[A-Za-z0-9_.]+\|")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_TRUE = {"是", "有", "TRUE", "Y", "YES"}
_FALSE = {"否", "无", "FALSE", "N", "NO"}


class _Bad(Exception):
    """A value that cannot be used; carries the problem text."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Sheet:
    """A worksheet's existing cells, sparse, with a label index.

    Only cells present in the file are visited (never the full rectangle up to the
    last used cell), so one stray cell at XFD1048576 cannot make reading slow.
    """

    def __init__(self, ws: Worksheet) -> None:
        self.title = ws.title
        self.hidden = ws.sheet_state != "visible"
        # Rows and columns a person looking at the sheet would not see (hidden, filtered out,
        # collapsed, or of zero height/width), and merged ranges larger than one cell.
        self.hidden_rows = {
            r for r, dim in ws.row_dimensions.items() if dim.hidden or (dim.ht is not None and dim.ht <= 0)
        }
        self.hidden_cols = [
            (dim.min or 0, dim.max or dim.min or 0)
            for dim in ws.column_dimensions.values()
            if dim.hidden or (dim.customWidth and dim.width is not None and dim.width <= 0)
        ]
        self.merged = [
            (m.min_row, m.min_col, m.max_row, m.max_col, m.coord)
            for m in ws.merged_cells.ranges
            if m.size["rows"] * m.size["columns"] > 1
        ]
        self.by_row: dict[int, dict[int, Cell]] = {}
        # ws._cells holds only the cells stored in the file; ws.iter_rows() would create every
        # cell of the used rectangle. openpyxl 3.x keeps this attribute stable.
        for (r, c), cell in sorted(ws._cells.items()):
            self.by_row.setdefault(r, {})[c] = cell
        self.labels: dict[str, tuple[int, int]] = {}
        for r, row in self.by_row.items():
            for c, cell in row.items():
                if isinstance(cell.value, str) and cell.data_type != "f":
                    self.labels.setdefault(normalise_label(cell.value), (r, c))

    def cell(self, row: int, col: int) -> Cell | None:
        return self.by_row.get(row, {}).get(col)

    def col_hidden(self, col: int) -> bool:
        return any(lo <= col <= hi for lo, hi in self.hidden_cols)

    def value_right_of(self, row: int, col: int) -> Cell | None:
        """The first non-empty cell right of (row, col), or None."""
        cells = self.by_row.get(row, {})
        return next((cells[c] for c in sorted(cells) if c > col and not _is_empty(cells[c].value)), None)

    def has_dde(self) -> bool:
        return any(
            c.data_type == "f" and isinstance(c.value, str) and _DDE.search(c.value)
            for row in self.by_row.values()
            for c in row.values()
        )


# A merged range keeps only its top-left value: Excel drops the rest, and a value there is never read.
_MERGED_ZH = (
    "单元格 {coord} 被合并，覆盖了填写区域（合并后只保留左上角的内容，其余内容会丢失）。"
    "请取消合并，核对内容后重新提交。"
)
_MERGED_EN = (
    "cells {coord} are merged over the input area (merging keeps only the top-left value); "
    "unmerge them and check the values."
)


def _value(cell: Cell | None) -> Any:
    return None if cell is None else cell.value


class _Reader:
    def __init__(self, wb: Workbook) -> None:
        self.problems: list[WorkbookProblem] = []
        self.sheets = [_Sheet(ws) for ws in wb.worksheets]
        self._hidden_reported: set[str] = set()
        self._refused_tables: set[str] = set()  # tables not read (too many rows)

    def problem(self, sheet: str, row: int | None, label: str, zh: str, en: str) -> None:
        self.problems.append(WorkbookProblem(sheet, row, label, zh, en))

    # ----- sheets

    def _ordered(self, name: str) -> list[_Sheet]:
        """The sheet named ``name`` first, then the others (a renamed sheet is found by content)."""
        key = normalise_label(name)
        return sorted(self.sheets, key=lambda s: normalise_label(s.title) != key)

    def read(self) -> Application | None:
        for sheet in self.sheets:
            if sheet.has_dde():
                self.problem(
                    sheet.title,
                    None,
                    "",
                    "含有 DDE 公式（可在打开时执行外部程序），出于安全考虑拒绝读取。",
                    "Contains a DDE formula; refused for safety.",
                )
        values = self._read_basics()
        years = self._read_years()
        plan = self._read_plan()
        materials = self._read_materials()
        if values is None:
            return None
        try:
            return Application(
                years=years, construction_plan=tuple(plan), materials=tuple(materials), **values
            )
        except (TypeError, ValueError):  # only when problems were already recorded
            return None

    # ----- key/value sheet

    def _read_basics(self) -> dict[str, Any] | None:
        anchor = normalise_label(BASICS_ANCHOR)
        sheet = next((s for s in self._ordered(SHEET_BASICS) if anchor in s.labels), None)
        if sheet is None:
            self.problem(
                SHEET_BASICS,
                None,
                "",
                f"找不到“{SHEET_BASICS}”工作表（按表名和“{BASICS_ANCHOR}”项目均未找到），请使用本系统生成的模板。",
                f"Sheet '{SHEET_BASICS}' not found by name or content; use the generated template.",
            )
            return None
        self._check_visible(sheet)
        stage = self._read_stage(sheet)
        values: dict[str, Any] = {"stage": stage}
        boundary: dict[str, str] = {}
        platforms: list[str] = []
        for spec in basic_fields():
            if spec.attr == "stage":
                continue
            pos = sheet.labels.get(normalise_label(spec.label))
            if pos is None:
                if stage in spec.stages:
                    self.problem(
                        sheet.title,
                        None,
                        spec.label,
                        "找不到这一项，请勿删除或修改项目名称（可使用本系统生成的模板重新填写）。",
                        f"Label not found ({spec.en}); do not delete or rename labels.",
                    )
                continue
            row, col = pos
            required = spec.required and stage in spec.stages
            cell = sheet.value_right_of(row, col)
            self._check_basic_input(sheet, row, col, cell, spec.label, spec.en)
            value = self._convert(
                sheet.title,
                row,
                spec.label,
                spec.en,
                cell,
                spec.kind,
                required,
                spec.minimum,
                spec.maximum,
                spec.max_length,
            )
            if spec.attr.startswith("boundary."):
                boundary[spec.attr.split(".", 1)[1]] = value or ""
            elif spec.attr.startswith("platform:"):
                if value:
                    platforms.append(spec.attr.split(":", 1)[1])
            elif spec.kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.CITY, Kind.INDUSTRY):
                values[spec.attr] = value or ""
            else:
                values[spec.attr] = value
        values["boundary"] = Boundary(**boundary)
        values["service_platforms"] = tuple(platforms)
        return values

    def _read_stage(self, sheet: _Sheet) -> Stage:
        """The stage from the 填报类型 row, else from the title, else application."""
        spec = next(f for f in basic_fields() if f.attr == "stage")
        pos = sheet.labels.get(normalise_label(spec.label))
        if pos is not None:
            cell = sheet.value_right_of(*pos)
            if cell is not None:
                stage = self._convert(
                    sheet.title, pos[0], spec.label, spec.en, cell, Kind.STAGE, False, None, None
                )
                if isinstance(stage, Stage):
                    return stage
        for stage, title in STAGE_TITLES.items():
            if normalise_label(title) in sheet.labels:
                return stage
        return Stage.APPLICATION

    # ----- tables

    def _find_table(self, table: TableSpec) -> tuple[_Sheet, int, dict[str, int]] | None:
        """The sheet, header row index and column index per key of ``table``."""
        wanted = {normalise_label(c.label): c.key for c in table.data_columns}
        best: tuple[_Sheet, int, dict[str, int]] | None = None
        for sheet in self._ordered(table.sheet):
            for r, row in sheet.by_row.items():
                cols: dict[str, int] = {}
                for c, cell in row.items():
                    if isinstance(cell.value, str):
                        key = wanted.get(normalise_label(cell.value))
                        if key is not None:
                            cols.setdefault(key, c)
                if len(cols) == len(wanted):
                    return sheet, r, cols
                named = normalise_label(sheet.title) == normalise_label(table.sheet)
                if named and cols and (best is None or len(cols) > len(best[2])):
                    best = (sheet, r, cols)
        if best is None:
            self.problem(
                table.sheet,
                None,
                "",
                f"找不到“{table.sheet}”工作表或其表头，请使用本系统生成的模板。",
                f"Sheet '{table.sheet}' ({table.en}) or its header row not found.",
            )
            return None
        sheet, header, cols = best
        for col in table.data_columns:
            if col.key not in cols:
                self.problem(
                    sheet.title,
                    header,
                    col.label,
                    "表头中找不到这一列，请勿删除或修改表头。",
                    f"Column '{col.en}' missing from the header row.",
                )
        return None

    def _table_rows(self, table: TableSpec) -> list[tuple[_Sheet, int, dict[str, Any], set[str]]]:
        """Each record of ``table``: sheet, row, values by key, keys whose value was refused.

        Stops at the first empty row (and reports data below it, see _check_gap).
        """
        found = self._find_table(table)
        if found is None:
            return []
        sheet, header, cols = found
        self._check_visible(sheet)
        if not self._check_table_layout(table, sheet, header, cols):
            return []
        records: list[tuple[_Sheet, int, dict[str, Any], set[str]]] = []
        row = header
        while True:
            row += 1
            cells = {key: sheet.cell(row, col) for key, col in cols.items()}
            if all(c is None or _is_empty(c.value) for c in cells.values()):
                self._check_gap(sheet, row, cols)
                break
            if row in sheet.hidden_rows:
                label = next(c.label for c in table.data_columns if not _is_empty(_value(cells[c.key])))
                self.problem(
                    sheet.title,
                    row,
                    label,
                    f"第{row}行被隐藏，但填有内容；审核时看不到隐藏的行。请取消隐藏（选中上下两行→右键→取消隐藏）"
                    "并核对内容后重新提交。",
                    f"Row {row} is hidden but holds data that a reviewer would not see; unhide it, check it "
                    "and submit again.",
                )
            values: dict[str, Any] = {}
            refused: set[str] = set()
            for col in table.data_columns:
                before = len(self.problems)
                values[col.key] = self._convert(
                    sheet.title,
                    row,
                    col.label,
                    col.en,
                    cells[col.key],
                    col.kind,
                    col.required,
                    col.minimum,
                    col.maximum,
                )
                if len(self.problems) > before:
                    refused.add(col.key)
            records.append((sheet, row, values, refused))
        return records

    def _check_visible(self, sheet: _Sheet) -> None:
        """Data is read only from sheets a person can see."""
        if sheet.hidden and sheet.title not in self._hidden_reported:
            self._hidden_reported.add(sheet.title)
            self.problem(
                sheet.title,
                None,
                "",
                "这张工作表被隐藏，但其中的内容会被读取；审核时看不到隐藏的工作表。"
                "请取消隐藏（右键工作表标签→取消隐藏）并核对后重新提交。",
                "This sheet is hidden, yet its content would be read; a reviewer would not see it. "
                "Unhide it, check it and submit again.",
            )

    def _check_basic_input(
        self, sheet: _Sheet, row: int, col: int, cell: Cell | None, label: str, en: str
    ) -> None:
        """A key/value input must be visible and not swallowed by a merged range."""
        filled = cell is not None and not _is_empty(cell.value)
        if filled and row in sheet.hidden_rows:
            self.problem(
                sheet.title,
                row,
                label,
                f"第{row}行被隐藏，但填有内容；审核时看不到隐藏的行。请取消隐藏后核对再提交。",
                f"{en}: row {row} is hidden but holds a value a reviewer would not see; unhide it and check it.",
            )
        elif filled and cell is not None and sheet.col_hidden(cell.column):
            letter = get_column_letter(cell.column)
            self.problem(
                sheet.title,
                row,
                label,
                f"填写的内容在被隐藏的 {letter} 列中，审核时看不到。请取消隐藏该列后核对再提交。",
                f"{en}: the value is in column {letter}, which is hidden; unhide the column and check it.",
            )
        value_col = cell.column if cell is not None else col + 1
        for r1, c1, r2, c2, coord in sheet.merged:
            if not (r1 <= row <= r2 and c1 <= value_col and c2 >= col):
                continue
            # Harmless only when the merge is one row, right of the label, and keeps the value.
            keeps_value = filled and (c1 == value_col or c2 < value_col)
            if r1 == r2 and c1 > col and keeps_value:
                continue
            self.problem(
                sheet.title,
                row,
                label,
                _MERGED_ZH.format(coord=coord),
                f"{en}: " + _MERGED_EN.format(coord=coord),
            )

    def _check_table_layout(self, table: TableSpec, sheet: _Sheet, header: int, cols: dict[str, int]) -> bool:
        """Refuse merged ranges and hidden columns in the table; False when it has too many rows."""
        by_col = {cols[c.key]: c for c in table.data_columns}
        for r1, c1, r2, c2, coord in sheet.merged:
            hit = [by_col[c] for c in sorted(by_col) if c1 <= c <= c2]
            if r2 >= header and hit:
                self.problem(
                    sheet.title,
                    max(r1, header),
                    hit[0].label,
                    _MERGED_ZH.format(coord=coord),
                    f"{hit[0].en}: " + _MERGED_EN.format(coord=coord),
                )
        rows = 0
        row = header + 1
        while any(not _is_empty(_value(sheet.cell(row, c))) for c in by_col):
            rows += 1
            row += 1
        for c, spec in by_col.items():
            if not sheet.col_hidden(c):
                continue
            first = next(
                (r for r in range(header + 1, header + 1 + rows) if not _is_empty(_value(sheet.cell(r, c)))),
                None,
            )
            if first is not None:
                letter = get_column_letter(c)
                self.problem(
                    sheet.title,
                    first,
                    spec.label,
                    f"这一列（{letter} 列）被隐藏，但填有内容；审核时看不到。请取消隐藏该列后核对再提交。",
                    f"{spec.en}: column {letter} is hidden but holds data; unhide it and check it.",
                )
        if rows > table.max_rows:
            first_data = table.data_columns[0]
            self.problem(
                sheet.title,
                header + 1 + table.max_rows,
                first_data.label,
                f"表格最多可填 {table.max_rows} 行，实际填了 {rows} 行（第{header + 1}行至第{header + rows}行），"
                f"未读取。请删除多余的行（或合并内容）后重新提交。",
                f"The table takes at most {table.max_rows} rows but has {rows} (rows {header + 1} to "
                f"{header + rows}); not read. Delete the extra rows and submit again.",
            )
            self._refused_tables.add(table.sheet)
            return False
        return True

    def _check_gap(self, sheet: _Sheet, empty: int, cols: dict[str, int]) -> None:
        """Data below an empty row would be silently dropped; say so instead."""
        for row in sorted(r for r in sheet.by_row if r > empty):
            if any(not _is_empty(getattr(sheet.cell(row, col), "value", None)) for col in cols.values()):
                self.problem(
                    sheet.title,
                    empty,
                    "",
                    f"这是表格中间的空行，其下方第{row}行仍有数据，未被读取；请删除空行。",
                    f"Empty row in the table; data below it (row {row}) was not read; delete the empty row.",
                )
                return

    def _read_years(self) -> tuple[YearFigures, ...]:
        merged: dict[int, dict[str, Any]] = {}
        years_by_sheet: list[tuple[str, dict[int, int]]] = []
        for table, part, total in (
            (INVESTMENT_TABLE, "sei_investment", "total_investment"),
            (INDICATORS_TABLE, "hightech_output", "total_output"),
        ):
            seen: dict[int, int] = {}
            years_by_sheet.append((table.sheet, seen))
            for sheet, row, values, _ in self._table_rows(table):
                year = values.pop("year")
                if year is None:
                    continue  # reported as missing by _convert
                if year in seen:
                    self.problem(
                        sheet.title,
                        row,
                        "年度",
                        f"年度 {year} 重复（第{seen[year]}行已填写），每年只能填一行。",
                        f"Year {year} repeated (already on row {seen[year]}).",
                    )
                    continue
                seen[year] = row
                self._check_part(table, sheet, row, year, values.get(part), values.get(total), part, total)
                merged.setdefault(year, {}).update(values)
        # Both tables must cover the same years (instruction 6): a year in only one of them would
        # turn a share check into "missing" instead of pass or fail.
        (sheet_a, years_a), (sheet_b, years_b) = years_by_sheet
        if years_a and years_b and not self._refused_tables & {sheet_a, sheet_b}:
            for here, there, other in ((years_a, years_b, sheet_b), (years_b, years_a, sheet_a)):
                this_sheet = sheet_a if here is years_a else sheet_b
                for year in sorted(set(here) - set(there)):
                    self.problem(
                        this_sheet,
                        here[year],
                        "年度",
                        f"{year}年只出现在“{this_sheet}”表中，“{other}”表中没有该年度；两表的年度须一致。",
                        f"Year {year} appears in “{this_sheet}” but not in “{other}”; both tables need the same years.",
                    )
        return tuple(YearFigures(year=year, **merged[year]) for year in sorted(merged))

    def _check_part(
        self,
        table: TableSpec,
        sheet: _Sheet,
        row: int,
        year: int,
        part: Decimal | None,
        total: Decimal | None,
        part_key: str,
        total_key: str,
    ) -> None:
        if part is None or total is None or part <= total:
            return
        labels = {c.key: c for c in table.columns}
        p, t = labels[part_key], labels[total_key]
        self.problem(
            sheet.title,
            row,
            p.label,
            f"{year}年「{p.label}」（{part}）大于「{t.label}」（{total}），“其中”部分不能超过总数。",
            f"{year}: '{p.en}' ({part}) exceeds '{t.en}' ({total}).",
        )

    def _read_plan(self) -> list[PlanItem]:
        return [
            PlanItem(period=v["period"] or "", content=v["content"] or "", investment=v["investment"])
            for _, _, v, _ in self._table_rows(PLAN_TABLE)
        ]

    def _read_materials(self) -> list[MaterialRef]:
        refs: list[MaterialRef] = []
        for sheet, row, v, refused in self._table_rows(MATERIALS_TABLE):
            filename = (v["filename"] or "").replace("\\", "/")
            if not filename:
                continue  # a checklist row not (yet) filled; the formal check reports missing materials
            if v["kind"] is None:
                if "kind" in refused:
                    continue  # already reported as an unknown kind
                self.problem(
                    sheet.title,
                    row,
                    "材料类别",
                    "填写了文件名但没有选择材料类别。",
                    "A file name is given without a material kind.",
                )
                continue
            refs.append(MaterialRef(kind=v["kind"], filename=filename, title=v["title"] or ""))
        return refs

    # ----- one cell

    def _convert(
        self,
        sheet: str,
        row: int,
        label: str,
        en: str,
        cell: Cell | None,
        kind: Kind,
        required: bool,
        minimum: Decimal | None,
        maximum: Decimal | None,
        max_length: int | None = None,
    ) -> Any:
        """The typed value of ``cell`` or None; a problem is recorded when it cannot be used."""
        try:
            return _typed(cell, kind, required, minimum, maximum, max_length)
        except _Bad as bad:
            self.problem(sheet, row, label, bad.zh, f"{en}: {bad.en}")
            return None


def _typed(
    cell: Cell | None,
    kind: Kind,
    required: bool,
    minimum: Decimal | None,
    maximum: Decimal | None,
    max_length: int | None = None,
) -> Any:
    value = None if cell is None else cell.value
    if cell is not None and (cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula)):
        text = shown(str(value.text) if isinstance(value, ArrayFormula) else str(value))
        raise _Bad(
            f"是公式（{text}），请改为直接填写数值（复制后用“选择性粘贴→数值”）。",
            f"is a formula ({text}); enter the value itself.",
        )
    if isinstance(value, str) and (invisible := _invisible(value)):
        codes = "、".join(invisible[:5])
        raise _Bad(
            f"含有不可见的控制字符（{codes}，如从右到左覆盖、零宽空格），可能使显示的文字与实际内容不符。"
            "请删除这些字符（可清空单元格后重新输入）。",
            f"contains invisible control characters ({', '.join(invisible[:5])}: bidirectional or "
            "zero-width), which can make the text look different from what it is; retype the value.",
        )
    if cell is not None and cell.data_type == "e":
        error = shown(str(value))
        raise _Bad(f"单元格显示错误值 {error}，请填写正确的数值。", f"shows the error value {error}.")
    if _is_empty(value):
        if required:
            raise _Bad("为必填项，请填写。", "is required.")
        return None
    if kind in (Kind.INT, Kind.DECIMAL, Kind.PERCENT):
        number = _number(value, kind, cell.number_format if cell is not None else "General")
        _check_range(number, minimum, maximum)
        number = _check_places(number)
        if kind is Kind.INT:
            if number != number.to_integral_value():
                raise _Bad(f"应填写整数，实际为 {number}。", f"must be a whole number, got {number}.")
            return int(number)
        return number
    if kind is Kind.YES_NO:
        return _yes_no(value)
    text = _text(value)
    limit = max_length or (MAX_LONG_TEXT if kind is Kind.LONG_TEXT else MAX_TEXT)
    if len(text) > limit:
        raise _Bad(f"内容过长（{len(text)} 字），不能超过 {limit} 字。", f"too long ({len(text)} > {limit}).")
    if kind is Kind.CITY:
        return _city(text)
    if kind is Kind.STAGE:
        stage = STAGE_BY_LABEL.get(text) or next((s for s in Stage if s.value == text), None)
        if stage is None:
            raise _Bad(
                f"应为“申报论证”“年度考核”或“评估验收”，实际为“{shown(text)}”。",
                f"must be one of 申报论证/年度考核/评估验收, got '{shown(text)}'.",
            )
        return stage
    if kind is Kind.MATERIAL:
        material = MATERIAL_BY_LABEL.get(text) or next((m for m in MaterialKind if m.value == text), None)
        if material is None:
            raise _Bad(
                f"“{shown(text)}”不是有效的材料类别，请从下拉列表中选择。",
                f"'{shown(text)}' is not a material kind.",
            )
        return material
    return text


def _text(value: Any) -> str:
    """Text as typed; numbers and dates that Excel converted are turned back into text."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _number(value: Any, kind: Kind, number_format: str) -> Decimal:
    if isinstance(value, bool | datetime | date | time):
        raise _Bad(
            f"应填写数字，实际为“{shown(_text(value))}”。", f"must be a number, got '{shown(_text(value))}'."
        )
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Bad("不是有效的数字。", "is not a valid number.")
        # repr gives the shortest text that reads back as the same float: 0.1 -> "0.1".
        number = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        return _number_text(str(value), kind)
    if kind is Kind.PERCENT and "%" in (number_format or ""):
        number = number * 100  # Excel stores 95% as 0.95
        number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    return number


def _number_text(raw: str, kind: Kind) -> Decimal:
    text = unicodedata.normalize("NFKC", raw)
    text = re.sub(r"\s+", "", text)
    if kind is Kind.PERCENT and text.endswith("%"):
        text = text[:-1]
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN.fullmatch(text):
        raise _Bad(
            f"应填写数字（不带单位和文字），实际为“{shown(raw.strip())}”。",
            f"must be a number without units, got '{shown(raw.strip())}'.",
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid numbers
        raise _Bad(
            f"应填写数字，实际为“{shown(raw.strip())}”。", f"must be a number, got '{shown(raw.strip())}'."
        ) from exc


def _check_places(number: Decimal) -> Decimal:
    """At most MAX_DECIMAL_PLACES significant decimals (trailing zeros dropped); ``-0`` becomes ``0``."""
    step = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        rounded = number.quantize(step)
        if rounded != number:
            raise _Bad(
                f"小数位数过多（{number:f}），最多保留 {MAX_DECIMAL_PLACES} 位小数，如 {rounded.normalize():f}。",
                f"has too many decimal places ({number:f}); at most {MAX_DECIMAL_PLACES}, "
                f"e.g. {rounded.normalize():f}.",
            )
        number = rounded
    return number + 0 if number.is_zero() else number  # Decimal("-0") + 0 is Decimal("0")


def _check_range(number: Decimal, minimum: Decimal | None, maximum: Decimal | None) -> None:
    if minimum is not None and number < minimum:
        if minimum == 0:
            raise _Bad(f"不能为负数，实际为 {number}。", f"must not be negative, got {number}.")
        raise _Bad(f"不能小于 {minimum}，实际为 {number}。", f"must be at least {minimum}, got {number}.")
    if maximum is not None and number > maximum:
        raise _Bad(f"不能大于 {maximum}，实际为 {number}。", f"must be at most {maximum}, got {number}.")


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad(
        f"应填写“是”或“否”，实际为“{shown(_text(value))}”。",
        f"must be 是 or 否, got '{shown(_text(value))}'.",
    )


def _city(text: str) -> str:
    for candidate in (text, f"{text}市"):
        if candidate in JIANGSU_CITIES:
            return candidate
    raise _Bad(
        f"“{shown(text)}”不是江苏省的设区市，请从下拉列表中选择（如“南京市”）。",
        f"'{shown(text)}' is not one of Jiangsu's 13 cities.",
    )
