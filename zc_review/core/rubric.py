"""Scoring rubrics (评分细则) as data: one JSON file per review stage.

A stage's current rubric is loaded from ``resources/rubrics/<stage>.json``, validated
against ``resources/schema/rubric.schema.json`` and then against the rules the schema
cannot express (sums, anchor coverage, known check keys, unique ids). Points are read
as exact ``Decimal`` values. A rubric's id and version are stored with every batch and
every review, so a later rubric never changes an old score: a program that ships a new
version keeps the old file under ``resources/rubrics/previous/`` (any ``*.json`` name),
and :func:`rubric_for` is the one answer to "which rubric applies".
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from zc_review.core.application import Stage
from zc_review.core.checks import CHECK_KEYS
from zc_review.errors import UserError
from zc_review.resources import resource_path

GOAL_KEYS: tuple[str, ...] = (
    "innovation_resources",
    "entrepreneurship_services",
    "industry_specialization",
    "living_environment",
    "management_system",
)
BONUS_GOAL = "bonus"  # the ``goal`` of bonus items
PREVIOUS_DIR = "previous"  # under resources/rubrics: older versions, kept for the reviews made under them

_FIX_ZH = "请恢复随程序发布的评分细则文件，或向省联席会议办公室索取正确的版本。"
_FIX_EN = "Restore the rubric file shipped with the program, or ask the office for a correct version."


@dataclass(frozen=True)
class Anchor:
    """One band of an item's scale (优/良/中/差) with its point range, both ends included."""

    band: str
    min_points: Decimal
    max_points: Decimal
    description: str

    def contains(self, points: Decimal) -> bool:
        """Whether ``points`` falls in this band."""
        return self.min_points <= points <= self.max_points


@dataclass(frozen=True)
class CommentRule:
    """When an expert must write a comment on an item."""

    always: bool = False
    below_fraction: Decimal | None = None
    on_check_fail: bool = False
    when_awarded: bool = False


@dataclass(frozen=True)
class Item:
    """A scored item (二级指标) or a bonus item (加分项)."""

    id: str
    goal: str  # goal key, or BONUS_GOAL
    title: str
    title_en: str
    max_points: Decimal
    step: Decimal
    clause: str
    checks: tuple[str, ...]
    anchors: tuple[Anchor, ...]
    comment_rule: CommentRule
    guidance: str = ""

    def is_valid_score(self, points: Decimal) -> bool:
        """Whether ``points`` is between 0 and the maximum and on the item's step grid."""
        return Decimal(0) <= points <= self.max_points and points % self.step == 0

    def anchor_for(self, points: Decimal) -> Anchor | None:
        """The band ``points`` falls in (None for bonus items, which have no bands)."""
        return next((a for a in self.anchors if a.contains(points)), None)

    def comment_required(self, points: Decimal | None, failed_checks: Collection[str] = ()) -> bool:
        """Whether a comment is required for ``points``, given the check keys that failed."""
        rule = self.comment_rule
        if rule.always:
            return True
        if rule.on_check_fail and any(key in failed_checks for key in self.checks):
            return True
        if points is None:
            return False
        if rule.when_awarded and points > 0:
            return True
        return rule.below_fraction is not None and points < self.max_points * rule.below_fraction


@dataclass(frozen=True)
class Goal:
    """One of the five goals (一级指标) of clause 一."""

    key: str
    title: str
    title_en: str
    clause: str
    max_points: Decimal
    items: tuple[Item, ...]


@dataclass(frozen=True)
class BonusGroup:
    """加分项: items of a point or so each, whose sum is capped."""

    title: str
    title_en: str
    cap: Decimal
    items: tuple[Item, ...]

    def capped(self, raw_total: Decimal) -> Decimal:
        """The bonus that counts: the raw sum of bonus points, at most ``cap``."""
        return min(raw_total, self.cap)


@dataclass(frozen=True)
class Recommendation:
    """A recommendation option (e.g. 建议备案试点) and the total that suggests it."""

    key: str
    label: str
    label_en: str
    min_total: Decimal  # suggested at this total or above (以上)
    positive: bool
    blocked_by_hard_failure: bool


