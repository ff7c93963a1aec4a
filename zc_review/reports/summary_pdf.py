"""The summary report (汇总表.pdf): the ranking table and the batch charts, for the meeting file.

A4 landscape (the ranking has many columns), the shipped CJK font embedded as a subset (no
other font appears: ``initialFontName`` keeps ReportLab's default Helvetica out), "第 x 页 /
共 y 页" on every page. The charts are the batch charts of :mod:`zc_review.charts.batch_charts`
drawn from the collation itself (so they show exactly the counted reviews) and embedded as
300 dpi images, sharp on paper.

Signed by the office (``sign_with``): the last page carries the office's signature block
(the CA certificate's name, the signing time as the app prints times, the start of the CA's
SHA-256 fingerprint), drawn in the same font; the PAdES signature field is placed over it
and the office CA's key signs the whole file (:func:`zc_review.signing.pades.sign_pdf_as_office`).
The last chart is made shorter so that the block shares its page.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

import zc_review
from zc_review.charts import batch_charts, style
from zc_review.charts.data import BatchChartData, BatchRow, ExpertTotal, RecommendationLine, lacks_majority
from zc_review.core.collation import CONFLICT, AppResult, Collation
from zc_review.core.intake_result import Conflict
from zc_review.core.rubric import Rubric, find_rubric
from zc_review.errors import UserError
from zc_review.i18n import local_minute_zoned
from zc_review.reports.collation_workbook import (
    community_of,
    conclusion_label,
    conflict_file_text,
    failures_text,
    recommendations_text,
    rules_lines,
    source_name,
)
from zc_review.reports.fonts import register_cjk_font

if TYPE_CHECKING:  # cryptography and pyHanko load only when a report is signed
    from zc_review.signing.ca import OfficeCA

__all__ = ["chart_data", "write_summary_pdf"]

PAGE = landscape(A4)
MARGIN_X = 14 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM

CHART_DPI = 300  # print resolution

INK = colors.black
GRID = colors.HexColor("#808080")
HEADER_FILL = colors.HexColor("#DDE7F3")
FAIL_FILL = colors.HexColor("#F8D7D7")
OVERRIDE_FILL = colors.HexColor("#E3F0E0")
CONFLICT_FILL = colors.HexColor("#FFE8A8")  # amber: 冲突, a clerk must choose the file that counts
MUTED = colors.HexColor("#555555")


def write_summary_pdf(
    collation: Collation,
    path: Path,
    charts: bool = True,
    *,
    sign_with: OfficeCA | None = None,
    signing_time: datetime | None = None,
) -> Path:
    """Write the summary report of ``collation`` to ``path`` (whole or not at all); return the path.

    ``charts=False`` leaves out the chart pages (a quick table-only print). With ``sign_with``
    (the loaded office CA) the report ends with the office's signature block and is signed
    there by the CA's key (:func:`zc_review.signing.pades.sign_pdf_as_office`: PAdES B-B,
    covering the whole file); ``signing_time`` (timezone-aware, default now) is both printed
    in the block and signed. Nothing is written if signing fails.
    """
    path = Path(path)
    if signing_time is None:
        signing_time = datetime.now(UTC).replace(microsecond=0)
    rubric = find_rubric(collation.rubric_id, collation.rubric_version)
    font = register_cjk_font()
    st = _Styles(font)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"汇总表：{collation.batch_id}",
        subject=f"{rubric.title} {collation.batch_id}",
        creator=f"ZC Review {zc_review.__version__}",
        lang="zh-CN",
        initialFontName=font,  # else Helvetica (not embedded) appears in every page's font list
    )
    story: list[Any] = [
        Paragraph("汇总表", st.title),
        Paragraph(
            escape(
                f"批次 {collation.batch_id}　评分细则：{rubric.title}（第 {collation.rubric_version} 版）"
                f"　生成时间：{local_minute_zoned(signing_time)}"
            ),
            st.subtitle,
        ),
        Spacer(1, 3 * mm),
        _ranking_table(collation, rubric, st),
        Spacer(1, 4 * mm),
    ]
    story += _notes(collation, rubric, st)
    block = _OfficeSignatureBlock(sign_with, signing_time, font) if sign_with is not None else None
    if charts and collation.apps:
        story += [PageBreak(), _chart_image(_ranking_figure(collation, rubric))]
        # The last chart leaves room for the signature block, which then shares its page.
        reserve = 0.0 if block is None else block.HEIGHT + block.GAP
        story += [PageBreak(), _chart_image(_spread_figure(collation, rubric, reserve))]
    if block is not None:
        story += [Spacer(1, block.GAP), block]

    doc.build(story, canvasmaker=_NumberedCanvas)
    data = out.getvalue()
    if block is not None and sign_with is not None:
        from zc_review.signing.pades import sign_pdf_as_office

        if block.placed is None:  # pragma: no cover - the block is always in the story
            raise RuntimeError("the signature block was not laid out")
        page, box = block.placed
        data = sign_pdf_as_office(data, sign_with, box, page, signing_time=signing_time)
    _write(path, data)
    return path


def chart_data(collation: Collation, rubric: Rubric, ranked: bool = False) -> BatchChartData:
    """The batch charts' data from the collation: each counted expert total, the rubric's lines.

    Only what the collation counted is drawn: rejected, duplicate and superseded files and
    recused experts are not in ``AppResult.experts``. With ``ranked`` each row's panel score
    is the collation's trimmed mean and the rows sort in the collation's rank order (the
    ranking chart then numbers them as the table does); otherwise it is the plain mean of
    the counted totals (the spread chart's mean mark). A hard failure is marked when a
    majority of the reviews reported one.
    """
    ids: dict[str, int] = {}
    for app in collation.apps:
        for e in app.experts:
            ids.setdefault(e.expert, len(ids))
    rows: list[BatchRow] = []
    for i, app in enumerate(collation.apps):
        fields: dict[str, Any] = {
            "app_id": i,
            "name": app.community_name,
            "city": "",
            "industry": "",
            "total": None,
            "expert_totals": tuple(ExpertTotal(ids[e.expert], e.expert, float(e.total)) for e in app.experts),
            "hard_failures": len(app.majority_hard_failures),
            "no_majority": lacks_majority(app, collation, rubric),
        }
        if ranked:
            # The chart sorts by score, then name; a nudge far below the one decimal it prints
            # keeps the collation's tie-breaks (equal trimmed means, distinct ranks).
            score = float(app.trimmed_mean) - app.rank * 1e-9 if app.rank is not None else None
            rows.append(_RankedRow(**fields, score=score))
        else:
            rows.append(BatchRow(**fields))
    return BatchChartData(
        places=collation.places,
        batch_id=collation.batch_id,
        batch_name=f"批次 {collation.batch_id}",
        expert_id=None,
        rows=tuple(rows),
        lines=tuple(
            RecommendationLine(float(r.min_total), r.label, r.positive)
            for r in rubric.recommendations
            if r.min_total > 0
        ),
        max_total=float(rubric.max_with_bonus),
    )


@dataclass(frozen=True)
class _RankedRow(BatchRow):
    """A batch row whose panel score is the collation's trimmed mean (what the ranking uses)."""

    score: float | None = None

    @property
    def panel_mean(self) -> float | None:
        return self.score


def _ranking_figure(collation: Collation, rubric: Rubric) -> Figure:
    data = chart_data(collation, rubric, ranked=True)
    fig = batch_charts.ranking(data, figsize=_chart_size(len(data.rows)), dpi=CHART_DPI)
    # The batch chart speaks of the panel mean; here the bars are the trimmed means the ranking uses.
    fig.axes[0].set_xlabel("去极值平均分（分）")
    with style.chart_style(_chart_size(len(data.rows))):
        fig.suptitle("申报排名（去极值平均分）", fontsize=matplotlib.rcParams["figure.titlesize"])
    return fig


def _spread_figure(collation: Collation, rubric: Rubric, reserve: float = 0.0) -> Figure:
    data = chart_data(collation, rubric)
    return batch_charts.spread(data, figsize=_chart_size(len(data.rows), reserve), dpi=CHART_DPI)


# --- layout -----------------------------------------------------------------------------------------


class _Styles:
    def __init__(self, font: str) -> None:
        def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
            kw.setdefault("leading", size * 1.35)
            return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **kw)

        self.font = font
        self.title = style("title", 18, alignment=1, spaceAfter=2 * mm)
        self.subtitle = style("subtitle", 9.5, alignment=1, textColor=MUTED)
        self.head = style("head", 8.5, alignment=1)
        self.cell = style("cell", 8.5)
        self.num = style("num", 8.5, alignment=2)
        self.section = style("section", 11, spaceBefore=2 * mm, spaceAfter=1 * mm)
        self.note = style("note", 8.5, textColor=MUTED)


