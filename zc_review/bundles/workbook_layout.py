"""The application workbook's layout: sheets, labels, fields and table columns.

One table shared by the writer (which lays the labels out) and the reader
(which finds values by the same labels), so the two cannot drift apart.
Ranges here drive both the template's data validation and the checks on read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from zc_review.core.application import MATERIAL_LABELS, SERVICE_PLATFORMS, Stage


class Kind(Enum):
    """How a value is typed in, validated and converted."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    CITY = "city"  # one of JIANGSU_CITIES
    INDUSTRY = "industry"  # suggested from POLICY_INDUSTRIES, other text allowed
    YES_NO = "yes_no"  # 是 / 否 -> bool
    INT = "int"
    DECIMAL = "decimal"
    PERCENT = "percent"  # 0..100, Decimal
    STAGE = "stage"  # 申报论证 / 年度考核 / 评估验收
    MATERIAL = "material"  # a MATERIAL_LABELS value


# Sheet names of the template. The reader also finds a sheet by its content.
SHEET_GUIDE = "填表说明"
SHEET_BASICS = "基本情况"
SHEET_INVESTMENT = "投资规模"
SHEET_INDICATORS = "年度指标"
SHEET_PLAN = "建设计划"
SHEET_MATERIALS = "材料清单"

REQUIRED_MARK = "＊"

STAGE_TITLES: dict[Stage, str] = {
    Stage.APPLICATION: "众创社区申报书",
    Stage.ANNUAL: "众创社区年度考核表",
    Stage.ACCEPTANCE: "众创社区评估验收表",
}

# Generous but finite bounds: they catch typos (a 万元 amount typed in 元, a
# negative count) without second-guessing real communities.
MAX_MONEY = Decimal("100000000")  # 万元, i.e. one trillion yuan
MAX_COUNT = Decimal("10000000")
MAX_TEXT = 200
MAX_LONG_TEXT = 2000
# Most decimal places a number may have: the sealed manifest writes numbers as plain decimals.
MAX_DECIMAL_PLACES = 6


@dataclass(frozen=True)
class FieldSpec:
    """One key/value input of the basics sheet.

    ``attr`` names the Application attribute; ``boundary.<side>`` a Boundary side,
    ``platform:<name>`` one of SERVICE_PLATFORMS, ``stage`` the stage.
    """

    attr: str
    label: str
    en: str
    kind: Kind
    required: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    prompt: str = ""
    stages: tuple[Stage, ...] = (Stage.APPLICATION, Stage.ANNUAL, Stage.ACCEPTANCE)
    max_length: int | None = None  # text fields: at most this many characters (default MAX_TEXT)


