"""The collated workbook (汇总表.xlsx): the panel's result as the office hands it on.

Sheets, each a table with a frozen, repeated header row:

- 汇总: one row per application in rank order — reviews, mean, median, trimmed mean,
  spread, hard-indicator failures, recommendation counts, proposed and final conclusion;
- 分目标: the per-goal means;
- 专家明细: every expert's total (and goal totals) per application, deviation from the mean
  and whether it is flagged;
- 标记与排除: flagged scores, hard-indicator failures, rejected files with the reason,
  duplicates, superseded revisions, and each conflict group's files (an expert's opinions
  that are not one revision chain) with SHA-256 prefix, revision, signing time and the
  clerk's choice if any;
- 意见清单: every opinion file looked at, counted or not: its SHA-256, signer, claimed
  signing time, the office's receipt time, the verdict and the reason (the audit trail);
- 名单: who has submitted, who has not yet, and who recused;
- 说明: the batch, the rubric and the collation rules the numbers come from.

Numbers are written as numbers from their exact ``Decimal`` (the XML holds the decimal
text, so reading back gives the rubric's precision). Text that came from people
(community names, expert names, file names, reasons) is always a *string* cell with
Excel's quote prefix, so ``=HYPERLINK(...)``, ``+1`` or ``@SUM`` is shown, never evaluated.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zc_review.core.application import Application, Stage
from zc_review.core.collation import CONFLICT, AppResult, Collation, Conclusion
from zc_review.core.collation_rules import MAJORITY_LABELS_ZH
from zc_review.core.indicators import evaluate
from zc_review.core.intake_result import (
    ROSTER_STATUS_ZH,
    Conflict,
    ConflictFile,
    IntakeResult,
    RosterRow,
    normalize_name,
    short_label,
)
from zc_review.core.rubric import BONUS_GOAL, Rubric, find_rubric
from zc_review.errors import UserError
from zc_review.i18n import local_minute_zoned

__all__ = ["SHEETS", "write_workbook"]


# The tie-breaks of zc_review.core.collation, in words.
RANKING_RULE = (
    "按去极值平均分从高到低；相同时，多数专家报告不达标的硬指标较少者在前；再相同时依次比较平均分、中位数（高者在前）；"
    "仍相同时按申报编号排序。意见冲突、评审不足和未评审的申报不排名，依次列在最后"
)

SHEET_SUMMARY = "汇总"
SHEET_GOALS = "分目标"
SHEET_EXPERTS = "专家明细"
SHEET_FLAGS = "标记与排除"
SHEET_FILES = "意见清单"
SHEET_ROSTER = "名单"
SHEET_NOTES = "说明"
SHEETS = (SHEET_SUMMARY, SHEET_GOALS, SHEET_EXPERTS, SHEET_FLAGS, SHEET_FILES, SHEET_ROSTER, SHEET_NOTES)

TITLE_ROW = 1
HEADER_ROW = 2
FIRST_ROW = 3

SCORE_FORMAT = "0.00"
COUNT_FORMAT = "0"

_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_FAIL_FILL = PatternFill("solid", fgColor="F8D7D7")  # a hard-indicator failure
_FLAG_FILL = PatternFill("solid", fgColor="FCE8C8")  # an outlying expert score
_MUTED_FILL = PatternFill("solid", fgColor="EEEEEE")  # excluded, not yet submitted
_OVERRIDE_FILL = PatternFill("solid", fgColor="E3F0E0")  # a conclusion staff changed
_CONFLICT_FILL = PatternFill("solid", fgColor="FFE8A8")  # amber: 冲突, a clerk must choose a file
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=13)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)

# Characters XML 1.0 cannot hold (openpyxl refuses them); a name pasted from elsewhere may carry one.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: header, width (characters) and number format for numbers."""

    header: str
    width: float
    number_format: str | None = None


