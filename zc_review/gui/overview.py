"""The 概况 tab: the application's facts, 四至, plan, and the formal check of its materials."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from zc_review.core.application import MATERIAL_LABELS, REQUIRED_MATERIALS, Application, MaterialKind

_CSS = """
body { font-size: 10.5pt; }
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
        return '<span class="muted">未填</span>'
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        text = f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,}"
        return escape(text + unit)
    return escape(f"{value}{unit}")


def overview_html(app: Application, materials: Sequence[tuple[str, str]], version: int) -> str:
    """HTML of the overview; ``materials`` is (kind, file name) of what the bundle holds."""
    present = {kind for kind, _ in materials}
    rows = [
        ("设区市 / 县（市、区）", f"{escape(app.city)} {escape(app.county)}"),
        ("申报单位", _v(app.applicant)),
        ("联系人", f"{_v(app.contact_name)}　{_v(app.contact_phone)}"),
        ("主导产业", _v(app.leading_industry)),
        ("规划面积", _v(app.planned_area_km2, " 平方公里")),
        ("创新创业服务载体建筑面积", _v(app.carrier_floor_area_m2, " 平方米")),
        (
            "众创空间 / 创业苗圃 / 孵化器 / 加速器",
            " / ".join(_v(x) for x in (app.makerspaces, app.nurseries, app.incubators, app.accelerators)),
        ),
        ("管理和运营机构", _v(app.management_body)),
        ("版本", f"第 {version} 版"),
    ]
    out = [f"<style>{_CSS}</style>", f"<h2>{escape(app.community_name)}</h2>", '<table class="kv">']
    out += [f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in rows]
    out.append("</table>")

    b = app.boundary
    out.append("<h3>四至范围</h3><table class='kv'>")
    for side, text in (("东至", b.east), ("南至", b.south), ("西至", b.west), ("北至", b.north)):
        out.append(f'<tr><td class="k">{side}</td><td>{_v(text)}</td></tr>')
    out.append("</table>")

    out.append(f"<h3>产业定位</h3><p>{_v(app.industry_positioning)}</p>")

    if app.years:
        out.append(
            "<h3>投资规模与年度指标</h3><table class='grid'><tr><th>年度</th><th>建设项目总投资<br>（万元）</th>"
            "<th>其中特色战略新兴产业<br>（万元）</th><th>产业总产值<br>（万元）</th><th>其中高新技术产业<br>（万元）</th>"
            "<th>新登记初创企业<br>（家）</th><th>吸纳从业人员<br>（人）</th></tr>"
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
        out.append(
            "<h3>建设计划</h3><table class='grid'><tr><th>阶段</th><th>建设内容</th><th>投资（万元）</th></tr>"
        )
        for p in app.construction_plan:
            out.append(
                f"<tr><td>{escape(p.period)}</td><td>{escape(p.content)}</td>"
                f'<td class="n">{_v(p.investment)}</td></tr>'
            )
        out.append("</table>")

    out.append(
        "<h3>申报材料（形式审查）</h3><table class='grid'><tr><th>材料</th><th>状态</th><th>文件</th></tr>"
    )
    for kind in REQUIRED_MATERIALS:
        names = [n for k, n in materials if k == kind.value]
        status = (
            '<span class="ok">已提交</span>' if kind.value in present else '<span class="missing">缺少</span>'
        )
        out.append(
            f"<tr><td>{MATERIAL_LABELS[kind]}</td><td>{status}</td>"
            f"<td>{escape('；'.join(n.rsplit('/', 1)[-1] for n in names))}</td></tr>"
        )
    others = [n for k, n in materials if k == MaterialKind.OTHER.value]
    if others:
        out.append(
            f"<tr><td>其他附件</td><td>{len(others)} 个</td>"
            f"<td>{escape('；'.join(n.rsplit('/', 1)[-1] for n in others))}</td></tr>"
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
            listed = "、".join(missing)
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