_HEADERS = (
    "排名", "众创社区", "有效\n评审数", "平均分", "中位数", "去极值\n平均分", "标准差",
    "硬指标不达标", "建议分布", "拟定结论", "最终结论",
)  # fmt: skip
# Column widths in mm (landscape A4 leaves about 269 mm); the two free-text columns take the rest.
_WIDTHS_MM = (11, 46, 13, 15, 15, 15, 14, 50, 40, 24, 24)


def _ranking_table(collation: Collation, rubric: Rubric, st: _Styles) -> Table:
    head = [Paragraph(escape(h).replace("\n", "<br/>"), st.head) for h in _HEADERS]
    data: list[list[Any]] = [head]
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), st.font, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, app in enumerate(collation.apps, start=1):
        failures = failures_text(app)
        stats = (app.mean, app.median, app.trimmed_mean, app.stdev)
        final = conclusion_label(app.final)
        if app.override is not None:
            final += " *"
        data.append(
            [
                Paragraph("" if app.rank is None else str(app.rank), st.num),
                Paragraph(escape(app.community_name), st.cell),
                Paragraph(str(app.n_reviews), st.num),
                *(Paragraph(_fmt(v if app.n_reviews else None), st.num) for v in stats),
                Paragraph(escape(failures or "—"), st.cell),
                Paragraph(escape(recommendations_text(app.recommendations, rubric) or "—"), st.cell),
                # Not reviewed is not rejected: where a conclusion would be, say why there is none.
                Paragraph(escape(conclusion_label(app.proposed) or app.status_label(en=False)), st.cell),
                Paragraph(escape(final or "—"), st.cell),
            ]
        )
        if failures:
            style.append(("BACKGROUND", (7, r), (7, r), FAIL_FILL))
        if app.override is not None:
            style.append(("BACKGROUND", (10, r), (10, r), OVERRIDE_FILL))
        if app.status == CONFLICT:
            style.append(("BACKGROUND", (9, r), (9, r), CONFLICT_FILL))
    table = Table(data, colWidths=[w * mm for w in _WIDTHS_MM], repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(style))
    return table