def write_workbook(
    collation: Collation,
    intake_result: IntakeResult,
    roster_rows: Sequence[RosterRow],
    path: Path,
) -> Path:
    """Write the collated workbook to ``path`` (whole or not at all) and return the path.

    ``collation`` gives every number; ``intake_result`` the files that were not counted
    (rejected, duplicate, superseded) and the accepted opinions' goal totals;
    ``roster_rows`` who has and has not submitted. Raises :class:`UserError` when the
    file cannot be written (e.g. it is open in Excel on Windows).
    """
    path = Path(path)
    rubric = find_rubric(collation.rubric_id, collation.rubric_version)
    wb = Workbook()
    default = wb.active
    assert default is not None
    wb.remove(default)
    _summary_sheet(wb.create_sheet(SHEET_SUMMARY), collation, rubric)
    _goals_sheet(wb.create_sheet(SHEET_GOALS), collation, rubric)
    _experts_sheet(wb.create_sheet(SHEET_EXPERTS), collation, intake_result, rubric)
    _flags_sheet(wb.create_sheet(SHEET_FLAGS), collation, intake_result)
    _files_sheet(wb.create_sheet(SHEET_FILES), collation, intake_result)
    _roster_sheet(wb.create_sheet(SHEET_ROSTER), collation, roster_rows)
    _notes_sheet(wb.create_sheet(SHEET_NOTES), collation, intake_result, rubric)
    wb.active = 0
    _save(wb, path)
    return path


# --- sheets -----------------------------------------------------------------------------------------


def _summary_sheet(ws: Worksheet, collation: Collation, rubric: Rubric) -> None:
    columns = [
        Column("排名", 6, COUNT_FORMAT),
        Column("众创社区", 26),
        Column("申报编号", 16),
        Column("有效评审数", 8, COUNT_FORMAT),
        Column("平均分", 9, SCORE_FORMAT),
        Column("中位数", 9, SCORE_FORMAT),
        Column("去极值平均分", 11, SCORE_FORMAT),
        Column("标准差", 9, SCORE_FORMAT),
        Column("硬指标不达标", 24),
        Column("建议分布", 24),
        Column("拟定结论", 16),
        Column("最终结论", 16),
        Column("调整理由", 24),
        Column("拟定依据", 40),
    ]
    _start(ws, sheet_title(SHEET_SUMMARY, collation), columns)
    for r, app in enumerate(collation.apps, start=FIRST_ROW):
        failures = failures_text(app)
        values: list[Any] = [
            app.rank,
            app.community_name,
            app.application_key,
            app.n_reviews,
            *((app.mean, app.median, app.trimmed_mean, app.stdev) if app.n_reviews else (None,) * 4),
            failures,
            recommendations_text(app.recommendations, rubric),
            # Not reviewed is not rejected: where a conclusion would be, say why there is none.
            conclusion_label(app.proposed) or app.status_label(en=False),
            conclusion_label(app.final),
            _override_reason(app),
            "；".join(app.rule_notes),
        ]
        _row(ws, r, values, columns)
        if failures:
            ws.cell(r, 9).fill = _FAIL_FILL
        if app.override is not None:
            for c in (12, 13):
                ws.cell(r, c).fill = _OVERRIDE_FILL
        if not app.reviewed:
            fill = _CONFLICT_FILL if app.status == CONFLICT else _MUTED_FILL
            for c in range(1, len(columns) + 1):
                ws.cell(r, c).fill = fill
    _finish(ws, columns, len(collation.apps), freeze="C3")


def _goals_sheet(ws: Worksheet, collation: Collation, rubric: Rubric) -> None:
    keys = [g.key for g in rubric.goals]
    columns = [Column("排名", 6, COUNT_FORMAT), Column("众创社区", 26), Column("有效评审数", 8, COUNT_FORMAT)]
    columns += [Column(goal_header(k, rubric), 14, SCORE_FORMAT) for k in keys]
    columns += [Column(goal_header(BONUS_GOAL, rubric), 12, SCORE_FORMAT), Column("平均分", 9, SCORE_FORMAT)]
    _start(ws, sheet_title(SHEET_GOALS, collation), columns)
    for r, app in enumerate(collation.apps, start=FIRST_ROW):
        counted = app.n_reviews > 0
        values: list[Any] = [app.rank, app.community_name, app.n_reviews]
        values += [app.goal_means.get(k) if counted else None for k in keys]
        values += [app.bonus_mean if counted else None, app.mean if counted else None]
        _row(ws, r, values, columns)
    _finish(ws, columns, len(collation.apps), freeze="C3")


