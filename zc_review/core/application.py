"""An application (申报) as data: what a county submits, independent of file formats.

The workbook reader produces it, the indicator engine checks it, the sealed
bundle's manifest carries it (``to_dict`` / ``from_dict``), and the store keeps
it. Amounts are ``Decimal`` so that thresholds such as 70% compare exactly.
Units follow the workbook: money in 万元, area in km² and m², counts as integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Stage(StrEnum):
    """The review stage (clause 三(二)): application, annual assessment, final acceptance."""

    APPLICATION = "application"  # 申报论证
    ANNUAL = "annual"  # 年度考核
    ACCEPTANCE = "acceptance"  # 评估验收

    @property
    def label_zh(self) -> str:
        return {"application": "申报论证", "annual": "年度考核", "acceptance": "评估验收"}[self.value]


# The 13 设区市 of Jiangsu.
JIANGSU_CITIES: tuple[str, ...] = (
    "南京市",
    "无锡市",
    "徐州市",
    "常州市",
    "苏州市",
    "南通市",
    "连云港市",
    "淮安市",
    "盐城市",
    "扬州市",
    "镇江市",
    "泰州市",
    "宿迁市",
)

# Fields named in clause 二(一) as the focus of specialised 众创空间.
POLICY_INDUSTRIES: tuple[str, ...] = (
    "电子信息",
    "生物技术",
    "高端装备制造",
    "新能源",
    "新材料",
    "节能环保",
    "文化创意",
    "现代服务业",
)


class MaterialKind(StrEnum):
    """The application materials of clause 三(二), plus anything else attached."""

    PLAN = "plan"  # 创建方案
    BOUNDARY = "boundary"  # 四至范围
    POSITIONING = "positioning"  # 产业定位
    INVESTMENT = "investment"  # 投资规模
    SCHEDULE = "schedule"  # 建设计划
    CONCEPT = "concept"  # 概念性规划
    OTHER = "other"  # 其他附件

    @property
    def label_zh(self) -> str:
        return MATERIAL_LABELS[self]


MATERIAL_LABELS: dict[MaterialKind, str] = {
    MaterialKind.PLAN: "创建方案",
    MaterialKind.BOUNDARY: "四至范围",
    MaterialKind.POSITIONING: "产业定位",
    MaterialKind.INVESTMENT: "投资规模",
    MaterialKind.SCHEDULE: "建设计划",
    MaterialKind.CONCEPT: "概念性规划",
    MaterialKind.OTHER: "其他附件",
}

# The six materials a complete application must carry (clause 三(二)).
REQUIRED_MATERIALS: tuple[MaterialKind, ...] = (
    MaterialKind.PLAN,
    MaterialKind.BOUNDARY,
    MaterialKind.POSITIONING,
    MaterialKind.INVESTMENT,
    MaterialKind.SCHEDULE,
    MaterialKind.CONCEPT,
)

# The four comprehensive service platforms of goal 人居环境适宜.
SERVICE_PLATFORMS: tuple[str, ...] = ("创业服务", "商务商贸", "教育培训", "文体娱乐")


@dataclass(frozen=True)
class Boundary:
    """四至: what bounds the community on each side."""

    east: str = ""
    south: str = ""
    west: str = ""
    north: str = ""


@dataclass(frozen=True)
class YearFigures:
    """One reported year's numbers (planned years for an application, actual for later stages)."""

    year: int
    total_investment: Decimal | None = None  # 建设项目总投资（万元）
    sei_investment: Decimal | None = None  # 其中：特色战略新兴产业项目投资（万元）
    total_output: Decimal | None = None  # 社区产业总产值（万元）
    hightech_output: Decimal | None = None  # 其中：高新技术产业产值（万元）
    new_startups: int | None = None  # 新登记注册初创企业数（家）
    new_employees: int | None = None  # 初创企业吸纳从业人员数（人）


@dataclass(frozen=True)
class PlanItem:
    """A line of the construction plan (建设计划)."""

    period: str
    content: str
    investment: Decimal | None = None  # 万元


@dataclass(frozen=True)
class MaterialRef:
    """An attachment the workbook's checklist names, by kind and file name inside the zip."""

    kind: MaterialKind
    filename: str
    title: str = ""


