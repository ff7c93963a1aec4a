"""The 概况 tab: the application's facts, 四至, plan, and the formal check of its materials."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from zc_review.core.application import REQUIRED_MATERIALS, Application, MaterialKind
from zc_review.gui import relative_size
from zc_review.gui.labels import material_label

_CSS = """
h2 { margin: 0 0 6px 0; }
h3 { margin: 14px 0 4px 0; color: #1f3b63; border-bottom: 1px solid #c9d3e0; }
table.kv td { padding: 2px 10px 2px 0; vertical-align: top; }
table.kv td.k { color: #555; white-space: nowrap; }
table.grid { border-collapse: collapse; }
table.grid th { background: #eef2f7; padding: 3px 8px; border: 1px solid #c9d3e0; font-weight: normal; }
table.grid td { padding: 3px 8px; border: 1px solid #dde3ea; }
td.n { text-align: right; }
.missing { color: #c62828; font-weight: bold; }
.ok { color: #1a7f37; }
.muted { color: #777; }
"""


def _v(value: object, unit: str = "") -> str:
    if value is None or value == "":
        blank = QCoreApplication.translate("Overview", "未填")
        return f'<span class="muted">{blank}</span>'
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("Overview", "是")
            if value
            else QCoreApplication.translate("Overview", "否")
        )
    if isinstance(value, Decimal):
        text = f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,}"
        return escape(text + unit)
    return escape(f"{value}{unit}")


def overview_html(app: Application, materials: Sequence[tuple[str, str]], version: int) -> str:
    """HTML of the overview; ``materials`` is (kind, file name) of what the bundle holds."""
    present = {kind for kind, _ in materials}
    h_boundary = QCoreApplication.translate("Overview", "四至范围")
    h_positioning = QCoreApplication.translate("Overview", "产业定位")
    h_years = QCoreApplication.translate("Overview", "投资规模与年度指标")
    h_plan = QCoreApplication.translate("Overview", "建设计划")
    h_materials = QCoreApplication.translate("Overview", "申报材料（形式审查）")
    rows = [
        (
            QCoreApplication.translate("Overview", "设区市 / 县（市、区）"),
            f"{escape(app.city)} {escape(app.county)}",
        ),
        (QCoreApplication.translate("Overview", "申报单位"), _v(app.applicant)),
        (
            QCoreApplication.translate("Overview", "联系人"),
            f"{_v(app.contact_name)}　{_v(app.contact_phone)}",
        ),
        (QCoreApplication.translate("Overview", "主导产业"), _v(app.leading_industry)),
        (
            QCoreApplication.translate("Overview", "规划面积"),
            _v(app.planned_area_km2, QCoreApplication.translate("Overview", " 平方公里")),
        ),
        (
            QCoreApplication.translate("Overview", "创新创业服务载体建筑面积"),
            _v(app.carrier_floor_area_m2, QCoreApplication.translate("Overview", " 平方米")),
        ),
        (
            QCoreApplication.translate("Overview", "众创空间 / 创业苗圃 / 孵化器 / 加速器"),
            " / ".join(_v(x) for x in (app.makerspaces, app.nurseries, app.incubators, app.accelerators)),
        ),
        (QCoreApplication.translate("Overview", "管理和运营机构"), _v(app.management_body)),
        (
            QCoreApplication.translate("Overview", "版本"),
            QCoreApplication.translate("Overview", "第 %1 版").replace("%1", str(version)),
        ),
    ]
    out = [f"<style>{_CSS}</style>", f"<h2>{escape(app.community_name)}</h2>", '<table class="kv">']
    out += [f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in rows]
    out.append("</table>")

    b = app.boundary
    out.append(f"<h3>{h_boundary}</h3><table class='kv'>")
    sides = (
        (QCoreApplication.translate("Overview", "东至"), b.east),
        (QCoreApplication.translate("Overview", "南至"), b.south),
        (QCoreApplication.translate("Overview", "西至"), b.west),
        (QCoreApplication.translate("Overview", "北至"), b.north),
    )
    for side, text in sides:
        out.append(f'<tr><td class="k">{side}</td><td>{_v(text)}</td></tr>')
    out.append("</table>")

    out.append(f"<h3>{h_positioning}</h3><p>{_v(app.industry_positioning)}</p>")

    if app.years:
        heads = (
            QCoreApplication.translate("Overview", "年度"),
            QCoreApplication.translate("Overview", "建设项目总投资<br>（万元）"),
            QCoreApplication.translate("Overview", "其中特色战略新兴产业<br>（万元）"),
            QCoreApplication.translate("Overview", "产业总产值<br>（万元）"),
            QCoreApplication.translate("Overview", "其中高新技术产业<br>（万元）"),
            QCoreApplication.translate("Overview", "新登记初创企业<br>（家）"),
            QCoreApplication.translate("Overview", "吸纳从业人员<br>（人）"),
        )
        out.append(
            f"<h3>{h_years}</h3><table class='grid'><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"
        )
        for y in app.years:
            cells = (
                y.total_investment,
                y.sei_investment,
                y.total_output,
                y.hightech_output,
                y.new_startups,
                y.new_employees,
            )
            out.append(
                f"<tr><td>{y.year}</td>" + "".join(f'<td class="n">{_v(c)}</td>' for c in cells) + "</tr>"
            )
        out.append("</table>")

    if app.construction_plan:
        plan_heads = (
            QCoreApplication.translate("Overview", "阶段"),
            QCoreApplication.translate("Overview", "建设内容"),
            QCoreApplication.translate("Overview", "投资（万元）"),
        )
        out.append(
            f"<h3>{h_plan}</h3><table class='grid'><tr>"
            + "".join(f"<th>{h}</th>" for h in plan_heads)
            + "</tr>"
        )
        for p in app.construction_plan:
            out.append(
                f"<tr><td>{escape(p.period)}</td><td>{escape(p.content)}</td>"
                f'<td class="n">{_v(p.investment)}</td></tr>'
            )
        out.append("</table>")

    material_heads = (
        QCoreApplication.translate("Overview", "材料"),
        QCoreApplication.translate("Overview", "状态"),
        QCoreApplication.translate("Overview", "文件"),
    )
    out.append(
        f"<h3>{h_materials}</h3><table class='grid'><tr>"
        + "".join(f"<th>{h}</th>" for h in material_heads)
        + "</tr>"
    )
    submitted, missing = (
        QCoreApplication.translate("Overview", "已提交"),
        QCoreApplication.translate("Overview", "缺少"),
    )
    for kind in REQUIRED_MATERIALS:
        names = [n for k, n in materials if k == kind.value]
        status = (
            f'<span class="ok">{submitted}</span>'
            if kind.value in present
            else f'<span class="missing">{missing}</span>'
        )
        out.append(
            f"<tr><td>{material_label(kind)}</td><td>{status}</td>"
            f"<td>{escape('; '.join(n.rsplit('/', 1)[-1] for n in names))}</td></tr>"
        )
    others = [n for k, n in materials if k == MaterialKind.OTHER.value]
    if others:
        out.append(
            f"<tr><td>{material_label(MaterialKind.OTHER)}</td><td>{len(others)}</td>"
            f"<td>{escape('; '.join(n.rsplit('/', 1)[-1] for n in others))}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


class OverviewTab(QWidget):
    """Overview text with a banner for missing materials that the expert must acknowledge."""

    acknowledgeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = QFrame()
        self.banner.setObjectName("formalBanner")
        self.banner.setStyleSheet(
            "#formalBanner { background: #fdecea; border: 1px solid #e0a8a4; border-radius: 4px; }"
        )
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.ack_button = QPushButton(self.tr("确认已知悉(&K)"))
        self.ack_button.clicked.connect(self.acknowledgeRequested)
        row = QHBoxLayout(self.banner)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.ack_button)
        self.text = QTextBrowser()
        relative_size.set_style(self.text, "QTextBrowser { font-size: 10.5pt; }")
        self.text.setOpenExternalLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.text, 1)
        self.banner.hide()

    def show_application(
        self,
        app: Application,
        materials: Sequence[tuple[str, str]],
        version: int,
        missing: Sequence[str],
        acknowledged: bool,
        can_acknowledge: bool,
    ) -> None:
        self.text.setHtml(overview_html(app, materials, version))
        if missing:
            listed = self.tr("、").join(missing)
            # Acknowledged: still worth stating, but no longer an alarm.
            colours = ("#f3f4f6", "#d0d7de") if acknowledged else ("#fdecea", "#e0a8a4")
            self.banner.setStyleSheet(
                f"#formalBanner {{ background: {colours[0]}; border: 1px solid {colours[1]}; border-radius: 4px; }}"
            )
            if acknowledged:
                self.banner_text.setText(
                    self.tr("形式审查未通过：缺少 %1。您已确认知悉。").replace("%1", listed)
                )
            else:
                self.banner_text.setText(
                    self.tr("形式审查未通过：缺少 %1。请确认知悉后再评分，并在意见中说明。").replace(
                        "%1", listed
                    )
                )
            self.ack_button.setVisible(not acknowledged)
            self.ack_button.setEnabled(can_acknowledge)
            self.banner.show()
        else:
            self.banner.hide()
