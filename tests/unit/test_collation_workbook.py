"""The collated workbook: numbers read back exactly, user text never a formula, print-ready, opens in LibreOffice."""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import subprocess
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from tests.data import opinions as od
from zc_review.core.collation import Collation, Override, collate
from zc_review.core.collation_rules import CollationRules
from zc_review.core.intake_result import Duplicate, IntakeResult, Opinion, Rejection, RosterRow, Superseded
from zc_review.core.intake_rules import roster_status
from zc_review.reports.collation_workbook import SHEETS, write_workbook

EVIL_NAME = '=HYPERLINK("http://evil.example","点我")众创社区'
A = od.App("app-a", EVIL_NAME)
B = od.App("app-b", "+1 南京江宁众创社区")
C = od.App("app-c", "@SUM(A1) 苏州工业园区众创社区")
D = od.App("app-d", "-2 无锡众创社区")  # on the batch, no counted review yet
EVIL_REASON = "=cmd|' /C calc'!A0 专家组会议讨论决定"

TOTALS: dict[str, list[tuple[str, str]]] = {
    "app-a": [("张三", "85"), ("李四", "82.5"), ("王五", "90"), ("赵六", "60"), ("钱七", "88")],
    "app-b": [("张三", "70"), ("李四", "75.5"), ("王五", "72")],
    "app-c": [("张三", "95"), ("李四", "91"), ("王五", "93.5"), ("赵六", "92"), ("钱七", "94")],
}


def batch() -> tuple[Collation, IntakeResult, list[RosterRow]]:
    apps = {a.key: a for a in (A, B, C)}
    ops: list[Opinion] = []
    for key, rows in TOTALS.items():
        for expert, total in rows:
            fail = ("carrier_floor_area",) if key == "app-b" and expert != "王五" else ()
            ops.append(od.opinion(expert, apps[key], total, hard_fail=fail))
    overrides = {"app-b": Override("reject", EVIL_REASON, "@办公室", datetime(2026, 3, 2, 8, 0, tzinfo=UTC))}
    collation = collate(ops, od.rubric(), CollationRules(), overrides, applications={D.key: D.community})
    result = IntakeResult(
        accepted=ops,
        rejected=[
            Rejection("/in/-篡改.pdf", "签名无效：文件在签署后被修改", "tampered", "invalid", "孙八", "app-a")
        ],
        duplicates=[Duplicate("/in/张三-副本.pdf", "/in/张三.pdf")],
        superseded=[
            Superseded("/in/意见.zip › 李四-v1.pdf", "/in/意见.zip › 李四-v2.pdf", "李四", "app-a", 1, 2)
        ],
    )
    roster = ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
    rows = roster_status(result, roster, [a.application_key for a in collation.apps], [("赵六", "app-b")])
    return collation, result, rows


@pytest.fixture(scope="module")
def written(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Collation, IntakeResult, list[RosterRow]]:
    collation, result, rows = batch()
    path = tmp_path_factory.mktemp("wb") / "汇总表.xlsx"
    assert write_workbook(collation, result, rows, path) == path
    return path, collation, result, rows


def table(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    """The rows of a sheet below its header row (row 2), keyed by header."""
    header = [c.value for c in ws[2]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=3)]


def places2(x: Fraction) -> float:
    """Round half up to 2 decimals, independently of the code under test."""
    exact = Decimal(x.numerator) / Decimal(x.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))


def test_summary_numbers_match_an_independent_computation(written) -> None:
    path, collation, _result, _rows = written
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    rows = {r["申报编号"]: r for r in table(wb["汇总"])}
    for key, scored in TOTALS.items():
        totals = sorted(Fraction(Decimal(t)) for _e, t in scored)
        row = rows[key]
        assert row["有效评审数"] == len(totals)
        assert row["平均分"] == places2(sum(totals, Fraction(0)) / len(totals))
        assert row["中位数"] == places2(Fraction(statistics.median(totals)))
        kept = totals[1:-1] if len(totals) >= 5 else totals
        assert row["去极值平均分"] == places2(sum(kept, Fraction(0)) / len(kept))
        sd = statistics.stdev([Decimal(t) for _e, t in scored])
        assert row["标准差"] == float(sd.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
    # Ranked by trimmed mean: C (93.17) before A (85.17) before B (72.50); D without reviews last.
    assert [r["申报编号"] for r in table(wb["汇总"])] == ["app-c", "app-a", "app-b", "app-d"]
    assert [r["排名"] for r in table(wb["汇总"])] == [1, 2, 3, None]  # app-d: not reviewed, not ranked
    assert rows["app-d"]["平均分"] is None and rows["app-d"]["有效评审数"] == 0
    # Not reviewed is not rejected: no 不建议, the reason instead.
    assert (rows["app-d"]["拟定结论"], rows["app-d"]["最终结论"]) == ("未评审", None)
    # Every number equals the collation's exact Decimal, read back as a number.
    for app in collation.apps:
        if app.n_reviews:
            assert Decimal(str(rows[app.application_key]["去极值平均分"])) == app.trimmed_mean
            assert isinstance(rows[app.application_key]["平均分"], float)


def test_summary_shows_failures_recommendations_and_the_override(written) -> None:
    path, *_ = written
    ws = openpyxl.load_workbook(path)["汇总"]
    rows = {r["申报编号"]: r for r in table(ws)}
    assert rows["app-b"]["硬指标不达标"] == "创新创业服务载体建筑面积 2/3"
    assert rows["app-a"]["建议分布"] == "建议备案试点 4，修改完善后再议 1"
    assert rows["app-b"]["拟定结论"] == "修改完善后再议"
    assert rows["app-b"]["最终结论"] == "不建议"
    assert str(rows["app-b"]["调整理由"]).startswith(EVIL_REASON)
    # The failure cell is coloured, a clean one is not.
    row_b = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 3).value == "app-b")
    row_c = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 3).value == "app-c")
    assert ws.cell(row_b, 9).fill.fgColor.rgb.endswith("F8D7D7")
    assert ws.cell(row_c, 9).fill.fill_type is None


