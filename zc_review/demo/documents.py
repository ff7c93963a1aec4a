"""The demo attachments, made by code: ReportLab PDFs for each material kind, map PNGs, a JPEG.

Everything is drawn from the case's own data, so the boundary table names the same roads as
the workbook and the investment table shows the same shares the indicator engine checks.
Maps use matplotlib's object API (``Figure`` + ``FigureCanvasAgg``), never pyplot, so this
module is safe next to a Qt GUI and in worker threads. Output is deterministic: the same case
gives the same bytes.
"""

from __future__ import annotations

import io
import math
import random
import zlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon, Rectangle
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from zc_review.core.application import MATERIAL_LABELS, SERVICE_PLATFORMS, MaterialKind, YearFigures
from zc_review.demo.communities import DemoCase
from zc_review.resources import cjk_font_path

PDF_FONT = "WQYMicroHei"
_WATER_SUFFIXES = ("河", "江", "湖", "港", "渠")
_SIDES = ("east", "south", "west", "north")
_SIDE_ZH = {"east": "东至", "south": "南至", "west": "西至", "north": "北至"}


def render_attachment(case: DemoCase, name: str) -> bytes:
    """The bytes of one of ``case.attachment_names``: a PDF, a PNG map or a JPEG photo."""
    ref = next((m for m in case.app.materials if m.filename == name), None)
    if ref is None:
        raise KeyError(f"{case.key} has no attachment named {name!r}")
    if ref.kind is MaterialKind.OTHER:
        if name.endswith(".png"):
            return boundary_map_png(case)
        if name.endswith((".jpg", ".jpeg")):
            return photo_jpeg(case)
        raise KeyError(f"no renderer for other attachment {name!r}")
    return material_pdf(case, ref.kind)


# --------------------------------------------------------------------------- fonts


@cache
def _register_pdf_font() -> str:
    """Register the shipped CJK TrueType font with ReportLab once per process."""
    pdfmetrics.registerFont(TTFont(PDF_FONT, str(cjk_font_path()), subfontIndex=0))
    # No bold/italic cut exists; map them to the same face so <b> markup cannot fail.
    pdfmetrics.registerFontFamily(
        PDF_FONT, normal=PDF_FONT, bold=PDF_FONT, italic=PDF_FONT, boldItalic=PDF_FONT
    )
    return PDF_FONT


@cache
def _mpl_family() -> str:
    """Register the CJK font with matplotlib once and return its family name."""
    path = str(cjk_font_path())
    font_manager.fontManager.addfont(path)
    return FontProperties(fname=path).get_name()


@lru_cache(maxsize=16)
def _font(size: float) -> FontProperties:
    return FontProperties(family=_mpl_family(), size=size)


def _rng(case: DemoCase, salt: str) -> random.Random:
    # crc32 rather than hash(): str hashes are salted per process and would break determinism.
    return random.Random(zlib.crc32(f"{case.key}/{salt}".encode()))


# --------------------------------------------------------------------------- maps


def _is_water(name: str) -> bool:
    return name.endswith(_WATER_SUFFIXES)


class _Layout:
    """Geometry of one community map in metres: an irregular outline bounded by its 四至."""

    def __init__(self, case: DemoCase) -> None:
        rng = _rng(case, "layout")
        area_m2 = float(case.app.planned_area_km2 or Decimal(3)) * 1e6
        ratio = rng.uniform(1.15, 1.6)
        self.width = math.sqrt(area_m2 * ratio)
        self.height = area_m2 / self.width
        self.margin = 0.24 * max(self.width, self.height)
        b = case.app.boundary
        self.names = {"east": b.east, "south": b.south, "west": b.west, "north": b.north}
        # Rivers meander; the outline follows them. sin(k·π·t) is 0 at both ends so corners meet.
        self.amp = {
            s: (0.035 * min(self.width, self.height) if _is_water(n) else 0.0) for s, n in self.names.items()
        }
        self.waves = {s: rng.choice((1, 2, 3)) for s in _SIDES}
        self.cuts_x = sorted(rng.uniform(0.3, 0.4) + i * rng.uniform(0.3, 0.36) for i in range(2))
        self.cut_y = rng.uniform(0.42, 0.58)
        # One corner between two roads is cut off, so outlines are not all plain rectangles.
        dry = [
            corner
            for corner, sides in (
                ("ne", ("north", "east")),
                ("nw", ("north", "west")),
                ("se", ("south", "east")),
            )
            if not any(self.amp[side] for side in sides)
        ]
        self.chamfer = rng.choice(dry) if dry else None

    def offset(self, side: str, t: float) -> float:
        return self.amp[side] * math.sin(self.waves[side] * math.pi * t)

    def outline(self, steps: int = 40) -> np.ndarray:
        w, h = self.width, self.height
        pts: list[tuple[float, float]] = []
        for i in range(steps):
            t = i / steps
            pts.append((t * w, self.offset("south", t)))
        for i in range(steps):
            t = i / steps
            pts.append((w - self.offset("east", t), t * h))
        for i in range(steps):
            t = i / steps
            pts.append(((1 - t) * w, h - self.offset("north", t)))
        for i in range(steps):
            t = i / steps
            pts.append((self.offset("west", t), (1 - t) * h))
        if self.chamfer is not None:
            pts = self._cut_corner(pts, self.chamfer)
        return np.array(pts)

    def _cut_corner(self, pts: list[tuple[float, float]], corner: str) -> list[tuple[float, float]]:
        w, h = self.width, self.height
        c = 0.2 * min(w, h)
        # (corner point, chamfer point on the side walked into the corner, then on the side walked out)
        cx, cy, first, second = {
            "ne": (w, h, (w, h - c), (w - c, h)),
            "nw": (0.0, h, (c, h), (0.0, h - c)),
            "se": (w, 0.0, (w - c, 0.0), (w, c)),
        }[corner]
        inside = [abs(x - cx) < c and abs(y - cy) < c for x, y in pts]
        start = inside.index(True)
        kept = [p for p, cut in zip(pts, inside, strict=True) if not cut]
        return [*kept[:start], first, second, *kept[start:]]

    def feature_line(self, side: str, steps: int = 80) -> tuple[np.ndarray, np.ndarray]:
        """The road centre line or river course along one side, running past the corners."""
        m = self.margin
        span = self.width if side in ("south", "north") else self.height
        t = np.linspace(-m / span, 1 + m / span, steps)
        wave = self.amp[side] * np.sin(self.waves[side] * np.pi * t)
        gap = 0.012 * max(self.width, self.height) + (2.2 * self.amp[side] if self.amp[side] else 0.0)
        if side == "south":
            return t * self.width, wave - gap
        if side == "north":
            return (1 - t) * self.width, self.height - wave + gap
        if side == "east":
            return self.width - wave + gap, t * self.height
        return wave - gap, (1 - t) * self.height


