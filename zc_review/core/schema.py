"""Checking JSON against the packaged schemas, with messages a person can act on.

jsonschema's own messages are English and quote the offending value whole (a 10,000-row
list becomes a megabyte of Python repr). Every file format of the app (bundle manifest,
embedded review, rubric, score sheet) is checked here instead, and each problem is said in
Chinese and English with the JSON path of the bad value and what is wrong with it, never the
value itself. jsonschema is imported on first use: start-up does not pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from zc_review.resources import resource_path

__all__ = ["SchemaProblem", "json_path", "problems"]

_TYPES_ZH = {
    "object": "对象",
    "array": "列表",
    "string": "文字",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
    "null": "null",
}
_SHOWN = 40  # characters of a quoted allowed value or field name


@dataclass(frozen=True)
class SchemaProblem:
    """One place where the data does not match its schema."""

    path: str  # JSONPath-style, e.g. $.scores["1.1"]
    zh: str
    en: str

    @property
    def line_zh(self) -> str:
        return f"位置 {self.path}：{self.zh}"

    @property
    def line_en(self) -> str:
        return f"at {self.path}: {self.en}"


def json_path(parts: Iterable[str | int]) -> str:
    """A JSONPath-style name of a location, e.g. ``$.scores["1.1"]`` or ``$.checks[2].status``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


@cache
def _validator(name: str) -> Any:
    import jsonschema

    schema = json.loads(resource_path("schema", name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def problems(schema_name: str, data: Any) -> list[SchemaProblem]:
    """Every way ``data`` breaks ``resources/schema/<schema_name>``, by path ([] when it matches).

    For a ``oneOf``/``anyOf`` the most relevant branch's problem is reported (jsonschema's
    best match), so a wrong score says what a score must be, not that no branch matched.
    """
    import jsonschema

    out: list[SchemaProblem] = []
    for error in _validator(schema_name).iter_errors(data):
        if error.validator in ("oneOf", "anyOf") and error.context:
            best = jsonschema.exceptions.best_match(error.context)
            out.append(_describe(best if best is not None else error))
        else:
            out.append(_describe(error))
    return sorted(out, key=lambda p: p.path)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _describe(error: Any) -> SchemaProblem:
    parts: list[str | int] = list(error.absolute_path)
    kind, want, instance = error.validator, error.validator_value, error.instance
    where = json_path(parts)
    if kind == "required" and isinstance(instance, dict):
        missing = [k for k in want if k not in instance]
        name = missing[0] if missing else "?"
        return SchemaProblem(json_path([*parts, name]), "缺少必填字段", "a required field is missing")
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extra = sorted(k for k in instance if k not in known)
        name = extra[0] if extra else "?"
        return SchemaProblem(
            json_path([*parts, name]),
            "不认识的字段（请检查拼写）",
            "a field this format does not have (check the spelling)",
        )
    if kind == "type":
        kinds = want if isinstance(want, list) else [want]
        zh = "或".join(_TYPES_ZH.get(str(k), str(k)) for k in kinds)
        return SchemaProblem(where, f"应为{zh}", "should be " + " or ".join(str(k) for k in kinds))
    if kind in ("enum", "const"):
        allowed = want if kind == "enum" else [want]
        listed = "、".join(_short(a) for a in allowed[:8]) + ("……" if len(allowed) > 8 else "")
        listed_en = ", ".join(_short(a) for a in allowed[:8]) + ("…" if len(allowed) > 8 else "")
        return SchemaProblem(where, f"取值应为：{listed}", f"should be one of: {listed_en}")
    if kind == "minLength":
        if want == 1:
            return SchemaProblem(where, "不能为空", "must not be empty")
        return SchemaProblem(where, f"过短（至少 {want} 个字符）", f"too short (at least {want} characters)")
    if kind == "maxLength":
        return SchemaProblem(where, f"过长（最多 {want} 个字符）", f"too long (at most {want} characters)")
    if kind == "minItems":
        return SchemaProblem(where, f"至少应有 {want} 项", f"needs at least {want} entries")
    if kind == "maxItems":
        n = len(instance) if isinstance(instance, list) else "?"
        return SchemaProblem(where, f"最多 {want} 项，实有 {n} 项", f"at most {want} entries, has {n}")
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {
            "minimum": ("不能小于", "must not be below"),
            "exclusiveMinimum": ("应大于", "must be above"),
            "maximum": ("不能大于", "must not be above"),
            "exclusiveMaximum": ("应小于", "must be below"),
        }[kind]
        return SchemaProblem(where, f"{words[0]} {want}", f"{words[1]} {want}")
    if kind == "pattern":
        return SchemaProblem(where, "格式不正确", "is not in the expected form")
    if kind == "uniqueItems":
        return SchemaProblem(where, "有重复的项", "has duplicate entries")
    if kind == "format":
        return SchemaProblem(where, f"不是有效的 {want} 格式", f"is not a valid {want}")
    return SchemaProblem(where, "不符合格式要求", f"does not match the format ({kind})")