@dataclass(frozen=True)
class Application:
    """One community's application (or annual/acceptance report) as submitted."""

    community_name: str  # 众创社区名称
    city: str  # 设区市
    county: str  # 县（市、区）
    applicant: str  # 申报单位
    stage: Stage = Stage.APPLICATION
    contact_name: str = ""
    contact_phone: str = ""
    leading_industry: str = ""  # 主导特色战略新兴产业
    industry_positioning: str = ""  # 产业定位（文字）
    boundary: Boundary = field(default_factory=Boundary)
    planned_area_km2: Decimal | None = None  # 规划面积（平方公里）
    carrier_floor_area_m2: Decimal | None = None  # 创新创业服务载体建筑面积（平方米）
    # Incubation chain 创业苗圃－孵化器－加速器 and 众创空间 (counts).
    makerspaces: int | None = None
    nurseries: int | None = None
    incubators: int | None = None
    accelerators: int | None = None
    # Talent and partners (goal 创新资源富集).
    thousand_talents: int | None = None  # 国家“千人计划”专家
    dual_innovation_talents: int | None = None  # 省“双创人才”
    returnees: int | None = None  # 留学归国人员
    graduates: int | None = None  # 大学生创业者
    partner_universities: int | None = None  # 长期合作高校、科研院所
    partner_enterprises: int | None = None  # 长期合作龙头骨干企业
    enclave_incubation: bool | None = None  # 飞地孵化等利用区域外资源的机制
    # Services (goal 创业服务完善).
    finance_institutions: int | None = None  # 投融资机构
    intermediary_institutions: int | None = None  # 中介服务机构
    online_platform: bool | None = None  # 开放式互联网线上平台
    # Living environment (goal 人居环境适宜).
    wifi_coverage_pct: Decimal | None = None  # 公共无线网络覆盖率（%）
    digital_mgmt_coverage_pct: Decimal | None = None  # 数字化管理覆盖率（%）
    service_platforms: tuple[str, ...] = ()  # which of SERVICE_PLATFORMS exist
    # Management (goal 管理体制科学).
    management_body: str = ""  # 管理和运营机构
    support_policies: bool | None = None  # 覆盖创新创业全流程的扶持政策
    statistics_system: bool | None = None  # 信息化管理服务平台和统计体系
    years: tuple[YearFigures, ...] = ()
    construction_plan: tuple[PlanItem, ...] = ()
    materials: tuple[MaterialRef, ...] = ()
    pilot_year: int | None = None  # for annual assessment: which pilot year (1..3)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; Decimals become strings so nothing is rounded."""
        return _encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Application:
        """Inverse of :meth:`to_dict`."""
        return Application(
            community_name=data["community_name"],
            city=data["city"],
            county=data["county"],
            applicant=data["applicant"],
            stage=Stage(data.get("stage", "application")),
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            leading_industry=data.get("leading_industry", ""),
            industry_positioning=data.get("industry_positioning", ""),
            boundary=Boundary(**data.get("boundary", {})),
            planned_area_km2=_dec(data.get("planned_area_km2")),
            carrier_floor_area_m2=_dec(data.get("carrier_floor_area_m2")),
            makerspaces=data.get("makerspaces"),
            nurseries=data.get("nurseries"),
            incubators=data.get("incubators"),
            accelerators=data.get("accelerators"),
            thousand_talents=data.get("thousand_talents"),
            dual_innovation_talents=data.get("dual_innovation_talents"),
            returnees=data.get("returnees"),
            graduates=data.get("graduates"),
            partner_universities=data.get("partner_universities"),
            partner_enterprises=data.get("partner_enterprises"),
            enclave_incubation=data.get("enclave_incubation"),
            finance_institutions=data.get("finance_institutions"),
            intermediary_institutions=data.get("intermediary_institutions"),
            online_platform=data.get("online_platform"),
            wifi_coverage_pct=_dec(data.get("wifi_coverage_pct")),
            digital_mgmt_coverage_pct=_dec(data.get("digital_mgmt_coverage_pct")),
            service_platforms=tuple(data.get("service_platforms", ())),
            management_body=data.get("management_body", ""),
            support_policies=data.get("support_policies"),
            statistics_system=data.get("statistics_system"),
            years=tuple(
                YearFigures(
                    year=y["year"],
                    total_investment=_dec(y.get("total_investment")),
                    sei_investment=_dec(y.get("sei_investment")),
                    total_output=_dec(y.get("total_output")),
                    hightech_output=_dec(y.get("hightech_output")),
                    new_startups=y.get("new_startups"),
                    new_employees=y.get("new_employees"),
                )
                for y in data.get("years", ())
            ),
            construction_plan=tuple(
                PlanItem(period=p["period"], content=p["content"], investment=_dec(p.get("investment")))
                for p in data.get("construction_plan", ())
            ),
            materials=tuple(
                MaterialRef(kind=MaterialKind(m["kind"]), filename=m["filename"], title=m.get("title", ""))
                for m in data.get("materials", ())
            ),
            pilot_year=data.get("pilot_year"),
        )


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    return value