def _new_map(layout: _Layout, width_in: float = 7.0, height_in: float = 5.4) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width_in, height_in), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.88))
    m = layout.margin
    ax.set_xlim(-m, layout.width + m)
    ax.set_ylim(-m, layout.height + m)
    ax.set_aspect("equal")
    ax.set_facecolor("#f3efe6")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig, ax


def _draw_features(ax: Axes, layout: _Layout) -> None:
    """The four bounding roads and rivers, with their names, plus two internal roads."""
    for side in _SIDES:
        xs, ys = layout.feature_line(side)
        name = layout.names[side]
        if _is_water(name):
            ax.plot(xs, ys, color="#9cc7e8", linewidth=11, solid_capstyle="butt", zorder=2)
            ax.plot(xs, ys, color="#6aa6d6", linewidth=1.2, zorder=2)
        else:
            ax.plot(xs, ys, color="#8c8c8c", linewidth=7, solid_capstyle="butt", zorder=3)
            ax.plot(xs, ys, color="#ffffff", linewidth=1, linestyle=(0, (6, 4)), zorder=3)
        mid = len(xs) // 2 + 6
        label = name if side in ("south", "north") else "\n".join(name)
        ax.text(
            xs[mid],
            ys[mid]
            + (layout.margin * 0.12 if side == "north" else -layout.margin * 0.12 if side == "south" else 0),
            label,
            fontproperties=_font(9),
            color="#1f4e79" if _is_water(name) else "#333333",
            ha="center",
            va="center",
            zorder=6,
            bbox={"boxstyle": "round,pad=0.2", "fc": "#ffffffcc", "ec": "none"},
        )
    w, h = layout.width, layout.height
    for fx in layout.cuts_x[:1]:
        ax.plot([fx * w, fx * w], [0, h], color="#bdbdbd", linewidth=3, zorder=3)
    ax.plot([0, w], [layout.cut_y * h, layout.cut_y * h], color="#bdbdbd", linewidth=3, zorder=3)


def _draw_north_arrow(ax: Axes) -> None:
    x, y = 0.93, 0.83
    tr = ax.transAxes
    ax.add_patch(
        Polygon([(x, y + 0.09), (x - 0.025, y), (x, y + 0.025)], closed=True, fc="#222222", transform=tr)
    )
    ax.add_patch(
        Polygon(
            [(x, y + 0.09), (x + 0.025, y), (x, y + 0.025)],
            closed=True,
            fc="#ffffff",
            ec="#222222",
            transform=tr,
        )
    )
    ax.text(x, y + 0.12, "北", transform=tr, ha="center", va="center", fontproperties=_font(11))


def _draw_scale_bar(ax: Axes, layout: _Layout) -> None:
    length = next(v for v in (2000, 1000, 500, 200) if v <= layout.width / 3)
    x0 = -layout.margin * 0.8
    y0 = -layout.margin * 0.78
    seg = length / 4
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (x0 + i * seg, y0),
                seg,
                layout.margin * 0.07,
                fc="#222222" if i % 2 == 0 else "#ffffff",
                ec="#222222",
                lw=0.8,
                zorder=7,
            )
        )
    for value, text in ((0, "0"), (length, f"{length:g} 米")):
        ax.text(
            x0 + value,
            y0 + layout.margin * 0.12,
            text,
            ha="center",
            va="bottom",
            fontproperties=_font(8),
            zorder=7,
        )