@dataclass(frozen=True)
class Rubric:
    """One stage's rubric."""

    id: str
    version: str
    stage: Stage
    title: str
    title_en: str
    rationale: str
    total: Decimal
    area_band_km2: tuple[Decimal, Decimal]
    checks: tuple[str, ...]
    goals: tuple[Goal, ...]
    bonus: BonusGroup
    recommendations: tuple[Recommendation, ...]  # highest min_total first
    recommendation_rule: str = ""

    @property
    def max_total(self) -> Decimal:
        """The most points the goals can give (the declared total, 100), without bonus."""
        return sum((g.max_points for g in self.goals), Decimal(0))

    @property
    def max_with_bonus(self) -> Decimal:
        """The most points including the capped bonus (e.g. 105)."""
        return self.max_total + self.bonus.cap

    def items(self, include_bonus: bool = False) -> tuple[Item, ...]:
        """The scored items in order; bonus items last when ``include_bonus``."""
        scored = tuple(item for goal in self.goals for item in goal.items)
        return scored + self.bonus.items if include_bonus else scored

    def item(self, item_id: str) -> Item:
        """The item (scored or bonus) with id ``item_id``; KeyError if there is none."""
        for item in self.items(include_bonus=True):
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def goal(self, key: str) -> Goal:
        """The goal with key ``key``; KeyError if there is none."""
        for goal in self.goals:
            if goal.key == key:
                return goal
        raise KeyError(key)

    def suggest(self, total: Decimal, hard_failure: bool = False) -> Recommendation:
        """The recommendation a total suggests (the expert decides; this is the rubric's line)."""
        for rec in self.recommendations:
            if total >= rec.min_total and not (hard_failure and rec.blocked_by_hard_failure):
                return rec
        return self.recommendations[-1]


class RubricPin(Protocol):
    """What names a rubric by id and version: a batch, a review, a batch of a manifest."""

    @property
    def rubric_id(self) -> str: ...

    @property
    def rubric_version(self) -> str: ...


class RubricRef(NamedTuple):
    """A rubric id and version as stored (a :class:`RubricPin`)."""

    rubric_id: str
    rubric_version: str


def rubric_for(batch: RubricPin, review: RubricPin | None = None) -> Rubric:
    """The rubric an application of ``batch`` is judged under: the one its review is pinned to.

    That is the rubric id/version stored with the expert's ``review``; without a review yet,
    the batch's (which a review takes when it is made). Never the stage's current rubric as
    such: checks, hard-failure counts, forms and totals shown for an application all come from
    here, so a program shipping a newer rubric does not change what an old review shows. A new
    batch gets the current rubric when it is sealed (:func:`load_rubric`). UserError when the
    program lacks the rubric.
    """
    pin = review if review is not None else batch
    return find_rubric(pin.rubric_id, pin.rubric_version)


def load_rubric(stage: Stage | str) -> Rubric:
    """The current packaged rubric for ``stage`` (application, annual or acceptance).

    What a new batch is sealed under. What an application already in a batch is judged
    under is :func:`rubric_for`.
    """
    try:
        st = Stage(stage)
    except ValueError:
        raise UserError(
            f"没有“{stage}”阶段的评分细则，可选：申报论证、年度考核、评估验收。",
            f"There is no rubric for stage '{stage}'; choose application, annual or acceptance.",
        ) from None
    return _load_packaged(resource_path("rubrics", f"{st.value}.json"), st)


def find_rubric(rubric_id: str, version: str) -> Rubric:
    """The rubric with this id and version among those shipped with the program.

    Each stage's current rubric, then the older versions kept under ``rubrics/previous/``.
    """
    for stage in Stage:
        rubric = load_rubric(stage)
        if (rubric.id, rubric.version) == (rubric_id, version):
            return rubric
    for rubric in _previous_rubrics(resource_path("rubrics", PREVIOUS_DIR)):
        if (rubric.id, rubric.version) == (rubric_id, version):
            return rubric
    raise UserError(
        f"本程序没有评分细则“{rubric_id}”第 {version} 版，无法显示该评审。请安装与本批次配套的评审工作站版本。",
        f"This program lacks rubric “{rubric_id}” version {version}. "
        "Install the ZC Review version that goes with this batch.",
    )


@cache
def _previous_rubrics(directory: Path) -> tuple[Rubric, ...]:
    # Read only when a review names a rubric that is no stage's current one.
    if not directory.is_dir():
        return ()
    return tuple(_load_packaged(path, None) for path in sorted(directory.glob("*.json")))