def _experts_sheet(ws: Worksheet, collation: Collation, intake: IntakeResult, rubric: Rubric) -> None:
    keys = [g.key for g in rubric.goals]
    columns = [
        Column("排名", 6, COUNT_FORMAT),
        Column("众创社区", 26),
        Column("专家", 12),
        Column("总分", 9, SCORE_FORMAT),
        Column("与中位数之差", 11, SCORE_FORMAT),
        Column("偏差较大", 9),
        Column("去极值时剔除", 10),
    ]
    columns += [Column(goal_header(k, rubric), 14, SCORE_FORMAT) for k in keys]
    columns += [
        Column(goal_header(BONUS_GOAL, rubric), 12, SCORE_FORMAT),
        Column("专家建议", 16),
        Column("修订版次", 8, COUNT_FORMAT),
        Column("签署时间", 26),
        Column("文件", 40),
    ]
    _start(ws, sheet_title(SHEET_EXPERTS, collation), columns)
    opinions = {(o.application_key, o.expert_name): o for o in intake.accepted}
    r = FIRST_ROW
    for app in collation.apps:
        for row in app.experts:
            op = opinions.get((app.application_key, row.expert))
            values: list[Any] = [
                app.rank,
                app.community_name,
                row.expert,
                row.total,
                row.deviation,
                "是" if row.flagged else "",
                "是" if row.expert in app.trimmed_out else "",
            ]
            values += [op.goal_totals.get(k) if op is not None else None for k in keys]
            values += [
                op.bonus if op is not None else None,
                op.recommendation_label if op is not None else row.recommendation_key,
                op.revision if op is not None else None,
                local_minute_zoned(op.signed_at) if op is not None else "",
                source_name(row.source),
            ]
            _row(ws, r, values, columns)
            if row.flagged:
                for c in (4, 5, 6):
                    ws.cell(r, c).fill = _FLAG_FILL
            r += 1
    _finish(ws, columns, r - FIRST_ROW, freeze="D3")


def _flags_sheet(ws: Worksheet, collation: Collation, intake: IntakeResult) -> None:
    columns = [
        Column("类别", 14),
        Column("众创社区", 26),
        Column("专家", 12),
        Column("文件", 36),
        Column("说明", 60),
    ]
    _start(ws, sheet_title(SHEET_FLAGS, collation), columns)
    rows: list[tuple[list[Any], PatternFill | None]] = []
    for app in collation.apps:
        for e in app.experts:
            if e.flagged:
                detail = flag_detail(e.total, e.deviation, app.median, collation.rules.deviation_flag)
                rows.append((["偏差较大", app.community_name, e.expert, "", detail], _FLAG_FILL))
    for app in collation.apps:
        for key, n in app.hard_failures.items():
            if n:
                many = "，为多数" if key in app.majority_hard_failures else ""
                detail = f"{check_title(key)}：{n}/{app.n_reviews} 份意见表记为不达标{many}"
                rows.append((["硬指标不达标", app.community_name, "", "", detail], _FAIL_FILL))
    for rej in intake.rejected:
        community = community_of(collation, rej.application_key) if rej.application_key else ""
        values = ["无效文件（未计入）", community, rej.expert or "", source_name(rej.source), rej.reason_zh]
        rows.append((values, _MUTED_FILL))
    for dup in intake.duplicates:
        detail = f"与 {source_name(dup.same_as)} 内容相同，只计一次"
        rows.append((["重复文件", "", "", source_name(dup.source), detail], None))
    for sup in intake.superseded:
        detail = (
            f"第 {sup.older_revision} 版已被第 {sup.newer_revision} 版"
            f"（{source_name(sup.newer_source)}）替代，只计最新版"
        )
        community = community_of(collation, sup.application_key)
        rows.append((["被替代的修订", community, sup.expert, source_name(sup.older_source), detail], None))
    rows += conflict_rows(collation, intake.conflicts)
    for r, (values, fill) in enumerate(rows, start=FIRST_ROW):
        _row(ws, r, values, columns)
        if fill is not None:
            ws.cell(r, 1).fill = fill
    _finish(ws, columns, len(rows), freeze="A3")