def _outline_patch(layout: _Layout, **kwargs: Any) -> Polygon:
    return Polygon(layout.outline(), closed=True, **kwargs)


def _finish(fig: Figure, title: str, legend: Sequence[Any], ax: Axes) -> bytes:
    fig.suptitle(title, fontproperties=_font(13), y=0.965)
    ax.legend(handles=list(legend), loc="lower right", prop=_font(8), framealpha=0.9)
    buf = io.BytesIO()
    # Software metadata would tie the bytes to the matplotlib version; drop it for stable hashes.
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _legend_base() -> list[Any]:
    return [
        Line2D([], [], color="#c0392b", linestyle="--", linewidth=2, label="社区边界"),
        Line2D([], [], color="#8c8c8c", linewidth=5, label="城市道路"),
        Line2D([], [], color="#9cc7e8", linewidth=7, label="河道水系"),
    ]


@lru_cache(maxsize=16)
def boundary_map_png(case: DemoCase) -> bytes:
    """四至范围示意图: the outline, the four bounding roads/rivers, north arrow and scale bar."""
    layout = _Layout(case)
    fig, ax = _new_map(layout)
    ax.add_patch(_outline_patch(layout, fc="#f6d5cf", ec="none", zorder=1))
    _draw_features(ax, layout)
    ax.add_patch(_outline_patch(layout, fc="none", ec="#c0392b", lw=2, linestyle="--", zorder=5))
    ax.text(
        layout.width / 2,
        layout.height * 0.25,
        f"{case.app.community_name}\n规划面积约 {case.app.planned_area_km2} 平方公里",
        ha="center",
        va="center",
        fontproperties=_font(10),
        zorder=6,
        bbox={"boxstyle": "round,pad=0.4", "fc": "#ffffffdd", "ec": "#c0392b"},
    )
    _draw_north_arrow(ax)
    _draw_scale_bar(ax, layout)
    return _finish(fig, f"{case.app.community_name}四至范围示意图", _legend_base(), ax)


def zones(case: DemoCase) -> list[tuple[str, str, str]]:
    """(zone, function, colour) of the concept plan, in the six grid cells' order."""
    third = (
        ("加速器区", "承接孵化毕业企业的中试和小批量生产", "#f5b7b1")
        if (case.app.accelerators or 0) > 0
        else ("产业配套区", "标准厂房与公共技术服务", "#f5cba7")
    )
    return [
        ("众创空间集聚区", "专业化众创空间、创业苗圃与路演中心", "#f9e79f"),
        ("孵化器区", "科技企业孵化器、公共技术平台", "#aed6f1"),
        third,
        ("人才公寓区", "创业者公寓、专家公寓和配套商业", "#d7bde2"),
        ("综合服务区", "政务窗口、商务商贸、教育培训和文体设施", "#a3e4d7"),
        ("生态绿廊", "滨水绿地、慢行系统和公共活动空间", "#abebc6"),
    ]


@lru_cache(maxsize=16)
def zoning_map_png(case: DemoCase) -> bytes:
    """概念性规划功能分区图: the outline divided into labelled functional zones."""
    layout = _Layout(case)
    fig, ax = _new_map(layout)
    clip = _outline_patch(layout, fc="#ffffff", ec="none", zorder=1)
    ax.add_patch(clip)
    w, h = layout.width, layout.height
    xs = [-0.1 * w, layout.cuts_x[0] * w, layout.cuts_x[1] * w, 1.1 * w]
    ys = [-0.1 * h, layout.cut_y * h, 1.1 * h]
    legend: list[Any] = _legend_base()
    cells = [(c, r) for r in (1, 0) for c in range(3)]
    for (zone, _function, colour), (c, r) in zip(zones(case), cells, strict=True):
        rect = Rectangle(
            (xs[c], ys[r]), xs[c + 1] - xs[c], ys[r + 1] - ys[r], fc=colour, ec="#ffffff", lw=2, zorder=2
        )
        ax.add_patch(rect)
        rect.set_clip_path(clip)
        cx = (max(xs[c], 0) + min(xs[c + 1], w)) / 2
        cy = (max(ys[r], 0) + min(ys[r + 1], h)) / 2
        ax.text(cx, cy, zone, ha="center", va="center", fontproperties=_font(9), zorder=6)
    _draw_features(ax, layout)
    ax.add_patch(_outline_patch(layout, fc="none", ec="#c0392b", lw=2, linestyle="--", zorder=5))
    _draw_north_arrow(ax)
    _draw_scale_bar(ax, layout)
    return _finish(fig, f"{case.app.community_name}功能分区示意图", legend, ax)


