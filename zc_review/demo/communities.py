"""Synthetic but realistic 众创社区 applications for the demo workspace and the tests.

Twelve communities across Jiangsu, each a complete :class:`Application`. The batch is
built so that every quantitative indicator lands on both sides of its policy threshold,
including the exact boundaries that the legal comparison words decide (不低于 70% passes
at 70%, 超过 60% fails at 60%, 年均增长 10% 以上 passes at exactly 10%). Nothing here is
random: the same call always returns the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zc_review.core.application import (
    MATERIAL_LABELS,
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

# File names of the two non-PDF attachments every case carries (其他附件).
MAP_ATTACHMENT = "四至区位示意图.png"
PHOTO_ATTACHMENT = "社区实景效果图.jpg"


@dataclass(frozen=True)
class DemoCase:
    """One demo community: its application, the attachments it carries and what it shows."""

    key: str  # stable ASCII id, e.g. "nj-jiangbei"
    app: Application
    attachment_names: tuple[str, ...]  # file names inside the county zip, in order
    missing_materials: tuple[MaterialKind, ...]  # required materials this case leaves out
    notes: str  # what this case demonstrates (Chinese, for the demo workspace)


def _pct_of(total: int, pct: str) -> Decimal:
    """``total × pct%`` as an exact Decimal with no spurious trailing zeros."""
    value = Decimal(total) * Decimal(pct) / Decimal(100)
    if value == value.to_integral_value():
        return Decimal(int(value))
    rounded = value.quantize(Decimal("0.01"))
    # The data is chosen so that shares are exact; a rounded share would blur a boundary case.
    assert rounded == value, f"{total} × {pct}% is not exact to the fen"
    return rounded


def _years(
    first_year: int,
    investment: list[tuple[int, str]],
    output: list[tuple[int, str]],
    startups: list[int],
    employees: list[int],
) -> tuple[YearFigures, ...]:
    """Year rows from (total, share %) pairs so that each share is exactly the one written."""
    counts = {len(investment), len(output), len(startups), len(employees)}
    assert len(counts) == 1, "every series needs one value per year"
    return tuple(
        YearFigures(
            year=first_year + i,
            total_investment=Decimal(inv),
            sei_investment=_pct_of(inv, inv_pct),
            total_output=Decimal(out),
            hightech_output=_pct_of(out, out_pct),
            new_startups=startups[i],
            new_employees=employees[i],
        )
        for i, ((inv, inv_pct), (out, out_pct)) in enumerate(zip(investment, output, strict=True))
    )


def _plan(years: tuple[YearFigures, ...], projects: tuple[str, ...]) -> tuple[PlanItem, ...]:
    """One construction-plan line per year, costed at that year's planned investment."""
    assert len(years) == len(projects), "one project line per year"
    return tuple(
        PlanItem(period=f"{y.year}年1月—{y.year}年12月", content=text, investment=y.total_investment)
        for y, text in zip(years, projects, strict=True)
    )


# What a decent application typically reports; each case overrides what makes it different.
_TYPICAL: dict[str, Any] = {
    "makerspaces": 8,
    "nurseries": 2,
    "incubators": 4,
    "accelerators": 2,
    "thousand_talents": 6,
    "dual_innovation_talents": 18,
    "returnees": 120,
    "graduates": 650,
    "partner_universities": 5,
    "partner_enterprises": 8,
    "enclave_incubation": True,
    "finance_institutions": 12,
    "intermediary_institutions": 20,
    "online_platform": True,
    "wifi_coverage_pct": Decimal(100),
    "digital_mgmt_coverage_pct": Decimal(100),
    "service_platforms": SERVICE_PLATFORMS,
    "support_policies": True,
    "statistics_system": True,
}


@dataclass(frozen=True)
class _Spec:
    key: str
    app: dict[str, Any]
    notes: str
    missing: tuple[MaterialKind, ...] = ()