def _notes(collation: Collation, rubric: Rubric, st: _Styles) -> list[Any]:
    overridden = [a for a in collation.apps if a.override is not None]
    out: list[Any] = []
    waiting = [a for a in collation.apps if not a.reviewed]
    if waiting:
        conflicted = any(a.status == CONFLICT for a in waiting)
        what = "意见冲突、评审不足或未评审" if conflicted else "评审不足或未评审"
        out.append(Paragraph(f"{what}（未拟定结论、未排名）", st.section))
        for app in waiting:
            out.append(Paragraph(escape(f"{app.community_name}：{app.status_label(en=False)}"), st.cell))
    if collation.conflicts:
        out.append(Paragraph("意见冲突（同一专家对同一申报的多份意见表不是一条修订链）", st.section))
        for c in collation.conflicts:
            out += [Paragraph(escape(line), st.cell) for line in _conflict_lines(collation, c)]
    if overridden:
        out.append(Paragraph("结论调整（最终结论中标 * 者）", st.section))
        for app in overridden:
            out.append(Paragraph(escape(_override_line(app)), st.cell))
    out.append(Paragraph("计算规则", st.section))
    for label, text in rules_lines(collation, rubric):
        out.append(Paragraph(escape(f"{label}：{text}"), st.note))
    return [KeepTogether(out[:2]), *out[2:]] if out else []


def _conflict_lines(collation: Collation, c: Conflict) -> list[str]:
    """A conflict group: what is wrong, then each file (SHA-256 prefix, revision, signing time), then the choice."""
    community = community_of(collation, c.application_key)
    lines = [f"{community}（{c.application_key}）：{c.why_zh}。"]
    chosen = c.chosen
    for f in c.files:
        counted = "经办人选定计入" if f is chosen else "按经办人的选定不计入"
        mark = "不计入" if c.choice is None else counted
        lines.append(f"　　{source_name(f.source)}：{conflict_file_text(f)}（{mark}）")
    if c.choice is not None:
        lines.append(
            f"　　经办人 {c.choice.by}（{local_minute_zoned(c.choice.at)}）选定。理由：{c.choice.reason}"
        )
    else:
        stale = c.stale_zh.rstrip("。") + "；" if c.stale_choice is not None else ""
        lines.append(f"　　{stale}待经办人选定计入的一份，该申报暂不拟定结论、不排名。")
    return lines