@lru_cache(maxsize=16)
def photo_jpeg(case: DemoCase) -> bytes:
    """A rendered 'photo' (效果图) of the community skyline: sky, river, buildings, trees."""
    rng = _rng(case, "photo")
    fig = Figure(figsize=(8, 5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 62.5)
    ax.axis("off")
    sky = np.linspace(0, 1, 64).reshape(-1, 1)
    top, low = np.array([0.45, 0.66, 0.88]), np.array([0.93, 0.95, 0.97])
    gradient = (low + (top - low) * sky[:, :, None]) * np.ones((1, 2, 1))
    ax.imshow(gradient, extent=(0, 100, 20, 62.5), origin="lower", aspect="auto", zorder=0)
    ax.add_patch(Rectangle((0, 0), 100, 20, fc="#7fae6b", zorder=1))
    ax.add_patch(Rectangle((0, 3), 100, 6, fc="#6fa3cf", zorder=2))
    buildings: list[Rectangle] = []
    windows: list[Rectangle] = []
    x = 2.0
    while x < 96:
        bw = rng.uniform(5, 10)
        bh = rng.uniform(12, 38)
        tone = rng.uniform(0.55, 0.8)
        buildings.append(Rectangle((x, 17), bw, bh, fc=(tone, tone + 0.05, tone + 0.12)))
        for wx in np.arange(x + 1, x + bw - 1.2, 1.6):
            for wy in np.arange(19, 17 + bh - 1.5, 2.2):
                windows.append(Rectangle((wx, wy), 0.9, 1.2))
        x += bw + rng.uniform(0.5, 3)
    ax.add_collection(PatchCollection(buildings, match_original=True, zorder=3))
    ax.add_collection(PatchCollection(windows, facecolor="#e8f1fa", edgecolor="none", alpha=0.8, zorder=4))
    trees = [Circle((rng.uniform(0, 100), rng.uniform(11, 17)), rng.uniform(1.2, 2.4)) for _ in range(40)]
    ax.add_collection(PatchCollection(trees, facecolor="#3e7d3a", edgecolor="#2f6a2c", zorder=5))
    ax.text(
        2,
        59,
        f"{case.app.community_name}  效果图",
        fontproperties=_font(14),
        color="#ffffff",
        va="top",
        zorder=6,
        bbox={"boxstyle": "round,pad=0.3", "fc": "#00000066", "ec": "none"},
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="jpeg", pil_kwargs={"quality": 80})
    return buf.getvalue()


# --------------------------------------------------------------------------- PDFs


@cache
def _styles() -> dict[str, ParagraphStyle]:
    font = _register_pdf_font()
    base = ParagraphStyle(
        "body", fontName=font, fontSize=10.5, leading=18, wordWrap="CJK", firstLineIndent=21
    )
    return {
        "body": base,
        "plain": ParagraphStyle("plain", parent=base, firstLineIndent=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=13, firstLineIndent=0),
        "number": ParagraphStyle(
            "number", parent=base, fontSize=9, leading=13, firstLineIndent=0, alignment=TA_RIGHT
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, firstLineIndent=0
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=11, leading=18, alignment=TA_CENTER, firstLineIndent=0
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontSize=13.5, leading=22, spaceBefore=10, spaceAfter=4, firstLineIndent=0
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=11.5, leading=19, spaceBefore=6, spaceAfter=2, firstLineIndent=0
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontSize=9, leading=13, alignment=TA_CENTER, firstLineIndent=0
        ),
    }


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, _styles()[style])


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _share(part: Decimal | None, whole: Decimal | None) -> str:
    if part is None or not whole:
        return "—"
    return f"{(part * 100 / whole).quantize(Decimal('0.1'))}%"