_VERDICT_LABELS = {"counted": "计入", "duplicate": "重复", "superseded": "被取代", "conflict": "冲突未计入"}


def file_verdicts(intake: IntakeResult) -> dict[str, tuple[str, str]]:
    """Source label -> (verdict, reason) of every file intake looked at, in Chinese."""
    return {
        label: (_VERDICT_LABELS.get(code, "未计入"), reason)
        for label, (code, reason) in intake.verdicts().items()
    }


def who_of(payload: dict[str, Any] | None) -> tuple[str, str]:
    """(expert, application key) a file's review data names; blank when it could not be read."""
    try:
        assert isinstance(payload, dict)
        return normalize_name(str(payload["expert"]["name"])), str(payload["application"]["key"])
    except (AssertionError, KeyError, TypeError):
        return "", ""


def _files_sheet(ws: Worksheet, collation: Collation, intake: IntakeResult) -> None:
    """Every file looked at, with what identifies it and when the office received it."""
    columns = [
        Column("结论", 8),
        Column("众创社区", 24),
        Column("专家", 10),
        Column("文件", 30),
        Column("SHA-256", 24),
        Column("签名人", 10),
        Column("证书序列号", 18),
        Column("签发机构（CA）", 18),
        Column("CA 证书 SHA-256 指纹", 24),
        Column("签名时间（专家电脑自报）", 20),
        Column("接收时间（办公室）", 20),
        Column("说明", 50),
    ]
    _start(ws, sheet_title(SHEET_FILES, collation), columns)
    verdicts = file_verdicts(intake)
    people = {c.label: who_of(c.payload) for c in intake.checked}

    def order(c: Any) -> tuple[str, str, str]:
        expert, key = people[c.label]
        return (key, expert, c.label)

    r = FIRST_ROW - 1
    for r, c in enumerate(sorted(intake.checked, key=order), start=FIRST_ROW):
        verdict, reason = verdicts.get(c.label, ("未计入", ""))
        expert, key = people[c.label]
        values: list[Any] = [
            verdict,
            community_of(collation, key) if key else "",
            expert,
            source_name(c.label),
            c.sha256,
            c.signer_name or "",
            c.signer_serial or "",
            c.ca_name or "",
            c.ca_sha256 or "",
            local_minute_zoned(c.signing_time) if c.signing_time else "",
            local_minute_zoned(c.validated_at) if c.validated_at else "",
            reason,
        ]
        _row(ws, r, values, columns)
        if verdict != "计入":
            ws.cell(r, 1).fill = _MUTED_FILL
    _finish(ws, columns, r - FIRST_ROW + 1, freeze="E3")


def _roster_sheet(ws: Worksheet, collation: Collation, roster_rows: Sequence[RosterRow]) -> None:
    columns = [Column("专家", 12), Column("众创社区", 26), Column("申报编号", 16), Column("状态", 14)]
    _start(ws, sheet_title(SHEET_ROSTER, collation), columns)
    ordered = sorted(roster_rows, key=lambda x: (status_order(x.status), x.expert, x.application_key))
    for r, row in enumerate(ordered, start=FIRST_ROW):
        values: list[Any] = [
            row.expert,
            community_of(collation, row.application_key),
            row.application_key,
            status_label(row.status),
        ]
        _row(ws, r, values, columns)
        if status_order(row.status) <= 1:  # not (validly) submitted: what the office chases
            ws.cell(r, 4).fill = _FAIL_FILL
        elif status_order(row.status) == 2:
            ws.cell(r, 4).fill = _MUTED_FILL
    _finish(ws, columns, len(ordered), freeze="A3")