def _specs() -> list[_Spec]:
    """The twelve communities, in the order the demo lists them."""
    specs: list[_Spec] = []

    years = _years(
        2025,
        [(58000, "76"), (64000, "70"), (71000, "74"), (76000, "78")],
        [(420000, "66"), (486000, "68"), (552000, "70"), (620000, "72")],
        [180, 201, 224, 246],
        [1500, 1680, 1870, 2080],
    )
    specs.append(
        _Spec(
            key="nj-jiangbei",
            notes="特色产业投资占比在2026年恰为70%（不低于70%，通过）；其余指标良好，是一份合格的申报。",
            app={
                "community_name": "南京江北新区智能制造众创社区",
                "city": "南京市",
                "county": "浦口区",
                "applicant": "南京市浦口区人民政府",
                "contact_name": "周立新",
                "contact_phone": "025-5869 3021",
                "leading_industry": "高端装备制造",
                "industry_positioning": (
                    "社区以智能制造装备为主攻方向，依托江北新区产业技术研创园和南京工业大学等高校院所，"
                    "重点发展工业机器人及核心零部件、智能数控系统、增材制造和工业互联网解决方案。"
                    "以“研发设计在社区、中试验证在园区、规模制造在新区”的分工布局，"
                    "打通从原型设计、小批量试制到首台套应用的全链条，力争到2028年集聚智能制造类"
                    "初创企业800家以上，形成长三角有影响力的智能装备创新策源地。"
                ),
                "boundary": Boundary(east="浦滨路", south="七里河", west="星火路", north="丽岛路"),
                "planned_area_km2": Decimal("3.2"),
                "carrier_floor_area_m2": Decimal(268000),
                "makerspaces": 12,
                "nurseries": 3,
                "incubators": 5,
                "thousand_talents": 9,
                "partner_universities": 7,
                "management_body": (
                    "南京江北新区智能制造众创社区管理办公室（委托江北新区科创投资集团市场化运营）"
                ),
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "智能制造公共技术服务平台一期、创业苗圃改造（旧厂房更新4.2万平方米）",
                        "工业机器人中试基地、专业化众创空间集群建设",
                        "智能装备加速器及首台套验证中心建设",
                        "人才公寓二期、社区综合服务中心及数字化管理平台完善",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(96000, "82"), (105000, "84"), (118000, "85"), (126000, "86")],
        [(1280000, "78"), (1420000, "79"), (1580000, "80"), (1750000, "81")],
        [260, 290, 322, 356],
        [4000, 4400, 4840, 5324],
    )
    specs.append(
        _Spec(
            key="sz-sip",
            notes="全部指标明显达标，是本批次最强的申报；吸纳从业人员每年恰好增长10%（通过）。",
            app={
                "community_name": "苏州工业园区纳米众创社区",
                "city": "苏州市",
                "county": "苏州工业园区",
                "applicant": "苏州工业园区管理委员会",
                "contact_name": "顾晓梅",
                "contact_phone": "0512-6295 8810",
                "leading_industry": "新材料",
                "industry_positioning": (
                    "社区以纳米技术应用为核心，聚焦纳米新材料、微纳制造、第三代半导体和纳米大健康四个细分领域。"
                    "依托中国科学院苏州纳米技术与纳米仿生研究所、苏州大学纳米科学技术学院和国家第三代半导体"
                    "技术创新中心，建设微纳加工、材料表征和检验检测共享平台，面向初创企业开放中试线。"
                    "通过“纳米+”应用场景对接，推动纳米材料在新能源、电子信息和生物医药中的产业化，"
                    "打造具有全球影响力的纳米技术创新和产业化高地。"
                ),
                "boundary": Boundary(east="星湖街", south="金鸡湖大道", west="金堰河", north="若水路"),
                "planned_area_km2": Decimal("2.9"),
                "carrier_floor_area_m2": Decimal(420000),
                "makerspaces": 16,
                "nurseries": 4,
                "incubators": 7,
                "accelerators": 3,
                "thousand_talents": 21,
                "dual_innovation_talents": 46,
                "returnees": 380,
                "graduates": 1200,
                "partner_universities": 11,
                "partner_enterprises": 15,
                "finance_institutions": 35,
                "intermediary_institutions": 42,
                "management_body": "苏州纳米科技发展有限公司（园区国资控股，负责社区开发运营）",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "纳米城西区微纳加工公共平台扩建、纳米众创空间二期",
                        "第三代半导体中试线及材料表征中心建设",
                        "纳米加速器（标准厂房6万平方米）及产业化基地",
                        "国际人才社区、创新交流中心和社区智慧管理平台升级",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(45000, "80"), (50000, "81"), (56000, "82"), (61000, "83")],
        [(300000, "60"), (345000, "63"), (398000, "65"), (452000, "67")],
        [120, 134, 150, 168],
        [900, 1000, 1110, 1230],
    )
    specs.append(
        _Spec(
            key="wx-huishan",
            notes="高新技术产业产值占比在2025年恰为60%（须超过60%，不通过）；其余指标良好。",
            app={
                "community_name": "无锡惠山生命健康众创社区",
                "city": "无锡市",
                "county": "惠山区",
                "applicant": "无锡市惠山区人民政府",
                "contact_name": "钱文博",
                "contact_phone": "0510-8359 2716",
                "leading_industry": "生物技术",
                "industry_positioning": (
                    "社区聚焦生命健康产业，重点发展创新药物研发外包、高端医疗器械、精准诊断和康复辅具。"
                    "依托惠山经济开发区生命科技产业园和江南大学、无锡市人民医院等合作单位，"
                    "建设GMP中试车间、动物实验中心和临床试验协同平台，为创业团队提供从靶点发现到"
                    "注册申报的一站式服务，形成“研发—中试—临床—产业化”的生命健康创新链。"
                ),
                "boundary": Boundary(east="惠澄大道", south="锡澄运河", west="吴韵路", north="堰新路"),
                "planned_area_km2": Decimal("3.0"),
                "carrier_floor_area_m2": Decimal(236000),
                "management_body": "无锡惠山生命科技产业园运营管理有限公司",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "生命健康众创空间及GMP中试车间建设",
                        "医疗器械检验检测平台、动物实验中心建设",
                        "生物医药孵化器二期及临床试验协同平台",
                        "专家公寓、社区医疗服务中心和文体中心配套",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(38000, "75"), (42000, "77"), (46000, "79")],
        [(260000, "64"), (295000, "66"), (334000, "68")],
        [200, 220, 242],
        [1500, 1650, 1815],
    )
    specs.append(
        _Spec(
            key="cz-wujin",
            notes="载体建筑面积恰为20万平方米（不低于，通过）；初创企业数和从业人员数均恰好年增10%（通过）；只报三年。",
            app={
                "community_name": "常州武进绿色建筑众创社区",
                "city": "常州市",
                "county": "武进区",
                "applicant": "常州市武进区人民政府",
                "contact_name": "陆建平",
                "contact_phone": "0519-8631 5502",
                "leading_industry": "节能环保",
                "industry_positioning": (
                    "社区依托武进国家绿色建筑产业集聚示范区，主攻绿色建筑与建筑节能产业，"
                    "重点发展装配式建筑部品部件、建筑光伏一体化、超低能耗建筑技术和建筑废弃物资源化利用。"
                    "联合东南大学、常州大学建设绿色建筑技术研发中心和检测认证平台，"
                    "以示范项目为应用场景，带动设计咨询、智能运维等现代服务企业集聚发展。"
                ),
                "boundary": Boundary(east="长虹路", south="滆湖路", west="武宜运河", north="延政大道"),
                "planned_area_km2": Decimal("2.7"),
                "carrier_floor_area_m2": Decimal(200000),
                "management_body": "常州武进绿色建筑产业集聚示范区管理办公室",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "绿色建筑众创空间、技术研发中心及检测认证平台建设",
                        "装配式建筑部品孵化器、超低能耗示范楼建设",
                        "绿色建筑加速器、人才公寓及社区服务中心建设",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(72000, "78"), (80000, "80"), (86000, "81"), (93000, "82")],
        [(510000, "62"), (575000, "64"), (640000, "65"), (712000, "66")],
        [160, 178, 198, 220],
        [1300, 1450, 1610, 1790],
    )
    specs.append(
        _Spec(
            key="xz-tongshan",
            notes="规划面积6.5平方公里，明显超出“3平方公里左右”（提示，非否决）；其余指标良好。",
            app={
                "community_name": "徐州铜山新能源众创社区",
                "city": "徐州市",
                "county": "铜山区",
                "applicant": "徐州市铜山区人民政府",
                "contact_name": "刘振华",
                "contact_phone": "0516-8312 4467",
                "leading_industry": "新能源",
                "industry_positioning": (
                    "社区面向光伏、储能和氢能三大方向，依托徐州高新区和中国矿业大学的能源学科优势，"
                    "重点发展高效光伏电池与组件、新型储能系统、氢能装备和能源互联网服务。"
                    "利用采煤塌陷区生态修复后的存量用地建设光伏实证基地和储能测试平台，"
                    "推动“矿业城市”向“新能源创新城市”转型，培育一批专精特新新能源企业。"
                ),
                "boundary": Boundary(east="珠江路", south="故黄河", west="银山路", north="黄山路"),
                "planned_area_km2": Decimal("6.5"),
                "carrier_floor_area_m2": Decimal(310000),
                "partner_universities": 6,
                "management_body": "徐州铜山新能源众创社区发展有限公司",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "光伏实证基地、新能源众创空间建设",
                        "储能系统测试平台及孵化器建设",
                        "氢能装备加速器、能源互联网运营中心",
                        "创业者公寓、社区公园及智慧交通配套",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(30000, "72"), (33000, "73"), (36000, "75"), (39000, "76"), (42000, "78")],
        [(180000, "61"), (205000, "62"), (232000, "63"), (260000, "64"), (290000, "65")],
        [140, 156, 173, 192, 212],
        [700, 780, 865, 960, 1060],
    )
    specs.append(
        _Spec(
            key="nt-chongchuan",
            notes="公共无线网络覆盖率85%（未全覆盖）；缺少教育培训服务平台；报五年规划。",
            app={
                "community_name": "南通崇川紫琅湖文化创意众创社区",
                "city": "南通市",
                "county": "崇川区",
                "applicant": "南通市崇川区人民政府",
                "contact_name": "施雅琴",
                "contact_phone": "0513-8551 6039",
                "leading_industry": "文化创意",
                "industry_positioning": (
                    "社区以紫琅湖周边存量建筑更新为载体，发展工业设计、数字内容、家纺创意设计和文旅融合产业。"
                    "依托南通大学、南通家纺设计研究院，建设设计资源共享平台、数字影像制作中心和版权交易服务站，"
                    "推动“南通蓝印花布”等非遗元素与现代设计融合，打造长江北岸有特色的文化创意产业集聚区。"
                ),
                "boundary": Boundary(east="永兴大道", south="紫琅湖", west="崇川路", north="青年东路"),
                "planned_area_km2": Decimal("2.4"),
                "carrier_floor_area_m2": Decimal(215000),
                "thousand_talents": 3,
                "wifi_coverage_pct": Decimal(85),
                "service_platforms": ("创业服务", "商务商贸", "文体娱乐"),
                "management_body": "南通紫琅湖文化创意产业发展有限公司",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "旧厂房改造为设计众创空间（3.1万平方米）",
                        "数字影像制作中心和版权交易服务站",
                        "文创孵化器及非遗创新工坊",
                        "文创加速器及紫琅湖创意街区",
                        "艺术家公寓、社区剧场及公共空间提升",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(40000, "76"), (44000, "77"), (48000, "78"), (52000, "79")],
        [(260000, "61"), (290000, "62"), (322000, "63"), (356000, "64")],
        [90, 100, 111, 123],
        [600, 665, 735, 810],
    )
    specs.append(
        _Spec(
            key="lyg-donghai",
            notes="未提交概念性规划（形式审查不通过）；其余材料和指标合格。",
            missing=(MaterialKind.CONCEPT,),
            app={
                "community_name": "连云港东海硅材料众创社区",
                "city": "连云港市",
                "county": "东海县",
                "applicant": "东海县人民政府",
                "contact_name": "孙广军",
                "contact_phone": "0518-8723 1185",
                "leading_industry": "新材料",
                "industry_positioning": (
                    "社区立足东海“世界水晶之都”的石英资源禀赋，主攻高纯石英、硅微粉和石英玻璃等硅基新材料，"
                    "向半导体石英器件、光纤预制棒和光伏坩埚等高端应用延伸。联合中国建材总院、江苏海洋大学"
                    "建设硅材料检测中心和中试基地，推动传统水晶加工向高技术硅材料产业升级。"
                ),
                "boundary": Boundary(east="晶都大道", south="西双湖", west="牛山路", north="安峰路"),
                "planned_area_km2": Decimal("3.3"),
                "carrier_floor_area_m2": Decimal(205000),
                "thousand_talents": 2,
                "dual_innovation_talents": 9,
                "management_body": "东海县硅材料众创社区管理委员会",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "硅材料众创空间及检测中心建设",
                        "高纯石英中试基地建设",
                        "硅材料孵化器、加速器建设",
                        "人才公寓、社区服务中心建设",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(26000, "71"), (28000, "72"), (30000, "73"), (33000, "74")],
        [(140000, "58"), (158000, "61"), (176000, "62"), (196000, "63")],
        [80, 88, 97, 107],
        [500, 540, 580, 620],
    )
    specs.append(
        _Spec(
            key="ha-qingjiangpu",
            notes=(
                "较弱：载体建筑面积15万平方米（低于20万）；没有加速器，孵化链条不完整；无线上平台；"
                "2025年高新技术产值占比58%；从业人员年均增长不足10%。"
            ),
            app={
                "community_name": "淮安清江浦电子信息众创社区",
                "city": "淮安市",
                "county": "清江浦区",
                "applicant": "淮安市清江浦区人民政府",
                "contact_name": "朱海燕",
                "contact_phone": "0517-8391 2270",
                "leading_industry": "电子信息",
                "industry_positioning": (
                    "社区以电子信息产业为主导，重点发展新型显示配套、智能终端组装测试和软件外包服务，"
                    "承接苏南电子信息产业转移，依托淮阴工学院建设电子产品检测实训平台，"
                    "培育面向本地制造企业的工业软件和信息服务初创企业。"
                ),
                "boundary": Boundary(east="承德路", south="里运河", west="健康西路", north="北京路"),
                "planned_area_km2": Decimal("2.2"),
                "carrier_floor_area_m2": Decimal(150000),
                "makerspaces": 5,
                "nurseries": 1,
                "incubators": 2,
                "accelerators": 0,
                "thousand_talents": 1,
                "dual_innovation_talents": 5,
                "returnees": 30,
                "graduates": 260,
                "partner_universities": 2,
                "partner_enterprises": 3,
                "finance_institutions": 4,
                "intermediary_institutions": 7,
                "online_platform": False,
                "digital_mgmt_coverage_pct": Decimal(90),
                "management_body": "清江浦区科技创业服务中心",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "电子信息众创空间改造",
                        "电子产品检测实训平台",
                        "软件外包孵化器",
                        "创业者宿舍及配套",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(50000, "62"), (54000, "68"), (58000, "71"), (62000, "73")],
        [(310000, "64"), (340000, "65"), (372000, "66"), (405000, "67")],
        [150, 155, 160, 165],
        [800, 840, 860, 900],
    )
    specs.append(
        _Spec(
            key="yc-tinghu",
            notes=(
                "2025、2026年特色产业投资占比62%、68%（低于70%，不通过）；初创企业数、从业人员数年均增长"
                "仅约3%—4%；无飞地孵化机制，统计体系未建立。"
            ),
            app={
                "community_name": "盐城环保科技城众创社区",
                "city": "盐城市",
                "county": "亭湖区",
                "applicant": "盐城市亭湖区人民政府",
                "contact_name": "吴国庆",
                "contact_phone": "0515-8836 7703",
                "leading_industry": "节能环保",
                "industry_positioning": (
                    "社区依托中国（盐城）环保科技城，聚焦大气污染治理、水处理装备和固废资源化三大领域，"
                    "建设环保装备检测中心和环境技术中试平台，发展环保装备制造和环境综合服务，"
                    "为中小环保企业提供技术验证、工程示范和市场对接服务。"
                ),
                "boundary": Boundary(east="环保大道", south="新洋港", west="希望大道", north="盐渎路"),
                "planned_area_km2": Decimal("3.1"),
                "carrier_floor_area_m2": Decimal(228000),
                "thousand_talents": 4,
                "enclave_incubation": False,
                "statistics_system": False,
                "management_body": "盐城环保科技城管理委员会",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "环保装备检测中心及众创空间",
                        "环境技术中试平台",
                        "环保装备孵化器",
                        "环保加速器及人才公寓",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(42000, "74"), (46000, "75"), (51000, "76"), (55000, "77")],
        [(280000, "66"), (312000, "67"), (348000, "68"), (386000, "69")],
        [300, 330, 363, 399],
        [2000, 2200, 2420, 2662],
    )
    specs.append(
        _Spec(
            key="yz-guangling",
            notes=(
                "初创企业数300→399，年均增长约9.97%（差一点达到10%，不通过）；"
                "从业人员数恰好年增10%（通过）；其余良好。"
            ),
            app={
                "community_name": "扬州广陵新城现代服务业众创社区",
                "city": "扬州市",
                "county": "广陵区",
                "applicant": "扬州市广陵区人民政府",
                "contact_name": "马静怡",
                "contact_phone": "0514-8792 4158",
                "leading_industry": "现代服务业",
                "industry_positioning": (
                    "社区以软件和信息技术服务、科技金融和数字文旅为主攻方向，依托广陵新城信息产业基地"
                    "和扬州大学，发展行业应用软件、数据标注与数据服务、供应链金融和智慧旅游服务，"
                    "以运河文化为特色塑造“运河畔的数字服务社区”。"
                ),
                "boundary": Boundary(east="沙湾路", south="古运河", west="运河东路", north="文昌东路"),
                "planned_area_km2": Decimal("2.8"),
                "carrier_floor_area_m2": Decimal(240000),
                "management_body": "扬州广陵新城信息产业基地管理办公室",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "软件和信息服务众创空间、数据服务平台",
                        "科技金融服务中心及孵化器",
                        "数字文旅加速器",
                        "运河文化街区及人才公寓",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(68000, "84"), (74000, "85"), (80000, "86"), (87000, "86"), (94000, "87")],
        [(620000, "72"), (690000, "73"), (765000, "74"), (850000, "75"), (940000, "76")],
        [210, 232, 256, 282, 310],
        [1800, 1990, 2200, 2430, 2680],
    )
    specs.append(
        _Spec(
            key="tz-gaogang",
            notes="强申报：各项指标均良好达标，报五年规划。",
            app={
                "community_name": "泰州医药高新区大健康众创社区",
                "city": "泰州市",
                "county": "高港区",
                "applicant": "泰州医药高新区（高港区）管理委员会",
                "contact_name": "丁海波",
                "contact_phone": "0523-8680 9921",
                "leading_industry": "生物技术",
                "industry_positioning": (
                    "社区位于中国医药城核心区，聚焦疫苗与抗体药物、高端医疗器械、特医食品和医药研发外包服务。"
                    "依托中国医药城公共服务平台、南京中医药大学翰林学院等机构，建设细胞与基因治疗中试平台、"
                    "医疗器械注册服务中心和临床资源共享平台，打造全国有影响力的大健康创新创业社区。"
                ),
                "boundary": Boundary(east="药城大道", south="周山河", west="陆家路", north="口泰路"),
                "planned_area_km2": Decimal("3.5"),
                "carrier_floor_area_m2": Decimal(350000),
                "makerspaces": 11,
                "incubators": 6,
                "accelerators": 3,
                "thousand_talents": 15,
                "dual_innovation_talents": 38,
                "returnees": 260,
                "partner_universities": 9,
                "partner_enterprises": 12,
                "finance_institutions": 22,
                "management_body": "中国医药城众创社区运营管理有限公司",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "大健康众创空间、医疗器械注册服务中心",
                        "细胞与基因治疗中试平台",
                        "抗体药物孵化器三期",
                        "医药加速器及临床资源共享平台",
                        "国际人才公寓、社区医院及文体中心",
                    ),
                ),
            },
        )
    )

    years = _years(
        2025,
        [(12000, "55"), (13000, "60"), (14000, "65")],
        [(60000, "42"), (66000, "45"), (72000, "48")],
        [60, 63, 66],
        [300, 310, 320],
    )
    specs.append(
        _Spec(
            key="sq-sucheng",
            notes=(
                "明显不足：缺投资规模和概念性规划两项材料；面积1.5平方公里；载体12万平方米；"
                "投资占比、高新产值占比、增长率均不达标；无苗圃和加速器；Wi-Fi覆盖70%；只有两个服务平台。"
            ),
            missing=(MaterialKind.INVESTMENT, MaterialKind.CONCEPT),
            app={
                "community_name": "宿迁宿城电子商务众创社区",
                "city": "宿迁市",
                "county": "宿城区",
                "applicant": "宿迁市宿城区人民政府",
                "contact_name": "陈小军",
                "contact_phone": "0527-8438 5512",
                "leading_industry": "现代服务业",
                "industry_positioning": (
                    "社区以电子商务为主，发展农产品网络销售、直播电商和电商物流服务，"
                    "为返乡创业青年提供电商培训和店铺孵化。"
                ),
                "boundary": Boundary(east="发展大道", south="古黄河", west="宿城路", north="洪泽湖路"),
                "planned_area_km2": Decimal("1.5"),
                "carrier_floor_area_m2": Decimal(120000),
                "makerspaces": 3,
                "nurseries": 0,
                "incubators": 1,
                "accelerators": 0,
                "thousand_talents": 0,
                "dual_innovation_talents": 2,
                "returnees": 8,
                "graduates": 150,
                "partner_universities": 1,
                "partner_enterprises": 2,
                "enclave_incubation": False,
                "finance_institutions": 2,
                "intermediary_institutions": 3,
                "wifi_coverage_pct": Decimal(70),
                "digital_mgmt_coverage_pct": Decimal(60),
                "service_platforms": ("创业服务", "商务商贸"),
                "support_policies": False,
                "statistics_system": False,
                "management_body": "宿城区电子商务产业园办公室",
                "years": years,
                "construction_plan": _plan(
                    years,
                    (
                        "电商创业园改造",
                        "直播电商基地",
                        "电商物流分拨中心",
                    ),
                ),
            },
        )
    )
    return specs


def _attachments(community: str, missing: tuple[MaterialKind, ...]) -> tuple[MaterialRef, ...]:
    """The materials a case carries: its required PDFs (less the missing ones), a map and a photo."""
    refs: list[MaterialRef] = []
    for kind in REQUIRED_MATERIALS:
        if kind in missing:
            continue
        label = MATERIAL_LABELS[kind]
        refs.append(MaterialRef(kind, f"附件{len(refs) + 1}-{label}.pdf", f"{community}{label}"))
    for name, title in ((MAP_ATTACHMENT, "四至区位示意图"), (PHOTO_ATTACHMENT, "社区实景效果图")):
        refs.append(MaterialRef(MaterialKind.OTHER, f"附件{len(refs) + 1}-{name}", f"{community}{title}"))
    return tuple(refs)


def demo_applications(stage: Stage = Stage.APPLICATION) -> list[DemoCase]:
    """The demo batch: twelve communities with every Application field filled.

    The figures are the same at every stage (for the annual assessment they stand for the
    reported actuals); the annual stage also sets ``pilot_year`` (1–3, varied across cases).
    """
    cases: list[DemoCase] = []
    for index, spec in enumerate(_specs()):
        fields = dict(_TYPICAL)
        fields.update(spec.app)
        materials = _attachments(fields["community_name"], spec.missing)
        app = Application(
            **fields,
            stage=stage,
            materials=materials,
            pilot_year=(index % 3) + 1 if stage is Stage.ANNUAL else None,
        )
        cases.append(
            DemoCase(
                key=spec.key,
                app=app,
                attachment_names=tuple(m.filename for m in materials),
                missing_materials=spec.missing,
                notes=spec.notes,
            )
        )
    return cases