def _override_line(app: AppResult) -> str:
    ov = app.override
    assert ov is not None
    return (
        f"{app.community_name}：拟定“{conclusion_label(app.proposed)}”，调整为“{conclusion_label(app.final)}”。"
        f"理由：{ov.reason}（{ov.by}，{local_minute_zoned(ov.at)}）"
    )


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _chart_size(rows: int, reserve: float = 0.0) -> tuple[float, float]:
    """Inches: the frame's width; tall enough for one readable row per application, at most a page.

    ``reserve`` (points) is kept free below the chart on its page (the office's signature block).
    """
    # The frame pads its content by 6 pt on each side: an image as tall as the frame itself
    # does not fit (a batch of 19 or more applications failed with LayoutError).
    width = (FRAME_WIDTH - 12) / 72
    height = min((FRAME_HEIGHT - 12 - reserve) / 72, max(4.5, 1.6 + 0.28 * rows))
    return (width, height)


def _chart_image(fig: Any) -> Image:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=CHART_DPI)
    width_in, height_in = fig.get_size_inches()
    buf.seek(0)
    return Image(buf, width=width_in * 72, height=height_in * 72)


class _OfficeSignatureBlock(Flowable):
    """The office's signature block: who signs, when, and the CA fingerprint; remembers where it landed.

    Drawn with the report's own CJK font (pyHanko's stamp renders Chinese badly); the signature
    field is then placed exactly over it, as on the opinions.
    """

    HEIGHT = 30 * mm
    WIDTH = 130 * mm
    GAP = 4 * mm

    def __init__(self, ca: OfficeCA, signing_time: datetime, font: str) -> None:
        super().__init__()
        from cryptography.hazmat.primitives import hashes

        fingerprint = ca.certificate.fingerprint(hashes.SHA256()).hex().upper()
        self.lines = [
            ("签章单位", ca.name),
            ("签章时间", local_minute_zoned(signing_time)),
            ("证书指纹", f"SHA-256 {' '.join(fingerprint[i : i + 4] for i in range(0, 16, 4))} …"),
        ]
        self.font = font
        self.placed: tuple[int, tuple[float, float, float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail = availWidth
        return availWidth, self.HEIGHT

    def draw(self) -> None:
        c = self.canv
        x, w, h = self.avail - self.WIDTH, self.WIDTH, self.HEIGHT  # at the right edge of the frame
        c.saveState()
        c.setStrokeColor(INK)
        c.setLineWidth(1.0)
        c.rect(x, 0, w, h)
        c.setFillColor(INK)
        c.setFont(self.font, 11)
        c.drawString(x + 4 * mm, h - 7 * mm, "办公室电子签章")
        y = h - 13 * mm
        for label, value in self.lines:
            c.setFont(self.font, 9)
            c.drawString(x + 4 * mm, y, f"{label}：")
            c.drawString(x + 22 * mm, y, simpleSplit(value, self.font, 9, w - 26 * mm)[0])
            y -= 5 * mm
        c.setFont(self.font, 7)
        c.setFillColor(MUTED)
        c.drawRightString(x + w - 3 * mm, 2.2 * mm, "数字签章覆盖本报告全文；验证：zc-review verify-summary")
        c.restoreState()
        x0, y0 = c.absolutePosition(x, 0)
        x1, y1 = c.absolutePosition(x + w, h)
        self.placed = (c.getPageNumber() - 1, (round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)))


class _NumberedCanvas(Canvas):
    """Defers pages until the end so each can say "第 x 页 / 共 y 页"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(self._initialFontName, 9)
            self.setFillColor(INK)
            self.drawCentredString(PAGE[0] / 2, 9 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            super().showPage()
        super().save()


def _write(path: Path, data: bytes) -> None:
    """Write next to ``path`` and rename over it, so a failure never leaves half a report."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=path.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(
            f"无法写入汇总报告：{exc.strerror or exc}。如文件已在其他程序中打开，请先关闭后重试，或另选位置保存。",
            f"Cannot write the summary report: {exc.strerror or exc}. If the file is open in another program, "
            "close it and try again, or save it elsewhere.",
            path,
        ) from exc