def _notes_sheet(ws: Worksheet, collation: Collation, intake: IntakeResult, rubric: Rubric) -> None:
    columns = [Column("项目", 22), Column("内容", 90)]
    _start(ws, "说明", columns)
    lines = notes(collation, rubric, intake)
    for r, (label, value) in enumerate(lines, start=FIRST_ROW):
        _row(ws, r, [label, value], columns)
    _finish(ws, columns, len(lines), freeze="A3")


# --- cells ------------------------------------------------------------------------------------------


def _start(ws: Worksheet, title: str, columns: Sequence[Column]) -> None:
    """Title in row 1 (merged across), headers in row 2."""
    _text_cell(ws.cell(TITLE_ROW, 1), title).font = _TITLE_FONT
    if len(columns) > 1:
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(columns))
    for c, col in enumerate(columns, start=1):
        cell = _text_cell(ws.cell(HEADER_ROW, c), col.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(c)].width = col.width


def _row(ws: Worksheet, r: int, values: Sequence[Any], columns: Sequence[Column]) -> None:
    for c, (value, col) in enumerate(zip(values, columns, strict=True), start=1):
        cell = ws.cell(r, c)
        if value is None or value == "":
            pass
        elif isinstance(value, bool):
            _text_cell(cell, "是" if value else "否")
        elif isinstance(value, Decimal | int):
            cell.value = _number(value)
            cell.number_format = col.number_format or "General"
        else:
            _text_cell(cell, str(value))
        cell.border = _BORDER
        cell.alignment = _WRAP


def _number(value: Decimal | int) -> Decimal | int:
    """The exact value, in fixed-point form (an exponent like ``1E+1`` is not for a spreadsheet)."""
    if isinstance(value, Decimal):
        return Decimal(format(value, "f"))
    return value


def _text_cell(cell: Cell, value: str) -> Cell:
    """Put ``value`` in ``cell`` as text, never as a formula.

    openpyxl turns any string starting with ``=`` into a formula; forcing the string type
    stores it as text, and the quote prefix keeps it text when someone edits the cell in
    Excel, WPS or LibreOffice (the way a typed leading apostrophe would).
    """
    clean = _ILLEGAL.sub("", value)
    cell.value = clean
    cell.data_type = "s"
    if clean[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
        cell.quotePrefix = True
    return cell


def _finish(ws: Worksheet, columns: Sequence[Column], rows: int, freeze: str) -> None:
    """Freeze the headers, filter, and set up printing: A4 landscape, fit to width, titles repeated."""
    ws.freeze_panes = freeze
    last = get_column_letter(len(columns))
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + rows}"
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    ws.oddFooter.right.text = "&A"


def _override_reason(app: AppResult) -> str:
    if app.override is None:
        return ""
    return f"{app.override.reason}（{app.override.by}，{local_minute_zoned(app.override.at)}）"