@cache
def _load_packaged(path: Path, stage: Stage | None) -> Rubric:
    # Packaged rubrics never change while the program runs, so load each once.
    try:
        # The shipped files are schema-checked by the test suite; skipping jsonschema here
        # keeps it (and ~0.1 s) out of the window's start. The rules the schema cannot
        # express are still checked.
        rubric = load_rubric_file(path, check_schema=False)
    except Exception:
        rubric = load_rubric_file(path)
    if stage is not None and rubric.stage != stage:
        raise UserError(
            f"评分细则文件的阶段为“{rubric.stage.label_zh}”，应为“{stage.label_zh}”。请重新安装程序。",
            f"The rubric file is for stage '{rubric.stage}', expected '{stage}'. Reinstall the program.",
            path,
        )
    return rubric


def load_rubric_file(path: str | Path, *, check_schema: bool = True) -> Rubric:
    """Read, validate and build a rubric from a JSON file; UserError naming the file if it is bad."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(
            f"无法读取评分细则文件（{exc.strerror or exc}）。",
            f"Cannot read the rubric file ({exc.strerror or exc}).",
            p,
        ) from exc
    try:
        # parse_float keeps 0.5 and 0.6 exact.
        data = json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(
            f"评分细则文件不是有效的 JSON：{exc}。",
            f"The rubric file is not valid JSON: {exc}.",
            p,
        ) from exc
    if check_schema:
        _validate_schema(data, p)
    rubric = _build(data)
    problems = list(_semantic_problems(rubric))
    if problems:
        zh = "；".join(z for z, _ in problems)
        en = "; ".join(e for _, e in problems)
        raise UserError(
            f"评分细则文件有误：{zh}。{_FIX_ZH}", f"The rubric file is inconsistent: {en}. {_FIX_EN}", p
        )
    return rubric


def _validate_schema(data: Any, path: Path) -> None:
    from zc_review.core.schema import problems

    found = problems("rubric.schema.json", data)
    if not found:
        return
    first = found[0]
    raise UserError(
        f"评分细则文件不符合格式要求：{first.line_zh}。{_FIX_ZH}",
        f"The rubric file does not match the rubric schema {first.line_en}. " + _FIX_EN,
        path,
    )


def _dec(value: Any) -> Decimal:
    # Integers arrive as int, fractions as Decimal (parse_float); both become Decimal.
    return value if isinstance(value, Decimal) else Decimal(value)


def _comment_rule(data: dict[str, Any]) -> CommentRule:
    below = data.get("below_fraction")
    return CommentRule(
        always=bool(data.get("always", False)),
        below_fraction=None if below is None else _dec(below),
        on_check_fail=bool(data.get("on_check_fail", False)),
        when_awarded=bool(data.get("when_awarded", False)),
    )


def _item(data: dict[str, Any], goal: str) -> Item:
    return Item(
        id=data["id"],
        goal=goal,
        title=data["title"],
        title_en=data["title_en"],
        max_points=_dec(data["max"]),
        step=_dec(data["step"]),
        clause=data["clause"],
        checks=tuple(data.get("checks", ())),
        anchors=tuple(
            Anchor(a["band"], _dec(a["min"]), _dec(a["max"]), a["description"])
            for a in data.get("anchors", ())
        ),
        comment_rule=_comment_rule(data["comment_required"]),
        guidance=data.get("guidance", data.get("description", "")),
    )


def _build(data: dict[str, Any]) -> Rubric:
    goals = tuple(
        Goal(
            key=g["key"],
            title=g["title"],
            title_en=g["title_en"],
            clause=g["clause"],
            max_points=_dec(g["max"]),
            items=tuple(_item(i, g["key"]) for i in g["items"]),
        )
        for g in data["goals"]
    )
    bonus = data["bonus"]
    recs = tuple(
        Recommendation(
            key=r["key"],
            label=r["label"],
            label_en=r["label_en"],
            min_total=_dec(r["min_total"]),
            positive=r["positive"],
            blocked_by_hard_failure=r["blocked_by_hard_failure"],
        )
        for r in data["recommendations"]
    )
    return Rubric(
        id=data["id"],
        version=data["version"],
        stage=Stage(data["stage"]),
        title=data["title"],
        title_en=data["title_en"],
        rationale=data["rationale"],
        total=_dec(data["total"]),
        area_band_km2=(_dec(data["area_band_km2"]["min"]), _dec(data["area_band_km2"]["max"])),
        checks=tuple(data["checks"]),
        goals=goals,
        bonus=BonusGroup(
            title=bonus["title"],
            title_en=bonus["title_en"],
            cap=_dec(bonus["cap"]),
            items=tuple(_item(i, BONUS_GOAL) for i in bonus["items"]),
        ),
        recommendations=tuple(sorted(recs, key=lambda r: r.min_total, reverse=True)),
        recommendation_rule=data.get("recommendation_rule", ""),
    )


Problem = tuple[str, str]  # (Chinese, English)


def _semantic_problems(rubric: Rubric) -> Iterator[Problem]:
    keys = [g.key for g in rubric.goals]
    if sorted(keys) != sorted(GOAL_KEYS):
        yield "五个目标必须各出现一次", "each of the five goals must appear exactly once"
    if rubric.max_total != rubric.total:
        yield (
            f"各目标满分之和为{rubric.max_total}，与声明的总分{rubric.total}不符",
            f"goal maxima sum to {rubric.max_total}, not the declared total {rubric.total}",
        )
    unknown = [c for c in rubric.checks if c not in CHECK_KEYS]
    if unknown:
        yield f"未知的指标检查：{'、'.join(unknown)}", f"unknown check keys: {', '.join(unknown)}"
    seen: set[str] = set()
    for goal in rubric.goals:
        item_sum = sum((i.max_points for i in goal.items), Decimal(0))
        if item_sum != goal.max_points:
            yield (
                f"目标“{goal.title}”各项满分之和为{item_sum}，应为{goal.max_points}",
                f"items of goal '{goal.key}' sum to {item_sum}, not its maximum {goal.max_points}",
            )
        for item in goal.items:
            yield from _item_problems(item, rubric.checks)
    for item in rubric.bonus.items:
        yield from _item_problems(item, rubric.checks)
        if item.max_points > rubric.bonus.cap:
            yield (
                f"加分项{item.id}的分值超过加分上限{rubric.bonus.cap}",
                f"bonus item {item.id} is worth more than the bonus cap {rubric.bonus.cap}",
            )
    for item in rubric.items(include_bonus=True):
        if item.id in seen:
            yield f"指标编号{item.id}重复", f"duplicate item id {item.id}"
        seen.add(item.id)
    yield from _recommendation_problems(rubric)
    low, high = rubric.area_band_km2
    if low >= high:
        yield "规划面积区间下限应小于上限", "the planned-area band's minimum must be below its maximum"


def _item_problems(item: Item, stage_checks: tuple[str, ...]) -> Iterator[Problem]:
    unknown = [c for c in item.checks if c not in stage_checks]
    if unknown:
        yield (
            f"指标{item.id}引用了本阶段未启用的指标检查：{'、'.join(unknown)}",
            f"item {item.id} links unknown or unused check keys: {', '.join(unknown)}",
        )
    if item.max_points % item.step != 0:
        yield (
            f"指标{item.id}的满分{item.max_points}不是步长{item.step}的整数倍",
            f"item {item.id}: maximum {item.max_points} is not a multiple of step {item.step}",
        )
        return
    if item.goal == BONUS_GOAL:
        return
    # Every score on the step grid 0, step, ..., max must fall in exactly one band.
    n = int(item.max_points / item.step)
    for k in range(n + 1):
        points = item.step * k
        bands = [a.band for a in item.anchors if a.contains(points)]
        if len(bands) != 1:
            state = "不在任何档次内" if not bands else f"同时属于{'、'.join(bands)}"
            state_en = "is in no band" if not bands else f"is in several bands ({', '.join(bands)})"
            yield (
                f"指标{item.id}的评分档次未覆盖0至满分：{points}分{state}",
                f"item {item.id}: anchors do not cover 0..max exactly once: {points} {state_en}",
            )
            return
    outside = [a.band for a in item.anchors if a.min_points > a.max_points or a.max_points > item.max_points]
    if outside:
        yield (
            f"指标{item.id}的档次{'、'.join(outside)}分值区间无效",
            f"item {item.id}: bands {', '.join(outside)} have an invalid range",
        )


def _recommendation_problems(rubric: Rubric) -> Iterator[Problem]:
    recs = rubric.recommendations
    if len({r.key for r in recs}) != len(recs) or len({r.min_total for r in recs}) != len(recs):
        yield "建议选项的编号和分数线必须各不相同", "recommendation keys and lines must be distinct"
    if recs[-1].min_total != 0:
        yield "必须有一个建议选项的分数线为0分", "one recommendation must start at 0 points"
    if recs[0].min_total > rubric.total:
        yield "建议选项的分数线不能高于总分", "a recommendation line is above the total"
    if sum(1 for r in recs if r.positive) != 1 or not recs[0].positive:
        yield "分数线最高的建议选项应为唯一的肯定性建议", "the highest line must be the one positive option"