def test_goal_and_expert_sheets(written) -> None:
    path, collation, result, _rows = written
    wb = openpyxl.load_workbook(path)
    goals = {r["众创社区"]: r for r in table(wb["分目标"])}
    for app in collation.apps:
        if not app.n_reviews:
            continue
        ops = [o for o in result.accepted if o.application_key == app.application_key]
        expected = sum((o.goal_totals["innovation_resources"] for o in ops), Decimal(0)) / len(ops)
        got = goals[app.community_name]["创新资源富集（22分）"]
        assert got == float(expected.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
    experts = table(wb["专家明细"])
    assert len(experts) == sum(len(v) for v in TOTALS.values())
    zhao = next(r for r in experts if r["专家"] == "赵六" and r["众创社区"] == EVIL_NAME)
    # 60 against a median of 85: 25 below, more than the 10-point flag.
    assert zhao["总分"] == 60 and zhao["与中位数之差"] == -25 and zhao["偏差较大"] == "是"
    assert zhao["去极值时剔除"] == "是"
    ws = wb["专家明细"]
    flagged_row = next(
        r for r in range(3, ws.max_row + 1) if ws.cell(r, 3).value == "赵六" and ws.cell(r, 4).value == 60
    )
    assert ws.cell(flagged_row, 5).fill.fgColor.rgb.endswith("FCE8C8")


def test_flags_and_roster_list_what_was_not_counted(written) -> None:
    path, *_ = written
    wb = openpyxl.load_workbook(path)
    flags = table(wb["标记与排除"])
    kinds = [r["类别"] for r in flags]
    assert kinds.count("偏差较大") == 1
    assert "硬指标不达标" in kinds
    rejected = next(r for r in flags if r["类别"] == "无效文件（未计入）")
    assert rejected["文件"] == "-篡改.pdf" and "签名无效" in str(rejected["说明"])
    dup = next(r for r in flags if r["类别"] == "重复文件")
    assert dup["文件"] == "张三-副本.pdf" and "张三.pdf" in str(dup["说明"])
    sup = next(r for r in flags if r["类别"] == "被替代的修订")
    assert sup["文件"] == "意见.zip › 李四-v1.pdf" and "第 2 版" in str(sup["说明"])
    roster = table(wb["名单"])
    status = {(r["专家"], r["申报编号"]): r["状态"] for r in roster}
    assert status[("赵六", "app-b")] == "已回避"
    assert status[("孙八", "app-a")] == "已提交但无效"
    assert status[("孙八", "app-c")] == "尚未提交"
    assert status[("张三", "app-a")] == "已提交"
    # What the office must chase comes first.
    assert roster[0]["状态"] == "尚未提交"


def test_user_text_is_never_a_formula(written) -> None:
    path, *_ = written
    wb = openpyxl.load_workbook(path)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
                    seen.add(cell.value[:1])
    assert seen >= {"=", "+", "-", "@"}
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml


def test_frozen_headers_print_setup_and_number_formats(written) -> None:
    path, *_ = written
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("3"), ws.title
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$2"
        assert ws.column_dimensions["B"].width > 10
    ws = wb["汇总"]
    assert ws.freeze_panes == "C3"
    assert ws["E3"].number_format == "0.00" and ws["A3"].number_format == "0"


def test_unwritable_target_is_a_user_error_and_leaves_nothing(tmp_path: Path) -> None:
    from zc_review.errors import UserError

    collation, result, rows = batch()
    target = tmp_path / "汇总表.xlsx"
    target.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(UserError) as info:
        write_workbook(collation, result, rows, target)
    assert info.value.path == str(target)
    assert [p.name for p in tmp_path.iterdir()] == ["汇总表.xlsx"]


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; in CI this test must run",
)
def test_libreoffice_opens_it_and_reads_the_same(written, tmp_path: Path) -> None:
    path, collation, *_ = written
    soffice = shutil.which("soffice")
    assert soffice
    profile = (tmp_path / "lo-profile").as_uri()
    out = tmp_path / "out"

    def convert(target: str) -> None:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )

    convert("pdf")
    pdf = out / "汇总表.pdf"
    assert pdf.stat().st_size > 1000 and pdf.read_bytes().startswith(b"%PDF")
    # Every sheet as UTF-8 CSV, with what LibreOffice shows (a formula would show its result).
    convert("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
    with (out / "汇总表-汇总.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[1], rows[2:]
    by_key = {r[header.index("申报编号")]: r for r in body}
    assert by_key["app-a"][header.index("众创社区")] == EVIL_NAME  # shown, not evaluated
    assert by_key["app-b"][header.index("众创社区")] == B.community
    for app in collation.apps:
        if app.n_reviews:
            assert Decimal(by_key[app.application_key][header.index("去极值平均分")]) == app.trimmed_mean
            assert Decimal(by_key[app.application_key][header.index("平均分")]) == app.mean
