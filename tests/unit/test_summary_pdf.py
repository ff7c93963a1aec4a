"""The summary report PDF: the ranking as text, only embedded fonts, page numbers, chart pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_collation_workbook import EVIL_NAME, batch
from tests.unit.test_collation_workbook import C as APP_C
from zc_review.core.collation import Collation
from zc_review.reports.summary_pdf import chart_data, write_summary_pdf

C_NAME = APP_C.community

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None, reason="poppler-utils missing"
)


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Collation]:
    collation, _result, _rows = batch()
    path = tmp_path_factory.mktemp("pdf") / "汇总报告.pdf"
    assert write_summary_pdf(collation, path) == path
    return path, collation


@needs_poppler
def test_ranking_table_is_extractable_chinese_text(report) -> None:
    path, collation = report
    text = run("pdftotext", "-layout", str(path), "-")
    assert "汇总表" in text and "批次 2026-sq-1" in text
    lines = text.splitlines()
    # Each counted application's row carries its rank and its numbers as printed (2 decimals).
    for app in collation.apps:
        if not app.n_reviews:
            continue
        row = next(ln for ln in lines if ln.strip().startswith(f"{app.rank} ") and f"{app.mean:.2f}" in ln)
        assert f"{app.trimmed_mean:.2f}" in row and f"{app.median:.2f}" in row
    # Names wrap inside their cell; in reading order they come out whole, shown as text.
    flowing = run("pdftotext", str(path), "-").replace("\n", "")
    assert C_NAME in flowing and EVIL_NAME in flowing
    # The override and the rules are stated.
    assert "结论调整" in text and "专家组会议讨论决定" in text
    assert "去极值平均分：有效评审不少于 5 份时" in text


@needs_poppler
def test_only_embedded_fonts_and_page_numbers(report) -> None:
    path, _ = report
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        cols = line.split()
        assert cols[-5] == "yes", f"not embedded: {line}"
    pages = int(
        next(ln.split()[-1] for ln in run("pdfinfo", str(path)).splitlines() if ln.startswith("Pages:"))
    )
    assert pages == 3  # table, ranking chart, spread chart
    for n in range(1, pages + 1):
        page = run("pdftotext", "-f", str(n), "-l", str(n), str(path), "-")
        # Text extraction drops the spaces between CJK glyphs.
        assert f"第{n}页/共{pages}页" in page.replace(" ", "")


@needs_poppler
def test_charts_are_print_resolution_images(report) -> None:
    path, _ = report
    listed = run("pdfimages", "-list", str(path)).splitlines()[2:]
    images = [ln for ln in listed if ln.split()[2] == "image"]  # not the alpha masks
    assert len(images) == 2
    for line in images:
        cols = line.split()
        x_ppi, y_ppi = int(cols[-4]), int(cols[-3])
        assert x_ppi >= 290 and y_ppi >= 290, line


def test_without_charts_is_one_page_of_table(tmp_path: Path) -> None:
    collation, _r, _rows = batch()
    path = write_summary_pdf(collation, tmp_path / "t.pdf", charts=False)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1
    assert b"/Subtype /Image" not in data


def test_chart_data_counts_only_the_collated_reviews_in_rank_order() -> None:
    collation, _r, _rows = batch()
    from zc_review.core.rubric import find_rubric

    rubric = find_rubric(collation.rubric_id, collation.rubric_version)
    data = chart_data(collation, rubric, ranked=True)
    by_name = {r.name: r for r in data.rows}
    for app in collation.apps:
        row = by_name[app.community_name]
        assert sorted(e.total for e in row.expert_totals) == sorted(float(e.total) for e in app.experts)
    scored = sorted((r for r in data.rows if r.panel_mean is not None), key=lambda r: -(r.panel_mean or 0))
    assert [r.name for r in scored] == [a.community_name for a in collation.apps if a.n_reviews]
    assert data.recommendation_line is not None and data.recommendation_line.min_total == 80
    plain = chart_data(collation, rubric)
    mean_a = next(r.panel_mean for r in plain.rows if r.name == EVIL_NAME)
    assert mean_a == pytest.approx(81.1)


@needs_poppler
def test_an_application_nobody_reviewed_is_said_so_and_not_rejected(report) -> None:
    path, collation = report
    waiting = [a for a in collation.apps if not a.reviewed]
    assert waiting, "the test batch has an application without counted reviews"
    flowing = run("pdftotext", str(path), "-").replace("\n", "")
    assert "评审不足或未评审（未拟定结论、未排名）" in flowing
    for app in waiting:
        assert f"{app.community_name}：{app.status_label(en=False)}" in flowing
    # Its row carries the reason where a conclusion would be, never 不建议.
    layout = run("pdftotext", "-layout", str(path), "-").splitlines()
    for app in waiting:
        row = [ln for ln in layout if app.community_name[:4] in ln and "未评审" in ln]
        assert row and all("不建议" not in ln for ln in row), row


def test_a_batch_of_sixty_applications_makes_a_report_whose_charts_fit_the_page(tmp_path: Path) -> None:
    from tests.data import opinions as od
    from zc_review.core.collation import collate

    ops = []
    for i in range(60):
        app = od.App(f"app-{i:02d}", f"第{i:02d}号众创社区")
        for j, who in enumerate(("张三", "李四", "王五")):
            ops.append(od.opinion(who, app, str(50 + (i * 7 + j * 3) % 45)))
    collation = collate(ops, od.rubric())
    # A chart as tall as the frame did not fit its padding: 19 or more applications failed to build.
    path = write_summary_pdf(collation, tmp_path / "汇总报告.pdf")
    assert path.read_bytes().startswith(b"%PDF-")