def _table(rows: Sequence[Sequence[str]], widths: Sequence[float], numeric_from: int = 99) -> Table:
    """A ruled table with a shaded header row; columns from ``numeric_from`` are right-aligned."""
    text = _styles()["cell"]
    number = _styles()["number"]
    data = [
        [Paragraph(cell, number if r > 0 and c >= numeric_from else text) for c, cell in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1, hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                # Tables set their cell font even for Paragraph cells; keep it the embedded CJK one.
                ("FONTNAME", (0, 0), (-1, -1), _register_pdf_font()),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7f8c8d")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe9f3")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _image(png: bytes, width_cm: float) -> Image:
    img = Image(io.BytesIO(png))
    scale = width_cm * cm / img.imageWidth
    img.drawWidth = img.imageWidth * scale
    img.drawHeight = img.imageHeight * scale
    return img


def _cover(case: DemoCase, kind: MaterialKind) -> list[Flowable]:
    app = case.app
    number = next(i for i, m in enumerate(app.materials, 1) if m.kind is kind)
    return [
        _p(f"附件{number}", "plain"),
        Spacer(1, 0.4 * cm),
        _p(app.community_name, "title"),
        _p(MATERIAL_LABELS[kind], "title"),
        Spacer(1, 0.3 * cm),
        _p(f"申报单位：{app.applicant}　　所在地：{app.city}{app.county}", "subtitle"),
        _p(f"联系人：{app.contact_name}　　联系电话：{app.contact_phone}", "subtitle"),
        Spacer(1, 0.5 * cm),
    ]


def _share_range(years: Sequence[YearFigures], part: str, whole: str) -> str:
    """ "lowest%—highest%" of a share over the years, for the summary table."""
    shares = [
        getattr(y, part) * 100 / getattr(y, whole)
        for y in years
        if getattr(y, part) is not None and getattr(y, whole)
    ]
    if not shares:
        return "—"
    low, high = (v.quantize(Decimal("0.1")) for v in (min(shares), max(shares)))
    return f"{low}%—{high}%"


def _shares(years: Sequence[YearFigures], part: str, whole: str) -> list[str]:
    return [_share(getattr(y, part), getattr(y, whole)) for y in years]


def _plan_story(case: DemoCase) -> list[Flowable]:
    app = case.app
    ys = app.years
    first, last = (ys[0].year, ys[-1].year) if ys else (2025, 2027)
    chain = (
        "形成“创业苗圃－孵化器－加速器”全过程孵化链条"
        if (app.nurseries or 0) > 0 and (app.incubators or 0) > 0 and (app.accelerators or 0) > 0
        else "孵化链条中加速器等环节尚在谋划，将在试点期内逐步补齐"
    )
    platforms = "、".join(app.service_platforms) or "暂无"
    lacking = [p for p in SERVICE_PLATFORMS if p not in app.service_platforms]
    story: list[Flowable] = [
        _p("一、总体思路", "h1"),
        _p(
            f"深入贯彻《省政府办公厅关于推进众创社区建设的实施意见》，以专业化众创空间为核心平台，"
            f"以生产生活生态融合、宜创宜业宜居兼具为建设导向，在{app.county}规划建设{app.community_name}。"
            f"社区主攻{app.leading_industry}产业。{app.industry_positioning}"
        ),
        _p(
            "坚持政府引导、企业主体、市场化运作，突出存量资源盘活和产城融合，把社区建设成为区域"
            "创新创业的新样板、科技创新创业的新高地和区域经济发展的新引擎。"
        ),
        _p("二、建设目标", "h1"),
        _p(f"到{last}年，围绕“五个目标”建成特色鲜明、功能完善的众创社区，具体如下。"),
        _p("（一）创新资源富集", "h2"),
        _p(
            f"社区规划面积{app.planned_area_km2}平方公里，创新创业服务载体建筑面积{_money(app.carrier_floor_area_m2)}"
            f"平方米。集聚国家“千人计划”专家{app.thousand_talents}名、省“双创人才”{app.dual_innovation_talents}名、"
            f"留学归国人员{app.returnees}名、大学生创业者{app.graduates}名；与{app.partner_universities}家高校院所、"
            f"{app.partner_enterprises}家龙头骨干企业建立长期合作关系。"
            + ("建立“飞地孵化”机制，整合利用区域外创新资源。" if app.enclave_incubation else "")
        ),
        _p("（二）创业服务完善", "h2"),
        _p(
            f"建成专业化众创空间{app.makerspaces}家、创业苗圃{app.nurseries}家、科技企业孵化器{app.incubators}家、"
            f"加速器{app.accelerators}家，{chain}。引进投融资机构{app.finance_institutions}家、"
            f"中介服务机构{app.intermediary_institutions}家，"
            + ("建成开放式互联网线上服务平台。" if app.online_platform else "线上服务平台正在筹建。")
        ),
        _p("（三）产业特色鲜明", "h2"),
        _p(
            f"以{app.leading_industry}为主导特色战略新兴产业，{first}—{last}年特色产业建设项目投资占比"
            f"分别为{'、'.join(_shares(ys, 'sei_investment', 'total_investment'))}；"
            f"高新技术产业产值占比分别为{'、'.join(_shares(ys, 'hightech_output', 'total_output'))}。"
            "新登记注册初创企业数由"
            f"{ys[0].new_startups if ys else '—'}家增至{ys[-1].new_startups if ys else '—'}家，吸纳从业人员由"
            f"{ys[0].new_employees if ys else '—'}人增至{ys[-1].new_employees if ys else '—'}人。"
        ),
        _p("（四）人居环境适宜", "h2"),
        _p(
            f"依据城乡规划划定社区边界，充分利用存量建设用地和建筑物。建有{platforms}等综合服务平台"
            + (f"（{'、'.join(lacking)}平台尚未建成）" if lacking else "")
            + f"，公共无线网络覆盖率{app.wifi_coverage_pct}%，"
            f"数字化管理覆盖率{app.digital_mgmt_coverage_pct}%。"
        ),
        _p("（五）管理体制科学", "h2"),
        _p(
            f"设立{app.management_body}，负责社区规划建设、招商服务和日常运营。"
            + ("出台覆盖创新创业全流程的扶持政策，" if app.support_policies else "扶持政策正在研究制定，")
            + ("建成社区信息化管理服务平台和统计体系。" if app.statistics_system else "统计体系有待建立。")
        ),
        _p("主要指标汇总", "h2"),
        _table(
            [
                ["指标", "目标值"],
                ["规划面积（平方公里）", str(app.planned_area_km2)],
                ["创新创业服务载体建筑面积（平方米）", _money(app.carrier_floor_area_m2)],
                [
                    "众创空间／苗圃／孵化器／加速器（家）",
                    f"{app.makerspaces}／{app.nurseries}／{app.incubators}／{app.accelerators}",
                ],
                ["特色产业投资占比", _share_range(ys, "sei_investment", "total_investment")],
                ["高新技术产业产值占比", _share_range(ys, "hightech_output", "total_output")],
                ["公共无线网络覆盖率", f"{app.wifi_coverage_pct}%"],
            ],
            (9.5, 6.5),
        ),
        _p("三、组织架构", "h1"),
        _p("社区实行“领导小组＋管理办公室＋运营公司＋专家咨询委员会”的组织架构。"),
        _table(
            [
                ["机构", "组成", "主要职责"],
                [
                    "建设领导小组",
                    f"{app.county}主要领导任组长，相关部门负责人为成员",
                    "统筹决策重大事项，协调土地、资金和政策",
                ],
                ["管理办公室", app.management_body, "规划建设、招商引才、日常管理和统计监测"],
                ["运营公司", "国有平台公司与专业孵化机构合资", "载体运营、创业服务、投融资对接"],
                ["专家咨询委员会", "高校院所、龙头企业和投资机构专家", "产业方向论证、项目评审和发展咨询"],
            ],
            (3.2, 6.0, 6.8),
        ),
        _p("四、进度安排", "h1"),
        _table(
            [["阶段", "时间", "主要任务"]]
            + [[f"第{i}阶段", item.period, item.content] for i, item in enumerate(app.construction_plan, 1)],
            (2.2, 4.8, 9.0),
        ),
        _p("五、保障措施", "h1"),
        _p(
            "加强组织领导，建立领导小组定期调度机制；优先保障社区建设用地，利用现有房屋和土地兴办众创空间的，"
            "按原用途和土地权利类型使用；设立众创社区发展资金，对载体建设、创业活动和人才引进给予支持；"
            "开设政务窗口，推行“一站式”服务；建立年度考核和动态调整机制，确保各项建设任务按期完成。"
        ),
    ]
    return story


def _boundary_story(case: DemoCase) -> list[Flowable]:
    app = case.app
    b = app.boundary
    rows = [["方位", "边界", "类型", "说明"]]
    for side in _SIDES:
        name = getattr(b, side)
        kind = "河道水系" if _is_water(name) else "城市道路"
        note = "以河道蓝线为界" if _is_water(name) else "以道路中心线为界"
        rows.append([_SIDE_ZH[side], name, kind, note])
    return [
        _p("一、四至范围", "h1"),
        _p(
            f"{app.community_name}位于{app.city}{app.county}，依据城乡规划严格划定社区边界，规划面积约"
            f"{app.planned_area_km2}平方公里。社区四至如下："
        ),
        _table(rows, (2.0, 4.5, 3.0, 6.5)),
        Spacer(1, 0.3 * cm),
        _image(boundary_map_png(case), 15.5),
        _p(f"图1　{app.community_name}四至范围示意图", "caption"),
        _p("二、用地现状", "h1"),
        _p(
            "社区范围内现状以工业用地和商务办公用地为主，存量建设用地和闲置厂房较多。按照节约集约用地要求，"
            "优先改造利用现有建筑物建设众创空间和孵化器，新增建设用地主要用于加速器、人才公寓和公共服务设施，"
            "统筹地上地下空间开发，做到空间布局与周边自然环境相协调。"
        ),
        _p(
            f"社区边界清晰、交通便利：{b.east}、{b.west}为南北向通道，{b.north}、{b.south}沿东西向展开，"
            "与城市主干路网和公共交通紧密衔接，便于创新要素的集聚与流动。"
        ),
    ]


_SUB_FIELDS: dict[str, tuple[str, ...]] = {
    "电子信息": ("新型显示", "智能终端", "工业软件", "信息技术服务"),
    "生物技术": ("创新药物", "医疗器械", "精准诊断", "研发外包服务"),
    "高端装备制造": ("工业机器人", "智能数控系统", "增材制造", "工业互联网"),
    "新能源": ("高效光伏", "新型储能", "氢能装备", "能源互联网"),
    "新材料": ("先进功能材料", "微纳制造", "半导体材料", "检测表征服务"),
    "节能环保": ("节能装备", "污染治理", "资源循环利用", "环境服务"),
    "文化创意": ("工业设计", "数字内容", "创意设计", "文旅融合"),
    "现代服务业": ("软件和信息服务", "科技金融", "电子商务", "供应链服务"),
}


# One sentence per sub-field slot, so the four paragraphs do not read as copies of each other.
_SUB_FIELD_TEXT: tuple[str, ...] = (
    "引进和培育一批专业化众创空间和创业团队，建设贴合产业特点的公共技术服务平台，加快新技术、新产品涌现。",
    "推动龙头企业开放上游供应链和下游销售渠道，支持创业企业开展产品和业态创新，形成大中小企业协同发展格局。",
    "组织高校院所围绕优势专业领域推进技术转移和成果转化，建设中试熟化和检验检测平台，增加创新成果源头供给。",
    "培育专业化服务机构，提供研发设计、知识产权、融资路演和市场拓展等集成式服务，催生新业态、新模式。",
)


def _positioning_story(case: DemoCase) -> list[Flowable]:
    app = case.app
    subs = _SUB_FIELDS.get(app.leading_industry, ("研发设计", "中试验证", "产业化", "专业服务"))
    output_rows = [["年度", "社区产业总产值（万元）", "高新技术产业产值（万元）", "高新技术产值占比"]] + [
        [
            str(y.year),
            _money(y.total_output),
            _money(y.hightech_output),
            _share(y.hightech_output, y.total_output),
        ]
        for y in app.years
    ]
    growth_rows = [["年度", "新登记注册初创企业（家）", "吸纳从业人员（人）"]] + [
        [str(y.year), str(y.new_startups), str(y.new_employees)] for y in app.years
    ]
    return [
        _p("一、主导产业", "h1"),
        _p(
            f"{app.community_name}确定{app.leading_industry}为主导特色战略新兴产业。{app.industry_positioning}"
        ),
        _p("二、细分领域", "h1"),
        *[_p(f"（{'一二三四'[i]}）{sub}：{_SUB_FIELD_TEXT[i]}") for i, sub in enumerate(subs)],
        _p("三、产业发展目标", "h1"),
        _p("社区高新技术产业产值及占比目标如下表。", "plain"),
        _table(output_rows, (2.0, 4.6, 4.6, 4.0), numeric_from=1),
        Spacer(1, 0.3 * cm),
        _p("社区新登记注册初创企业数和吸纳从业人员数目标如下表。", "plain"),
        _table(growth_rows, (3.0, 6.5, 6.5), numeric_from=1),
        _p("四、协同创新", "h1"),
        _p(
            f"与{app.partner_universities}家高校院所和{app.partner_enterprises}家龙头骨干企业建立长期合作，"
            "推动龙头企业开放上游供应链和下游销售渠道，组织产业链上下游企业交流活动，建立同行业企业技术联盟，"
            "在产业细分领域培育一批科技含量高、盈利能力强的专业性企业。"
        ),
    ]


def _investment_story(case: DemoCase) -> list[Flowable]:
    app = case.app
    rows = [["年度", "建设项目总投资（万元）", "特色产业项目投资（万元）", "特色产业投资占比"]]
    total = Decimal(0)
    sei = Decimal(0)
    for y in app.years:
        rows.append(
            [
                str(y.year),
                _money(y.total_investment),
                _money(y.sei_investment),
                _share(y.sei_investment, y.total_investment),
            ]
        )
        total += y.total_investment or 0
        sei += y.sei_investment or 0
    rows.append(["合计", _money(total), _money(sei), _share(sei, total)])
    funding = [["资金来源", "金额（万元）", "占比"]]
    for label, pct in (("地方财政资金", 20), ("社会资本投入", 55), ("银行信贷及其他", 25)):
        funding.append([label, _money(total * pct / 100), f"{pct}%"])
    return [
        _p("一、投资总体安排", "h1"),
        _p(
            f"{app.community_name}试点期内计划完成建设项目总投资{_money(total)}万元，其中{app.leading_industry}"
            f"等特色战略新兴产业项目投资{_money(sei)}万元，占比{_share(sei, total)}。分年度投资安排如下表。"
        ),
        _table(rows, (2.0, 4.8, 4.8, 3.6), numeric_from=1),
        _p("二、资金来源", "h1"),
        _p("坚持政府引导、企业主体、市场化运作，多渠道筹措建设资金。", "plain"),
        _table(funding, (6.0, 5.0, 4.0), numeric_from=1),
        _p("三、重点项目投资明细", "h1"),
        _table(
            [["年度", "重点建设项目", "总投资（万元）", "其中特色产业（万元）"]]
            + [
                [str(y.year), item.content, _money(y.total_investment), _money(y.sei_investment)]
                for y, item in zip(app.years, app.construction_plan, strict=False)
            ],
            (1.6, 8.0, 3.0, 3.4),
            numeric_from=2,
        ),
        _p("四、投资测算依据", "h1"),
        _p(
            "载体改造按存量建筑每平方米1500—2500元测算，新建标准厂房和研发楼按每平方米3500—4500元测算；"
            "公共技术服务平台设备投资按同类平台近三年采购价格测算；人才公寓、社区服务中心等配套设施按当地"
            "同类项目造价指标测算。特色战略新兴产业项目指直接服务主导产业的载体、平台和产业化项目。"
        ),
        _p("五、投资效益", "h1"),
        _p(
            "项目建成后将新增创新创业服务载体和公共技术服务平台，显著提升社区孵化能力；通过“孵化＋创投”模式"
            "引导天使投资和创业投资向社区集聚，带动社会资本投入，形成良性循环的投入机制。"
        ),
    ]


def _schedule_story(case: DemoCase) -> list[Flowable]:
    app = case.app
    rows = [["序号", "建设期限", "建设内容", "投资（万元）"]] + [
        [str(i), item.period, item.content, _money(item.investment)]
        for i, item in enumerate(app.construction_plan, 1)
    ]
    return [
        _p("一、建设计划", "h1"),
        _p(f"{app.community_name}按照“试点建设、分批筛选、宽进严定”的要求，分年度推进以下建设任务。"),
        _table(rows, (1.4, 4.6, 7.4, 2.6), numeric_from=3),
        _p("二、年度目标", "h1"),
        _p("各年度建设完成后，社区新登记注册初创企业和吸纳从业人员目标如下。", "plain"),
        _table(
            [["年度", "计划投资（万元）", "新登记注册初创企业（家）", "吸纳从业人员（人）"]]
            + [
                [str(y.year), _money(y.total_investment), str(y.new_startups), str(y.new_employees)]
                for y in app.years
            ],
            (2.0, 4.4, 5.0, 4.6),
            numeric_from=1,
        ),
        _p("三、重要节点", "h1"),
        *[
            _p(f"{item.period.split('—')[-1]}前：完成{item.content}，并组织验收投入使用。")
            for item in app.construction_plan
        ],
        _p("四、推进机制", "h1"),
        _p(
            "建立项目清单、责任清单和进度清单，实行月度调度、季度通报和年度考核；对进度滞后项目及时督促整改，"
            "确保建设计划按期完成，并按要求向省联席会议办公室报送年度建设进展。"
        ),
        _p("五、风险应对", "h1"),
        _p(
            "针对用地报批、资金到位和招商进度等风险，建立项目储备库和替补机制；对存量建筑改造项目提前开展"
            "结构安全评估和消防论证，对新建项目提前完成规划选址和环境影响评价，确保年度目标不受影响。"
        ),
    ]


def _concept_story(case: DemoCase) -> list[Flowable]:
    app = case.app
    area_ha = (app.planned_area_km2 or Decimal(3)) * 100
    shares = (
        Decimal("0.18"),
        Decimal("0.16"),
        Decimal("0.14"),
        Decimal("0.17"),
        Decimal("0.15"),
        Decimal("0.20"),
    )
    rows = [["功能分区", "主要功能", "用地（公顷）"]] + [
        [zone, function, f"{(area_ha * s).quantize(Decimal('0.1'))}"]
        for (zone, function, _c), s in zip(zones(case), shares, strict=True)
    ]
    return [
        _p("一、规划理念", "h1"),
        _p(
            "规划以生产生活生态融合为导向，形成“一核、两带、多片区”的空间结构：以众创空间集聚区为创新核心，"
            "沿主要道路和滨水空间形成创新服务带和生态休闲带，"
            f"布局孵化、{'加速' if (app.accelerators or 0) > 0 else '产业配套'}、居住和综合服务等功能片区。"
        ),
        _p("二、功能分区", "h1"),
        _image(zoning_map_png(case), 15.5),
        _p(f"图1　{app.community_name}功能分区示意图", "caption"),
        _table(rows, (4.0, 9.0, 3.0), numeric_from=2),
        _p("三、配套设施", "h1"),
        _p(
            "建设胶囊公寓、专家公寓、创业者宿舍等梯次化居住空间，配置社区医疗服务中心，完善图书馆、文化馆、"
            "科普场馆和文体设施；挖掘地方文化内涵和传统建筑元素，形成富有地域特色的建筑风格。"
        ),
    ]


_STORIES: dict[MaterialKind, Callable[[DemoCase], list[Flowable]]] = {
    MaterialKind.PLAN: _plan_story,
    MaterialKind.BOUNDARY: _boundary_story,
    MaterialKind.POSITIONING: _positioning_story,
    MaterialKind.INVESTMENT: _investment_story,
    MaterialKind.SCHEDULE: _schedule_story,
    MaterialKind.CONCEPT: _concept_story,
}


def material_pdf(case: DemoCase, kind: MaterialKind) -> bytes:
    """An A4 PDF for one required material kind, with the CJK font embedded."""
    if kind not in _STORIES:
        raise KeyError(f"no PDF renderer for material kind {kind}")
    font = _register_pdf_font()
    title = f"{case.app.community_name}{MATERIAL_LABELS[kind]}"

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(2.2 * cm, A4[1] - 1.3 * cm, title)
        canvas.drawRightString(A4[0] - 2.2 * cm, 1.2 * cm, f"第 {doc.page} 页")
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.line(2.2 * cm, A4[1] - 1.45 * cm, A4[0] - 2.2 * cm, A4[1] - 1.45 * cm)
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2.0 * cm,
        bottomMargin=2.0 * cm,
        title=title,
        author=case.app.applicant,
        subject=MATERIAL_LABELS[kind],
        creator="ZC Review demo",
        initialFontName=font,  # otherwise an unused, unembedded Helvetica is listed in the PDF
        invariant=1,  # fixed dates and document id, so the same case gives the same bytes
    )
    doc.build(_cover(case, kind) + _STORIES[kind](case), onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()