def _save(wb: Workbook, path: Path) -> None:
    """Save next to ``path`` and rename over it: a failure never leaves half a workbook."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            wb.save(tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(
            f"无法写入汇总表：{exc.strerror or exc}。如文件已在 Excel 或 WPS 中打开，请先关闭后重试，或另选位置保存。",
            f"Cannot write the collated workbook: {exc.strerror or exc}. If the file is open in Excel or WPS, "
            "close it and try again, or save it elsewhere.",
            path,
        ) from exc


# --- text shared with the summary PDF ---------------------------------------------------------------

# Order on the 名单 sheet: what the office must chase first.
_STATUS_ORDER = {"missing": 0, "rejected": 1, "conflict": 1, "recused": 2, "submitted": 3}


def status_label(status: str) -> str:
    """A roster status in Chinese ("尚未提交", "已提交但无效", "已回避", "已提交")."""
    return ROSTER_STATUS_ZH.get(status, status)


def status_order(status: str) -> int:
    """0 not yet submitted, 1 submitted but invalid, 2 recused, 3 submitted."""
    return _STATUS_ORDER.get(status, 4)


def conclusion_label(conclusion: Conclusion | None) -> str:
    """The Chinese label of a proposed or final conclusion ("" when there is none)."""
    return "" if conclusion is None else conclusion.label


def sheet_title(sheet: str, collation: Collation) -> str:
    """The title line of a sheet: "汇总 — 批次 2026-sq-1（评分细则 application 第 1.0 版）"."""
    return f"{sheet} — 批次 {collation.batch_id}（评分细则 {collation.rubric_id} 第 {collation.rubric_version} 版）"


@cache
def _check_titles() -> dict[str, str]:
    blank = Application(community_name="", city="", county="", applicant="")
    titles: dict[str, str] = {}
    for stage in Stage:
        for c in evaluate(Application(**{**blank.__dict__, "stage": stage})):
            titles.setdefault(c.key, c.title_zh)
    return titles


def check_title(key: str) -> str:
    """The Chinese title of hard-indicator check ``key`` (the key itself if unknown)."""
    return _check_titles().get(key, key)


def failures_text(app: AppResult) -> str:
    """ "创新创业服务载体建筑面积 3/5；…": each check some reviews marked failed, how many of how many."""
    return "；".join(f"{check_title(k)} {n}/{app.n_reviews}" for k, n in app.hard_failures.items() if n)


def recommendation_labels(rubric: Rubric) -> dict[str, str]:
    """Recommendation key -> label, from the rubric."""
    return {r.key: r.label for r in rubric.recommendations}


def recommendations_text(recommendations: dict[str, int], rubric: Rubric) -> str:
    """ "建议备案试点 4，修改完善后再议 1" in the rubric's order, then any other key."""
    labels = recommendation_labels(rubric)
    order = [k for k in labels if recommendations.get(k)]
    order += sorted(k for k in recommendations if k not in labels and recommendations[k])
    return "，".join(f"{labels.get(k, k)} {recommendations[k]}" for k in order)


def goal_header(key: str, rubric: Rubric) -> str:
    """ "创新资源富集（20分）" for a goal key; "加分项（5分）" for the bonus."""
    if key == BONUS_GOAL:
        return f"{rubric.bonus.title}（{_points(rubric.bonus.cap)}分）"
    try:
        goal = rubric.goal(key)
    except KeyError:
        return key
    return f"{goal.title}（{_points(goal.max_points)}分）"


