"""The review opinion PDF (专家评审意见表): what a person reads and the office imports.

:func:`render_opinion` lays out one expert's review with ReportLab (A4, the
shipped CJK font embedded as a subset), draws the signature block on the last
page and embeds the machine-readable review as the file attachment
``review.json`` (see :mod:`zc_review.reports.review_payload`). It says where
the signature block is, so the signer can put the PAdES signature field
exactly over it; the signature, added later as an incremental update, then
covers both the pages and the attachment.
:func:`extract_payload` reads the attachment back and validates it.

The whole page content comes from the payload (plus the rubric for titles and
maxima, and the indicator checks for their wording), so what is printed and
what is imported cannot disagree.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

import zc_review
from zc_review.core.application import Stage
from zc_review.core.indicators import CheckResult, CheckStatus
from zc_review.core.rubric import Item, Rubric
from zc_review.core.thresholds import format_number
from zc_review.errors import UserError
from zc_review.i18n import local_date_zh, local_minute_zoned
from zc_review.reports.fonts import register_cjk_font
from zc_review.reports.review_payload import (
    ATTACHMENT_NAME,
    check_summary,
    embed_payload,
    extract_payload,
    is_final,
    parse_utc,
    validate_payload,
)

__all__ = ["OpinionPdf", "extract_payload", "render_opinion"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.black
GRID = colors.HexColor("#404040")
LABEL_FILL = colors.HexColor("#EDEDED")
SUBTOTAL_FILL = colors.HexColor("#F6F6F6")
FAIL_RED = colors.HexColor("#C00000")
FAIL_FILL = colors.HexColor("#FBE5E5")
MUTED = colors.HexColor("#555555")
HEADING_ROOM = 45 * mm  # room a section heading needs below it on the page
MAX_CELL_COMMENT = 120  # characters; a longer item comment becomes a note below the score table

CONFLICT_SENTENCE = (
    "本人与该申报单位及其负责人无利益冲突，未私下接触申报单位及其相关人员，"
    "承诺独立、客观、公正地开展评审，对所提交评审意见的真实性和准确性负责。"
)
_STATUS_MARK: dict[CheckStatus, str] = {
    CheckStatus.PASS: "✔ 达标",
    CheckStatus.FAIL: "✘ 不达标",
    CheckStatus.WARNING: "△ 请专家判断",
    CheckStatus.MISSING: "？ 数据缺失",
}


@dataclass(frozen=True)
class OpinionPdf:
    """A rendered (unsigned) opinion and where its signature block is.

    ``signature_page`` is 0-based (pyHanko's ``on_page``); ``signature_box`` is
    (x1, y1, x2, y2) in PDF points from the page's lower-left corner.
    """

    data: bytes
    signature_page: int
    signature_box: tuple[float, float, float, float]


# --- public API ---------------------------------------------------------------------------------


def render_opinion(
    payload: dict[str, Any],
    rubric: Rubric,
    checks: Sequence[CheckResult],
    signature_image: bytes | None = None,
) -> OpinionPdf:
    """The opinion PDF of ``payload`` with ``review.json`` embedded, ready to be signed.

    ``rubric`` must be the payload's rubric (id and version) and ``checks`` the
    indicator checks the payload summarises; ``signature_image`` is the expert's
    handwritten signature (PNG or JPEG bytes), or None for a blank line to sign on paper.
    """
    validate_payload(payload, ATTACHMENT_NAME)
    if (payload["rubric"]["id"], payload["rubric"]["version"]) != (rubric.id, rubric.version):
        raise ValueError("the rubric is not the payload's rubric")
    if check_summary(checks) != payload["checks"]:
        raise ValueError("the checks are not the ones the payload summarises")
    image = _signature_reader(signature_image)
    font = register_cjk_font()
    st = _Styles(font)
    block = _SignatureBlock(payload, st, image)
    out = io.BytesIO()
    community = payload["application"]["community_name"]
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{_title(payload)}：{community}",
        author=payload["expert"]["name"],
        subject=f"{payload['batch']['name']} {community}",
        creator=f"ZC Review {zc_review.__version__}",
        lang="zh-CN",
        # Without this the canvas's preamble selects Helvetica, which then
        # appears (unembedded) in the font list of every page.
        initialFontName=font,
    )
    story = _story(payload, rubric, checks, st, block)
    draft = not is_final(payload)

    def decorate(canvas: Canvas, _doc: Any) -> None:
        _page_decor(canvas, font, community, payload["expert"]["name"], draft)

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=_NumberedCanvas)
    if block.placed is None:  # pragma: no cover - the block is always in the story
        raise RuntimeError("the signature block was not laid out")
    page, box = block.placed
    return OpinionPdf(data=embed_payload(out.getvalue(), payload), signature_page=page, signature_box=box)


def _signature_reader(image: bytes | None) -> ImageReader | None:
    if image is None:
        return None
    try:
        picture = PILImage.open(io.BytesIO(image))
        picture.load()
        # A photographed signature can be huge; the block is ~7 cm wide, so 900 px is plenty.
        picture.thumbnail((900, 300))
        reader = ImageReader(picture)
    except Exception as exc:  # PIL raises many types for a bad image
        raise UserError(
            "手写签名图片无法读取，请重新采集签名或导入 PNG/JPEG 图片。",
            "The handwritten signature image cannot be read; capture it again or import a PNG/JPEG image.",
        ) from exc
    return reader


# --- styles ------------------------------------------------------------------------------------


class _Styles:
    """Every paragraph style names the CJK font: no Helvetica default leaks in."""

    def __init__(self, font: str) -> None:
        self.font = font

        def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
            kw.setdefault("leading", size * 1.45)
            # wordWrap="CJK" breaks between any two Chinese characters.
            return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **kw)

        self.title = style("title", 17, alignment=TA_CENTER, leading=24, spaceAfter=2)
        self.subtitle = style("subtitle", 9, alignment=TA_CENTER, textColor=MUTED)
        self.heading = style("heading", 12, spaceBefore=10, spaceAfter=5, leading=16)
        self.body = style("body", 10.5, alignment=TA_JUSTIFY, firstLineIndent=21)
        self.plain = style("plain", 10.5, alignment=TA_LEFT)
        self.note = style("note", 8.5, textColor=MUTED)
        self.note_body = style("note_body", 9, alignment=TA_JUSTIFY, spaceAfter=2)
        self.label = style("label", 10, alignment=TA_CENTER)
        self.cell = style("cell", 9.5, leading=12.5)
        self.cell_center = style("cell_center", 9.5, alignment=TA_CENTER, leading=12.5)
        self.small = style("small", 8.5, leading=11.5)
        self.small_center = style("small_center", 8.5, alignment=TA_CENTER, leading=11.5)
        self.mono = style("mono", 8, leading=10)
        self.goal = style("goal", 10, alignment=TA_CENTER, leading=14)
        self.total = style("total", 11, alignment=TA_CENTER)
        self.fail = style("fail", 9, alignment=TA_CENTER, textColor=FAIL_RED)

    def table(self, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
        """The grid style shared by every table, plus ``extra`` commands."""
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BOX", (0, 0), (-1, -1), 1.0, INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                *extra,
            ]
        )


# --- the story ---------------------------------------------------------------------------------


def _title(payload: dict[str, Any]) -> str:
    return f"江苏省众创社区{Stage(payload['batch']['stage']).label_zh}专家评审意见表"


def _story(
    payload: dict[str, Any],
    rubric: Rubric,
    checks: Sequence[CheckResult],
    st: _Styles,
    block: _SignatureBlock,
) -> list[Flowable]:
    rub = payload["rubric"]
    story: list[Flowable] = [
        Paragraph(_esc(_title(payload)), st.title),
        Paragraph(_esc(f"评分依据：{rubric.title}（{rub['id']} 第 {rub['version']} 版）"), st.subtitle),
        *_draft_notice(payload, st),
        Spacer(1, 8),
        _header_table(payload, st),
        *_heading("一、评分情况", st),
        *_score_table(payload, rubric, st),
        *_heading("二、指标核查情况", st),
        *_checks_part(payload, checks, st),
        *_heading("三、分项评价意见", st),
        *_goal_comments(payload, rubric, st),
        *_heading("四、总体评审意见", st),
        *_opinion(payload, st),
        KeepTogether([Paragraph("五、评审建议", st.heading), *_recommendation(payload, rubric, st)]),
        KeepTogether(
            [
                Paragraph("六、利益冲突声明", st.heading),
                Paragraph(_esc(CONFLICT_SENTENCE), st.body),
                Paragraph(
                    _esc(f"（声明时间：{_declared_time(payload)}）"),
                    ParagraphStyle("decl_time", parent=st.note, alignment=2),
                ),
                Spacer(1, 10),
                block,
            ]
        ),
    ]
    return story


def _draft_notice(payload: dict[str, Any], st: _Styles) -> list[Flowable]:
    if is_final(payload):
        return []
    text = "草稿：本评审尚未提交，不作为正式评审意见。"
    return [Spacer(1, 3), Paragraph(text, ParagraphStyle("draft", parent=st.label, textColor=FAIL_RED))]


def _heading(text: str, st: _Styles) -> list[Flowable]:
    # A section heading never ends a page: start a new page unless some room is left below it.
    return [CondPageBreak(HEADING_ROOM), Paragraph(_esc(text), st.heading)]


def _header_table(payload: dict[str, Any], st: _Styles) -> Table:
    app, exp, batch = payload["application"], payload["expert"], payload["batch"]

    def lab(text: str) -> Paragraph:
        return Paragraph(_esc(text), st.label)

    def val(text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(_esc(text) or "—", style or st.cell)

    rows = [
        [lab("评审批次"), val(f"{batch['name']}（{batch['id']}）"), "", ""],
        [lab("申报单位"), val(app["applicant"]), "", ""],
        [lab("众创社区"), val(app["community_name"]), "", ""],
        [lab("设区市"), val(app["city"]), lab("县（市、区）"), val(app["county"])],
        [lab("评审专家"), val(exp["name"]), lab("职称"), val(exp["title"])],
        [lab("工作单位"), val(exp["organisation"]), lab("专业领域"), val(exp["field"])],
        [lab("评审日期"), val(_review_date(payload)), lab("申报材料"), val(f"第 {app['version']} 版")],
        [lab("材料校验码"), val(f"SHA-256 {app['bundle_sha256']}", st.mono), "", ""],
    ]
    widths = [24 * mm, FRAME_WIDTH / 2 - 24 * mm, 24 * mm, FRAME_WIDTH / 2 - 24 * mm]
    spans = [("SPAN", (1, r), (3, r)) for r in (0, 1, 2, 7)]
    fills = [("BACKGROUND", (0, 0), (0, -1), LABEL_FILL), ("BACKGROUND", (2, 3), (2, 6), LABEL_FILL)]
    return Table(rows, colWidths=widths, style=st.table([*spans, *fills]))


def _score_table(payload: dict[str, Any], rubric: Rubric, st: _Styles) -> list[Flowable]:
    """The score table, and after it the item comments too long for its cells (as numbered notes)."""
    scores: dict[str, str] = payload["scores"]
    comments: dict[str, str] = payload["item_comments"]
    head = [Paragraph(t, st.label) for t in ("一级指标", "二级指标", "满分", "得分", "评分说明")]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL)]
    notes: list[Paragraph] = []

    def comment_cell(item: Item) -> Paragraph:
        text = comments.get(item.id, "")
        if len(text) <= MAX_CELL_COMMENT:
            return Paragraph(_esc(text), st.small)
        # Long comments go below the table: a table row cannot flow across pages cleanly.
        n = len(notes) + 1
        notes.append(Paragraph(_esc(f"注 {n}　{item.id} {item.title}：{text}"), st.note_body))
        return Paragraph(_esc(f"（说明较长，见表后注 {n}）"), st.small)

    def item_row(item: Item) -> list[Any]:
        score = scores.get(item.id)
        return [
            "",
            Paragraph(_esc(f"{item.id}  {item.title}"), st.cell),
            Paragraph(format_number(item.max_points), st.cell_center),
            Paragraph("—" if score is None else format_number(Decimal(score)), st.cell_center),
            comment_cell(item),
        ]

    def group(title: tuple[str, str], items: Sequence[Item], subtotal: list[Any]) -> None:
        first = len(rows)
        for item in items:
            rows.append(item_row(item))
        rows[first][0] = Paragraph("<br/>".join(_esc(t) for t in title), st.goal)
        extra.append(("SPAN", (0, first), (0, len(rows) - 1)))
        rows.append(subtotal)
        r = len(rows) - 1
        extra.append(("SPAN", (0, r), (1, r)))
        extra.append(("BACKGROUND", (0, r), (-1, r), SUBTOTAL_FILL))
        # A goal's items stay on one page with their subtotal (rows are short: long comments are notes).
        extra.append(("NOSPLIT", (0, first), (-1, r)))

    for goal in rubric.goals:
        got = payload["goal_totals"][goal.key]
        group(
            (goal.title, f"（{format_number(goal.max_points)} 分）"),
            goal.items,
            [
                Paragraph("小计", st.label),
                "",
                Paragraph(format_number(goal.max_points), st.cell_center),
                Paragraph(format_number(Decimal(got)), st.cell_center),
                "",
            ],
        )
    bonus = rubric.bonus
    cap = format_number(bonus.cap)
    group(
        (bonus.title, f"（合计不超过 {cap} 分）"),
        bonus.items,
        [
            Paragraph("加分小计", st.label),
            "",
            Paragraph(cap, st.cell_center),
            Paragraph(format_number(Decimal(payload["bonus"])), st.cell_center),
            Paragraph(_esc(f"加分项合计超过 {cap} 分的，按 {cap} 分计"), st.small),
        ],
    )
    rows.append(
        [
            Paragraph("总分", st.total),
            "",
            Paragraph(format_number(rubric.max_with_bonus), st.cell_center),
            Paragraph(format_number(Decimal(payload["total"])), st.total),
            Paragraph(
                _esc(
                    f"五项一级指标得分（满分 {format_number(rubric.max_total)} 分）加加分项得分（不超过 {cap} 分）"
                ),
                st.small,
            ),
        ]
    )
    r = len(rows) - 1
    extra += [
        ("SPAN", (0, r), (1, r)),
        ("BACKGROUND", (0, r), (-1, r), LABEL_FILL),
        ("LINEABOVE", (0, r), (-1, r), 1.0, INK),
    ]
    widths = [27 * mm, 55 * mm, 13 * mm, 13 * mm, FRAME_WIDTH - 108 * mm]
    table = Table(rows, colWidths=widths, style=st.table(extra), repeatRows=1)
    return [table, *([Spacer(1, 4), *notes] if notes else [])]


def _checks_part(payload: dict[str, Any], checks: Sequence[CheckResult], st: _Styles) -> list[Flowable]:
    counts = {s: sum(1 for c in checks if c.status is s) for s in CheckStatus}
    hard_fail = sum(1 for c in checks if c.hard and c.status is CheckStatus.FAIL)
    summary = (
        f"程序按政策原文对 {len(checks)} 项指标进行了核查：达标 {counts[CheckStatus.PASS]} 项，"
        f"不达标 {counts[CheckStatus.FAIL]} 项（其中硬性指标 {hard_fail} 项），"
        f"请专家判断 {counts[CheckStatus.WARNING]} 项，数据缺失 {counts[CheckStatus.MISSING]} 项。"
    )
    head = [Paragraph(t, st.label) for t in ("序号", "核查指标", "政策要求", "核查情况", "结论")]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL)]
    for n, c in enumerate(checks, start=1):
        failed = c.status is CheckStatus.FAIL
        style = st.fail if failed else st.small_center
        title = c.title_zh + ("" if c.hard else "（提示性）")
        rows.append(
            [
                Paragraph(str(n), st.small_center),
                Paragraph(
                    _esc(title),
                    ParagraphStyle("t", parent=st.small, textColor=FAIL_RED) if failed else st.small,
                ),
                Paragraph(_esc(c.threshold_zh), st.small),
                Paragraph(
                    _esc(c.detail_zh),
                    ParagraphStyle("d", parent=st.small, textColor=FAIL_RED) if failed else st.small,
                ),
                Paragraph(_esc(_STATUS_MARK[c.status]), style),
            ]
        )
        if failed:
            extra.append(("BACKGROUND", (0, n), (-1, n), FAIL_FILL))
    widths = [9 * mm, 32 * mm, 45 * mm, FRAME_WIDTH - 108 * mm, 22 * mm]
    parts: list[Flowable] = [
        Paragraph(_esc(summary), st.body),
        Spacer(1, 4),
        Table(rows, colWidths=widths, style=st.table(extra), repeatRows=1),
    ]
    formal = payload["formal_check"]
    if formal["missing_materials"]:
        seen = "评审专家已确认知悉。" if formal["acknowledged"] else "评审专家尚未确认。"
        text = f"形式审查：申报材料不齐，缺少{'、'.join(formal['missing_materials'])}；{seen}"
        parts += [
            Spacer(1, 4),
            Paragraph(_esc(text), ParagraphStyle("formal", parent=st.plain, textColor=FAIL_RED)),
        ]
    return parts


def _goal_comments(payload: dict[str, Any], rubric: Rubric, st: _Styles) -> list[Flowable]:
    # Numbered paragraphs rather than a table, so a long comment flows across pages.
    parts: list[Flowable] = []
    for n, goal in enumerate(rubric.goals, start=1):
        got = format_number(Decimal(payload["goal_totals"][goal.key]))
        label = f"（{_CN_NUMBERS[n]}）{goal.title}（得分 {got} / {format_number(goal.max_points)} 分）："
        paragraphs = _paragraphs(payload["goal_comments"].get(goal.key, "")) or ["（未填写）"]
        parts.append(Paragraph(_esc(label + paragraphs[0]), st.body))
        parts += [Paragraph(_esc(p), st.body) for p in paragraphs[1:]]
    return parts


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def _opinion(payload: dict[str, Any], st: _Styles) -> list[Flowable]:
    # Paragraphs (not one table cell) so an opinion longer than a page still flows across pages.
    # One box holding the expert's paragraphs; a table row each, so a long opinion flows across pages.
    paragraphs = _paragraphs(payload["overall_opinion"]) or ["（未填写）"]
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), st.font),
            ("BOX", (0, 0), (-1, -1), 0.8, GRID),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
        ]
    )
    rows = [[Paragraph(_esc(p), st.body)] for p in paragraphs]
    return [Table(rows, colWidths=[FRAME_WIDTH], style=style, splitInRow=1)]


def _recommendation(payload: dict[str, Any], rubric: Rubric, st: _Styles) -> list[Flowable]:
    chosen = (payload["recommendation"] or {}).get("key")
    options = rubric.recommendations
    cells: list[Any] = []
    widths: list[float] = []
    for rec in options:
        cells += [_CheckBox(rec.key == chosen, st.font), Paragraph(_esc(rec.label), st.plain)]
        widths += [16, FRAME_WIDTH / len(options) - 16]
    table = Table(
        [cells],
        colWidths=widths,
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.font),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("BOX", (0, 0), (-1, -1), 0.8, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        ),
    )
    parts: list[Flowable] = [table]
    if rubric.recommendation_rule:
        parts += [Spacer(1, 3), Paragraph(_esc(f"注：{rubric.recommendation_rule}"), st.note)]
    return parts


_CN_NUMBERS = ("〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


# --- flowables and canvas -------------------------------------------------------------------------


class _CheckBox(Flowable):
    """A square box, ticked (✔ in the embedded font, so it also survives text extraction) or empty."""

    def __init__(self, checked: bool, font: str, size: float = 11) -> None:
        super().__init__()
        self.checked = checked
        self.font = font
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(0.9)
        c.setStrokeColor(INK)
        c.rect(0, 0, self.size, self.size)
        if self.checked:
            c.setFont(self.font, self.size * 0.95)
            c.drawCentredString(self.size / 2, self.size * 0.14, "✔")


class _SignatureBlock(Flowable):
    """The expert's printed name, title, date and handwritten signature; remembers where it landed."""

    HEIGHT = 32 * mm

    def __init__(self, payload: dict[str, Any], st: _Styles, image: ImageReader | None) -> None:
        super().__init__()
        exp = payload["expert"]
        self.lines = [
            ("评审专家", exp["name"]),
            ("职　　称", exp["title"] or "—"),
            ("工作单位", exp["organisation"] or "—"),
            ("日　　期", _review_date(payload)),
        ]
        self.font = st.font
        self.image = image
        self.placed: tuple[int, tuple[float, float, float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.HEIGHT

    def draw(self) -> None:
        c = self.canv
        w, h = self.width, self.HEIGHT
        c.setStrokeColor(INK)
        c.setLineWidth(1.0)
        c.rect(0, 0, w, h)
        split = w * 0.48
        c.setLineWidth(0.5)
        c.line(split, 0, split, h)
        # Left: who signs, printed.
        c.setFillColor(INK)
        size = 10.5
        y = h - 8 * mm
        for label, value in self.lines:
            c.setFont(self.font, size)
            c.drawString(4 * mm, y, f"{label}：")
            text = simpleSplit(value, self.font, size, split - 30 * mm)
            c.drawString(25 * mm, y, text[0] if text else "")
            y -= 7 * mm
        # Right: the handwritten signature over a line.
        c.setFont(self.font, size)
        c.drawString(split + 4 * mm, h - 8 * mm, "专家签名：")
        area_x, area_y = split + 6 * mm, 7 * mm
        area_w, area_h = w - split - 12 * mm, h - 18 * mm
        c.setLineWidth(0.6)
        c.line(area_x, area_y, area_x + area_w, area_y)
        if self.image is not None:
            iw, ih = self.image.getSize()
            scale = min(area_w / iw, area_h / ih)
            dw, dh = iw * scale, ih * scale
            c.drawImage(
                self.image,
                area_x + (area_w - dw) / 2,
                area_y + 1,
                width=dw,
                height=dh,
                mask="auto",
            )
        c.setFont(self.font, 7.5)
        c.setFillColor(MUTED)
        c.drawRightString(w - 4 * mm, 2.5 * mm, "评审专家的数字签名覆盖本表全文及所附评审数据")
        x0, y0 = c.absolutePosition(0, 0)
        x1, y1 = c.absolutePosition(w, h)
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
            self.drawCentredString(PAGE_WIDTH / 2, 10 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            super().showPage()
        super().save()


def _page_decor(canvas: Canvas, font: str, community: str, expert: str, draft: bool) -> None:
    canvas.saveState()
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN_X, 14 * mm, PAGE_WIDTH - MARGIN_X, 14 * mm)
    canvas.setFont(font, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, 10 * mm, f"{community}")
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, 10 * mm, f"评审专家：{expert}")
    if draft:
        # A review not yet submitted can be previewed but must not pass for the final opinion.
        canvas.setFont(font, 90)
        canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, 0, "草稿 未提交")
    canvas.restoreState()


# --- helpers -----------------------------------------------------------------------------------


def _esc(text: str) -> str:
    # Paragraph text is mini-markup: escape what the expert typed.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _declared_time(payload: dict[str, Any]) -> str:
    """When the expert declared no conflict of interest, this computer's clock with its zone."""
    return local_minute_zoned(parse_utc(payload["conflict"]["declared_at"]))


def _review_date(payload: dict[str, Any]) -> str:
    """The date on the form: when the review was submitted (last saved, for a draft), local date."""
    stamps = payload["timestamps"]
    return local_date_zh(parse_utc(stamps["submitted"] or stamps["updated"]))
