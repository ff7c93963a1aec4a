"""The check catalogue: what each indicator check is, by key, without the engine that runs it.

The rubric names the checks a stage runs by these keys (and is validated against them); the
engine (:mod:`zc_review.core.indicators`) runs them; reports name a check by its key. Kept
apart from both so that neither the rubric nor the engine needs the other to know the keys.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAL_GOAL = "formal"  # the ``goal`` of the formal check (形式审查) on materials, clause 三(二)


@dataclass(frozen=True)
class CheckSpec:
    """One check as the engine runs it: what it is and which Application fields it reads."""

    key: str
    goal: str
    title_zh: str
    title_en: str
    clause: str
    hard: bool
    threshold_zh: str
    sources: tuple[str, ...]


_IR, _ES, _IS, _LE = (
    "innovation_resources",
    "entrepreneurship_services",
    "industry_specialization",
    "living_environment",
)
CHECK_SPECS: tuple[CheckSpec, ...] = (
    CheckSpec(
        "planned_area", _IR, "规划面积", "Planned area", "一、创新资源富集", False,
        "众创社区规划面积一般控制在3平方公里左右", ("planned_area_km2",),
    ),
    CheckSpec(
        "carrier_floor_area", _IR, "创新创业服务载体建筑面积", "Service carrier floor area",
        "一、创新资源富集", True, "创新创业服务载体建筑面积不低于20万平方米", ("carrier_floor_area_m2",),
    ),
    CheckSpec(
        "incubation_chain", _ES, "创业苗圃－孵化器－加速器孵化链条", "Incubation chain",
        "一、创业服务完善；二（二）", True, "形成“创业苗圃－孵化器－加速器”全过程孵化链条",
        ("nurseries", "incubators", "accelerators"),
    ),
    CheckSpec(
        "sei_investment_share", _IS, "特色战略新兴产业投资占比",
        "Strategic emerging industry investment share", "一、产业特色鲜明", True,
        "每年特色战略新兴产业建设项目投资占比不低于70%", ("years.sei_investment", "years.total_investment"),
    ),
    CheckSpec(
        "hightech_output_share", _IS, "高新技术产业产值占比", "High-tech output share",
        "一、产业特色鲜明", True,
        "高新技术产业年产值占比超过60%", ("years.hightech_output", "years.total_output"),
    ),
    CheckSpec(
        "startup_growth", _IS, "新登记注册初创企业数年均增长", "Growth of new startups",
        "一、产业特色鲜明", True,
        "社区新登记注册的初创企业数年均增长10%以上", ("years.new_startups",),
    ),
    CheckSpec(
        "employee_growth", _IS, "吸纳从业人员数年均增长", "Growth of employees absorbed",
        "一、产业特色鲜明", True,
        "社区吸纳从业人员数年均增长10%以上", ("years.new_employees",),
    ),
    CheckSpec(
        "service_platforms", _LE, "综合服务平台", "Service platforms", "一、人居环境适宜", True,
        "建有创业服务、商务商贸、教育培训、文体娱乐等综合服务平台", ("service_platforms",),
    ),
    CheckSpec(
        "wifi_coverage", _LE, "公共无线网络覆盖", "Public Wi-Fi coverage", "一、人居环境适宜", True,
        "实现公共无线网络全覆盖", ("wifi_coverage_pct",),
    ),
    CheckSpec(
        "digital_management", _LE, "数字化管理覆盖", "Digital management coverage", "一、人居环境适宜",
        True, "实现数字化管理全覆盖", ("digital_mgmt_coverage_pct",),
    ),
    CheckSpec(
        "required_materials", FORMAL_GOAL, "申报材料齐全", "Required materials", "三（二）", True,
        "申报材料包括创建方案，众创社区的四至范围、产业定位、投资规模、建设计划以及概念性规划",
        ("materials",),
    ),
)  # fmt: skip

SPEC_BY_KEY: dict[str, CheckSpec] = {s.key: s for s in CHECK_SPECS}


@dataclass(frozen=True)
class CheckInfo:
    """What a check is, without an application: for reports that name checks by key."""

    key: str
    goal: str
    title_zh: str
    title_en: str
    clause: str
    hard: bool
    threshold_zh: str


def check_info(key: str) -> CheckInfo:
    """The title, goal, clause and policy wording of the check ``key``; KeyError if unknown."""
    s = SPEC_BY_KEY[key]
    return CheckInfo(s.key, s.goal, s.title_zh, s.title_en, s.clause, s.hard, s.threshold_zh)


# Every check key the engine knows, in its default display order.
CHECK_KEYS: tuple[str, ...] = tuple(s.key for s in CHECK_SPECS)