def _points(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def source_name(label: str) -> str:
    """A source label without its folders: "意见表.zip › 张三.pdf" for "/u/x/意见表.zip › 张三.pdf"."""
    return short_label(label)


def community_of(collation: Collation, application_key: str) -> str:
    """The community name of ``application_key`` in the collation (the key if it is not there)."""
    for app in collation.apps:
        if app.application_key == application_key:
            return app.community_name
    return application_key


def flag_detail(total: Decimal, deviation: Decimal | None, median: Decimal | None, threshold: Decimal) -> str:
    """Why a score is flagged: "总分 62.00，比中位数 80.25 低 18.25（超过 10 分即标记）"."""
    if deviation is None or median is None:
        return f"总分 {total:.2f}"
    side = "高" if deviation > 0 else "低"
    return f"总分 {total:.2f}，比中位数 {median:.2f} {side} {abs(deviation):.2f}（超过 {_points(threshold)} 分即标记）"


def rules_lines(collation: Collation, rubric: Rubric) -> list[tuple[str, str]]:
    """The collation rules in words, as (label, text) pairs (the reader can redo the arithmetic)."""
    rules = collation.rules
    return [
        (
            "去极值平均分",
            f"有效评审不少于 {rules.trim_when_at_least} 份时，去掉最高和最低各 {rules.trim_each_side} 个总分后平均；"
            "不足时等于平均分",
        ),
        (
            "偏差标记",
            f"专家总分与该申报各专家总分中位数之差的绝对值超过 {_points(rules.deviation_flag)} 分（不含）时标记",
        ),
        ("分数线", f"{_points(collation.pass_line)} 分（含）"),
        ("多数规则", MAJORITY_LABELS_ZH.get(rules.majority, rules.majority)),
        (
            "最少评审数",
            f"计入的评审意见少于 {rules.min_reviews} 份的申报为“评审不足”（一份也没有为“未评审”），"
            "不拟定结论、不参加排名；这不是“不建议”",
        ),
    ]


def _unreviewed_note(collation: Collation) -> list[tuple[str, str]]:
    waiting = [a for a in collation.apps if not a.reviewed]
    if not waiting:
        return []
    names = "、".join(f"{a.community_name}（{a.status_label(en=False)}）" for a in waiting)
    what = "意见冲突、评审不足或未评审" if any(a.status == CONFLICT for a in waiting) else "评审不足或未评审"
    return [("未排名", f"{len(waiting)} 个申报{what}，未拟定结论、未排名：{names}")]


def conflict_file_text(f: ConflictFile) -> str:
    """ "第 1 版，签署于 2026-03-01 16:00 UTC+08:00，SHA-256 3f2a9c81d0e4…"."""
    when = local_minute_zoned(f.signed_at) if f.signed_at is not None else "签署时间未知"
    signed = f"签署于 {when}" if f.signed_at is not None else when
    return f"第 {f.revision} 版，{signed}，SHA-256 {f.sha_prefix}…"


def conflict_rows(
    collation: Collation, conflicts: Sequence[Conflict]
) -> list[tuple[list[Any], PatternFill | None]]:
    """The 标记与排除 rows of every conflict group: one per file, saying whether it counts and why."""
    rows: list[tuple[list[Any], PatternFill | None]] = []
    for c in conflicts:
        community = community_of(collation, c.application_key)
        chosen = c.chosen
        for f in c.files:
            if c.choice is None:
                label, fill = "意见冲突（待选定）", _CONFLICT_FILL
                stale = c.stale_zh.rstrip("。") + "；" if c.stale_choice is not None else ""
                detail = f"{conflict_file_text(f)}。{c.why_zh}；{stale}均不计入，待经办人选定计入的一份"
            elif f is chosen:
                label, fill = "意见冲突（选定计入）", None
                detail = (
                    f"{conflict_file_text(f)}。{c.why_zh}；经办人 {c.choice.by}"
                    f"（{local_minute_zoned(c.choice.at)}）选定此份计入。理由：{c.choice.reason}"
                )
            else:
                label, fill = "意见冲突（未计入）", _MUTED_FILL
                detail = (
                    f"{conflict_file_text(f)}。{c.why_zh}；按经办人的选定不计入（经办人 {c.choice.by} 选定 "
                    f"SHA-256 {chosen.sha_prefix if chosen else ''}… 计入）。理由：{c.choice.reason}"
                )
            rows.append(([label, community, c.expert, source_name(f.source), detail], fill))
    return rows


def notes(collation: Collation, rubric: Rubric, intake: IntakeResult) -> list[tuple[str, str]]:
    """What the 说明 sheet says: batch, rubric, counts and the rules."""
    out = [
        ("批次", collation.batch_id),
        ("评分细则", f"{rubric.title}（{collation.rubric_id} 第 {collation.rubric_version} 版）"),
        ("申报数", str(len(collation.apps))),
        *_unreviewed_note(collation),
        ("计入的意见表", f"{len(intake.accepted)} 份"),
        (
            "未计入的文件",
            f"无效 {len(intake.rejected)} 份，重复 {len(intake.duplicates)} 份，"
            f"被替代的修订 {len(intake.superseded)} 份"
            + (
                f"，意见冲突 {sum(len(c.set_aside) for c in intake.conflicts)} 份"
                f"（未决 {len(intake.unresolved)} 处）"
                if intake.conflicts
                else ""
            ),
        ),
        *rules_lines(collation, rubric),
        ("结论规则", rubric.recommendation_rule or "见评分细则"),
        ("排名", RANKING_RULE),
        (
            "数值精度",
            f"平均分、中位数、去极值平均分、标准差、偏差均四舍五入到 {collation.places} 位小数，"
            "结论与排名按表中显示的数值判定",
        ),
        ("生成时间", local_minute_zoned(datetime.now(UTC))),
    ]
    if collation.ignored_overrides:
        keys = "、".join(collation.ignored_overrides)
        out.append(("未使用的结论调整", f"以下申报有人工调整结论，但本次没有汇总该申报：{keys}"))
    return out