@dataclass(frozen=True)
class Section:
    """A titled group of key/value fields."""

    title: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table; ``key`` is the attribute it fills ("" for display-only columns)."""

    key: str
    label: str
    en: str
    kind: Kind
    required: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    width: float = 16
    prompt: str = ""


@dataclass(frozen=True)
class TableSpec:
    """A table sheet: a note above, one header row, then one record per row."""

    sheet: str
    title: str
    en: str
    note: str
    columns: tuple[ColumnSpec, ...]
    blank_rows: int  # input rows the template offers (more may be inserted)
    max_rows: int  # most records the reader accepts (the sealed manifest's limit)
    landscape: bool = False

    @property
    def data_columns(self) -> tuple[ColumnSpec, ...]:
        """Columns the reader reads (display-only columns such as 序号 are skipped)."""
        return tuple(c for c in self.columns if c.key)


def _count(attr: str, label: str, en: str, unit: str) -> FieldSpec:
    return FieldSpec(
        attr,
        f"{label}（{unit}）",
        f"{en} (count)",
        Kind.INT,
        minimum=Decimal(0),
        maximum=MAX_COUNT,
        prompt=f"请填写{label}的数量（{unit}），整数；没有填 0。",
    )


def _yes_no(attr: str, label: str, en: str) -> FieldSpec:
    return FieldSpec(attr, label, en, Kind.YES_NO, prompt="请从下拉列表选择“是”或“否”。")


BASIC_SECTIONS: tuple[Section, ...] = (
    Section(
        "一、基本情况",
        (
            FieldSpec(
                "stage",
                "填报类型",
                "Report type",
                Kind.STAGE,
                required=True,
                prompt="由模板生成，一般无需修改。",
            ),
            FieldSpec(
                "pilot_year",
                "试点年度",
                "Pilot year",
                Kind.INT,
                required=True,
                minimum=Decimal(1),
                maximum=Decimal(3),
                prompt="本次考核的是试点第几年：1、2 或 3。",
                stages=(Stage.ANNUAL,),
            ),
            FieldSpec(
                "community_name",
                "众创社区名称",
                "Community name",
                Kind.TEXT,
                required=True,
                prompt="填写众创社区全称，如“××众创社区”。",
            ),
            FieldSpec(
                "city",
                "设区市",
                "City",
                Kind.CITY,
                required=True,
                prompt="从下拉列表选择所在设区市。",
            ),
            FieldSpec(
                "county",
                "县（市、区）",
                "County (city, district)",
                Kind.TEXT,
                required=True,
                prompt="填写所在县（市、区）全称。",
                max_length=50,
            ),
            FieldSpec(
                "applicant",
                "申报单位",
                "Applicant",
                Kind.TEXT,
                required=True,
                prompt="填写申报单位全称（一般为县级人民政府）。",
            ),
            FieldSpec("contact_name", "联系人", "Contact person", Kind.TEXT, prompt="填写联系人姓名。"),
            FieldSpec(
                "contact_phone",
                "联系电话",
                "Contact phone",
                Kind.TEXT,
                prompt="填写手机或座机号码，座机请带区号。",
            ),
        ),
    ),
    Section(
        "二、四至范围",
        (
            FieldSpec(
                "boundary.east", "东至", "East boundary", Kind.TEXT, prompt="填写东侧边界（道路、河流等）。"
            ),
            FieldSpec("boundary.south", "南至", "South boundary", Kind.TEXT, prompt="填写南侧边界。"),
            FieldSpec("boundary.west", "西至", "West boundary", Kind.TEXT, prompt="填写西侧边界。"),
            FieldSpec("boundary.north", "北至", "North boundary", Kind.TEXT, prompt="填写北侧边界。"),
        ),
    ),
    Section(
        "三、产业定位",
        (
            FieldSpec(
                "leading_industry",
                "主导特色战略新兴产业",
                "Leading strategic emerging industry",
                Kind.INDUSTRY,
                prompt="从下拉列表选择；确属其他产业的可直接填写。",
            ),
            FieldSpec(
                "industry_positioning",
                "产业定位说明",
                "Industry positioning",
                Kind.LONG_TEXT,
                prompt=f"简述产业定位，不超过{MAX_LONG_TEXT}字。",
            ),
        ),
    ),
    Section(
        "四、创新资源",
        (
            FieldSpec(
                "planned_area_km2",
                "规划面积（平方公里）",
                "Planned area (km²)",
                Kind.DECIMAL,
                minimum=Decimal(0),
                maximum=Decimal(1000),
                prompt="单位：平方公里，可带小数。政策要求一般控制在 3 平方公里左右。",
            ),
            FieldSpec(
                "carrier_floor_area_m2",
                "创新创业服务载体建筑面积（平方米）",
                "Innovation service carrier floor area (m²)",
                Kind.DECIMAL,
                minimum=Decimal(0),
                maximum=Decimal(100000000),
                prompt="单位：平方米（不是万平方米）。政策要求不低于 200000 平方米。",
            ),
            _count("thousand_talents", "国家“千人计划”专家", "National Thousand Talents experts", "人"),
            _count("dual_innovation_talents", "省“双创人才”", "Provincial dual-innovation talents", "人"),
            _count("returnees", "留学归国人员", "Returned overseas students", "人"),
            _count("graduates", "大学生创业者", "Graduate entrepreneurs", "人"),
            _count(
                "partner_universities", "长期合作高校、科研院所", "Partner universities and institutes", "家"
            ),
            _count("partner_enterprises", "长期合作龙头骨干企业", "Partner leading enterprises", "家"),
            _yes_no(
                "enclave_incubation",
                "是否建立飞地孵化等利用区域外资源的机制",
                "Enclave incubation or other use of outside resources",
            ),
        ),
    ),
    Section(
        "五、创业服务",
        (
            _count("makerspaces", "专业化众创空间", "Makerspaces", "家"),
            _count("nurseries", "创业苗圃", "Startup nurseries", "家"),
            _count("incubators", "科技企业孵化器", "Incubators", "家"),
            _count("accelerators", "加速器", "Accelerators", "家"),
            _count("finance_institutions", "投融资机构", "Investment and financing institutions", "家"),
            _count("intermediary_institutions", "中介服务机构", "Intermediary service institutions", "家"),
            _yes_no("online_platform", "是否建有开放式互联网线上平台", "Open online platform"),
        ),
    ),
    Section(
        "六、人居环境",
        (
            FieldSpec(
                "wifi_coverage_pct",
                "公共无线网络覆盖率（%）",
                "Public Wi-Fi coverage (%)",
                Kind.PERCENT,
                minimum=Decimal(0),
                maximum=Decimal(100),
                prompt="填 0 到 100 之间的数，如全覆盖填 100。",
            ),
            FieldSpec(
                "digital_mgmt_coverage_pct",
                "数字化管理覆盖率（%）",
                "Digital management coverage (%)",
                Kind.PERCENT,
                minimum=Decimal(0),
                maximum=Decimal(100),
                prompt="填 0 到 100 之间的数，如全覆盖填 100。",
            ),
            *(
                _yes_no(f"platform:{name}", f"是否建有{name}平台", f"{name} service platform")
                for name in SERVICE_PLATFORMS
            ),
        ),
    ),
    Section(
        "七、管理体制",
        (
            FieldSpec(
                "management_body",
                "管理和运营机构",
                "Management and operating body",
                Kind.TEXT,
                prompt="填写专业管理和运营机构的名称。",
            ),
            _yes_no(
                "support_policies", "是否出台覆盖创新创业全流程的扶持政策", "Whole-process support policies"
            ),
            _yes_no(
                "statistics_system",
                "是否建立信息化管理服务平台和统计体系",
                "Information platform and statistics system",
            ),
        ),
    ),
)


def basic_fields(stage: Stage | None = None) -> tuple[FieldSpec, ...]:
    """All key/value fields, or those shown for one stage."""
    return tuple(f for s in BASIC_SECTIONS for f in s.fields if stage is None or stage in f.stages)


# The label that identifies the basics sheet when it was renamed.
BASICS_ANCHOR = "众创社区名称"

_YEAR = ColumnSpec(
    "year",
    "年度",
    "Year",
    Kind.INT,
    required=True,
    minimum=Decimal(2000),
    maximum=Decimal(2100),
    width=10,
    prompt="填写四位年份，如 2017。每年一行，不要重复。",
)


def _money(key: str, label: str, en: str, width: float = 22) -> ColumnSpec:
    return ColumnSpec(
        key,
        f"{label}（万元）",
        f"{en} (10k yuan)",
        Kind.DECIMAL,
        minimum=Decimal(0),
        maximum=MAX_MONEY,
        width=width,
        prompt="单位：万元，可带小数。",
    )


def _people(key: str, label: str, en: str, unit: str) -> ColumnSpec:
    return ColumnSpec(
        key,
        f"{label}（{unit}）",
        en,
        Kind.INT,
        minimum=Decimal(0),
        maximum=MAX_COUNT,
        width=20,
        prompt=f"整数，单位：{unit}。",
    )


INVESTMENT_TABLE = TableSpec(
    sheet=SHEET_INVESTMENT,
    title="投资规模（按年度）",
    en="Investment by year",
    note="每年一行。申报时填写计划数，年度考核和评估验收时填写实际数。“其中”一列不能大于总投资。",
    columns=(
        _YEAR,
        _money("total_investment", "建设项目总投资", "Total construction investment"),
        _money(
            "sei_investment",
            "其中：特色战略新兴产业项目投资",
            "of which: strategic emerging industry investment",
            width=30,
        ),
    ),
    blank_rows=5,
    max_rows=20,
)

INDICATORS_TABLE = TableSpec(
    sheet=SHEET_INDICATORS,
    title="产业与创业指标（按年度）",
    en="Indicators by year",
    note="每年一行，年度与“投资规模”表对应。“其中”一列不能大于总产值。",
    columns=(
        _YEAR,
        _money("total_output", "社区产业总产值", "Total industrial output"),
        _money("hightech_output", "其中：高新技术产业产值", "of which: high-tech output", width=26),
        _people("new_startups", "新登记注册初创企业数", "Newly registered startups", "家"),
        _people("new_employees", "初创企业吸纳从业人员数", "Employees absorbed by startups", "人"),
    ),
    blank_rows=5,
    max_rows=20,
    landscape=True,
)

PLAN_TABLE = TableSpec(
    sheet=SHEET_PLAN,
    title="建设计划",
    en="Construction plan",
    note="按时间顺序逐项填写建设内容，每项一行。",
    columns=(
        ColumnSpec("", "序号", "No.", Kind.INT, width=6),
        ColumnSpec(
            "period",
            "建设期间",
            "Period",
            Kind.TEXT,
            required=True,
            width=18,
            prompt="如“2017年”或“2017年1月—2017年12月”。",
        ),
        ColumnSpec(
            "content",
            "建设内容",
            "Content",
            Kind.LONG_TEXT,
            required=True,
            width=50,
            prompt="简述本期建设内容。",
        ),
        _money("investment", "计划投资", "Planned investment", width=16),
    ),
    blank_rows=8,
    max_rows=200,
    landscape=True,
)

MATERIALS_TABLE = TableSpec(
    sheet=SHEET_MATERIALS,
    title="材料清单",
    en="Materials checklist",
    note="“文件名”填写附件在压缩包中的相对路径（如“附件/创建方案.pdf”）。必备材料缺一不可；其他附件可增加行。",
    columns=(
        ColumnSpec("", "序号", "No.", Kind.INT, width=6),
        ColumnSpec(
            "kind",
            "材料类别",
            "Material kind",
            Kind.MATERIAL,
            width=14,
            prompt="从下拉列表选择材料类别。",
        ),
        ColumnSpec(
            "filename",
            "文件名（压缩包内路径）",
            "File name (path in the zip)",
            Kind.TEXT,
            width=40,
            prompt="附件在压缩包中的相对路径，如“附件/创建方案.pdf”。",
        ),
        ColumnSpec("title", "材料名称", "Title", Kind.TEXT, width=30, prompt="可选：材料的标题。"),
        ColumnSpec("", "是否必备", "Required", Kind.TEXT, width=10),
    ),
    blank_rows=3,  # 其他附件 rows after the required ones
    max_rows=500,
    landscape=True,
)

TABLES: tuple[TableSpec, ...] = (INVESTMENT_TABLE, INDICATORS_TABLE, PLAN_TABLE, MATERIALS_TABLE)

MATERIAL_BY_LABEL = {label: kind for kind, label in MATERIAL_LABELS.items()}

STAGE_BY_LABEL = {stage.label_zh: stage for stage in Stage}

YES = "是"
NO = "否"

_QUOTES = str.maketrans("", "", "“”‘’\"'「」")
_SPACE = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """A label's comparable form.

    NFKC folds full-width colons, brackets, percent signs and stars to their
    half-width forms; whitespace and quotes are dropped; a trailing colon and a
    leading or trailing required mark ``*`` are removed.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = _SPACE.sub("", folded).translate(_QUOTES)
    return folded.strip("*").rstrip(":").strip("*")


def display_label(label: str, required: bool) -> str:
    """The label as printed in the workbook: a trailing ＊ marks a required value."""
    return f"{label}{REQUIRED_MARK}" if required else label
